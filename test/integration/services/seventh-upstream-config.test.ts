// A seventh service in services.json: src/config.ts reads its settings as any service's.
import ts from "typescript";
import { loadServices, validateServices } from "../../../scripts/services/list.cjs";
import { servicesTs } from "../../../scripts/services/render.cjs";
import type { ConfigError, parseConfig as ParseConfig } from "../../../src/config";
import { SEVENTH } from "../../support/seventh-service";

describe("configuration of a seventh service (parseConfig over the list rendered with it)", () => {
  const services = validateServices({ services: [...loadServices(), SEVENTH] });
  const urlsOf = (list: ReadonlyArray<{ name: string }>) =>
    Object.fromEntries(list.map((s) => [`${s.name.toUpperCase()}_URL`, `http://${s.name}.x`]));
  /** src/config.ts as it is, over the src/services.ts `npm run codegen:services` would write. */
  const parseConfigWithSeventh = (): typeof ParseConfig => {
    const options = { compilerOptions: { module: ts.ModuleKind.CommonJS } };
    const generated: Record<string, unknown> = {};
    const js = ts.transpileModule(servicesTs(services), options).outputText;
    new Function("exports", js)(generated);
    let parse: typeof ParseConfig | undefined;
    jest.isolateModules(() => {
      jest.doMock("../../../src/services", () => generated);
      parse = (jest.requireActual("../../../src/config") as { parseConfig: typeof ParseConfig }).parseConfig;
    });
    return parse as typeof ParseConfig;
  };
  const loyalty = (record: object): unknown => (record as Record<string, unknown>).loyalty;

  test("its URL, key, timeout, resilience and webhook secret are read as any service's", () => {
    const config = parseConfigWithSeventh()({
      ...urlsOf(services),
      LOYALTY_API_KEY: "k7",
      LOYALTY_TIMEOUT_MS: "750",
      LOYALTY_RETRIES: "1",
      LOYALTY_WEBHOOK_SECRET: "whsec_bG95YWx0eQ==",
    });
    expect(loyalty(config.upstreamUrls ?? {})).toBe("http://loyalty.x");
    expect(loyalty(config.apiKeys)).toBe("k7");
    expect(loyalty(config.upstreamTimeoutMs)).toBe(750);
    expect(loyalty(config.resilience)).toMatchObject({ retries: 1 });
    expect(loyalty(config.webhookSecrets)).toEqual({ value: "whsec_bG95YWx0eQ==" });
  });

  test("its URL is one of the all-or-none set, and production requires its key", () => {
    let problems: string[] = [];
    try {
      parseConfigWithSeventh()({ ...urlsOf(loadServices()), NODE_ENV: "production" });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        "set all 7 upstream URLs or none; missing LOYALTY_URL",
        expect.stringMatching(/^LOYALTY_API_KEY is required in production/),
      ]),
    );
  });
});
