import type { Logger } from "pino";
import type { Viewer } from "../auth/viewer";
import { ErrorCode } from "../errors/bff-errors";
import type { PersistedDocuments, TrustPolicy } from "./persisted-documents";

export { PersistedDocuments, TrustPolicy, type TrustedDocumentsMode } from "./persisted-documents";

/** A GraphQL request as it arrived: a JSON body (POST) or URL parameters (GET). */
export interface GraphQLHttpRequest {
  readonly method: string;
  /** The query string, with its leading "?" (or ""). */
  search: string;
  body: unknown;
  /** The client app, as Apollo Client names it (`apollographql-client-name`). */
  readonly clientName?: string;
  /**
   * Set by TrustedDocuments: the request runs a manifest query (by id or by its exact text). Such a
   * GET needs no CSRF preflight header: it can only read what a published operation reads.
   */
  trustedQuery?: boolean;
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
  operationName?: string;
}

function readAsk(req: GraphQLHttpRequest): Ask {
  if (req.method === "GET") {
    const params = new URLSearchParams(req.search);
    let apqHash: string | undefined;
    try {
      apqHash = (JSON.parse(params.get("extensions") ?? "{}") as { persistedQuery?: { sha256Hash?: string } })
        .persistedQuery?.sha256Hash;
    } catch {
      /* Apollo answers malformed extensions itself */
    }
    return {
      documentId: params.get("documentId") ?? undefined,
      apqHash,
      query: params.get("query") ?? undefined,
      operationName: params.get("operationName") ?? undefined,
    };
  }
  const body = (req.body ?? {}) as {
    documentId?: unknown;
    query?: unknown;
    operationName?: unknown;
    extensions?: { persistedQuery?: { sha256Hash?: unknown } };
  };
  const hash = body.extensions?.persistedQuery?.sha256Hash;
  return {
    documentId: typeof body.documentId === "string" ? body.documentId : undefined,
    apqHash: typeof hash === "string" ? hash : undefined,
    query: typeof body.query === "string" ? body.query : undefined,
    operationName: typeof body.operationName === "string" ? body.operationName : undefined,
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
 * Trusted documents (docs/clients/persisted-documents.md). A client sends a manifest id as
 * `{"documentId": "<id>"}` or as APQ's `extensions.persistedQuery.sha256Hash`; in `enforce`
 * mode nothing else runs (refused before it is parsed), except for admins when
 * `adminBypass` is on, so developers can explore production. The mode is the client app's
 * (`apollographql-client-name`, see TrustPolicy); an app still in `allow` mode gets each operation
 * outside the manifests logged, so it can be enforced once that log is quiet. Resolves to null
 * when the request may go on (with any id replaced by its document), or to the refusal.
 */
export class TrustedDocuments {
  constructor(
    private readonly manifest: PersistedDocuments,
    private readonly policy: TrustPolicy,
    private readonly adminBypass: boolean,
    private readonly logger: Logger,
  ) {}

  /** `viewer` verifies the caller's token when (and only when) the admin bypass needs it. */
  async check(
    req: GraphQLHttpRequest,
    viewer: () => Promise<Viewer | null>,
    requestId?: string,
  ): Promise<Refusal | null> {
    if (req.method !== "GET" && req.method !== "POST") return null;
    const { manifest } = this;
    const client = req.clientName;
    const mode = this.policy.modeFor(client);
    // The common case, without parsing anything: an unnamed caller posting a document in `allow` mode.
    if (mode === "allow" && client === undefined && req.method === "POST" && !hasPersistedId(req.body)) return null;
    const ask = readAsk(req);
    if (ask.documentId !== undefined) {
      if (mode === "off")
        return {
          status: 400,
          code: ErrorCode.PersistedQueryNotSupported,
          message: "documentId is not accepted here: send the query text",
        };
      const doc = manifest.get(ask.documentId);
      if (!doc)
        return {
          status: 400,
          code: ErrorCode.PersistedQueryNotFound,
          message: `Unknown documentId "${ask.documentId}": it is not in the persisted documents manifest`,
        };
      supplyQuery(req, doc.text);
      req.trustedQuery = doc.isQuery;
      return null;
    }
    if (ask.apqHash && ask.query === undefined && mode !== "off") {
      const doc = manifest.get(ask.apqHash);
      if (doc) {
        supplyQuery(req, doc.text);
        req.trustedQuery = doc.isQuery;
        return null;
      }
    }
    // One hash of the text, only when something depends on it.
    const known =
      ask.query !== undefined && (mode === "enforce" || client !== undefined || req.method === "GET")
        ? manifest.find(ask.query)
        : undefined;
    req.trustedQuery = known?.isQuery === true;
    if (mode === "allow" && client !== undefined && ask.query !== undefined && !known) {
      this.logger.warn(
        { client, operationName: ask.operationName ?? null, requestId: requestId ?? null },
        "operation outside the persisted documents manifests",
      );
    }
    if (mode !== "enforce" || known) return null;
    if (this.adminBypass && (await viewer().catch(() => null))?.role === "admin") return null;
    return {
      status: 400,
      code: ErrorCode.PersistedQueryNotAllowed,
      message: 'Only trusted documents run here: send a persisted operation by its id ({"documentId": "<id>"})',
    };
  }
}

function hasPersistedId(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const b = body as { documentId?: unknown; extensions?: { persistedQuery?: unknown } };
  return b.documentId !== undefined || b.extensions?.persistedQuery !== undefined;
}
