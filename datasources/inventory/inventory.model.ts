import type { MaybePromise } from "../shared/maybe-promise";
import type { UnknownOutcome } from "../shared/write-outcome";

export interface StockModel {
  readonly productId: string;
  readonly available: number;
}

export interface ReservationModel {
  readonly id: string;
  readonly productId: string;
  readonly quantity: number;
  readonly status: "held" | "committed" | "released";
}

/** What a reservation attempt came to (checkout branches on these, never on statuses). */
export type ReserveOutcome =
  | { readonly outcome: "reserved"; readonly reservation: ReservationModel }
  | { readonly outcome: "out_of_stock" }
  | { readonly outcome: "unknown_product" }
  | UnknownOutcome;

/** `released`: the hold expired or was released before the commit, so nothing was taken. */
export type CommitOutcome = { readonly outcome: "committed" } | { readonly outcome: "released" } | UnknownOutcome;

/** `committed`: too late to release, the stock was taken. `gone`: no such reservation. */
export type ReleaseOutcome =
  { readonly outcome: "released" } | { readonly outcome: "committed" } | { readonly outcome: "gone" } | UnknownOutcome;

export interface InventorySource {
  /** Null when inventory does not know the product. */
  findStock(productId: string): MaybePromise<StockModel | null>;
  /** Levels at or below `threshold`, lowest first. */
  listLowStock(threshold: number, limit: number): Promise<readonly StockModel[]>;
  /** Holds stock. A replay of the key answers the first hold (even if released since). */
  reserve(productId: string, quantity: number, idempotencyKey: string): Promise<ReserveOutcome>;
  /** Repeatable: committing a committed reservation answers it unchanged. */
  commit(reservationId: string): Promise<CommitOutcome>;
  /** Repeatable: releasing twice is not an error. */
  release(reservationId: string): Promise<ReleaseOutcome>;
}
