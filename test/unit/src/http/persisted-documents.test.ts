import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PersistedDocuments, TrustPolicy } from "../../../../src/http/persisted-documents";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
const dir = mkdtempSync(join(tmpdir(), "bff-manifests-"));
const file = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const apollo = (operations: unknown[]) => ({ format: "apollo-persisted-query-manifest", version: 1, operations });

const A = "query A {\n  a\n}";
const B = "query B {\n  b {\n    id\n    __typename\n  }\n}";
const M = "mutation M {\n  m\n}";

describe("PersistedDocuments", () => {
  test("loads codegen ids with or without sha256:, and Apollo manifests per app; answers ids either way", () => {
    const docs = PersistedDocuments.load({
      codegen: file("codegen.json", { [`sha256:${sha256(A)}`]: A, [sha256(M)]: M }),
      apollo: { mobile: file("mobile.json", apollo([{ id: sha256(B), name: "B", type: "query", body: B }])) },
    });
    expect(docs.size).toBe(3);
    expect(docs.text(sha256(A))).toBe(A);
    expect(docs.text(`sha256:${sha256(B)}`)).toBe(B);
    expect(docs.get(sha256(M))).toEqual({ text: M, name: "M", isQuery: false });
    expect(docs.get(sha256(B))?.isQuery).toBe(true);
    expect(docs.isTrusted(B)).toBe(true);
    expect(docs.isTrusted(`${B} `)).toBe(false);
    expect(docs.operationNames()).toEqual(new Set(["A", "B", "M"]));
  });

  test.each([
    [
      "an id that is not the sha256 of its text",
      { [sha256(A)]: B },
      /id [0-9a-f]{64} is not the sha256 of its document/,
    ],
    ["a document that is not a string", { [sha256(A)]: 42 }, /is not a string/],
  ])("refuses a codegen manifest with %s", (_name, content, message) => {
    expect(() => PersistedDocuments.load({ codegen: file("bad.json", content), apollo: {} })).toThrow(message);
  });

  test.each([
    [
      "another format",
      { format: "x", version: 1, operations: [] },
      /not an apollo-persisted-query-manifest, version 1/,
    ],
    ["an operation without id", apollo([{ body: A }]), /operation 0 has no id/],
    ["an id that is not the sha256 of its body", apollo([{ id: sha256(A), body: B }]), /is not the sha256/],
  ])("refuses an Apollo manifest with %s", (_name, content, message) => {
    expect(() => PersistedDocuments.load({ codegen: null, apollo: { web: file("bad-apollo.json", content) } })).toThrow(
      message,
    );
  });

  test("names the file that is missing or not JSON", () => {
    expect(() => PersistedDocuments.load({ codegen: join(dir, "none.json"), apollo: {} })).toThrow(
      /none\.json: ENOENT/,
    );
    writeFileSync(join(dir, "broken.json"), "{");
    expect(() => PersistedDocuments.load({ codegen: join(dir, "broken.json"), apollo: {} })).toThrow(
      /broken\.json: .*JSON/,
    );
  });
});

describe("TrustPolicy", () => {
  test("each named app has its mode; anyone else the default", () => {
    const policy = new TrustPolicy("enforce", { web: "allow" });
    expect(policy.modeFor("web")).toBe("allow");
    expect(policy.modeFor("mobile")).toBe("enforce");
    expect(policy.modeFor(undefined)).toBe("enforce");
    expect(policy.modeFor("toString")).toBe("enforce"); // not an inherited property
  });
});
