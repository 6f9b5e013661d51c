/** Shared fixtures for the workflow runtime suites (workflow-*.test.ts). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { isRuleflowError } from "../src/core/errors.js";
import { createVirtualClock, type VirtualClock } from "../src/runtime/clock.js";
import { createMemoryNotifier, createStaticDirectory, type MemoryNotifier, type StaticDirectoryData } from "../src/runtime/defaults.js";
import type { TaskHandler } from "../src/runtime/dispatcher.js";
import { createEngine, type Engine, type EngineOptions, type InstanceEvent } from "../src/runtime/engine.js";
import { createMemoryStorage, type MemoryStorage } from "../src/runtime/memory-storage.js";
import type { Notification, Notifier } from "../src/runtime/ports.js";
import { isoWithOffset } from "./helpers.js";

/** The people every suite uses. */
export const ROLES: Record<string, string[]> = {
  marketing: ["user:ma"],
  compliance: ["user:chen"],
  legal: ["user:lu"],
  "compliance-lead": ["user:boss"],
  onboarding: ["user:ob"],
  finance: ["user:fin1", "user:fin2"],
  board: ["user:b1", "user:b2", "user:b3"],
  ops: ["user:ops"],
};
export const MANAGERS: Record<string, string> = { "user:li": "user:zhao", "user:wu": "user:zhao" };

/** A deterministic id generator: `id-1`, `id-2`, ... */
export function counter(prefix = "id"): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** A workflow document with defaults filled in. */
export function workflow(nodes: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: "workflow", id: "wf", version: 1, start: Object.keys(nodes)[0], nodes, ...extra };
}

/** Two end nodes most test workflows finish in. */
export const ENDS = {
  approved: { type: "end", outcome: "approved", notify: [{ to: "initiator", template: "done-approved" }] },
  rejected: { type: "end", outcome: "rejected", notify: [{ to: "initiator", template: "done-rejected" }] },
};

/** A one-node approval workflow. */
export function approvalWorkflow(node: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return workflow({ step: { type: "approval", onApprove: "approved", onReject: "rejected", ...node }, ...ENDS }, extra);
}

/** A test rig: an engine on a virtual clock with in-memory ports. */
export interface Rig {
  engine: Engine;
  clock: VirtualClock;
  notifier: MemoryNotifier;
  storage: MemoryStorage;
  ids: () => string;
}

/** Options of {@link rig}. */
export interface RigOptions {
  definitions: readonly unknown[];
  start?: string | undefined;
  directory?: StaticDirectoryData | undefined;
  handlers?: Record<string, TaskHandler> | undefined;
  storage?: MemoryStorage | undefined;
  notifier?: (MemoryNotifier & Notifier) | undefined;
  clock?: VirtualClock | undefined;
  ids?: (() => string) | undefined;
  retry?: EngineOptions["retry"];
  maxConflictRetries?: number | undefined;
}

/** Build an engine on a virtual clock (default start Thursday 2026-03-05 09:00 Shanghai, a normal working day). */
export function rig(options: RigOptions): Rig {
  const clock = options.clock ?? createVirtualClock(options.start ?? "2026-03-05T09:00:00+08:00");
  const notifier = options.notifier ?? createMemoryNotifier();
  const storage = options.storage ?? createMemoryStorage();
  const ids = options.ids ?? counter();
  const engine = createEngine({
    definitions: options.definitions,
    clock,
    notifier,
    storage,
    newId: ids,
    directory: createStaticDirectory(options.directory ?? { roles: ROLES, managers: MANAGERS }),
    ...(options.handlers ? { handlers: options.handlers } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.maxConflictRetries !== undefined ? { maxConflictRetries: options.maxConflictRetries } : {}),
  });
  return { engine, clock, notifier, storage, ids };
}

/** Shanghai local time of epoch ms, e.g. `2026-02-14T10:00:00+08:00`. */
export function cst(ms: number): string {
  return isoWithOffset(ms, 480);
}

/** Notifications as `time template -> recipients` lines, time in Shanghai. */
export function sentLines(sent: readonly Notification[]): string[] {
  return sent.map((n) => `${cst(n.at)} ${n.template} -> ${[...n.recipients].join(",")}`);
}

/**
 * Send an event that must be refused: expect ActionNotAllowedError and no
 * change at all (version, stored state, audit, outbox). The event may be
 * malformed on purpose, as JSON from outside can be.
 */
export async function expectRefused(r: Rig, instanceId: string, event: object, reason?: RegExp): Promise<void> {
  await r.engine.settle();
  const before = r.storage.snapshot();
  const sent = r.notifier.sent.length;
  let error: unknown;
  try {
    await r.engine.send(instanceId, event as InstanceEvent);
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${JSON.stringify(event)} to be refused`).toBeDefined();
  expect(isRuleflowError(error) && error.code).toBe("NOT_ALLOWED");
  if (reason) expect((error as Error).message).toMatch(reason);
  await r.engine.settle();
  expect(r.storage.snapshot()).toEqual(before);
  expect(r.notifier.sent.length).toBe(sent);
}

/** The seed definitions (customer qualification and its rule set), read from packages/examples. */
export function seedDefinitions(): Record<string, unknown>[] {
  const dir = fileURLToPath(new URL("../../examples/definitions/", import.meta.url));
  return ["customer-qualification.workflow.json", "contract-auto-approval.ruleset.json"].map((f) => JSON.parse(readFileSync(dir + f, "utf8")) as Record<string, unknown>);
}

/** Approver statuses of an approval node of a view, as `user:status`. */
export function slots(view: { approvals: Record<string, { approvers: { user: string; status: string }[] }> }, node = "step"): string[] {
  return view.approvals[node]!.approvers.map((a) => `${a.user}:${a.status}`);
}
