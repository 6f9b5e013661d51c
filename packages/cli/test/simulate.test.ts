import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const scenario = join(here, "..", "..", "examples", "scenarios", "qualification-sla.scenario.json");
const defs = join(here, "..", "..", "examples", "definitions");

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => "" });
  return { code, out, err };
}

describe("ruleflow simulate", () => {
  it("prints a JSON report and exits 0 when every expectation holds; two runs are byte-identical", async () => {
    const a = await run(["simulate", scenario]);
    const b = await run(["simulate", scenario]);
    expect(a.code).toBe(0);
    expect(a.err).toBe("");
    expect(a.out).toBe(b.out);
    const report = JSON.parse(a.out);
    expect(report.passed).toBe(true);
    expect(report.instances.q1).toMatchObject({ status: "completed", outcome: "rejected" });
    expect(report.timers.length).toBeGreaterThan(0);
  });

  it("exits 1 and names the failed step when an expectation does not hold", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-sim-"));
    const file = join(dir, "s.json");
    writeFileSync(
      file,
      JSON.stringify({
        kind: "scenario",
        id: "wrong",
        start: "2026-02-12T09:00:00+08:00",
        definitions: [join(defs, "customer-qualification.workflow.json"), join(defs, "contract-auto-approval.ruleset.json")],
        directory: { roles: { marketing: ["user:ma"], compliance: ["user:chen"], legal: ["user:lu"] } },
        steps: [
          { start: "customer-qualification", as: "q", initiator: "user:li", input: { contract: { amount: 900000 }, customer: { creditRating: "B" } } },
          { advance: "PT1H" },
          { expect: { instance: "q", status: "completed" } },
        ],
      }),
    );
    const r = await run(["simulate", file]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).failures).toEqual([{ step: 2, message: "q: status is running, expected completed" }]);
    expect(r.err).toContain("steps[2]: q: status is running, expected completed");
  });

  it("reports an invalid scenario in one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-sim-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ kind: "scenario", id: "bad", start: "yesterday", steps: [{ wait: 1 }] }));
    const r = await run(["simulate", file]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/start/);
  });
});
