/**
 * Where the `self` rule reads the id of the user who owns what a field shows:
 * - `{ argument: "id" }`: the field's argument `id` (`Query.user(id:)`);
 * - `{ parent: "id" }`: the property `id` of the object the field is read from (`User.email`).
 */
export type OwnerRule = { readonly argument: string } | { readonly parent: string };

/** The contract's `self`: the signed-in user who owns the object, found as `owner` says. */
export interface SelfRule {
  readonly self: OwnerRule;
}

/** One of a field's access rules (type-graphql roles): admins, or the owner. */
export type AccessRule = "ADMIN" | SelfRule;

/**
 * The contract's `@access` rules as type-graphql roles. `@Authorized()` with no role is the
 * contract's `user`; a field without `@Authorized` is `public`. Each field that lets its
 * owner see it says where the owner is, explicitly: no rule is guessed from the type or field.
 *
 *     @Authorized(Access.self({ parent: "id" }), Access.Admin)      // User.email
 *     @Authorized(Access.self({ argument: "id" }), Access.Admin)    // Query.user(id:)
 */
export const Access = {
  /** A caller whose token has role "admin". */
  Admin: "ADMIN" as AccessRule,
  /** The signed-in user whose id `owner` names (see OwnerRule). */
  self: (owner: OwnerRule): AccessRule => Object.freeze({ self: Object.freeze({ ...owner }) }),
};
