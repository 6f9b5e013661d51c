import { describe, expect, it } from "vitest";
import { compileRebate, type RebateDefinition } from "../src/index.js";
import { explainStatement, settleRebates } from "../src/entries/rebates.js";

const program = (over: Partial<RebateDefinition> = {}): RebateDefinition => ({
  kind: "rebate",
  id: "distributor-rebate",
  version: 4,
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  period: "month",
  account: "customer.id",
  basis: { amount: "line.netAmount", where: { fact: "line.status", op: "ne", value: "draft" }, exclude: ["returned", "exchanged"] },
  mode: "retroactive",
  tiers: [
    { from: "0", rate: "0.02" },
    { from: "1000000", rate: "0.035", name: "silver" },
  ],
  breakdown: ["customer.region"],
  rounding: { scale: 2, mode: "half-even" },
  ...over,
});

let seq = 0;
const line = (customer: string, amount: string, date: string, extra: Record<string, unknown> = {}) => ({
  order: { id: `SO-${++seq}`, date },
  line: { no: 1, netAmount: amount, status: "signed", ...extra },
  customer: { id: customer, region: "East" },
});

/** January settled; in February one January line is returned (claw-back), a late January line arrives (true-up), and a draft line does not count. */
function february() {
  const doc = program();
  const janLines = [line("D1", "800000.00", "2026-01-10T10:00:00+08:00"), line("D1", "300000.00", "2026-01-20T10:00:00+08:00")];
  const jan = settleRebates({ program: compileRebate(doc), lines: janLines, period: "2026-01" });
  const returned = { ...janLines[1]!, line: { ...janLines[1]!.line, status: "returned" } };
  const lines = [
    returned,
    line("D2", "1000.00", "2026-02-10T10:00:00+08:00"),
    line("D2", "50.00", "2026-02-11T10:00:00+08:00", { status: "draft" }),
    line("D3", "500.00", "2026-01-31T23:00:00+08:00"),
  ];
  return settleRebates({ program: compileRebate(doc), lines, period: "2026-02", previous: [jan] });
}

describe("explainStatement in zh-CN", () => {
  it("writes headings, columns, adjustment types and reasons in Chinese", () => {
    const s = february();
    const json = JSON.stringify(s);
    const zh = explainStatement(s, { locale: "zh-CN" });
    expect(JSON.stringify(s)).toBe(json); // the statement is not touched
    expect(zh).toContain("返利对账单 distributor-rebate 2026-02 第 1 次，币种 CNY，结算时间 ");
    expect(zh).toContain("期间 2026-01-31T16:00:00.000Z 至 2026-02-28T16:00:00.000Z");
    expect(zh).toMatch(/版本 4：\d+ 行，基数 [\d.]+，应得返利 [\d.]+/);
    for (const word of ["账户", "基数", "阶梯", "返利率", "距下一阶梯", "应得返利", "已付", "应付", "行键", "调整系数", "原因", "应付合计"]) {
      expect(zh).toContain(word);
    }
    expect(zh).toContain("以前期间的调整（3）");
    expect(zh).toContain("追回");
    expect(zh).toContain("补付");
    expect(zh).toContain("账户 D1 在 2026-01 的基数由 1100000.00 变为 800000.00");
    expect(zh).toContain('2026-01 结算后不再计入：状态为 "returned"');
    expect(zh).toContain("迟到的订单行：未包含在 2026-01 对账单中");
    expect(zh).toContain("不计入：1 行（不满足 basis.where 条件）");
    expect(zh).toMatch(/合计：基数 [\d.]+，应得返利 [\d.]+，此前已付 [\d.]+，本期应付 [\d.]+，调整 -?[\d.]+，应付合计 -?[\d.]+/);
    expect(zh).toContain("按 customer.region 汇总");
    expect(zh).toContain("金额还差 ");
    // nothing English is left but ids, codes and the modifier/dimension names the author wrote
    expect(zh).not.toMatch(/Rebate statement|Accounts|Adjustments|clawback|true-up|Totals|Not counted|after 2026-01 was settled|late line/);
  });

  it("keeps English byte-identical to the default", () => {
    const s = february();
    const en = explainStatement(s);
    expect(explainStatement(s, { locale: "en" })).toBe(en);
    expect(en).toContain("Rebate statement distributor-rebate 2026-02 #1, CNY, settled ");
    expect(en).toContain("Adjustments to earlier periods (3)");
    expect(en).toContain("account D1's 2026-01 basis changed from 1100000.00 to 800000.00");
    expect(en).toContain("Not counted: 1 line(s) (basis.where does not hold)");
  });

  it("writes a partial statement, lines it leaves out and reasons it does not know", () => {
    const doc = program();
    const s = settleRebates({
      program: compileRebate(doc),
      lines: [line("D1", "100.00", "2026-02-02T10:00:00+08:00"), line("D1", "100.00", "2026-02-02T11:00:00+08:00"), line("D1", "100.00", "2026-02-03T10:00:00+08:00", { status: "returned" })],
      period: "2026-02",
      at: "2026-02-20T00:00:00Z",
    });
    const zh = explainStatement(s, { locale: "zh-CN", maxLines: 1 });
    expect(zh).toContain("（期中结算，未含全部期间）");
    expect(zh).toContain("…… 另有 1 行未列出");
    expect(zh).toContain('不计入：1 行（状态为 "returned"）');
    const odd = { ...s, excluded: [{ key: "x", reason: "a host's own words" }] };
    expect(explainStatement(odd, { locale: "zh-CN" })).toContain("不计入：1 行（a host's own words）");
  });

  it("refuses a locale it has no messages for", () => {
    expect(() => explainStatement(february(), { locale: "fr" })).toThrow(/locale: expected one of en, zh-CN, got "fr"/);
  });
});
