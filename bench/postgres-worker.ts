/**
 * One process of the PostgreSQL benchmark (bench/postgres.ts starts 1, 2 or
 * 4 of these and keeps them for every window of its row). It holds both
 * contenders and runs the one it is told to:
 *
 * - `engine`: an engine on the shared database runs approval chains (start +
 *   3 approvals, each a commit with its audit record and an outbox
 *   notification delivered by the outbox) with CONCURRENCY chains in flight;
 * - `update`: the baseline, single-row `UPDATE ... WHERE id = $1 AND version
 *   = $2` statements (an optimistic-concurrency write of a small JSON state)
 *   with CONCURRENCY in flight.
 *
 * Every statement the engine's storage and scheduler send goes through a
 * counting driver, so the window's report says how many statements (and how
 * many of them write) each transition took.
 *
 *   parent -> { cmd: "warm", chains, updates }
 *                                      a fixed amount of both, unmeasured
 *   parent -> { cmd: "run", mode }     start the mode's lanes
 *   parent -> { cmd: "count" }         start counting (after the warm-up)
 *   parent -> { cmd: "stop" }          stop counting, stop the lanes, settle, report
 *   parent -> { cmd: "census", mode, transitions }
 *                                      exactly that many, on a pool of its own that is
 *                                      closed before reporting (so the server has flushed
 *                                      its statistics for the parent to read); the worker
 *                                      says census-ready, census-ran and census-done, and
 *                                      waits for any message after the first two
 *   parent -> { cmd: "exit" }
 *   worker -> { type: "ready" | "warm" | "running" | "stopped" | "census-ready" | "census-ran" | "census-done" | "failed", ... }
 */
import pg from "pg";
import { createEngine, createStaticDirectory, type Engine } from "../packages/engine/src/index.js";
import { createPoolDriver, createPostgresScheduler, createPostgresStorage, type SqlDriver } from "../packages/adapters/postgres/src/index.js";

const WORKER = Number(process.env["WORKER"]);
const CONCURRENCY = Number(process.env["CONCURRENCY"]);
const RUN = process.env["RUN"] ?? "run";
const DATABASE_URL = process.env["DATABASE_URL"];

const chain = {
  kind: "workflow",
  id: "chain",
  version: 1,
  start: "review",
  nodes: {
    review: { type: "approval", mode: "sequential", assignees: ["user:a", "user:b", "user:c"], onApprove: "done", onReject: "rejected" },
    done: { type: "end", outcome: "approved" },
    rejected: { type: "end", outcome: "rejected" },
  },
};

/** Statements sent, how many of them write (each write is a transaction of its own that commits), and the commit statements among them with the commits they carried. */
interface Counts {
  statements: number;
  writes: number;
  commitStatements: number;
  commits: number;
}

const WRITE = /^\s*(insert|update|delete|with\b[\s\S]*\b(insert|update|delete)\b)/i;

/** Commits a statement carries: 1 for a single commit's (`WITH w AS`), one per audit record (`aK`) for a group's (`WITH w0 AS` or `WITH i0 AS`), 0 for others. */
const commitsIn = (text: string): number =>
  text.startsWith("WITH w AS") ? 1 : text.startsWith("WITH w0 AS") || text.startsWith("WITH i0 AS") ? (text.match(/\ba\d+ AS \(INSERT/g) ?? []).length : 0;

/** BENCH_PG_GROUP: unset for the storage's default, `off` for `groupCommit: false`, or `maxInFlight:maxBatch`. */
const GROUP = process.env["BENCH_PG_GROUP"];
const groupCommit =
  GROUP === undefined || GROUP === "" ? {} : GROUP === "off" ? { groupCommit: false as const } : { groupCommit: { maxInFlight: Number(GROUP.split(":")[0]), maxBatch: Number(GROUP.split(":")[1]) } };

/** A driver that counts what goes through it (transactions count their BEGIN/COMMIT too). */
function counting(db: SqlDriver, counts: Counts): SqlDriver {
  const count = (text: string): void => {
    counts.statements++;
    if (WRITE.test(text)) counts.writes++;
    const n = commitsIn(text);
    if (n) {
      counts.commitStatements++;
      counts.commits += n;
    }
  };
  return {
    ...db,
    query(text, params) {
      count(text);
      return db.query(text, params);
    },
    transaction(fn) {
      counts.statements += 2;
      return db.transaction((tx) =>
        fn({
          query(text, params) {
            count(text);
            return tx.query(text, params);
          },
        }),
      );
    },
  };
}

/** A pool, its counting driver and an engine on it. */
async function open(counts: Counts) {
  // idle connections are kept: the server backends (whose CPU the parent reads) live as long as the window
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: CONCURRENCY + 2, idleTimeoutMillis: 0 });
  pool.on("error", () => undefined);
  const db = counting(createPoolDriver(pool), counts);
  const engine = createEngine({
    definitions: [chain],
    storage: createPostgresStorage(db, groupCommit),
    scheduler: createPostgresScheduler(db, { pollIntervalMs: 1000 }),
    directory: createStaticDirectory(),
    notifier: { async send() {} },
  });
  await engine.ready;
  return { pool, engine };
}

let serial = 0;
/** One chain: start + 3 approvals; `each` after every commit. */
async function runChain(engine: Engine, each: () => void): Promise<void> {
  const i = await engine.start("chain", { id: `${RUN}-w${WORKER}-${++serial}`, initiator: "user:init" });
  each();
  for (const u of ["user:a", "user:b", "user:c"]) {
    await engine.send(i.id, { type: "approve", actor: u });
    each();
  }
}

let baselineVersion = new Map<number, number>();
/** One baseline write of lane k. */
async function update(pool: pg.Pool, k: number): Promise<void> {
  const id = WORKER * 1000 + k;
  let version = baselineVersion.get(id);
  if (version === undefined) {
    await pool.query("INSERT INTO bench_rows (id, version, state) VALUES ($1, 0, $2::json) ON CONFLICT (id) DO UPDATE SET version = 0", [id, "{}"]);
    version = 0;
  }
  const r = await pool.query("UPDATE bench_rows SET version = version + 1, state = $3::json WHERE id = $1 AND version = $2", [
    id,
    version,
    JSON.stringify({ value: "review", context: { step: version % 3, approvals: ["user:a"] } }),
  ]);
  if (r.rowCount !== 1) throw new Error("baseline row changed under us");
  baselineVersion.set(id, version + 1);
}

const counts: Counts = { statements: 0, writes: 0, commitStatements: 0, commits: 0 };
const main = await open(counts);
let stop = false;
let counting_ = false;
let committed = 0;
let lanes: Promise<void>[] = [];
let window: { t0: number; cpu: NodeJS.CpuUsage; counts: Counts } | undefined;

function start(mode: string): void {
  stop = false;
  committed = 0;
  const tick = (): void => void (counting_ && committed++);
  lanes = Array.from({ length: CONCURRENCY }, async (_, k) => {
    while (!stop) {
      if (mode === "engine") await runChain(main.engine, tick);
      else {
        await update(main.pool, k);
        tick();
        counts.statements++;
        counts.writes++;
      }
    }
  });
}

async function census(mode: string, transitions: number): Promise<{ statements: number; writes: number; cpuMs: number }> {
  const own: Counts = { statements: 0, writes: 0, commitStatements: 0, commits: 0 };
  const { pool, engine } = await open(own);
  process.send?.({ type: "census-ready" });
  await new Promise<void>((resolve) => process.once("message", () => resolve()));
  const before = { ...own };
  const cpu = process.cpuUsage();
  let left = mode === "engine" ? transitions / 4 : transitions;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, k) => {
      while (left-- > 0) {
        if (mode === "engine") await runChain(engine, () => undefined);
        else {
          await update(pool, 100 + k);
          own.statements++;
          own.writes++;
        }
      }
    }),
  );
  await engine.settle();
  const used = process.cpuUsage(cpu);
  const after = { ...own };
  process.send?.({ type: "census-ran" });
  await new Promise<void>((resolve) => process.once("message", () => resolve()));
  await engine.close();
  await pool.end(); // the backends exit, flushing their statistics
  return { statements: after.statements - before.statements, writes: after.writes - before.writes, cpuMs: (used.user + used.system) / 1000 };
}

process.on("message", (m: { cmd: string; mode?: string; transitions?: number; chains?: number; updates?: number }) => {
  void (async () => {
    if (m.cmd === "run") {
      baselineVersion = new Map();
      start(m.mode!);
      process.send?.({ type: "running" });
    } else if (m.cmd === "count") {
      committed = 0;
      counting_ = true;
      window = { t0: performance.now(), cpu: process.cpuUsage(), counts: { ...counts } };
    } else if (m.cmd === "stop") {
      counting_ = false;
      const w = window!;
      const seconds = (performance.now() - w.t0) / 1000;
      const cpu = process.cpuUsage(w.cpu);
      const result = {
        committed,
        seconds,
        statements: counts.statements - w.counts.statements,
        writes: counts.writes - w.counts.writes,
        commitStatements: counts.commitStatements - w.counts.commitStatements,
        commits: counts.commits - w.counts.commits,
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
      stop = true;
      await Promise.all(lanes);
      await main.engine.settle();
      process.send?.({ type: "stopped", ...result });
    } else if (m.cmd === "warm") {
      // A fixed amount of work before any window, so each process's code is compiled however slowly it runs.
      let chains = m.chains!;
      let updates = m.updates!;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, k) => {
          while (chains-- > 0) await runChain(main.engine, () => undefined);
          while (updates-- > 0) await update(main.pool, k);
        }),
      );
      await main.engine.settle();
      process.send?.({ type: "warm" });
    } else if (m.cmd === "census") {
      process.send?.({ type: "census-done", ...(await census(m.mode!, m.transitions!)) });
    } else if (m.cmd === "exit") {
      await main.engine.close();
      await main.pool.end();
      process.disconnect?.();
    }
  })().catch((e: unknown) => {
    process.send?.({ type: "failed", error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    process.exit(1);
  });
});
process.send?.({ type: "ready" });
