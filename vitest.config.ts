import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["app/**/*.test.ts", "stack/**/*.test.ts", "tests/**/*.test.ts", "engine/**/*.test.ts", "core/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Database tests share one local stack; files run one after another to keep them independent.
    fileParallelism: false,
  },
});
