import { defineConfig } from "tsup";

/**
 * One bundle per public entry (package.json "exports"): the root, the domain
 * subpaths and /testing. Each value is exported by exactly one entry
 * (test/entries.test.ts); code they share goes into shared chunks, in CommonJS
 * too (`splitting`), so `require("@ruleflow/engine/rules")` and
 * `require("@ruleflow/engine")` load one copy of each error class and
 * `instanceof` holds across entries.
 */
export const ENTRIES = {
  index: "src/index.ts",
  rules: "src/entries/rules.ts",
  workflow: "src/entries/workflow.ts",
  calendar: "src/entries/calendar.ts",
  money: "src/entries/money.ts",
  promotions: "src/entries/promotions.ts",
  rebates: "src/entries/rebates.ts",
  rollouts: "src/entries/rollouts.ts",
  analysis: "src/entries/analysis.ts",
  backtest: "src/entries/backtest.ts",
  simulation: "src/entries/simulation.ts",
  testing: "src/testing.ts",
};

export default defineConfig({
  entry: ENTRIES,
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  treeshake: true,
  splitting: true,
});
