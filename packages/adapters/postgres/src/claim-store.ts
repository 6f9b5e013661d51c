/**
 * The promotions ClaimStore port on PostgreSQL. The database enforces every
 * limit: a counter is taken with a conditional `UPDATE ... WHERE count + n <=
 * max`, under the row's lock, so claims from any number of processes can
 * never pass a budget; a partial unique index keeps one active claim per
 * dedupe key; the idempotency key is the primary key.
 */
import { assertStorableText } from "@ruleflow/engine/workflow";
import type { ClaimCounter, ClaimRecord, ClaimStore, CounterUsage, ReserveResult } from "@ruleflow/engine/promotions";
import type { SqlDriver, SqlQueryable } from "./driver.js";
import type { SchemaOptions } from "./migrations.js";
import { quoteSchema } from "./schema-name.js";

/** Counters as stored in JSON: amounts as decimal strings, so they stay exact past 2^53. */
interface StoredCounter {
  key: string;
  count: number;
  amount: string;
  maxCount?: number;
  maxAmount?: string;
}

interface ClaimRow {
  idempotency_key: string;
  dedupe_key: string | null;
  counters: StoredCounter[];
  status: ClaimRecord["status"];
  reserved_at: string;
  released_at: string | null;
  release_reason: string | null;
  data: unknown;
}

const CLAIM_COLUMNS = "idempotency_key, dedupe_key, counters, status, reserved_at, released_at, release_reason, data";

const toStored = (c: ClaimCounter): StoredCounter => ({
  key: c.key,
  count: c.count,
  amount: c.amount.toString(),
  ...(c.maxCount === undefined ? {} : { maxCount: c.maxCount }),
  ...(c.maxAmount === undefined ? {} : { maxAmount: c.maxAmount.toString() }),
});

const fromStored = (c: StoredCounter): ClaimCounter => ({
  key: c.key,
  count: c.count,
  amount: BigInt(c.amount),
  ...(c.maxCount === undefined ? {} : { maxCount: c.maxCount }),
  ...(c.maxAmount === undefined ? {} : { maxAmount: BigInt(c.maxAmount) }),
});

const claimOf = (r: ClaimRow): ClaimRecord => ({
  idempotencyKey: r.idempotency_key,
  ...(r.dedupe_key === null ? {} : { dedupeKey: r.dedupe_key }),
  counters: r.counters.map(fromStored),
  status: r.status,
  reservedAt: r.reserved_at,
  ...(r.released_at === null ? {} : { releasedAt: r.released_at }),
  ...(r.release_reason === null ? {} : { releaseReason: r.release_reason }),
  ...(r.data === null ? {} : { data: r.data }),
});

/** Thrown inside a reservation's transaction to roll it back when a counter is full. */
class LimitReached extends Error {
  constructor(
    readonly counter: ClaimCounter,
    readonly used: CounterUsage,
  ) {
    super(`claim counter "${counter.key}" is full`);
  }
}

/** PostgreSQL reports a deadlock or a serialization failure: the transaction may simply be run again. */
const retryable = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "40P01" || code === "40001";
};

/**
 * Create the PostgreSQL {@link ClaimStore}. Run {@link migrate} first.
 *
 * @param db - a driver ({@link createPoolDriver} or {@link createPGliteDriver})
 * @param options - `schema` (default `ruleflow`)
 * @returns the claim store
 * @example
 * ```ts
 * const claims = createPromotionClaims({ store: createPostgresClaimStore(db) });
 * await claims.claim(promotion, facts, { idempotencyKey: "SO-1001", at: "2026-02-10T10:00:00+08:00" });
 * ```
 * @see docs/postgres.md
 */
export function createPostgresClaimStore(db: SqlDriver, options: SchemaOptions = {}): ClaimStore {
  const s = quoteSchema(options.schema);

  const getClaim = async (q: SqlQueryable, key: string): Promise<ClaimRecord | undefined> => {
    const r = await q.query<ClaimRow>(`SELECT ${CLAIM_COLUMNS} FROM ${s}.claims WHERE idempotency_key = $1`, [key]);
    return r.rows[0] ? claimOf(r.rows[0]) : undefined;
  };

  const usageOf = async (q: SqlQueryable, keys: readonly string[]): Promise<Map<string, CounterUsage>> => {
    const r = await q.query<{ key: string; count: unknown; amount: string }>(
      `SELECT key, count, amount::text AS amount FROM ${s}.claim_counters WHERE key = ANY($1::text[])`,
      [[...keys]],
    );
    const out = new Map<string, CounterUsage>();
    for (const k of keys) out.set(k, { count: 0, amount: 0n });
    for (const row of r.rows) out.set(row.key, { count: Number(row.count), amount: BigInt(row.amount) });
    return out;
  };

  const withRetry = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!retryable(e) || attempt >= 5) throw e;
      }
    }
  };

  /** Why an insert of the claim row did nothing: the key was used, or the dedupe key is held. */
  const explainRefusal = async (request: Parameters<ClaimStore["reserve"]>[0]): Promise<ReserveResult | undefined> => {
    const seen = await getClaim(db, request.idempotencyKey);
    if (seen) {
      const same =
        (seen.dedupeKey ?? null) === (request.dedupeKey ?? null) &&
        seen.counters.length === request.counters.length &&
        seen.counters.every((c, i) => c.key === request.counters[i]!.key && c.count === request.counters[i]!.count && c.amount === request.counters[i]!.amount);
      return same ? { status: "replayed", claim: seen } : { status: "conflict", claim: seen };
    }
    if (request.dedupeKey !== undefined) {
      const r = await db.query<ClaimRow>(`SELECT ${CLAIM_COLUMNS} FROM ${s}.claims WHERE dedupe_key = $1 AND status = 'active'`, [request.dedupeKey]);
      if (r.rows[0]) return { status: "duplicate", claim: claimOf(r.rows[0]) };
    }
    // The holder went away between the insert and the look-up: try again.
    return undefined;
  };

  return {
    async reserve(request) {
      // PostgreSQL refuses NUL in text and json, and the driver turns a lone surrogate into U+FFFD: refuse both as every store does
      assertStorableText({ ...request }, "claim");
      for (;;) {
        let result: ReserveResult | "refused";
        try {
          result = await withRetry(() =>
            db.transaction(async (tx): Promise<ReserveResult | "refused"> => {
              const inserted = await tx.query(
                `INSERT INTO ${s}.claims (${CLAIM_COLUMNS}) VALUES ($1, $2, $3::json, 'active', $4, NULL, NULL, $5::json) ON CONFLICT DO NOTHING RETURNING idempotency_key`,
                [
                  request.idempotencyKey,
                  request.dedupeKey ?? null,
                  JSON.stringify(request.counters.map(toStored)),
                  request.at,
                  request.data === undefined ? null : JSON.stringify(request.data),
                ],
              );
              if (!inserted.rows.length) return "refused";
              // Counters are locked in key order, so two claims never wait for each other in a cycle.
              const order = [...request.counters].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
              await tx.query(`INSERT INTO ${s}.claim_counters (key) SELECT DISTINCT unnest($1::text[]) ORDER BY 1 ON CONFLICT DO NOTHING`, [
                order.map((c) => c.key),
              ]);
              for (const c of order) {
                const taken = await tx.query(
                  `UPDATE ${s}.claim_counters SET count = count + $2, amount = amount + $3::numeric WHERE key = $1 ` +
                    `AND ($4::bigint IS NULL OR count + $2 <= $4) AND ($5::numeric IS NULL OR amount + $3::numeric <= $5::numeric) RETURNING key`,
                  [c.key, c.count, c.amount.toString(), c.maxCount ?? null, c.maxAmount === undefined ? null : c.maxAmount.toString()],
                );
                if (!taken.rows.length) throw new LimitReached({ ...c }, (await usageOf(tx, [c.key])).get(c.key)!);
              }
              return { status: "reserved", claim: (await getClaim(tx, request.idempotencyKey))! };
            }),
          );
        } catch (e) {
          if (e instanceof LimitReached) return { status: "limit", counter: e.counter, used: e.used };
          throw e;
        }
        if (result !== "refused") return result;
        const refusal = await explainRefusal(request);
        if (refusal) return refusal;
      }
    },

    async release(idempotencyKey, opts) {
      assertStorableText({ idempotencyKey, ...opts }, "claim release");
      return withRetry(() =>
        db.transaction(async (tx) => {
          const r = await tx.query<ClaimRow>(
            `UPDATE ${s}.claims SET status = 'released', released_at = $2, release_reason = $3 WHERE idempotency_key = $1 AND status = 'active' ` +
              `RETURNING ${CLAIM_COLUMNS}`,
            [idempotencyKey, opts.at, opts.reason ?? null],
          );
          const row = r.rows[0];
          if (!row) {
            const seen = await getClaim(tx, idempotencyKey);
            return seen ? { status: "already-released", claim: seen } : { status: "not-found" };
          }
          const claim = claimOf(row);
          for (const c of [...claim.counters].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
            await tx.query(`UPDATE ${s}.claim_counters SET count = count - $2, amount = amount - $3::numeric WHERE key = $1`, [
              c.key,
              c.count,
              c.amount.toString(),
            ]);
          }
          return { status: "released", claim };
        }),
      );
    },

    async get(idempotencyKey) {
      assertStorableText({ idempotencyKey }, "claim key");
      return getClaim(db, idempotencyKey);
    },

    async usage(keys) {
      assertStorableText({ keys }, "counter keys");
      return usageOf(db, keys);
    },
  };
}
