// What the bench's own servers (the reference, the lean one) share: the caller a bearer token
// names, and running as a process of their own (`node dist/bench/<name>/server.js`).
import { jwtVerify } from "jose";
import { parseConfig, type Config } from "../src/config";

export interface BenchViewer {
  readonly id: string;
  readonly role: "customer" | "admin";
}

/** Verifies `Bearer <JWT>` (HS256, the configured issuer and audience): null without a header; rejects a bad token. */
export function tokenVerifier(config: Config): (authorization: string | undefined) => Promise<BenchViewer | null> {
  const secret = new TextEncoder().encode(config.jwt.secret ?? "");
  return async (authorization) => {
    if (!authorization) return null;
    const { payload } = await jwtVerify(authorization.replace(/^Bearer /, ""), secret, {
      algorithms: ["HS256"],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      requiredClaims: ["exp", "sub"],
    });
    return { id: payload.sub as string, role: payload.role === "admin" ? "admin" : "customer" };
  };
}

/** Starts `start` from the environment, prints its URL as one JSON line, and stops it on SIGINT or SIGTERM. */
export function runServerProcess(
  name: string,
  start: (config: Config) => Promise<{ url: string; stop: () => Promise<void> }>,
): void {
  start(parseConfig(process.env))
    .then(({ url, stop }) => {
      console.log(JSON.stringify({ msg: `${name} ready`, url }));
      const exit = (): void => void stop().then(() => process.exit(0));
      process.on("SIGINT", exit);
      process.on("SIGTERM", exit);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
