// The demo identity provider's own pages: the login form and its submission, the sign-out prompt, errors.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { KoaContextWithOIDC, Provider } from "oidc-provider";
import { DEMO_USERS } from "./demo-users";

/** The login form, and its submission: a demo user's id and password. */
export async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === "GET") {
    page(
      res,
      200,
      "Sign in to the storefront",
      `<form method="post" action="/interaction/${details.uid}">
      <label>User id <input name="login" autocomplete="username" autofocus></label>
      <label>Password <input name="password" type="password" autocomplete="current-password"></label>
      <button type="submit">Sign in</button></form>`,
    );
    return;
  }
  const form = new URLSearchParams(await readBody(req));
  const user = DEMO_USERS.find((u) => u.id === form.get("login") && u.password === form.get("password"));
  if (!user) {
    page(
      res,
      401,
      "Sign in to the storefront",
      `<p role="alert">Wrong user id or password.</p><a href="/interaction/${details.uid}">Try again</a>`,
    );
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
}
export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.body = `<!DOCTYPE html><title>Sign out</title><h1>Sign out of the storefront?</h1>${form}
    <button id="sign-out" type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`;
}

export function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) throw new Error("form too large");
  }
  return body;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
