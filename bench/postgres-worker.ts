/**
 * One process of the PostgreSQL benchmark (bench/postgres.ts starts 1, 2 or
 * 4 of these). Mode `engine`: an engine on the shared database runs approval
 * chains (start + 3 approvals, each a commit with its audit record and an
 * outbox notification delivered by the outbox) with CONCURRENCY chains in
 * flight. Mode `update`: the baseline, single-row `UPDATE ... WHERE id = $1
 * AND version = $2` statements (an optimistic-concurrency write of a small
 * JSON state) with CONCURRENCY in flight. Reports what it committed during
 * the measured window.
 */
import pg from "pg";
import { createEngine, createStaticDirectory } from "../packages/engine/src/index.js";
import { createPoolDriver, createPostgresScheduler, createPostgresStorage } from "../packages/adapters/postgres/src/index.js";

const MODE = process.env["MODE"];
const WORKER = Number(process.env["WORKER"]);
const WARMUP_MS = Number(process.env["WARMUP_MS"]);
const MEASURE_MS = Number(process.env["MEASURE_MS"]);
const CONCURRENCY = Number(process.env["CONCURRENCY"]);

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

const pool = new pg.Pool({ connectionString: process.env["DATABASE_URL"], max: CONCURRENCY + 2 });
pool.on("error", () => undefined);
let counting = false;
let committed = 0;
let stop = false;

async function engineLoop(): Promise<() => Promise<void>> {
  const db = createPoolDriver(pool);
  const engine = createEngine({
    definitions: [chain],
    storage: createPostgresStorage(db),
    scheduler: createPostgresScheduler(db, { pollIntervalMs: 1000 }),
    directory: createStaticDirectory(),
    notifier: { async send() {} },
  });
  await engine.ready;
  let n = 0;
  const lane = async (): Promise<void> => {
    while (!stop) {
      const i = await engine.start("chain", { id: `${process.env["RUN"]}-w${WORKER}-${++n}`, initiator: "user:init" });
      if (counting) committed++;
      for (const u of ["user:a", "user:b", "user:c"]) {
        await engine.send(i.id, { type: "approve", actor: u });
        if (counting) committed++;
      }
    }
  };
  const lanes = Array.from({ length: CONCURRENCY }, lane);
  return async () => {
    await Promise.all(lanes);
    await engine.settle();
    await engine.close();
  };
}

function updateLoop(): () => Promise<void> {
  const lane = async (k: number): Promise<void> => {
    const id = WORKER * 1000 + k;
    let version = 0;
    await pool.query("INSERT INTO bench_rows (id, version, state) VALUES ($1, 0, $2::json) ON CONFLICT (id) DO UPDATE SET version = 0", [id, "{}"]);
    while (!stop) {
      const r = await pool.query("UPDATE bench_rows SET version = version + 1, state = $3::json WHERE id = $1 AND version = $2", [
        id,
        version,
        JSON.stringify({ value: "review", context: { step: version % 3, approvals: ["user:a"] } }),
      ]);
      if (r.rowCount !== 1) throw new Error("baseline row changed under us");
      version++;
      if (counting) committed++;
    }
  };
  const lanes = Array.from({ length: CONCURRENCY }, (_, k) => lane(k));
  return async () => {
    await Promise.all(lanes);
  };
}

process.on("message", (m: { cmd: string }) => {
  if (m.cmd !== "go") return;
  void (async () => {
    const finish = MODE === "engine" ? await engineLoop() : updateLoop();
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    counting = true;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    counting = false;
    const seconds = (performance.now() - t0) / 1000;
    const result = committed;
    stop = true;
    await finish();
    await pool.end();
    process.send?.({ type: "done", committed: result, seconds });
    process.disconnect?.();
  })().catch((e: unknown) => {
    process.send?.({ type: "failed", error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    process.exit(1);
  });
});
process.send?.({ type: "ready" });
