/**
 * Promotion evaluation benchmark: 200 promotions with stacking, Ruleflow
 * against hand-written closures (see bench/commerce.ts).
 */
import type { PromotionDefinition } from "../packages/engine/src/index.js";
import { createPromotionSet } from "../packages/engine/src/entries/promotions.js";
import { seededRandom } from "../packages/engine/src/testing.js";
import { fail } from "./commerce-util.js";
import { formatRate, formatRatio, markdownTable, measure, type Contender, type HarnessOptions } from "./harness.js";

const AT = "2026-02-10T02:00:00.000Z";

interface PromoSpec {
  id: string;
  group: string;
  mode: "stackable" | "exclusive" | "best-of";
  priority: number;
  tiers: string[];
  minPurchases: number;
  maxInventory: number;
  minCases: number;
  newOnly: boolean;
  regions: string[] | undefined;
  benefit: { kind: "gift"; per: number } | { kind: "discount"; percent: number; capCents: number } | { kind: "points"; mult: number } | { kind: "subsidy"; cents: number };
}

const REGIONS = ["East", "North", "South", "West", "Central"];

function promoSpecs(n: number): PromoSpec[] {
  const rand = seededRandom(7);
  const pick = <T>(xs: readonly T[], k: number): T[] => [...xs].sort(() => rand() - 0.5).slice(0, k);
  return Array.from({ length: n }, (_, i) => {
    const g = i % 20;
    const kind = i % 4;
    return {
      id: `promo-${String(i).padStart(3, "0")}`,
      group: `g${g}`,
      mode: g < 7 ? "stackable" : g < 14 ? "exclusive" : "best-of",
      priority: i % 7,
      tiers: pick(["A", "B", "C", "D"], 2 + Math.floor(rand() * 2)),
      minPurchases: 2 + Math.floor(rand() * 8),
      maxInventory: 20 + Math.floor(rand() * 40),
      minCases: 5 + Math.floor(rand() * 75),
      newOnly: rand() < 0.2,
      regions: rand() < 0.5 ? pick(REGIONS, 3) : undefined,
      benefit:
        kind === 0
          ? { kind: "gift", per: 5 + Math.floor(rand() * 10) }
          : kind === 1
            ? { kind: "discount", percent: 1 + Math.floor(rand() * 15), capCents: 50_000 + Math.floor(rand() * 200_000) }
            : kind === 2
              ? { kind: "points", mult: 1 + Math.floor(rand() * 3) }
              : { kind: "subsidy", cents: 10_000 + Math.floor(rand() * 500_000) },
    } satisfies PromoSpec;
  });
}

const cents = (c: number): string => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`;

function promoDocument(s: PromoSpec): PromotionDefinition {
  const all: NonNullable<PromotionDefinition["eligibility"]>[] = [
    { fact: "store.tier", op: "in", value: s.tiers },
    { fact: "store.purchasesLast90d", op: "gte", value: s.minPurchases },
    { fact: "store.inventoryDays", op: "lte", value: s.maxInventory },
    { fact: "order.cases", op: "gte", value: s.minCases },
  ];
  if (s.newOnly) all.push({ fact: "customer.segment", op: "eq", value: "new" });
  if (s.regions) all.push({ fact: "store.region", op: "in", value: s.regions });
  const b = s.benefit;
  return {
    kind: "promotion",
    id: s.id,
    version: 1,
    currency: "CNY",
    effective: { from: "2026-01-01T00:00:00+08:00", to: "2026-07-01T00:00:00+08:00" },
    eligibility: { all },
    benefit:
      b.kind === "gift"
        ? { type: "gift", sku: `G-${s.id}`, quantity: `floor(order.cases / ${b.per})`, unitCost: "12.00" }
        : b.kind === "discount"
          ? { type: "discount", percent: String(b.percent), of: "order.amount", cap: cents(b.capCents) }
          : b.kind === "points"
            ? { type: "points", multiplier: String(b.mult), of: "order.amount", pointValue: "0.01" }
            : { type: "subsidy", amount: cents(b.cents) },
    stacking: { group: s.group, mode: s.mode, priority: s.priority },
  };
}

interface PromoFacts {
  store: { tier: string; purchasesLast90d: number; inventoryDays: number; region: string };
  customer: { segment: string };
  order: { cases: number; amount: number };
}

function promoFacts(n: number): PromoFacts[] {
  const rand = seededRandom(11);
  return Array.from({ length: n }, () => ({
    store: { tier: "ABCD"[Math.floor(rand() * 4)]!, purchasesLast90d: Math.floor(rand() * 12), inventoryDays: Math.floor(rand() * 70), region: REGIONS[Math.floor(rand() * 5)]! },
    customer: { segment: rand() < 0.3 ? "new" : "existing" },
    order: { cases: Math.floor(rand() * 120), amount: Math.floor(rand() * 20_000_000) / 100 },
  }));
}

/** Hand-written JS: one closure per promotion for eligibility and value (cents), then the same stacking rule. */
function handWritten(specs: readonly PromoSpec[]): (f: PromoFacts) => string[] {
  const compiled = specs.map((s) => {
    const tiers = new Set(s.tiers);
    const regions = s.regions ? new Set(s.regions) : undefined;
    const b = s.benefit;
    const eligible = (f: PromoFacts): boolean =>
      tiers.has(f.store.tier) &&
      f.store.purchasesLast90d >= s.minPurchases &&
      f.store.inventoryDays <= s.maxInventory &&
      f.order.cases >= s.minCases &&
      (!s.newOnly || f.customer.segment === "new") &&
      (!regions || regions.has(f.store.region));
    const value = (f: PromoFacts): number => {
      const amount = Math.round(f.order.amount * 100);
      if (b.kind === "gift") return Math.floor(f.order.cases / b.per) * 1200;
      if (b.kind === "subsidy") return b.cents;
      if (b.kind === "points") return Math.floor((amount * b.mult) / 100);
      // percent of cents, half-even to the cent, capped, never above the amount
      const x = amount * b.percent;
      let d = Math.floor(x / 100);
      const r = x - d * 100;
      if (r > 50 || (r === 50 && d % 2 === 1)) d++;
      return Math.min(d, b.capCents, amount);
    };
    const empty = (f: PromoFacts): boolean => (b.kind === "gift" ? Math.floor(f.order.cases / b.per) === 0 : b.kind === "points" ? value(f) === 0 : b.kind === "discount" ? value(f) === 0 : false);
    return { s, eligible, value, empty };
  });
  return (f) => {
    const groups = new Map<string, { id: string; priority: number; value: number; mode: string }[]>();
    for (const c of compiled) {
      if (!c.eligible(f) || c.empty(f)) continue;
      const list = groups.get(c.s.group) ?? [];
      list.push({ id: c.s.id, priority: c.s.priority, value: c.value(f), mode: c.s.mode });
      groups.set(c.s.group, list);
    }
    const applied: string[] = [];
    for (const list of groups.values()) {
      const mode = list[0]!.mode;
      if (mode === "stackable") {
        for (const p of list) applied.push(p.id);
        continue;
      }
      list.sort((a, b) =>
        mode === "best-of" ? b.value - a.value || b.priority - a.priority || (a.id < b.id ? -1 : 1) : b.priority - a.priority || b.value - a.value || (a.id < b.id ? -1 : 1),
      );
      applied.push(list[0]!.id);
    }
    return applied.sort();
  };
}

/** Measure evaluation of 200 promotions; returns summary lines. */
export async function promotionBench(options: HarnessOptions): Promise<string[]> {
  const specs = promoSpecs(200);
  const set = createPromotionSet(specs.map(promoDocument));
  const hand = handWritten(specs);
  const facts = promoFacts(500);
  const OPTS = { at: AT } as const;
  const FAST = { at: AT, explain: false } as const;
  let applied = 0;
  for (const f of facts) {
    const ours = set.evaluate(f, OPTS).applied.map((p) => p.id).sort();
    const quick = set.evaluate(f, FAST).applied.map((p) => p.id).sort();
    const theirs = hand(f);
    if (ours.join() !== theirs.join() || quick.join() !== theirs.join()) fail(`promotions disagree on ${JSON.stringify(f)}: ours ${ours.join()}, hand-written ${theirs.join()}`);
    applied += ours.length;
  }
  console.log(`\nchecked promotions: 200 promotions x ${facts.length} fact objects; applied sets agree (${(applied / facts.length).toFixed(1)} applied per order on average)`);
  let i1 = 0;
  let i2 = 0;
  let i3 = 0;
  const n = facts.length;
  const G = "promotions";
  const contenders: Contender[] = [
    {
      name: "ruleflow createPromotionSet().evaluate (explains every ineligible one)",
      group: G,
      role: "ours",
      batch: (k) => {
        let s = 0;
        for (let j = 0; j < k; j++) {
          s += set.evaluate(facts[i1]!, OPTS).applied.length;
          if (++i1 === n) i1 = 0;
        }
        return s;
      },
    },
    {
      name: "ruleflow evaluate, explain: false",
      group: G,
      role: "reference",
      batch: (k) => {
        let s = 0;
        for (let j = 0; j < k; j++) {
          s += set.evaluate(facts[i2]!, FAST).applied.length;
          if (++i2 === n) i2 = 0;
        }
        return s;
      },
    },
    {
      name: "hand-written JS closures + stacking",
      group: G,
      role: "baseline",
      batch: (k) => {
        let s = 0;
        for (let j = 0; j < k; j++) {
          s += hand(facts[i3]!).length;
          if (++i3 === n) i3 = 0;
        }
        return s;
      },
    },
  ];
  const results = [];
  for (const c of contenders) {
    process.stdout.write(`measuring ${c.name} ... `);
    const m = await measure(c, options);
    results.push(m);
    console.log(`${formatRate(m.opsPerSec)}/s`);
  }
  const ours = results[0]!.opsPerSec;
  console.log(
    `\n## Promotion evaluation (200 active promotions, 20 stacking groups, ${facts.length} orders)\n\n` +
      markdownTable(
        ["contender", "evaluations/sec", "µs/eval", "ours ÷ this"],
        results.map((m) => [m.contender.name + (m.contender.role === "ours" ? " (ours)" : ""), formatRate(m.opsPerSec), (1e6 / m.opsPerSec).toFixed(1), formatRatio(ours / m.opsPerSec)]),
        [false, true, true, true],
      ),
  );
  return [
    `promotions: ${formatRate(ours)} evaluations/s of 200 promotions with explanations, ${formatRate(results[1]!.opsPerSec)}/s without; hand-written JS ${formatRatio(results[2]!.opsPerSec / ours)} faster`,
  ];
}
