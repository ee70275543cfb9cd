import { FieldResolver, Resolver, Root } from "type-graphql";
import type { MoneyModel } from "../../datasources/shared/money.model";
import { Money } from "../../schema/shared/money.type";

const formats = new Map<string, Intl.NumberFormat | null>();

/** One formatter per currency for the life of the process (building one is the expensive part). */
function formatterFor(currency: string): Intl.NumberFormat | null {
  if (!formats.has(currency)) {
    try {
      formats.set(currency, new Intl.NumberFormat("en-US", { style: "currency", currency }));
    } catch {
      formats.set(currency, null); // not an ISO-4217 code
    }
  }
  return formats.get(currency) ?? null;
}

export function formatMoney({ amount, currency }: MoneyModel): string {
  const format = formatterFor(currency);
  if (!format) return `${(amount / 100).toFixed(2)} ${currency}`;
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

@Resolver(() => Money)
export class MoneyResolver {
  @FieldResolver(() => String)
  formatted(@Root() money: MoneyModel): string {
    return formatMoney(money);
  }
}
