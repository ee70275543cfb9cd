/** Payments' id format (`pay-000001`): anything else is no payment, and never reaches a URL. */
export const PAYMENT_ID = /^pay-\d{6,12}$/;
