/** Workflows and helpers shared by the engine-on-PostgreSQL suites, the workers test and the benchmark. */
import type { Commit, OutboxEntry, StoredInstance } from "@ruleflow/engine/workflow";

/** A stored instance of workflow `wf` at `version` (created at 1,000, updated at 1,000 + version), with `extra` over it. */
export const storedInstance = (id: string, version: number, extra: Partial<StoredInstance> = {}): StoredInstance => ({
  id,
  definitionId: "wf",
  definitionVersion: 1,
  version,
  status: "running",
  initiator: "user:li",
  assignees: ["user:a"],
  waitingFor: [],
  state: { value: "step", context: { n: version } },
  createdAt: 1_000,
  updatedAt: 1_000 + version,
  ...extra,
});

/** A pending notification entry due when created, with `extra` over it. */
export const outboxEntry = (id: string, instanceId: string, createdAt = 1_000, extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  id,
  kind: "notification",
  instanceId,
  idempotencyKey: `k-${id}`,
  payload: { template: "t", id },
  status: "pending",
  attempts: 0,
  nextAttemptAt: createdAt,
  createdAt,
  ...extra,
});

/** The commit writing `i` (an approve by user:a, audited as `id@version`), with `parts` (timers, outbox) over it. */
export const commitOf = (i: StoredInstance, expectedVersion: number | null, parts: Partial<Commit> = {}): Commit => ({
  instance: i,
  expectedVersion,
  timersToSet: [],
  timerIdsToCancel: [],
  outbox: [],
  audit: {
    id: `${i.id}@${i.version}`,
    instanceId: i.id,
    version: i.version,
    at: i.updatedAt,
    actor: "user:a",
    action: "approve",
    definitionId: "wf",
    definitionVersion: 1,
    before: null,
    after: { value: "step", status: "running" },
    event: { type: "approve" },
  },
  ...parts,
});

/**
 * A deal approval: two approvers countersign; escalation ladder in seconds
 * (remind, escalate to user:boss, auto-reject), so real-clock tests finish.
 */
export function dealApproval(seconds: readonly [number, number, number] = [5, 5, 5]): Record<string, unknown> {
  return {
    kind: "workflow",
    id: "deal-approval",
    version: 1,
    start: "review",
    nodes: {
      review: {
        type: "approval",
        mode: "all",
        assignees: ["user:a", "user:b"],
        escalation: [
          { after: `PT${seconds[0]}S`, action: "remind" },
          { after: `PT${seconds[1]}S`, action: "escalate", to: "user:boss" },
          { after: `PT${seconds[2]}S`, action: "auto-reject" },
        ],
        onApprove: "approved",
        onReject: "rejected",
      },
      approved: { type: "end", outcome: "approved", notify: [{ to: "initiator", template: "deal-approved" }] },
      rejected: { type: "end", outcome: "rejected", notify: [{ to: "initiator", template: "deal-rejected" }] },
    },
  };
}

/** A deterministic id generator: `id-1`, `id-2`, ... */
export function counter(prefix = "id"): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** Resolves when `check` holds, polling; rejects after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, everyMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
