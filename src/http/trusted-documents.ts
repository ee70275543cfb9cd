import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { TokenVerifier } from "../auth/token-verifier";
import type { Viewer } from "../auth/viewer";
import { ErrorCode } from "../errors/bff-errors";
import { refuse } from "./request-guards";

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

/** What one request asks for, whether it came as a JSON body (POST) or as URL parameters (GET). */
interface Ask {
  documentId?: string;
  apqHash?: string;
  query?: string;
}

function readAsk(req: Request): Ask {
  if (req.method === "GET") {
    const params = new URL(req.url, "http://bff").searchParams;
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
function supplyQuery(req: Request, text: string): void {
  if (req.method === "GET") {
    const url = new URL(req.url, "http://bff");
    url.searchParams.delete("documentId");
    url.searchParams.set("query", text);
    req.url = `${url.pathname}${url.search}`;
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
 * `adminBypass` is on, so developers can explore production.
 */
export function trustedDocuments(manifest: PersistedDocuments, mode: TrustedDocumentsMode, adminBypass: boolean, verifier: TokenVerifier): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "GET" && req.method !== "POST") return next();
    const ask = readAsk(req);
    if (ask.documentId !== undefined) {
      if (mode === "off") return refuse(res, 400, ErrorCode.PersistedQueryNotSupported, "documentId is not accepted here: send the query text");
      const text = manifest.text(ask.documentId);
      if (!text) return refuse(res, 400, ErrorCode.PersistedQueryNotFound, `Unknown documentId "${ask.documentId}": it is not in the persisted documents manifest`);
      supplyQuery(req, text);
      return next();
    }
    if (ask.apqHash && ask.query === undefined && mode !== "off") {
      const text = manifest.text(ask.apqHash);
      if (text) {
        supplyQuery(req, text);
        return next();
      }
    }
    if (mode !== "enforce" || (ask.query !== undefined && manifest.isTrusted(ask.query))) return next();
    if (adminBypass && (await viewerOf(req, res, verifier))?.role === "admin") return next();
    refuse(res, 400, ErrorCode.PersistedQueryNotAllowed, "Only trusted documents run here: send a persisted operation by its id ({\"documentId\": \"<id>\"})");
  };
}

/** Verifies the token once; the context reuses the result (res.locals.viewer). */
async function viewerOf(req: Request, res: Response, verifier: TokenVerifier): Promise<Viewer | null> {
  try {
    const viewer = await verifier.viewerFrom(req.get("authorization"));
    res.locals.viewer = viewer;
    return viewer;
  } catch {
    return null; // the context refuses the token with 401 when the request gets that far
  }
}
