/**
 * Delivery results on their way to the outbox table. While the storage is
 * committing transitions, a result waits a few milliseconds for the next
 * commit statement to carry it (one statement and one WAL flush for both);
 * when none comes by then, or when nothing is being committed, the results
 * waiting are written together by one statement of their own.
 */
import type { Storage } from "@ruleflow/engine";

/** One delivery result, as `Storage.updateOutboxBatch` takes it. */
export type OutboxResult = Parameters<NonNullable<Storage["updateOutboxBatch"]>>[0][number];

/**
 * One result per entry, as one `updateOutbox` after another would leave it:
 * a final result (delivered, dead) stays, and a later result without an
 * error keeps the earlier one's.
 */
export function mergeResults(results: readonly OutboxResult[]): OutboxResult[] {
  const byId = new Map<string, OutboxResult>();
  for (const r of results) {
    const before = byId.get(r.id);
    if (before && before.status !== "pending") continue;
    byId.set(r.id, before && r.lastError === undefined && before.lastError !== undefined ? { ...r, lastError: before.lastError } : r);
  }
  return [...byId.values()];
}

/**
 * The statement (or CTE body) recording `results`, its parameters numbered
 * from `$first`. Only pending entries change: delivered and dead are final,
 * so a process whose lease ran out cannot make an entry another process
 * delivered pending again. A result ends the entry's lease.
 */
export function resultsUpdate(s: string, results: readonly OutboxResult[], first: number): { text: string; params: unknown[] } {
  const [a, b, c, d, e] = [0, 1, 2, 3, 4].map((k) => `$${first + k}`);
  return {
    text:
      `UPDATE ${s}.outbox o SET status = u.status, attempts = u.attempts, next_attempt_at = u.next_attempt_at, ` +
      `last_error = coalesce(u.last_error, o.last_error), lease_until = NULL ` +
      `FROM unnest(${a}::text[], ${b}::text[], ${c}::integer[], ${d}::bigint[], ${e}::text[]) AS u(id, status, attempts, next_attempt_at, last_error) ` +
      `WHERE o.id = u.id AND o.status = 'pending'`,
    params: [results.map((r) => r.id), results.map((r) => r.status), results.map((r) => r.attempts), results.map((r) => r.nextAttemptAt), results.map((r) => r.lastError ?? null)],
  };
}

interface Waiting {
  readonly results: readonly OutboxResult[];
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/** Results taken by a commit statement: settle them with its outcome. */
interface Ride {
  readonly results: readonly OutboxResult[];
  /** The statement ran: the results are written. */
  written(): void;
  /** The statement failed: the results are written alone instead. */
  failed(): void;
}

/** The queue of one storage's delivery results. */
export interface ResultQueue {
  /** Record results; resolves once they are written. */
  add(results: readonly OutboxResult[]): Promise<void>;
  /** A commit statement is about to be built: take the results waiting (none whose id is in `exclude`). */
  ride(exclude: ReadonlySet<string>): Ride | undefined;
  /** That commit statement has answered (or failed). */
  committed(): void;
}

/**
 * @param write - writes results with a statement of their own
 * @param waitMs - how long a result waits for a commit statement while commits are under way
 */
export function createResultQueue(write: (results: readonly OutboxResult[]) => Promise<void>, waitMs: number): ResultQueue {
  let waiting: Waiting[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let committing = 0;
  let lastCommit = -Infinity;

  const writeAlone = (batch: Waiting[]): void => {
    if (!batch.length) return;
    write(mergeResults(batch.flatMap((w) => w.results))).then(
      () => batch.forEach((w) => w.resolve()),
      (e: unknown) => batch.forEach((w) => w.reject(e)),
    );
  };

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    writeAlone(batch);
  };

  return {
    add(results) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ results, resolve, reject });
        // Nothing is being committed: no statement would come to carry them.
        if (committing === 0 && performance.now() - lastCommit > waitMs) flush();
        else timer ??= setTimeout(flush, waitMs);
      });
    },
    ride(exclude) {
      committing++;
      lastCommit = performance.now();
      if (!waiting.length) return undefined;
      // an entry the commit itself writes is not touched twice by one statement
      const taken = waiting.filter((w) => !w.results.some((r) => exclude.has(r.id)));
      if (!taken.length) return undefined;
      waiting = waiting.filter((w) => !taken.includes(w));
      if (!waiting.length && timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      return {
        results: mergeResults(taken.flatMap((w) => w.results)),
        written: () => taken.forEach((w) => w.resolve()),
        failed: () => writeAlone(taken),
      };
    },
    committed() {
      committing--;
    },
  };
}
