/**
 * Group commit: the commits a storage is asked for while its commit
 * statements are in flight wait, and go together as one statement (one
 * round trip, one transaction, one WAL flush) when a statement answers.
 * No timers: a commit that finds a free slot goes at once, so an idle
 * storage adds no latency, and a busy one batches as much as is waiting.
 * Each commit keeps its own version check and its own outcome.
 */
import { ConcurrencyError } from "@ruleflow/engine";
import type { Commit } from "@ruleflow/engine/workflow";

/** Options of group commit (`createPostgresStorage({ groupCommit })`). */
export interface GroupCommitOptions {
  /**
   * Commit statements of one storage in flight at once. A commit that finds
   * fewer goes at once; otherwise it waits for one to answer and goes with
   * the others waiting. Default 4: up to four concurrent commits go as
   * before, each at once; more wait and share statements. 1 forms the
   * largest groups and takes the least CPU per commit, but each commit may
   * wait a round trip: a process not short of CPU commits less per second.
   */
  maxInFlight?: number | undefined;
  /**
   * Commits one statement carries at most, 1 to 64 (1: each its own
   * statement, still at most `maxInFlight` at once). Default 16.
   */
  maxBatch?: number | undefined;
}

const GROUP_COMMIT_DEFAULTS = { maxInFlight: 4, maxBatch: 16 } as const;
/** Commits per statement at most: each size is a statement text of its own, prepared on every connection. */
const MAX_BATCH_LIMIT = 64;

/** What became of one commit of a statement: written, refused by its version check, or not sent (it could not be serialised). */
export type CommitOutcome = "written" | "conflict" | { readonly error: unknown };

/** How the queue reaches the database. */
export interface CommitWriter {
  /** Send these commits as one statement (one commit: the single-commit statement); rejects when the statement failed. */
  write(commits: readonly Commit[]): Promise<CommitOutcome[]>;
  /** The versions stored now of these instances (absent: none stored). */
  versions(ids: readonly string[]): Promise<Map<string, number>>;
}

interface Pending {
  readonly commit: Commit;
  /** The rows it touches: instance, timers, outbox entries. */
  readonly keys: readonly string[];
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

const keysOf = (c: Commit): string[] => [
  `i\0${c.instance.id}`,
  ...c.timersToSet.map((t) => `t\0${t.id}`),
  ...c.timerIdsToCancel.map((id) => `t\0${id}`),
  ...c.outbox.map((o) => `o\0${o.id}`),
];

/**
 * The server answered the statement with an error (`severity` ERROR, a
 * SQLSTATE `code`): the transaction rolled back, nothing of it is stored,
 * and each commit can be sent again alone. Anything else (a lost
 * connection, a FATAL error) leaves the outcome unknown.
 */
function rolledBack(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const { code, severity } = e as { code?: unknown; severity?: unknown };
  return severity === "ERROR" && typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("08");
}

function validated(options: GroupCommitOptions | false | undefined): { maxInFlight: number; maxBatch: number } {
  if (options === false) return { maxInFlight: Infinity, maxBatch: 1 };
  const maxInFlight = options?.maxInFlight ?? GROUP_COMMIT_DEFAULTS.maxInFlight;
  const maxBatch = options?.maxBatch ?? GROUP_COMMIT_DEFAULTS.maxBatch;
  if (!(Number.isInteger(maxInFlight) && maxInFlight >= 1) && maxInFlight !== Infinity)
    throw new RangeError(`groupCommit.maxInFlight: expected a whole number of at least 1, got ${String(maxInFlight)}`);
  if (!(Number.isInteger(maxBatch) && maxBatch >= 1 && maxBatch <= MAX_BATCH_LIMIT))
    throw new RangeError(`groupCommit.maxBatch: expected a whole number from 1 to ${MAX_BATCH_LIMIT}, got ${String(maxBatch)}; pass groupCommit: false for one statement per commit`);
  return { maxInFlight, maxBatch };
}

/**
 * @param options - the storage's `groupCommit` (`false`: every commit at once, alone)
 * @param db - how statements are sent
 * @returns `commit(c)`: resolves when `c` is written; rejects with `ConcurrencyError` when its version check failed, or with the error that stopped it
 */
export function createCommitQueue(options: GroupCommitOptions | false | undefined, db: CommitWriter): (c: Commit) => Promise<void> {
  const { maxInFlight, maxBatch } = validated(options);
  let inFlight = 0;
  let queue: Pending[] = [];

  /** The next batch: waiting commits in order, none touching a row an earlier one in the batch touches or a skipped one waits to touch. */
  const take = (): Pending[] => {
    if (maxBatch === 1 || queue.length === 1) return queue.splice(0, 1);
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const used = new Set<string>();
    const blocked = new Set<string>();
    for (let k = 0; k < queue.length; k++) {
      const p = queue[k]!;
      if (batch.length === maxBatch) {
        rest.push(...queue.slice(k));
        break;
      }
      if (p.keys.some((key) => used.has(key) || blocked.has(key))) {
        rest.push(p);
        for (const key of p.keys) blocked.add(key);
      } else {
        batch.push(p);
        for (const key of p.keys) used.add(key);
      }
    }
    queue = rest;
    // One lock order for every batch (instance rows are updated in this order), so two processes' batches do not deadlock.
    return batch.sort((a, b) => (a.commit.instance.id < b.commit.instance.id ? -1 : a.commit.instance.id > b.commit.instance.id ? 1 : 0));
  };

  const pump = (): void => {
    while (inFlight < maxInFlight && queue.length) {
      inFlight++;
      void run(take());
    }
  };

  /** Settle each commit with its outcome; the refused ones with the versions stored now. */
  const settle = async (batch: readonly Pending[], outcomes: readonly CommitOutcome[]): Promise<void> => {
    const refused: Pending[] = [];
    batch.forEach((p, k) => {
      const o = outcomes[k];
      if (o === "written") p.resolve();
      else if (o === "conflict") refused.push(p);
      else p.reject(o === undefined ? new Error("group commit: the statement returned no outcome for a commit") : o.error);
    });
    if (!refused.length) return;
    let now: Map<string, number>;
    try {
      now = await db.versions(refused.map((p) => p.commit.instance.id));
    } catch (e) {
      for (const p of refused) p.reject(e);
      return;
    }
    for (const { commit: c, reject } of refused) {
      reject(new ConcurrencyError({ subject: "instance", id: c.instance.id, expectedVersion: c.expectedVersion, actualVersion: now.get(c.instance.id) ?? null }));
    }
  };

  const alone = async (p: Pending): Promise<void> => {
    try {
      await settle([p], await db.write([p.commit]));
    } catch (e) {
      p.reject(e);
    }
  };

  const run = async (batch: Pending[]): Promise<void> => {
    let outcomes: CommitOutcome[] | undefined;
    let failure: unknown;
    try {
      outcomes = await db.write(batch.map((p) => p.commit));
    } catch (e) {
      failure = e;
    }
    // The server refused the statement and rolled it back: one commit's data is to blame, or a conflict between
    // processes (a deadlock). Each commit goes again alone (holding this slot), to get its own result or error.
    if (outcomes === undefined && batch.length > 1 && rolledBack(failure)) await Promise.all(batch.map(alone));
    inFlight--;
    pump();
    if (outcomes !== undefined) await settle(batch, outcomes);
    // Otherwise the statement's outcome is unknown (it may have been written): every commit fails with the error, none is sent again.
    else if (!(batch.length > 1 && rolledBack(failure))) for (const p of batch) p.reject(failure);
  };

  return (commit) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ commit, keys: maxBatch === 1 ? [] : keysOf(commit), resolve, reject });
      pump();
    });
}
