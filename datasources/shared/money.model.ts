/** Money in minor units (cents) of an ISO-4217 currency, as every upstream reports it. */
export interface MoneyModel {
  readonly amount: number;
  readonly currency: string;
}

export const money = (amount: number, currency: string): MoneyModel => ({ amount, currency });
