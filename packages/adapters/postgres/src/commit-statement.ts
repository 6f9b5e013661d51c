/**
 * The statements that write commits: one commit's, and a group of commits'
 * (group-commit.ts), each commit its own chain of CTEs guarded by its
 * version check. A group's text is fitted to its commits' parts (compact),
 * or has every part for every commit (uniform: its text depends only on how
 * many commits it carries, so a bounded number of texts is prepared, however
 * varied the commits).
 */
import type { Commit } from "@ruleflow/engine/workflow";
import { resultsUpdate, type OutboxResult } from "./outbox-results.js";

/** @internal */
export const INSTANCE_COLUMNS = "id, definition_id, definition_version, version, status, outcome, initiator, assignees, waiting_for, state, created_at, updated_at";
/** @internal */
export const TIMER_COLUMNS = "id, instance_id, key, generation, due_at, event";
/** @internal */
export const OUTBOX_COLUMNS = "id, kind, instance_id, idempotency_key, payload, status, attempts, next_attempt_at, last_error, created_at";

/** A statement and its parameters. */
export interface Statement {
  text: string;
  params: unknown[];
}

/**
 * Statement texts a storage has built, by what each text depends on (the
 * key each builder below names; the schema is the storage's own). A commit
 * of a shape seen before gets the same string object back instead of a
 * new one joined from its parts: the parts are not joined again, and the
 * driver's prepared-statement lookup (a Map keyed by the text) finds a
 * string whose hash V8 has already computed, instead of hashing 2-3 KB per
 * commit. At most {@link MAX_CACHED_TEXTS} are kept (32 single-commit
 * shapes, and group texts; on PGlite or with `groupText: "compact"` groups
 * of ever new shapes would otherwise add texts without end); past that,
 * texts are built per statement, as before.
 */
export type TextCache = Map<string, string>;

/** Texts a {@link TextCache} keeps at most. */
const MAX_CACHED_TEXTS = 256;

/** `cache`'s text for `key`, or `build()`'s, kept for next time while there is room. */
function cachedText(cache: TextCache | undefined, key: string, build: () => string): string {
  const known = cache?.get(key);
  if (known !== undefined) return known;
  const text = build();
  if (cache && cache.size < MAX_CACHED_TEXTS) cache.set(key, text);
  return text;
}

/** A commit serialised: what its statement's parameters are made of. Serialising throws for a commit that cannot be written (a BigInt in its state). */
export interface SerialisedCommit {
  readonly commit: Commit;
  readonly instance: readonly unknown[];
  readonly cancel: readonly string[];
  readonly timers: string | undefined;
  readonly outbox: string | undefined;
  readonly audit: string;
}

/** Cancel-then-set of one id is a set (as in memory); one statement must not touch a row twice. */
const cancelledIds = (c: Commit): string[] => {
  const setIds = new Set(c.timersToSet.map((t) => t.id));
  return c.timerIdsToCancel.filter((id) => !setIds.has(id));
};

/** Serialise a commit's parts (once, whichever statement carries it). */
export function serialiseCommit(c: Commit): SerialisedCommit {
  const i = c.instance;
  const a = c.audit;
  return {
    commit: c,
    instance: [i.id, i.definitionId, i.definitionVersion, i.version, i.status, i.outcome ?? null, i.initiator, [...i.assignees], [...i.waitingFor], JSON.stringify(i.state), i.createdAt, i.updatedAt],
    cancel: cancelledIds(c),
    timers: c.timersToSet.length
      ? JSON.stringify(c.timersToSet.map((t) => ({ id: t.id, instance_id: t.instanceId, key: t.key, generation: t.generation, due_at: t.dueAt, event: t.event })))
      : undefined,
    outbox: c.outbox.length
      ? JSON.stringify(
          c.outbox.map((o) => ({
            id: o.id,
            kind: o.kind,
            instance_id: o.instanceId,
            idempotency_key: o.idempotencyKey,
            payload: o.payload,
            status: o.status,
            attempts: o.attempts,
            next_attempt_at: o.nextAttemptAt,
            last_error: o.lastError ?? null,
            created_at: o.createdAt,
          })),
        )
      : undefined,
    audit: JSON.stringify({
      id: a.id,
      instance_id: a.instanceId,
      version: a.version,
      at: a.at,
      actor: a.actor,
      action: a.action,
      comment: a.comment ?? null,
      definition_id: a.definitionId,
      definition_version: a.definitionVersion,
      before: a.before,
      after: a.after,
      event: a.event,
    }),
  };
}

/** Which parts a commit's compact chain has: its compact statement text depends on these alone. */
export const shapeOf = (c: SerialisedCommit): string =>
  `${c.commit.expectedVersion === null ? "i" : "u"}${c.cancel.length ? "c" : ""}${c.timers === undefined ? "" : "t"}${c.outbox === undefined ? "" : "o"}`;

// The CTE bodies after the instance's, each guarded by the instance CTE `w` (its name differs per commit in a group).
const cancelCte = (s: string, w: string, ids: string): string => `DELETE FROM ${s}.timers WHERE id = ANY(${ids}::text[]) AND EXISTS (SELECT 1 FROM ${w})`;

const timersCte = (s: string, w: string, json: string): string =>
  `INSERT INTO ${s}.timers (${TIMER_COLUMNS}) ` +
  `SELECT r.id, r.instance_id, r.key, r.generation, r.due_at, r.event FROM json_to_recordset(${json}::json) ` +
  `AS r(id text, instance_id text, key text, generation integer, due_at bigint, event json) WHERE EXISTS (SELECT 1 FROM ${w}) ` +
  `ON CONFLICT (id) DO UPDATE SET instance_id = excluded.instance_id, key = excluded.key, generation = excluded.generation, ` +
  `due_at = excluded.due_at, event = excluded.event, lease_owner = NULL, lease_until = NULL`;

// Entries due at once are leased to this process until created_at + the lease: it delivers them itself
// (Storage.committedOutboxLeaseMs), and claimOutbox hands them to another process only if it has not by then.
const outboxCte = (s: string, w: string, json: string, lease: string): string =>
  `INSERT INTO ${s}.outbox (${OUTBOX_COLUMNS}, lease_until) ` +
  `SELECT r.id, r.kind, r.instance_id, r.idempotency_key, r.payload, r.status, r.attempts, r.next_attempt_at, r.last_error, r.created_at, ` +
  `CASE WHEN r.status = 'pending' AND r.next_attempt_at <= r.created_at THEN r.created_at + ${lease}::bigint END ` +
  `FROM ROWS FROM (json_to_recordset(${json}::json) ` +
  `AS (id text, kind text, instance_id text, idempotency_key text, payload json, status text, attempts integer, next_attempt_at bigint, last_error text, created_at bigint)) ` +
  `WITH ORDINALITY AS r(id, kind, instance_id, idempotency_key, payload, status, attempts, next_attempt_at, last_error, created_at, n) ` +
  `WHERE EXISTS (SELECT 1 FROM ${w}) ORDER BY r.n ` +
  `ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, instance_id = excluded.instance_id, idempotency_key = excluded.idempotency_key, ` +
  `payload = excluded.payload, status = excluded.status, attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at, ` +
  `last_error = excluded.last_error, created_at = excluded.created_at, lease_until = excluded.lease_until`;

const auditCte = (s: string, w: string, json: string): string =>
  `INSERT INTO ${s}.audit (id, instance_id, version, at, actor, action, comment, definition_id, definition_version, before, after, event) ` +
  `SELECT r.id, r.instance_id, r.version, r.at, r.actor, r.action, r.comment, r.definition_id, r.definition_version, r.before, r.after, r.event ` +
  `FROM json_to_record(${json}::json) ` +
  `AS r(id text, instance_id text, version integer, at bigint, actor text, action text, comment text, definition_id text, definition_version integer, before json, after json, event json) ` +
  `WHERE EXISTS (SELECT 1 FROM ${w})`;

/**
 * One commit's compact chain of CTEs, named with `k` (`wk`, `ck`, `tk`,
 * `ok`, `ak`): only the parts it has, the instance's insert (expected
 * version null) or update. `p` adds a parameter and names it.
 */
function compactCtes(s: string, c: SerialisedCommit, k: string, p: (v: unknown) => string, lease: () => string): string[] {
  const $ = c.instance.map(p);
  const w = `w${k}`;
  const ctes: string[] = [];
  if (c.commit.expectedVersion === null) {
    ctes.push(
      `${w} AS (INSERT INTO ${s}.instances (${INSTANCE_COLUMNS}) VALUES (${$.slice(0, 9).join(", ")}, ${$[9]}::json, ${$[10]}, ${$[11]}) ON CONFLICT (id) DO NOTHING RETURNING id)`,
    );
  } else {
    ctes.push(
      `${w} AS (UPDATE ${s}.instances SET definition_id = ${$[1]}, definition_version = ${$[2]}, version = ${$[3]}, status = ${$[4]}, outcome = ${$[5]}, initiator = ${$[6]}, ` +
        `assignees = ${$[7]}, waiting_for = ${$[8]}, state = ${$[9]}::json, created_at = ${$[10]}, updated_at = ${$[11]} WHERE id = ${$[0]} AND version = ${p(c.commit.expectedVersion)} RETURNING id)`,
    );
  }
  if (c.cancel.length) ctes.push(`c${k} AS (${cancelCte(s, w, p(c.cancel))})`);
  if (c.timers !== undefined) ctes.push(`t${k} AS (${timersCte(s, w, p(c.timers))})`);
  if (c.outbox !== undefined) ctes.push(`o${k} AS (${outboxCte(s, w, p(c.outbox), lease())})`);
  ctes.push(`a${k} AS (${auditCte(s, w, p(c.audit))})`);
  return ctes;
}

/** Delivery results riding along (outbox-results.ts): written whether or not any version check passes. */
function withResults(s: string, ctes: string[], params: unknown[], results: readonly OutboxResult[] | undefined): void {
  if (!results?.length) return;
  const r = resultsUpdate(s, results, params.length + 1);
  params.push(...r.params);
  ctes.push(`d AS (${r.text})`);
}

/**
 * The one statement that writes a commit. Each part is a data-modifying CTE
 * guarded by `EXISTS (SELECT 1 FROM w)`, so nothing but the version check
 * happens when the instance was changed concurrently. It returns one row,
 * `n`: 1 when the commit was written, 0 when the version check failed.
 */
export function commitStatement(s: string, c: SerialisedCommit, leaseMs: number, results: readonly OutboxResult[] | undefined, cache?: TextCache): Statement {
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const ctes = compactCtes(s, c, "", p, () => p(leaseMs));
  withResults(s, ctes, params, results);
  // the text depends on the commit's parts and on whether results ride (their number is in the parameters)
  const text = cachedText(cache, `1:${shapeOf(c)}${results?.length ? "+" : ""}`, () => `WITH ${ctes.join(",\n")} SELECT count(*)::int AS n FROM w`);
  return { text, params };
}

const groupSelect = (n: number): string => `SELECT ARRAY[${Array.from({ length: n }, (_, k) => `(SELECT count(*) FROM w${k})`).join(", ")}]::int[] AS n`;

/**
 * The statement that writes several commits in one transaction, each with
 * its compact chain (`w0`, `c0`, ... `w1`, ...). It returns one row, `n`:
 * per commit, 1 when written, 0 when its version check failed. No two
 * commits may touch one row (group-commit.ts).
 */
export function compactGroupStatement(s: string, commits: readonly SerialisedCommit[], leaseMs: number, results: readonly OutboxResult[] | undefined, cache?: TextCache): Statement {
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  let lease: string | undefined; // one parameter, and only when referenced (the server must infer its type)
  const ctes = commits.flatMap((c, k) => compactCtes(s, c, String(k), p, () => (lease ??= p(leaseMs))));
  withResults(s, ctes, params, results);
  // the text depends on each commit's parts, in order, and on whether results ride
  const key = `c:${commits.map(shapeOf).join(".")}${results?.length ? "+" : ""}`;
  return { text: cachedText(cache, key, () => `WITH ${ctes.join(",\n")} ${groupSelect(commits.length)}`), params };
}

/**
 * The same as {@link compactGroupStatement}, with every part in every
 * commit's chain (`ik`/`uk` the instance's insert or update, `wk` whichever
 * wrote, then `ck`, `tk`, `ok`, `ak`; empty parts write nothing), so the
 * text depends only on the number of commits and whether results ride.
 */
export function uniformGroupStatement(s: string, commits: readonly SerialisedCommit[], leaseMs: number, results: readonly OutboxResult[] | undefined, cache?: TextCache): Statement {
  const params: unknown[] = [leaseMs];
  const ctes: string[] = [];
  commits.forEach((c, k) => {
    const base = params.length;
    params.push(...c.instance, c.commit.expectedVersion, c.cancel, c.timers ?? "[]", c.outbox ?? "[]", c.audit);
    const $ = (j: number): string => `$${base + j}`;
    const w = `w${k}`;
    ctes.push(
      `i${k} AS (INSERT INTO ${s}.instances (${INSTANCE_COLUMNS}) SELECT ${$(1)}::text, ${$(2)}::text, ${$(3)}::integer, ${$(4)}::integer, ${$(5)}::text, ` +
        `${$(6)}::text, ${$(7)}::text, ${$(8)}::text[], ${$(9)}::text[], ${$(10)}::json, ${$(11)}::bigint, ${$(12)}::bigint ` +
        `WHERE ${$(13)}::integer IS NULL ON CONFLICT (id) DO NOTHING RETURNING id)`,
      `u${k} AS (UPDATE ${s}.instances SET definition_id = ${$(2)}::text, definition_version = ${$(3)}::integer, version = ${$(4)}::integer, status = ${$(5)}::text, ` +
        `outcome = ${$(6)}::text, initiator = ${$(7)}::text, assignees = ${$(8)}::text[], waiting_for = ${$(9)}::text[], state = ${$(10)}::json, ` +
        `created_at = ${$(11)}::bigint, updated_at = ${$(12)}::bigint WHERE id = ${$(1)}::text AND version = ${$(13)}::integer RETURNING id)`,
      `${w} AS (SELECT id FROM i${k} UNION ALL SELECT id FROM u${k})`,
      `c${k} AS (${cancelCte(s, w, $(14))})`,
      `t${k} AS (${timersCte(s, w, $(15))})`,
      `o${k} AS (${outboxCte(s, w, $(16), "$1")})`,
      `a${k} AS (${auditCte(s, w, $(17))})`,
    );
  });
  withResults(s, ctes, params, results);
  // the text depends on the number of commits and on whether results ride
  return { text: cachedText(cache, `u:${commits.length}${results?.length ? "+" : ""}`, () => `WITH ${ctes.join(",\n")} ${groupSelect(commits.length)}`), params };
}
