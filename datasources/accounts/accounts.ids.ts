/** Accounts' user id format (`u-0001`): anything else is no user, and never reaches a URL. */
export const USER_ID = /^u-\d{4,9}$/;
