import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { negotiateEncoding } from "./http/compression";

/**
 * The offline explorer at /explorer: GraphiQL's UMD build and React's, served from the project's
 * own node_modules (no CDN), opening on a runnable example. Development only by default
 * (`EXPLORER`). Assets are read and compressed once, on their first request, then kept.
 */
export const EXPLORER_PATH = "/explorer";

/** Files of the packages' UMD builds (not in their `exports`: found beside their package.json). */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  "react.js": { pkg: "react", file: "umd/react.production.min.js", type: "text/javascript; charset=utf-8" },
  "react-dom.js": { pkg: "react-dom", file: "umd/react-dom.production.min.js", type: "text/javascript; charset=utf-8" },
  "graphiql.js": { pkg: "graphiql", file: "graphiql.min.js", type: "text/javascript; charset=utf-8" },
  "graphiql.css": { pkg: "graphiql", file: "graphiql.min.css", type: "text/css; charset=utf-8" },
};

export interface ExplorerExample {
  readonly document: string;
  readonly variables: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

interface Asset {
  readonly type: string;
  readonly identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

/** JSON that is safe inside an inline <script> (no `</script>`, no HTML comment openers). */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c");

function page(graphqlPath: string, example: ExplorerExample): string {
  const settings = {
    url: graphqlPath,
    query: example.document,
    variables: JSON.stringify(example.variables, null, 2),
    headers: JSON.stringify(example.headers, null, 2),
  };
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Storefront BFF explorer</title>
  <link rel="stylesheet" href="${EXPLORER_PATH}/assets/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading the explorer…</div>
  <script src="${EXPLORER_PATH}/assets/react.js"></script>
  <script src="${EXPLORER_PATH}/assets/react-dom.js"></script>
  <script src="${EXPLORER_PATH}/assets/graphiql.js"></script>
  <script>
    const settings = ${scriptJson(settings)};
    const fetcher = GraphiQL.createFetcher({ url: settings.url });
    ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: settings.query,
      query: settings.query,
      variables: settings.variables,
      headers: settings.headers,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: true,
    }));
  </script>
</body>
</html>
`;
}

/** The explorer's handler; `path` is the request's path, under EXPLORER_PATH. */
export function explorerHandler(
  graphqlPath: string,
  example: ExplorerExample,
): (req: IncomingMessage, res: ServerResponse, path: string) => void {
  const html = Buffer.from(page(graphqlPath, example));
  const loaded = new Map<string, Asset>();
  const asset = (name: string): Asset | undefined => {
    const spec = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!spec) return undefined;
    let found = loaded.get(name);
    if (!found) {
      found = {
        type: spec.type,
        identity: readFileSync(join(dirname(require.resolve(`${spec.pkg}/package.json`)), spec.file)),
      };
      loaded.set(name, found);
    }
    return found;
  };
  return (req, res, path) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.statusCode = 405;
      res.setHeader("allow", "GET, HEAD");
      res.end();
      return;
    }
    if (path === EXPLORER_PATH || path === `${EXPLORER_PATH}/`) {
      res.setHeader("cache-control", "no-store"); // it carries a development token
      return send(req, res, { type: "text/html; charset=utf-8", identity: html });
    }
    let found: Asset | undefined;
    try {
      found = path.startsWith(`${EXPLORER_PATH}/assets/`) ? asset(path.slice(EXPLORER_PATH.length + 8)) : undefined;
    } catch {
      res.statusCode = 500; // installed without its dependencies (npm ci --omit=dev keeps them: they are dependencies)
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.end("The explorer's files are missing: run npm install\n");
      return;
    }
    if (!found) {
      res.statusCode = 404;
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.end(`Not found: the explorer is at ${EXPLORER_PATH}\n`);
      return;
    }
    res.setHeader("cache-control", "public, max-age=3600");
    send(req, res, found);
  };
}

/** Sends a static body, compressed once per encoding and kept (good levels: paid once per process). */
function send(req: IncomingMessage, res: ServerResponse, asset: Asset): void {
  const encoding = negotiateEncoding(req);
  let body = asset.identity;
  if (encoding === "br")
    body = asset.br ??= brotliCompressSync(asset.identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 6 } });
  if (encoding === "gzip") body = asset.gzip ??= gzipSync(asset.identity, { level: 9 });
  res.statusCode = 200;
  res.setHeader("content-type", asset.type);
  res.setHeader("vary", "Accept-Encoding");
  if (encoding) res.setHeader("content-encoding", encoding);
  res.setHeader("content-length", body.length);
  res.end(req.method === "HEAD" ? undefined : body);
}
