/** Orders' id format (`o-000001`): anything else is no order, and never reaches a URL. */
export const ORDER_ID = /^o-\d{6,12}$/;
