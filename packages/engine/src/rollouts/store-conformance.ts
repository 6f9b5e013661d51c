/**
 * The conformance suite every RolloutStore must pass: the in-memory store runs
 * it in this repository, and a PostgreSQL (or any other) adapter runs the same
 * suite against its own database.
 */
import { isRuleflowError } from "../core/errors.js";
import type { RolloutDocument } from "../schema/rollout.js";
import { expectUnstorableRefusal, type TestApi } from "../conformance-kit.js";
import type { RolloutAuditRecord, RolloutExposure, RolloutStore } from "./store.js";
import type { StickyAssignment } from "./types.js";

function doc(id: string, version: number, status: RolloutDocument["status"] = "running"): RolloutDocument {
  return {
    kind: "rollout",
    id,
    version,
    status,
    unit: "campus.id",
    salt: id,
    sticky: true,
    variants: [
      { id: "control", weight: 50, value: { policy: "renewal-v1", note: "续费激励 v1" }, slots: [[0, 0.5]] },
      { id: "treatment", weight: 50, value: { policy: "renewal-v2", tiers: [1, 2.5, null] }, slots: [[0.5, 1]] },
    ],
    effective: { from: `2026-03-0${Math.min(version, 9)}T00:00:00+08:00` },
  };
}

function record(rolloutId: string, toVersion: number, action: RolloutAuditRecord["action"] = "start"): RolloutAuditRecord {
  return {
    id: `${rolloutId}@${toVersion}`,
    rolloutId,
    at: `2026-03-0${Math.min(toVersion, 9)}T01:00:00.000Z`,
    actor: "user:li",
    action,
    fromVersion: toVersion > 1 ? toVersion - 1 : null,
    toVersion,
    fromStatus: toVersion > 1 ? "running" : null,
    toStatus: "running",
    reason: "pilot at three campuses",
    details: { campuses: ["HZ-01", "SH-03", "NJ-02"], weights: { control: 50, treatment: 50 } },
  };
}

function sticky(rolloutId: string, unit: string, variant: string): StickyAssignment {
  return { rolloutId, unit, variant, version: 1, salt: rolloutId, at: "2026-03-01T02:00:00.000Z" };
}

function exposure(rolloutId: string, unit: string, variant: string, n: number): RolloutExposure {
  return { rolloutId, version: 1, unit, variant, bucket: n % 3 === 0 ? null : n / 10000, at: `2026-03-01T02:00:${String(n % 60).padStart(2, "0")}.000Z` };
}

async function conflictCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return isRuleflowError(e) ? e.code : String(e);
  }
}

/**
 * Register the RolloutStore conformance tests.
 *
 * @param t - the test framework's `describe`, `it` and `expect` (vitest, jest, or node:test with an adapter)
 * @param createStore - makes a fresh, empty store for each test
 * @returns nothing; the tests are registered with `t`
 * @example
 * ```ts
 * import { describe, it, expect } from "vitest";
 * import { rolloutStoreConformance } from "@ruleflow/engine/testing";
 * rolloutStoreConformance({ describe, it, expect }, () => createMemoryRolloutStore());
 * ```
 */
export function rolloutStoreConformance(t: TestApi, createStore: () => RolloutStore | Promise<RolloutStore>): void {
  const { describe, it, expect } = t;
  const refused = (p: Promise<unknown>, fields: Record<string, unknown>): Promise<void> => expectUnstorableRefusal(expect, p, fields);

  describe("RolloutStore conformance: versions and audit", () => {
    it("starts empty", async () => {
      const s = await createStore();
      expect(await s.getRollout("r")).toBeUndefined();
      expect(await s.listVersions("r")).toEqual([]);
      expect(await s.listRollouts()).toEqual([]);
      expect(await s.listAudit("r")).toEqual([]);
    });

    it("stores versions with their audit records, round-tripping every field", async () => {
      const s = await createStore();
      await s.commitVersion(doc("r", 1, "draft"), null, record("r", 1, "create"));
      await s.commitVersion(doc("r", 2), 1, record("r", 2));
      await s.commitVersion(doc("other", 1), null, record("other", 1, "create"));
      expect(await s.getRollout("r")).toEqual(doc("r", 2));
      expect(await s.listVersions("r")).toEqual([doc("r", 1, "draft"), doc("r", 2)]);
      expect(await s.listRollouts()).toEqual(["other", "r"]);
      expect(await s.listAudit("r")).toEqual([record("r", 1, "create"), record("r", 2)]);
      expect(await s.listAudit("other")).toHaveLength(1);
    });

    it("rejects a stale write with CONCURRENCY_CONFLICT and stores nothing of it", async () => {
      const s = await createStore();
      await s.commitVersion(doc("r", 1), null, record("r", 1, "create"));
      await s.commitVersion(doc("r", 2), 1, record("r", 2));
      expect(await conflictCode(s.commitVersion(doc("r", 3), 1, record("r", 3)))).toBe("CONCURRENCY_CONFLICT");
      expect(await conflictCode(s.commitVersion(doc("r", 3), null, record("r", 3)))).toBe("CONCURRENCY_CONFLICT");
      expect(await conflictCode(s.commitVersion(doc("r", 2), 2, record("r", 2)))).toBe("CONCURRENCY_CONFLICT");
      expect((await s.getRollout("r"))?.version).toBe(2);
      expect(await s.listAudit("r")).toHaveLength(2);
    });

    it("takes null, not 0, for a new rollout: expectedVersion 0 is refused with INVALID_ARGUMENT and stores nothing", async () => {
      const s = await createStore();
      expect(await conflictCode(s.commitVersion(doc("r", 1), 0, record("r", 1, "create")))).toBe("INVALID_ARGUMENT");
      expect(await s.getRollout("r")).toBeUndefined();
      expect(await s.listAudit("r")).toEqual([]);
      await s.commitVersion(doc("r", 1), null, record("r", 1, "create"));
      expect(await conflictCode(s.commitVersion(doc("r", 2), 0, record("r", 2)))).toBe("INVALID_ARGUMENT");
      expect((await s.getRollout("r"))?.version).toBe(1);
    });

    it("lets exactly one of several concurrent writers win", async () => {
      const s = await createStore();
      await s.commitVersion(doc("r", 1), null, record("r", 1, "create"));
      const results = await Promise.all([2, 2, 2, 2].map((v, i) => conflictCode(s.commitVersion({ ...doc("r", v), name: `writer ${i}` }, 1, record("r", v)))));
      expect(results.filter((r) => r === undefined)).toHaveLength(1);
      expect(results.filter((r) => r === "CONCURRENCY_CONFLICT")).toHaveLength(3);
      expect(await s.listVersions("r")).toHaveLength(2);
      expect(await s.listAudit("r")).toHaveLength(2);
    });

    it("hands out copies: changing a returned document changes nothing stored", async () => {
      const s = await createStore();
      await s.commitVersion(doc("r", 1), null, record("r", 1, "create"));
      const got = (await s.getRollout("r"))!;
      got.status = "rolled-back";
      (got.variants[0]!.value as { policy: string }).policy = "changed";
      expect(await s.getRollout("r")).toEqual(doc("r", 1));
    });
  });

  describe("RolloutStore conformance: sticky assignments", () => {
    it("keeps the first assignment of a unit", async () => {
      const s = await createStore();
      expect(await s.getSticky("r", "HZ-01")).toBeUndefined();
      expect(await s.putSticky(sticky("r", "HZ-01", "treatment"))).toEqual(sticky("r", "HZ-01", "treatment"));
      expect(await s.putSticky(sticky("r", "HZ-01", "control"))).toEqual(sticky("r", "HZ-01", "treatment"));
      expect(await s.getSticky("r", "HZ-01")).toEqual(sticky("r", "HZ-01", "treatment"));
      expect(await s.getSticky("other", "HZ-01")).toBeUndefined();
      expect(await s.getSticky("r", "SH-03")).toBeUndefined();
    });

    it("resolves concurrent first writes to one assignment", async () => {
      const s = await createStore();
      const kept = await Promise.all(["control", "treatment", "control", "treatment"].map((v) => s.putSticky(sticky("r", "客户-7", v))));
      const variants = new Set(kept.map((k) => k.variant));
      expect(variants.size).toBe(1);
      expect((await s.getSticky("r", "客户-7"))?.variant).toBe(kept[0]!.variant);
    });
  });

  describe("RolloutStore conformance: text no store can keep", () => {
    it("refuses NUL characters and lone surrogates in documents, audit records, units and ids, naming the field, and keeps what was stored", async () => {
      const s = await createStore();
      await s.commitVersion(doc("r", 1), null, record("r", 1, "create"));
      await s.putSticky(sticky("r", "HZ-01", "control"));
      await s.appendExposure(exposure("r", "HZ-01", "control", 1));
      const stored = async () => ({ versions: await s.listVersions("r"), audit: await s.listAudit("r"), sticky: await s.getSticky("r", "HZ-01"), exposures: await s.listExposures("r"), ids: await s.listRollouts() });
      const before = await stored();
      const badDoc = { ...doc("r", 2), name: "pilot\u0000" };
      const badNote = doc("r", 2);
      (badNote.variants[0]!.value as { note: string }).note = "\uD800";
      const badAudit = { ...record("r", 2), reason: "\uDC00 too many complaints" };
      await refused(s.commitVersion(badDoc, 1, record("r", 2)), { document: badDoc, audit: record("r", 2) });
      await refused(s.commitVersion(badNote, 1, record("r", 2)), { document: badNote, audit: record("r", 2) });
      await refused(s.commitVersion(doc("r", 2), 1, badAudit), { document: doc("r", 2), audit: badAudit });
      await refused(s.commitVersion(doc("r\u0000", 1), null, record("r\u0000", 1, "create")), { document: doc("r\u0000", 1), audit: record("r\u0000", 1, "create") });
      const badSticky = sticky("r", "HZ-\u0000", "treatment");
      await refused(s.putSticky(badSticky), { ...badSticky });
      const badExposure = exposure("r", "\uD83D", "control", 2);
      await refused(s.appendExposure(badExposure), { ...badExposure });
      await refused(s.getRollout("r\u0000"), { id: "r\u0000" });
      await refused(s.listVersions("\uDFFF"), { id: "\uDFFF" });
      await refused(s.listAudit("r\u0000"), { rolloutId: "r\u0000" });
      await refused(s.getSticky("r", "HZ-\uD800"), { rolloutId: "r", unit: "HZ-\uD800" });
      await refused(s.listExposures("r\u0000"), { rolloutId: "r\u0000" });
      expect(await stored()).toEqual(before);
      // the next good version still goes through: the refused ones took nothing
      await s.commitVersion({ ...doc("r", 2), name: "\u6821\u56ED\u8BD5\u70B9 \uD83C\uDF93" }, 1, record("r", 2));
      expect((await s.getRollout("r"))?.name).toBe("\u6821\u56ED\u8BD5\u70B9 \uD83C\uDF93");
    });
  });

  describe("RolloutStore conformance: exposures", () => {
    it("lists exposures per rollout in the order recorded", async () => {
      const s = await createStore();
      const list = Array.from({ length: 50 }, (_, n) => exposure(n % 5 === 4 ? "other" : "r", `U-${n}`, n % 2 ? "treatment" : "control", n));
      for (const e of list) await s.appendExposure(e);
      expect(await s.listExposures("r")).toEqual(list.filter((e) => e.rolloutId === "r"));
      expect(await s.listExposures("other")).toHaveLength(10);
      expect(await s.listExposures("none")).toEqual([]);
    });
  });
}
