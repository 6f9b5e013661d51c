/**
 * The in-memory Storage: the embedded default, and the reference for adapters.
 *
 * Records are kept frozen, not copied: what `commit` is given is checked
 * (text every store can keep) and deep-frozen in place, then kept as it is.
 * So no caller's mutation can reach what is stored, and the reads the engine
 * makes on every transition (an instance, a timer, the due outbox) cost no
 * copy: they hand out the frozen records themselves. The reads a host makes
 * (`getInstance`, `listInstances`, `listOutbox`, `listAudit`, `getSchedule`)
 * return copies, which the caller may change at will.
 */
import { ConcurrencyError } from "../core/errors.js";
import type { AuditRecord, Commit, InstanceQuery, OutboxEntry, ScheduleRecord, Storage, StoredInstance, TimerRecord } from "./ports.js";
import { assertStorableText } from "../storable-text.js";
import { assertExpectedVersion } from "../core/expected-version.js";
import { isEngineCommit } from "./records.js";

const clone = <T>(v: T): T => structuredClone(v);

// NUL and UTF-16 surrogates: text that may not be storable (a surrogate pair is; assertStorableText tells)
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** The fields of an outbox update (`Storage.updateOutbox`). */
const OUTBOX_UPDATE_KEYS: ReadonlySet<string> = new Set(["status", "attempts", "nextAttemptAt", "lastError"]);

/** Refuse an id no store can keep; the common case decided by one test. */
function assertStorableId(value: string, field: string, subject: string): void {
  if (typeof value !== "string" || SUSPECT.test(value)) assertStorableText({ [field]: value }, subject);
}

/**
 * Check `fields` as `assertStorableText` does, then deep-freeze them in
 * place, so they can be kept and handed out without copies. Nothing is frozen
 * when the check fails.
 *
 * Frozen objects are walked too (a caller may have frozen an object whose
 * parts are not), except in a commit the engine built (`trusted`): every
 * frozen object in those was frozen and checked by an earlier `seal` (an
 * instance's input, the parts of its state a transition did not change; the
 * engine copies what a host gives it before it reaches a record), so only
 * what the transition made new is walked.
 *
 * `roots`: what to walk and freeze, when not every field of `fields` (which
 * name the paths of an error).
 *
 * @throws a `ValidationError` naming each unstorable string, before anything is frozen
 */
function seal(fields: Readonly<Record<string, unknown>>, subject: string, trusted: boolean, roots: unknown[] = Object.values(fields)): void {
  const todo: object[] = [];
  const stack = roots;
  let suspect = false;
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (!suspect && SUSPECT.test(v)) suspect = true;
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    if (Object.isFrozen(v)) {
      if (trusted) continue;
    } else todo.push(v);
    // a cycle, or an object shared many times over: the careful walk visits each object once
    if (todo.length > 100_000 || stack.length > 1_000_000) return sealCarefully(fields, subject);
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (!knownKeys.has(key)) {
        if (SUSPECT.test(key)) suspect = true;
        else if (knownKeys.size < MAX_KNOWN_KEYS) knownKeys.add(key);
      }
      const x = (v as Record<string, unknown>)[key];
      if (typeof x === "string") {
        if (!suspect && SUSPECT.test(x)) suspect = true;
      } else if (typeof x === "object" && x !== null) stack.push(x);
    }
  }
  // a surrogate pair is storable text: only a real problem throws, with every path named
  if (suspect) assertStorableText(fields, subject);
  for (const o of todo) Object.freeze(o);
}

/**
 * Keys checked storable before: records use the same few keys over and over
 * (`id`, `status`, node ids, role names), so each is tested once. Bounded,
 * so data with ever new keys does not grow it without end.
 */
const knownKeys = new Set<string>();
const MAX_KNOWN_KEYS = 10_000;

/** {@link seal} for a value with cycles: check with `assertStorableText` (which visits each object once), then freeze each once. */
function sealCarefully(fields: Readonly<Record<string, unknown>>, subject: string): void {
  assertStorableText(fields, subject);
  const seen = new Set<object>();
  const stack: unknown[] = Object.values(fields);
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    Object.freeze(v);
    for (const x of Object.values(v)) stack.push(x);
  }
}

/**
 * The engine's own reads of a memory storage: the stored records themselves
 * (frozen), without the copy `getInstance` makes for hosts. Found on a
 * {@link MemoryStorage} under this symbol (not enumerable); a storage without
 * it (any other, or one wrapping a memory storage) is read through its
 * Storage methods.
 * @internal
 */
const SHARED_READS: unique symbol = Symbol("ruleflow.memoryStorage.sharedReads");

/** What {@link SHARED_READS} holds. @internal */
export interface SharedReads {
  /** The stored instance itself (frozen), or undefined. */
  getInstance(id: string): StoredInstance | undefined;
}

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
    if (!isNew) return;
    // appended in place (the list never leaves the storage): an instance with many entries costs no copy per entry
    const ids = outboxByInstance.get(o.instanceId);
    if (ids) ids.push(o.id);
    else outboxByInstance.set(o.instanceId, [o.id]);
  };
  const audit = new Map<string, AuditRecord[]>();
  const schedules = new Map<string, ScheduleRecord>();
  for (const r of clone(data?.schedules ?? [])) schedules.set(r.id, r);
  // the caller's data is copied, then the copy frozen: their objects stay theirs, and unfrozen
  const restored = data && clone({ instances: data.instances, timers: data.timers, outbox: data.outbox, audit: data.audit });
  if (restored) {
    seal(restored, "memory storage data", false);
    for (const i of restored.instances) instances.set(i.id, i);
    for (const t of restored.timers) timers.set(t.id, t);
    for (const o of restored.outbox) {
      outbox.set(o.id, o);
      indexOutbox(o, true);
    }
    for (const a of restored.audit) {
      const trail = audit.get(a.instanceId);
      if (trail) trail.push(a);
      else audit.set(a.instanceId, [a]);
    }
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

  const storage: MemoryStorage = {
    async getInstance(id) {
      assertStorableId(id, "id", "instance id");
      const i = instances.get(id);
      return i ? clone(i) : undefined;
    },
    async commit(c: Commit) {
      // refused before the version check, as PostgreSQL refuses it before writing
      assertExpectedVersion(c.expectedVersion, "commit.expectedVersion");
      const current = instances.get(c.instance.id);
      const actual = current?.version ?? null;
      if (actual !== c.expectedVersion) {
        // text is checked first (as before): an unstorable commit is refused as such, whatever its version
        assertStorableText({ ...c }, "commit");
        throw new ConcurrencyError({ subject: "instance", id: c.instance.id, expectedVersion: c.expectedVersion, actualVersion: actual });
      }
      // checked and frozen in place: from here on the records are the storage's, read-only for everyone
      // the records are kept (and frozen), the commit's own lists are not: only their items are
      seal({ ...c }, "commit", isEngineCommit(c), [c.instance, c.audit, ...c.timersToSet, ...c.timerIdsToCancel, ...c.outbox]);
      instances.set(c.instance.id, c.instance);
      for (const id of c.timerIdsToCancel) timers.delete(id);
      for (const t of c.timersToSet) timers.set(t.id, t);
      for (const o of c.outbox) {
        const isNew = !outbox.has(o.id);
        outbox.set(o.id, o);
        indexOutbox(o, isNew);
      }
      const trail = audit.get(c.audit.instanceId);
      if (trail) trail.push(c.audit);
      else audit.set(c.audit.instanceId, [c.audit]);
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
      return options?.limit === undefined ? out : out.slice(0, options.limit);
    },
    async getTimer(id) {
      assertStorableId(id, "id", "timer id");
      return timers.get(id);
    },
    async listDueOutbox(now, limit) {
      const out: OutboxEntry[] = [];
      for (const id of pendingOutboxIds) {
        const o = outbox.get(id)!;
        if (o.nextAttemptAt <= now) out.push(o);
      }
      if (out.length > 1) out.sort((a, b) => a.createdAt - b.createdAt);
      return limit === undefined || out.length <= limit ? out : out.slice(0, limit);
    },
    async listOutbox(instanceId) {
      assertStorableId(instanceId, "instanceId", "instance id");
      return clone((outboxByInstance.get(instanceId) ?? []).map((id) => outbox.get(id)!));
    },
    async updateOutbox(id, update) {
      // the common result (an id, a status, numbers, perhaps an error message) decided by a few tests; anything else checked in full
      const { status, attempts, nextAttemptAt, lastError } = update;
      const plain =
        typeof id === "string" && !SUSPECT.test(id) && typeof status === "string" && !SUSPECT.test(status) && typeof attempts === "number" && typeof nextAttemptAt === "number" &&
        (lastError === undefined || (typeof lastError === "string" && !SUSPECT.test(lastError))) && Object.keys(update).every((k) => OUTBOX_UPDATE_KEYS.has(k));
      if (!plain) assertStorableText({ id, ...update }, "outbox update");
      const o = outbox.get(id);
      if (!o) return;
      // the payload is frozen already; the update is numbers and text, checked above
      const next = Object.freeze({ ...o, ...update });
      outbox.set(id, next);
      indexOutbox(next, false);
    },
    async listAudit(instanceId) {
      assertStorableId(instanceId, "instanceId", "instance id");
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
  // Not enumerable: a storage made by spreading this one (`{ ...storage, getInstance }`, to wrap some
  // of its methods) does not copy it, so the engine reads through the wrapper's methods.
  Object.defineProperty(storage, SHARED_READS, { value: { getInstance: (id: string) => instances.get(id) } satisfies SharedReads, enumerable: false });
  return storage;
}

/**
 * The engine's own reads of `storage`, when it is a memory storage (not one
 * made by spreading it). Not part of the MemoryStorage type: nothing public.
 * @internal
 */
export function sharedReadsOf(storage: Storage): SharedReads | undefined {
  return (storage as { [SHARED_READS]?: SharedReads })[SHARED_READS];
}
