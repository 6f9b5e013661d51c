/**
 * The bulk-simulation example (issue 13), packages/examples/scenarios/
 * qualification-q1-bulk: a quarter of customer qualifications drawn from a
 * JSON Lines pipeline. It passes (its own expectations pin the outcomes,
 * escalations and SLA breaches), and its summary agrees with the instances
 * the engine holds after the run. `ruleflow simulate` runs it too
 * (packages/cli/test/simulate-bulk.test.ts).
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runScenario } from "@ruleflow/engine";

const scenarios = join(dirname(fileURLToPath(import.meta.url)), "..", "scenarios");
const read = (p: string): string => readFileSync(resolve(scenarios, p), "utf8");

describe("the example qualification-q1-bulk", () => {
  it("passes, and its summary agrees with the instances it started", async () => {
    const doc = JSON.parse(read("qualification-q1-bulk.scenario.json")) as { definitions: string[] };
    const views: { status: string; outcome?: string | undefined }[] = [];
    const report = await runScenario(doc, doc.definitions.map((p) => JSON.parse(read(p)) as unknown), {
      readFile: read,
      inspect: async (engine) => {
        views.push(...(await engine.list()));
      },
    });
    expect(report.failures).toEqual([]);
    const s = report.summary!;
    expect(s.instances.started).toBe(views.length);
    const outcomes: Record<string, number> = {};
    for (const v of views) if (v.outcome) outcomes[v.outcome] = (outcomes[v.outcome] ?? 0) + 1;
    expect(s.instances.outcomes).toEqual(outcomes);
    const w = s.workflows["customer-qualification"]!;
    expect(w.nodes["countersign"]!.hours.p50).toBeLessThanOrEqual(w.nodes["countersign"]!.hours.p99);
    expect(s.from).toBe("2026-01-05");
    expect(s.until).toBe("2026-03-31");
  });
});
