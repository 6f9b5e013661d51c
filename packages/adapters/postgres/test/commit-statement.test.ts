/**
 * The statement texts a storage keeps (commit-statement.ts `TextCache`): a
 * commit of a shape seen before reuses the text built for the first one.
 * Whatever came before, a statement built with the cache must be exactly
 * the statement built without it, text and parameters. This fails if a
 * cache key leaves out something the text depends on (the commit's parts,
 * insert or update, riding delivery results, the number of commits).
 * No database: the builders are pure.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Commit } from "@ruleflow/engine/workflow";
import { commitStatement, compactGroupStatement, serialiseCommit, uniformGroupStatement, type TextCache } from "../src/commit-statement.js";
import type { OutboxResult } from "../src/outbox-results.js";
import { commitOf, outboxEntry, storedInstance } from "./fixtures.js";

const S = '"ruleflow"';
const LEASE = 60_000;

/** A commit of one of the 16 shapes: insert or update, with or without cancelled timers, set timers and outbox entries. */
const commitArb = fc
  .record({ n: fc.integer({ min: 0, max: 9 }), insert: fc.boolean(), cancel: fc.integer({ min: 0, max: 2 }), set: fc.integer({ min: 0, max: 2 }), outbox: fc.integer({ min: 0, max: 2 }) })
  .map(({ n, insert, cancel, set, outbox }): Commit => {
    const id = `i${n}`;
    const version = insert ? 1 : n + 2;
    return commitOf(storedInstance(id, version), insert ? null : version - 1, {
      timerIdsToCancel: Array.from({ length: cancel }, (_, k) => `${id}:old${k}`),
      timersToSet: Array.from({ length: set }, (_, k) => ({ id: `${id}:t${k}`, instanceId: id, key: `t${k}`, generation: version, dueAt: 5_000 + k, event: { type: "timer", key: `t${k}` } })),
      outbox: Array.from({ length: outbox }, (_, k) => outboxEntry(`${id}-o${version}-${k}`, id)),
    });
  });

const resultsArb = fc.option(
  fc.array(
    fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), status: fc.constantFrom("delivered" as const, "pending" as const, "dead" as const), attempts: fc.nat(5), nextAttemptAt: fc.nat(10_000) }),
    { minLength: 1, maxLength: 3 },
  ),
  { nil: undefined },
);

/** One statement to build: a single commit, or a group built compact or uniform. */
const callArb = fc.record({
  kind: fc.constantFrom("single" as const, "compact" as const, "uniform" as const),
  commits: fc.array(commitArb, { minLength: 1, maxLength: 4 }),
  results: resultsArb,
});

type Call = { kind: "single" | "compact" | "uniform"; commits: Commit[]; results: OutboxResult[] | undefined };

function build(call: Call, cache?: TextCache) {
  const parts = call.commits.map(serialiseCommit);
  if (call.kind === "single") return commitStatement(S, parts[0]!, LEASE, call.results, cache);
  if (call.kind === "compact") return compactGroupStatement(S, parts, LEASE, call.results, cache);
  return uniformGroupStatement(S, parts, LEASE, call.results, cache);
}

describe("statement texts kept per storage", () => {
  it("a statement built with the cache is the statement built without it, whatever was built before (property)", () => {
    fc.assert(
      fc.property(fc.array(callArb, { minLength: 1, maxLength: 25 }), (calls) => {
        const cache: TextCache = new Map();
        for (const call of calls) expect(build(call, cache)).toEqual(build(call));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps one text per shape: commits of the same shape share it, other shapes add their own", () => {
    const cache: TextCache = new Map();
    const update = (n: number, outbox = 0): Commit => commitOf(storedInstance(`i${n}`, 3), 2, { outbox: Array.from({ length: outbox }, (_, k) => outboxEntry(`o${n}-${k}`, `i${n}`)) });
    const single = (c: Commit, results?: OutboxResult[]) => commitStatement(S, serialiseCommit(c), LEASE, results, cache);
    const first = single(update(1));
    expect(single(update(2)).text).toBe(first.text);
    expect(cache.size).toBe(1);
    // an outbox entry, then riding results, each change the text: new entries
    expect(single(update(3, 1)).text).not.toBe(first.text);
    expect(single(update(4), [{ id: "x", status: "delivered", attempts: 1, nextAttemptAt: 1 }]).text).toContain("d AS (UPDATE");
    expect(cache.size).toBe(3);
    // the parameters are the commit's own, not the first one's
    expect(single(update(5)).params[0]).toBe("i5");
  });

  it("keeps at most 256 texts: groups of ever new shapes do not grow it without end, and are still built right", () => {
    const cache: TextCache = new Map();
    const shaped = (n: number, outbox: number): Commit => commitOf(storedInstance(`i${n}`, 3), 2, { outbox: Array.from({ length: outbox }, (_, k) => outboxEntry(`o${n}-${k}`, `i${n}`)) });
    // groups of 9 commits, each with or without an outbox entry: 512 shapes, in binary order
    for (let g = 0; g < 512; g++) {
      const parts = Array.from({ length: 9 }, (_, k) => serialiseCommit(shaped(k, (g >> k) & 1)));
      expect(compactGroupStatement(S, parts, LEASE, undefined, cache)).toEqual(compactGroupStatement(S, parts, LEASE, undefined));
    }
    expect(cache.size).toBe(256);
  });
});
