/**
 * What the engine announces on `events$`, and how records become those
 * announcements: a committed transition (instance started, transitioned,
 * warned, finished) and a delivery the dispatcher reports (notification sent
 * or failed, task started or settled). Pure mappings; the engine publishes.
 */
import type { RecordedEvent } from "../workflow/events.js";
import type { DispatchEvent } from "./dispatcher.js";
import type { AuditRecord, StoredInstance } from "./ports.js";
import type { EvaluationWarning } from "../core/context.js";

/** Everything that happens inside the engine, for hosts to observe. */
export type EngineEvent =
  | { type: "instance.started"; instanceId: string; definitionId: string; at: number }
  | { type: "instance.transitioned"; instanceId: string; event: string; actor: string; from: unknown; to: unknown; version: number; at: number }
  | { type: "instance.finished"; instanceId: string; status: string; outcome?: string | undefined; at: number }
  // comparisons of one transition that met a missing or null value (also in its audit record's `event.warnings`; docs/workflows.md)
  | { type: "instance.warning"; instanceId: string; version: number; warnings: EvaluationWarning[]; at: number }
  | { type: "timer.fired"; instanceId: string; key: string; timerId: string; at: number }
  | { type: "notification.sent"; instanceId: string; template: string; to: string; at: number }
  | { type: "notification.failed"; instanceId: string; template: string; error: string; willRetry: boolean; at: number }
  | { type: "task.started" | "task.settled"; instanceId: string; node: string; ok?: boolean | undefined; at: number }
  | { type: "error"; instanceId?: string | undefined; error: string; at: number }
  // scheduled triggers (docs/schedules.md): an occurrence started, or a schedule could not start / compute its next occurrence
  | { type: "schedule.fired"; scheduleId: string; occurrence: number; instanceId: string; at: number }
  | { type: "schedule.failed"; scheduleId: string; occurrence?: number | undefined; error: string; at: number };

/** A domain event such as `contract.signed`, published with `engine.emit`. */
export interface DomainEvent {
  type: string;
  data?: Record<string, unknown> | undefined;
  /**
   * The event's own id. When given, emitting the same event again does not
   * start its triggered workflows a second time (the instance id is derived
   * from it, so the duplicate start is refused by storage).
   */
  id?: string | undefined;
}

/**
 * The announcements of one committed transition, in order: started or
 * transitioned, then its warnings, then finished when it ended the instance.
 *
 * @param before - the instance as loaded; `undefined` for a start
 * @param after - the instance as committed
 * @param audit - the transition's audit record (who acted, the warnings met)
 * @param event - the event applied (or the start)
 */
export function transitionEvents(before: StoredInstance | undefined, after: StoredInstance, audit: AuditRecord, event: RecordedEvent): EngineEvent[] {
  const at = event.at;
  const out: EngineEvent[] = [
    before
      ? { type: "instance.transitioned", instanceId: after.id, event: event.type, actor: audit.actor, from: before.state.value, to: after.state.value, version: after.version, at }
      : { type: "instance.started", instanceId: after.id, definitionId: after.definitionId, at },
  ];
  const warnings = audit.event["warnings"] as EvaluationWarning[] | undefined;
  if (warnings?.length) out.push({ type: "instance.warning", instanceId: after.id, version: after.version, warnings, at });
  if (after.status !== "running" && (!before || before.status === "running")) {
    out.push({ type: "instance.finished", instanceId: after.id, status: after.status, outcome: after.outcome, at });
  }
  return out;
}

/** The announcement of a delivery the dispatcher reports, at `at`. */
export function deliveryEvent(e: DispatchEvent, at: number): EngineEvent {
  if (e.type === "outbox.failed") return { type: "error", error: `the outbox could not be read or updated (${e.error}); nothing is lost, delivery is tried again at ${new Date(e.retryAt).toISOString()}`, at };
  const p = e.entry.payload as { template?: string; to?: string; node?: string };
  const instanceId = e.entry.instanceId;
  switch (e.type) {
    case "notification.sent":
      return { type: e.type, instanceId, template: String(p.template), to: String(p.to), at };
    case "notification.failed":
      return { type: e.type, instanceId, template: String(p.template), error: e.error, willRetry: e.willRetry, at };
    case "task.started":
      return { type: e.type, instanceId, node: String(p.node), at };
    case "task.settled":
      return { type: e.type, instanceId, node: String(p.node), ok: e.ok, at };
  }
}
