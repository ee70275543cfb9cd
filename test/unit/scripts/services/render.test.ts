import { loadServices, validateServices } from "../../../../scripts/services/list.cjs";
import {
  dataSourcesTs,
  demoServicesTs,
  deployRegions,
  generatedFiles,
  replaceRegion,
  servicesTs,
} from "../../../../scripts/services/render.cjs";

const SEVENTH = { name: "loyalty", port: 4007, webhooks: "invalidation" };
const services = validateServices({ services: [...loadServices(), SEVENTH] });

describe("what is rendered from the list", () => {
  test("src/services.ts: names, invalidating services and demo ports, as literal types", () => {
    const text = servicesTs(services);
    expect(text).toContain('  "loyalty",\n] as const;\nexport type ServiceName');
    const invalidating = '  "accounts",\n  "loyalty",\n] as const;\nexport type Invalidating';
    expect(text).toContain(invalidating);
    expect(text).toContain("  loyalty: 4007,\n};");
    expect(text.split("\n").filter((line) => line.length > 100)).toEqual([]);
  });

  test("the datasource registry: interface member and client, by the folder convention", () => {
    const text = dataSourcesTs(services);
    expect(text).toContain('import { LoyaltyApi } from "./loyalty/loyalty.api";');
    expect(text).toContain('import type { LoyaltySource } from "./loyalty/loyalty.model";');
    expect(text).toContain("  readonly loyalty: LoyaltySource;");
    expect(text).toContain('    loyalty: new LoyaltyApi(source("loyalty")),');
  });

  test("the demo upstream registry", () => {
    const text = demoServicesTs(services);
    expect(text).toContain('import { loyaltyRoutes } from "./loyalty";');
    expect(text).toContain("  loyalty: loyaltyRoutes,");
  });

  test("deploy: compose, the ConfigMap, the Secret's keys (webhook secrets of senders)", () => {
    const regions = deployRegions(services);
    expect(regions["deploy/compose.yaml"]).toEqual(
      expect.arrayContaining(["LOYALTY_URL: http://upstreams:4007", "LOYALTY_API_KEY: dev-loyalty-key"]),
    );
    expect(regions["deploy/kubernetes/bff.yaml"]).toContain("LOYALTY_URL: http://loyalty.storefront.svc.cluster.local");
    const secrets = regions["deploy/kubernetes/bff.secrets.env.example"];
    expect(secrets).toEqual(
      expect.arrayContaining(["LOYALTY_API_KEY=", "LOYALTY_WEBHOOK_SECRET=whsec_", "PAYMENTS_WEBHOOK_SECRET=whsec_"]),
    );
    expect(secrets).not.toContain("ORDERS_WEBHOOK_SECRET=whsec_");
    expect(Object.keys(generatedFiles(services)).sort()).toEqual([
      "datasources/registry.ts",
      "src/services.ts",
      "upstreams/services/index.ts",
    ]);
  });

  test("a region is replaced between its markers, indented like them; the rest is kept", () => {
    const text = "a:\n  # begin services.json: derived\n  OLD: 1\n  # end services.json\nb: 2\n";
    expect(replaceRegion(text, ["X: 1", "Y: 2"], "f.yaml")).toBe(
      "a:\n  # begin services.json: derived\n  X: 1\n  Y: 2\n  # end services.json\nb: 2\n",
    );
    expect(() => replaceRegion("a: 1\n", [], "f.yaml")).toThrow(
      'f.yaml: no "# begin services.json" ... "# end services.json" region',
    );
    expect(() => replaceRegion("# begin services.json\n", [], "f.yaml")).toThrow(/f\.yaml: no/);
  });
});
