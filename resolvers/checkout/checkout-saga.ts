import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { DataSources } from "../../datasources";
import type { ProductModel } from "../../datasources/catalog/catalog.model";
import type { ReservationModel } from "../../datasources/inventory/inventory.model";
import type { OrderModel } from "../../datasources/orders/orders.model";
import type { PaymentModel } from "../../datasources/payments/payments.model";
import { UserErrorCode, type UserError } from "../../schema/shared/user-error.type";
import { UpstreamError } from "../../src/errors/upstream-error";
import type { CartLine } from "./checkout-input";

export interface CheckoutOutcome {
  readonly order: OrderModel | null;
  readonly userErrors: UserError[];
}

type Sources = Pick<DataSources, "catalog" | "inventory" | "payments" | "orders">;
type Compensators = () => Pick<DataSources, "inventory" | "payments" | "orders">;

/** Keys of every upstream write, derived from the client's key (scoped to the user) and the attempt. */
export interface SagaKeys {
  readonly scope: string;
  readonly attempt: number;
}

const failed = (userErrors: UserError[]): CheckoutOutcome => ({ order: null, userErrors });
const isStatus = (error: unknown, status: number, code?: string): boolean =>
  error instanceof UpstreamError && error.kind === "status" && error.status === status && (code === undefined || error.code === code);

/**
 * One attempt of the checkout saga (contract README, "Checkout"):
 * prices from catalog → reserve every line → charge → create the order → mark it paid → commit.
 * Each step's failure undoes the steps before it (release, refund, cancel). Expected business
 * outcomes are userErrors; unexpected ones are rethrown after compensation.
 */
export class CheckoutSaga {
  /** Reservations are per run: a retry that follows a released hold must reserve again. */
  private readonly run = randomUUID().slice(0, 8);
  private chargeUnknown = false;

  /**
   * `compensators` builds datasources with a deadline of their own, so that undoing a step is
   * never cut short by the client's deadline (often the very reason a step failed).
   */
  constructor(
    private readonly sources: Sources,
    private readonly compensators: Compensators,
    private readonly keys: SagaKeys,
    private readonly userId: string,
    private readonly log: Logger,
  ) {}

  async execute(lines: readonly CartLine[], paymentMethod: string): Promise<CheckoutOutcome> {
    const priced = await this.price(lines);
    if ("userErrors" in priced) return priced;
    const reserved = await this.reserve(lines);
    if ("userErrors" in reserved) return reserved;
    const reservations = reserved.reservations;

    const amountCents = lines.reduce((sum, line, i) => sum + line.quantity * (priced.products[i] as ProductModel).price.amount, 0);
    let payment: PaymentModel;
    try {
      payment = await this.sources.payments.charge({ amountCents, currency: priced.currency, paymentMethod, reference: this.keys.scope }, this.key("payment"));
    } catch (error) {
      await this.compensate("charge", { reservations });
      // No answer at all: the charge may exist. A retry must replay the same payment key, not charge anew.
      this.chargeUnknown = !(error instanceof UpstreamError && ["status", "circuit-open", "rejected"].includes(error.kind));
      if (isStatus(error, 400)) return failed([{ code: UserErrorCode.INVALID_INPUT, message: "The payments service refused this payment method", field: ["paymentMethod"] }]);
      throw error;
    }
    if (payment.status !== "succeeded") {
      await this.compensate("declined", { reservations });
      return failed([{ code: UserErrorCode.PAYMENT_DECLINED, message: "The payment was declined", field: ["paymentMethod"] }]);
    }

    let order: OrderModel | undefined;
    try {
      order = await this.sources.orders.createOrder({
        userId: this.userId, currency: priced.currency, paymentId: payment.id, reservationIds: reservations.map((r) => r.id),
        items: lines.map((line, i) => ({ productId: line.productId, quantity: line.quantity, unitPriceCents: (priced.products[i] as ProductModel).price.amount })),
      }, this.key("order"));
      order = await this.sources.orders.setStatus(order.id, "paid");
      await Promise.all(reservations.map((r) => this.sources.inventory.commit(r.id)));
      return { order, userErrors: [] };
    } catch (error) {
      await this.compensate("order", { reservations, payment, order });
      throw error;
    }
  }

  /** After a failed execute: whether a charge of this attempt may exist that the BFF could not see. */
  get mayHaveCharged(): boolean {
    return this.chargeUnknown;
  }

  private key(step: string): string {
    return `${this.keys.scope}:${this.keys.attempt}:${step}`;
  }

  private async price(lines: readonly CartLine[]): Promise<{ products: ProductModel[]; currency: string } | CheckoutOutcome> {
    const products = await Promise.all(lines.map((line) => this.sources.catalog.findProduct(line.productId)));
    const missing = lines.filter((_, i) => products[i] === null);
    if (missing.length > 0) {
      return failed(missing.map((line) => ({ code: UserErrorCode.PRODUCT_NOT_FOUND, message: `No product ${line.productId}`, field: ["items", String(line.index), "productId"] })));
    }
    const currencies = new Set(products.map((p) => (p as ProductModel).price.currency));
    if (currencies.size > 1) return failed([{ code: UserErrorCode.INVALID_INPUT, message: "All items must be priced in one currency", field: ["items"] }]);
    return { products: products as ProductModel[], currency: [...currencies][0] as string };
  }

  private async reserve(lines: readonly CartLine[]): Promise<{ reservations: ReservationModel[] } | CheckoutOutcome> {
    const results = await Promise.allSettled(lines.map((line) =>
      this.sources.inventory.reserve(line.productId, line.quantity, `${this.keys.scope}:${this.run}:reserve:${line.productId}`)));
    const reservations = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    if (reservations.length === lines.length) return { reservations };

    await this.compensate("reserve", { reservations });
    const userErrors: UserError[] = [];
    for (const [i, result] of results.entries()) {
      if (result.status === "fulfilled") continue;
      const line = lines[i] as CartLine;
      if (isStatus(result.reason, 409, "OUT_OF_STOCK")) userErrors.push({ code: UserErrorCode.OUT_OF_STOCK, message: `Not enough stock of ${line.productId}`, field: ["items", String(line.index), "quantity"] });
      else if (isStatus(result.reason, 404)) userErrors.push({ code: UserErrorCode.PRODUCT_NOT_FOUND, message: `No stock record for ${line.productId}`, field: ["items", String(line.index), "productId"] });
      else throw result.reason;
    }
    return failed(userErrors);
  }

  /**
   * Undoes what an attempt did. Every action is idempotent (release, refund, cancel), so each is
   * tried independently; one that still fails is logged loudly for reconciliation, never hidden.
   */
  private async compensate(step: string, done: { reservations: readonly ReservationModel[]; payment?: PaymentModel; order?: OrderModel }): Promise<void> {
    const undo = this.compensators();
    const actions: Array<[string, () => Promise<unknown>]> = [
      ...done.reservations.map((r): [string, () => Promise<unknown>] => [`release ${r.id}`, () => undo.inventory.release(r.id)]),
    ];
    if (done.payment) { const id = done.payment.id; actions.push([`refund ${id}`, () => undo.payments.refund(id)]); }
    if (done.order) { const id = done.order.id; actions.push([`cancel ${id}`, () => undo.orders.setStatus(id, "cancelled")]); }
    const results = await Promise.allSettled(actions.map(([, action]) => action()));
    results.forEach((result, i) => {
      if (result.status === "rejected") {
        this.log.error({ err: result.reason, step, action: actions[i]?.[0], checkout: this.keys.scope }, "checkout compensation failed: needs reconciliation");
      }
    });
  }
}
