import { buildSchema, execute, parse, type GraphQLResolveInfo } from "graphql";
import { childArguments, selects, startEarly } from "../../../../resolvers/shared/look-ahead";

const schema = buildSchema(`
  type Query { user: User, users: [User!]! }
  type User { id: ID! orders(first: Int = 10, after: String): [ID!]! friend: User }
`);

/** The resolve info of `Query.user` for `query` (graphql-js executes it without validating, on purpose). */
function infoFor(query: string, variables: Record<string, unknown> = {}): GraphQLResolveInfo {
  let seen: GraphQLResolveInfo | undefined;
  void execute({
    schema,
    document: parse(query),
    variableValues: variables,
    rootValue: {
      user: (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
        seen = info;
        return null;
      },
    },
  });
  if (!seen) throw new Error("user was not resolved");
  return seen;
}

describe("childArguments", () => {
  test("defaults, variables and every alias of the child, as its resolver gets them", () => {
    const info = infoFor(`query($n: Int) { user { a: orders { id: __typename } b: orders(first: $n, after: "x") } }`, {
      n: 3,
    });
    expect(childArguments(info, "orders")).toEqual([{ first: 10 }, { first: 3, after: "x" }]);
    expect(selects(info, "id")).toBe(false);
  });

  test("@skip and @include as they will run; fragments followed once", () => {
    const info = infoFor(
      `query($no: Boolean!) { user { orders(first: 1) @skip(if: $no) ...F ...F ... on User { orders(first: 3) } } }
       fragment F on User { orders(first: 2) @include(if: true) }`,
      { no: true },
    );
    expect(childArguments(info, "orders")).toEqual([{ first: 2 }, { first: 3 }]);
  });

  test("arguments the child would refuse are left to it: the parent never fails", () => {
    const info = infoFor(`{ user { orders(first: "many") } }`); // not validated: an invalid literal
    expect(childArguments(info, "orders")).toEqual([]);
    expect(childArguments(info, "unknown")).toEqual([]);
  });
});

describe("one walk per parent field and request", () => {
  /** What `friend`'s resolver saw of its `orders`, for each of the users listed. */
  function perItem(variables: Record<string, unknown>): Array<readonly unknown[]> {
    const seen: Array<readonly unknown[]> = [];
    const friend = (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
      seen.push(childArguments(info, "orders"));
      return null;
    };
    void execute({
      schema,
      document: parse(`query($n: Int) { users { friend { orders(first: $n) } } }`),
      variableValues: variables,
      rootValue: {
        users: [
          { id: "1", friend },
          { id: "2", friend },
        ],
      },
    });
    return seen;
  }

  test("every item of a list meets the same walk; another request, with other variables, walks again", () => {
    const [first, second] = perItem({ n: 2 });
    expect(first).toEqual([{ first: 2 }]);
    expect(second).toBe(first); // the same walk, not a second one
    expect(perItem({ n: 5 })[0]).toEqual([{ first: 5 }]);
  });
});

describe("startEarly", () => {
  test("a call that throws or rejects is dropped here, not thrown or left unhandled", async () => {
    const rejected = Promise.reject(new Error("upstream down"));
    expect(() =>
      startEarly(() => {
        throw new Error("bad cursor");
      }),
    ).not.toThrow();
    startEarly(() => rejected);
    await expect(rejected).rejects.toThrow("upstream down"); // the child's resolver still meets the error
  });
});
