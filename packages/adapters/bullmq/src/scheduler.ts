/**
 * The Scheduler port on BullMQ: every durable timer is a delayed job in
 * Redis, so any number of engine processes share the work and each timer
 * is fired by one of them.
 */
import type { Scheduler, Storage } from "@ruleflow/engine";
import type { SchedulerContext, TimerRecord } from "@ruleflow/engine/workflow";
import { Queue, Worker, type Job } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";

// ioredis 6's constructor overloads do not accept its own RedisOptions under exactOptionalPropertyTypes
const RedisClient = Redis as unknown as new (options: RedisOptions) => Redis;

/** Options of {@link createBullMqScheduler}. */
export interface BullMqSchedulerOptions {
  /**
   * Redis: ioredis options (`{ host, port }`), from which the scheduler opens
   * (and on `stop` closes) its own connections, or an ioredis client, which
   * is duplicated and left open.
   */
  connection: RedisOptions | Redis;
  /** The queue's name; engines that share timers use the same one. Default `ruleflow-timers`. */
  queueName?: string | undefined;
  /** BullMQ key prefix in Redis. Default BullMQ's (`bull`). */
  prefix?: string | undefined;
  /** Timers fired at once by this process. Default 1 (due order within the process). */
  concurrency?: number | undefined;
  /** Tries per timer when firing throws (storage down). Default 5, 1 s doubling. */
  attempts?: number | undefined;
  /** Now, epoch ms, to turn due times into delays. Default `Date.now` (the engine's system clock). */
  now?: (() => number) | undefined;
  /**
   * How often to ask the engine to deliver due outbox entries (ms), so that
   * entries left by another process that died are picked up when the storage
   * is shared. Default 10000; 0 turns it off.
   */
  pollOutboxMs?: number | undefined;
  /** Told about Redis errors while scheduling or cancelling. Default: `console.error`. */
  onError?: ((error: unknown) => void) | undefined;
}

/** A BullMQ-backed {@link Scheduler}. */
export interface BullMqScheduler extends Scheduler {
  /** Resolves when every schedule/cancel so far has reached Redis. */
  idle(): Promise<void>;
  /** The queue (for inspection; do not add jobs to it yourself). Undefined before `start`. */
  readonly queue: Queue | undefined;
}

/**
 * The job id of a timer: its id (`instance/key/generation`), URI-encoded
 * (BullMQ ids may not contain `:`) and prefixed (nor be integers).
 */
export function timerJobId(timerId: string): string {
  return `t.${encodeURIComponent(timerId)}`;
}

/**
 * Create a Scheduler that keeps timers as BullMQ delayed jobs.
 *
 * The job id is the timer id: scheduling a timer twice (a restart reloads
 * pending timers) keeps one job, and scheduling it with a new due time moves
 * that job. A re-armed timer is a new generation, so a new job, and the
 * engine cancels the old generation's job. A firing whose timer is no longer
 * pending changes nothing (the engine checks storage), so BullMQ's
 * at-least-once delivery never applies a timer twice.
 *
 * @param options - Redis connection and queue settings
 * @returns the scheduler to pass as `createEngine({ scheduler })`
 *
 * @example
 * ```ts
 * const scheduler = createBullMqScheduler({ connection: { host: "127.0.0.1", port: 6379 } });
 * const engine = createEngine({ definitions, storage, scheduler });
 * ```
 * @see docs/notifications.md
 */
export function createBullMqScheduler(options: BullMqSchedulerOptions): BullMqScheduler {
  const name = options.queueName ?? "ruleflow-timers";
  const now = options.now ?? Date.now;
  const onError = options.onError ?? ((e: unknown) => console.error("[@ruleflow/bullmq]", e));
  const attempts = options.attempts ?? 5;
  let queue: Queue | undefined;
  let worker: Worker | undefined;
  let connections: Redis[] = [];
  let poll: ReturnType<typeof setInterval> | undefined;
  /** One chain of Redis operations per job id, so a cancel never overtakes its schedule. */
  const chains = new Map<string, Promise<void>>();
  /** Operations issued before `start`. */
  const early: (() => void)[] = [];

  const enqueue = (jobId: string, op: (q: Queue) => Promise<void>): void => {
    const run = (): void => {
      const q = queue!;
      const prev = chains.get(jobId) ?? Promise.resolve();
      const next = prev.then(() => op(q)).catch(onError);
      chains.set(jobId, next);
      void next.finally(() => {
        if (chains.get(jobId) === next) chains.delete(jobId);
      });
    };
    if (queue) run();
    else early.push(run);
  };

  const add = (timer: TimerRecord): void => {
    const jobId = timerJobId(timer.id);
    enqueue(jobId, async (q) => {
      const delay = Math.max(0, timer.dueAt - now());
      const existing = await q.getJob(jobId);
      if (existing) {
        // the same timer again (a restart reloads pending timers): one job; a new due time moves it
        if ((existing.data as { timer?: TimerRecord }).timer?.dueAt !== timer.dueAt && (await existing.getState()) === "delayed") {
          await existing.updateData({ timer });
          await existing.changeDelay(delay);
        }
        return;
      }
      // another process may add the same id between getJob and add: BullMQ keeps the first
      await q.add("timer", { timer }, { jobId, delay, attempts, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 });
    });
  };

  return {
    get queue() {
      return queue;
    },
    async start(fire: (timer: TimerRecord) => Promise<void>, storage: Storage, context?: SchedulerContext) {
      // BullMQ's workers block on Redis: their connections must not give up on a command
      const open = (): Redis =>
        options.connection instanceof Redis ? options.connection.duplicate({ maxRetriesPerRequest: null }) : new RedisClient({ ...options.connection, maxRetriesPerRequest: null });
      connections = [open(), open()];
      const prefix = options.prefix !== undefined ? { prefix: options.prefix } : {};
      queue = new Queue(name, { connection: connections[0]!, ...prefix });
      worker = new Worker(name, async (job: Job) => fire((job.data as { timer: TimerRecord }).timer), { connection: connections[1]!, ...prefix, concurrency: options.concurrency ?? 1 });
      worker.on("error", onError);
      for (const run of early.splice(0)) run();
      for (const t of await storage.listPendingTimers()) add(t);
      const every = options.pollOutboxMs ?? 10_000;
      if (context && every > 0) {
        poll = setInterval(() => context.pollOutbox(), every);
        poll.unref();
      }
    },
    schedule(timers) {
      for (const t of timers) add(t);
    },
    cancel(ids) {
      for (const id of ids) {
        const jobId = timerJobId(id);
        // an active (firing) job is locked and stays; its firing is a no-op once the timer is gone from storage
        enqueue(jobId, async (q) => void (await q.remove(jobId)));
      }
    },
    async idle() {
      while (chains.size) await Promise.all(chains.values());
    },
    async stop() {
      clearInterval(poll);
      while (chains.size) await Promise.all(chains.values());
      await worker?.close();
      await queue?.close();
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
      connections = [];
      worker = undefined;
    },
  };
}
