/**
 * The contract's `@access` rules as type-graphql roles. `@Authorized()` with no role is
 * the contract's `user`; a field without `@Authorized` is `public`.
 */
export const Access = {
  /** The authenticated user the object belongs to. */
  Self: "SELF",
  /** A caller whose token has role "admin". */
  Admin: "ADMIN",
} as const;
export type AccessRule = (typeof Access)[keyof typeof Access];
