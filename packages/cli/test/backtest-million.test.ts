/**
 * A long history in bounded memory: the CLI runs in its own process with a
 * capped heap and must report the totals that a hand-written BigInt
 * aggregation over the same generator gives.
 *
 * The suite runs 250,000 lines under a 128 MB heap: holding the lines would
 * need several times that, so passing shows the history is streamed (only the
 * current period's lines and the totals are kept). The figure,
 * 1,000,000 lines under 500 MB, is the same test with
 * `RULEFLOW_BACKTEST_LINES=1000000` (about 75 s on this 2-core machine; run
 * and recorded in docs/backtests.md), kept out of every `pnpm test` for time.
 * Slow: listed in vitest.config.ts SLOW_FIRST.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
const cli = join(here, "..", "src", "cli.ts");
const LINES = Number(process.env["RULEFLOW_BACKTEST_LINES"] ?? 250_000);
/** The heap cap: 128 MB for the suite's 250,000 lines, the 500 MB for a million or more. */
const HEAP_MB = LINES >= 1_000_000 ? 500 : 128;
const ACCOUNTS = 500;
const MONTHS = 48;

/** Line i of the history: in order-date order over 48 months, 500 accounts, amounts with cents. */
function line(i: number): { month: number; account: number; cents: number; cases: number; json: string } {
  const month = Math.floor((i * MONTHS) / LINES);
  const account = (i * 7919) % ACCOUNTS;
  const cents = ((i * 2_654_435_761) % 500_000) + 1; // up to 5000.00
  const cases = (i * 31) % 150;
  const day = 1 + (i % 27);
  const y = 2022 + Math.floor(month / 12);
  const m = (month % 12) + 1;
  const date = `${y}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}T10:00:00Z`;
  const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
  return {
    month,
    account,
    cents,
    cases,
    json: `{"order":{"id":"O${i}","date":"${date}","cases":${cases}},"line":{"no":1,"netAmount":"${amount}"},"customer":{"id":"A${account}","region":"R${account % 4}"}}\n`,
  };
}

const rebate = (rate: string, version: number) => ({
  kind: "rebate",
  id: "flat",
  version,
  currency: "CNY",
  account: "customer.id",
  basis: { amount: "line.netAmount" },
  tiers: [{ from: "0", rate }],
  rounding: { scale: 2, mode: "half-even" },
});
const table = (threshold: number, version: number) => ({
  kind: "decision-table",
  id: "size",
  version,
  hitPolicy: "first",
  inputs: [{ id: "cases", expr: "order.cases" }],
  outputs: [{ id: "size", type: "string" }],
  rules: [
    { id: "big", cases: `>= ${threshold}`, size: '"big"' },
    { id: "small", cases: "-", size: '"small"' },
  ],
});

function halfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  return r * 2n > d || (r * 2n === d && q % 2n !== 0n) ? q + 1n : q;
}
const money = (c: bigint): string => `${c < 0n ? "-" : ""}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, "0")}`;

const dir = mkdtempSync(join(tmpdir(), "ruleflow-backtest-1m-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`ruleflow backtest over ${LINES.toLocaleString("en")} lines`, () => {
  it(`runs with a ${HEAP_MB} MB heap and reports the totals a hand-written BigInt aggregation gives`, async () => {
    // The history, and by hand: basis per (month, account) in cents; changed decisions.
    const history = join(dir, "history.jsonl");
    const sums = new Map<number, bigint>();
    let changed = 0;
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(history);
      out.on("error", reject);
      let i = 0;
      const write = (): void => {
        let ok = true;
        while (i < LINES && ok) {
          const l = line(i++);
          const k = l.month * ACCOUNTS + l.account;
          sums.set(k, (sums.get(k) ?? 0n) + BigInt(l.cents));
          if (l.cases >= 80 !== l.cases >= 100) changed++;
          ok = out.write(l.json);
        }
        if (i < LINES) out.once("drain", write);
        else out.end(resolve);
      };
      write();
    });
    // 0.025 and 0.030 of each (month, account) basis, rounded half-even to the cent once
    let base = 0n;
    let cand = 0n;
    const regions = new Map<string, bigint>();
    for (const [k, s] of sums) {
      const b = halfEven(s * 25n, 1000n);
      const c = halfEven(s * 30n, 1000n);
      base += b;
      cand += c;
      const region = `R${(k % ACCOUNTS) % 4}`;
      regions.set(region, (regions.get(region) ?? 0n) + c - b);
    }
    const baseline = join(dir, "baseline.json");
    const candidate = join(dir, "candidate.json");
    writeFileSync(baseline, JSON.stringify([rebate("0.025", 1), table(100, 1)]));
    writeFileSync(candidate, JSON.stringify([rebate("0.030", 2), table(80, 2)]));
    const output = join(dir, "report.json");
    const started = Date.now();
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [`--max-old-space-size=${HEAP_MB}`, tsx, cli, "backtest", "--baseline", baseline, "--candidate", candidate, "--facts", history, "--by", "customer.region", "--output", output],
        { cwd: root, stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(`backtest of ${LINES} lines: ${seconds.toFixed(1)} s`);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const { readFileSync } = await import("node:fs");
    const report = JSON.parse(readFileSync(output, "utf8")) as {
      lines: number;
      rebates: { totals: Record<string, string>; accounts: unknown[]; periods: unknown[]; by: Record<string, { value: string; difference: string }[]> }[];
      decisions: { evaluated: number; changed: number }[];
    };
    expect(report.lines).toBe(LINES);
    expect(report.rebates[0]!.totals).toEqual({ baseline: money(base), candidate: money(cand), difference: money(cand - base) });
    expect(report.rebates[0]!.accounts).toHaveLength(ACCOUNTS);
    expect(report.rebates[0]!.periods).toHaveLength(MONTHS);
    expect(Object.fromEntries(report.rebates[0]!.by["customer.region"]!.map((x) => [x.value, x.difference]))).toEqual(Object.fromEntries([...regions].map(([k, v]) => [k, money(v)])));
    expect(report.decisions[0]).toMatchObject({ evaluated: LINES, changed });
  }, 600_000);
});
