import { ApolloServer } from "@apollo/server";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { DocumentNode, GraphQLFormattedError } from "graphql";
import pino from "pino";
import type { CheckoutService } from "../../checkout/service";
import type { DataSources } from "../../datasources";
import type { Viewer } from "../../src/auth/viewer";
import { buildAppSchema } from "../../src/build-schema";
import type { Context } from "../../src/context";
import { formatError } from "../../src/errors/format-error";
import { useResponseExtensions } from "../../src/plugins/use-response-extensions";
import { fakeSources } from "./fake-sources";

/** What resolvers ask of checkout through ctx.checkouts (a fake records it). */
export type CheckoutPort = Pick<CheckoutService, "checkout" | "find" | "steps" | "list">;

export interface TestContextOptions {
  readonly viewer?: Viewer | null;
  readonly sources?: DataSources;
  /** Checkout's undo sources (ctx.compensationSources()); the same as `sources` unless given. */
  readonly compensation?: DataSources;
  readonly checkouts?: CheckoutPort;
  readonly requestId?: string;
}

const silent = pino({ level: "silent" });
const noCheckouts: CheckoutPort = {
  checkout: () => Promise.reject(new Error("no checkout service in this test")),
  find: () => Promise.reject(new Error("no checkout service in this test")),
  steps: () => Promise.reject(new Error("no checkout service in this test")),
  list: () => Promise.reject(new Error("no checkout service in this test")),
};

/** A per-request Context as createContext makes it, with the given viewer, datasources and checkout service. */
export function testContext(options: TestContextOptions = {}): Context {
  const sources = options.sources ?? fakeSources().sources;
  return {
    requestId: options.requestId ?? "test-request",
    viewer: options.viewer ?? null,
    clientIp: "127.0.0.1",
    deadline: new AbortController().signal,
    dataSources: sources,
    compensationSources: () => options.compensation ?? sources,
    upstreamCalls: { count: 0 },
    staleServed: [],
    partialErrors: [],
    // Resolvers use only the port's methods; the class's private state is no concern of theirs.
    checkouts: (options.checkouts ?? noCheckouts) as CheckoutService,
    log: silent,
    authDecisions: new Map(),
    outcome: { operationName: null, query: false },
    trace: null,
    explain: null,
  };
}

export const customer = (id = "u-0001"): Viewer => ({ id, role: "customer" });
export const admin = (id = "u-0050"): Viewer => ({ id, role: "admin" });

/** One formatted GraphQL answer, typed by its document. */
export interface Answer<R> {
  readonly data: R | null | undefined;
  readonly errors: readonly GraphQLFormattedError[] | undefined;
}

let server: Promise<ApolloServer<Context>> | undefined;

/**
 * Apollo Server over the real schema (resolvers, auth checker, scalars), formatError and the
 * plugin that adds partial errors: what the request path runs between parsing and the response.
 * Built once per test file (jest gives each file its own module registry).
 */
function testServer(): Promise<ApolloServer<Context>> {
  return (server ??= (async () => {
    const format = (formatted: GraphQLFormattedError, error: unknown) => formatError(formatted, error, false);
    const apollo = new ApolloServer<Context>({
      schema: await buildAppSchema(),
      formatError: format,
      plugins: [useResponseExtensions(format)],
    });
    await apollo.start();
    return apollo;
  })());
}

/** Runs one operation with `executeOperation` against the real schema, in `context`. */
export async function execute<R, V extends Record<string, unknown>>(
  document: TypedDocumentNode<R, V> | DocumentNode,
  variables: V,
  context: Context,
): Promise<Answer<R>> {
  const apollo = await testServer();
  const response = await apollo.executeOperation({ query: document, variables }, { contextValue: context });
  if (response.body.kind !== "single") throw new Error("expected a single result");
  const { data, errors } = response.body.singleResult;
  return { data: data as R | null | undefined, errors };
}

/** `[code, path]` of each error: what most assertions on errors need. */
export const codes = (answer: Answer<unknown>): Array<[unknown, string]> =>
  (answer.errors ?? []).map((e) => [e.extensions?.code, (e.path ?? []).join(".")]);
