// Lint, including the dependency direction of the design (STYLE.md §2):
// src/{main,server,context} -> resolvers -> schema; resolvers -> checkout -> datasources (interfaces only);
// datasources -> src/{http,cache,errors}. Violations are errors.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import services from "./scripts/services/list.cjs";

const restrict = (files, patterns) => ({
  files,
  rules: { "no-restricted-imports": ["error", { patterns }] },
});

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "node_modules/",
      "coverage/",
      "**/*.openapi.ts",
      "operations/generated/",
      "tools/check-contract.mjs",
    ],
  }, // vendored as is from ../shared,
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  restrict(
    ["schema/**/*.ts"],
    [
      {
        group: ["**/resolvers/**", "**/datasources/**", "**/checkout/**", "**/src/**", "**/upstreams/**"],
        message: "schema/ holds GraphQL types only: it knows nothing of resolvers, HTTP or services.",
      },
      {
        group: ["axios", "keyv", "@keyv/*", "dataloader", "express"],
        message: "schema/ knows nothing of HTTP or caching.",
      },
    ],
  ),
  restrict(
    ["resolvers/**/*.ts"],
    [
      {
        group: [
          "axios",
          "keyv",
          "@keyv/*",
          "dataloader",
          "express",
          "**/src/http/**",
          "**/src/cache/**",
          "**/upstreams/**",
        ],
        message: "Resolvers reach upstreams only through ctx.dataSources.",
      },
      {
        group: ["**/datasources/*/*.api", "**/datasources/*/*.dto", "**/datasources/*/*.openapi"],
        message: "Resolvers see datasource models and interfaces, never clients or wire types.",
      },
      {
        group: ["**/checkout/journal/**", "better-sqlite3", "pg"],
        message: "Resolvers reach checkout through ctx.checkouts, never its storage.",
      },
    ],
  ),
  restrict(
    ["checkout/**/*.ts"],
    [
      {
        group: ["graphql", "type-graphql", "@apollo/*", "**/schema/**", "**/resolvers/**", "**/upstreams/**"],
        message: "checkout/ knows nothing of GraphQL: the resolver maps its answers.",
      },
      {
        group: [
          "axios",
          "keyv",
          "@keyv/*",
          "dataloader",
          "express",
          "**/datasources/*/*.api",
          "**/datasources/*/*.dto",
          "**/datasources/*/*.openapi",
          "**/datasources/index",
        ],
        message: "checkout/ calls upstreams only through the datasource interfaces it is given.",
      },
      {
        group: [
          "**/src/http/**",
          "**/src/cache/**",
          "**/src/auth/**",
          "**/src/plugins/**",
          "**/src/limits/**",
          "**/src/webhooks/**",
          "**/src/errors/bff-errors",
          "**/src/errors/format-error",
          "**/src/server",
          "**/src/create-apollo",
          "**/src/create-deps",
          "**/src/start-graphql",
          "**/src/context",
          "**/src/config",
          "**/src/config/**",
          "**/src/main",
          "**/src/store",
          "**/src/checkout-runtime",
        ],
        message: "checkout/ depends on no composition code (only on UpstreamError): its settings come as arguments.",
      },
    ],
  ),
  restrict(
    ["datasources/**/*.ts"],
    [
      {
        group: [
          "graphql",
          "type-graphql",
          "@apollo/*",
          "**/schema/**",
          "**/resolvers/**",
          "**/upstreams/**",
          "**/checkout/**",
        ],
        message: "Datasources know nothing of GraphQL or of checkout.",
      },
      // One pattern per line of services.json (`../catalog/*`, ...).
      {
        group: services.crossServiceImportPatterns(services.loadServices()),
        message: "A service folder never imports another service folder.",
      },
    ],
  ),
  restrict(
    ["upstreams/**/*.ts"],
    [
      {
        group: ["**/resolvers/**", "**/schema/**", "**/datasources/*/*.api", "axios"],
        message: "The demo upstreams stand alone: they share only wire types and config with the BFF.",
      },
    ],
  ),
  {
    files: [
      "upstreams/main.ts",
      "bench/**/*.ts",
      "cluster/main.ts",
      "src/auth/mint-token.ts",
      "src/emit-schema.ts",
      "scripts/**",
    ],
    rules: { "no-console": "off" },
  },
  {
    files: ["scripts/**/*.mjs", "scripts/**/*.cjs", "*.js", "*.mjs", "test/**/*.js"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        module: "writable",
        require: "readonly",
        __dirname: "readonly",
      },
    },
  },
  { files: ["*.js", "scripts/**/*.cjs", "test/**/*.js"], rules: { "@typescript-eslint/no-require-imports": "off" } },
);
