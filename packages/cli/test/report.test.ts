/** `ruleflow report` on the renewal pilot, and `ruleflow evaluate` on a rollout document. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const pilot = join(here, "..", "..", "examples", "definitions", "renewal-incentive-pilot.rollout.json");
const data = join(here, "..", "..", "examples", "data", "renewal-pilot.events.jsonl");

async function run(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => stdin });
  return { code, out, err };
}

function tmp(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "ruleflow-report-")), name);
  writeFileSync(file, content);
  return file;
}

describe("ruleflow report", () => {
  it("prints the analysis as tables with a recommendation", async () => {
    const r = await run(["report", pilot, "--data", data]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^Rollout renewal-incentive-v2 v1 \(running\), control control\n/);
    expect(r.out).toContain("Sample ratio: chi-square 0.02, df 1, p = 0.893 (ok)");
    expect(r.out).toContain("renewed (rate, primary)");
    expect(r.out).toContain("Recommendation: PROMOTE treatment");
  });

  it("prints the analysis as JSON with --format json", async () => {
    const r = await run(["report", pilot, "--data", data, "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.rollout).toEqual({ id: "renewal-incentive-v2", version: 1, status: "running", control: "control" });
    expect(report.variants.map((v: { id: string; units: number }) => [v.id, v.units])).toEqual([
      ["control", 1006],
      ["treatment", 1000],
      ["backup", 0],
    ]);
    expect(report.srm.flagged).toBe(false);
    expect(report.metrics[0].comparisons[0]).toMatchObject({ variant: "treatment", test: "two-proportion-z", significant: true });
    expect(report.recommendation).toMatchObject({ action: "promote", variant: "treatment" });
  });

  it("reads events from standard input", async () => {
    const lines = ['{"type":"exposure","unit":"C-1","variant":"control"}', '{"type":"exposure","unit":"C-2","variant":"treatment"}'].join("\n");
    const r = await run(["report", pilot, "--data", "-", "--format", "json"], lines);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).recommendation.action).toBe("keep-running");
  });

  it("refuses invalid event lines with their line numbers, unless --skip-invalid", async () => {
    const file = tmp("events.jsonl", ['{"type":"exposure","unit":"C-1","variant":"control"}', "{oops", '{"type":"metric","unit":"C-1"}'].join("\n"));
    const r = await run(["report", pilot, "--data", file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}: ["line 2"]: not valid JSON`);
    expect(r.err).toContain(`${file}: ["line 3"].metric: is required (expected a string)`);
    expect(r.err).toContain("2 invalid event(s); fix them or pass --skip-invalid");
    const skipped = await run(["report", pilot, "--data", file, "--skip-invalid"]);
    expect(skipped.code).toBe(0);
    expect(skipped.err).toContain("skipped 2 invalid event(s)");
    expect(skipped.out).toContain("Data: 1 units from 1 exposures");
  });

  it("explains usage mistakes in one line", async () => {
    expect((await run(["report", pilot])).err).toMatch(/usage: ruleflow report <rollout.json> --data/);
    expect((await run(["report", pilot, "--data", data, "--format", "xml"])).err).toMatch(/--format must be table or json, got "xml"/);
    const ruleset = join(here, "..", "..", "examples", "definitions", "contract-auto-approval.ruleset.json");
    expect((await run(["report", ruleset, "--data", data])).err).toMatch(/holds no rollout/);
    expect((await run(["report", "/nonexistent.json", "--data", data])).err).toMatch(/cannot read file \(no such file\)/);
  });
});

describe("ruleflow evaluate on a rollout", () => {
  it("prints the assignment with its bucket, range and explanation", async () => {
    const facts = tmp("facts.json", JSON.stringify({ customer: { id: "C-HZ01-0007" }, campus: { id: "HZ-01" } }));
    const r = await run(["evaluate", pilot, "--facts", facts, "--at", "2026-03-20T10:00:00+08:00"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({
      kind: "rollout",
      id: "renewal-incentive-v2",
      version: 1,
      at: "2026-03-20T02:00:00.000Z",
      output: { ruleset: "renewal-incentive", version: 2 },
      variant: "treatment",
      inExperiment: true,
      bucket: 0.8882,
      range: [0.5, 1],
      explanation: { reason: "assigned", targeted: true, coverage: 100 },
    });
    expect(result.explanation.targeting).toMatchObject({ type: "fact", fact: "campus.id", passed: true });
  });

  it("explains a unit outside the pilot and one the ramp has not reached", async () => {
    const outside = await run(["evaluate", pilot, "--facts", "-", "--at", "2026-03-20T10:00:00+08:00"], JSON.stringify({ customer: { id: "C-1" }, campus: { id: "BJ-01" } }));
    expect(JSON.parse(outside.out)).toMatchObject({ variant: "control", inExperiment: false, explanation: { reason: "not-targeted", targeted: false } });
    const early = await run(["evaluate", pilot, "--facts", "-", "--at", "2026-02-20T10:00:00+08:00"], JSON.stringify({ customer: { id: "C-1" }, campus: { id: "HZ-01" } }));
    expect(JSON.parse(early.out).explanation).toMatchObject({ reason: "not-ramped", coverage: 0 });
  });
});
