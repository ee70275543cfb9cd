import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";
import type { Logger } from "pino";

/**
 * Which peers may tell the client's address in X-Forwarded-For, as Express's `trust proxy`:
 * none (false), every peer (true), the nearest `n` hops, or the peers at these addresses and
 * CIDR ranges (and proxy-addr's names `loopback`, `linklocal`, `uniquelocal`).
 */
export type TrustProxy = boolean | number | readonly string[];

/** TRUST_PROXY as Express reads `trust proxy`; a bad address or range is reported, not ignored. */
export function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  const value = raw?.trim() ?? "";
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops <= 100) return hops;
    problems.push(
      `TRUST_PROXY must be true, false, a number of hops (0..100), or addresses and CIDR ranges separated by commas: got ${value} hops`,
    );
    return false;
  }
  const list = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  try {
    proxyaddr.compile(list);
    return list;
  } catch (error) {
    problems.push(
      `TRUST_PROXY must be true, false, a number of hops (0..100), or addresses and CIDR ranges separated by commas: ${(error as Error).message}`,
    );
    return false;
  }
}

/**
 * The client's address of a request: the socket's peer, or, behind trusted proxies, the
 * address X-Forwarded-For gives for the nearest untrusted hop (proxy-addr, as Express does).
 * When no proxy is trusted and requests still carry X-Forwarded-For, says so once: every
 * client behind that proxy would otherwise share one address (and one anonymous rate limit).
 */
export function clientIpResolver(trust: TrustProxy, logger: Logger): (req: IncomingMessage) => string {
  if (trust === false || trust === 0) {
    let warned = false;
    return (req) => {
      if (!warned && req.headers["x-forwarded-for"] !== undefined) {
        warned = true;
        logger.warn(
          { peer: req.socket.remoteAddress },
          "requests carry X-Forwarded-For but no proxy is trusted (TRUST_PROXY): every client behind that proxy shares its address and one anonymous rate limit; set TRUST_PROXY to the proxy's address, range or hop count",
        );
      }
      return req.socket.remoteAddress ?? "unknown";
    };
  }
  const trusted =
    trust === true
      ? () => true
      : typeof trust === "number"
        ? (_address: string, hop: number) => hop < trust
        : proxyaddr.compile([...trust]);
  return (req) =>
    req.headers["x-forwarded-for"] === undefined ? (req.socket.remoteAddress ?? "unknown") : proxyaddr(req, trusted);
}
