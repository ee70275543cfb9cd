import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The repository root, from source (ts-jest: bench/) or from dist (dist/bench/): the folder holding package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, "package.json")) || existsSync(join(dir, "tsconfig.build.json")) === false) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("bench: cannot find the repository root");
    dir = parent;
  }
  return dir;
}

/** The compiled entry points the bench starts, each in its own process (`npm run build` makes them). */
export const entryPoints = () => {
  const dist = join(repoRoot(), "dist");
  return {
    bff: join(dist, "src/main.js"),
    reference: join(dist, "bench/reference/server.js"),
    lean: join(dist, "bench/lean/server.js"),
    upstreams: join(dist, "upstreams/main.js"),
    loadWorker: join(dist, "bench/load-worker.js"),
  };
};

/** The node flags `npm start` runs the BFF with (package.json): the bench runs it as in production. */
export function productionNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), "package.json"), "utf8")) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  return words.slice(words.indexOf("node") + 1, words.indexOf("dist/src/main.js"));
}
