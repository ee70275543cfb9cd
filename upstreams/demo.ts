import type { Express } from "express";
import type { SeedData } from "./seed";
import type { InventoryState } from "./services/inventory";
import type { WebhookSender } from "./webhooks";

/** What every demo upstream is built from (upstreams/start.ts makes one per service). */
export interface DemoContext {
  readonly data: SeedData;
  /** The services' clock (reservation expiry, timestamps). */
  readonly now: () => number;
  /** Inventory's state, also on the test handle (`upstreams.inventory`). */
  readonly inventory: InventoryState;
  /** This service's signed notifications to the BFF: sends nothing until it has a target. */
  readonly webhooks: WebhookSender;
}

/**
 * A demo upstream: `upstreams/services/<service>.ts` exports `<service>Routes` of this type, and
 * upstreams/services/index.ts (generated from services.json) lists them.
 */
export type DemoService = (demo: DemoContext) => (app: Express) => void;
