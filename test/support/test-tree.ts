import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

const SOURCE_EXTENSIONS = [".ts", ".js", ".mjs", ".cjs"];

/** Every file under `dir`, as paths relative to `root` with forward slashes. */
export function filesUnder(root: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.push(relative(root, path).split(sep).join("/"));
    }
  };
  if (existsSync(join(root, dir))) walk(join(root, dir));
  return found.sort();
}

/**
 * The source file a unit test mirrors: `test/unit/<path>.test.ts` tests `<path>.ts`. A file with
 * several test files names the aspect after a dot: `test/unit/src/config.tracing.test.ts` tests
 * `src/config.ts`. Null when there is no such source (the test is misplaced or its twin is gone).
 */
export function sourceTwin(root: string, testPath: string): string | null {
  const match = /^test\/unit\/(.+)\.test\.ts$/.exec(testPath);
  if (!match?.[1]) return null;
  const stem = match[1];
  const candidates = [stem];
  const aspect = /^(.+)\.[a-z0-9-]+$/.exec(stem);
  if (aspect?.[1]) candidates.push(aspect[1]);
  for (const candidate of candidates) {
    for (const ext of SOURCE_EXTENSIONS) if (existsSync(join(root, candidate + ext))) return candidate + ext;
  }
  return null;
}
