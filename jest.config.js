/** @type {import('jest').Config} */
const project = (name) => ({
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
    "@opentelemetry/otlp-exporter-base/.+\\.js$": "<rootDir>/test/support/dynamic-import-transform.js",
  },
  transformIgnorePatterns: ["/node_modules/(?!@opentelemetry/otlp-exporter-base/)"],
  setupFiles: ["reflect-metadata"],
  testEnvironment: "node",
});

module.exports = {
  projects: [project("unit"), project("integration"), project("e2e")],
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  testTimeout: 20_000,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
