/**
 * `ruleflow simulate` on the business-wide scenarios of issue 12: each example
 * passes through the real CLI (order-line files read relative to the
 * scenario), twice byte-identically, and a bad file is one line naming the step.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const scenarios = join(here, "..", "..", "examples", "scenarios");
const defs = join(here, "..", "..", "examples", "definitions");

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => "" });
  return { code, out, err };
}

describe("ruleflow simulate: business scenarios", () => {
  for (const [name, kinds] of [
    ["display-subsidy-march", ["claim", "release"]],
    ["distributor-rebate-settlement", ["settle"]],
    ["renewal-pilot-ramp", ["assign", "report"]],
    ["largest-distributor-stops-paying", ["settle", "evaluate"]],
  ] as const) {
    it(`${name}: exits 0, lists the business steps' results, and two runs are byte-identical`, async () => {
      const file = join(scenarios, `${name}.scenario.json`);
      const a = await run(["simulate", file]);
      const b = await run(["simulate", file]);
      expect(a.err).toBe("");
      expect(a.code).toBe(0);
      expect(a.out).toBe(b.out);
      const report = JSON.parse(a.out) as { passed: boolean; results: { kind: string }[] };
      expect(report.passed).toBe(true);
      for (const k of kinds) expect(report.results.some((r) => r.kind === k)).toBe(true);
    });
  }

  it("a failed expectation of a settle step exits 1 naming the step and the field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-sim-"));
    const file = join(dir, "s.json");
    writeFileSync(join(dir, "lines.jsonl"), '{"order":{"id":"A","date":"2026-01-10T10:00:00+08:00"},"line":{"no":1,"netAmount":"1000.00","status":"delivered"},"customer":{"id":"D-9"}}\n');
    writeFileSync(
      file,
      JSON.stringify({
        kind: "scenario",
        id: "wrong-total",
        start: "2026-02-05T10:00:00+08:00",
        definitions: [join(defs, "distributor-rebate.v3.rebate.json")],
        steps: [{ settle: "distributor-rebate", period: "2026-01", lines: "lines.jsonl", expect: { totals: { payable: "30.00" } } }],
      }),
    );
    const r = await run(["simulate", file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('steps[0]: totals.payable is "20.00", expected "30.00"');
  });

  it("a missing order-line file is one line naming the step's field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-sim-"));
    const file = join(dir, "s.json");
    writeFileSync(
      file,
      JSON.stringify({
        kind: "scenario",
        id: "no-file",
        start: "2026-02-05T10:00:00+08:00",
        definitions: [join(defs, "distributor-rebate.v3.rebate.json")],
        steps: [{ settle: "distributor-rebate", period: "2026-01", lines: "missing.jsonl" }],
      }),
    );
    const r = await run(["simulate", file]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/steps\[0\]\.lines: cannot read "missing\.jsonl"/);
  });
});
