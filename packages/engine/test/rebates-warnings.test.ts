/**
 * Issue 9 item 3 in rebates: a modifier condition, a modifier's decision
 * table or `basis.where` that meets a missing value is reported (quote and
 * statement `warnings`, naming the order line and the path in the program),
 * never silently off.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileRebate, createRegistry, type RebateDefinition } from "../src/index.js";
import { explainStatement, settleRebates } from "../src/entries/rebates.js";

const here = dirname(fileURLToPath(import.meta.url));
const v3 = JSON.parse(readFileSync(join(here, "../../examples/definitions/distributor-rebate.v3.rebate.json"), "utf8")) as RebateDefinition;
const AT = "2026-02-10T10:00:00+08:00";

const order = (id: string, customer: Record<string, unknown>, status = "signed") => ({
  order: { id, date: "2026-02-03T10:00:00+08:00", salesRep: "r1" },
  line: { no: 1, netAmount: "100000.00", status },
  customer: { id: "D-001", region: "east", ...customer },
});

describe("rebate quote warnings", () => {
  const program = compileRebate(v3);

  it("a missing paymentRate90d is reported on the quote, naming the line and modifiers[0].when", () => {
    const q = program.evaluate({ customer: { id: "D-001" }, lines: [{ netAmount: "250000.00", status: "signed" }], periodToDate: { basis: "900000.00" } }, { at: AT });
    expect(q.rate).toBe("0.035");
    expect(q.warnings).toHaveLength(1);
    expect(q.warnings[0]).toMatchObject({ code: "missing_value", path: "modifiers[0].when", line: 1, key: "#1" });
    expect(q.warnings[0]!.message).toContain("customer.paymentRate90d");
  });

  it("a good payer's quote has no warnings", () => {
    const q = program.evaluate({ customer: { id: "D-001", paymentRate90d: 0.97 }, lines: [{ netAmount: "250000.00", status: "signed" }] }, { at: AT });
    expect(q.rate).toBe("0.022");
    expect(q.warnings).toEqual([]);
  });

  it("each line of a multi-line quote is named by its position", () => {
    const p = compileRebate({ ...v3, modifiers: [{ name: "promo", when: { fact: "line.qty", op: "gte", value: 10 }, multiply: "1.5" }] });
    const q = p.evaluate({ customer: { id: "D-001" }, lines: [{ netAmount: "10.00", qty: 12 }, { netAmount: "10.00" }] }, { at: AT });
    expect(q.warnings.map((w) => [w.line, w.key, w.path])).toEqual([[2, "#2", "modifiers[0].when"]]);
  });
});

describe("rebate statement warnings", () => {
  const program = compileRebate(v3);

  it("lists each line whose modifier met a missing value, with its position, key and path", () => {
    const lines = [order("SO-1", { paymentRate90d: 0.97 }), order("SO-2", {}), order("SO-3", { paymentRate90d: null })];
    const st = settleRebates({ program, lines, period: "2026-02" });
    expect(st.warnings.map((w) => [w.line, w.key, w.path, w.code])).toEqual([
      [2, "SO-2/1", "modifiers[0].when", "missing_value"],
      [3, "SO-3/1", "modifiers[0].when", "missing_value"],
    ]);
    const text = explainStatement(st);
    expect(text).toContain("Warnings (2)");
    expect(text).toMatch(/order line 2 \(SO-2\/1\) modifiers\[0\]\.when: .*customer\.paymentRate90d/);
    const zh = explainStatement(st, { locale: "zh-CN" });
    expect(zh).toContain("警告（2）");
    expect(zh).toMatch(/订单行 2（SO-2\/1）modifiers\[0\]\.when：/);
  });

  it("a statement without such lines has no warnings and explainStatement shows no section", () => {
    const st = settleRebates({ program, lines: [order("SO-1", { paymentRate90d: 0.5 })], period: "2026-02" });
    expect(st.warnings).toEqual([]);
    expect(explainStatement(st)).not.toContain("Warnings");
  });

  it("basis.where that meets a missing value is reported with its path", () => {
    const p = compileRebate({ ...v3, basis: { ...v3.basis, where: { fact: "line.margin", op: "gte", value: 0.1 } } });
    const st = settleRebates({ program: p, lines: [order("SO-1", { paymentRate90d: 0.97 })], period: "2026-02" });
    expect(st.excluded).toHaveLength(1);
    expect(st.warnings.map((w) => [w.line, w.key, w.path])).toEqual([[1, "SO-1/1", "basis.where"]]);
  });

  it("a modifier's decision table that meets a missing value names the modifier and the table cell", () => {
    const table = {
      kind: "decision-table",
      id: "pay-factor",
      version: 1,
      hitPolicy: "first",
      inputs: [{ id: "rate", expr: "customer.paymentRate90d" }],
      outputs: [{ id: "factor", type: "decimal" }],
      rules: [
        { rate: ">= 0.95", factor: "1.1" },
        { rate: "-", factor: "1" },
      ],
    };
    const doc = { ...v3, effective: undefined, modifiers: [{ name: "pay", multiply: { table: "pay-factor", output: "factor" } }] } as unknown as RebateDefinition;
    const registry = createRegistry([table, doc]);
    const st = settleRebates({ program: registry.versions("distributor-rebate") as never, lines: [order("SO-9", {})], period: "2026-02", definitions: registry });
    expect(st.warnings).toHaveLength(1);
    expect(st.warnings[0]).toMatchObject({ line: 1, key: "SO-9/1", path: "modifiers[0].multiply", table: { id: "pay-factor", version: 1 } });
    expect(st.warnings[0]!.table!.path).toMatch(/^(inputs|rules)\[0\]/);
  });
});
