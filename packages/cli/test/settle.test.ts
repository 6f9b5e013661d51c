import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { RebateStatement } from "@ruleflow/engine/rebates";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const examples = join(here, "..", "..", "examples");
const defs = join(examples, "definitions");
const data = join(examples, "data");

async function run(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => stdin });
  return { code, out, err };
}

function tmp(name: string, content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "ruleflow-settle-")), name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

const versions = (): string => {
  const read = (v: number) => JSON.parse(readFileSync(join(defs, `distributor-rebate.v${v}.rebate.json`), "utf8")) as unknown;
  return tmp("distributor-rebate.json", [read(3), read(4)]);
};

describe("ruleflow settle", () => {
  it("settles January from JSON Lines and prints the statement as JSON", async () => {
    const r = await run(["settle", versions(), "--orders", join(data, "orders-2026-01.jsonl"), "--period", "2026-01"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as RebateStatement;
    expect(s).toMatchObject({ kind: "rebate-statement", program: "distributor-rebate", period: "2026-01", sequence: 1, currency: "CNY" });
    expect(s.totals.payable).toBe("220850.00");
    expect(s.lines).toHaveLength(8);
  });

  it("settles February from CSV with the previous statement, table lookups and a readable table", async () => {
    const program = versions();
    const jan = await run(["settle", program, "--orders", join(data, "orders-2026-01.jsonl"), "--period", "2026-01"]);
    const previous = tmp("jan.json", jan.out);
    const args = ["settle", program, "--orders", join(data, "orders-2026-02.csv"), "--period", "2026-02", "--previous", previous, "--definitions", join(defs, "rebate-line-bonus.decision-table.json")];
    const json = await run(args);
    expect(json.err).toBe("");
    const s = JSON.parse(json.out) as RebateStatement;
    expect(s.totals).toEqual({ basis: "4662345.66", earned: "245721.91", paid: "0.00", due: "245721.91", adjustments: "-22110.00", payable: "223611.91" });
    expect(s.adjustments.map((a) => a.key)).toEqual(["SO-2601-01/1", "SO-2601-02/1", "SO-2601-03/1"]);
    const table = await run([...args, "--format", "table", "--max-lines", "2"]);
    expect(table.code).toBe(0);
    expect(table.out).toContain("Rebate statement distributor-rebate 2026-02 #1, CNY, settled 2026-03-04T16:00:00.000Z");
    expect(table.out).toContain("... 5 more line(s)");
    expect(table.out).toMatch(/Totals: basis 4662345.66, .* payable 223611.91/);
  });

  it("gives the same statement from JSON Lines, a JSON array and CSV on standard input", async () => {
    const program = versions();
    const base = ["settle", program, "--period", "2026-02", "--definitions", join(defs, "rebate-line-bonus.decision-table.json")];
    const jsonl = JSON.parse((await run([...base, "--orders", join(data, "orders-2026-02.jsonl")])).out) as RebateStatement;
    const lines = readFileSync(join(data, "orders-2026-02.jsonl"), "utf8").trim().split("\n").map((l: string) => JSON.parse(l));
    const array = JSON.parse((await run([...base, "--orders", tmp("orders.json", lines)])).out) as RebateStatement;
    const csv = JSON.parse((await run([...base, "--orders", "-"], readFileSync(join(data, "orders-2026-02.csv"), "utf8"))).out) as RebateStatement;
    expect(array.totals).toEqual(jsonl.totals);
    expect(csv.totals).toEqual(jsonl.totals);
    expect(csv.lines.map((l) => l.amount)).toEqual(jsonl.lines.map((l) => l.amount));
  });

  it("takes the versions from several files", async () => {
    const files = [3, 4].map((v) => join(defs, `distributor-rebate.v${v}.rebate.json`));
    const args = ["--orders", join(data, "orders-2026-02.jsonl"), "--period", "2026-02", "--definitions", join(defs, "rebate-line-bonus.decision-table.json")];
    const a = JSON.parse((await run(["settle", ...files, ...args])).out) as RebateStatement;
    const b = JSON.parse((await run(["settle", versions(), ...args])).out) as RebateStatement;
    expect(a.versions.map((v) => v.version)).toEqual([3, 4]);
    expect(a).toEqual(b);
  });

  it("reports bad input in one line with exit 1", async () => {
    const program = versions();
    const orders = join(data, "orders-2026-02.jsonl");
    const cases: [string[], RegExp][] = [
      [["settle", program, "--orders", orders], /usage: ruleflow settle/],
      [["settle", program, "--orders", orders, "--period", "2026-Q1"], /settles by month; "2026-Q1" is a quarter/],
      [["settle", program, "--orders", orders, "--period", "2026-02"], /looks up decision table "rebate-line-bonus": pass \{ definitions \}/],
      [["settle", join(defs, "rebate-rate.decision-table.json"), "--orders", orders, "--period", "2026-02"], /expected a rebate program, got a decision-table/],
      [["settle", tmp("bad.json", { kind: "rebate", id: "x", version: 1, basis: {}, tiers: [] }), "--orders", orders, "--period", "2026-02"], /invalid definition: basis.amount: is required/],
      [["settle", program, "--orders", tmp("o.jsonl", "{}\n{ nope"), "--period", "2026-02"], /o.jsonl:2: not valid JSON/],
      [["settle", program, "--orders", "/nonexistent.csv", "--period", "2026-02"], /cannot read file \(no such file\)/],
      [["settle", program, "--orders", orders, "--period", "2026-02", "--format", "xml"], /--format must be json or table/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(1);
      expect(r.err.trim().split("\n"), argv.join(" ")).toHaveLength(1);
      expect(r.err, argv.join(" ")).toMatch(message);
    }
  });
});

describe("ruleflow settle --locale", () => {
  it("writes the statement table in Chinese with --locale zh-CN; the JSON is the same in every locale", async () => {
    const program = versions();
    const jan = await run(["settle", program, "--orders", join(data, "orders-2026-01.jsonl"), "--period", "2026-01"]);
    const previous = tmp("jan.json", jan.out);
    const args = ["settle", program, "--orders", join(data, "orders-2026-02.csv"), "--period", "2026-02", "--previous", previous, "--definitions", join(defs, "rebate-line-bonus.decision-table.json")];
    const zh = await run([...args, "--format", "table", "--max-lines", "2", "--locale", "zh-CN"]);
    expect(zh.err).toBe("");
    expect(zh.code).toBe(0);
    expect(zh.out).toContain("返利对账单 distributor-rebate 2026-02 第 1 次，币种 CNY，结算时间 2026-03-04T16:00:00.000Z");
    expect(zh.out).toContain("…… 另有 5 行未列出");
    expect(zh.out).toContain("以前期间的调整（3）");
    expect(zh.out).toContain("追回");
    expect(zh.out).toMatch(/合计：基数 4662345.66，.*应付合计 223611.91/);
    expect((await run([...args, "--locale", "zh-CN"])).out).toBe((await run(args)).out);
  });

  it("refuses an unknown locale", async () => {
    const r = await run(["settle", versions(), "--orders", join(data, "orders-2026-01.jsonl"), "--period", "2026-01", "--format", "table", "--locale", "fr"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--locale: expected one of en, zh-CN, got "fr"/);
  });
});
