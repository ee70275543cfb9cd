import { graphql, printSchema, specifiedDirectives } from "graphql";
import { Args, Query, Resolver, buildSchema } from "type-graphql";
import { PageArgs, type PageArgsModel } from "../../../../schema/shared/page.args";

const TenPage = PageArgs(10);
const FivePage = PageArgs(5);

@Resolver()
class EchoResolver {
  @Query(() => String)
  ten(@Args(() => TenPage) page: PageArgsModel): string {
    return JSON.stringify(page);
  }

  @Query(() => String)
  five(@Args(() => FivePage) { first, after }: PageArgsModel): string {
    return `${first}:${String(after)}`;
  }
}

describe("PageArgs(defaultFirst)", () => {
  test("declares (after: String, first: Int = default), and keeps its default for the cost model", async () => {
    const schema = await buildSchema({
      resolvers: [EchoResolver],
      validate: false,
      directives: [...specifiedDirectives],
    });
    expect(printSchema(schema)).toContain("ten(after: String, first: Int = 10): String!");
    expect(printSchema(schema)).toContain("five(after: String, first: Int = 5): String!");
    expect([TenPage.defaultFirst, FivePage.defaultFirst]).toEqual([10, 5]);
  });

  test("hands the resolver the defaulted first and the after it was sent", async () => {
    const schema = await buildSchema({
      resolvers: [EchoResolver],
      validate: false,
      directives: [...specifiedDirectives],
    });
    const result = await graphql({ schema, source: '{ ten five(first: 3, after: "x") again: five(after: null) }' });
    expect(result).toEqual({ data: { ten: '{"first":10}', five: "3:x", again: "5:null" } });
  });
});
