// Flat config: typescript-eslint's recommended rules for our TypeScript, plain
// recommended rules for the Dataform JavaScript in includes/ and definitions/.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".local-bigquery/", "coverage/", ".df-credentials.json"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["includes/**/*.js", "definitions/**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        module: "writable",
        require: "readonly",
        dataform: "readonly",
        publish: "readonly",
        declare: "readonly",
        assert: "readonly",
        operate: "readonly",
        test: "readonly",
        constants: "readonly",
        statuses: "readonly",
        sql: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The dashboard's page script runs in the browser, beside vega-embed's global.
    files: ["dashboard/page/**/*.js"],
    languageOptions: { sourceType: "script", globals: { document: "readonly", fetch: "readonly", URLSearchParams: "readonly", vegaEmbed: "readonly" } },
  },
  {
    files: ["**/*.cjs", "*.js"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly", process: "readonly", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
