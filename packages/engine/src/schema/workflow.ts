/** Schema of workflow definitions: approval chains, decisions, branches, tasks, waits. */
import { z } from "zod";
import { parseDuration } from "../core/duration.js";
import { baseFields, definitionTimeFields, expressionSchema, idSchema } from "./common.js";
import { conditionSchema } from "./condition.js";
import { outputValueSchema } from "./ruleset.js";
import { scheduleSpecSchema } from "./schedule.js";
import { workflowDocumentIssues } from "./workflow-checks.js";

function reportDocumentIssues(doc: unknown, ctx: z.RefinementCtx): void {
  for (const issue of workflowDocumentIssues(doc)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, params: { code: issue.code, messageKey: issue.messageKey, messageParams: issue.params } });
}

const nodeId = z
  .string()
  .regex(/^[A-Za-z][\w-]{0,63}$/, { error: "expected a node id of letters, digits, '_' or '-', starting with a letter" });

/** An ISO-8601 duration such as `PT3H` or `P2D`. */
export const durationSchema = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, { error: "expected an ISO-8601 duration such as PT3H, P2D or P1DT4H" });

/**
 * Who: `user:li`, `role:compliance`, `manager-of:initiator`, `initiator`, or
 * `{ "expr": "..." }` returning user ids.
 */
const assigneeSchema = z.union([
  z.string().min(1).regex(/^[^\s]+$/, { error: "expected an assignee such as user:li, role:compliance or manager-of:initiator" }),
  z.strictObject({ expr: expressionSchema }),
]);

/**
 * A recipient: `initiator`, `assignees`, `user:x`, `role:y`, `manager-of:initiator`,
 * or `{ "expr": "..." }` computing user ids or such specs from the instance data.
 */
const recipientSchema = z.union([
  z.string().min(1),
  z.strictObject({ expr: expressionSchema }).meta({ description: 'user ids or specs from the instance data, e.g. opportunity.owner, or "manager-of:" + opportunity.owner' }),
]);

/** One message to send. */
const notifySpecSchema = z.strictObject({
  to: recipientSchema.meta({ description: 'initiator, assignees, user:x, role:y, manager-of:initiator, or { "expr": ... } from the instance data' }),
  template: z.string().min(1),
  channel: z.string().optional(),
});

/** One step of an escalation ladder; each `after` counts from the previous step (the first from entering the node). */
const escalationStepSchema = z.strictObject({
  after: durationSchema,
  business: z.boolean().default(false).meta({ description: "count business time on the workflow's calendar" }),
  action: z.enum(["remind", "escalate", "reassign", "auto-approve", "auto-reject", "notify"]),
  to: recipientSchema.optional().meta({ description: 'target of escalate / reassign / notify (a spec, or { "expr": ... } from the instance data)' }),
  for: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .meta({ description: 'escalate / reassign: the seats covered, by the assignee spec or user that filled them (e.g. "role:compliance"); default: every seat still pending when the step fires' }),
  repeat: z.int().min(0).max(100).default(0).meta({ description: "remind: how many more times, each `after` apart" }),
  template: z.string().optional(),
});

const common = {
  name: z.string().optional(),
  description: z.string().optional(),
};

const approvalNode = z.strictObject({
  type: z.literal("approval"),
  ...common,
  mode: z.enum(["sequential", "all", "any", "vote"]).default("sequential"),
  assignees: z.array(assigneeSchema),
  vote: z
    .strictObject({
      weights: z.record(z.string(), z.number().positive()).optional(),
      threshold: z.number().positive().meta({ description: "weight needed to pass; below 1 it is a share of the total weight" }),
    })
    .optional(),
  selfApproval: z.enum(["auto-pass", "require"]).default("require").meta({ description: "an approver who is the initiator" }),
  repeatApproval: z.enum(["auto-pass", "require"]).default("require").meta({ description: "an approver who already approved earlier in this instance" }),
  fallback: z
    .union([z.enum(["auto-approve", "auto-reject", "fail"]), z.strictObject({ assignees: z.array(assigneeSchema).min(1) })])
    .default("fail")
    .meta({ description: "when no assignee resolves to anyone" }),
  escalation: z.array(escalationStepSchema).optional(),
  onApprove: nodeId,
  onReject: nodeId,
  notify: z.array(notifySpecSchema).optional().meta({ description: "sent when the node is entered (default: the pending approvers get approval-requested)" }),
});

const decisionNode = z.strictObject({
  type: z.literal("decision"),
  ...common,
  ruleset: idSchema.optional(),
  table: idSchema.optional(),
  output: z.string().default("decision").meta({ description: "the output field whose value picks the route" }),
  routes: z.record(z.string(), nodeId),
  default: nodeId.optional(),
});

const branchNode = z.strictObject({
  type: z.literal("branch"),
  ...common,
  mode: z.enum(["exclusive", "parallel", "inclusive"]).default("exclusive"),
  branches: z.array(z.strictObject({ when: conditionSchema.optional(), to: nodeId })).min(1),
  default: nodeId.optional(),
  join: nodeId.optional().meta({ description: "parallel / inclusive: the join node where the branches meet" }),
});

const joinNode = z.strictObject({ type: z.literal("join"), ...common, next: nodeId });

const taskNode = z.strictObject({
  type: z.literal("task"),
  ...common,
  handler: z.string().min(1),
  input: z.record(z.string(), outputValueSchema).optional(),
  retries: z.strictObject({ max: z.int().min(0).max(50), backoff: durationSchema.default("PT1M") }).optional(),
  timeout: durationSchema.optional(),
  escalation: z.array(escalationStepSchema).optional(),
  assignee: z.string().optional().meta({ description: "who is responsible (escalations remind them)" }),
  next: nodeId,
  onError: nodeId.optional(),
});

const waitNode = z.strictObject({
  type: z.literal("wait"),
  ...common,
  event: z.string().min(1).optional().meta({ description: "a named domain event, e.g. contract.signed" }),
  match: expressionSchema.optional().meta({ description: "with event: must be true for the event (event.* and the instance facts)" }),
  after: durationSchema.optional().meta({ description: "wait this long (or, with event, time out after it)" }),
  business: z.boolean().default(false),
  until: expressionSchema.optional().meta({ description: "an ISO-8601 time to wait until" }),
  escalation: z.array(escalationStepSchema).optional(),
  next: nodeId,
  onTimeout: nodeId.optional(),
});

const notifyNode = z.strictObject({ type: z.literal("notify"), ...common, notify: z.array(notifySpecSchema).min(1), next: nodeId });

const endNode = z.strictObject({
  type: z.literal("end"),
  ...common,
  outcome: z.string().min(1),
  notify: z.array(notifySpecSchema).optional(),
});

/** Any workflow node, discriminated by `type`. */
const workflowNodeSchema = z.discriminatedUnion("type", [
  approvalNode,
  decisionNode,
  branchNode,
  joinNode,
  taskNode,
  waitNode,
  notifyNode,
  endNode,
]);

/** A trigger: start this workflow when a domain event happens (`on`) or on a schedule (`schedule`, see docs/schedules.md). */
const triggerSchema = z.strictObject({
  on: z.string().min(1).optional().meta({ description: "the domain event type; a trigger has either on or schedule" }),
  schedule: scheduleSpecSchema.optional(),
  when: conditionSchema.optional().meta({ description: "only for events whose facts (event.*) match" }),
  input: z.record(z.string(), outputValueSchema).optional().meta({ description: "the instance input; default: the event data (schedules: { schedule })" }),
  initiator: z
    .union([z.string().min(1), z.strictObject({ expr: expressionSchema })])
    .default("system")
    .meta({ description: 'who starts the instance: a user id, or { "expr": "event.data.opportunity.owner" } from the event' }),
});

/** zod schema of a workflow document. */
export const workflowSchema = z
  .strictObject({
    kind: z.literal("workflow"),
    ...baseFields,
    calendar: z.string().optional().meta({ description: "calendar id for business-time durations; a built-in calendar's zone also reads dates without an offset unless timeZone is set" }),
    timeZone: definitionTimeFields.timeZone,
    start: nodeId,
    nodes: z.record(nodeId, workflowNodeSchema),
    triggers: z.array(triggerSchema).optional(),
  })
  // Meaning checks run even when a field is malformed, so a bad duration does not hide a misspelled route.
  .check(z.superRefine(reportDocumentIssues, { when: () => true }))
  .meta({ id: "Workflow", title: "Ruleflow workflow" });

/** A workflow document as written. */
export type WorkflowDefinition = z.input<typeof workflowSchema>;
/** A workflow document after validation. */
export type WorkflowDocument = z.output<typeof workflowSchema>;
/** One node after validation. */
export type WorkflowNode = z.output<typeof workflowNodeSchema>;
/** One escalation step after validation. */
export type EscalationStep = z.output<typeof escalationStepSchema>;
/** One notification spec. */
export type NotifySpec = z.output<typeof notifySpecSchema>;
