// The one list of upstream services (services.json at the root) and what is derived from it
// without writing files: names, environment prefixes, codegen inputs, lint patterns. CommonJS, so
// that TypeScript tests (require), ESM scripts (import) and eslint.config.mjs read it alike.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const ROOT = join(__dirname, "..", "..");
const NAME = /^[a-z][a-z0-9]*$/;
const ROLES = ["invalidation", "checkout"];
const KEYS = ["name", "port", "webhooks"];
/** Folder names a service may not take (datasources/shared, upstreams' own files). */
const RESERVED = ["shared", "index", "registry", "kit", "demo", "main", "start"];
/** The BFF's own port: no demo upstream may take it. */
const BFF_PORT = 4000;

/**
 * Checks a parsed services.json and returns its services; throws one Error that lists every
 * problem (as parseConfig does), so that one run shows all of them.
 */
function validateServices(json, source = "services.json") {
  const problems = [];
  const list = json && Array.isArray(json.services) ? json.services : null;
  if (!list || list.length === 0) {
    throw new Error(`${source}: "services" must be a non-empty array`);
  }
  const seen = { names: new Set(), ports: new Set() };
  list.forEach((entry, i) => {
    const at = `${source}: services[${i}]`;
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) {
      problems.push(`${at} must be an object like {"name": "catalog", "port": 4001}`);
      return;
    }
    const unknown = Object.keys(entry).filter((key) => !KEYS.includes(key));
    if (unknown.length) {
      problems.push(`${at} has unknown keys ${unknown.join(", ")} (known: ${KEYS.join(", ")})`);
    }
    const { name, port, webhooks } = entry;
    if (typeof name !== "string" || !NAME.test(name) || RESERVED.includes(name)) {
      const rule = `letters a-z and digits, starting with a letter (not ${RESERVED.join(", ")})`;
      problems.push(`${at}.name must be ${rule}, got ${JSON.stringify(name)}`);
    } else if (seen.names.has(name)) problems.push(`${at}.name "${name}" is listed twice`);
    else seen.names.add(name);
    if (!Number.isInteger(port) || port < 1024 || port > 65_535 || port === BFF_PORT) {
      const rule = `an integer in 1024..65535 other than ${BFF_PORT}`;
      problems.push(`${at}.port must be ${rule}, got ${JSON.stringify(port)}`);
    } else if (seen.ports.has(port)) {
      problems.push(`${at}.port ${port} is taken by another service`);
    } else seen.ports.add(port);
    if (webhooks != null && !ROLES.includes(webhooks)) {
      const rule = `${ROLES.join(" or ")} (or absent)`;
      problems.push(`${at}.webhooks must be ${rule}, got ${JSON.stringify(webhooks)}`);
    }
  });
  if (problems.length) throw new Error(`invalid service list:\n  ${problems.join("\n  ")}`);
  return list.map(({ name, port, webhooks }) => Object.freeze({ name, port, webhooks: webhooks ?? null }));
}

/** Reads and checks `<root>/services.json`. */
function loadServices(root = ROOT) {
  const path = join(root, "services.json");
  let json;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`services.json: ${error.message}`, { cause: error });
  }
  return validateServices(json);
}

/** `catalog` -> `CATALOG`: the prefix of every variable of the service (`CATALOG_URL`, ...). */
const envPrefix = (name) => name.toUpperCase();
/** `catalog` -> `Catalog`: the prefix of its classes (`CatalogApi`, `CatalogSource`). */
const pascal = (name) => name[0].toUpperCase() + name.slice(1);

/** What scripts/openapi-types.mjs generates: one TypeScript file per service's OpenAPI spec. */
const openapiJobs = (services, specDir = "contract/upstream") =>
  services.map(({ name }) => ({
    service: name,
    spec: join(specDir, `${name}.openapi.yaml`),
    target: join("datasources", name, `${name}.openapi.ts`),
  }));

/** no-restricted-imports patterns for datasources/: a service folder never imports another one. */
const crossServiceImportPatterns = (services) => services.map(({ name }) => `../${name}/*`);

/** The files a service's own code lives in, by convention (checked before generating). */
const conventionFiles = (name) => [
  { path: `datasources/${name}/${name}.api.ts`, exports: `${pascal(name)}Api` },
  { path: `datasources/${name}/${name}.model.ts`, exports: `${pascal(name)}Source` },
  { path: `upstreams/services/${name}.ts`, exports: `${name}Routes` },
  { path: `contract/upstream/${name}.openapi.yaml`, exports: null },
];

module.exports = {
  ROOT,
  validateServices,
  loadServices,
  envPrefix,
  pascal,
  openapiJobs,
  crossServiceImportPatterns,
  conventionFiles,
};
