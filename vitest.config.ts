import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@ruleflow/engine/testing": src("./packages/engine/src/testing.ts"),
      "@ruleflow/engine/rules": src("./packages/engine/src/entries/rules.ts"),
      "@ruleflow/engine/workflow": src("./packages/engine/src/entries/workflow.ts"),
      "@ruleflow/engine/calendar": src("./packages/engine/src/entries/calendar.ts"),
      "@ruleflow/engine/money": src("./packages/engine/src/entries/money.ts"),
      "@ruleflow/engine/promotions": src("./packages/engine/src/entries/promotions.ts"),
      "@ruleflow/engine/rebates": src("./packages/engine/src/entries/rebates.ts"),
      "@ruleflow/engine/rollouts": src("./packages/engine/src/entries/rollouts.ts"),
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
