import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@ruleflow/engine/testing": src("./packages/engine/src/testing.ts"),
      "@ruleflow/engine": src("./packages/engine/src/index.ts"),
      "@ruleflow/postgres": src("./packages/adapters/postgres/src/index.ts"),
      "@ruleflow/webhook": src("./packages/adapters/webhook/src/index.ts"),
    },
  },
  test: {
    include: ["packages/**/src/**/*.test.ts", "packages/**/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 30000,
    reporters: ["default", "./scripts/summary-reporter.ts"],
  },
});
