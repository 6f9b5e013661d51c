/**
 * `@ruleflow/engine/workflow`: what a host needs to run workflows beyond
 * `createEngine` and the in-memory defaults (which are in the root entry):
 * the workflow, scenario and schedule schemas, notification templates, the
 * storable-text checks every store applies, and every port, record and
 * event type an adapter implements or reads.
 *
 * @example
 * ```ts
 * import { compileTemplate } from "@ruleflow/engine/workflow";
 * import type { Notifier, Notification } from "@ruleflow/engine/workflow";
 *
 * const subject = compileTemplate("{{data.node}} is waiting for {{recipients}}");
 * const notifier: Notifier = {
 *   async send(n: Notification) {
 *     console.log(subject(n));
 *   },
 * };
 * ```
 *
 * @packageDocumentation
 */

// Definitions
export { workflowSchema } from "../schema/workflow.js";
export type { WorkflowDefinition, WorkflowDocument, WorkflowNode, EscalationStep, NotifySpec } from "../schema/workflow.js";
export type { CompiledWorkflow } from "../workflow/compile.js";
export { scenarioSchema } from "../schema/scenario.js";
export type { ScenarioDefinition, ScenarioDocument, ScenarioStep } from "../schema/scenario.js";
export type { CompiledScenario } from "../definitions.js";
export type { ScenarioReport } from "../simulation/run-scenario.js";
export { scheduleSpecSchema } from "../schema/schedule.js";
export type { ScheduleSpec, ScheduleSpecDefinition } from "../schema/schedule.js";

// Notification templates
export { compileTemplate, renderTemplate, escapeHtml } from "../runtime/template.js";
export type { CompiledTemplate, TemplateOptions } from "../runtime/template.js";

// Checks every store applies: text it can keep, and the version a write expects
export { assertStorableText, unstorableText, toStorableText } from "../storable-text.js";
export { assertExpectedVersion } from "../core/expected-version.js";

// Dead letters: what a notifier keeps of the notifications the engine gave up on
export { createDeadLetterBox } from "../runtime/dead-letter.js";
export type { DeadLetter, DeadLetterBox, DeadLetterBoxOptions, DeadLetterOptions } from "../runtime/dead-letter.js";

// The engine, its ports and records
export type { Engine, EngineOptions, EngineEvent, StartOptions, InstanceEvent, DomainEvent } from "../runtime/engine.js";
export type {
  InstanceEventType,
  ApproveEvent,
  RejectEvent,
  DelegateEvent,
  TransferEvent,
  AddSignerEvent,
  RemoveSignerEvent,
  WithdrawEvent,
  ResubmitEvent,
  RemindEvent,
  CcEvent,
  SignerPosition,
} from "../runtime/engine.js";
export type { InstanceView } from "../runtime/records.js";
export type { ScheduleView } from "../runtime/schedules.js";
export type {
  Storage,
  Scheduler,
  SchedulerContext,
  Notifier,
  Notification,
  DeliveryFailure,
  Clock,
  Directory,
  StoredInstance,
  InstanceStatus,
  InstanceQuery,
  TimerRecord,
  OutboxEntry,
  OutboxKind,
  AuditRecord,
  Commit,
  ScheduleRecord,
} from "../runtime/ports.js";
export type { MemoryStorage, MemoryStorageData } from "../runtime/memory-storage.js";
export type { MemoryNotifier, StaticDirectoryData } from "../runtime/defaults.js";
export type { TaskHandler, TaskContext, RetryPolicy } from "../runtime/dispatcher.js";
