// Lint, including the dependency direction of the design (STYLE.md §2):
// src/{main,server,context} -> resolvers -> schema; resolvers -> datasources (types only);
// datasources -> src/{http,cache,errors}. Violations are errors.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const restrict = (files, patterns) => ({
  files,
  rules: { "no-restricted-imports": ["error", { patterns }] },
});

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "**/*.openapi.ts", "operations/generated/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  restrict(["schema/**/*.ts"], [
    { group: ["**/resolvers/**", "**/datasources/**", "**/src/**", "**/upstreams/**"], message: "schema/ holds GraphQL types only: it knows nothing of resolvers, HTTP or services." },
    { group: ["axios", "keyv", "@keyv/*", "dataloader", "express"], message: "schema/ knows nothing of HTTP or caching." },
  ]),
  restrict(["resolvers/**/*.ts"], [
    { group: ["axios", "keyv", "@keyv/*", "dataloader", "express", "**/src/http/**", "**/src/cache/**", "**/upstreams/**"], message: "Resolvers reach upstreams only through ctx.dataSources." },
    { group: ["**/datasources/*/*.api", "**/datasources/*/*.dto", "**/datasources/*/*.openapi"], message: "Resolvers see datasource models and interfaces, never clients or wire types." },
  ]),
  restrict(["datasources/**/*.ts"], [
    { group: ["graphql", "type-graphql", "@apollo/*", "**/schema/**", "**/resolvers/**", "**/upstreams/**"], message: "Datasources know nothing of GraphQL." },
    { group: ["../catalog/*", "../inventory/*", "../reviews/*", "../accounts/*", "../orders/*", "../payments/*"], message: "A service folder never imports another service folder." },
  ]),
  restrict(["upstreams/**/*.ts"], [
    { group: ["**/resolvers/**", "**/schema/**", "**/datasources/*/*.api", "axios"], message: "The demo upstreams stand alone: they share only wire types and config with the BFF." },
  ]),
  { files: ["upstreams/main.ts", "bench/**/*.ts", "cluster/main.ts", "src/auth/mint-token.ts", "src/emit-schema.ts", "scripts/**"], rules: { "no-console": "off" } },
  { files: ["scripts/**/*.mjs", "scripts/**/*.cjs", "*.js", "*.mjs", "test/**/*.js"], languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", module: "writable", require: "readonly", __dirname: "readonly" } } },
  { files: ["*.js", "scripts/**/*.cjs", "test/**/*.js"], rules: { "@typescript-eslint/no-require-imports": "off" } },
);
