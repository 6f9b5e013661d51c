import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const defs = join(here, "..", "..", "examples", "definitions");
const AT = ["--at", "2026-03-01T00:00:00Z"];

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => "" });
  return { code, out, err };
}

function tmp(name: string, content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "ruleflow-check-")), name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

describe("ruleflow check", () => {
  it("prints findings grouped by file with severity, path, code, message and witness; exit 1 on an error", async () => {
    const r = await run(["check", join(defs, "discount-rate-flawed.decision-table.json"), join(defs, "order-bonus-flawed.ruleset.json"), ...AT]);
    expect(r.code).toBe(1);
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/discount-rate-flawed\.decision-table\.json$/);
    expect(lines[1]).toBe('  error   rules[2]  overlap: rows 2 (medium) and 3 (large) both match when amount: [10000..20000] and segment: "retail"; with hit policy "unique" evaluating such input is an error');
    expect(lines[2]).toBe('          witness: {"order":{"amount":10000},"customer":{"segment":"retail"}}  (medium, large)');
    expect(r.out).toContain("  warning rules[0].when.all[1].expr  never-holds: this condition can never hold: order.amount > 50000 and order.amount < 30000");
    expect(r.out).toContain("shadowed-rule: rule gold-large never fires");
    expect(lines.at(-2)).toBe("1 error, 4 warnings, 0 notes in 2 files");
  });

  it("exits 0 on warnings only, and 1 with --strict", async () => {
    const file = join(defs, "approval-route-flawed.decision-table.json");
    const plain = await run(["check", file, ...AT]);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain("unreachable-row: row 3 (new-year-rush) is never used");
    expect((await run(["check", file, "--strict", ...AT])).code).toBe(1);
    const clean = await run(["check", join(defs, "rebate-rate.decision-table.json"), "--strict", ...AT]);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain("  no findings");
  });

  it("--format json: every result with its findings and witnesses, and a summary", async () => {
    const r = await run(["check", join(defs, "discount-rate-flawed.decision-table.json"), "--format", "json", ...AT]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { files: { file: string; results: { id: string; findings: { code: string; path: unknown[]; witness?: { facts: unknown } }[]; coverage: { noGaps: boolean } }[] }[]; summary: unknown };
    expect(report.summary).toEqual({ errors: 1, warnings: 2, infos: 0, files: 1 });
    const result = report.files[0]!.results[0]!;
    expect(result.findings.map((f) => f.code)).toEqual(["overlap", "gap", "gap"]);
    expect(result.findings[0]!.path).toEqual(["rules", 2]);
    expect(result.findings[1]!.witness!.facts).toEqual({ order: { amount: 50000 }, customer: { segment: "other" } });
    expect(result.coverage.noGaps).toBe(false);
  });

  it("--locale zh-CN writes the messages in Simplified Chinese", async () => {
    const r = await run(["check", join(defs, "order-bonus-flawed.ruleset.json"), "--locale", "zh-CN", ...AT]);
    expect(r.out).toContain("  警告      rules[0].when.all[1].expr  never-holds: 该条件永远不可能成立：order.amount > 50000 and order.amount < 30000");
    expect(r.out).toContain("示例事实: ");
    expect(r.out).toContain("1 个文件：0 个错误，2 个警告，0 个提示");
  });

  it("uses the other files as definitions (a workflow's calendar) and --at for calendar data", async () => {
    const wf = join(defs, "contract-kickoff.workflow.json");
    expect((await run(["check", wf, "--at", "2026-11-20T00:00:00Z"])).out).toContain('calendar-ends-soon: calendar "cn-mainland" has holiday data up to 2026-12-31, 42 days after');
    const cal = tmp("acme.calendar.json", { kind: "calendar", id: "cn-mainland-acme", version: 1, extends: "cn-mainland", coverage: { from: 2025, to: 2027 } });
    const doc = tmp("wf.json", { ...(JSON.parse((await import("node:fs")).readFileSync(wf, "utf8")) as object), calendar: "cn-mainland-acme" });
    const r = await run(["check", doc, cal, "--at", "2026-11-20T00:00:00Z", "--strict"]);
    expect(r.out).not.toContain("calendar-ends-soon");
    expect(r.code).toBe(0);
  });

  it("reports a file that is not valid JSON or not a valid definition, naming the JSON path, and still checks the others", async () => {
    const bad = tmp("bad.json", "{");
    const invalid = tmp("invalid.json", { kind: "decision-table", id: "t", version: 1, inputs: [], outputs: [{ id: "o" }], rules: [{}] });
    const r = await run(["check", bad, invalid, join(defs, "rebate-rate.decision-table.json"), ...AT]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/bad\.json: not valid JSON/);
    expect(r.out).toMatch(/inputs: a decision table needs at least one input/);
    expect(r.out).toContain("  no findings");
  });

  it("refuses bad options", async () => {
    expect((await run(["check"])).err).toMatch(/usage: ruleflow check/);
    expect((await run(["check", "x.json", "--format", "xml"])).err).toMatch(/--format must be text or json/);
    expect((await run(["check", "x.json", "--locale", "fr"])).code).toBe(1);
    expect((await run(["check", join(defs, "rebate-rate.decision-table.json"), "--at", "soon"])).err).toMatch(/at: expected an ISO-8601 time/);
    expect((await run(["check", "x.json", "--bogus"])).err).toMatch(/unknown option --bogus/);
  });
});
