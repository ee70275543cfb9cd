import type { IncomingMessage, ServerResponse } from "node:http";
import type { JWTPayload } from "jose";
import { generators, type TokenSet } from "openid-client";
import type { Logger } from "pino";
import type { SessionConfig } from "../../config/session-config";
import { UnauthenticatedError } from "../../errors/bff-errors";
import type { Viewer } from "../viewer";
import { checkOrigin, ownOrigin } from "./csrf-origin";
import type { RelyingParty } from "./oidc-relying-party";
import type { CookieSealer } from "./sealed-cookie";
import { sessionFrom, type SessionData } from "./session-data";
import { readCookie, redirect, safeReturnTo, setCookie } from "./session-io";

/** The login in progress, between /auth/login and /auth/callback (its own short-lived sealed cookie). */
interface LoginTransaction extends JWTPayload {
  readonly state: string;
  readonly nonce: string;
  readonly cv: string;
  readonly returnTo: string;
  readonly redirectUri: string;
}

const LOGIN_TTL_MS = 10 * 60_000;

/**
 * Browser sessions, the OAuth BFF pattern: the authorization code flow with PKCE, state and
 * nonce runs here, tokens stay here (sealed in an HttpOnly cookie the browser cannot read), and
 * access tokens are refreshed before they expire. Process lifetime; holds no session state
 * except refreshes in flight (one per refresh token).
 */
export class Sessions {
  private readonly refreshing = new Map<string, Promise<{ data: SessionData; cookie: string }>>();
  private readonly loginCookie: string;

  constructor(
    readonly config: SessionConfig,
    private readonly rp: RelyingParty,
    private readonly sealer: CookieSealer,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {
    this.loginCookie = config.cookieSecure ? "__Host-bff-login" : "bff-login";
  }

  /** Whether the request may carry the session cookie: a substring test, cheap enough for every request. */
  hasCookie(req: IncomingMessage): boolean {
    return req.headers.cookie?.includes(this.config.cookieName) === true;
  }

  /** GET /auth/login?returnTo=/path: to the provider, with PKCE (S256), state and nonce. */
  async startLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://bff");
    const returnTo = safeReturnTo(url.searchParams.get("returnTo"));
    const redirectUri = this.config.oidc.redirectUri ?? `http://${req.headers.host ?? "localhost"}/auth/callback`;
    const client = await this.rp.get();
    const tx: LoginTransaction = {
      state: generators.state(),
      nonce: generators.nonce(),
      cv: generators.codeVerifier(),
      returnTo,
      redirectUri,
    };
    const location = client.authorizationUrl({
      scope: this.config.oidc.scope,
      redirect_uri: redirectUri,
      response_type: "code",
      code_challenge: generators.codeChallenge(tx.cv),
      code_challenge_method: "S256",
      state: tx.state,
      nonce: tx.nonce,
    });
    const sealed = await this.sealer.seal(tx, this.now() + LOGIN_TTL_MS);
    setCookie(res, this.loginCookie, sealed, LOGIN_TTL_MS, this.config.cookieSecure);
    redirect(res, 302, location);
  }

  /** GET /auth/callback: checks state, nonce and the code verifier, then starts the session. */
  async finishLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = readCookie(req, this.loginCookie);
    const tx = raw ? await this.sealer.open<LoginTransaction>(raw) : null;
    if (!tx) throw new UnauthenticatedError("No sign-in in progress, or it expired: start again at /auth/login", 401);
    const client = await this.rp.get();
    const params = client.callbackParams(req);
    if (params.error) throw new UnauthenticatedError(`The identity provider refused the sign-in: ${params.error}`, 401);
    let tokens: TokenSet;
    try {
      tokens = await client.callback(tx.redirectUri, params, {
        state: tx.state,
        nonce: tx.nonce,
        code_verifier: tx.cv,
        response_type: "code",
      });
    } catch (error) {
      if ((error as { name?: string }).name === "RPError" || (error as { name?: string }).name === "OPError") {
        throw new UnauthenticatedError(`Sign-in failed: ${(error as Error).message}`, 401);
      }
      throw error;
    }
    const data = sessionFrom(tokens, this.now() + this.config.ttlMs, undefined, this.now());
    setCookie(res, this.loginCookie, "", 0, this.config.cookieSecure);
    setCookie(
      res,
      this.config.cookieName,
      await this.sealer.seal(data, data.exp * 1000),
      data.exp * 1000 - this.now(),
      this.config.cookieSecure,
    );
    redirect(res, 302, tx.returnTo);
  }

  /**
   * The signed-in session of a request: undefined without the cookie; UnauthenticatedError (401,
   * the cookie cleared) when it does not open or has expired. Refreshes the access token when it
   * expires within the skew, and sends the renewed cookie with this response.
   */
  async resolve(req: IncomingMessage, res: ServerResponse): Promise<SessionData | undefined> {
    const raw = readCookie(req, this.config.cookieName);
    if (raw === undefined) return undefined;
    const data = await this.sealer.open<SessionData>(raw);
    if (!data || typeof data.sub !== "string" || typeof data.at !== "string") {
      setCookie(res, this.config.cookieName, "", 0, this.config.cookieSecure);
      throw new UnauthenticatedError("Session expired or invalid: sign in again", 401);
    }
    if (data.ate - this.config.refreshSkewMs > this.now()) return data;
    return this.refreshed(data, res);
  }

  /** /graphql: the viewer of a cookie-authenticated request, after its CSRF checks. Undefined without the cookie. */
  async viewerFrom(req: IncomingMessage, res: ServerResponse): Promise<Viewer | undefined> {
    if (readCookie(req, this.config.cookieName) === undefined) return undefined;
    checkOrigin(req, this.config);
    const data = await this.resolve(req, res);
    return data ? { id: data.sub, role: data.role } : undefined;
  }

  /** POST /auth/logout: clears the cookie, revokes the refresh token, and ends the session at the provider where it can. */
  async logout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkOrigin(req, this.config);
    const raw = readCookie(req, this.config.cookieName);
    const data = raw ? await this.sealer.open<SessionData>(raw) : null;
    setCookie(res, this.config.cookieName, "", 0, this.config.cookieSecure);
    const afterLogout = this.config.oidc.postLogoutRedirectUri ?? `${ownOrigin(req, this.config)}/`;
    const client = await this.rp.get().catch(() => null);
    if (!data || !client) return redirect(res, 303, afterLogout);
    if (data.rt && client.issuer.metadata.revocation_endpoint) {
      await client
        .revoke(data.rt, "refresh_token")
        .catch((error: Error) => this.logger.warn({ err: error.message }, "refresh token revocation failed"));
    }
    if (!client.issuer.metadata.end_session_endpoint) return redirect(res, 303, afterLogout);
    redirect(res, 303, client.endSessionUrl({ id_token_hint: data.idt, post_logout_redirect_uri: afterLogout }));
  }

  private async refreshed(data: SessionData, res: ServerResponse): Promise<SessionData> {
    const { rt } = data;
    if (!rt) return this.stillValid(data, res, "no refresh token");
    let pending = this.refreshing.get(rt);
    if (!pending) {
      pending = this.refresh(data, rt).finally(() => this.refreshing.delete(rt));
      this.refreshing.set(rt, pending);
    }
    try {
      const next = await pending;
      setCookie(res, this.config.cookieName, next.cookie, next.data.exp * 1000 - this.now(), this.config.cookieSecure);
      return next.data;
    } catch (error) {
      return this.stillValid(data, res, (error as Error).message);
    }
  }

  private async refresh(data: SessionData, rt: string): Promise<{ data: SessionData; cookie: string }> {
    const client = await this.rp.get();
    const tokens = await client.refresh(rt);
    const next = sessionFrom(tokens, data.exp * 1000, data, this.now());
    return { data: next, cookie: await this.sealer.seal(next, next.exp * 1000) };
  }

  /** A refresh that failed: the session goes on until its access token expires, then it ends. */
  private stillValid(data: SessionData, res: ServerResponse, reason: string): SessionData {
    this.logger.warn({ user: data.sub, reason }, "session refresh failed");
    if (data.ate > this.now()) return data;
    setCookie(res, this.config.cookieName, "", 0, this.config.cookieSecure);
    throw new UnauthenticatedError("Session could not be renewed: sign in again", 401);
  }
}
