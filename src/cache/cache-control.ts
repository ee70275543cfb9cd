/** The parts of an upstream's Cache-Control that decide whether and how long a shared cache may keep a response. */
export interface Freshness {
  /** May be kept in a cache shared by all users. */
  readonly shareable: boolean;
  readonly maxAgeMs: number;
}

const NOT_SHAREABLE: Freshness = { shareable: false, maxAgeMs: 0 };

/**
 * `no-store`, `no-cache` and `private` are never shared; otherwise `s-maxage` or `max-age`
 * decides. A response without either is not cached: freshness always comes from the upstream.
 */
export function parseCacheControl(header: string | undefined): Freshness {
  if (!header) return NOT_SHAREABLE;
  const directives = new Map<string, string | undefined>();
  for (const part of header.toLowerCase().split(",")) {
    const [name, value] = part.trim().split("=", 2);
    if (name) directives.set(name, value?.replace(/"/g, ""));
  }
  if (directives.has("no-store") || directives.has("no-cache") || directives.has("private")) return NOT_SHAREABLE;
  const seconds = Number(directives.get("s-maxage") ?? directives.get("max-age"));
  if (!Number.isFinite(seconds) || seconds <= 0) return NOT_SHAREABLE;
  return { shareable: true, maxAgeMs: seconds * 1000 };
}
