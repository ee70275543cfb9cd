import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Kind, parse, type OperationDefinitionNode } from "graphql";

/** `off`: ids are not accepted; `allow`: ids and arbitrary documents; `enforce`: manifest operations only. */
export type TrustedDocumentsMode = "off" | "allow" | "enforce";

/** Where the trusted documents come from (docs/clients/persisted-documents.md). */
export interface ManifestFiles {
  /** GraphQL Code Generator's persisted documents: `{"<id>": "<text>"}`, ids with or without `sha256:`. */
  readonly codegen: string | null;
  /** Apollo persisted query manifests, one per client app (the app's `apollographql-client-name`). */
  readonly apollo: Readonly<Record<string, string>>;
}

export interface PersistedDocument {
  readonly text: string;
  /** The operation's name (a bounded metrics label), when the document has one. */
  readonly name: string | null;
  /** Whether it is a query: only those may run by GET without a CSRF preflight header. */
  readonly isQuery: boolean;
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
const PREFIX = "sha256:";
const bareId = (id: string): string => (id.startsWith(PREFIX) ? id.slice(PREFIX.length) : id);
/** Parsed once, at load: a manifest entry that does not parse is refused with the server's start. */
function describe(text: string, where: string): PersistedDocument {
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(text).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch (error) {
    throw new Error(`${where} does not parse: ${(error as Error).message}`, { cause: error });
  }
  return {
    text,
    name: operations.length === 1 ? (operations[0]?.name?.value ?? null) : null,
    isQuery: operations.length > 0 && operations.every((op) => op.operation === "query"),
  };
}

/**
 * Every trusted document, by its id: the sha256 hex of the exact text a client sends. Apollo Client
 * hashes the document it sends (with the `__typename` fields it adds), so its ids come from Apollo's
 * manifests; the codegen manifest holds the same operations without them. Process lifetime.
 */
export class PersistedDocuments {
  private constructor(private readonly byId: ReadonlyMap<string, PersistedDocument>) {}

  /** Refuses a manifest whose ids are not the sha256 of their text: a wrong id would run the wrong operation. */
  static load(files: ManifestFiles): PersistedDocuments {
    const byId = new Map<string, PersistedDocument>();
    const add = (path: string, id: string, text: unknown): void => {
      if (typeof text !== "string")
        throw new Error(`persisted documents manifest ${path}: the document of ${id} is not a string`);
      if (sha256(text) !== bareId(id))
        throw new Error(`persisted documents manifest ${path}: id ${id} is not the sha256 of its document`);
      byId.set(bareId(id), describe(text, `persisted documents manifest ${path}: ${id}`));
    };
    if (files.codegen) {
      const path = files.codegen;
      for (const [id, text] of Object.entries(readJson(path) as Record<string, unknown>)) add(path, id, text);
    }
    for (const path of Object.values(files.apollo)) {
      for (const operation of apolloOperations(path)) add(path, operation.id, operation.body);
    }
    return new PersistedDocuments(byId);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The names of the manifests' operations (bounded labels for metrics). */
  operationNames(): Set<string> {
    return new Set([...this.byId.values()].flatMap((doc) => doc.name ?? []));
  }

  /** The document of an id, given with or without the `sha256:` prefix. */
  get(id: string): PersistedDocument | undefined {
    return this.byId.get(bareId(id));
  }

  text(id: string): string | undefined {
    return this.get(id)?.text;
  }

  /** The manifest entry of this exact text, if any (one hash per request that sends a text). */
  find(text: string): PersistedDocument | undefined {
    return this.byId.get(sha256(text));
  }

  isTrusted(text: string): boolean {
    return this.find(text) !== undefined;
  }
}

/**
 * The trusted-documents mode of each client app, by the name it sends in `apollographql-client-name`
 * (Apollo Client's `clientAwareness.name`); other callers get the default mode.
 */
export class TrustPolicy {
  constructor(
    readonly defaultMode: TrustedDocumentsMode,
    private readonly perClient: Readonly<Record<string, TrustedDocumentsMode>> = {},
  ) {}

  modeFor(clientName: string | undefined): TrustedDocumentsMode {
    return (
      (clientName !== undefined && Object.hasOwn(this.perClient, clientName)
        ? this.perClient[clientName]
        : undefined) ?? this.defaultMode
    );
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`persisted documents manifest ${path}: ${(error as Error).message}`, { cause: error });
  }
}

interface ApolloOperation {
  id: string;
  body: unknown;
}

/** Apollo's format: `{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{id, name, type, body}]}`. */
function apolloOperations(path: string): ApolloOperation[] {
  const manifest = readJson(path) as { format?: unknown; version?: unknown; operations?: unknown };
  if (
    manifest.format !== "apollo-persisted-query-manifest" ||
    manifest.version !== 1 ||
    !Array.isArray(manifest.operations)
  ) {
    throw new Error(`persisted documents manifest ${path}: not an apollo-persisted-query-manifest, version 1`);
  }
  return (manifest.operations as Array<Partial<ApolloOperation>>).map((op, index) => {
    if (typeof op.id !== "string")
      throw new Error(`persisted documents manifest ${path}: operation ${index} has no id`);
    return { id: op.id, body: op.body };
  });
}
