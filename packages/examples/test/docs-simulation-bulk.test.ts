/**
 * docs/simulation.md, "Bulk simulation": the scenario printed there runs as
 * printed (its files read relative to packages/examples/scenarios) and gives
 * the abridged summary shown; the code under "From code" runs as printed and
 * gives the values its comments claim; the field tables name every field of
 * a generator and of a simulated person, as the JSON Schema has them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runScenario } from "@ruleflow/engine";
import { withValueChecks } from "./snippet-checks.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const page = readFileSync(join(root, "docs", "simulation.md"), "utf8");
const start = page.indexOf("\n## Bulk simulation\n");
const end = page.indexOf("\n## ", start + 1);
const section = page.slice(start, end < 0 ? undefined : end);
const jsonBlocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
const tsBlock = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
const scenarios = join(root, "packages", "examples", "scenarios");
const read = (p: string): string => readFileSync(resolve(scenarios, p), "utf8");

/** Every field of `shown` is in `actual`; arrays: each shown item matches some actual item. */
function shownIn(shown: unknown, actual: unknown, path = "report"): string[] {
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual)) return [`${path} is not an array`];
    return shown.flatMap((s, i) => (actual.some((a) => shownIn(s, a).length === 0) ? [] : [`${path}[${i}] ${JSON.stringify(s)} is not in ${JSON.stringify(actual)}`]));
  }
  if (shown !== null && typeof shown === "object") {
    if (actual === null || typeof actual !== "object") return [`${path} is not an object`];
    return Object.entries(shown).flatMap(([k, v]) => shownIn(v, (actual as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return Object.is(shown, actual) ? [] : [`${path} is ${JSON.stringify(actual)}, shown ${JSON.stringify(shown)}`];
}

/** The first column of each row of the markdown table that follows `heading` text. */
function tableFields(after: string): string[] {
  const from = section.indexOf(after);
  expect(from, after).toBeGreaterThanOrEqual(0);
  const table = section.slice(from).split("\n\n")[1]!;
  return table
    .split("\n")
    .slice(2)
    .flatMap((row) => [...(row.split("|")[1] ?? "").matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]!));
}

describe("docs/simulation.md: Bulk simulation", () => {
  it("has the section with a scenario, a summary and code", () => {
    expect(start).toBeGreaterThan(0);
    expect(jsonBlocks).toHaveLength(2);
    expect(tsBlock).toContain("runBulkSimulation");
  });

  it("the printed scenario passes and gives the summary shown", async () => {
    const [scenario, shown] = jsonBlocks as [{ definitions: string[] }, { summary: unknown }];
    const report = await runScenario(scenario, scenario.definitions.map((p) => JSON.parse(read(p)) as unknown), { readFile: read });
    expect(report.failures).toEqual([]);
    expect(shownIn(shown, JSON.parse(JSON.stringify(report)))).toEqual([]);
  });

  it("the code runs as printed and gives the values its comments claim", async () => {
    // `expr; // "value"` lines become checks; everything else runs unchanged
    const { body, checks } = withValueChecks(tsBlock);
    expect(checks.length).toBeGreaterThanOrEqual(3);
    const file = join(mkdtempSync(join(tmpdir(), "ruleflow-docs-")), "bulk.ts");
    writeFileSync(file, `export const __results: unknown[] = [];\n${body}\nexport { progressReports };\n`);
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const mod = (await import(pathToFileURL(file).href)) as { __results: unknown[]; progressReports: number };
      expect(mod.__results).toEqual(checks.map((c) => JSON.parse(c) as unknown));
      expect(mod.progressReports).toBeGreaterThan(5);
    } finally {
      process.chdir(cwd);
    }
  });

  it("the tables name every field of a generator and of a simulated person", () => {
    const schema = JSON.parse(readFileSync(join(root, "packages", "engine", "schema", "scenario.schema.json"), "utf8")) as {
      $defs: { ScenarioGenerator: { properties: Record<string, { items?: { properties: Record<string, unknown> } }> } };
    };
    const generator = schema.$defs.ScenarioGenerator.properties;
    expect(tableFields("### Generators").sort()).toEqual(Object.keys(generator).sort());
    expect(tableFields("### Simulated people").sort()).toEqual(Object.keys(generator["actors"]!.items!.properties).sort());
  });
});
