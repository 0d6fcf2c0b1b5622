import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "node_modules", ".local", "test-results", "playwright-report"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "warn",
    },
  },
  {
    // The app runs in the browser: the engine's worker code (database, jobs) is never part of it.
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/engine/*", "**/engine"], message: "app/ must not import engine/: shared logic lives in core/" }] }],
    },
  },
  {
    // core/ is shared by the app, the engine and the stack: it depends on none of them.
    files: ["core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/app/*", "**/engine/*", "**/stack/*"], message: "core/ must not import app/, engine/ or stack/" }] }],
    },
  },
  {
    // Specs take `test` from e2e/fixtures.ts, which fails them on console errors and untranslated text.
    files: ["e2e/**/*.spec.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "@playwright/test", message: "import test and expect from ./fixtures" }] }],
    },
  },
);
