import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** `describe` when Chromium is installed (always under CI: .ci/run installs it), otherwise skipped with the reason in the name. */
export const describeWithChromium: jest.Describe =
  existsSync(CHROMIUM) || process.env.CI
    ? describe
    : (Object.assign(
        (name: string, fn: jest.EmptyFunction) => describe.skip(`${name} [skipped: no ${CHROMIUM}]`, fn),
        describe,
      ) as jest.Describe);

/** Real headless Chromium (Debian's), with a fresh profile; nothing leaves the machine. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "bff-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
