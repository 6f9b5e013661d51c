import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { BacktestReport } from "@ruleflow/engine/backtest";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const examples = join(here, "..", "..", "examples");
const defs = join(examples, "definitions");
const cands = join(examples, "candidates");
const data = join(examples, "data");

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => "" });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "ruleflow-backtest-"));
function tmpBytes(name: string, content: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}
function tmp(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

const rebateArgs = [
  "backtest",
  ...["distributor-rebate.v3.rebate.json", "distributor-rebate.v4.rebate.json", "rebate-line-bonus.decision-table.json", "rebate-rate.decision-table.json"].flatMap((f) => ["--baseline", join(defs, f)]),
  ...["--candidate", join(defs, "distributor-rebate.v3.rebate.json"), "--candidate", join(cands, "distributor-rebate.v5.rebate.json")],
  ...["--candidate", join(defs, "rebate-line-bonus.decision-table.json"), "--candidate", join(cands, "rebate-rate.v3.decision-table.json")],
  ...["--facts", join(data, "rebate-history-2026q1.jsonl")],
];

describe("ruleflow backtest", () => {
  it("prints the report as JSON: payout difference per account and --by dimension, changed decisions with both explanations", async () => {
    const r = await run([...rebateArgs, "--by", "customer.region,salesRep"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as BacktestReport;
    expect(report.lines).toBe(18);
    const rebate = report.rebates[0]!;
    expect(rebate.totals).toEqual({ baseline: "451061.91", candidate: "448961.91", difference: "-2100.00" });
    expect(Object.keys(rebate.by)).toEqual(["customer.region", "salesRep"]);
    expect(rebate.by["customer.region"]![0]).toEqual({ value: "South", baseline: "359100.00", candidate: "355500.00", difference: "-3600.00" });
    const table = report.decisions.find((d) => d.id === "rebate-rate")!;
    expect(table.changed).toBe(7);
    expect(table.examples[0]!.baseline.explanation).toMatch(/^decision-table rebate-rate v2 .*b-good-payer/);
    expect(table.examples[0]!.candidate.explanation).toMatch(/^decision-table rebate-rate v3 .*b-good-payer/);
    expect(report.winners[0]).toMatchObject({ kind: "rebate", account: "D-001", difference: "1500.00" });
    expect(report.losers[0]).toMatchObject({ kind: "rebate", account: "D-003", difference: "-3600.00" });
  });

  it("prints tables with --format table, explanations on their own lines, in Chinese with --locale zh-CN", async () => {
    const r = await run([...rebateArgs, "--by", "customer.region", "--format", "table"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Rebate distributor-rebate (CNY): baseline 451061.91, candidate 448961.91, difference -2100.00");
    expect(r.out).toMatch(/^2026-02\s+245721\.91\s+243321\.91\s+-2400\.00$/m);
    expect(r.out).toMatch(/^South\s+359100\.00\s+355500\.00\s+-3600\.00$/m);
    expect(r.out).toMatch(/^\s+✓ b-good-payer: .*\[0\.85\.\.1\]\s+← decided$/m);
    const zh = await run([...rebateArgs, "--format", "table", "--locale", "zh-CN"]);
    expect(zh.out).toContain("返利 distributor-rebate（CNY）：基线 451061.91，候选 448961.91，差额 -2100.00");
  });

  it("writes one HTML page with --format html --output, the figures of the JSON report", async () => {
    const json = JSON.parse((await run(rebateArgs)).out) as BacktestReport;
    const file = join(dir, "report.html");
    const r = await run([...rebateArgs, "--format", "html", "--output", file]);
    expect(r.out).toBe("");
    expect(r.code).toBe(0);
    const html = readFileSync(file, "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script|(src|href)=|https?:/i);
    expect(html).toContain(`data-figure="rebate|distributor-rebate|total|difference">${json.rebates[0]!.totals.difference}<`);
    expect(html).toContain("<svg");
  });

  it("replays promotions from CSV: the date each budget runs out, named by the file's line", async () => {
    const r = await run(["backtest", "--baseline", join(defs, "spring-case-discount.promotion.json"), "--candidate", join(cands, "spring-case-discount.v2.promotion.json"), "--facts", join(data, "store-orders-2026-02.csv"), "--by", "store.region"]);
    expect(r.err).toBe("");
    const p = (JSON.parse(r.out) as BacktestReport).promotions[0]!;
    expect(p.baseline.budgetRunsOut).toBeNull();
    expect(p.candidate.budgetRunsOut).toEqual({ line: 29, at: "2026-02-21T12:09:00+08:00" });
    expect(p.cost).toEqual({ baseline: "43000.00", candidate: "49560.00", difference: "6560.00" });
  });

  it("lists the rollout units that change variant (--time names the line's time)", async () => {
    const r = await run(["backtest", "--baseline", join(defs, "renewal-incentive-pilot.rollout.json"), "--candidate", join(cands, "renewal-incentive-pilot.v2.rollout.json"), "--facts", join(data, "renewal-units-2026-03.jsonl"), "--time", "event.at", "--format", "table"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Rollout renewal-incentive-v2: 5 of 40 line(s) change variant, 5 unit(s)");
    expect(r.out).toMatch(/^\s+2\s+R-1001\s+treatment\s+control$/m);
  });

  it("gives a one-line error and exit 1: a missing file, a bad line (with its number), a bad option", async () => {
    const base = ["backtest", "--baseline", join(defs, "rebate-rate.decision-table.json"), "--candidate", join(cands, "rebate-rate.v3.decision-table.json")];
    const cases: [string[], RegExp][] = [
      [[...base, "--facts", join(dir, "nope.jsonl")], /^ruleflow backtest: .*nope\.jsonl: cannot read file \(no such file\)$/],
      [[...base, "--facts", tmp("bad.jsonl", '{"order":{}}\n\n{"order": oops}\n')], /^ruleflow backtest: .*bad\.jsonl:3: not valid JSON/],
      [[...base, "--facts", tmp("bad.csv", "order.id,order.cases\nSO-1,3\nSO-2,4,5\n")], /^ruleflow backtest: .*bad\.csv:3: the row has 3 cells, the header has 2$/],
      [[...base, "--facts", tmpBytes("binary.jsonl", Buffer.concat([Buffer.from('{"a":1}\n{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]))], /^ruleflow backtest: .*binary\.jsonl:2: not a text file: invalid UTF-8$/],
      [[...base, "--facts", tmp("nul.jsonl", '{"a":1}\n{"a":1}\n{"a":"\u0000"}\n')], /^ruleflow backtest: .*nul\.jsonl:3: not a text file: control character U\+0000$/],
      [[...base, "--facts", tmp("time.jsonl", '{"order":{"date":"yesterday"}}\n')], /^ruleflow backtest: line 1: order\.date is "yesterday"; expected an ISO-8601 time$/],
      [["backtest", "--baseline", join(dir, "missing.json"), "--candidate", join(defs, "rebate-rate.decision-table.json"), "--facts", tmp("ok.jsonl", "{}\n")], /missing\.json: cannot read file \(no such file\)$/],
      [[...base], /^ruleflow backtest: --facts is required; usage: ruleflow backtest --baseline/],
      [["backtest", "--candidate", join(defs, "rebate-rate.decision-table.json"), "--facts", tmp("ok2.jsonl", "{}\n")], /^ruleflow backtest: --baseline is required; usage: /],
      [[...base, "--facts", tmp("ok3.jsonl", "{}\n"), "--format", "pdf"], /^ruleflow backtest: --format must be json, table or html, got "pdf"$/],
      [[...base, "--facts", tmp("ok4.jsonl", "{}\n"), "--by", "a..b"], /^ruleflow backtest: by\[0\]: "a\.\.b" has an empty segment$/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(1);
      expect(r.err.trimEnd(), argv.join(" ")).toMatch(pattern);
      expect(r.err, argv.join(" ")).not.toMatch(/\n\s+at /);
    }
  });
});
