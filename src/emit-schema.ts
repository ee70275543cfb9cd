// `npm run schema:emit`: writes schema/schema.graphql from the code-first schema.
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { buildAppSchema, printAppSchema } from "./build-schema";

buildAppSchema().then((schema) => {
  const target = resolve(__dirname, "../../schema/schema.graphql");
  writeFileSync(target, printAppSchema(schema));
  console.log(`wrote ${target}`);
});
