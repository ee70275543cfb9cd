/**
 * Catalog's id formats (the seed and the spec's examples: `p-0001`, `c-01`). An id that does
 * not match never reaches a URL or a query parameter: it cannot name anything catalog holds,
 * and a comma or a slash in it would change the request (`ids=p-0001,p-0002`).
 */
export const PRODUCT_ID = /^p-\d{4,9}$/;
export const CATEGORY_ID = /^c-\d{2,9}$/;
