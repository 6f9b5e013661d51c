/**
 * PostgreSQL benchmark (part of `pnpm bench`; alone: `npx tsx bench/postgres.ts`):
 * workflow transitions committed per second by 1, 2 and 4 worker processes
 * (each its own engine on @ruleflow/postgres) on one server, next to plain
 * single-row UPDATE transactions from the same number of processes, on the
 * same server, in the same run. Skipped, saying so, when no server answers
 * at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 *
 * Environment: BENCH_PG_SECONDS (measured seconds per row, default 8; 3 with --quick).
 */
import { spawn } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createPoolDriver, migrate } from "../packages/adapters/postgres/src/index.js";
import { formatRate, markdownTable } from "./harness.js";

const DATABASE_URL = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";
const CONCURRENCY = 4;
const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const workerFile = fileURLToPath(new URL("./postgres-worker.ts", import.meta.url));

interface Row {
  workers: number;
  engine: number;
  update: number;
}

/** Run `workers` processes in `mode` together; committed per second, summed. */
async function measure(url: string, mode: "engine" | "update", workers: number, warmupMs: number, measureMs: number): Promise<number> {
  const children = Array.from({ length: workers }, (_, k) =>
    spawn(process.execPath, ["--import", "tsx", workerFile], {
      cwd: repoRoot,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json`,
        DATABASE_URL: url,
        MODE: mode,
        WORKER: String(k),
        WARMUP_MS: String(warmupMs),
        MEASURE_MS: String(measureMs),
        CONCURRENCY: String(CONCURRENCY),
        RUN: `${mode}${workers}`,
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  const message = (child: (typeof children)[number], type: string) =>
    new Promise<{ committed: number; seconds: number }>((resolve, reject) => {
      child.on("message", (m: { type: string; committed: number; seconds: number; error?: string }) => {
        if (m.type === type) resolve(m);
        if (m.type === "failed") reject(new Error(m.error));
      });
      child.on("exit", (code) => code && reject(new Error(`benchmark worker exited with ${code}`)));
    });
  try {
    await Promise.all(children.map((c) => message(c, "ready")));
    const done = children.map((c) => message(c, "done"));
    for (const c of children) c.send({ cmd: "go" });
    const results = await Promise.all(done);
    return results.reduce((s, r) => s + r.committed / r.seconds, 0);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
  }
}

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
  const warmupMs = quick ? 1000 : 2000;
  const dbName = `ruleflow_bench_${process.pid}`;
  const url = new URL(DATABASE_URL);
  url.pathname = `/${dbName}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on("error", () => undefined);
  try {
    const version = (await admin.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
    await migrate(createPoolDriver(pool));
    await pool.query("CREATE TABLE bench_rows (id integer PRIMARY KEY, version integer NOT NULL, state json NOT NULL)");
    console.log(`server:   PostgreSQL ${version} at ${url.host}; machine ${os.cpus().length} cores (server and workers share them)`);
    console.log(`timing:   per row, ${warmupMs} ms warm-up then ${measureMs} ms measured; ${CONCURRENCY} operations in flight per process\n`);
    const rows: Row[] = [];
    for (const workers of [1, 2, 4]) {
      process.stdout.write(`measuring ${workers} worker${workers > 1 ? "s" : ""} ... `);
      // Every row starts from empty tables, so later rows do not pay for earlier rows' data.
      await pool.query("TRUNCATE ruleflow.instances, ruleflow.timers, ruleflow.outbox, ruleflow.audit, bench_rows");
      const engine = await measure(url.toString(), "engine", workers, warmupMs, measureMs);
      const update = await measure(url.toString(), "update", workers, warmupMs, measureMs);
      rows.push({ workers, engine, update });
      console.log(`engine ${formatRate(engine)}/s, plain UPDATE ${formatRate(update)}/s`);
    }
    console.log();
    console.log(
      markdownTable(
        ["worker processes", "transitions committed/s (engine)", "single-row UPDATEs/s (baseline)", "engine ÷ baseline"],
        rows.map((r) => [String(r.workers), formatRate(r.engine), formatRate(r.update), `${((r.engine / r.update) * 100).toFixed(0)}%`]),
        [true, true, true, true],
      ),
    );
    console.log(
      "\nA transition is one engine.start or engine.send of a sequential approval chain: load the instance, run the xstate transition, " +
        "write instance + audit record + outbox notification in one statement; the outbox is then claimed and delivered (to a no-op notifier) by the same processes.",
    );
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runPostgresBench(process.argv.includes("--quick"));
}
