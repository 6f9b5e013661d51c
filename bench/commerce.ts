/**
 * Commerce benchmark (part of `pnpm bench`; alone:
 * `npx tsx --expose-gc bench/commerce.ts [--quick]`).
 *
 * 1. Rebate settlement: `settleRebates` on 1,000,000 order lines (1,000
 *    distributors, 2% of lines returned, a "good payer" modifier on a third
 *    of the accounts, three retroactive tiers, half-even to the cent)
 *    against a hand-written BigInt loop doing the same arithmetic: parse
 *    each amount to cents, sum per account, find the tier, multiply, round
 *    each account once, spread the residual cents by largest remainder.
 *    Before timing, both settle the same lines and the run aborts if any
 *    line's amount differs. Reported: order lines settled per second.
 * 2. Promotion evaluation: `createPromotionSet(200 promotions).evaluate`
 *    (eligibility, benefits, stacking in 20 groups; with and without
 *    explanations of the ineligible ones) against hand-written JS closures
 *    for the same 200 promotions and the same stacking rule. The applied
 *    promotions must agree on every fact object before timing.
 *
 * Environment: BENCH_LINES (default 1,000,000; --quick 200,000).
 */
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { compileRebate, createPromotionSet, settleRebates, type PromotionDefinition } from "../packages/engine/src/index.js";
import { formatRate, formatRatio, markdownTable, measure, sink, type Contender, type HarnessOptions } from "./harness.js";

const AT = "2026-02-10T02:00:00.000Z";

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fail(message: string): never {
  console.error(`\nBENCHMARK ABORTED: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------
// 1. Rebate settlement
// ---------------------------------------------------------------------------

const TIERS = [
  { from: "0", rate: "0.02" },
  { from: "1000000", rate: "0.035" },
  { from: "3000000", rate: "0.05" },
];

const rebateProgram = compileRebate({
  kind: "rebate",
  id: "bench-rebate",
  version: 1,
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  account: "customer.id",
  basis: { amount: "line.netAmount", exclude: ["returned"] },
  mode: "retroactive",
  tiers: TIERS,
  modifiers: [{ name: "good payer", when: { fact: "customer.paymentRate90d", op: "gte", value: 0.95 }, multiply: "1.1" }],
  rounding: { scale: 2, mode: "half-even" },
});

interface OrderLine {
  order: { id: string; date: string };
  line: { no: number; netAmount: string; status: string };
  customer: { id: string; paymentRate90d: number };
}

function orderLines(n: number): OrderLine[] {
  const rand = prng(20261123);
  const out = new Array<OrderLine>(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * 1000);
    const cents = 100_000 + Math.floor(rand() * 900_000_00);
    const day = 1 + Math.floor(rand() * 28);
    out[i] = {
      order: { id: `SO-${i}`, date: `2026-02-${day < 10 ? "0" : ""}${day}T${10 + (i % 10)}:00:00+08:00` },
      line: { no: 1, netAmount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`, status: rand() < 0.02 ? "returned" : "signed" },
      customer: { id: `D-${c}`, paymentRate90d: c % 3 === 0 ? 0.97 : 0.9 },
    };
  }
  return out;
}

/** The hand-written baseline: the same arithmetic in one BigInt loop. Returns each line's cents (0 for returned). */
function settleByHand(lines: readonly OrderLine[]): BigInt64Array {
  const n = lines.length;
  const cents = new BigInt64Array(n);
  const accountOf = new Int32Array(n);
  const ids = new Map<string, number>();
  const basis: bigint[] = [];
  const good: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const l = lines[i]!;
    if (l.line.status === "returned") {
      accountOf[i] = -1;
      continue;
    }
    const text = l.line.netAmount;
    const dot = text.indexOf(".");
    const c = BigInt(text.slice(0, dot) + text.slice(dot + 1));
    let a = ids.get(l.customer.id);
    if (a === undefined) {
      a = basis.length;
      ids.set(l.customer.id, a);
      basis.push(0n);
      good.push(l.customer.paymentRate90d >= 0.95);
    }
    accountOf[i] = a;
    cents[i] = c;
    basis[a] = basis[a]! + c;
  }
  // rate in units of 1/10000 (0.035 -> 350, x1.1 -> 385 at 1/10000... kept exact at 1/100000)
  const rateOf = (b: bigint, g: boolean): bigint => {
    const base = b >= 300_000_000n ? 500n : b >= 100_000_000n ? 350n : 200n; // per 10,000
    return g ? base * 11n : base * 10n; // per 100,000
  };
  const members: number[][] = basis.map(() => []);
  for (let i = 0; i < n; i++) if (accountOf[i]! >= 0) members[accountOf[i]!]!.push(i);
  const den = 100_000n;
  for (let a = 0; a < basis.length; a++) {
    const rate = rateOf(basis[a]!, good[a]!);
    const idx = members[a]!;
    let exact = 0n;
    let floors = 0n;
    const rems = new Array<bigint>(idx.length);
    for (let k = 0; k < idx.length; k++) {
      const x = cents[idx[k]!]! * rate;
      exact += x;
      const f = x / den;
      rems[k] = x - f * den;
      cents[idx[k]!] = f;
      floors += f;
    }
    // round the account total half-even, once
    let total = exact / den;
    const r = exact - total * den;
    if (r * 2n > den || (r * 2n === den && total % 2n === 1n)) total += 1n;
    let residual = Number(total - floors);
    if (residual > 0) {
      const order = idx.map((_, k) => k).sort((x, y) => (rems[y]! > rems[x]! ? 1 : rems[y]! < rems[x]! ? -1 : x - y));
      for (let k = 0; residual > 0; k++, residual--) cents[idx[order[k]!]!] = cents[idx[order[k]!]!]! + 1n;
    }
  }
  return cents;
}

async function rebateBench(count: number, rounds: number): Promise<string[]> {
  process.stdout.write(`\n# Commerce\n\ngenerating ${count.toLocaleString("en-US")} order lines ... `);
  const lines = orderLines(count);
  console.log("done");
  const ours = settleRebates({ program: rebateProgram, lines, period: "2026-02", at: "2026-03-05T00:00:00+08:00" });
  const hand = settleByHand(lines);
  const byKey = new Map(ours.lines.map((l) => [l.key, l.amount]));
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const mine = byKey.get(`${l.order.id}/1`);
    const theirs = hand[i]!;
    const cents = mine === undefined ? 0n : BigInt(mine.replace(".", ""));
    if (cents !== theirs) fail(`line ${i} (${l.order.id}): settleRebates ${mine ?? "excluded"}, hand-written ${theirs} cents`);
  }
  console.log(`checked: ${ours.lines.length.toLocaleString("en-US")} lines, ${ours.accounts.length} accounts, total ${ours.totals.earned} CNY; every line agrees with the hand-written loop`);
  const times = { ours: [] as number[], hand: [] as number[] };
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let r = 0; r < rounds; r++) {
    gc?.();
    let t = performance.now();
    const s = settleRebates({ program: rebateProgram, lines, period: "2026-02", at: "2026-03-05T00:00:00+08:00" });
    times.ours.push(performance.now() - t);
    gc?.();
    t = performance.now();
    const h = settleByHand(lines);
    times.hand.push(performance.now() - t);
    if (s.lines.length === 0 || h.length !== lines.length) fail("empty result");
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const oursRate = (count / median(times.ours)) * 1000;
  const handRate = (count / median(times.hand)) * 1000;
  console.log(
    `\n## Rebate settlement (${count.toLocaleString("en-US")} order lines, 1,000 accounts, median of ${rounds})\n\n` +
      markdownTable(
        ["contender", "lines/sec", "ms per settlement", "ours ÷ this"],
        [
          ["ruleflow settleRebates (ours): explained statement", formatRate(oursRate), median(times.ours).toFixed(0), "1.00x"],
          ["hand-written BigInt loop: amounts only", formatRate(handRate), median(times.hand).toFixed(0), formatRatio(oursRate / handRate)],
        ],
        [false, true, true, true],
      ),
  );
  return [`rebate settlement: ${formatRate(oursRate)} lines/s, ${formatRatio(handRate / oursRate)} slower than the hand-written BigInt loop`];
}

// ---------------------------------------------------------------------------
// 2. Promotion evaluation with 200 active promotions
// ---------------------------------------------------------------------------

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
  const rand = prng(7);
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
  const rand = prng(11);
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

async function promotionBench(options: HarnessOptions): Promise<string[]> {
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

/**
 * Run both commerce measurements and print their tables.
 *
 * @param options - harness timing for the promotion measurement
 * @param quick - fewer order lines and one settlement round
 * @returns when both measurements are printed
 * @example
 * ```ts
 * await runCommerceBench({ rounds: 5, roundMs: 1000, warmupMs: 1000 });
 * ```
 */
export async function runCommerceBench(options: HarnessOptions, quick = false): Promise<void> {
  const envLines = Number(process.env["BENCH_LINES"]);
  const count = Number.isInteger(envLines) && envLines > 0 ? envLines : quick ? 200_000 : 1_000_000;
  const summary = [...(await rebateBench(count, quick ? 1 : 3)), ...(await promotionBench(options))];
  console.log();
  for (const s of summary) console.log(`- ${s}`);
  console.log(`\n(sink ${sink})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const quick = process.argv.includes("--quick");
  await runCommerceBench({ rounds: quick ? 3 : 5, roundMs: quick ? 200 : 1000, warmupMs: quick ? 300 : 1000 }, quick);
}
