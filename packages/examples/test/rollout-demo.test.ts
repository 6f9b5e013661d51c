/** The three-campus renewal pilot: its data are reproducible and its demo tells the story. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileRollout, type RolloutDefinition } from "@ruleflow/engine";
import { analyzeRollout, parseRolloutEventLines } from "@ruleflow/engine/rollouts";
import { runRolloutDemo } from "../src/demo-rollout.js";
import { generatePilotEvents } from "../src/rollout-data.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

describe("the renewal pilot data", () => {
  it("is exactly what the seeded generator produces (run scripts/generate-rollout-data.ts after changing it)", () => {
    expect(generatePilotEvents()).toBe(read("data/renewal-pilot.events.jsonl"));
  });

  it("has only exposures of pilot customers inside the ramp, and the built-in lift is found", () => {
    const pilot = compileRollout(JSON.parse(read("definitions/renewal-incentive-pilot.rollout.json")) as RolloutDefinition);
    const { events, issues } = parseRolloutEventLines(read("data/renewal-pilot.events.jsonl"));
    expect(issues).toEqual([]);
    for (const e of events) if (e.type === "exposure") expect(e.unit).toMatch(/^C-(HZ01|SH03|NJ02)-\d{4}$/);
    const report = analyzeRollout(pilot, events);
    expect(report.srm!.flagged).toBe(false);
    const lift = report.metrics[0]!.comparisons[0]!.absolute;
    expect(lift.ci[0]).toBeLessThan(0.07);
    expect(lift.ci[1]).toBeGreaterThan(0.07);
    expect(report.recommendation).toMatchObject({ action: "promote", variant: "treatment" });
  });
});

describe("the rollout demo", () => {
  const lines: string[] = [];
  runRolloutDemo((l) => lines.push(l));
  const text = lines.join("\n");

  it("explains who gets which scheme and why", () => {
    expect(text).toContain('assigned: customer.id "C-HZ01-0007" has bucket 0.8882, inside treatment\'s live range [0.5, 1) at 100% ramp (v1)');
    expect(text).toContain('not-ramped: customer.id "C-NJ02-0042" has bucket 0.5817, outside the live ranges at 10% ramp');
    expect(text).toContain('✗ pilot campuses: campus.id is "BJ-01", expected in ["HZ-01","SH-03","NJ-02"]');
  });

  it("prints the pilot report and promotes the winner with one action", () => {
    expect(text).toContain("Sample ratio: chi-square 0.02, df 1, p = 0.893 (ok)");
    expect(text).toMatch(/\| treatment \| 1,000 \| +360 \| 36\.00% \| \+6\.38 pts \[2\.28, 10\.48\] \|/);
    expect(text).toContain("Recommendation: PROMOTE treatment");
    expect(text).toContain("rollout renewal-incentive-v2 v2 (promoted) at 2026-04-02T02:00:00.000Z: treatment");
  });

  it("is reproducible", () => {
    const again: string[] = [];
    runRolloutDemo((l) => again.push(l));
    expect(again).toEqual(lines);
  });
});
