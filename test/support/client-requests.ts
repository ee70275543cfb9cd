// GraphQL requests as a client sends them, by hand: a JSON POST body (a persisted id, an APQ hash, a
// query) or GET parameters, with an optional bearer token; the answer parsed as JSON.
import type { Json, Stack } from "./stack";

export async function post(
  stack: Stack,
  body: object,
  auth?: string,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(stack.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}

export async function get(
  stack: Stack,
  params: Record<string, string>,
  auth?: string,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${stack.url}/?${new URLSearchParams(params)}`, {
    headers: { "apollo-require-preflight": "true", ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
  });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}
