#!/usr/bin/env node
// `npm run schema:check [released.graphql] [current.graphql]`: compares the emitted schema with the
// last released one and fails on any change that breaks shipped clients, listing each.
// `--release` records the current schema as released (run it when a version ships).
import { copyFileSync, readFileSync } from "node:fs";
import { CriticalityLevel, diff } from "@graphql-inspector/core";
import { buildSchema } from "graphql";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const [releasedPath = "schema/released.graphql", currentPath = "schema/schema.graphql"] = args;
if (process.argv.includes("--release")) {
  copyFileSync(currentPath, releasedPath);
  console.log(`released: ${currentPath} -> ${releasedPath}`);
  process.exit(0);
}

const load = (path) => buildSchema(readFileSync(path, "utf8"));
const changes = await diff(load(releasedPath), load(currentPath));
const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
const dangerous = changes.filter((c) => c.criticality.level === CriticalityLevel.Dangerous);
for (const change of breaking) console.log(`BREAKING   ${change.message}${change.path ? `  (${change.path})` : ""}`);
for (const change of dangerous) console.log(`dangerous  ${change.message}${change.path ? `  (${change.path})` : ""}`);
console.log(
  breaking.length
    ? `schema: ${breaking.length} breaking change(s) against ${releasedPath}; shipped clients would fail`
    : `schema: no breaking change against ${releasedPath} (${changes.length - dangerous.length} safe, ${dangerous.length} dangerous)`,
);
process.exit(breaking.length ? 1 : 0);
