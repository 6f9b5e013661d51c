/**
 * The Scheduler port on PostgreSQL: due timers are claimed in small batches
 * with `FOR UPDATE SKIP LOCKED` and a lease, so several engine processes can
 * share one database without firing a timer twice or waiting on each other.
 * Nothing but the next wake-up time is kept in memory: a million timers due
 * next year cost nothing until they are due.
 */
import { createSystemClock, type Clock, type Scheduler } from "@ruleflow/engine";
import type { SchedulerContext, TimerRecord } from "@ruleflow/engine/workflow";
import type { SqlDriver } from "./driver.js";
import type { SchemaOptions } from "./migrations.js";
import { ms, quoteSchema } from "./schema-name.js";
import { timerOf } from "./store.js";

/** Options of {@link createPostgresScheduler}. */
export interface PostgresSchedulerOptions extends SchemaOptions {
  /** Time source; the engine's clock. Default: the system clock. */
  clock?: Clock | undefined;
  /**
   * How often to look for timers other processes wrote (and for outbox
   * entries to deliver), in ms. Default 1,000. `0` turns polling off: right
   * for a single process, and for a virtual clock, where a poll every virtual
   * second would be wasted work.
   */
  pollIntervalMs?: number | undefined;
  /** Timers claimed per round trip. Default 20. */
  batchSize?: number | undefined;
  /**
   * How long a claim holds a timer, in ms. A process that dies holding a
   * timer delays it by at most this much; then another process fires it.
   * A firing that failed is retried when its lease ends. Default 30,000.
   */
  leaseMs?: number | undefined;
  /** Timers of different instances fired at once. Default 4. */
  concurrency?: number | undefined;
  /** Name of this process in `lease_owner`, for operators. Default: a random id. */
  owner?: string | undefined;
}

/** The PostgreSQL {@link Scheduler}. */
export interface PostgresScheduler extends Scheduler {
  /** Claim and fire what is due now, then re-arm. Resolves when done (useful in tests). */
  poll(): Promise<void>;
}

interface ClaimedRow {
  id: string;
  instance_id: string;
  key: string;
  generation: number;
  due_at: unknown;
  event: TimerRecord["event"];
}

/**
 * Create the PostgreSQL {@link Scheduler}. Give the engine the same clock.
 * Firing stays idempotent: the engine checks that a timer is still stored
 * before applying it and deletes it in the transition's commit, which is
 * checked against the instance version, so even a timer fired by two
 * processes (one whose lease ran out) is applied once.
 *
 * @param db - a driver ({@link createPoolDriver} or {@link createPGliteDriver})
 * @param options - schema, clock, poll interval, batch size, lease, concurrency
 * @returns the scheduler
 * @example
 * ```ts
 * const clock = createSystemClock();
 * const engine = createEngine({
 *   definitions,
 *   clock,
 *   storage: createPostgresStorage(db),
 *   scheduler: createPostgresScheduler(db, { clock, pollIntervalMs: 1000 }),
 * });
 * ```
 * @see docs/scaling.md
 */
export function createPostgresScheduler(db: SqlDriver, options: PostgresSchedulerOptions = {}): PostgresScheduler {
  const s = quoteSchema(options.schema);
  const clock = options.clock ?? createSystemClock();
  const pollMs = options.pollIntervalMs ?? 1_000;
  const batchSize = Math.max(1, options.batchSize ?? 20);
  const leaseMs = options.leaseMs ?? 30_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const owner = options.owner ?? `scheduler-${globalThis.crypto.randomUUID()}`;

  let fire: ((t: TimerRecord) => Promise<void>) | undefined;
  let context: SchedulerContext | undefined;
  let wake: { at: number; cancel: () => void } | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const arm = (at: number): void => {
    if (!fire || !Number.isFinite(at)) return;
    if (wake && wake.at <= at) return;
    wake?.cancel();
    const w = { at, cancel: () => {} };
    w.cancel = clock.setTimer(at, () => {
      if (wake === w) wake = undefined;
      return tick();
    });
    wake = w;
  };

  const claim = async (now: number): Promise<TimerRecord[]> => {
    const r = await db.query<ClaimedRow>(
      `UPDATE ${s}.timers t SET lease_owner = $3, lease_until = $4 ` +
        `WHERE t.id IN (SELECT id FROM ${s}.timers WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1) ` +
        `ORDER BY due_at, id COLLATE "C" LIMIT $2 FOR UPDATE SKIP LOCKED) ` +
        `RETURNING t.id, t.instance_id, t.key, t.generation, t.due_at, t.event`,
      [now, batchSize, owner, now + leaseMs],
    );
    return r.rows.map(timerOf).sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1));
  };

  /** One instance's timers in due order; different instances side by side. */
  const fireAll = async (timers: TimerRecord[]): Promise<void> => {
    const byInstance = new Map<string, TimerRecord[]>();
    for (const t of timers) byInstance.set(t.instanceId, [...(byInstance.get(t.instanceId) ?? []), t]);
    const queues = [...byInstance.values()];
    const worker = async (): Promise<void> => {
      for (let q = queues.shift(); q; q = queues.shift()) for (const t of q) if (fire) await fire(t);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queues.length) }, worker));
  };

  const nextDue = async (): Promise<number | undefined> => {
    // The earliest unclaimed due time, or the earliest lease to run out (a claimer may have died).
    const r = await db.query<{ at: unknown }>(
      `SELECT least((SELECT due_at FROM ${s}.timers WHERE lease_until IS NULL ORDER BY due_at LIMIT 1), ` +
        `(SELECT min(lease_until) FROM ${s}.timers WHERE lease_until IS NOT NULL)) AS at`,
    );
    const at = r.rows[0]?.at;
    return at === null || at === undefined ? undefined : ms(at);
  };

  const round = async (): Promise<void> => {
    do {
      again = false;
      const batch = await claim(clock.now());
      if (!batch.length) break;
      await fireAll(batch);
      // A timer still stored after its firing was not applied. If its
      // instance is gone or finished it never will be: drop it. Otherwise
      // (the firing failed) it keeps its lease and is retried when that ends.
      await db.query(
        `DELETE FROM ${s}.timers t WHERE t.id = ANY($1::text[]) AND NOT EXISTS ` +
          `(SELECT 1 FROM ${s}.instances i WHERE i.id = t.instance_id AND i.status = 'running')`,
        [batch.map((t) => t.id)],
      );
      if (batch.length === batchSize) again = true;
    } while (again && fire);
    context?.pollOutbox();
    if (!fire) return;
    const due = await nextDue();
    const now = clock.now();
    arm(Math.min(due ?? Infinity, pollMs > 0 ? now + pollMs : Infinity));
  };

  const tick = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = round()
      .catch(() => {
        // The database is unreachable or failing: try again after a poll interval.
        if (fire) arm(clock.now() + (pollMs > 0 ? pollMs : 1_000));
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  return {
    start(f, _storage, ctx) {
      fire = f;
      context = ctx;
      arm(clock.now());
      return Promise.resolve();
    },
    schedule(timers) {
      let earliest = Infinity;
      for (const t of timers) earliest = Math.min(earliest, t.dueAt);
      arm(earliest);
    },
    cancel() {
      // Cancelled timers were deleted by the commit that cancelled them.
    },
    poll: tick,
    async stop() {
      fire = undefined;
      context = undefined;
      wake?.cancel();
      wake = undefined;
      await running;
    },
  };
}
