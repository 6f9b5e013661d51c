/**
 * The conformance suite every Storage implementation must pass: the
 * in-memory default runs it, and so does each database adapter.
 */
import { isRuleflowError } from "../core/errors.js";
import { expectUnstorableRefusal, type TestApi } from "../conformance-kit.js";
import { scheduleStorageConformance } from "./schedule-conformance.js";
import type { AuditRecord, Commit, OutboxEntry, Storage, StoredInstance, TimerRecord } from "./ports.js";

function instance(id: string, version: number, extra: Partial<StoredInstance> = {}): StoredInstance {
  return {
    id,
    definitionId: "wf",
    definitionVersion: 1,
    version,
    status: "running",
    initiator: "user:li",
    assignees: ["user:a"],
    waitingFor: [],
    state: { value: "step", context: { n: version, nested: { list: [1, 2, 3] } } },
    createdAt: 1_000,
    updatedAt: 1_000 + version,
    ...extra,
  };
}

function timer(instanceId: string, key: string, generation: number, dueAt: number): TimerRecord {
  return { id: `${instanceId}/${key}/${generation}`, instanceId, key, generation, dueAt, event: { type: "timer", key, generation } };
}

function outbox(id: string, instanceId: string, createdAt: number, extra: Partial<OutboxEntry> = {}): OutboxEntry {
  return { id, kind: "notification", instanceId, idempotencyKey: `k-${id}`, payload: { template: "t" }, status: "pending", attempts: 0, nextAttemptAt: createdAt, createdAt, ...extra };
}

function audit(id: string, instanceId: string, version: number): AuditRecord {
  return {
    id,
    instanceId,
    version,
    at: 1_000 + version,
    actor: "user:a",
    action: "approve",
    definitionId: "wf",
    definitionVersion: 1,
    before: version > 1 ? { value: "step", status: "running" } : null,
    after: { value: "step", status: "running" },
    event: { type: "approve" },
  };
}

/** A commit of `i`; its audit record is `<id>@<version>` unless given. */
function commitOf(i: StoredInstance, expectedVersion: number | null, parts: Partial<Commit> = {}): Commit {
  return { instance: i, expectedVersion, timersToSet: [], timerIdsToCancel: [], outbox: [], audit: audit(`${i.id}@${i.version}`, i.id, i.version), ...parts };
}

/**
 * Register the Storage conformance tests.
 *
 * @param t - the test framework's describe / it / expect
 * @param name - a label for the implementation
 * @param makeStorage - a fresh, empty storage per test
 * @example
 * ```ts
 * import { describe, it, expect } from "vitest";
 * import { storageConformance } from "@ruleflow/engine/testing";
 * storageConformance({ describe, it, expect }, "postgres", () => createPostgresStorage(pool));
 * ```
 */
export function storageConformance(t: TestApi, name: string, makeStorage: () => Storage | Promise<Storage>): void {
  const { describe, it, expect } = t;
  const refused = (p: Promise<unknown>, fields: Record<string, unknown>): Promise<void> => expectUnstorableRefusal(expect, p, fields);
  const failure = async (p: Promise<unknown>): Promise<unknown> => {
    try {
      await p;
    } catch (e) {
      return e;
    }
    return undefined;
  };
  const conflict = async (p: Promise<unknown>): Promise<void> => {
    const error = await failure(p);
    expect(isRuleflowError(error) && error.code === "CONCURRENCY_CONFLICT", `expected a ConcurrencyError, got ${String(error)}`).toBe(true);
  };

  describe(`Storage conformance: ${name}`, () => {
    it("creates an instance once and reads it back equal", async () => {
      const s = await makeStorage();
      const i = instance("i1", 1);
      await s.commit(commitOf(i, null, { audit: audit("a1", "i1", 1) }));
      expect(await s.getInstance("i1")).toEqual(i);
      expect(await s.getInstance("nope")).toBeUndefined();
      await conflict(s.commit(commitOf(instance("i1", 1), null)));
    });

    it("takes null, not 0, for a new record: expectedVersion 0 is refused before anything is written", async () => {
      const s = await makeStorage();
      for (const bad of [0, -1, 1.5, "1"]) {
        const error = await failure(s.commit(commitOf(instance("i1", 1), bad as number)));
        expect(isRuleflowError(error) && error.code, `expectedVersion ${JSON.stringify(bad)}`).toBe("INVALID_ARGUMENT");
        expect(/expectedVersion/.test(String((error as Error).message)), String(error)).toBe(true);
      }
      expect(await s.getInstance("i1")).toBeUndefined();
      expect(await s.listAudit("i1")).toEqual([]);
      await s.commit(commitOf(instance("i1", 1), null));
      expect((await failure(s.commit(commitOf(instance("i1", 2), 0))) as { code?: string }).code).toBe("INVALID_ARGUMENT");
      expect((await s.getInstance("i1"))?.version).toBe(1);
    });

    it("refuses a stale write and writes nothing of it", async () => {
      const s = await makeStorage();
      await s.commit(commitOf(instance("i1", 1), null, { timersToSet: [timer("i1", "esc", 1, 5_000)] }));
      await s.commit(commitOf(instance("i1", 2), 1));
      const auditBefore = await s.listAudit("i1");
      await conflict(
        s.commit(
          commitOf(instance("i1", 2, { status: "completed" }), 1, {
            timersToSet: [timer("i1", "other", 2, 6_000)],
            timerIdsToCancel: ["i1/esc/1"],
            outbox: [outbox("o1", "i1", 2_000)],
            audit: audit("a9", "i1", 2),
          }),
        ),
      );
      expect((await s.getInstance("i1"))?.status).toBe("running");
      expect((await s.listPendingTimers()).map((x) => x.id)).toEqual(["i1/esc/1"]);
      expect(await s.listOutbox("i1")).toEqual([]);
      expect(await s.listAudit("i1")).toEqual(auditBefore);
      expect(auditBefore.map((a) => a.id)).toEqual(["i1@1", "i1@2"]);
    });

    it("lets exactly one of two concurrent writers of the same version win", async () => {
      const s = await makeStorage();
      await s.commit(commitOf(instance("i1", 1), null));
      const results = await Promise.allSettled([
        s.commit(commitOf(instance("i1", 2, { assignees: ["user:x"] }), 1, { audit: audit("ax", "i1", 2) })),
        s.commit(commitOf(instance("i1", 2, { assignees: ["user:y"] }), 1, { audit: audit("ay", "i1", 2) })),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      // the first commit's record and the winner's, never the loser's
      const trail = (await s.listAudit("i1")).map((a) => a.id);
      expect(trail).toHaveLength(2);
      expect(trail[1]).toBe(results[0].status === "fulfilled" ? "ax" : "ay");
      expect((await s.getInstance("i1"))?.version).toBe(2);
    });

    it("sets and cancels timers atomically with the instance, earliest first", async () => {
      const s = await makeStorage();
      await s.commit(commitOf(instance("i1", 1), null, { timersToSet: [timer("i1", "b", 2, 9_000), timer("i1", "a", 1, 3_000), timer("i1", "c", 3, 6_000)] }));
      expect((await s.listPendingTimers()).map((x) => x.dueAt)).toEqual([3_000, 6_000, 9_000]);
      expect((await s.listPendingTimers({ dueBy: 6_000 })).map((x) => x.key)).toEqual(["a", "c"]);
      expect(await s.listPendingTimers({ limit: 1 })).toHaveLength(1);
      expect(await s.getTimer("i1/b/2")).toEqual(timer("i1", "b", 2, 9_000));
      await s.commit(commitOf(instance("i1", 2), 1, { timerIdsToCancel: ["i1/a/1"], timersToSet: [timer("i1", "a", 4, 4_000)] }));
      expect(await s.getTimer("i1/a/1")).toBeUndefined();
      expect((await s.listPendingTimers()).map((x) => x.id)).toEqual(["i1/a/4", "i1/c/3", "i1/b/2"]);
    });

    it("keeps outbox entries pending until updated, in creation order, respecting nextAttemptAt", async () => {
      const s = await makeStorage();
      await s.commit(commitOf(instance("i1", 1), null, { outbox: [outbox("o1", "i1", 1_000), outbox("o2", "i1", 1_000), outbox("o3", "i1", 2_000, { nextAttemptAt: 8_000 })] }));
      expect((await s.listDueOutbox(5_000)).map((o) => o.id)).toEqual(["o1", "o2"]);
      expect((await s.listDueOutbox(9_000, 2)).map((o) => o.id)).toEqual(["o1", "o2"]);
      await s.updateOutbox("o1", { status: "delivered", attempts: 1, nextAttemptAt: 1_000 });
      await s.updateOutbox("o2", { status: "pending", attempts: 1, nextAttemptAt: 7_000, lastError: "503" });
      expect((await s.listDueOutbox(5_000)).map((o) => o.id)).toEqual([]);
      expect((await s.listDueOutbox(9_000)).map((o) => o.id)).toEqual(["o2", "o3"]);
      const all = await s.listOutbox("i1");
      expect(all.map((o) => [o.id, o.status, o.attempts])).toEqual([["o1", "delivered", 1], ["o2", "pending", 1], ["o3", "pending", 0]]);
      expect(all[1]!.lastError).toBe("503");
    });

    it("records several delivery results at once as one updateOutbox after another would (updateOutboxBatch, when offered)", async () => {
      const s = await makeStorage();
      if (!s.updateOutboxBatch) return; // optional: nothing to check
      await s.commit(commitOf(instance("i1", 1), null, { outbox: [outbox("o1", "i1", 1_000), outbox("o2", "i1", 1_000)] }));
      await s.updateOutboxBatch([
        { id: "o1", status: "pending", attempts: 1, nextAttemptAt: 2_000, lastError: "503" },
        { id: "o1", status: "delivered", attempts: 2, nextAttemptAt: 2_000 },
        { id: "o2", status: "pending", attempts: 1, nextAttemptAt: 7_000, lastError: "timeout" },
      ]);
      await s.updateOutboxBatch([]);
      expect((await s.listOutbox("i1")).map((o) => [o.id, o.status, o.attempts, o.nextAttemptAt, o.lastError])).toEqual([
        ["o1", "delivered", 2, 2_000, "503"],
        ["o2", "pending", 1, 7_000, "timeout"],
      ]);
      expect((await s.listDueOutbox(9_000)).map((o) => o.id)).toEqual(["o2"]);
      const update = { id: "o2", status: "pending", attempts: 2, nextAttemptAt: 9_000, lastError: "bad\u0000" } as const;
      await refused(s.updateOutboxBatch([update]), { updates: [update] });
    });

    it("hands no one the entries a commit leased to the committing process until the lease ends (committedOutboxLeaseMs, when offered with claimOutbox)", async () => {
      const s = await makeStorage();
      const lease = s.committedOutboxLeaseMs;
      if (lease === undefined || !s.claimOutbox) return; // optional: nothing to check
      await s.commit(commitOf(instance("i1", 1), null, { outbox: [outbox("o1", "i1", 1_000), outbox("o2", "i1", 1_000, { nextAttemptAt: 1_500 })] }));
      // o2's first attempt is later than its creation: not leased, claimed when due
      expect((await s.claimOutbox(1_000 + lease - 1, 10)).map((o) => o.id)).toEqual(["o2"]);
      expect(await s.claimOutbox(1_000 + lease - 1, 10)).toEqual([]);
      expect((await s.claimOutbox(1_000 + lease, 10)).map((o) => o.id)).toEqual(["o1"]);
    });

    it("appends audit records in commit order", async () => {
      const s = await makeStorage();
      await s.commit(commitOf(instance("i1", 1), null, { audit: audit("a1", "i1", 1) }));
      await s.commit(commitOf(instance("i1", 2), 1, { audit: audit("a2", "i1", 2) }));
      await s.commit(commitOf(instance("i2", 1), null, { audit: audit("b1", "i2", 1) }));
      expect((await s.listAudit("i1")).map((a) => a.id)).toEqual(["a1", "a2"]);
      expect(await s.listAudit("i2")).toEqual([audit("b1", "i2", 1)]);
    });

    it("queries instances by status, assignee, definition and awaited event", async () => {
      const s = await makeStorage();
      await s.commit(commitOf(instance("i1", 1, { assignees: ["user:a", "user:b"], createdAt: 1 }), null));
      await s.commit(commitOf(instance("i2", 1, { status: "completed", assignees: [], createdAt: 2 }), null));
      await s.commit(commitOf(instance("i3", 1, { definitionId: "other", assignees: ["user:b"], waitingFor: ["contract.signed"], createdAt: 3 }), null));
      const ids = async (q: Parameters<Storage["listInstances"]>[0]): Promise<string[]> => (await s.listInstances(q)).map((i) => i.id);
      expect(await ids({ status: "running" })).toEqual(["i1", "i3"]);
      expect(await ids({ status: ["running", "completed"] })).toEqual(["i1", "i2", "i3"]);
      expect(await ids({ assignee: "user:b" })).toEqual(["i1", "i3"]);
      expect(await ids({ assignee: "user:b", definitionId: "wf" })).toEqual(["i1"]);
      expect(await ids({ waitingFor: "contract.signed" })).toEqual(["i3"]);
      expect(await ids({ limit: 2 })).toHaveLength(2);
    });

    it("refuses NUL characters and lone surrogates anywhere in a commit, naming the field, and keeps what was stored", async () => {
      const s = await makeStorage();
      const first = commitOf(instance("i1", 1), null, { timersToSet: [timer("i1", "esc", 1, 5_000)], outbox: [outbox("o1", "i1", 1_000)], audit: audit("a1", "i1", 1) });
      await s.commit(first);
      const before = { instance: await s.getInstance("i1"), timers: await s.listPendingTimers(), outbox: await s.listOutbox("i1"), audit: await s.listAudit("i1") };
      const withInput = (value: unknown): StoredInstance => instance("i1", 2, { state: { value: "step", context: { input: { customer: { name: value } } } } });
      const bad: Commit[] = [
        commitOf(instance("i1", 2), 1, { audit: { ...audit("a2", "i1", 2), comment: "ok\u0000" } }),
        commitOf(withInput("Zh\uD800ang"), 1),
        commitOf(withInput("\uDC00"), 1),
        commitOf(instance("i1", 2, { state: { value: "step", context: { ["k\u0000"]: 1 } } }), 1),
        commitOf(instance("i1", 2, { assignees: ["user:\u0000"] }), 1, { outbox: [outbox("o2", "i1", 2_000, { payload: { to: "\uD83D" } })] }),
        commitOf(instance("i1\u0000", 1), null),
      ];
      for (const c of bad) {
        await refused(s.commit(c), { ...c });
      }
      expect({ instance: await s.getInstance("i1"), timers: await s.listPendingTimers(), outbox: await s.listOutbox("i1"), audit: await s.listAudit("i1") }).toEqual(before);
      // a well-formed pair (an emoji) and other control characters are text
      const fine = commitOf(withInput("\uD83D\uDE00 \u0001\t"), 1, { audit: { ...audit("a2", "i1", 2), comment: "\u4E2D\u6587" } });
      await s.commit(fine);
      expect(await s.getInstance("i1")).toEqual(fine.instance);
      expect((await s.listAudit("i1"))[1]!.comment).toBe("\u4E2D\u6587");
    });

    it("refuses NUL characters and lone surrogates in the ids and values it is asked about", async () => {
      const s = await makeStorage();
      await s.commit(commitOf(instance("i1", 1), null, { outbox: [outbox("o1", "i1", 1_000)] }));
      await refused(s.getInstance("i1\u0000"), { id: "i1\u0000" });
      await refused(s.getTimer("t\uD800"), { id: "t\uD800" });
      await refused(s.listOutbox("i1\u0000"), { instanceId: "i1\u0000" });
      await refused(s.listAudit("\uDFFF"), { instanceId: "\uDFFF" });
      await refused(s.listInstances({ assignee: "user:\u0000" }), { assignee: "user:\u0000" });
      await refused(s.listInstances({ definitionId: "wf", waitingFor: "x\uD800" }), { definitionId: "wf", waitingFor: "x\uD800" });
      const update = { status: "pending", attempts: 1, nextAttemptAt: 2_000, lastError: "503\u0000" } as const;
      await refused(s.updateOutbox("o1", update), { id: "o1", ...update });
      expect((await s.listOutbox("i1"))[0]).toMatchObject({ status: "pending", attempts: 0 });
    });

    it("returns copies: changing a result does not change what is stored", async () => {
      const s = await makeStorage();
      await s.commit(commitOf(instance("i1", 1), null));
      const got = (await s.getInstance("i1")) as { state: { context: { n: number } } };
      got.state.context.n = 99;
      expect(((await s.getInstance("i1"))!.state.context as { n: number }).n).toBe(1);
    });

    scheduleStorageConformance(t, makeStorage); // scheduled triggers' records
  });
}
