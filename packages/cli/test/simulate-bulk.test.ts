/**
 * `ruleflow simulate` on a bulk-simulation scenario (issue 13): the JSON
 * report with its summary, byte-identical on a second run; `--format table`
 * and `--summary` tables in English and Chinese; the progress bar on
 * standard error only when it is a terminal (or `--progress`), never on a
 * pipe; and the bar's rendering and throttling on their own.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { createProgressBar, progressEnabled, renderProgressBar } from "../src/progress.js";

const here = dirname(fileURLToPath(import.meta.url));
const scenario = join(here, "..", "..", "examples", "scenarios", "qualification-q1-bulk.scenario.json");
const defs = join(here, "..", "..", "examples", "definitions");

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => "" });
  return { code, out, err };
}

/** Pretend standard error is (or is not) a terminal for the duration of a test. */
function stderrIsTTY(value: boolean | undefined): void {
  Object.defineProperty(process.stderr, "isTTY", { value, configurable: true, writable: true });
}
const original = Object.getOwnPropertyDescriptor(process.stderr, "isTTY");
afterEach(() => {
  if (original) Object.defineProperty(process.stderr, "isTTY", original);
  else delete (process.stderr as { isTTY?: boolean }).isTTY;
});

/** A small bulk scenario in a temporary directory. */
function smallScenario(extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "ruleflow-bulk-"));
  const file = join(dir, "bulk.scenario.json");
  writeFileSync(
    file,
    JSON.stringify({
      kind: "scenario",
      id: "small-bulk",
      start: "2026-03-01T00:00:00+08:00",
      definitions: [join(defs, "customer-qualification.workflow.json"), join(defs, "contract-auto-approval.ruleset.json")],
      directory: { roles: { marketing: ["user:ma"], compliance: ["user:chen"], legal: ["user:lu"], "compliance-lead": ["user:boss"] } },
      steps: [
        {
          generate: {
            workflow: "customer-qualification",
            per: "day",
            count: 2,
            from: "2026-03-02",
            until: "2026-03-04",
            inputs: { fields: { "contract.amount": { value: 900000 }, "customer.creditRating": { value: "B" } } },
            actors: [{ approve: 1, after: "PT1H" }],
            ...extra,
          },
        },
      ],
    }),
  );
  return file;
}

describe("ruleflow simulate: bulk simulation", () => {
  it("prints the JSON report with its summary and exits 0; a second run is byte-identical; no progress bar on a pipe", async () => {
    stderrIsTTY(false);
    const a = await run(["simulate", scenario]);
    expect(a.code).toBe(0);
    expect(a.err).toBe("");
    const small = smallScenario({ actors: [{ approve: 0.5, reject: 0.2, after: { distribution: "lognormal", median: "PT1H", p90: "PT5H" } }], seed: 9 });
    expect((await run(["simulate", small])).out).toBe((await run(["simulate", small])).out);
    const report = JSON.parse(a.out);
    expect(report.passed).toBe(true);
    expect(report.summary.instances).toMatchObject({ started: 217, finished: 217, running: 0 });
    expect(report.summary.workflows["customer-qualification"].nodes.countersign.hours.p90).toBeGreaterThan(0);
    expect(report.instances).toEqual({});
  });

  it("--format table and --summary print the summary as tables; --locale zh-CN in Chinese", async () => {
    stderrIsTTY(false);
    const t = await run(["simulate", scenario, "--format", "table"]);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^Bulk simulation 2026-01-05 to 2026-03-31\nInstances: 217 started, 217 finished, 0 still running\n/);
    expect(t.out).toMatch(/customer-qualification +countersign +wall +\d+/);
    expect(t.out).toMatch(/countersign +#1 +escalate +role:compliance-lead +86/);
    expect(t.out).toMatch(/\npassed\n$/);
    const small = smallScenario();
    expect((await run(["simulate", small, "--summary"])).out).toBe((await run(["simulate", small, "--format", "table"])).out);
    const zh = await run(["simulate", small, "--summary", "--locale", "zh-CN"]);
    expect(zh.out).toMatch(/^批量仿真 2026-03-02 至 2026-03-04\n实例：已启动 6 个/);
  });

  it("draws the progress bar on standard error when it is a terminal, and erases it at the end", async () => {
    stderrIsTTY(true);
    const r = await run(["simulate", smallScenario()]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^\r\[#*-*\] +\d+% 2026-03-0\d/);
    expect(r.err).toMatch(/\r {20,}\r$/);
    expect(JSON.parse(r.out).summary.instances.started).toBe(6);
    const quiet = await run(["simulate", smallScenario(), "--no-progress"]);
    expect(quiet.err).toBe("");
    expect(quiet.out).toBe(r.out);
  });

  it("--progress draws it on a pipe too", async () => {
    stderrIsTTY(undefined);
    expect((await run(["simulate", smallScenario()])).err).toBe("");
    expect((await run(["simulate", smallScenario(), "--progress"])).err).toMatch(/\[#+\] 100% .* done {2}started 6 {2}running 0/);
  });

  it("a failed summary expectation exits 1 and names the step", async () => {
    stderrIsTTY(false);
    const file = smallScenario({});
    const doc = JSON.parse((await import("node:fs")).readFileSync(file, "utf8"));
    doc.steps[0].expect = { instances: { started: 7 } };
    writeFileSync(file, JSON.stringify(doc));
    const r = await run(["simulate", file, "--summary"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("steps[0]: summary: instances.started is 6, expected 7");
    expect(r.out).toMatch(/failed: 1 expectation\(s\) did not hold\n {2}steps\[0\]: summary: instances\.started is 6, expected 7\n$/);
  });

  it("refuses bad options and an invalid generator in one line", async () => {
    expect((await run(["simulate", scenario, "--format", "xml"])).err).toMatch(/--format must be json or table, got "xml"/);
    expect((await run(["simulate", scenario, "--progress", "--no-progress"])).err).toMatch(/cannot go together/);
    expect((await run(["simulate", scenario, "--summary", "--format", "json"])).err).toMatch(/--summary prints tables/);
    const bad = await run(["simulate", smallScenario({ per: "fortnight" })]);
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split("\n")).toHaveLength(1);
    expect(bad.err).toMatch(/steps\[0\]\.generate\.per: expected one of working-day, day, hour, got "fortnight"/);
  });
});

describe("the progress bar", () => {
  const p = { step: 0, phase: "generating" as const, at: "2026-04-09T01:00:00.000Z", from: "2026-01-01", until: "2026-12-31", fraction: 0.27, started: 1812, finished: 1771, running: 41 };

  it("renders the share, the virtual date and the counts", () => {
    expect(renderProgressBar(p, 10)).toBe("[###-------]  27% 2026-04-09  started 1,812  running 41");
    expect(renderProgressBar({ ...p, phase: "draining", fraction: 1 }, 4)).toBe("[####] 100% 2026-04-09 draining  started 1,812  running 41");
    expect(renderProgressBar({ ...p, fraction: 7 }, 2)).toMatch(/^\[##\] 100%/);
  });

  it("redraws at most every interval (always for done), in place, and erases what it drew", () => {
    let written = "";
    let now = 0;
    const bar = createProgressBar({ write: (t) => (written += t), enabled: true, now: () => now, intervalMs: 100 });
    bar.update(p);
    now = 50;
    bar.update({ ...p, started: 1900 });
    expect(written.split("\r").length - 1).toBe(1);
    now = 150;
    bar.update({ ...p, started: 2000 });
    bar.update({ ...p, phase: "done", fraction: 1 });
    expect(written.split("\r").filter(Boolean)).toHaveLength(3);
    bar.done();
    expect(written).toMatch(/\r {20,}\r$/);
  });

  it("writes nothing when disabled; decides from the flags, then the terminal", () => {
    let written = "";
    const bar = createProgressBar({ write: (t) => (written += t), enabled: false });
    bar.update(p);
    bar.done();
    expect(written).toBe("");
    expect(progressEnabled(undefined, true)).toBe(true);
    expect(progressEnabled(undefined, false)).toBe(false);
    expect(progressEnabled(undefined, undefined)).toBe(false);
    expect(progressEnabled(true, false)).toBe(true);
    expect(progressEnabled(false, true)).toBe(false);
  });
});
