/**
 * The ClaimStore port: where claims, budgets and limits live. The engine
 * asks for one thing, an atomic conditional reservation: take these amounts
 * from these counters, but only if none would pass its limit, only if no
 * active claim holds the same dedupe key, and only once per idempotency key.
 * The in-memory store is the default; `@ruleflow/postgres` implements the same
 * port in one transaction, and both pass the conformance suite exported from
 * `@ruleflow/engine/testing`.
 *
 * Counters and limits here are plain integers (counts, and money in minor
 * units), so a store needs no decimal arithmetic.
 */

/** One counter a claim takes from: a usage count and an amount, each with an optional ceiling. */
export interface ClaimCounter {
  /** Counter identity, e.g. `["q1-display-subsidy","perStore","S-001","2026-Q1"]` as JSON. */
  key: string;
  /** Uses this claim takes (usually 1). */
  count: number;
  /** Money this claim takes, in minor units. */
  amount: bigint;
  /** Ceiling on the counter's total uses; none when undefined. */
  maxCount?: number | undefined;
  /** Ceiling on the counter's total amount (minor units); none when undefined. */
  maxAmount?: bigint | undefined;
}

/** A request to reserve. */
export interface ReserveRequest {
  /** The same key twice is one claim: the second call returns the first claim. */
  idempotencyKey: string;
  /** While a claim holding this key is active, another claim with it is refused. */
  dedupeKey?: string | undefined;
  counters: ClaimCounter[];
  /** When the claim is made, ISO-8601. */
  at: string;
  /** Whatever the caller wants kept with the claim (JSON-serialisable): promotion, version, benefits. */
  data?: unknown;
}

/** A claim as the store keeps it. */
export interface ClaimRecord {
  idempotencyKey: string;
  dedupeKey?: string | undefined;
  /** What the claim took; a release gives exactly this back. */
  counters: ClaimCounter[];
  status: "active" | "released";
  reservedAt: string;
  releasedAt?: string | undefined;
  releaseReason?: string | undefined;
  data?: unknown;
}

/** The usage of one counter. */
export interface CounterUsage {
  count: number;
  amount: bigint;
}

/** What {@link ClaimStore.reserve} answers. */
export type ReserveResult =
  | { status: "reserved"; claim: ClaimRecord }
  /** The idempotency key was seen: this is the claim it made (active or released). Nothing changed. */
  | { status: "replayed"; claim: ClaimRecord }
  /** The idempotency key was seen with a different request. Nothing changed. */
  | { status: "conflict"; claim: ClaimRecord }
  /** An active claim holds the dedupe key: `claim` is that first claim. Nothing changed. */
  | { status: "duplicate"; claim: ClaimRecord }
  /** A counter would pass its limit. Nothing changed. */
  | { status: "limit"; counter: ClaimCounter; used: CounterUsage };

/** What {@link ClaimStore.release} answers. */
export type ReleaseResult =
  | { status: "released"; claim: ClaimRecord }
  | { status: "already-released"; claim: ClaimRecord }
  | { status: "not-found" };

/**
 * Storage of claims and counters. Every method may be called concurrently;
 * `reserve` and `release` must each be atomic. Every method refuses strings
 * holding a NUL character or a lone surrogate (keys, dates, reasons, data)
 * before touching anything, with `assertStorableText` (a `ValidationError`
 * naming each field, e.g. `counters[1].key`).
 */
export interface ClaimStore {
  /** Atomically check and take: all counters and the dedupe key, or nothing. */
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /** Give back exactly what a claim took and free its dedupe key. Releasing twice changes nothing. */
  release(idempotencyKey: string, options: { at: string; reason?: string | undefined }): Promise<ReleaseResult>;
  /** The claim made with an idempotency key, if any. */
  get(idempotencyKey: string): Promise<ClaimRecord | undefined>;
  /** Current usage of counters (zero for counters never used). */
  usage(keys: readonly string[]): Promise<Map<string, CounterUsage>>;
}

/** True when two reservation requests ask for the same thing (the idempotency check). @internal */
export function sameRequest(a: Pick<ReserveRequest, "dedupeKey" | "counters">, b: Pick<ReserveRequest, "dedupeKey" | "counters">): boolean {
  if ((a.dedupeKey ?? null) !== (b.dedupeKey ?? null) || a.counters.length !== b.counters.length) return false;
  return a.counters.every((c, i) => {
    const d = b.counters[i]!;
    return c.key === d.key && c.count === d.count && c.amount === d.amount;
  });
}
