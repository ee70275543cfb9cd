import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crashSuite } from "../support/checkout-crash-suite";

describe("checkout survives a crash at every step boundary (SQLite journal)", () => {
  crashSuite(
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "bff-crash-"));
      return {
        env: { CHECKOUT_DB_PATH: join(dir, "checkout.sqlite") },
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
    1,
    120,
    0,
  );
});
