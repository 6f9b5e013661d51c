/**
 * docs/simulation.md, "Business steps": the scenario printed there runs as
 * printed (its files read relative to packages/examples/scenarios, where the
 * full example lives), passes, and gives the abridged `results` shown; the
 * examples the section lists exist.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runScenario } from "@ruleflow/engine";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const page = readFileSync(join(root, "docs", "simulation.md"), "utf8");
const start = page.indexOf("\n## Business steps\n");
const end = page.indexOf("\n## ", start + 1);
const section = page.slice(start, end < 0 ? undefined : end);
const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);

/** Every field of `shown` is in `actual`; arrays: each shown item matches some actual item. */
function shownIn(shown: unknown, actual: unknown): boolean {
  if (Array.isArray(shown)) return Array.isArray(actual) && shown.every((s) => actual.some((a) => shownIn(s, a)));
  if (shown !== null && typeof shown === "object") {
    return actual !== null && typeof actual === "object" && Object.entries(shown).every(([k, v]) => shownIn(v, (actual as Record<string, unknown>)[k]));
  }
  return Object.is(shown, actual);
}

describe("docs/simulation.md: Business steps", () => {
  it("has the section, a step table naming each business step, a scenario and a report", () => {
    expect(start).toBeGreaterThan(0);
    for (const k of ["evaluate", "claim", "release", "settle", "assign", "report"]) expect(section).toContain(`{ "${k}": `);
    expect(blocks).toHaveLength(2);
  });

  it("the printed scenario passes and gives the results shown", async () => {
    const dir = join(root, "packages", "examples", "scenarios");
    const [scenario, shown] = blocks as [{ definitions: string[] }, { results: unknown[] }];
    const read = (p: string) => readFileSync(resolve(dir, p), "utf8");
    const report = await runScenario(scenario, scenario.definitions.map((p) => JSON.parse(read(p)) as unknown), { readFile: read });
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
    for (const r of shown.results) expect(shownIn([r], report.results), JSON.stringify(r)).toBe(true);
  });

  it("each example the section lists is in packages/examples/scenarios", () => {
    const names = [...section.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]!);
    expect(names).toHaveLength(4);
    for (const n of names) expect(existsSync(join(root, "packages", "examples", "scenarios", `${n}.scenario.json`)), n).toBe(true);
  });
});
