/**
 * Drains the outbox after each commit: notifications go to the Notifier,
 * task entries to host handlers whose results come back as events. Failed
 * deliveries are retried with exponential backoff (deterministic jitter) and
 * marked dead after the last try. A crash between commit and delivery loses
 * nothing: pending entries are picked up again on start.
 *
 * With a storage that leases a commit's entries to the committing process
 * (`Storage.committedOutboxLeaseMs`), the entries the engine has just
 * committed are delivered straight away, without looking them up or claiming
 * them; the rest (retries, entries of processes that died) is claimed. With
 * `Storage.updateOutboxBatch`, the delivery results that come in while one
 * write is under way are recorded together by the next.
 */
import { formatPath, isPermanentDeliveryError } from "../core/errors.js";
import { fnv1a32 } from "../core/hash.js";
import { toStorableText, unstorableText } from "../storable-text.js";
import type { Clock, Notification, Notifier, OutboxEntry, Storage } from "./ports.js";

/** A delivery result to record: what `Storage.updateOutbox` takes, with the entry's id. */
type OutboxUpdate = Parameters<NonNullable<Storage["updateOutboxBatch"]>>[0][number];

/** A host task handler: receives the input and returns the result stored under the node id. */
export type TaskHandler = (input: Record<string, unknown>, context: TaskContext) => unknown;

/** What a task handler learns about its call. */
export interface TaskContext {
  readonly instanceId: string;
  readonly node: string;
  readonly attempt: number;
  /** Stable for this node, generation and attempt: pass it to the systems you call. */
  readonly idempotencyKey: string;
}

/** Delivery retry policy. */
export interface RetryPolicy {
  /** Attempts before an entry is dead. Default 5. */
  readonly maxAttempts: number;
  /** First delay in ms; doubles per attempt, plus up to 20% jitter. Default 1000. */
  readonly baseDelayMs: number;
}

/** What the dispatcher reports. */
export type DispatchEvent =
  | { type: "notification.sent"; entry: OutboxEntry }
  | { type: "notification.failed"; entry: OutboxEntry; error: string; willRetry: boolean }
  | { type: "task.started"; entry: OutboxEntry }
  | { type: "task.settled"; entry: OutboxEntry; ok: boolean }
  /** Reading the outbox or recording a result failed (the storage went away): nothing was lost, it looks again at `retryAt`. */
  | { type: "outbox.failed"; error: string; retryAt: number };

/** Deterministic jitter in [0, 0.2) for a retry: the same entry and attempt always wait the same. */
function jitter(id: string): number {
  return (fnv1a32(id) % 1000) / 5000;
}

/** Instances whose claimed notifications are delivered at once (storages with `claimOutbox` only). */
const CLAIMED_IN_FLIGHT = 8;

/** Instances whose just-committed notifications are delivered at once (storages with `committedOutboxLeaseMs` only). */
const FRESH_IN_FLIGHT = 8;

/** The longest wait before looking at the outbox again after a failed look (they double from `baseDelayMs`). */
const MAX_DRAIN_RETRY_MS = 60_000;

/** Delivery results recorded by one `updateOutboxBatch` at most. */
const RESULTS_PER_WRITE = 100;

/** The entries a storage with `committedOutboxLeaseMs` leases to the committing process: due at once. */
const leasedAtCommit = (e: OutboxEntry): boolean => e.status === "pending" && e.nextAttemptAt <= e.createdAt;

/** @internal */
export function createDispatcher(deps: {
  storage: Storage;
  notifier: Notifier;
  clock: Clock;
  handlers: Readonly<Record<string, TaskHandler>>;
  retry: RetryPolicy;
  /** Sends a task's result back into its instance. */
  deliverTaskResult: (entry: OutboxEntry, result: { ok: true; value: unknown } | { ok: false; error: string }) => Promise<void>;
  report: (e: DispatchEvent) => void;
}): {
  /**
   * Deliver what is due. `fresh`: outbox entries this process has just committed (the dispatcher may
   * deliver them without looking them up again); a kick without them looks at the storage.
   */
  kick(fresh?: readonly OutboxEntry[]): void;
  idle(patienceMs?: number): Promise<void>;
  stop(): void;
  resume(): Promise<void>;
} {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const retryTimers = new Map<number, () => void>();
  /** Task calls under way, by outbox entry id: a slow handler must not hold up notifications or other tasks. */
  const inflight = new Map<string, Promise<void>>();
  /** Task calls that outlived an `idle(patienceMs)` once: later bounded waits skip them. */
  const hung = new Set<string>();
  /** The lease a commit gives this process over its due entries, when the storage gives one (and can claim the rest). */
  const freshLeaseMs = deps.storage.claimOutbox ? deps.storage.committedOutboxLeaseMs : undefined;
  /** Just-committed notifications waiting for their instance's turn, by instance, in commit order. */
  const freshWaiting = new Map<string, OutboxEntry[]>();
  /** Instances whose just-committed notifications are being delivered. */
  const freshBusy = new Set<string>();
  /** Those deliveries (they never reject: a failure is kept in `freshFailure` for `idle()`). */
  const freshWork = new Set<Promise<void>>();
  /**
   * A failure no caller awaits (a drain started by a commit or a timer, a fresh delivery): kept here
   * for the next `idle()` the host awaits, never left as an unhandled rejection (which ends a Node process).
   */
  let freshFailure: { error: unknown } | undefined;
  /** Drains that failed in a row: the wait before the next look doubles with each. */
  let failedDrains = 0;
  /** Delivery results waiting for the write under way (`updateOutboxBatch`). */
  const results: { update: OutboxUpdate; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let recording = false;

  /** Record a delivery result: alone, or with the others that came in while the last write was under way. */
  const record = (update: OutboxUpdate): Promise<void> => {
    if (!deps.storage.updateOutboxBatch) {
      const { id, ...rest } = update;
      return deps.storage.updateOutbox(id, rest);
    }
    return new Promise<void>((resolve, reject) => {
      results.push({ update, resolve, reject });
      writeResults();
    });
  };

  const writeResults = (): void => {
    if (recording || results.length === 0) return;
    recording = true;
    const taken = results.splice(0, RESULTS_PER_WRITE);
    deps.storage
      .updateOutboxBatch!(taken.map((r) => r.update))
      .then(
        () => taken.forEach((r) => r.resolve()),
        (e: unknown) => taken.forEach((r) => r.reject(e)),
      )
      .finally(() => {
        recording = false;
        writeResults();
      });
  };

  const deliverNotification = async (entry: OutboxEntry): Promise<void> => {
    const p = entry.payload as Omit<Notification, "id" | "idempotencyKey" | "instanceId">;
    const notification: Notification = { ...p, id: entry.id, idempotencyKey: entry.idempotencyKey, instanceId: entry.instanceId };
    try {
      await deps.notifier.send(notification);
      await record({ id: entry.id, status: "delivered", attempts: entry.attempts + 1, nextAttemptAt: entry.nextAttemptAt });
      deps.report({ type: "notification.sent", entry });
    } catch (e) {
      const attempts = entry.attempts + 1;
      // a receiver's reply may hold anything; recording the failure must not fail
      const error = toStorableText(e instanceof Error ? e.message : String(e));
      const permanent = isPermanentDeliveryError(e);
      const dead = permanent || attempts >= deps.retry.maxAttempts;
      const delay = deps.retry.baseDelayMs * 2 ** (attempts - 1) * (1 + jitter(`${entry.id}/${attempts}`));
      const nextAttemptAt = deps.clock.now() + Math.round(delay);
      await record({ id: entry.id, status: dead ? "dead" : "pending", attempts, nextAttemptAt, lastError: error });
      deps.report({ type: "notification.failed", entry, error, willRetry: !dead });
      if (!dead) armRetry(nextAttemptAt);
      else if (deps.notifier.deadLetter) {
        // the entry is dead already; a failing dead-letter sink must not stop the drain
        try {
          await deps.notifier.deadLetter(notification, { attempts, error, permanent, at: deps.clock.now() });
        } catch {
          /* ignored, as documented on Notifier.deadLetter */
        }
      }
    }
  };

  const runTask = async (entry: OutboxEntry): Promise<void> => {
    const p = entry.payload as { node: string; attempt: number; handler: string; input: Record<string, unknown> };
    const handler = Object.hasOwn(deps.handlers, p.handler) ? deps.handlers[p.handler] : undefined;
    deps.report({ type: "task.started", entry });
    let result: { ok: true; value: unknown } | { ok: false; error: string };
    if (!handler) result = { ok: false, error: `no handler "${p.handler}" is registered` };
    else {
      try {
        const value = await handler(structuredClone(p.input), { instanceId: entry.instanceId, node: p.node, attempt: p.attempt, idempotencyKey: entry.idempotencyKey });
        const json: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
        // A result no store can keep would be refused at commit, leaving the call to be made again and again: fail the attempt instead.
        const unstorable = unstorableText({ result: json });
        result = unstorable.length
          ? { ok: false, error: `the handler's result cannot be stored: ${unstorable.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ")}` }
          : { ok: true, value: json };
      } catch (e) {
        result = { ok: false, error: toStorableText(e instanceof Error ? e.message : String(e)) };
      }
    }
    await deps.deliverTaskResult(entry, result);
    await record({ id: entry.id, status: "delivered", attempts: entry.attempts + 1, nextAttemptAt: entry.nextAttemptAt, ...(result.ok ? {} : { lastError: result.error }) });
    deps.report({ type: "task.settled", entry, ok: result.ok });
  };

  const armRetry = (at: number): void => {
    if (retryTimers.has(at)) return;
    retryTimers.set(
      at,
      deps.clock.setTimer(at, () => {
        retryTimers.delete(at);
        // setTimeout may fire a millisecond before Date.now() reaches `at`; the
        // entry would not be due yet and nothing would look at it again.
        if (deps.clock.now() < at) {
          armRetry(at);
          return;
        }
        kick();
        // the failure of a delivery started here is for the next idle() the host awaits, not for the clock
        return idle(undefined, false);
      }),
    );
  };

  const drain = async (): Promise<void> => {
    do {
      again = false;
      // A storage shared by several processes leases what it hands out, so each entry is delivered by one of them.
      const entries = deps.storage.claimOutbox ? await deps.storage.claimOutbox(deps.clock.now(), 100) : await deps.storage.listDueOutbox(deps.clock.now(), 100);
      let fresh = 0;
      const lanes = new Map<string, OutboxEntry[]>();
      for (const entry of entries) {
        if (stopped) return;
        if (inflight.has(entry.id)) continue;
        fresh++;
        if (entry.kind === "notification" && deps.storage.claimOutbox) lanes.set(entry.instanceId, [...(lanes.get(entry.instanceId) ?? []), entry]);
        else if (entry.kind === "notification") await deliverNotification(entry);
        else startTask(entry);
      }
      // Only storages that claim fill lanes; the in-memory path takes no extra turn here.
      if (lanes.size) await deliverClaimed([...lanes.values()]);
      if (entries.length === 100 && fresh > 0) again = true;
    } while (again && !stopped);
  };

  /** Call a task's handler; its result comes back as an event. Not awaited: a slow handler holds up nothing else. */
  const startTask = (entry: OutboxEntry): void => {
    if (inflight.has(entry.id)) return;
    const call = runTask(entry).finally(() => {
      inflight.delete(entry.id);
      hung.delete(entry.id);
    });
    inflight.set(entry.id, call);
    // idle() reports a failure; here it only lets entries behind it run
    call.then(() => kick(), () => undefined);
  };

  /**
   * Take the entries this process has just committed and the storage leased
   * to it: tasks start at once, notifications wait for their instance's turn
   * (each instance's in commit order, several instances side by side).
   * Returns whether some were not leased (they are left to a claim).
   */
  const takeFresh = (fresh: readonly OutboxEntry[], leaseMs: number): boolean => {
    let rest = false;
    for (const entry of fresh) {
      if (!leasedAtCommit(entry)) rest = true;
      else if (entry.kind === "task") startTask(entry);
      else {
        const waiting = freshWaiting.get(entry.instanceId);
        if (waiting) waiting.push(entry);
        else freshWaiting.set(entry.instanceId, [entry]);
      }
    }
    pumpFresh(leaseMs);
    return rest;
  };

  /** Start delivering the waiting instances' notifications, up to FRESH_IN_FLIGHT instances at once. */
  const pumpFresh = (leaseMs: number): void => {
    for (const [instanceId, entries] of freshWaiting) {
      if (freshBusy.size >= FRESH_IN_FLIGHT) return;
      if (freshBusy.has(instanceId)) continue;
      freshWaiting.delete(instanceId);
      freshBusy.add(instanceId);
      const work: Promise<void> = (async () => {
        for (const entry of entries) {
          if (stopped) return;
          // Past half its lease (a long queue, a slow receiver) it is left to a claim when the lease ends:
          // a delivery started now could still be under way when another process claims it.
          if (deps.clock.now() >= entry.createdAt + leaseMs / 2) armRetry(entry.createdAt + leaseMs);
          else await deliverNotification(entry);
        }
      })()
        .catch((e: unknown) => {
          // recording the result failed: the entry stays leased, and is claimed and delivered again when the lease ends
          freshFailure ??= { error: e };
          armRetry(entries[0]!.createdAt + leaseMs);
        })
        .finally(() => {
          freshBusy.delete(instanceId);
          freshWork.delete(work);
          pumpFresh(leaseMs);
        });
      freshWork.add(work);
    }
  };

  /**
   * Claimed entries are this process's alone for their lease: deliver several
   * instances' notifications side by side (each instance's in order), so a
   * slow receiver does not hold up the rest.
   */
  const deliverClaimed = async (lanes: OutboxEntry[][]): Promise<void> => {
    const lane = async (): Promise<void> => {
      for (let next = lanes.shift(); next && !stopped; next = lanes.shift()) for (const entry of next) if (!stopped) await deliverNotification(entry);
    };
    await Promise.all(Array.from({ length: Math.min(CLAIMED_IN_FLIGHT, lanes.length) }, lane));
  };

  const kick = (fresh?: readonly OutboxEntry[]): void => {
    if (stopped) return;
    // Leased to this process by its commit: deliver them without a claim; only what is left needs one.
    if (fresh && freshLeaseMs !== undefined && !takeFresh(fresh, freshLeaseMs)) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .then(
        () => {
          failedDrains = 0;
        },
        (e: unknown) => {
          // The storage failed (a lost connection): what is due stays in the outbox. Say so, keep the
          // failure for the next idle() the host awaits, and look again later, waiting longer each time.
          failedDrains++;
          freshFailure ??= { error: e };
          const retryAt = deps.clock.now() + Math.min(MAX_DRAIN_RETRY_MS, deps.retry.baseDelayMs * 2 ** (failedDrains - 1));
          if (!stopped) armRetry(retryAt);
          deps.report({ type: "outbox.failed", error: toStorableText(e instanceof Error ? e.message : String(e)), retryAt });
        },
      )
      .finally(() => {
        running = undefined;
        // A kick that came after the drain's last look at the outbox would be lost otherwise.
        if (again && !stopped) kick();
      });
  };

  /** Wait for `call`, but no longer than `ms` of real time; a call that outlives it is marked hung. */
  const withPatience = (id: string, call: Promise<void>, ms: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        hung.add(id);
        resolve();
      }, ms);
      call.then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });

  /**
   * Wait until the outbox is drained and task calls have answered. With
   * `patienceMs` (engines on a virtual clock), a task call that has not
   * answered within that much real time counts as hung: it goes on, but this
   * and later waits no longer hold up on it, so virtual time can reach its
   * timeout. Without it, every call is awaited however long it takes.
   * A failure to record the delivery of an entry this process committed
   * (the database went away) is thrown once, by the first wait that
   * `surface`s it.
   */
  const idle = async (patienceMs?: number, surface = true): Promise<void> => {
    for (;;) {
      if (running) {
        await running;
        continue;
      }
      if (freshWork.size) {
        await Promise.all(freshWork);
        continue;
      }
      if (freshFailure && surface) {
        const { error } = freshFailure;
        freshFailure = undefined;
        throw error;
      }
      const calls = [...inflight].filter(([id]) => patienceMs === undefined || !hung.has(id));
      if (calls.length === 0) return;
      await Promise.all(calls.map(([id, call]) => (patienceMs === undefined ? call : withPatience(id, call, patienceMs))));
    }
  };

  return {
    kick,
    idle,
    /** On start: deliver what is due, and re-arm retries a previous process had scheduled. */
    async resume() {
      const now = deps.clock.now();
      let leasedUntil = now;
      for (const entry of await deps.storage.listDueOutbox(Number.MAX_SAFE_INTEGER)) {
        if (entry.nextAttemptAt > now && !stopped) armRetry(entry.nextAttemptAt);
        // Entries a process (perhaps this one before a restart) committed are leased to it until their lease ends: look again then.
        else if (freshLeaseMs !== undefined && leasedAtCommit(entry)) leasedUntil = Math.max(leasedUntil, entry.createdAt + freshLeaseMs);
      }
      if (leasedUntil > now && !stopped) armRetry(leasedUntil);
      kick();
    },
    stop() {
      stopped = true;
      for (const cancel of retryTimers.values()) cancel();
      retryTimers.clear();
    },
  };
}
