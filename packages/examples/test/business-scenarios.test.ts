/**
 * The business-wide scenarios of issue 12 (packages/examples/scenarios), run
 * through runScenario as the CLI runs them, and each expectation they write
 * checked independently: the display subsidy against a running sum of gift
 * costs, the rebate statements against settleRebates, the pilot's counts
 * against each rollout version evaluated unit by unit, and the stress case
 * against the overdue rule set and settleRebates.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileDefinition, compileRollout, createRegistry, runScenario, type ScenarioReport } from "@ruleflow/engine";
import { parseOrderLines, settleRebates, type CompiledRebate, type RebateStatement } from "@ruleflow/engine/rebates";

const examples = join(dirname(fileURLToPath(import.meta.url)), "..");
const scenarioFile = (name: string) => join(examples, "scenarios", `${name}.scenario.json`);
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

interface Step {
  [key: string]: unknown;
  expect?: unknown;
}
interface ScenarioDoc {
  start: string;
  definitions: string[];
  steps: Step[];
}

async function run(name: string): Promise<{ doc: ScenarioDoc; report: ScenarioReport; definitions: unknown[]; read: (p: string) => string }> {
  const file = scenarioFile(name);
  const doc = readJson(file) as ScenarioDoc;
  const read = (p: string): string => readFileSync(resolve(dirname(file), p), "utf8");
  const definitions = doc.definitions.map((p) => JSON.parse(read(p)) as unknown);
  const report = await runScenario(doc, definitions, { readFile: read });
  return { doc, report, definitions, read };
}

/** The virtual time of each step: the scenario's start, moved by each advanceTo. */
function timesOf(doc: ScenarioDoc): string[] {
  let now = doc.start;
  return doc.steps.map((s) => {
    if (typeof s.advanceTo === "string") now = s.advanceTo;
    return now;
  });
}

describe("a month of the FMCG display subsidy: the budget runs out mid-month", () => {
  it("passes, and every claim's expected outcome is what a running sum of gift costs against the 200,000.00 budget gives", async () => {
    const { doc, report } = await run("display-subsidy-march");
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
    // the model: a gift of 35.00 per 10 cases; A/B stores only; one claim per store per quarter; releases give back
    const budget = 200_000_00;
    let used = 0;
    const held = new Map<string, number>();
    const stores = new Set<string>();
    const outcomes: string[] = [];
    for (const step of doc.steps) {
      if (typeof step.release === "string") {
        used -= held.get(step.release)!;
        stores.delete([...stores].find((s) => step.release === `visit-${s}`)!);
        held.delete(step.release);
        outcomes.push("released");
      }
      if (typeof step.claim !== "string") continue;
      const facts = step.facts as { store: { id: string; tier: string }; order: { cases: number } };
      const cost = Math.floor(facts.order.cases / 10) * 3500;
      let outcome: string;
      if (!["A", "B"].includes(facts.store.tier)) outcome = "ineligible";
      else if (stores.has(facts.store.id)) outcome = "duplicate";
      else if (used + cost > budget) outcome = "limit";
      else {
        used += cost;
        held.set(step.key as string, cost);
        stores.add(facts.store.id);
        outcome = "claimed";
      }
      outcomes.push(outcome);
      expect((step.expect as { status: string }).status, `${step.key as string}`).toBe(outcome);
    }
    expect(used).toBeLessThanOrEqual(budget);
    // the budget runs out mid-month: the claim on 18 March is the first refused for it, and a later one is refused too
    const refused = doc.steps.flatMap((s, i) => ((s.expect as { status?: string } | undefined)?.status === "limit" ? [i] : []));
    expect(refused.length).toBe(2);
    expect(timesOf(doc)[refused[0]!]).toBe("2026-03-18T10:00:00+08:00");
    expect(report.results?.filter((r) => r.kind === "claim" && r.status === "limit").map((r) => r.at)).toEqual(["2026-03-18T02:00:00.000Z", "2026-03-20T02:00:00.000Z"]);
    const claimed = (report.results ?? []).reduce((n, r) => n + (r.kind === "claim" && r.status === "claimed" ? Math.round(Number(r.value) * 100) : 0), 0);
    const released = (report.results ?? []).reduce((n, r) => n + (r.kind === "release" && r.amount ? Math.round(Number(r.amount) * 100) : 0), 0);
    expect(claimed - released).toBe(used);
    expect(outcomes).toContain("released");
  });
});

/** Settle every `settle` step of a scenario with settleRebates directly, passing the earlier statements. */
function settleIndependently(doc: ScenarioDoc, definitions: unknown[], read: (p: string) => string): RebateStatement[] {
  const registry = createRegistry(definitions);
  const times = timesOf(doc);
  const out: RebateStatement[] = [];
  doc.steps.forEach((s, i) => {
    if (typeof s.settle !== "string") return;
    const program = definitions.filter((d) => (d as { id: string }).id === s.settle).map((d) => compileDefinition(d) as CompiledRebate);
    const lines = typeof s.lines === "string" ? parseOrderLines(read(s.lines), { source: s.lines }) : (s.lines as unknown[]);
    out.push(settleRebates({ program, lines, period: s.period as string, at: times[i]!, previous: [...out], definitions: registry }));
  });
  return out;
}

describe("the distributor rebate settled on the 5th across a mid-month policy change", () => {
  it("passes, and its expected statements are what settleRebates gives for v3 and v4 with the earlier statement as previous", async () => {
    const { doc, report, definitions, read } = await run("distributor-rebate-settlement");
    expect(report.failures).toEqual([]);
    const [january, february] = settleIndependently(doc, definitions, read);
    const settles = doc.steps.filter((s) => typeof s.settle === "string");
    expect(january).toMatchObject(settles[0]!.expect as object);
    expect(february).toMatchObject(settles[1]!.expect as object);
    // the change is mid-month: February has lines under both versions, each priced by the version at its order time
    expect(february!.versions.map((v) => v.version)).toEqual([3, 4]);
    for (const l of february!.lines) expect(l.version).toBe(Date.parse(l.date) < Date.parse("2026-02-15T00:00:00+08:00") ? 3 : 4);
    expect(february!.settledAt).toBe("2026-03-05T02:00:00.000Z");
    expect(february!.totals.payable).toBe("223611.91");
  });
});

describe("the renewal pilot ramping from three campuses to all", () => {
  it("passes, and each assign step's counts are what the version in force gives unit by unit at that time", async () => {
    const { doc, report, definitions } = await run("renewal-pilot-ramp");
    expect(report.failures).toEqual([]);
    const versions = definitions.map((d) => compileRollout(d as never)).sort((a, b) => a.version - b.version);
    const times = timesOf(doc);
    let checked = 0;
    doc.steps.forEach((s, i) => {
      if (typeof s.assign !== "string") return;
      const at = times[i]!;
      const inForce = [...versions].reverse().find((v) => !v.document.effective?.from || Date.parse(v.document.effective.from) <= Date.parse(at))!;
      const units = (s.generate as { count: number; facts: unknown }[]).flatMap((g) =>
        Array.from({ length: g.count }, (_, k) => JSON.parse(JSON.stringify(g.facts).replaceAll("{n}", String(k + 1).padStart(4, "0"))) as unknown),
      );
      const results = units.map((u) => inForce.evaluate(u, { at }));
      const exposed: Record<string, number> = {};
      const reasons: Record<string, number> = {};
      for (const r of results) {
        if (r.inExperiment) exposed[r.variant] = (exposed[r.variant] ?? 0) + 1;
        reasons[r.explanation.reason] = (reasons[r.explanation.reason] ?? 0) + 1;
      }
      expect(s.expect).toEqual({ units: units.length, inExperiment: results.filter((r) => r.inExperiment).length, exposed, reasons });
      checked++;
    });
    expect(checked).toBe(4);
    // 10%, 50%, 100% of the 600 pilot customers, then all 1,000 once version 2 opens every campus
    const inExperiment = doc.steps.filter((s) => typeof s.assign === "string").map((s) => (s.expect as { inExperiment: number }).inExperiment);
    expect(inExperiment[0]).toBeLessThan(90);
    expect(inExperiment[1]! > 240 && inExperiment[1]! < 360).toBe(true);
    expect(inExperiment.slice(2)).toEqual([600, 1000]);
    expect(report.results?.at(-1)).toMatchObject({ kind: "report", version: 2, status: "running" });
  });
});

describe("stress: the largest distributor stops paying for 30 days", () => {
  it("passes: overdue alerts reach the supervisor, the payment-rate modifier falls away, and the next statement claws back", async () => {
    const { doc, report, definitions, read } = await run("largest-distributor-stops-paying");
    expect(report.failures).toEqual([]);
    // the alerts: the supervisor (user:chen) is told twice while it is overdue, then the red flag after 30 days
    const toChen = report.notifications.filter((n) => n.recipients.includes("user:chen")).map((n) => [n.at, n.template]);
    expect(toChen).toEqual([
      ["2026-03-16T01:00:00.000Z", "receivable-overdue-supervisor"],
      ["2026-03-23T01:00:00.000Z", "receivable-overdue-supervisor"],
      ["2026-04-05T01:00:00.000Z", "receivable-red-flag"],
    ]);
    expect(report.instances["ar-d001"]).toMatchObject({ status: "completed", outcome: "escalated" });
    // the overdue rule set, evaluated directly at the steps' times, gives what the evaluate steps expect
    const registry = createRegistry(definitions);
    const times = timesOf(doc);
    doc.steps.forEach((s, i) => {
      if (typeof s.evaluate === "string") expect(registry.evaluate(s.evaluate, s.facts, { at: times[i]! })).toMatchObject(s.expect as object);
    });
    // the statements, settled directly
    const [february, march] = settleIndependently(doc, definitions, read);
    const settles = doc.steps.filter((s) => typeof s.settle === "string");
    expect(february).toMatchObject(settles[0]!.expect as object);
    expect(march).toMatchObject(settles[1]!.expect as object);
    const goodPayer = (l: { modifiers: { name?: string | undefined }[] }) => l.modifiers.some((m) => m.name === "good payer");
    // February paid D-001 the good-payer modifier; in March it no longer applies to D-001's lines, old or new
    expect(february!.lines.filter((l) => l.account === "D-001" && !l.excluded).every(goodPayer)).toBe(true);
    expect(march!.lines.filter((l) => l.account === "D-001").some(goodPayer)).toBe(false);
    expect(march!.adjustments.every((a) => a.account === "D-001" && a.type === "clawback" && !goodPayer(a) && Number(a.due) < 0)).toBe(true);
    expect(march!.adjustments.length).toBe(2);
    // other distributors keep theirs
    expect(march!.lines.filter((l) => l.account === "D-003").every(goodPayer)).toBe(true);
  });
});
