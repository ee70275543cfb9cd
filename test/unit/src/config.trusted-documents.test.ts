import { ConfigError, parseConfig } from "../../../src/config";
import { serviceEnv } from "../../support/services";

/** The variables of the client-facing features (docs/clients/operations.md, docs/operators/configuration.md). */
describe("parseConfig: trusted documents per client app", () => {
  test("defaults: one Apollo manifest per app, no per-app mode", () => {
    const { trustedDocuments } = parseConfig({});
    expect(trustedDocuments.apolloManifests).toEqual({
      mobile: "operations/manifests/mobile.json",
      web: "operations/manifests/web.json",
    });
    expect(trustedDocuments.clientModes).toEqual({});
    expect(trustedDocuments.mode).toBe("allow");
  });

  test("reads app=mode and app=path lists", () => {
    const { trustedDocuments } = parseConfig({
      TRUSTED_DOCUMENTS_CLIENTS: "mobile=enforce, web=allow",
      PERSISTED_QUERY_MANIFESTS: "ios=/srv/ios.json,android=/srv/android.json",
    });
    expect(trustedDocuments.clientModes).toEqual({ mobile: "enforce", web: "allow" });
    expect(trustedDocuments.apolloManifests).toEqual({ ios: "/srv/ios.json", android: "/srv/android.json" });
    expect(parseConfig({ PERSISTED_QUERY_MANIFESTS: "" }).trustedDocuments.apolloManifests).toEqual({});
  });

  test("reports a bad mode, a malformed item and a repeated app, all at once", () => {
    try {
      parseConfig({
        TRUSTED_DOCUMENTS_CLIENTS: "mobile=strict",
        PERSISTED_QUERY_MANIFESTS: "web=a.json,web=b.json",
        TRUSTED_DOCUMENTS: "on",
      });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        expect.stringContaining("TRUSTED_DOCUMENTS must be one of off, allow, enforce"),
        'TRUSTED_DOCUMENTS_CLIENTS must be a comma-separated list of app=off|allow|enforce (each app once), got "mobile=strict"',
        'PERSISTED_QUERY_MANIFESTS must be a comma-separated list of app=path (each app once), got "web=a.json,web=b.json"',
      ]);
    }
    expect(() => parseConfig({ TRUSTED_DOCUMENTS_CLIENTS: "mobile" })).toThrow(/TRUSTED_DOCUMENTS_CLIENTS/);
  });
});

describe("parseConfig: CORS, compression, explorer", () => {
  const production = {
    NODE_ENV: "production",
    JWT_SECRET: "x".repeat(32),
    JWT_ISSUER: "https://idp/",
    JWT_AUDIENCE: "bff",
    ...serviceEnv((s) => ({ URL: `http://${s}`, API_KEY: "k" })),
  };

  test("development allows localhost origins and serves the explorer; production neither, unless told", () => {
    const dev = parseConfig({});
    expect(dev.cors).toEqual({
      origins: ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"],
      credentials: false,
      maxAgeSeconds: 600,
    });
    expect(dev.explorer).toBe(true);
    expect(dev.compressMinBytes).toBe(1024);
    const prod = parseConfig(production);
    expect(prod.cors.origins).toEqual([]);
    expect(prod.explorer).toBe(false);
    expect(parseConfig({ ...production, CORS_ORIGINS: "https://dash.example.com", EXPLORER: "true" })).toMatchObject({
      cors: { origins: ["https://dash.example.com"] },
      explorer: true,
    });
    expect(parseConfig({ CORS_ORIGINS: "none" }).cors.origins).toEqual([]);
  });

  test("reports malformed origins, * with credentials and bad switches together", () => {
    try {
      parseConfig({
        CORS_ORIGINS: "https://ok.example, dash.example.com, https://x.example/path",
        EXPLORER: "yes",
        COMPRESSION_MIN_BYTES: "-1",
      });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'CORS_ORIGINS must list origins like https://app.example.com, https://*.example.com or http://localhost:*, "*" or "none"; not "dash.example.com", "https://x.example/path"',
        expect.stringContaining("COMPRESSION_MIN_BYTES"),
        expect.stringContaining("EXPLORER must be one of true, false"),
      ]);
    }
    expect(() => parseConfig({ CORS_ORIGINS: "*", CORS_CREDENTIALS: "true" })).toThrow(
      /cannot be combined with CORS_ORIGINS=\*/,
    );
  });
});
