/**
 * Many workers: 4 processes, each its own engine, on one PostgreSQL. 5,000
 * approval instances with escalation ladders of a few seconds on the system
 * clock (the clock every process shares: no virtual time table needed),
 * random events fired at any instance from every worker. Then, from the
 * database alone: every timer fired once, every accepted event is in the
 * audit log once and no refused one is, no notification was delivered twice,
 * and replaying the audit log in its recorded order on one in-memory engine
 * reproduces every final state.
 *
 * Sizes: RULEFLOW_WORKERS_INSTANCES (default 5000), RULEFLOW_WORKERS_EVENTS
 * (events per worker, default 2500).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  createEngine,
  createMemoryStorage,
  createStaticDirectory,
  type InstanceEvent,
  type Scheduler,
} from "@ruleflow/engine";
import type { AuditRecord, StoredInstance, TimerRecord } from "@ruleflow/engine/workflow";
import { createPoolDriver, createPostgresStorage, migrate } from "../src/index.js";
import { DATABASE_URL, serverSkipReason } from "./databases.js";
import { dealApproval, until } from "./fixtures.js";

const WORKERS = 4;
const INSTANCES = Number(process.env["RULEFLOW_WORKERS_INSTANCES"] ?? 5000);
const EVENTS = Number(process.env["RULEFLOW_WORKERS_EVENTS"] ?? 2500);
const SECONDS: [number, number, number] = [8, 8, 8];
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const workerFile = fileURLToPath(new URL("./workers/worker.ts", import.meta.url));

interface Worker {
  child: ChildProcess;
  messages: { type: string; [k: string]: unknown }[];
  output: string[];
}

function startWorker(index: number, url: string): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", workerFile], {
    cwd: repoRoot,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json`,
      DATABASE_URL: url,
      WORKER: String(index),
      WORKERS: String(WORKERS),
      INSTANCES: String(INSTANCES),
      EVENTS: String(EVENTS),
      LADDER_SECONDS: JSON.stringify(SECONDS),
    },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const w: Worker = { child, messages: [], output: [] };
  child.on("message", (m) => w.messages.push(m as Worker["messages"][number]));
  child.stdout?.on("data", (d: Buffer) => w.output.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => w.output.push(d.toString()));
  return w;
}

async function all(workers: Worker[], type: string, timeoutMs: number): Promise<Worker["messages"]> {
  await until(
    () => {
      for (const w of workers) {
        const failed = w.messages.find((m) => m.type === "failed");
        if (failed || w.child.exitCode !== null && !w.messages.some((m) => m.type === type)) {
          throw new Error(`worker failed: ${(failed?.["error"] as string | undefined) ?? `exited ${w.child.exitCode}`}\n${w.output.join("").slice(-3000)}`);
        }
      }
      return workers.every((w) => w.messages.some((m) => m.type === type));
    },
    timeoutMs,
    `every worker to report "${type}"`,
    50,
  );
  return workers.map((w) => w.messages.find((m) => m.type === type)!);
}

/** Replay the audit log, in its recorded order, on one in-memory engine; returns its storage. */
async function replay(rows: readonly AuditRecord[]): Promise<{ instances: Map<string, StoredInstance>; problems: string[] }> {
  let now = 0;
  let fire: ((t: TimerRecord) => Promise<void>) | undefined;
  const scheduler: Scheduler = {
    async start(f) {
      fire = f;
    },
    schedule() {},
    cancel() {},
    async stop() {},
  };
  const storage = createMemoryStorage();
  const engine = createEngine({
    definitions: [dealApproval(SECONDS)],
    storage,
    scheduler,
    clock: { now: () => now, setTimer: () => () => {} },
    directory: createStaticDirectory(),
    notifier: { async send() {} },
  });
  await engine.ready;
  const problems: string[] = [];
  for (const a of rows) {
    now = a.at;
    const { at: _at, ...event } = a.event as Record<string, unknown>;
    try {
      if (a.action === "start") {
        await engine.start(a.definitionId, { id: a.instanceId, initiator: a.actor, input: event["input"] as Record<string, unknown> });
      } else if (a.action === "timer") {
        const timer = await storage.getTimer(`${a.instanceId}/${String(event["key"])}/${String(event["generation"])}`);
        if (!timer) throw new Error("the timer is not pending in the replay");
        await fire!(timer);
      } else if (a.action === "cancel") {
        await engine.cancel(a.instanceId, { actor: a.actor, reason: a.comment });
      } else {
        await engine.send(a.instanceId, event as unknown as InstanceEvent);
      }
    } catch (e) {
      problems.push(`${a.instanceId} v${a.version} ${a.action}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const got = await storage.getInstance(a.instanceId);
    if (got?.version !== a.version && problems.length < 20) problems.push(`${a.instanceId}: replaying ${a.action} gave version ${got?.version}, the log says ${a.version}`);
  }
  await engine.close();
  const instances = new Map<string, StoredInstance>();
  for (const i of storage.snapshot().instances) instances.set(i.id, i);
  return { instances, problems };
}

describe.skipIf(serverSkipReason !== undefined)(`${WORKERS} worker processes on one PostgreSQL server${serverSkipReason ? ` (skipped: ${serverSkipReason})` : ""}`, () => {
  it(`${INSTANCES} approvals with escalation timers and ${WORKERS * EVENTS} random events: each timer fires once, each event applies once, no notification twice, the audit log replays to every final state`, async () => {
    const t0 = Date.now();
    const phase: Record<string, number> = {};
    const mark = (name: string): void => void (phase[name] = Math.round((Date.now() - t0) / 100) / 10);
    const dbName = `ruleflow_workers_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    // Commits wait for no WAL flush to disk: a throwaway database, and the invariants checked here
    // (isolation, exactly-once) do not depend on surviving a server crash. About a tenth faster.
    await admin.query(`ALTER DATABASE ${dbName} SET synchronous_commit = off`);
    const url = new URL(DATABASE_URL);
    url.pathname = `/${dbName}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
    pool.on("error", () => undefined); // idle connections are cut when the database is dropped
    const db = createPoolDriver(pool);
    const workers: Worker[] = [];
    try {
      await migrate(db);
      await pool.query("CREATE TABLE deliveries (seq bigserial PRIMARY KEY, idempotency_key text NOT NULL, notification_id text NOT NULL, template text NOT NULL, worker int NOT NULL)");
      await pool.query("CREATE TABLE event_log (ref text PRIMARY KEY, worker int NOT NULL, instance_id text NOT NULL, type text NOT NULL, actor text NOT NULL, outcome text NOT NULL)");

      for (let k = 0; k < WORKERS; k++) workers.push(startWorker(k, url.toString()));
      await all(workers, "ready", 60_000);
      mark("workers ready");
      for (const w of workers) w.child.send({ cmd: "start" });
      await all(workers, "started", 120_000);
      mark("instances started");
      for (const w of workers) w.child.send({ cmd: "events" });
      const eventReports = await all(workers, "events-done", 120_000);
      mark("events fired");
      // Quiet: every instance finished (approved, rejected, cancelled or auto-rejected), no timer left, nothing to deliver.
      await until(
        async () => {
          const r = await pool.query<{ running: number; timers: number; pending: number }>(
            `SELECT (SELECT count(*) FROM ruleflow.instances WHERE status = 'running')::int AS running, (SELECT count(*) FROM ruleflow.timers)::int AS timers, ` +
              `(SELECT count(*) FROM ruleflow.outbox WHERE status = 'pending')::int AS pending`,
          );
          const row = r.rows[0]!;
          return row.running === 0 && row.timers === 0 && row.pending === 0;
        },
        240_000,
        "every instance to finish, every timer to fire and every notification to be delivered",
        250,
      );
      mark("quiet");
      for (const w of workers) w.child.send({ cmd: "stop" });
      const stopped = await all(workers, "stopped", 60_000);

      // Every instance exists and has finished.
      const byStatus = await pool.query<{ status: string; outcome: string | null; n: number }>(
        "SELECT status, outcome, count(*)::int AS n FROM ruleflow.instances GROUP BY 1, 2 ORDER BY 1, 2",
      );
      expect(byStatus.rows.reduce((s, r) => s + r.n, 0)).toBe(INSTANCES);

      // Every timer fired exactly once: none left, none applied twice.
      const twice = await pool.query(
        "SELECT instance_id, event->>'key' AS key, event->>'generation' AS generation, count(*) FROM ruleflow.audit WHERE action = 'timer' GROUP BY 1, 2, 3 HAVING count(*) > 1",
      );
      expect(twice.rows).toEqual([]);
      const timerFirings = Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM ruleflow.audit WHERE action = 'timer'")).rows[0]!.n);

      // Every event a worker saw applied is in the audit log once; no refused one is.
      const audited = await pool.query<{ ref: string; n: number }>(
        "SELECT coalesce(event->>'ref', comment) AS ref, count(*)::int AS n FROM ruleflow.audit WHERE action NOT IN ('start', 'timer') GROUP BY 1",
      );
      const applied = await pool.query<{ ref: string }>("SELECT ref FROM event_log WHERE outcome = 'applied'");
      expect(audited.rows.filter((r) => r.n !== 1)).toEqual([]);
      expect(audited.rows.map((r) => r.ref).sort()).toEqual(applied.rows.map((r) => r.ref).sort());
      const outcomes = await pool.query<{ outcome: string; n: number }>("SELECT outcome, count(*)::int AS n FROM event_log GROUP BY 1 ORDER BY 1");
      const byType = await pool.query<{ type: string; outcome: string; n: number }>("SELECT type, outcome, count(*)::int AS n FROM event_log GROUP BY 1, 2 ORDER BY 1, 2");
      expect(outcomes.rows.reduce((s, r) => s + r.n, 0)).toBe(WORKERS * EVENTS);

      // No notification delivered twice, and every one delivered.
      const dupes = await pool.query("SELECT idempotency_key, count(*) FROM deliveries GROUP BY 1 HAVING count(*) > 1");
      expect(dupes.rows).toEqual([]);
      const outbox = await pool.query<{ status: string; n: number }>("SELECT status, count(*)::int AS n FROM ruleflow.outbox WHERE kind = 'notification' GROUP BY 1");
      const deliveries = Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM deliveries")).rows[0]!.n);
      expect(outbox.rows).toEqual([{ status: "delivered", n: deliveries }]);
      const byWorker = await pool.query<{ worker: number; n: number }>("SELECT worker, count(*)::int AS n FROM deliveries GROUP BY 1 ORDER BY 1");

      // Serializable: the audit log, replayed in its recorded order on one in-memory engine, gives every final state.
      const storage = createPostgresStorage(db);
      const rows = (
        await pool.query<{ id: string }>("SELECT instance_id AS id FROM ruleflow.audit ORDER BY seq")
      ).rows;
      const auditRows: AuditRecord[] = [];
      // Read the records through the storage port (one query per instance), then order them by their global sequence.
      const seqOf = new Map<string, number>();
      (await pool.query<{ id: string; seq: string }>("SELECT id, seq FROM ruleflow.audit")).rows.forEach((r) => seqOf.set(r.id, Number(r.seq)));
      // Four reads in flight (the pool's size): the order they arrive in does not matter, the sort below decides.
      const ids = [...new Set(rows.map((r) => r.id))];
      await Promise.all(
        Array.from({ length: 4 }, async (_, lane) => {
          for (let k = lane; k < ids.length; k += 4) auditRows.push(...(await storage.listAudit(ids[k]!)));
        }),
      );
      auditRows.sort((a, b) => seqOf.get(a.id)! - seqOf.get(b.id)!);
      mark("checked");
      const { instances: replayed, problems } = await replay(auditRows);
      mark("replayed");
      expect(problems).toEqual([]);
      const stored = await storage.listInstances({});
      expect(stored).toHaveLength(INSTANCES);
      // Field by field; the state (xstate value and context) as exact JSON text.
      const essence = (i: StoredInstance | undefined) =>
        i && JSON.stringify([i.version, i.status, i.outcome ?? null, i.assignees, i.waitingFor, i.createdAt, i.updatedAt, i.state]);
      const differing = stored.filter((i) => essence(replayed.get(i.id)) !== essence(i));
      expect(differing.slice(0, 3).map((i) => [essence(i), essence(replayed.get(i.id))])).toEqual([]);

      console.log(
        [
          `many workers: ${WORKERS} processes, ${INSTANCES} instances, ${WORKERS * EVENTS} events, ladder ${SECONDS.join("+")} s`,
          `  phases (s since start): ${JSON.stringify(phase)}`,
          `  final: ${byStatus.rows.map((r) => `${r.status}/${r.outcome ?? "-"} ${r.n}`).join(", ")}`,
          `  events: ${outcomes.rows.map((r) => `${r.outcome} ${r.n}`).join(", ")}`,
          `  timer firings ${timerFirings} (by worker ${stopped.map((s) => s["timersFired"]).join("/")}), audit records ${auditRows.length}`,
          `  notifications delivered ${deliveries} (by worker ${byWorker.rows.map((r) => r.n).join("/")}), none twice`,
          `  events by type: ${byType.rows.map((r) => `${r.type} ${r.outcome} ${r.n}`).join(", ")}`,
          `  event outcomes by worker: ${JSON.stringify(eventReports.map((r) => r["outcomes"]))}`,
          `  engine errors reported: ${JSON.stringify(stopped.flatMap((s) => s["errors"] as string[]).slice(0, 5))}`,
        ].join("\n"),
      );
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill();
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  }, 400_000);
});
