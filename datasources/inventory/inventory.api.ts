import DataLoader from "dataloader";
import { mapOnce, type MaybePromise } from "../shared/maybe-promise";
import { fetchItems, MAX_BATCH } from "../shared/batch";
import { cacheKey, queryString } from "../shared/cache-keys";
import type { SourceDeps } from "../shared/source-deps";
import type { ReservationDto, StockLevelDto, StockListDto } from "./inventory.dto";
import { writeOutcome } from "../shared/write-outcome";
import type {
  CommitOutcome,
  InventorySource,
  ReleaseOutcome,
  ReservationModel,
  ReserveOutcome,
  StockModel,
} from "./inventory.model";

const stockKey = (id: string): string => cacheKey("inventory", "stock", id);
const toStock = (dto: StockLevelDto): StockModel => ({ productId: dto.productId, available: dto.available });
const stockOf = mapOnce(toStock);
const toReservation = (dto: ReservationDto): ReservationModel => ({
  id: dto.id,
  productId: dto.productId,
  quantity: dto.quantity,
  status: dto.status,
});

/**
 * Inventory service client, built per request. Stock levels are public and cached for
 * inventory's max-age (5 s); reservations are writes and never touch the cache.
 */
export class InventoryApi implements InventorySource {
  private readonly stock = new DataLoader<string, StockModel | null>((ids) => this.fetchStock(ids), {
    maxBatchSize: MAX_BATCH,
  });

  constructor(private readonly deps: SourceDeps) {}

  findStock(productId: string): MaybePromise<StockModel | null> {
    const hit = this.deps.cache.fresh<StockLevelDto>("inventory", stockKey(productId));
    return hit !== undefined ? stockOf(hit) : this.stock.load(productId);
  }

  async listLowStock(threshold: number, limit: number): Promise<readonly StockModel[]> {
    const params = { threshold, limit };
    const body = await this.deps.cache.resource<StockListDto>(
      "inventory",
      cacheKey("inventory", "low", queryString(params)),
      () => this.deps.http.request({ path: "/stock/low", params }),
      this.deps.onStale,
    );
    const levels = body.items.map((dto) => stockOf(dto) as StockModel);
    levels.forEach((level) => this.stock.prime(level.productId, level));
    return levels;
  }

  /** A write: never cached, and retried only with its idempotency key. 409 OUT_OF_STOCK and 404 are outcomes. */
  reserve(productId: string, quantity: number, idempotencyKey: string): Promise<ReserveOutcome> {
    this.stock.clear(productId);
    return writeOutcome<ReserveOutcome>(
      () =>
        this.deps.http
          .request<ReservationDto>({
            method: "POST",
            path: "/reservations",
            body: { productId, quantity },
            idempotencyKey,
          })
          .then((res) => ({ outcome: "reserved" as const, reservation: toReservation(res.data as ReservationDto) })),
      ({ status, code }) =>
        status === 409 && code === "OUT_OF_STOCK"
          ? { outcome: "out_of_stock" as const }
          : status === 404
            ? { outcome: "unknown_product" as const }
            : null,
    );
  }

  /** Repeatable: committing a committed reservation answers it unchanged; a released one is 409. */
  commit(reservationId: string): Promise<CommitOutcome> {
    return writeOutcome<CommitOutcome>(
      () =>
        this.deps.http
          .request<ReservationDto>({
            method: "POST",
            path: `/reservations/${encodeURIComponent(reservationId)}/commit`,
            repeatable: true,
          })
          .then(() => ({ outcome: "committed" as const })),
      ({ status }) => (status === 409 || status === 404 ? { outcome: "released" as const } : null),
    );
  }

  /** Repeatable: the spec says releasing twice is not an error; a committed one is 409. */
  release(reservationId: string): Promise<ReleaseOutcome> {
    return writeOutcome<ReleaseOutcome>(
      () =>
        this.deps.http
          .request({ method: "DELETE", path: `/reservations/${encodeURIComponent(reservationId)}`, repeatable: true })
          .then(() => ({ outcome: "released" as const })),
      ({ status }) =>
        status === 409 ? { outcome: "committed" as const } : status === 404 ? { outcome: "gone" as const } : null,
    );
  }

  private async fetchStock(ids: readonly string[]): Promise<Array<StockModel | null>> {
    const dtos = await this.deps.cache.batch<StockLevelDto>(
      "inventory",
      ids.map(stockKey),
      ids,
      fetchItems<StockLevelDto>(this.deps.http, "/stock", "productIds", (dto) => dto.productId),
      this.deps.onStale,
    );
    return dtos.map(stockOf);
  }
}
