import { defineConfig } from "tsup";

/**
 * One ES module per component (each defines its element when imported) and
 * the root, which defines them all. Browser-only: custom elements need a DOM.
 * Lit, elkjs and the engine stay imports: the host's bundler dedupes them.
 */
export const ENTRIES = {
  index: "src/index.ts",
  "condition-editor": "src/components/condition-editor.ts",
  "decision-table-editor": "src/components/decision-table-editor.ts",
  "workflow-diagram": "src/components/workflow-diagram.ts",
  explanation: "src/components/explanation.ts",
  timeline: "src/components/timeline.ts",
  "promotion-editor": "src/components/promotion-editor.ts",
  "rebate-editor": "src/components/rebate-editor.ts",
  "rollout-editor": "src/components/rollout-editor.ts",
};

export default defineConfig({
  entry: ENTRIES,
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "browser",
  treeshake: true,
  splitting: true,
  tsconfig: "tsconfig.build.json",
});
