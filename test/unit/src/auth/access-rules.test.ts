import { buildSchema } from "graphql";
import { Access } from "../../../../schema/shared/access";
import { accessRuleProblems } from "../../../../src/auth/access-rules";
import { accessRules, buildAppSchema } from "../../../../src/build-schema";

const schema = buildSchema(`
  type Query { user(id: ID!): User  me: User }
  type User { id: ID!  email: String }
`);

describe("accessRuleProblems", () => {
  test("none for admins and self rules whose owner is declared where it can be read", () => {
    expect(
      accessRuleProblems(
        schema,
        new Map([
          ["Query.user", [Access.self({ argument: "id" }), Access.Admin]],
          ["User.email", [Access.self({ parent: "id" }), Access.Admin]],
        ]),
      ),
    ).toEqual([]);
  });

  test("each self rule that names no owner, or one that cannot be read, is refused with its field", () => {
    expect(
      accessRuleProblems(
        schema,
        new Map<string, readonly unknown[]>([
          ["Query.user", ["SELF", Access.self({ argument: "userId" })]],
          ["Query.me", [Access.self({ parent: "id" })]],
          ["User.email", [{ self: {} }]],
        ]),
      ),
    ).toEqual([
      'Query.user: unknown access rule "SELF" (use Access.Admin or Access.self)',
      'Query.user: the self rule reads argument "userId", which the field does not have',
      'Query.me: a root field has no parent to read "id" from',
      "User.email: the self rule does not say where the owner is ({ argument } or { parent })",
    ]);
  });

  test("the app's own rules are all applicable (buildAppSchema would refuse to start otherwise)", async () => {
    const app = await buildAppSchema();
    const rules = accessRules();
    expect(rules.get("Query.user")).toEqual([Access.self({ argument: "id" }), Access.Admin]);
    expect(rules.get("User.email")).toEqual([Access.self({ parent: "id" }), Access.Admin]);
    expect(accessRuleProblems(app, rules)).toEqual([]);
  });
});
