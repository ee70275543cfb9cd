import { ConfigError, parseConfig } from "../../../src/config";

/** The variables of the client-facing features (README: "Client workflow", "Configuration"). */
describe("parseConfig: trusted documents per client app", () => {
  test("defaults: one Apollo manifest per app, no per-app mode", () => {
    const { trustedDocuments } = parseConfig({});
    expect(trustedDocuments.apolloManifests).toEqual({ mobile: "operations/manifests/mobile.json", web: "operations/manifests/web.json" });
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
      parseConfig({ TRUSTED_DOCUMENTS_CLIENTS: "mobile=strict", PERSISTED_QUERY_MANIFESTS: "web=a.json,web=b.json", TRUSTED_DOCUMENTS: "on" });
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
