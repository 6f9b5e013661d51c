/**
 * PostgreSQL benchmark (part of `pnpm bench`; alone: `npx tsx bench/postgres.ts`):
 * workflow transitions committed per second by 1, 2 and 4 worker processes
 * (each its own engine on @ruleflow/postgres) on one server, next to plain
 * single-row UPDATE transactions from the same processes, on the same
 * server, in the same run. Skipped, saying so, when no server answers at
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 *
 * Method: the worker processes of a row are started once and hold both
 * contenders; each first runs a fixed number of chains and UPDATEs
 * unmeasured (so its code is compiled however slowly it runs when several
 * share the cores); the row alternates short windows of one and the other (engine
 * first in odd rounds, the baseline first in even ones), so both see the
 * same load from whatever else runs on the machine; the ratio is the median
 * of the rounds' ratios. Each window reports statements sent per transition
 * (counted by wrapping the driver) and CPU per transition: the worker
 * processes' own (process.cpuUsage) and the server backends' (/proc, when
 * the server runs on this machine).
 *
 * Then a census: one process, a fixed number of transitions (and as many
 * UPDATEs), on a pool closed before reading the server's statistics, so
 * they are complete: statements, writing statements, committed
 * transactions of the database (pg_stat_database), WAL flushes and writes
 * (pg_stat_wal.wal_sync / wal_write) and WAL bytes (pg_current_wal_lsn) per
 * transition. pg_stat_wal and the LSN are the whole server's: anything else
 * writing to it at the same time is counted too; the median of three runs
 * is shown.
 *
 * Environment: BENCH_PG_GROUP (the storage's group commit: unset for its
 * default, `off`, or `maxInFlight:maxBatch` such as `2:8`), BENCH_PG_SECONDS
 * (measured seconds per contender and row, default 8; 3 with --quick), BENCH_PG_CENSUS (transitions per census,
 * default 400), BENCH_PG_WORKERS (the rows, default 1,2,4; must include 1,
 * whose processes run the census), BENCH_PG_LANES (operations in flight per
 * process, default 4).
 */
import { execSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createPoolDriver, migrate } from "../packages/adapters/postgres/src/index.js";
import { formatRate, markdownTable } from "./harness.js";

const DATABASE_URL = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";
/** Operations in flight per process (BENCH_PG_LANES, default 4). */
const CONCURRENCY = Number(process.env["BENCH_PG_LANES"] ?? 4);
if (!(Number.isInteger(CONCURRENCY) && CONCURRENCY >= 1)) throw new Error(`BENCH_PG_LANES: expected a whole number of at least 1, got ${process.env["BENCH_PG_LANES"]}`);
const APP = "ruleflow-bench-worker";
const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const workerFile = fileURLToPath(new URL("./postgres-worker.ts", import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

type Mode = "engine" | "update";

interface WorkerReport {
  committed: number;
  seconds: number;
  statements: number;
  writes: number;
  commitStatements: number;
  commits: number;
  cpuMs: number;
}

interface Worker {
  child: ChildProcess;
  next(type: string): Promise<Record<string, unknown>>;
}

function startWorker(url: string, k: number, run: string): Worker {
  const target = new URL(url);
  target.searchParams.set("application_name", APP);
  const child = spawn(process.execPath, ["--import", "tsx", workerFile], {
    cwd: repoRoot,
    env: { ...process.env, TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json`, DATABASE_URL: target.toString(), WORKER: String(k), CONCURRENCY: String(CONCURRENCY), RUN: run },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const queue: Record<string, unknown>[] = [];
  const waiting: { type: string; resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  let dead: Error | undefined;
  const settle = (): void => {
    for (let i = 0; i < waiting.length; i++) {
      const w = waiting[i]!;
      const at = queue.findIndex((m) => m["type"] === w.type);
      if (at >= 0) {
        waiting.splice(i--, 1);
        w.resolve(queue.splice(at, 1)[0]!);
      } else if (dead) {
        waiting.splice(i--, 1);
        w.reject(dead);
      }
    }
  };
  child.on("message", (m: Record<string, unknown>) => {
    if (m["type"] === "failed") dead = new Error(`benchmark worker failed: ${String(m["error"])}`);
    queue.push(m);
    settle();
  });
  child.on("exit", (code) => {
    dead ??= new Error(`benchmark worker exited with ${code}`);
    settle();
  });
  return {
    child,
    next: (type) =>
      new Promise((resolve, reject) => {
        waiting.push({ type, resolve, reject });
        settle();
      }),
  };
}

const CLK_TCK = (() => {
  try {
    return Number(execSync("getconf CLK_TCK", { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU ms the workers' server backends have used so far, or undefined when the server's processes are not visible here. */
async function backendCpuMs(admin: pg.Client, dbName: string): Promise<number | undefined> {
  const pids = (await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2", [dbName, APP])).rows;
  let ticks = 0;
  for (const { pid } of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      return undefined;
    }
  }
  return (ticks * 1000) / CLK_TCK;
}

interface ServerStats {
  walSync: number;
  walWrite: number;
  walBytes: bigint;
  commits: number;
}

async function serverStats(admin: pg.Client, dbName: string): Promise<ServerStats> {
  const r = await admin.query<{ wal_sync: string; wal_write: string; lsn: string; commits: string }>(
    "SELECT w.wal_sync, w.wal_write, pg_current_wal_lsn() - '0/0'::pg_lsn AS lsn, (SELECT xact_commit FROM pg_stat_database WHERE datname = $1) AS commits FROM pg_stat_wal w",
    [dbName],
  );
  const row = r.rows[0]!;
  return { walSync: Number(row.wal_sync), walWrite: Number(row.wal_write), walBytes: BigInt(String(row.lsn).split(".")[0]!), commits: Number(row.commits) };
}

interface Window {
  rate: number;
  statements: number;
  writes: number;
  /** Commits per commit statement (group commit), or NaN when none was sent. */
  batch: number;
  workerCpuMs: number;
  serverCpuMs: number | undefined;
}

/** One measured window of `mode` on every worker. */
async function window(workers: Worker[], admin: pg.Client, dbName: string, mode: Mode, rampMs: number, measureMs: number): Promise<Window> {
  for (const w of workers) w.child.send({ cmd: "run", mode });
  await Promise.all(workers.map((w) => w.next("running")));
  await sleep(rampMs);
  const cpu0 = await backendCpuMs(admin, dbName);
  for (const w of workers) w.child.send({ cmd: "count" });
  await sleep(measureMs);
  for (const w of workers) w.child.send({ cmd: "stop" });
  const cpu1 = await backendCpuMs(admin, dbName);
  const reports = (await Promise.all(workers.map((w) => w.next("stopped")))) as unknown as WorkerReport[];
  const n = reports.reduce((s, r) => s + r.committed, 0);
  return {
    rate: reports.reduce((s, r) => s + r.committed / r.seconds, 0),
    statements: reports.reduce((s, r) => s + r.statements, 0) / n,
    writes: reports.reduce((s, r) => s + r.writes, 0) / n,
    batch: reports.reduce((s, r) => s + r.commits, 0) / reports.reduce((s, r) => s + r.commitStatements, 0),
    workerCpuMs: reports.reduce((s, r) => s + r.cpuMs, 0) / n,
    serverCpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) / n,
  };
}

interface Census {
  statements: number;
  writes: number;
  commits: number;
  walSync: number;
  walWrite: number;
  walBytes: number;
  cpuMs: number;
  serverCpuMs: number | undefined;
}

/** A fixed number of `mode` operations by one worker; the server's statistics around them, per operation. */
async function census(worker: Worker, admin: pg.Client, dbName: string, mode: Mode, transitions: number): Promise<Census> {
  worker.child.send({ cmd: "census", mode, transitions });
  await worker.next("census-ready");
  await sleep(1100); // let the server publish what came before (statistics are flushed at most once a second)
  const before = await serverStats(admin, dbName);
  const cpu0 = await backendCpuMs(admin, dbName);
  worker.child.send({ cmd: "census-go" });
  await worker.next("census-ran");
  const cpu1 = await backendCpuMs(admin, dbName);
  worker.child.send({ cmd: "census-close" });
  const r = (await worker.next("census-done")) as unknown as { statements: number; writes: number; cpuMs: number };
  await sleep(500); // the census pool's backends have exited; their statistics are flushed on exit
  const after = await serverStats(admin, dbName);
  return {
    statements: r.statements / transitions,
    writes: r.writes / transitions,
    commits: (after.commits - before.commits) / transitions,
    walSync: (after.walSync - before.walSync) / transitions,
    walWrite: (after.walWrite - before.walWrite) / transitions,
    walBytes: Number(after.walBytes - before.walBytes) / transitions,
    cpuMs: r.cpuMs / transitions,
    serverCpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) / transitions,
  };
}

const fixed = (x: number, digits = 2): string => x.toFixed(digits);

/** Run the PostgreSQL benchmark, or say why it is skipped. */
export async function runPostgresBench(quick: boolean): Promise<void> {
  console.log("\n# Workflow runtime on PostgreSQL (@ruleflow/postgres)\n");
  const admin = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (e) {
    console.log(`skipped: no PostgreSQL server answered at ${DATABASE_URL} (${e instanceof Error ? e.message : String(e)}). Set DATABASE_URL to run it.`);
    return;
  }
  const measureMs = Number(process.env["BENCH_PG_SECONDS"] ?? (quick ? 3 : 8)) * 1000;
  const rounds = quick ? 3 : 4;
  const windowMs = measureMs / rounds;
  const warmupMs = quick ? 1000 : 2000;
  const warmChains = quick ? 100 : 250;
  const workerCounts = (process.env["BENCH_PG_WORKERS"] ?? "1,2,4").split(",").map(Number);
  if (!workerCounts.includes(1) || workerCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_PG_WORKERS: expected worker counts including 1, such as 1,2,4; got ${process.env["BENCH_PG_WORKERS"]}`);
  const censusSize = Math.max(40, Math.round(Number(process.env["BENCH_PG_CENSUS"] ?? 400) / 4) * 4);
  const dbName = `ruleflow_bench_${process.pid}`;
  const url = new URL(DATABASE_URL);
  url.pathname = `/${dbName}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on("error", () => undefined);
  const workers: Worker[] = [];
  try {
    const version = (await admin.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
    const sync = (await admin.query<{ synchronous_commit: string }>("SHOW synchronous_commit")).rows[0]!.synchronous_commit;
    await migrate(createPoolDriver(pool));
    await pool.query("CREATE TABLE bench_rows (id integer PRIMARY KEY, version integer NOT NULL, state json NOT NULL)");
    console.log(`server:   PostgreSQL ${version} at ${url.host} (synchronous_commit = ${sync}); machine ${os.cpus().length} cores (server and workers share them)`);
    console.log(
      `timing:   per row, each process first runs ${warmChains} chains and ${warmChains * 4} UPDATEs unmeasured, each contender is warmed up ${warmupMs} ms, ` +
        `then ${rounds} rounds of one ${windowMs} ms window each, alternating; ` +
        `${CONCURRENCY} operations in flight per process; rates and ratio are medians of the rounds\n`,
    );
    const rows: string[][] = [];
    const censuses: { engine: Census[]; update: Census[] } = { engine: [], update: [] };
    for (const n of workerCounts) {
      process.stdout.write(`measuring ${n} worker${n > 1 ? "s" : ""} ... `);
      // Every row starts from empty tables, so later rows do not pay for earlier rows' data.
      await pool.query("TRUNCATE ruleflow.instances, ruleflow.timers, ruleflow.outbox, ruleflow.audit, bench_rows");
      for (let k = 0; k < n; k++) workers.push(startWorker(url.toString(), k, `r${n}`));
      await Promise.all(workers.map((w) => w.next("ready")));
      for (const w of workers) w.child.send({ cmd: "warm", chains: warmChains, updates: warmChains * 4 });
      await Promise.all(workers.map((w) => w.next("warm")));
      for (const mode of ["engine", "update"] as const) await window(workers, admin, dbName, mode, warmupMs, 200);
      const seen: Record<Mode, Window[]> = { engine: [], update: [] };
      const ratios: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const order: Mode[] = r % 2 ? ["update", "engine"] : ["engine", "update"];
        const got = {} as Record<Mode, Window>;
        for (const mode of order) got[mode] = await window(workers, admin, dbName, mode, 300, windowMs);
        seen.engine.push(got.engine);
        seen.update.push(got.update);
        ratios.push(got.engine.rate / got.update.rate);
      }
      if (n === 1) {
        for (let k = 0; k < 3; k++) {
          censuses.engine.push(await census(workers[0]!, admin, dbName, "engine", censusSize));
          censuses.update.push(await census(workers[0]!, admin, dbName, "update", censusSize));
        }
      }
      for (const w of workers) w.child.send({ cmd: "exit" });
      await Promise.all(workers.map((w) => new Promise((r) => (w.child.exitCode === null ? w.child.once("exit", r) : r(null)))));
      workers.length = 0;
      const m = (mode: Mode, f: (w: Window) => number | undefined): number | undefined => {
        const xs = seen[mode].map(f);
        return xs.some((x) => x === undefined) ? undefined : median(xs as number[]);
      };
      const engine = m("engine", (w) => w.rate)!;
      const update = m("update", (w) => w.rate)!;
      const ratio = median(ratios);
      const cpu = (mode: Mode): string => {
        const own = m(mode, (w) => w.workerCpuMs)!;
        const server = m(mode, (w) => w.serverCpuMs);
        return `${fixed(own)} + ${server === undefined ? "n/a" : fixed(server)}`;
      };
      rows.push([
        String(n),
        formatRate(engine),
        formatRate(update),
        `${(ratio * 100).toFixed(0)}% (${ratios.map((x) => (x * 100).toFixed(0)).join(", ")})`,
        `${fixed(m("engine", (w) => w.statements)!)} (${fixed(m("engine", (w) => w.writes)!)})`,
        fixed(m("engine", (w) => w.batch)!),
        cpu("engine"),
        cpu("update"),
      ]);
      console.log(`engine ${formatRate(engine)}/s, plain UPDATE ${formatRate(update)}/s, ${(ratio * 100).toFixed(0)}%`);
    }
    console.log();
    console.log(
      markdownTable(
        [
          "worker processes",
          "transitions committed/s (engine)",
          "single-row UPDATEs/s (baseline)",
          "engine ÷ baseline (rounds)",
          "statements per transition (writes)",
          "commits per commit statement",
          "CPU ms per transition: workers + server",
          "CPU ms per UPDATE: workers + server",
        ],
        rows,
        [true, true, true, true, true, true, true, true],
      ),
    );
    const c = (mode: Mode, f: (x: Census) => number): number => median(censuses[mode].map(f));
    console.log(`\nCensus: ${censusSize} transitions (${censusSize / 4} chains) by one process, ${CONCURRENCY} in flight, deliveries included; as many UPDATEs; per operation, median of 3:\n`);
    console.log(
      markdownTable(
        ["per operation", "statements", "writing statements", "transactions committed", "WAL flushes (wal_sync)", "WAL writes (wal_write)", "WAL bytes", "CPU ms: worker + server"],
        (["engine", "update"] as const).map((mode) => [
          mode === "engine" ? "engine transition" : "plain UPDATE",
          fixed(c(mode, (x) => x.statements)),
          fixed(c(mode, (x) => x.writes)),
          fixed(c(mode, (x) => x.commits)),
          fixed(c(mode, (x) => x.walSync)),
          fixed(c(mode, (x) => x.walWrite)),
          c(mode, (x) => x.walBytes).toFixed(0),
          `${fixed(c(mode, (x) => x.cpuMs))} + ${censuses[mode].some((x) => x.serverCpuMs === undefined) ? "n/a" : fixed(c(mode, (x) => x.serverCpuMs!))}`,
        ]),
        [false, true, true, true, true, true, true, true],
      ),
    );
    console.log(
      "\nA transition is one engine.start or engine.send of a sequential approval chain: load the instance, run the xstate transition, " +
        "write instance + audit record + outbox notification in one statement; the notification is then delivered (to a no-op notifier) and its delivery recorded by the same processes.",
    );
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill();
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runPostgresBench(process.argv.includes("--quick"));
}
