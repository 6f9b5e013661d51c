/**
 * A small timing helper. Each contender provides its own batch loop (so that
 * every loop's call site stays monomorphic and V8 can optimise each
 * contender as it would in real code). The helper picks a batch size that
 * takes about 2 ms, warms up for a fixed time, then runs several rounds of a
 * fixed time budget and reports the median rate.
 */
import { performance } from "node:perf_hooks";

/** A contender: runs `n` evaluations and returns a number derived from their results (kept so nothing is optimised away). */
export interface Contender {
  readonly name: string;
  readonly group: string;
  /** One of "ours", "competitor", "baseline", "reference". */
  readonly role: "ours" | "competitor" | "baseline" | "reference";
  readonly batch: (n: number) => number | Promise<number>;
}

/** The measurement of one contender. */
export interface Measurement {
  readonly contender: Contender;
  /** Median evaluations per second over the rounds. */
  readonly opsPerSec: number;
  readonly minOpsPerSec: number;
  readonly maxOpsPerSec: number;
  readonly rounds: number;
  readonly totalOps: number;
  readonly batchSize: number;
}

export interface HarnessOptions {
  /** Warm-up time before measuring, ms. */
  warmupMs: number;
  /** Time budget of one round, ms. */
  roundMs: number;
  /** Number of rounds; the median is reported. */
  rounds: number;
}

/** Accumulates what every batch returns; printed at the end so no work is dead code. */
export let sink = 0;

const gc = (globalThis as { gc?: () => void }).gc;

async function runFor(c: Contender, batchSize: number, ms: number): Promise<{ ops: number; elapsed: number }> {
  let ops = 0;
  const start = performance.now();
  let now: number;
  const end = start + ms;
  do {
    const r = c.batch(batchSize);
    sink += typeof r === "number" ? r : await r;
    ops += batchSize;
    now = performance.now();
  } while (now < end);
  return { ops, elapsed: now - start };
}

/** Find a batch size that takes about `targetMs`. */
async function calibrate(c: Contender, targetMs: number): Promise<number> {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    const r = c.batch(n);
    sink += typeof r === "number" ? r : await r;
    const dt = performance.now() - t0;
    if (dt >= targetMs || n >= 1 << 20) return n;
    n = dt < targetMs / 16 ? n * 8 : n * 2;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Measure one contender. */
export async function measure(c: Contender, o: HarnessOptions): Promise<Measurement> {
  gc?.();
  const warmEnd = performance.now() + o.warmupMs;
  let batchSize = await calibrate(c, 2);
  // warm up for the rest of the warm-up budget, then recalibrate (the optimised code is faster)
  const rest = warmEnd - performance.now();
  if (rest > 0) await runFor(c, batchSize, rest);
  batchSize = await calibrate(c, 2);
  const rates: number[] = [];
  let totalOps = 0;
  for (let r = 0; r < o.rounds; r++) {
    gc?.();
    const { ops, elapsed } = await runFor(c, batchSize, o.roundMs);
    rates.push((ops / elapsed) * 1000);
    totalOps += ops;
  }
  return {
    contender: c,
    opsPerSec: median(rates),
    minOpsPerSec: Math.min(...rates),
    maxOpsPerSec: Math.max(...rates),
    rounds: o.rounds,
    totalOps,
    batchSize,
  };
}

/** Format a rate with thousands separators. */
export function formatRate(x: number): string {
  return Math.round(x).toLocaleString("en-US");
}

/** Format a ratio such as 123x or 0.21x. */
export function formatRatio(x: number): string {
  if (x >= 100) return `${x.toFixed(0)}x`;
  if (x >= 10) return `${x.toFixed(1)}x`;
  return `${x.toFixed(2)}x`;
}

/** Render rows as a Markdown table with aligned columns. */
export function markdownTable(header: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const sep = `|${widths.map((w, i) => (rightAlign[i] ? `${"-".repeat(w + 1)}:` : `${"-".repeat(w + 2)}`)).join("|")}|`;
  return [line(header), sep, ...rows.map(line)].join("\n");
}
