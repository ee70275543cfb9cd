import {
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from "graphql";
import { Cost, pagedList } from "../../schema/shared/cost";

// A small schema priced with the project's cost model (schema/shared/cost.ts), as type-graphql's `complexity` puts it on fields.
const User = new GraphQLObjectType({ name: "User", fields: { id: { type: GraphQLID } } });
const Review = new GraphQLObjectType({
  name: "Review",
  fields: { id: { type: GraphQLID }, author: { type: User, extensions: { complexity: Cost.upstream } } },
});
const Money = new GraphQLObjectType({ name: "Money", fields: { amount: { type: GraphQLInt } } });
const Product = new GraphQLObjectType({
  name: "Product",
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    name: { type: GraphQLString },
    price: { type: Money },
    reviews: {
      type: new GraphQLList(Review),
      args: { first: { type: GraphQLInt, defaultValue: 5 } },
      extensions: { complexity: pagedList(5) },
    },
  },
});
const Connection = new GraphQLObjectType({
  name: "ProductConnection",
  fields: { nodes: { type: new GraphQLList(Product) }, totalCount: { type: GraphQLInt } },
});
export const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: "Query",
    fields: {
      product: { type: Product, args: { id: { type: GraphQLID } }, extensions: { complexity: Cost.upstream } },
      products: {
        type: Connection,
        args: { first: { type: GraphQLInt, defaultValue: 20 } },
        extensions: { complexity: pagedList(20) },
      },
      version: { type: GraphQLString },
    },
  }),
});

export const PAGE = parse(
  "query Page($n: Int, $id: ID) { products(first: $n) { nodes { id reviews(first: 2) { author { id } } } totalCount } product(id: $id) { id } }",
);
