/**
 * One worker process of the many-workers test: its own engine on the shared
 * PostgreSQL, on the system clock. Run by workers.test.ts through
 * `node --import tsx`; talks to the parent over IPC:
 *
 *   parent -> { cmd: "start" }   start this worker's share of the instances
 *   parent -> { cmd: "events" }  fire random events at random instances (any worker's)
 *   parent -> { cmd: "stop" }    settle, close, report and exit
 *   worker -> { type: "ready" | "started" | "events-done" | "stopped", ... }
 */
import pg from "pg";
import { createEngine, createStaticDirectory, isRuleflowError, type InstanceEvent, type Notifier } from "@ruleflow/engine";
import { seededRandom } from "@ruleflow/engine/testing";
import { createPoolDriver, createPostgresScheduler, createPostgresStorage } from "../../src/index.js";
import { dealApproval } from "../fixtures.js";

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`worker: ${name} is not set`);
  return v;
};
const WORKER = Number(env("WORKER"));
const WORKERS = Number(env("WORKERS"));
const INSTANCES = Number(env("INSTANCES"));
const EVENTS = Number(env("EVENTS"));
const SECONDS = JSON.parse(env("LADDER_SECONDS")) as [number, number, number];
const send = (m: unknown): void => void process.send?.(m);

const pool = new pg.Pool({ connectionString: env("DATABASE_URL"), max: 6 });
pool.on("error", () => undefined); // idle connections are cut when the test drops the database
const db = createPoolDriver(pool, { ownsPool: true });
/**
 * Every send() the engine makes is one row in `deliveries`. The rows are written
 * in batches (every 100 ms, and before the worker reports "stopped") rather than
 * one INSERT per notification: 25,000 round trips less, the same rows.
 */
let unrecorded: [string, string, string][] = [];
let recording: Promise<void> = Promise.resolve();
function recordDeliveries(): Promise<void> {
  recording = recording.then(async () => {
    while (unrecorded.length) {
      const batch = unrecorded.slice(0, 1000);
      await pool.query(
        "INSERT INTO deliveries (idempotency_key, notification_id, template, worker) SELECT k, n, t, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS d(k, n, t)",
        [batch.map((d) => d[0]), batch.map((d) => d[1]), batch.map((d) => d[2]), WORKER],
      );
      unrecorded = unrecorded.slice(batch.length);
    }
  });
  return recording;
}
const recorder = setInterval(() => void recordDeliveries().catch((e: unknown) => send({ type: "failed", worker: WORKER, error: String(e) })), 100);
const notifier: Notifier = {
  async send(n) {
    unrecorded.push([n.idempotencyKey, n.id, n.template]);
  },
};
const engine = createEngine({
  definitions: [dealApproval(SECONDS)],
  storage: createPostgresStorage(db),
  scheduler: createPostgresScheduler(db, { pollIntervalMs: 250, batchSize: 20, concurrency: 4, owner: `worker-${WORKER}` }),
  notifier,
  directory: createStaticDirectory(),
  maxConflictRetries: 20,
});
let timersFired = 0;
const errors: string[] = [];
engine.events$.subscribe((e) => {
  if (e.type === "timer.fired") timersFired++;
  if (e.type === "error" && errors.length < 20) errors.push(e.error);
});

/** Run `task(k)` for k in [0, n) with `width` at a time. */
async function pooled(n: number, width: number, task: (k: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let k = next++; k < n; k = next++) await task(k);
  }));
}

async function startInstances(): Promise<number> {
  const mine = Array.from({ length: INSTANCES }, (_, i) => i).filter((i) => i % WORKERS === WORKER);
  await pooled(mine.length, 12, async (k) => {
    await engine.start("deal-approval", { id: `deal-${mine[k]}`, initiator: "user:li", input: { amount: 1_000 * (mine[k]! + 1) } });
  });
  return mine.length;
}

async function fireEvents(): Promise<Record<string, number>> {
  const rnd = seededRandom(20261123 + WORKER); // each worker its own reproducible event stream
  const outcomes: Record<string, number> = {};
  const log: [string, number, string, string, string, string][] = [];
  await pooled(EVENTS, 12, async (k) => {
    const ref = `w${WORKER}-${k}`;
    const id = `deal-${Math.floor(rnd() * INSTANCES)}`;
    const r = rnd();
    const actor = ["user:a", "user:b", "user:boss", "user:x"][Math.floor(rnd() * 4)]!;
    const type = r < 0.6 ? "approve" : r < 0.72 ? "reject" : r < 0.97 ? "remind" : "cancel";
    let outcome: string;
    try {
      // The ref travels with the event into the audit record (a cancel's in its comment).
      if (type === "cancel") await engine.cancel(id, { actor: "user:admin", reason: ref });
      else {
        const event: InstanceEvent & { ref: string } = { type, actor: type === "remind" ? "user:li" : actor, ref };
        await engine.send(id, event);
      }
      outcome = "applied";
    } catch (e) {
      outcome = isRuleflowError(e) ? e.code : `error: ${e instanceof Error ? e.message : String(e)}`;
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    log.push([ref, WORKER, id, type, actor, outcome]);
  });
  for (let i = 0; i < log.length; i += 500) {
    const chunk = log.slice(i, i + 500);
    await pool.query(
      "INSERT INTO event_log (ref, worker, instance_id, type, actor, outcome) SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[])",
      [0, 1, 2, 3, 4, 5].map((c) => chunk.map((row) => row[c])),
    );
  }
  return outcomes;
}

process.on("message", (m: { cmd: string }) => {
  void (async () => {
    try {
      if (m.cmd === "start") send({ type: "started", worker: WORKER, count: await startInstances() });
      if (m.cmd === "events") send({ type: "events-done", worker: WORKER, outcomes: await fireEvents() });
      if (m.cmd === "stop") {
        await engine.settle();
        await engine.close();
        clearInterval(recorder);
        await recordDeliveries();
        await db.close();
        send({ type: "stopped", worker: WORKER, timersFired, errors });
        process.disconnect?.();
      }
    } catch (e) {
      send({ type: "failed", worker: WORKER, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  })();
});

await engine.ready;
send({ type: "ready", worker: WORKER });
