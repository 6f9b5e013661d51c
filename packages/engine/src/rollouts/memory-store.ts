/** The in-memory RolloutStore: the embedded default, and the reference for adapters. */
import type { RolloutDocument } from "../schema/rollout.js";
import { assertStorableText } from "../storable-text.js";
import { assertExpectedVersion } from "../core/expected-version.js";
import { ConcurrencyError } from "../core/errors.js";
import type { RolloutAuditRecord, RolloutExposure, RolloutStore } from "./store.js";
import type { StickyAssignment } from "./types.js";

/**
 * Create an in-memory rollout store. Values are copied in and out, so callers
 * can never change what is stored by mutating an object they hold.
 *
 * @returns a RolloutStore kept in this process's memory
 * @example
 * ```ts
 * const controller = createRolloutController({ store: createMemoryRolloutStore(), clock });
 * ```
 */
export function createMemoryRolloutStore(): RolloutStore {
  const versions = new Map<string, RolloutDocument[]>();
  const audit = new Map<string, RolloutAuditRecord[]>();
  const sticky = new Map<string, StickyAssignment>();
  const exposures = new Map<string, RolloutExposure[]>();
  const copy = <T>(value: T): T => structuredClone(value);
  const stickyKey = (rolloutId: string, unit: string) => JSON.stringify([rolloutId, unit]);

  return {
    async getRollout(id) {
      assertStorableText({ id }, "rollout id");
      const list = versions.get(id);
      return list?.length ? copy(list[list.length - 1]!) : undefined;
    },
    async listVersions(id) {
      assertStorableText({ id }, "rollout id");
      return copy(versions.get(id) ?? []);
    },
    async listRollouts() {
      return [...versions.keys()].sort();
    },
    async commitVersion(document, expectedVersion, record) {
      assertExpectedVersion(expectedVersion);
      assertStorableText({ document, audit: record }, "rollout version");
      const list = versions.get(document.id) ?? [];
      const current = list.length ? list[list.length - 1]!.version : null;
      if (current !== expectedVersion || (current !== null && document.version <= current)) {
        throw new ConcurrencyError({ subject: "rollout", id: document.id, expectedVersion, actualVersion: current });
      }
      list.push(copy(document));
      versions.set(document.id, list);
      const trail = audit.get(document.id) ?? [];
      trail.push(copy(record));
      audit.set(document.id, trail);
    },
    async listAudit(rolloutId) {
      assertStorableText({ rolloutId }, "rollout id");
      return copy(audit.get(rolloutId) ?? []);
    },
    async getSticky(rolloutId, unit) {
      assertStorableText({ rolloutId, unit }, "sticky assignment key");
      const s = sticky.get(stickyKey(rolloutId, unit));
      return s ? copy(s) : undefined;
    },
    async putSticky(assignment) {
      assertStorableText({ ...assignment }, "sticky assignment");
      const key = stickyKey(assignment.rolloutId, assignment.unit);
      const existing = sticky.get(key);
      if (existing) return copy(existing);
      sticky.set(key, copy(assignment));
      return copy(assignment);
    },
    async appendExposure(exposure) {
      assertStorableText({ ...exposure }, "exposure");
      const list = exposures.get(exposure.rolloutId) ?? [];
      list.push(copy(exposure));
      exposures.set(exposure.rolloutId, list);
    },
    async listExposures(rolloutId) {
      assertStorableText({ rolloutId }, "rollout id");
      return copy(exposures.get(rolloutId) ?? []);
    },
  };
}
