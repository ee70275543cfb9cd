#!/usr/bin/env node
// `npm run codegen:services`: writes everything derived from services.json (the TypeScript list,
// the datasource and demo upstream registries, the per-service lines of the deploy files).
// `--check` writes nothing and exits 1 when a derived file differs (the drift test runs it so).
const { existsSync, readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { ROOT, conventionFiles, loadServices } = require("./list.cjs");
const { deployRegions, generatedFiles, replaceRegion } = require("./render.cjs");

/** Every service's own files must exist before the registries may import them. */
function checkConventions(root, services) {
  const problems = services.flatMap(({ name }) =>
    conventionFiles(name).flatMap(({ path, exports }) => {
      const file = join(root, path);
      if (!existsSync(file)) return [`${name}: ${path} is missing`];
      const kind = "(?:class|interface|type|function|const)";
      const declared = new RegExp(`^export ${kind} ${exports}\\b`, "m");
      if (exports && !declared.test(readFileSync(file, "utf8"))) {
        return [`${name}: ${path} must export ${exports}`];
      }
      return [];
    }),
  );
  if (problems.length) {
    const guide = "docs/maintainers/adding-an-upstream.md";
    const list = problems.join("\n  ");
    throw new Error(`services.json names services whose files are missing (${guide}):\n  ${list}`);
  }
}

/** The derived text of every file, by path relative to `root`. */
function derive(root, services) {
  const files = generatedFiles(services);
  for (const [path, lines] of Object.entries(deployRegions(services))) {
    files[path] = replaceRegion(readFileSync(join(root, path), "utf8"), lines, path);
  }
  return files;
}

/** Writes (or, with `check`, compares) every derived file; returns the paths that were stale. */
function generate(root = ROOT, { check = false } = {}) {
  const services = loadServices(root);
  checkConventions(root, services);
  const stale = [];
  for (const [path, text] of Object.entries(derive(root, services))) {
    const file = join(root, path);
    const current = existsSync(file) ? readFileSync(file, "utf8") : null;
    if (current === text) continue;
    stale.push(path);
    if (!check) writeFileSync(file, text);
  }
  return { services, stale };
}

module.exports = { generate, derive, checkConventions };

if (require.main === module) {
  const check = process.argv.includes("--check");
  try {
    const { services, stale } = generate(ROOT, { check });
    const names = services.map((s) => s.name).join(", ");
    if (check && stale.length) {
      stale.forEach((path) => console.error(`stale: ${path} (run npm run codegen:services)`));
      process.exit(1);
    }
    const done = check ? "up to date" : `wrote ${stale.length} file(s)`;
    console.log(`${services.length} services (${names}); ${done}`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
