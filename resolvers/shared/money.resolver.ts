import { FieldResolver, Resolver, Root } from "type-graphql";
import type { MoneyModel } from "../../datasources/shared/money.model";
import { Money } from "../../schema/shared/money.type";

interface Formatter {
  readonly format: Intl.NumberFormat;
  /** Minor units per major unit: 100 for USD, 1 for JPY. */
  readonly scale: number;
}

const formatters = new Map<string, Formatter | null>();

/** One formatter per currency for the life of the process (building one is the expensive part). */
function formatterFor(currency: string): Formatter | null {
  if (!formatters.has(currency)) {
    try {
      const format = new Intl.NumberFormat("en-US", { style: "currency", currency });
      formatters.set(currency, { format, scale: 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2) });
    } catch {
      formatters.set(currency, null); // not a well-formed currency code
    }
  }
  return formatters.get(currency) ?? null;
}

export function formatMoney({ amount, currency }: MoneyModel): string {
  const formatter = formatterFor(currency);
  return formatter ? formatter.format.format(amount / formatter.scale) : `${(amount / 100).toFixed(2)} ${currency}`;
}

@Resolver(() => Money)
export class MoneyResolver {
  @FieldResolver(() => String)
  formatted(@Root() money: MoneyModel): string {
    return formatMoney(money);
  }
}
