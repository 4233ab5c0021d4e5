/** Jest runs every *.test.ts under test/ and local-bigquery/test/ through ts-jest. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test", "<rootDir>/local-bigquery/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, diagnostics: false }] },
  setupFiles: ["<rootDir>/test/support/offline_env.ts"],
  testTimeout: 120000,
};
