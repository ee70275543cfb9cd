import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getOperationAST, print } from "graphql";
import { loadOperations } from "./operations";
import type { GraphQLResponse } from "./stack";

let shipped: Record<string, string> | undefined;

/**
 * The text a client sends for a typed document: the shipped operation's own text (byte for
 * byte, as in operations/), or the document printed when it is not one of them.
 */
export function textOf(document: TypedDocumentNode<unknown, never>): string {
  const name = getOperationAST(document)?.name?.value;
  shipped ??= loadOperations();
  return (name !== undefined ? shipped[name] : undefined) ?? print(document);
}

export interface PostOptions {
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

/** POSTs a generated typed document over real HTTP: its result (`data`) and variables are typed by codegen. */
export async function postDocument<R, V>(
  url: string,
  document: TypedDocumentNode<R, V>,
  variables: V,
  options: PostOptions = {},
): Promise<GraphQLResponse<R>> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query: textOf(document as TypedDocumentNode<unknown, never>), variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse<R>["body"] };
}
