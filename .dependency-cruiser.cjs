/* global module, process, __dirname -- a CommonJS config, read by dependency-cruiser in Node */
/**
 * The layering of @ruleflow/engine, enforced by `pnpm lint:layers`
 * (dependency-cruiser). docs/architecture.md ("Inside @ruleflow/engine")
 * describes the same table; a test (packages/engine/test/layers.test.ts)
 * keeps the two equal and proves the check fails on a cycle.
 *
 * LAYERS runs from the bottom up. A module may import its own folder and the
 * layers below its own; never a layer above, and never a sibling in its own
 * layer (the domains, for instance, import none of each other). Type-only
 * imports count like any other.
 */

/**
 * The engine's source, relative to where depcruise runs (the repository root).
 * The layering test points it at small fixtures instead.
 */
const SRC = process.env.RULEFLOW_LAYERS_SRC ?? "packages/engine/src/";

/**
 * Each layer: its parts (folders end with `/`, root modules are file names).
 * Keep in step with docs/architecture.md.
 */
const LAYERS = [
  { name: "core", parts: ["core/"] },
  { name: "leaves", parts: ["i18n/", "stats/", "testing/", "storable-text.ts"] },
  { name: "values", parts: ["money/", "conformance-kit.ts"] },
  { name: "expressions", parts: ["expr/"] },
  { name: "schemas", parts: ["schema/"] },
  { name: "kind pipeline", parts: ["kinds/"] },
  { name: "conditions and calendars", parts: ["conditions/", "calendar/"] },
  { name: "decisions", parts: ["decisions/"] },
  { name: "domains", parts: ["promotions/", "rebates/", "rollouts/", "workflow/", "test-suites/"] },
  { name: "kind registry", parts: ["definitions.ts"] },
  { name: "registry and JSON Schema", parts: ["registry.ts", "json-schema.ts"] },
  { name: "runtime", parts: ["runtime/"] },
  { name: "simulation", parts: ["simulation/"] },
  { name: "trust", parts: ["trust/"] },
  { name: "entries", parts: ["index.ts", "testing.ts", "entries/"] },
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/** A path regex for one part: a folder and everything in it, or one root module. */
const partPath = (part) => `^${escape(SRC + part)}${part.endsWith("/") ? "" : "$"}`;
const anyOf = (parts) => parts.map(partPath);

const layerRules = [];
LAYERS.forEach((layer, i) => {
  const above = LAYERS.slice(i + 1).flatMap((l) => l.parts);
  for (const part of layer.parts) {
    const siblings = layer.parts.filter((p) => p !== part);
    const forbidden = [...siblings, ...above];
    if (forbidden.length === 0) continue;
    layerRules.push({
      name: `layer-${part.replace(/[/.]/g, "-").replace(/-+$/, "")}`,
      comment: `${part} (layer "${layer.name}") may import only its own folder and the layers below it: not ${forbidden.join(", ")}.`,
      severity: "error",
      from: { path: partPath(part) },
      to: { path: anyOf(forbidden) },
    });
  }
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import cycle, type-only imports included: move the shared part down instead.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "core-is-a-leaf",
      comment: "src/core imports nothing else of the engine (zod types at most).",
      severity: "error",
      from: { path: partPath("core/") },
      to: { path: `^${escape(SRC)}`, pathNot: partPath("core/") },
    },
    {
      name: "no-node-builtins",
      comment: "The engine runs in browsers too: no node:* or other Node built-in module in packages/engine/src.",
      severity: "error",
      from: { path: `^${escape(SRC)}`, pathNot: "\\.test\\.ts$" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "known-layer",
      comment: "Every module of the engine belongs to a layer of LAYERS in .dependency-cruiser.cjs (add a new folder there and to docs/architecture.md).",
      severity: "error",
      from: { path: `^${escape(SRC)}`, pathNot: anyOf(LAYERS.flatMap((l) => l.parts)) },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$" },
    tsConfig: { fileName: `${__dirname}/packages/engine/tsconfig.json` },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};

// For the layering test; not enumerable, so dependency-cruiser's config check does not see it.
Object.defineProperty(module.exports, "layers", { value: LAYERS, enumerable: false });
