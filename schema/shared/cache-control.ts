import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLEnumType, GraphQLInt } from "graphql";

/**
 * Apollo's `@cacheControl`: per-field cache hints from which each response's Cache-Control is
 * computed (the shortest max-age of its fields; PRIVATE if any field is personal). Fields without
 * a hint that return objects default to max-age 0, so nothing is cacheable unless said so here.
 * Personal fields are marked PRIVATE by the auth checker at run time, whatever their hint.
 */
export const CacheControlScope = new GraphQLEnumType({
  name: "CacheControlScope",
  values: { PUBLIC: {}, PRIVATE: {} },
});

export const cacheControlDirective = new GraphQLDirective({
  name: "cacheControl",
  locations: [
    DirectiveLocation.FIELD_DEFINITION,
    DirectiveLocation.OBJECT,
    DirectiveLocation.INTERFACE,
    DirectiveLocation.UNION,
  ],
  args: { maxAge: { type: GraphQLInt }, scope: { type: CacheControlScope }, inheritMaxAge: { type: GraphQLBoolean } },
});

/** Hints matching each upstream's declared Cache-Control (contract README). */
export const CacheHint = {
  catalog: "@cacheControl(maxAge: 60)",
  inventory: "@cacheControl(maxAge: 5)",
  reviews: "@cacheControl(maxAge: 30)",
  accounts: "@cacheControl(maxAge: 300)",
  /** For objects read from their parent: as cacheable as the parent. */
  inherit: "@cacheControl(inheritMaxAge: true)",
  /** Depends on who asks. */
  personal: "@cacheControl(maxAge: 0, scope: PRIVATE)",
} as const;
