/**
 * Rebate settlement benchmark: `settleRebates` on many order lines against a
 * hand-written BigInt loop doing the same arithmetic (see bench/commerce.ts).
 */
import { performance } from "node:perf_hooks";
import { compileRebate } from "../packages/engine/src/index.js";
import { settleRebates, statementLineCount } from "../packages/engine/src/entries/rebates.js";
import { seededRandom } from "../packages/engine/src/testing.js";
import { fail } from "./commerce-util.js";
import { formatRate, formatRatio, markdownTable } from "./harness.js";

/** The program settled, as JSON (also what bench/settle-stream.ts gives `ruleflow settle`). */
export const rebateProgramDocument: Parameters<typeof compileRebate>[0] = {
  kind: "rebate",
  id: "bench-rebate",
  version: 1,
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  account: "customer.id",
  basis: { amount: "line.netAmount", exclude: ["returned"] },
  mode: "retroactive",
  tiers: [
    { from: "0", rate: "0.02" },
    { from: "1000000", rate: "0.035" },
    { from: "3000000", rate: "0.05" },
  ],
  modifiers: [{ name: "good payer", when: { fact: "customer.paymentRate90d", op: "gte", value: 0.95 }, multiply: "1.1" }],
  rounding: { scale: 2, mode: "half-even" },
};

export const rebateProgram = compileRebate(rebateProgramDocument);

interface OrderLine {
  order: { id: string; date: string };
  line: { no: number; netAmount: string; status: string };
  customer: { id: string; paymentRate90d: number };
}

export function orderLines(n: number): OrderLine[] {
  const rand = seededRandom(20261123);
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
export function settleByHand(lines: readonly OrderLine[]): BigInt64Array {
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

/**
 * Settle `lines` both ways and abort unless every line's amount agrees (the
 * statement's lines built and read). In a function of its own, so that
 * nothing of it is still held while the rounds are timed.
 */
function check(lines: readonly OrderLine[]): string {
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
  return `checked: ${ours.lines.length.toLocaleString("en-US")} lines, ${ours.accounts.length} accounts, total ${ours.totals.earned} CNY; every line agrees with the hand-written loop`;
}

/** Measure settlement of `count` lines, `rounds` times each; returns summary lines. */
export function rebateBench(count: number, rounds: number): string[] {
  process.stdout.write(`\n# Commerce\n\ngenerating ${count.toLocaleString("en-US")} order lines ... `);
  const lines = orderLines(count);
  console.log("done");
  console.log(check(lines));
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
    if (statementLineCount(s) === 0 || h.length !== lines.length) fail("empty result");
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
