import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { lexicographicSortSchema, specifiedDirectives } from "graphql";
import { Field, ID, ObjectType, Query, Resolver, buildSchema } from "type-graphql";
import { cacheControlDirective } from "../../../../schema/shared/cache-control";
import { Connection } from "../../../../schema/shared/connection.type";

@ObjectType()
class Widget {
  @Field(() => ID)
  id!: string;
}

const WidgetConnection = Connection(Widget, { name: "WidgetConnection" });
const CountedWidgetConnection = Connection(Widget, { name: "CountedWidgetConnection", totalCount: "All widgets." });

@Resolver()
class WidgetResolver {
  @Query(() => WidgetConnection)
  widgets(): InstanceType<typeof WidgetConnection> {
    return { nodes: [{ id: "w-1" }], pageInfo: { endCursor: null, hasNextPage: false } };
  }

  @Query(() => CountedWidgetConnection)
  countedWidgets(): InstanceType<typeof CountedWidgetConnection> {
    return { nodes: [], pageInfo: { endCursor: null, hasNextPage: false }, totalCount: 0 };
  }
}

describe("Connection(Item)", () => {
  test("makes one named type per call: nodes and pageInfo, totalCount when described, inheriting max-age", async () => {
    const schema = await buildSchema({
      resolvers: [WidgetResolver],
      validate: false,
      directives: [...specifiedDirectives, cacheControlDirective],
    });
    const sdl = printSchemaWithDirectives(lexicographicSortSchema(schema));
    expect(sdl).toContain(
      [
        "type CountedWidgetConnection @cacheControl(inheritMaxAge: true) {",
        "  nodes: [Widget!]!",
        "  pageInfo: PageInfo!",
        '  """All widgets."""',
        "  totalCount: Int!",
        "}",
      ].join("\n"),
    );
    expect(sdl).toContain(
      [
        "type WidgetConnection @cacheControl(inheritMaxAge: true) {",
        "  nodes: [Widget!]!",
        "  pageInfo: PageInfo!",
        "}",
      ].join("\n"),
    );
    expect(sdl).toContain("type PageInfo @cacheControl(inheritMaxAge: true) {");
  });
});
