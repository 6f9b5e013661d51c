/**
 * `ruleflow settle` on a large order file, streamed: writes a JSON Lines file
 * of order lines (default 10,000,000; the commerce benchmark's shape: 1,000
 * distributors, 2% returned, a "good payer" modifier on a third of them,
 * three retroactive tiers) to a temporary folder, settles it with the CLI
 * (its TypeScript source through tsx) in a child process whose heap is capped
 * (`--max-old-space-size`, default 500 MB), and reports the time, the child's
 * peak RSS and peak heap, and whether the statement's totals equal a
 * hand-written BigInt aggregation made while writing the file. The JSON
 * statement (several GB for ten million lines) is read as it comes and only
 * its end is kept.
 *
 *   npx tsx bench/settle-stream.ts [--lines 10000000] [--heap-mb 500] [--format json|table] [--keep]
 *
 * With `--keep` the order file stays (its path is printed) for runs under
 * `/usr/bin/time -v`.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { seededRandom } from "../packages/engine/src/testing/random.js";
// the program settled: the commerce benchmark's
import { rebateProgramDocument } from "./rebate-settlement.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

/** What the statement must say, computed while writing: totals in cents. */
interface Expected {
  lines: number;
  counted: number;
  basis: bigint;
  earned: bigint;
}

/**
 * Write `n` order lines as JSON Lines to `file`, and the statement's totals
 * by hand: basis per account, the tier its basis reaches, the rate (x1.1 for
 * good payers), each account's total rounded half-even to the cent once.
 */
export async function writeOrders(file: string, n: number): Promise<Expected> {
  const rand = seededRandom(20261123);
  const out = createWriteStream(file);
  const basis = new Map<number, bigint>();
  let counted = 0;
  let chunk = "";
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * 1000);
    const cents = 100_000 + Math.floor(rand() * 900_000_00);
    const day = 1 + Math.floor(rand() * 28);
    const returned = rand() < 0.02;
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
    chunk += `{"order":{"id":"SO-${i}","date":"2026-02-${day < 10 ? "0" : ""}${day}T${10 + (i % 10)}:00:00+08:00"},"line":{"no":1,"netAmount":"${amount}","status":"${returned ? "returned" : "signed"}"},"customer":{"id":"D-${c}","paymentRate90d":${c % 3 === 0 ? 0.97 : 0.9}}}\n`;
    if (!returned) {
      counted++;
      basis.set(c, (basis.get(c) ?? 0n) + BigInt(cents));
    }
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      chunk = "";
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.once("close", () => r()));
  let earned = 0n;
  let total = 0n;
  for (const [c, b] of basis) {
    total += b;
    const rate = b >= 300_000_000n ? 500n : b >= 100_000_000n ? 350n : 200n; // per 10,000
    const exact = b * (c % 3 === 0 ? rate * 11n : rate * 10n); // cents x 1/100,000
    let cents = exact / 100_000n;
    const r = exact - cents * 100_000n;
    if (r * 2n > 100_000n || (r * 2n === 100_000n && cents % 2n === 1n)) cents += 1n;
    earned += cents;
  }
  return { lines: n, counted, basis: total, earned };
}

const money = (cents: bigint): string => `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;

/** Settle `orders` with the CLI in a child process under a heap cap; the child's time, peak RSS and heap, and the output's end. */
export async function settleFile(
  program: string,
  orders: string,
  heapMb: number,
  format: "json" | "table",
): Promise<{ ms: number; code: number | null; tail: string; bytes: number; peak: { rssMb: number; heapMb: number }; stderr: string }> {
  const cli = join(root, "packages", "cli", "src", "cli.ts");
  const peakFile = join(dirname(orders), "peak.json");
  const probe = pathToFileURL(join(here, "heap-peak.mjs")).href;
  const args = [`--max-old-space-size=${heapMb}`, "--import", probe, "--import", "tsx", cli, "settle", program, "--orders", orders, "--period", "2026-02", "--at", "2026-03-05T00:00:00+08:00", "--format", format];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RULEFLOW_PEAK_FILE: peakFile } });
  let tail = "";
  let bytes = 0;
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (d: string) => {
    bytes += d.length;
    tail = (tail + d).slice(-200_000);
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d: string) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.on("close", r));
  const ms = performance.now() - t0;
  let peak = { rssMb: NaN, heapMb: NaN };
  try {
    peak = JSON.parse(readFileSync(peakFile, "utf8")) as typeof peak;
  } catch {
    // the child died before writing it
  }
  return { ms, code, tail, bytes, peak, stderr };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { lines: { type: "string" }, "heap-mb": { type: "string" }, format: { type: "string" }, keep: { type: "boolean" } } });
  const n = Number(values.lines ?? 10_000_000);
  const heapMb = Number(values["heap-mb"] ?? 500);
  const format = values.format === "table" ? "table" : "json";
  const dir = mkdtempSync(join(tmpdir(), "ruleflow-settle-"));
  const orders = join(dir, "orders.jsonl");
  const program = join(dir, "program.json");
  writeFileSync(program, JSON.stringify(rebateProgramDocument));
  const t = performance.now();
  process.stdout.write(`writing ${n.toLocaleString("en-US")} order lines to ${orders} ... `);
  const expected = await writeOrders(orders, n);
  console.log(`${(statSync(orders).size / 2 ** 20).toFixed(0)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  console.log(`ruleflow settle --format ${format}, heap capped at ${heapMb} MB ...`);
  const r = await settleFile(program, orders, heapMb, format);
  console.log(`exit ${r.code} in ${(r.ms / 1000).toFixed(1)} s; peak RSS ${r.peak.rssMb.toFixed(0)} MB, peak heap used ${r.peak.heapMb.toFixed(0)} MB; ${(r.bytes / 2 ** 20).toFixed(0)} MB of output`);
  if (r.code !== 0) console.log(r.stderr.slice(0, 2000));
  const want = { basis: money(expected.basis), earned: money(expected.earned) };
  const got =
    format === "json"
      ? /"totals": \{\s*"basis": "([^"]+)",\s*"earned": "([^"]+)"/.exec(r.tail)
      : /basis ([0-9.]+), earned ([0-9.]+)/.exec(r.tail);
  const ok = got !== null && got[1] === want.basis && got[2] === want.earned;
  console.log(`totals: basis ${got?.[1]}, earned ${got?.[2]}; by hand: basis ${want.basis}, earned ${want.earned} (${expected.counted.toLocaleString("en-US")} lines count) -> ${ok ? "equal" : "DIFFERENT"}`);
  if (values.keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  process.exitCode = ok && r.code === 0 ? 0 : 1;
}
