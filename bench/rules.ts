/**
 * The definitions, facts and contenders' equivalents used by the benchmark.
 *
 * Every contender is built from the SAME definition:
 * - the rebate-rate decision table below is compiled by Ruleflow and
 *   translated mechanically into a GoRules JDM graph for zen-engine;
 * - the FMCG display pre-check condition is read from
 *   packages/examples/definitions/ and translated mechanically into a
 *   json-rules-engine rule;
 * - the hand-written JS functions are written out by hand and checked
 *   against the engines on every fact before anything is timed.
 */
import { readFileSync } from "node:fs";
import type { RuleProperties, NestedCondition, TopLevelCondition } from "json-rules-engine";
import type { Condition, DecisionTableDefinition, RuleSetDefinition } from "../packages/engine/src/index.js";
import { seededRandom } from "../packages/engine/src/testing.js";

// ---------------------------------------------------------------------------
// 1. Decision table: rebate rate by customer tier x product line x 90-day
//    payment rate (the example table, extended to 36 rows so that row
//    indexing matters).
// ---------------------------------------------------------------------------

type Row = { id: string; tier: string; line: string; paid: string; rate: string };

const REBATE_ROWS: Row[] = [
  // Tier A: strategic customers
  { id: "a-new-excellent", tier: '"A"', line: '"new"', paid: ">= 0.95", rate: "0.125" },
  { id: "a-new-good", tier: '"A"', line: '"new"', paid: "[0.85..0.95)", rate: "0.11" },
  { id: "a-bundle-excellent", tier: '"A"', line: '"bundle"', paid: ">= 0.95", rate: "0.115" },
  { id: "a-core-excellent", tier: '"A"', line: '"core"', paid: ">= 0.95", rate: "0.10" },
  { id: "a-core-good", tier: '"A"', line: '"core"', paid: "[0.85..0.95)", rate: "0.09" },
  { id: "a-clearance-service", tier: '"A"', line: '"clearance","service"', paid: ">= 0.9", rate: "0.05" },
  { id: "a-good-payer", tier: '"A"', line: "-", paid: ">= 0.95", rate: "0.10" },
  { id: "a-fair-payer", tier: '"A"', line: "-", paid: "[0.75..0.95)", rate: "0.07" },
  { id: "a-slow-payer", tier: '"A"', line: "-", paid: "[0.6..0.75)", rate: "0.04" },
  // Tier B
  { id: "b-new-excellent", tier: '"B"', line: '"new"', paid: ">= 0.95", rate: "0.10" },
  { id: "b-new-good", tier: '"B"', line: '"new"', paid: "[0.85..0.95)", rate: "0.09" },
  { id: "b-core-excellent", tier: '"B"', line: '"core"', paid: ">= 0.95", rate: "0.085" },
  { id: "b-bundle", tier: '"B"', line: '"bundle"', paid: "[0.9..1]", rate: "0.09" },
  { id: "b-good-payer", tier: '"B"', line: "-", paid: "[0.9..1]", rate: "0.08" },
  { id: "b-clearance", tier: '"B"', line: '"clearance"', paid: ">= 0.75", rate: "0.03" },
  { id: "b-fair-payer", tier: '"B"', line: "-", paid: "[0.75..0.9)", rate: "0.06" },
  { id: "b-slow-payer", tier: '"B"', line: "-", paid: "[0.6..0.75)", rate: "0.03" },
  // Tier C
  { id: "c-new-excellent", tier: '"C"', line: '"new"', paid: ">= 0.95", rate: "0.08" },
  { id: "c-core-excellent", tier: '"C"', line: '"core"', paid: ">= 0.95", rate: "0.07" },
  { id: "c-bundle", tier: '"C"', line: '"bundle"', paid: ">= 0.9", rate: "0.075" },
  { id: "c-service", tier: '"C"', line: '"service"', paid: ">= 0.8", rate: "0.05" },
  { id: "c-good-payer", tier: '"C"', line: "-", paid: ">= 0.9", rate: "0.06" },
  { id: "c-fair-payer", tier: '"C"', line: "-", paid: "[0.7..0.9)", rate: "0.045" },
  // Tier D
  { id: "d-new", tier: '"D"', line: '"new"', paid: ">= 0.95", rate: "0.06" },
  { id: "d-core", tier: '"D"', line: '"core"', paid: ">= 0.95", rate: "0.055" },
  { id: "d-good-payer", tier: '"D"', line: "-", paid: ">= 0.9", rate: "0.05" },
  { id: "d-fair-payer", tier: '"D"', line: "-", paid: "[0.75..0.9)", rate: "0.035" },
  // Key accounts
  { id: "k-new", tier: '"K"', line: '"new"', paid: ">= 0.9", rate: "0.14" },
  { id: "k-core-bundle", tier: '"K"', line: '"core","bundle"', paid: ">= 0.9", rate: "0.13" },
  { id: "k-good-payer", tier: '"K"', line: "-", paid: ">= 0.8", rate: "0.12" },
  { id: "k-slow-payer", tier: '"K"', line: "-", paid: "[0.6..0.8)", rate: "0.08" },
  // Distributors
  { id: "x-clearance", tier: '"X"', line: '"clearance"', paid: "-", rate: "0" },
  { id: "x-good-payer", tier: '"X"', line: "-", paid: ">= 0.9", rate: "0.07" },
  // Every tier
  { id: "promo-good-payer", tier: "-", line: '"promo"', paid: ">= 0.9", rate: "0.02" },
  { id: "late-payer", tier: "-", line: "-", paid: "< 0.6", rate: "0" },
  { id: "default", tier: "-", line: "-", paid: "-", rate: "0.05" },
];

/** The Ruleflow decision table document. */
export const rebateTable: DecisionTableDefinition = {
  kind: "decision-table",
  id: "rebate-rate-extended",
  version: 1,
  name: "Rebate rate by tier, product line and payment rate (benchmark, 36 rows)",
  facts: ["customer.tier", "order.productLine", "customer.paymentRate90d"],
  hitPolicy: "first",
  inputs: [
    { id: "tier", expr: "customer.tier", label: "Customer tier" },
    { id: "line", expr: "order.productLine", label: "Product line" },
    { id: "paid", expr: "customer.paymentRate90d", label: "90-day payment rate" },
  ],
  outputs: [{ id: "rate", type: "decimal", label: "Rebate rate" }],
  rules: REBATE_ROWS.map((r) => ({ ...r })),
};

/** The number of rows of {@link rebateTable}. */
export const REBATE_ROW_COUNT = REBATE_ROWS.length;

/**
 * The same table as a GoRules JDM graph: inputNode -> decisionTableNode ->
 * outputNode, hit policy "first". Ruleflow's cell syntax is DMN unary tests,
 * which zen-engine also speaks; only "-" (any) becomes "" and the decimal
 * output becomes a number expression.
 */
export function rebateTableJdm(): object {
  const cols = [
    { id: "in-tier", key: "tier", field: "customer.tier", name: "Customer tier" },
    { id: "in-line", key: "line", field: "order.productLine", name: "Product line" },
    { id: "in-paid", key: "paid", field: "customer.paymentRate90d", name: "90-day payment rate" },
  ] as const;
  const rules = REBATE_ROWS.map((r) => {
    const rule: Record<string, string> = { _id: r.id };
    for (const c of cols) rule[c.id] = r[c.key] === "-" ? "" : r[c.key];
    rule["out-rate"] = r.rate;
    return rule;
  });
  return {
    contentType: "application/vnd.gorules.decision",
    nodes: [
      { id: "request", type: "inputNode", name: "Request", position: { x: 0, y: 0 } },
      {
        id: "rebate-table",
        type: "decisionTableNode",
        name: "Rebate rate",
        position: { x: 300, y: 0 },
        content: {
          hitPolicy: "first",
          inputs: cols.map((c) => ({ id: c.id, type: "expression", field: c.field, name: c.name })),
          outputs: [{ id: "out-rate", type: "expression", field: "rate", name: "Rebate rate" }],
          rules,
        },
      },
      { id: "response", type: "outputNode", name: "Response", position: { x: 600, y: 0 } },
    ],
    edges: [
      { id: "e1", type: "edge", sourceId: "request", targetId: "rebate-table" },
      { id: "e2", type: "edge", sourceId: "rebate-table", targetId: "response" },
    ],
  };
}

/** Facts of the rebate table. */
export interface RebateFacts {
  customer: { tier: string; paymentRate90d: number };
  order: { productLine: string };
}

/**
 * The rebate table written by hand as plain if/else, as a developer would
 * without an engine (grouped by tier, first matching row wins).
 */
export function rebateRateByHand(f: RebateFacts): { rate: string } {
  const tier = f.customer.tier;
  const line = f.order.productLine;
  const paid = f.customer.paymentRate90d;
  switch (tier) {
    case "A":
      if (line === "new") {
        if (paid >= 0.95) return { rate: "0.125" };
        if (paid >= 0.85) return { rate: "0.11" };
      } else if (line === "bundle") {
        if (paid >= 0.95) return { rate: "0.115" };
      } else if (line === "core") {
        if (paid >= 0.95) return { rate: "0.10" };
        if (paid >= 0.85) return { rate: "0.09" };
      } else if (line === "clearance" || line === "service") {
        if (paid >= 0.9) return { rate: "0.05" };
      }
      if (paid >= 0.95) return { rate: "0.10" };
      if (paid >= 0.75) return { rate: "0.07" };
      if (paid >= 0.6) return { rate: "0.04" };
      break;
    case "B":
      if (line === "new") {
        if (paid >= 0.95) return { rate: "0.10" };
        if (paid >= 0.85) return { rate: "0.09" };
      } else if (line === "core") {
        if (paid >= 0.95) return { rate: "0.085" };
      } else if (line === "bundle") {
        if (paid >= 0.9 && paid <= 1) return { rate: "0.09" };
      }
      if (paid >= 0.9 && paid <= 1) return { rate: "0.08" };
      if (line === "clearance" && paid >= 0.75) return { rate: "0.03" };
      if (paid >= 0.75 && paid < 0.9) return { rate: "0.06" };
      if (paid >= 0.6 && paid < 0.75) return { rate: "0.03" };
      break;
    case "C":
      if (line === "new") {
        if (paid >= 0.95) return { rate: "0.08" };
      } else if (line === "core") {
        if (paid >= 0.95) return { rate: "0.07" };
      } else if (line === "bundle") {
        if (paid >= 0.9) return { rate: "0.075" };
      } else if (line === "service") {
        if (paid >= 0.8) return { rate: "0.05" };
      }
      if (paid >= 0.9) return { rate: "0.06" };
      if (paid >= 0.7) return { rate: "0.045" };
      break;
    case "D":
      if (line === "new") {
        if (paid >= 0.95) return { rate: "0.06" };
      } else if (line === "core") {
        if (paid >= 0.95) return { rate: "0.055" };
      }
      if (paid >= 0.9) return { rate: "0.05" };
      if (paid >= 0.75) return { rate: "0.035" };
      break;
    case "K":
      if (line === "new") {
        if (paid >= 0.9) return { rate: "0.14" };
      } else if (line === "core" || line === "bundle") {
        if (paid >= 0.9) return { rate: "0.13" };
      }
      if (paid >= 0.8) return { rate: "0.12" };
      if (paid >= 0.6) return { rate: "0.08" };
      break;
    case "X":
      if (line === "clearance") return { rate: "0" };
      if (paid >= 0.9) return { rate: "0.07" };
      break;
  }
  if (line === "promo" && paid >= 0.9) return { rate: "0.02" };
  if (paid < 0.6) return { rate: "0" };
  return { rate: "0.05" };
}

/**
 * Every combination of 7 tiers (one unknown to the table), 7 product lines
 * (one unknown) and 14 payment rates (every band edge of the table and
 * values in between): 686 fact objects, shuffled deterministically so that
 * consecutive evaluations take different paths.
 */
export function rebateFacts(): RebateFacts[] {
  const tiers = ["A", "B", "C", "D", "K", "X", "E"];
  const lines = ["new", "core", "bundle", "clearance", "service", "promo", "spare"];
  const paid = [1, 0.97, 0.95, 0.93, 0.9, 0.87, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.3];
  const out: RebateFacts[] = [];
  for (const tier of tiers) {
    for (const productLine of lines) {
      for (const p of paid) out.push({ customer: { tier, paymentRate90d: p }, order: { productLine } });
    }
  }
  return shuffle(out, 0x5eed);
}

// ---------------------------------------------------------------------------
// 2. Condition tree: the FMCG display subsidy pre-check.
// ---------------------------------------------------------------------------

const FMCG_PATH = new URL("../packages/examples/definitions/fmcg-display-precheck.ruleset.json", import.meta.url);

/** The FMCG display pre-check rule set, as in packages/examples/definitions/. */
export function fmcgRuleSet(): RuleSetDefinition {
  return JSON.parse(readFileSync(FMCG_PATH, "utf8")) as RuleSetDefinition;
}

/** The condition tree of the rule "eligible" of the FMCG rule set. */
export function fmcgCondition(): Condition {
  const doc = fmcgRuleSet();
  const rule = doc.rules.find((r) => r.id === "eligible");
  if (!rule?.when) throw new Error('fmcg-display-precheck: rule "eligible" with a "when" not found');
  return rule.when as Condition;
}

const JRE_OPERATORS: Record<string, string> = {
  eq: "equal",
  ne: "notEqual",
  gt: "greaterThan",
  gte: "greaterThanInclusive",
  lt: "lessThan",
  lte: "lessThanInclusive",
  in: "in",
  notIn: "notIn",
  contains: "contains",
  notContains: "doesNotContain",
};

/**
 * Translate a Ruleflow condition tree into json-rules-engine conditions:
 * `{ fact: "store.tier" }` becomes `{ fact: "store", path: "$.tier" }`.
 * Only what the benchmark needs (all / any / not and the comparison
 * operators) is supported.
 */
export function toJsonRulesEngine(node: Condition): NestedCondition {
  if ("all" in node) return { all: node.all.map(toJsonRulesEngine) };
  if ("any" in node) return { any: node.any.map(toJsonRulesEngine) };
  if ("not" in node) return { not: toJsonRulesEngine(node.not) };
  if ("fact" in node) {
    const operator = JRE_OPERATORS[node.op];
    if (!operator) throw new Error(`operator ${node.op} has no json-rules-engine equivalent here`);
    const [root, ...rest] = node.fact.split(".");
    return {
      fact: root!,
      ...(rest.length ? { path: `$.${rest.join(".")}` } : {}),
      operator,
      value: node.value as never,
    };
  }
  throw new Error("expression leaves have no json-rules-engine equivalent");
}

/** A json-rules-engine rule firing event "eligible" when the FMCG condition holds. */
export function fmcgJsonRulesEngineRule(): RuleProperties {
  return {
    name: "eligible",
    conditions: toJsonRulesEngine(fmcgCondition()) as TopLevelCondition,
    event: { type: "eligible" },
  };
}

/** Facts of the FMCG pre-check. */
export interface FmcgFacts {
  store: { tier: string; purchasesLast90d: number; inventoryDays: number; competitorNewSkus: number };
  visit: { gpsVerified: boolean; photoCount: number };
}

/** The FMCG pre-check written by hand. */
export function fmcgEligibleByHand(f: FmcgFacts): boolean {
  const s = f.store;
  const v = f.visit;
  return (
    (s.tier === "A" || s.tier === "B") &&
    s.purchasesLast90d >= 6 &&
    s.inventoryDays <= 30 &&
    s.competitorNewSkus <= 3 &&
    v.gpsVerified === true &&
    v.photoCount >= 1
  );
}

/**
 * Every combination of values on both sides of each threshold (486 stores
 * and visits), shuffled deterministically. About 1 in 15 is eligible; the
 * others fail at different conditions, so short-circuiting is exercised.
 */
export function fmcgFacts(): FmcgFacts[] {
  const out: FmcgFacts[] = [];
  for (const tier of ["A", "B", "C"]) {
    for (const purchasesLast90d of [3, 6, 12]) {
      for (const inventoryDays of [10, 30, 45]) {
        for (const competitorNewSkus of [0, 3, 5]) {
          for (const gpsVerified of [true, false]) {
            for (const photoCount of [0, 1, 4]) {
              out.push({ store: { tier, purchasesLast90d, inventoryDays, competitorNewSkus }, visit: { gpsVerified, photoCount } });
            }
          }
        }
      }
    }
  }
  return shuffle(out, 0xf00d);
}

/** Fisher-Yates with the seeded generator, so every run shuffles the same way. */
function shuffle<T>(items: T[], seed: number): T[] {
  const rand = seededRandom(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
