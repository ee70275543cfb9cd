import type { MaybePromise } from "../shared/maybe-promise";
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

export interface InventorySource {
  /** Null when inventory does not know the product. */
  findStock(productId: string): MaybePromise<StockModel | null>;
  /** Levels at or below `threshold`, lowest first. */
  listLowStock(threshold: number, limit: number): Promise<readonly StockModel[]>;
  /** Holds stock; throws UpstreamError 409 OUT_OF_STOCK when there is not enough. */
  reserve(productId: string, quantity: number, idempotencyKey: string): Promise<ReservationModel>;
  commit(reservationId: string): Promise<ReservationModel>;
  /** Idempotent: releasing twice is not an error. */
  release(reservationId: string): Promise<void>;
}
