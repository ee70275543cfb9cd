import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseCookies, serialize } from "cookie";

// The HTTP side of browser sessions: their cookies, redirects, and where a sign-in may return to.

/** The value of cookie `name` on the request, if any. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookies(header)[name] || undefined : undefined;
}

/** Adds an HttpOnly, SameSite=Lax cookie to the response; a max age of 0 clears it. */
export function setCookie(res: ServerResponse, name: string, value: string, maxAgeMs: number, secure: boolean): void {
  const cookie = serialize(name, value, {
    httpOnly: true,
    secure,
    sameSite: "lax",
    path: "/",
    maxAge: Math.max(0, Math.floor(maxAgeMs / 1000)),
  });
  const existing = res.getHeader("set-cookie");
  res.setHeader("set-cookie", Array.isArray(existing) ? [...existing, cookie] : [cookie]);
}

/** Only a path on this site (no scheme, no `//host`): an open redirect is refused. */
export function safeReturnTo(value: string | null): string {
  return value && /^\/(?![/\\])/.test(value) ? value : "/";
}

export function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location, "cache-control": "no-store" });
  res.end();
}
