import {
  crossServiceImportPatterns,
  envPrefix,
  loadServices,
  openapiJobs,
  pascal,
  validateServices,
} from "../../../../scripts/services/list.cjs";
import { SERVICE_NAMES } from "../../../../src/services";

const SEVENTH = { name: "loyalty", port: 4007 };
const withSeventh = () => validateServices({ services: [...loadServices(), SEVENTH] });

describe("the one list of services (services.json)", () => {
  test("the committed list is valid and is what the TypeScript twin says", () => {
    expect(loadServices().map((s) => s.name)).toEqual([...SERVICE_NAMES]);
  });

  test("a seventh service is one entry more: names, prefixes, codegen inputs, lint rule", () => {
    const services = withSeventh();
    expect(services.at(-1)).toEqual({ name: "loyalty", port: 4007, webhooks: null });
    expect(envPrefix("loyalty")).toBe("LOYALTY");
    expect(pascal("loyalty")).toBe("Loyalty");
    expect(openapiJobs(services).at(-1)).toEqual({
      service: "loyalty",
      spec: "contract/upstream/loyalty.openapi.yaml",
      target: "datasources/loyalty/loyalty.openapi.ts",
    });
    expect(crossServiceImportPatterns(services)).toEqual([...SERVICE_NAMES.map((s) => `../${s}/*`), "../loyalty/*"]);
  });

  test("every problem is reported at once, with where it is", () => {
    const attempt = () =>
      validateServices({
        services: [
          { name: "catalog", port: 4001 },
          { name: "catalog", port: 4001 },
          { name: "Gift-Cards", port: 4000, webhooks: "always", colour: "red" },
          { name: "shared", port: 80 },
          "orders",
        ],
      });
    const at = (i: number) => `  services.json: services[${i}]`;
    const name =
      ".name must be letters a-z and digits, starting with a letter" +
      " (not shared, index, registry, kit, demo, main, start), got";
    const port = ".port must be an integer in 1024..65535 other than 4000, got";
    expect(attempt).toThrow(
      new Error(
        [
          "invalid service list:",
          `${at(1)}.name "catalog" is listed twice`,
          `${at(1)}.port 4001 is taken by another service`,
          `${at(2)} has unknown keys colour (known: name, port, webhooks)`,
          `${at(2)}${name} "Gift-Cards"`,
          `${at(2)}${port} 4000`,
          `${at(2)}.webhooks must be invalidation or checkout (or absent), got "always"`,
          `${at(3)}${name} "shared"`,
          `${at(3)}${port} 80`,
          `${at(4)} must be an object like {"name": "catalog", "port": 4001}`,
        ].join("\n"),
      ),
    );
  });

  test("an empty or missing list is refused", () => {
    expect(() => validateServices({ services: [] })).toThrow('services.json: "services" must be a non-empty array');
    expect(() => validateServices(null)).toThrow('"services" must be a non-empty array');
    expect(() => loadServices("/nonexistent")).toThrow(/^services\.json: ENOENT/);
  });
});
