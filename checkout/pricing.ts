import type { Drive } from "./machine";
import { CheckoutState as S, type CheckoutCause } from "./model";
import { problem } from "./problem";

/** RECEIVED -> PRICED: every product exists and all are priced in one currency; FAILED otherwise. */
export async function price(drive: Drive): Promise<CheckoutCause | null> {
  if (drive.mode === "recovery") return drive.interrupted();
  const { lines } = drive.data;
  const products = await Promise.all(lines.map((line) => drive.sources.catalog.findProduct(line.productId)));
  const missing = lines.filter((_, i) => products[i] === null);
  const currencies = new Set(products.flatMap((p) => (p ? [p.price.currency] : [])));
  const problems =
    missing.length > 0
      ? missing.map((line) =>
          problem("PRODUCT_NOT_FOUND", `No product ${line.productId}`, ["items", String(line.index), "productId"]),
        )
      : currencies.size > 1
        ? [problem("INVALID_INPUT", "All items must be priced in one currency", ["items"])]
        : [];
  if (problems.length > 0) {
    drive.data.ending = { kind: "failed", problems };
    await drive.write(S.Failed, { name: "price", status: "FAILED", detail: problems.map((p) => p.code).join(",") });
    return null;
  }
  const unitPrices = Object.fromEntries(products.map((p) => [p?.id, p?.price.amount ?? 0]));
  const amountCents = lines.reduce((sum, line) => sum + line.quantity * (unitPrices[line.productId] ?? 0), 0);
  drive.data.priced = { currency: [...currencies][0] as string, amountCents, unitPrices };
  await drive.write(S.Priced, {
    name: "price",
    status: "SUCCEEDED",
    detail: `${amountCents} ${drive.data.priced.currency}`,
  });
  return null;
}
