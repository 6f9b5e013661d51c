/** The in-memory Storage: the embedded default, and the reference for adapters. */
import { ConcurrencyError } from "../core/errors.js";
import type { AuditRecord, Commit, InstanceQuery, OutboxEntry, ScheduleRecord, Storage, StoredInstance, TimerRecord } from "./ports.js";
import { assertStorableText } from "../storable-text.js";
import { assertExpectedVersion } from "../core/expected-version.js";

const clone = <T>(v: T): T => structuredClone(v);

/** In-memory {@link Storage}: also exposes `snapshot`/`restore` for tests of persistence. */
export interface MemoryStorage extends Storage {
  /** A deep copy of everything stored, as plain JSON-able data. */
  snapshot(): MemoryStorageData;
}

/** What a {@link MemoryStorage} holds. */
export interface MemoryStorageData {
  instances: StoredInstance[];
  timers: TimerRecord[];
  outbox: OutboxEntry[];
  audit: AuditRecord[];
  /** Scheduled triggers' state (absent in snapshots taken before schedules existed). */
  schedules?: ScheduleRecord[] | undefined;
}

/**
 * Create an in-memory storage, optionally from a previous `snapshot()`:
 * an engine over the restored storage continues where the old one stopped.
 *
 * @example
 * ```ts
 * const storage = createMemoryStorage();
 * const engine = createEngine({ definitions, storage });
 * ```
 */
export function createMemoryStorage(data?: MemoryStorageData): MemoryStorage {
  const instances = new Map<string, StoredInstance>();
  const timers = new Map<string, TimerRecord>();
  const outbox = new Map<string, OutboxEntry>();
  // Indexes, so delivery does not scan every entry ever written.
  const pendingOutboxIds = new Set<string>();
  const outboxByInstance = new Map<string, string[]>();
  const indexOutbox = (o: OutboxEntry, isNew: boolean): void => {
    if (o.status === "pending") pendingOutboxIds.add(o.id);
    else pendingOutboxIds.delete(o.id);
    if (isNew) outboxByInstance.set(o.instanceId, [...(outboxByInstance.get(o.instanceId) ?? []), o.id]);
  };
  const audit = new Map<string, AuditRecord[]>();
  const schedules = new Map<string, ScheduleRecord>();
  for (const r of clone(data?.schedules ?? [])) schedules.set(r.id, r);
  if (data) {
    for (const i of clone(data.instances)) instances.set(i.id, i);
    for (const t of clone(data.timers)) timers.set(t.id, t);
    for (const o of clone(data.outbox)) {
      outbox.set(o.id, o);
      indexOutbox(o, true);
    }
    for (const a of clone(data.audit)) audit.set(a.instanceId, [...(audit.get(a.instanceId) ?? []), a]);
  }

  const matches = (i: StoredInstance, q: InstanceQuery): boolean => {
    if (q.status !== undefined) {
      const statuses = typeof q.status === "string" ? [q.status] : q.status;
      if (!statuses.includes(i.status)) return false;
    }
    if (q.definitionId !== undefined && i.definitionId !== q.definitionId) return false;
    if (q.assignee !== undefined && !i.assignees.includes(q.assignee)) return false;
    if (q.waitingFor !== undefined && !i.waitingFor.includes(q.waitingFor)) return false;
    return true;
  };

  return {
    async getInstance(id) {
      assertStorableText({ id }, "instance id");
      const i = instances.get(id);
      return i ? clone(i) : undefined;
    },
    async commit(c: Commit) {
      // refused before the version check, as PostgreSQL refuses it before writing
      assertExpectedVersion(c.expectedVersion, "commit.expectedVersion");
      assertStorableText({ ...c }, "commit");
      const current = instances.get(c.instance.id);
      const actual = current?.version ?? null;
      if (actual !== c.expectedVersion) {
        throw new ConcurrencyError({ subject: "instance", id: c.instance.id, expectedVersion: c.expectedVersion, actualVersion: actual });
      }
      instances.set(c.instance.id, clone(c.instance));
      for (const id of c.timerIdsToCancel) timers.delete(id);
      for (const t of c.timersToSet) timers.set(t.id, clone(t));
      for (const o of c.outbox) {
        const isNew = !outbox.has(o.id);
        outbox.set(o.id, clone(o));
        indexOutbox(o, isNew);
      }
      audit.set(c.audit.instanceId, [...(audit.get(c.audit.instanceId) ?? []), clone(c.audit)]);
    },
    async listInstances(q) {
      assertStorableText({ ...q }, "instance query");
      const out: StoredInstance[] = [];
      for (const i of instances.values()) {
        if (matches(i, q)) out.push(clone(i));
        if (q.limit !== undefined && out.length >= q.limit) break;
      }
      // Stable sort: equal creation times keep commit order.
      return out.sort((a, b) => a.createdAt - b.createdAt);
    },
    async listPendingTimers(options) {
      const out = [...timers.values()].filter((t) => options?.dueBy === undefined || t.dueAt <= options.dueBy);
      out.sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1));
      return clone(options?.limit === undefined ? out : out.slice(0, options.limit));
    },
    async getTimer(id) {
      assertStorableText({ id }, "timer id");
      const t = timers.get(id);
      return t ? clone(t) : undefined;
    },
    async listDueOutbox(now, limit) {
      const out = [...pendingOutboxIds].map((id) => outbox.get(id)!).filter((o) => o.nextAttemptAt <= now);
      out.sort((a, b) => a.createdAt - b.createdAt);
      return clone(limit === undefined ? out : out.slice(0, limit));
    },
    async listOutbox(instanceId) {
      assertStorableText({ instanceId }, "instance id");
      return clone((outboxByInstance.get(instanceId) ?? []).map((id) => outbox.get(id)!));
    },
    async updateOutbox(id, update) {
      assertStorableText({ id, ...update }, "outbox update");
      const o = outbox.get(id);
      if (!o) return;
      const next = { ...o, ...update };
      outbox.set(id, next);
      indexOutbox(next, false);
    },
    async listAudit(instanceId) {
      assertStorableText({ instanceId }, "instance id");
      return clone(audit.get(instanceId) ?? []);
    },
    // --- scheduled triggers ---
    async getSchedule(id) {
      const r = schedules.get(id);
      return r ? clone(r) : undefined;
    },
    async saveSchedule(record, expectedVersion) {
      assertExpectedVersion(expectedVersion);
      const actual = schedules.get(record.id)?.version ?? null;
      if (actual !== expectedVersion) {
        throw new ConcurrencyError({ subject: "schedule", id: record.id, expectedVersion, actualVersion: actual });
      }
      schedules.set(record.id, clone(record));
    },
    snapshot() {
      return clone({
        instances: [...instances.values()],
        timers: [...timers.values()],
        outbox: [...outbox.values()],
        audit: [...audit.values()].flat(),
        schedules: [...schedules.values()],
      });
    },
  };
}
