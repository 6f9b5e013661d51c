import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeDefinition, type Finding } from "@ruleflow/engine/analysis";
import { compileDefinition, isRuleflowError } from "@ruleflow/engine";

const example = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../examples/definitions/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;
const AT = "2026-03-01T00:00:00Z";
const codes = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.pathText}`);

describe("analyzeDefinition: decision tables", () => {
  it("finds the overlap and the gaps of the flawed discount table, with witnesses the engine confirms", () => {
    const doc = example("discount-rate-flawed.decision-table.json");
    const r = analyzeDefinition(doc, { at: AT });
    expect(codes(r.findings)).toEqual(["overlap rules[2]", "gap rules", "gap rules"]);
    const overlap = r.findings[0]!;
    expect(overlap.severity).toBe("error");
    expect(overlap.witness).toMatchObject({ facts: { order: { amount: 10000 }, customer: { segment: "retail" } }, matches: ["medium", "large"] });
    expect(() => (compileDefinition(doc) as { evaluate(f: unknown): unknown }).evaluate(overlap.witness!.facts)).toThrow(/unique/);
    expect(r.findings[1]!.message).toBe('no row matches when amount: >= 50000 and segment: not("wholesale")');
    expect(r.coverage).toMatchObject({ complete: true, noGaps: false, noOverlaps: false });
  });

  it("finds the unreachable row of the flawed approval route (dates compared exactly)", () => {
    const r = analyzeDefinition(example("approval-route-flawed.decision-table.json"), { at: AT });
    expect(codes(r.findings)).toEqual(["unreachable-row rules[2]"]);
    expect(r.findings[0]!.witness).toMatchObject({ facts: { contract: { value: 50000, signedOn: "2026-12-20T00:00:00.000Z" } }, winner: "small-contract" });
    expect(r.coverage?.noGaps).toBe(true);
  });

  it("reasons over exact decimals: [0.1..0.2] and (0.2..0.3] leave no gap, (0.1..0.2) and (0.2..0.3] leave exactly 0.2", () => {
    const table = (a: string, b: string) => ({
      kind: "decision-table", id: "t", version: 1, hitPolicy: "unique",
      inputs: [{ id: "r", expr: "x.rate" }], outputs: [{ id: "o" }],
      rules: [{ r: "<= 0.1", o: "low" }, { r: a, o: "a" }, { r: b, o: "b" }, { r: "> 0.3", o: "high" }],
    });
    expect(analyzeDefinition(table("(0.1..0.2]", "(0.2..0.3]"), { at: AT }).coverage).toMatchObject({ noGaps: true, noOverlaps: true });
    const gap = analyzeDefinition(table("(0.1..0.2)", "(0.2..0.3]"), { at: AT }).findings;
    expect(gap.map((f) => [f.code, f.witness?.facts])).toEqual([["gap", { x: { rate: 0.2 } }]]);
    const tiny = analyzeDefinition(table("(0.1..0.2000001)", "[0.2000001..0.3]"), { at: AT }).findings;
    expect(tiny).toEqual([]);
  });

  it("reports outputs outside allowedValues, and expressions it cannot reason about, without claiming no gaps", () => {
    const r = analyzeDefinition(
      {
        kind: "decision-table", id: "t", version: 1, hitPolicy: "first",
        inputs: [{ id: "a", expr: "order.amount * 2" }, { id: "s", expr: "customer.segment" }],
        outputs: [{ id: "level", allowedValues: ["low", "high"] }],
        rules: [{ a: "> 10", s: "-", level: "mid" }, { a: "-", s: '"A"', level: { expr: "customer.level" } }],
      },
      { at: AT, locale: "zh-CN" },
    );
    // Row 1 tests order.amount * 2, which the analysis cannot bound: it may cover every segment, so no gap is claimed either way.
    expect(codes(r.findings)).toEqual(["output-not-allowed rules[0].level", "beyond-analysis inputs[0].expr", "beyond-analysis rules[1].level"]);
    expect(r.findings[1]!.message).toBe("超出分析范围：输入表达式 order.amount * 2 不是单纯的事实路径；不判断与该输入有关的重叠和缺口，也不能证明该表没有缺口");
    expect(r.findings[0]!.message).toBe('输出 level 为 "mid"，不在其 allowedValues（"low", "high"）之内');
    // A gap that holds whatever the unanalysed input is, is still reported, with a partial witness.
    const narrow = analyzeDefinition(
      {
        kind: "decision-table", id: "t", version: 1, hitPolicy: "first",
        inputs: [{ id: "a", expr: "order.amount * 2" }, { id: "s", expr: "customer.segment" }],
        outputs: [{ id: "o" }],
        rules: [{ a: "> 10", s: '"A"', o: "x" }, { a: "-", s: '"B"', o: "y" }],
      },
      { at: AT },
    );
    expect(narrow.findings.find((f) => f.code === "gap")!.witness).toMatchObject({ facts: { customer: { segment: "other" } }, partial: true });
    expect(r.coverage).toMatchObject({ complete: false, inputsNotAnalysed: ["a"], noGaps: false });
  });

  it("never claims no gaps when a cell is beyond the analysis", () => {
    const r = analyzeDefinition(
      { kind: "decision-table", id: "t", version: 1, inputs: [{ id: "n", expr: "c.name" }], outputs: [{ id: "o" }], rules: [{ n: '>= "M"', o: "late" }, { n: '< "M"', o: "early" }] },
      { at: AT },
    );
    expect(r.coverage).toMatchObject({ complete: false, noGaps: false });
    expect(r.findings.every((f) => f.code === "beyond-analysis" || f.code === "gap")).toBe(true);
    expect(r.coverage!.notAnalysed).toEqual(["rules[0].n", "rules[1].n"]);
  });
});

describe("analyzeDefinition: rule sets, promotions, rebates", () => {
  it("finds the contradictory condition and the shadowed rule of the flawed rule set", () => {
    const r = analyzeDefinition(example("order-bonus-flawed.ruleset.json"), { at: AT });
    expect(codes(r.findings)).toEqual(["never-holds rules[0].when.all[1].expr", "shadowed-rule rules[2]"]);
    expect(r.findings[0]!.message).toBe("this condition can never hold: order.amount > 50000 and order.amount < 30000");
    expect(r.findings[1]!.witness).toMatchObject({ winner: "large-order", facts: { order: { amount: 25001 }, customer: { level: "gold" } } });
  });

  it("a promotion whose eligibility contradicts itself, and a budget smaller than one benefit", () => {
    const r = analyzeDefinition(
      {
        kind: "promotion", id: "p", version: 1, currency: "CNY",
        eligibility: { all: [{ fact: "store.tier", op: "in", value: ["A"] }, { fact: "store.tier", op: "eq", value: "B" }] },
        benefit: [{ type: "subsidy", amount: "300.00" }, { type: "gift", sku: "G", quantity: 2, unitCost: "50.00" }],
        limits: { budget: "1000.00", perStore: { budget: "350.00" } },
      },
      { at: AT },
    );
    expect(codes(r.findings)).toEqual(["contradictory-eligibility eligibility", "budget-below-benefit limits.perStore.budget"]);
    expect(r.findings[1]!.message).toContain("(400.00)");
  });

  it("rebate tiers whose rate falls (unless accepted) and modifiers that never apply", () => {
    const doc = {
      ...example("distributor-rebate.v4.rebate.json"),
      tiers: [{ from: "0", rate: "0.02", name: "base" }, { from: "1000000", rate: "0.015", name: "silver" }],
      modifiers: [{ name: "never", when: { all: [{ fact: "customer.paymentRate90d", op: "gte", value: 0.95 }, { fact: "customer.paymentRate90d", op: "lt", value: 0.9 }] }, multiply: "1.1" }],
    };
    expect(codes(analyzeDefinition(doc, { at: AT }).findings)).toEqual(["tier-rate-falls tiers[1].rate", "modifier-never-applies modifiers[0].when"]);
    expect(codes(analyzeDefinition(doc, { at: AT, accept: ["tier-rate-falls"] }).findings)).toEqual(["modifier-never-applies modifiers[0].when"]);
  });
});

describe("analyzeDefinition: workflows and calendars", () => {
  const wf = {
    kind: "workflow", id: "w", version: 1, start: "review",
    nodes: {
      review: {
        type: "approval", assignees: [], fallback: "fail", onApprove: "loop", onReject: "rejected",
        escalation: [{ after: "P1D", action: "auto-reject" }, { after: "P1D", action: "remind" }],
      },
      loop: { type: "notify", notify: [{ to: "initiator", template: "t" }], next: "loop" },
      orphan: { type: "end", outcome: "x" },
      rejected: { type: "end", outcome: "rejected" },
    },
  };
  it("unreachable nodes, nodes with no path to an end, approvals to no one, escalation after a deciding step", () => {
    const r = analyzeDefinition(wf, { at: AT });
    expect(codes(r.findings).sort()).toEqual(
      ["escalation-after-decision nodes.review.escalation[1]", "no-approver nodes.review.assignees", "no-path-to-end nodes.loop", "unreachable-node nodes.orphan"].sort(),
    );
    const roles = analyzeDefinition({ ...wf, nodes: { ...wf.nodes, review: { ...wf.nodes.review, assignees: ["role:legal"] } } }, { at: AT, directory: { roles: { legal: [] } } });
    expect(codes(roles.findings)).toContain("no-approver nodes.review.assignees[0]");
  });

  it("calendar data ending within 60 days of the time of the check", () => {
    const doc = { ...wf, calendar: "cn-mainland" };
    expect(codes(analyzeDefinition(doc, { at: "2026-11-15T00:00:00Z" }).findings)).toContain("calendar-ends-soon calendar");
    expect(codes(analyzeDefinition(doc, { at: "2026-06-01T00:00:00Z" }).findings)).not.toContain("calendar-ends-soon calendar");
    const past = analyzeDefinition(doc, { at: "2027-01-02T00:00:00Z" }).findings.find((f) => f.code === "calendar-ends-soon")!;
    expect(past.severity).toBe("error");
    const own = { kind: "calendar", id: "acme", version: 1, extends: "cn-mainland", coverage: { from: 2025, to: 2025 } };
    expect(codes(analyzeDefinition(own, { at: "2025-12-01T00:00:00Z" }).findings)).toEqual(["calendar-ends-soon coverage.to"]);
  });
});

describe("analyzeDefinition: input", () => {
  it("refuses a document that is not a definition, naming the JSON path", () => {
    try {
      analyzeDefinition({ kind: "decision-table", id: "t", version: 1, inputs: [], outputs: [{ id: "o" }], rules: [{}] });
      expect.unreachable();
    } catch (e) {
      expect(isRuleflowError(e, "VALIDATION_ERROR")).toBe(true);
      expect((e as { issues: { path: unknown[] }[] }).issues[0]!.path).toEqual(["inputs"]);
    }
    expect(() => analyzeDefinition("nope")).toThrow(/definition/);
    expect(() => analyzeDefinition(example("rebate-rate.decision-table.json"), { at: "yesterday" })).toThrow(/at: expected an ISO-8601 time/);
    expect(() => analyzeDefinition(example("rebate-rate.decision-table.json"), { accept: ["nope" as never] })).toThrow(/accept\[0\]/);
  });

  it("findings have the shape <rf-decision-table-editor> takes: code, severity, path, message, witness", () => {
    for (const f of analyzeDefinition(example("discount-rate-flawed.decision-table.json"), { at: AT }).findings) {
      expect(typeof f.code).toBe("string");
      expect(["error", "warning", "info"]).toContain(f.severity);
      expect(Array.isArray(f.path)).toBe(true);
      expect(typeof f.message).toBe("string");
    }
  });

  it("finds nothing wrong in the shipped examples (at a time their calendars still cover)", () => {
    for (const name of ["rebate-rate.decision-table.json", "rebate-line-bonus.decision-table.json", "commission-split.ruleset.json", "q1-display-subsidy.promotion.json", "distributor-rebate.v4.rebate.json", "contract-kickoff.workflow.json"]) {
      const r = analyzeDefinition(example(name), { at: AT });
      expect(r.findings.filter((f) => f.severity !== "info"), name).toEqual([]);
    }
  });
});
