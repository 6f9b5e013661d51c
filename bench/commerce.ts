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
 *    line's amount differs. Reported: order lines settled per second. The
 *    statement's lines are built when first read (the check reads them all);
 *    the timed rounds settle, which computes every line's amount.
 * 2. Promotion evaluation: `createPromotionSet(200 promotions).evaluate`
 *    (eligibility, benefits, stacking in 20 groups; with and without
 *    explanations of the ineligible ones) against hand-written JS closures
 *    for the same 200 promotions and the same stacking rule. The applied
 *    promotions must agree on every fact object before timing.
 *
 * Environment: BENCH_LINES (default 1,000,000; --quick 200,000).
 *
 * Settlement of a file too large to hold, through the CLI (ten million lines
 * streamed under a capped heap), is bench/settle-stream.ts:
 * `npx tsx bench/settle-stream.ts [--lines 10000000] [--heap-mb 500]`.
 */
import { pathToFileURL } from "node:url";
import { sink, type HarnessOptions } from "./harness.js";
import { promotionBench } from "./promotion-eval.js";
import { rebateBench } from "./rebate-settlement.js";

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
  const summary = [...rebateBench(count, quick ? 1 : 3), ...(await promotionBench(options))];
  console.log();
  for (const s of summary) console.log(`- ${s}`);
  console.log(`\n(sink ${sink})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const quick = process.argv.includes("--quick");
  await runCommerceBench({ rounds: quick ? 3 : 5, roundMs: quick ? 200 : 1000, warmupMs: quick ? 300 : 1000 }, quick);
}
