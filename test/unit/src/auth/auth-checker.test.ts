import type { GraphQLResolveInfo } from "graphql";
import type { ResolverData } from "type-graphql";
import { Access, type AccessRule } from "../../../../schema/shared/access";
import { authChecker, roleChecks } from "../../../../src/auth/auth-checker";
import type { Context } from "../../../../src/context";
import { buildUser } from "../../../support/builders";
import { admin, customer, testContext } from "../../../support/test-context";

/** type-graphql's call for field `Type.field` on `root` with `args`, in `context`. */
const check = (coordinate: string, rules: AccessRule[], context: Context, root: unknown = {}, args: Record<string, unknown> = {}) => {
  const [type, field] = coordinate.split(".") as [string, string];
  const data = { root, args, context, info: { parentType: { name: type }, fieldName: field } as unknown as GraphQLResolveInfo } as ResolverData<Context>;
  try {
    return authChecker(data, rules);
  } catch (error) {
    return { code: (error as { extensions?: { code?: string } }).extensions?.code, message: (error as Error).message };
  }
};

describe("authChecker", () => {
  test("anonymous: UNAUTHENTICATED for any rule, naming the field and how to sign in", () => {
    for (const rules of [[], [Access.Admin], [Access.Self, Access.Admin]]) {
      expect(check("Query.order", rules, testContext())).toEqual({
        code: "UNAUTHENTICATED", message: "Query.order requires a signed-in user: send Authorization: Bearer <token>",
      });
    }
  });

  test("@Authorized() with no rule: any signed-in user", () => {
    expect(check("Mutation.checkout", [], testContext({ viewer: customer() }))).toBe(true);
  });

  test("admin rule: admins pass, a customer is FORBIDDEN", () => {
    expect(check("Query.lowStock", [Access.Admin], testContext({ viewer: admin() }))).toBe(true);
    expect(check("Query.lowStock", [Access.Admin], testContext({ viewer: customer() }))).toEqual({ code: "FORBIDDEN", message: "Query.lowStock is visible only to admins" });
  });

  test("self rule on User: the user itself passes, anyone else is FORBIDDEN; an admin passes without an owner check", () => {
    const rules = [Access.Self, Access.Admin];
    expect(check("User.email", rules, testContext({ viewer: customer("u-0001") }), buildUser({ id: "u-0001" }))).toBe(true);
    expect(check("User.email", rules, testContext({ viewer: customer("u-0002") }), buildUser({ id: "u-0001" }))).toEqual({
      code: "FORBIDDEN", message: "User.email is visible only to its owner and admins",
    });
    expect(check("User.email", rules, testContext({ viewer: admin() }), null)).toBe(true);
  });

  test("self rule on Query.user: the id argument is the owner", () => {
    const rules = [Access.Self, Access.Admin];
    expect(check("Query.user", rules, testContext({ viewer: customer("u-0007") }), undefined, { id: "u-0007" })).toBe(true);
    expect(check("Query.user", rules, testContext({ viewer: customer("u-0007") }), undefined, { id: "u-0008" })).toMatchObject({ code: "FORBIDDEN" });
  });

  test("a role-only decision is made once per field and request, however many items; an owner check per item", () => {
    const context = testContext({ viewer: customer("u-0001") });
    let before = roleChecks.count;
    for (let n = 0; n < 20; n++) expect(check("Product.costPrice", [Access.Admin], context)).toMatchObject({ code: "FORBIDDEN" });
    expect(roleChecks.count - before).toBe(1);
    expect([...context.authDecisions.keys()]).toEqual(["Product.costPrice"]);
    const users = Array.from({ length: 50 }, (_, i) => buildUser({ id: `u-${String(i).padStart(4, "0")}` }));
    expect(users.map((user) => check("User.email", [Access.Self, Access.Admin], context, user)).filter((o) => o === true)).toHaveLength(1);
    expect([...context.authDecisions.keys()]).toEqual(["Product.costPrice"]); // "depends on the object" is never cached
    before = roleChecks.count;
    check("Product.costPrice", [Access.Admin], testContext({ viewer: customer() })); // another request decides again
    expect(roleChecks.count - before).toBe(1);
  });
});
