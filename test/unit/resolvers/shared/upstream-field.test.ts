import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { lexicographicSortSchema, parse, specifiedDirectives, type GraphQLSchema } from "graphql";
import { Arg, Ctx, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root, buildSchema } from "type-graphql";
import {
  UpstreamField,
  UpstreamMutation,
  UpstreamQuery,
  upstreamDeclarations,
} from "../../../../resolvers/shared/upstream-field";
import { cacheControlDirective } from "../../../../schema/shared/cache-control";
import { Cost, pagedList } from "../../../../schema/shared/cost";
import { CachePolicies } from "../../../../src/cache/cache-policy";
import type { Context } from "../../../../src/context";
import { costOf } from "../../../../src/limits/query-cost";
import { upstreamFieldProblems } from "../../../support/upstream-declarations";

@ObjectType()
class Gadget {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
class Part {
  @Field(() => String)
  name!: string;
}

/** Declared whole: what the app's resolvers look like. */
@Resolver(() => Gadget)
class GadgetResolver {
  @UpstreamQuery(() => Gadget, {
    nullable: true,
    description: "By id.",
    service: "catalog",
    cost: Cost.upstream,
    cache: "catalog",
  })
  gadget(@Arg("id", () => ID) id: string, @Ctx() { dataSources }: Context) {
    return dataSources.catalog.findProduct(id);
  }

  @UpstreamField(() => [Part], { service: "reviews", cost: pagedList(5), cache: "reviews" })
  parts(
    @Root() gadget: Gadget,
    @Arg("first", () => Int, { defaultValue: 5 }) first: number,
    @Ctx() { dataSources }: Context,
  ) {
    return dataSources.reviews.listReviews(gadget.id, first);
  }

  @UpstreamField(() => Part, { nullable: true, service: "orders", cost: Cost.upstream, cache: "none" })
  order(@Root() gadget: Gadget, @Ctx() { dataSources }: Context) {
    return dataSources.orders.findOrder(gadget.id);
  }

  @UpstreamMutation(() => Gadget, { service: ["catalog", "inventory"], cost: Cost.addReview })
  touch(@Arg("id", () => ID) id: string, @Ctx() { dataSources }: Context) {
    return dataSources.inventory.findStock(id) && dataSources.catalog.findProduct(id);
  }
}

/** What the declaration exists to prevent: an upstream field declared in pieces, one forgotten. */
@Resolver(() => Part)
class CarelessResolver {
  @FieldResolver(() => Gadget, { nullable: true })
  gadget(@Root() part: Part, @Ctx() { dataSources }: Context) {
    return dataSources.catalog.findProduct(part.name);
  }

  @FieldResolver(() => Int, { complexity: Cost.upstream })
  weight(): number {
    return 1;
  }

  @UpstreamField(() => Int, { nullable: true, service: "catalog", cost: 2, cache: "catalog" })
  stock(@Root() part: Part, @Ctx() { dataSources }: Context) {
    return dataSources.inventory.findStock(part.name);
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- resolver classes
const build = (resolvers: [Function, ...Function[]]) =>
  buildSchema({ resolvers, validate: false, directives: [...specifiedDirectives, cacheControlDirective] });

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await build([GadgetResolver]);
});

describe("UpstreamQuery / UpstreamField / UpstreamMutation", () => {
  test("emit the field as @Query/@FieldResolver/@Mutation with its cache hint", () => {
    const sdl = printSchemaWithDirectives(lexicographicSortSchema(schema));
    expect(sdl).toContain('"""By id."""\n  gadget(id: ID!): Gadget @cacheControl(maxAge: 60)\n');
    expect(sdl).toContain("parts(first: Int! = 5): [Part!]! @cacheControl(maxAge: 30)\n");
    expect(sdl).toContain("  order: Part\n"); // "none": no hint, on purpose
    expect(sdl).toContain("touch(id: ID!): Gadget!\n");
  });

  test("put the cost where graphql-query-complexity reads it, so the cost model prices it", () => {
    const costOfText = (text: string) => costOf(schema, parse(text), {}).cost;
    expect(schema.getQueryType()?.getFields().gadget?.extensions.complexity).toBe(Cost.upstream);
    expect(schema.getMutationType()?.getFields().touch?.extensions.complexity).toBe(Cost.addReview);
    expect(costOfText('{ gadget(id: "1") { id parts(first: 3) { name } } }')).toBe(2 * Cost.upstream);
    expect(costOfText('{ gadget(id: "1") { order { name } } }')).toBe(2 * Cost.upstream);
  });

  test("put the hint where the cache policy reads it", () => {
    const policies = new CachePolicies(schema, new Set());
    const policyOf = (text: string) => policies.of(parse(text), undefined);
    expect(policyOf('{ gadget(id: "1") { id parts { name } } }')).toEqual({ maxAge: 30, scope: "PUBLIC" });
    expect(policyOf('{ gadget(id: "1") { order { name } } }').maxAge).toBe(0);
  });

  test("record each declaration at class definition, with its services as a list", () => {
    const ours = upstreamDeclarations().filter((d) => d.resolver === GadgetResolver);
    expect(ours.map(({ kind, method, services, cache }) => ({ kind, method, services, cache }))).toEqual([
      { kind: "query", method: "gadget", services: ["catalog"], cache: "catalog" },
      { kind: "field", method: "parts", services: ["reviews"], cache: "reviews" },
      { kind: "field", method: "order", services: ["orders"], cache: "none" },
      { kind: "mutation", method: "touch", services: ["catalog", "inventory"], cache: null },
    ]);
  });

  test("refuse a declaration that names no service", () => {
    expect(() => UpstreamField(() => Int, { service: [], cost: 1, cache: "none" })).toThrow(
      "names at least one service",
    );
  });
});

describe("the check of declarations (test/support/upstream-declarations.ts)", () => {
  test("passes resolvers that declare every upstream field whole", () => {
    expect(upstreamFieldProblems(schema, [GadgetResolver])).toEqual([]);
  });

  test("finds an undeclared upstream field, a hand-written cost and a service left out", async () => {
    const careless = await build([GadgetResolver, CarelessResolver]);
    expect(upstreamFieldProblems(careless, [CarelessResolver]).sort()).toEqual([
      "Part.gadget reads upstreams but is not declared with UpstreamQuery/UpstreamField/UpstreamMutation",
      "Part.stock calls inventory but declares catalog",
      "Part.weight states its cost by hand: declare it with UpstreamQuery/UpstreamField/UpstreamMutation",
    ]);
  });
});
