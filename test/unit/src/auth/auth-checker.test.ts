import type { GraphQLResolveInfo } from "graphql";
import { Access, type AccessRule } from "../../../../schema/shared/access";
import { authChecker, ownerOf, roleChecks } from "../../../../src/auth/auth-checker";
import type { Viewer } from "../../../../src/auth/viewer";
import type { Context } from "../../../../src/context";
import { ForbiddenError, UnauthenticatedError } from "../../../../src/errors/bff-errors";

const customer: Viewer = { id: "u-0001", role: "customer" };
const admin: Viewer = { id: "u-0050", role: "admin" };

/** One request's context, as far as the checker reads it. */
const requestOf = (viewer: Viewer | null): Context => ({ viewer, authDecisions: new Map() }) as unknown as Context;

/** Asks the checker about `Type.field` for one object (root) and arguments, in one request. */
function check(
  context: Context,
  coordinate: string,
  rules: readonly AccessRule[],
  root: unknown = {},
  args: Record<string, unknown> = {},
) {
  const [parentType, fieldName] = coordinate.split(".");
  const info = { parentType: { name: parentType }, fieldName } as unknown as GraphQLResolveInfo;
  return authChecker({ root, args, context, info }, [...rules]);
}

const ownerByParent = [Access.self({ parent: "id" }), Access.Admin];
const ownerByArgument = [Access.self({ argument: "id" }), Access.Admin];

describe("the self rule reads the owner where the field declares it", () => {
  test("a parent property: the owner sees their own object, not another's", () => {
    const request = requestOf(customer);
    expect(check(request, "User.email", ownerByParent, { id: "u-0001" })).toBe(true);
    expect(() => check(request, "User.email", ownerByParent, { id: "u-0002" })).toThrow(ForbiddenError);
  });

  test("an argument: the owner may ask for their own id, not another's", () => {
    const request = requestOf(customer);
    expect(check(request, "Query.user", ownerByArgument, undefined, { id: "u-0001" })).toBe(true);
    expect(() => check(request, "Query.user", ownerByArgument, undefined, { id: "u-0002" })).toThrow(
      new ForbiddenError("Query.user is visible only to its owner and admins"),
    );
  });

  test("the rule reads only the place it names: an `id` argument does not stand in for a parent owner", () => {
    const request = requestOf(customer);
    expect(() => check(request, "User.email", ownerByParent, {}, { id: "u-0001" })).toThrow(ForbiddenError);
    expect(() => check(request, "Query.user", ownerByArgument, { id: "u-0001" }, {})).toThrow(ForbiddenError);
  });

  test("a differently named owner property or argument works the same way", () => {
    const request = requestOf(customer);
    expect(check(request, "Order.notes", [Access.self({ parent: "userId" })], { id: "o-1", userId: "u-0001" })).toBe(
      true,
    );
    expect(check(request, "Query.cart", [Access.self({ argument: "ownerId" })], undefined, { ownerId: "u-0001" })).toBe(
      true,
    );
  });
});

describe("a field without a declared owner rule is denied, never guessed", () => {
  test("the old bare SELF role grants the owner nothing (it used to mean args.id on Query, root.id on User)", () => {
    const request = requestOf(customer);
    const legacy = ["SELF"] as unknown as AccessRule[];
    expect(() => check(request, "Query.user", legacy, undefined, { id: "u-0001" })).toThrow(ForbiddenError);
    expect(() => check(request, "User.email", legacy, { id: "u-0001" })).toThrow(ForbiddenError);
  });

  test("a self rule that names no place, or a place that holds no id, is denied", () => {
    const request = requestOf(customer);
    const nowhere = [{ self: {} }] as unknown as AccessRule[];
    expect(() => check(request, "User.email", nowhere, { id: "u-0001" }, { id: "u-0001" })).toThrow(ForbiddenError);
    expect(() => check(request, "Query.user", ownerByArgument, undefined, {})).toThrow(ForbiddenError);
    expect(() => check(request, "User.email", [Access.self({ parent: "ownerId" })], { id: "u-0001" })).toThrow(
      ForbiddenError,
    );
  });

  test("ownerOf: undefined unless the named place holds a non-empty string", () => {
    expect(ownerOf({ parent: "id" }, { id: "u-1" }, {})).toBe("u-1");
    expect(ownerOf({ argument: "id" }, null, { id: "u-1" })).toBe("u-1");
    expect(ownerOf({ parent: "id" }, null, { id: "u-1" })).toBeUndefined();
    expect(ownerOf({ parent: "id" }, { id: 1 }, {})).toBeUndefined();
    expect(ownerOf({ argument: "id" }, {}, { id: "" })).toBeUndefined();
    expect(ownerOf(undefined, { id: "u-1" }, { id: "u-1" })).toBeUndefined();
  });
});

describe("rules that do not depend on the object", () => {
  test("admins pass a self-or-admin field whoever owns the object; anonymous callers are UNAUTHENTICATED", () => {
    expect(check(requestOf(admin), "User.email", ownerByParent, { id: "u-0002" })).toBe(true);
    expect(() => check(requestOf(null), "User.email", ownerByParent, { id: "u-0001" })).toThrow(UnauthenticatedError);
  });

  test("admin-only fields refuse customers, even on their own objects", () => {
    expect(() => check(requestOf(customer), "Product.costPrice", [Access.Admin], { id: "u-0001" })).toThrow(
      new ForbiddenError("Product.costPrice is visible only to admins"),
    );
  });

  test("@Authorized() with no rule admits any signed-in caller", () => {
    expect(check(requestOf(customer), "Mutation.checkout", [])).toBe(true);
  });

  test("a decision by role is made once per field and request, not once per item", () => {
    const request = requestOf(admin);
    const before = roleChecks.count;
    for (const id of ["u-0001", "u-0002", "u-0003"]) check(request, "User.email", ownerByParent, { id });
    for (let i = 0; i < 3; i += 1) check(request, "Product.costPrice", [Access.Admin]);
    expect(roleChecks.count - before).toBe(2);
  });
});
