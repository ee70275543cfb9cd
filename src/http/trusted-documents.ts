import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Viewer } from "../auth/viewer";
import { ErrorCode } from "../errors/bff-errors";

/** `off`: ids are not accepted; `allow`: ids and arbitrary documents; `enforce`: manifest operations only. */
export type TrustedDocumentsMode = "off" | "allow" | "enforce";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The persisted documents manifest (operations/persisted-documents.json): id -> document text. */
export class PersistedDocuments {
  private constructor(private readonly byId: ReadonlyMap<string, string>) {}

  /** Refuses a manifest whose ids are not the sha256 of their text: a wrong id would run the wrong operation. */
  static load(path: string): PersistedDocuments {
    const manifest = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
    for (const [id, text] of Object.entries(manifest)) {
      if (sha256(text) !== id) throw new Error(`persisted documents manifest ${path}: id ${id} is not the sha256 of its document`);
    }
    return new PersistedDocuments(new Map(Object.entries(manifest)));
  }

  get size(): number {
    return this.byId.size;
  }

  /** The names of the manifest's operations (bounded labels for metrics). */
  operationNames(): Set<string> {
    return new Set([...this.byId.values()].flatMap((text) => /^(?:query|mutation|subscription) (\w+)/.exec(text)?.[1] ?? []));
  }

  text(id: string): string | undefined {
    return this.byId.get(id);
  }

  isTrusted(text: string): boolean {
    return this.byId.has(sha256(text));
  }
}

/** A GraphQL request as it arrived: a JSON body (POST) or URL parameters (GET). */
export interface GraphQLHttpRequest {
  readonly method: string;
  /** The query string, with its leading "?" (or ""). */
  search: string;
  body: unknown;
}

/** A request refused before it is parsed. */
export interface Refusal {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
}

/** What one request asks for, whether it came as a JSON body (POST) or as URL parameters (GET). */
interface Ask {
  documentId?: string;
  apqHash?: string;
  query?: string;
}

function readAsk(req: GraphQLHttpRequest): Ask {
  if (req.method === "GET") {
    const params = new URLSearchParams(req.search);
    let apqHash: string | undefined;
    try {
      apqHash = (JSON.parse(params.get("extensions") ?? "{}") as { persistedQuery?: { sha256Hash?: string } }).persistedQuery?.sha256Hash;
    } catch { /* Apollo answers malformed extensions itself */ }
    return { documentId: params.get("documentId") ?? undefined, apqHash, query: params.get("query") ?? undefined };
  }
  const body = (req.body ?? {}) as { documentId?: unknown; query?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
  const hash = body.extensions?.persistedQuery?.sha256Hash;
  return {
    documentId: typeof body.documentId === "string" ? body.documentId : undefined,
    apqHash: typeof hash === "string" ? hash : undefined,
    query: typeof body.query === "string" ? body.query : undefined,
  };
}

/** Puts the manifest's text in place of an id, so Apollo sees an ordinary request. */
function supplyQuery(req: GraphQLHttpRequest, text: string): void {
  if (req.method === "GET") {
    const params = new URLSearchParams(req.search);
    params.delete("documentId");
    params.set("query", text);
    req.search = `?${params.toString()}`;
    return;
  }
  const body = req.body as Record<string, unknown>;
  delete body.documentId;
  body.query = text;
}

/**
 * Trusted documents (README: "Client workflow"). A client sends a manifest id as
 * `{"documentId": "<id>"}` or as APQ's `extensions.persistedQuery.sha256Hash`; in `enforce`
 * mode nothing else runs (refused before it is parsed), except for admins when
 * `adminBypass` is on, so developers can explore production. Resolves to null when the
 * request may go on (with any id replaced by its document), or to the refusal.
 */
export class TrustedDocuments {
  constructor(
    private readonly manifest: PersistedDocuments,
    private readonly mode: TrustedDocumentsMode,
    private readonly adminBypass: boolean,
  ) {}

  /** `viewer` verifies the caller's token when (and only when) the admin bypass needs it. */
  async check(req: GraphQLHttpRequest, viewer: () => Promise<Viewer | null>): Promise<Refusal | null> {
    if (req.method !== "GET" && req.method !== "POST") return null;
    const { manifest, mode } = this;
    if (mode === "allow" && req.method === "POST" && !hasPersistedId(req.body)) return null; // the common case, without parsing anything
    const ask = readAsk(req);
    if (ask.documentId !== undefined) {
      if (mode === "off") return { status: 400, code: ErrorCode.PersistedQueryNotSupported, message: "documentId is not accepted here: send the query text" };
      const text = manifest.text(ask.documentId);
      if (!text) return { status: 400, code: ErrorCode.PersistedQueryNotFound, message: `Unknown documentId "${ask.documentId}": it is not in the persisted documents manifest` };
      supplyQuery(req, text);
      return null;
    }
    if (ask.apqHash && ask.query === undefined && mode !== "off") {
      const text = manifest.text(ask.apqHash);
      if (text) {
        supplyQuery(req, text);
        return null;
      }
    }
    if (mode !== "enforce" || (ask.query !== undefined && manifest.isTrusted(ask.query))) return null;
    if (this.adminBypass && (await viewer().catch(() => null))?.role === "admin") return null;
    return { status: 400, code: ErrorCode.PersistedQueryNotAllowed, message: "Only trusted documents run here: send a persisted operation by its id ({\"documentId\": \"<id>\"})" };
  }
}

function hasPersistedId(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const b = body as { documentId?: unknown; extensions?: { persistedQuery?: unknown } };
  return b.documentId !== undefined || b.extensions?.persistedQuery !== undefined;
}
