/** Schema of scenario documents: simulations on a virtual clock. */
import { z } from "zod";
import { dateTimeSchema, idSchema } from "./common.js";
import { durationSchema } from "./workflow.js";

const startStep = z.strictObject({
  start: idSchema.meta({ description: "workflow id" }),
  as: z.string().regex(/^[A-Za-z][\w-]*$/, { error: "expected an alias of letters, digits, '_' or '-'" }),
  input: z.record(z.string(), z.json()).optional(),
  initiator: z.string().optional(),
});
const advanceStep = z.strictObject({
  advance: durationSchema,
  business: z.boolean().default(false).meta({ description: "count business time on the scenario's calendar" }),
});
const advanceToStep = z.strictObject({ advanceTo: dateTimeSchema });
const sendStep = z.strictObject({
  send: z.string(),
  event: z.looseObject({ type: z.string().min(1) }),
  expectError: z.union([z.boolean(), z.string()]).optional().meta({ description: "the event must be refused (optionally: with a message containing this text)" }),
});
const emitStep = z.strictObject({ emit: z.strictObject({ type: z.string().min(1), data: z.record(z.string(), z.json()).optional() }) });
const expectStep = z.strictObject({
  expect: z.union([
    z.strictObject({
      instance: z.string(),
      state: z.json().optional(),
      status: z.enum(["running", "completed", "withdrawn", "cancelled", "failed"]).optional(),
      outcome: z.string().optional(),
      assignees: z.array(z.string()).optional(),
    }),
    z.strictObject({
      started: z
        .strictObject({ workflow: z.string().optional(), count: z.int().min(0) })
        .meta({ description: "how many instances (of a workflow) exist: started by steps, events or schedules" }),
    }),
    z.strictObject({
      notifications: z.strictObject({
        to: z.string().optional(),
        recipient: z.string().optional(),
        template: z.string().optional(),
        instance: z.string().optional(),
        count: z.int().min(0),
      }),
    }),
  ]),
});

const factsSchema = z.record(z.string(), z.json());
const expectation = z.json().optional().meta({ description: "a subset of the step's result that must match it (objects: the fields given; arrays: same length, item by item)" });
/** Order lines or events: inline, or a file (JSON Lines, JSON or CSV) relative to the scenario. */
const recordsSchema = z.union([z.string().min(1), z.array(factsSchema)]);

const evaluateStep = z.strictObject({
  evaluate: idSchema.meta({ description: "a rule set, decision table, promotion, rebate or rollout id, evaluated at the virtual time" }),
  facts: factsSchema.default({}),
  expect: expectation,
});
const claimStep = z.strictObject({
  claim: idSchema.meta({ description: "a promotion id: claim it at the virtual time against the scenario's claim store" }),
  facts: factsSchema.default({}),
  key: z.string().min(1).optional().meta({ description: 'the idempotency key (default: "step-<index>"); release names it' }),
  expect: expectation,
});
const releaseStep = z.strictObject({
  release: z.string().min(1).meta({ description: "the key of an earlier claim: give back what it took" }),
  reason: z.string().optional(),
  expect: expectation,
});
const settleStep = z.strictObject({
  settle: idSchema.meta({ description: "a rebate program id: settle it at the virtual time (every loaded version)" }),
  period: z.string().min(1).meta({ description: "the period: 2026-02, 2026-Q1 or 2026, as the program settles" }),
  lines: recordsSchema.meta({ description: "order lines: an array of facts, or a file relative to the scenario" }),
  priorBasis: z.record(z.string(), z.string()).optional(),
  expect: expectation,
});
const unitGenerator = z.strictObject({
  count: z.int().min(1).max(100000),
  from: z.int().min(0).default(1),
  pad: z.int().min(0).max(12).default(4).meta({ description: "zero-pad {n} to this many digits" }),
  facts: factsSchema.meta({ description: "facts of each unit; {n} in any string is replaced by the unit's number" }),
});
const assignStep = z.strictObject({
  assign: idSchema.meta({ description: "a rollout id: assign units through the rollout controller at the virtual time" }),
  facts: factsSchema.optional().meta({ description: "one unit: the step's result is the assignment" }),
  units: z.array(factsSchema).optional().meta({ description: "several units: the step's result counts them" }),
  generate: z.array(unitGenerator).optional().meta({ description: "several numbered units, after `units`" }),
  expect: expectation,
});
const reportStep = z.strictObject({
  report: idSchema.meta({ description: "a rollout id: its experiment report over the exposures of assign steps and `events`" }),
  events: recordsSchema.default([]).meta({ description: "metric (and exposure) events: an array, or a JSON Lines file relative to the scenario" }),
  expect: expectation,
});

/** One step of a scenario. */
const scenarioStepSchema = z.union([startStep, advanceStep, advanceToStep, sendStep, emitStep, expectStep, evaluateStep, claimStep, releaseStep, settleStep, assignStep, reportStep], {
  error:
    'expected a step: { "start" }, { "advance" }, { "advanceTo" }, { "send" }, { "emit" }, { "expect" }, { "evaluate" }, { "claim" }, { "release" }, { "settle" }, { "assign" } or { "report" }',
});

/** A simulated task handler: return a result, or fail the first `failTimes` calls of each instance. */
const simulatedHandlerSchema = z.strictObject({
  result: z.json().optional(),
  failTimes: z.int().min(0).default(0),
  error: z.string().default("simulated failure"),
});

/** zod schema of a scenario document. */
export const scenarioSchema = z
  .strictObject({
    kind: z.literal("scenario"),
    $schema: z.string().optional(),
    id: idSchema,
    version: z.int().min(1).default(1),
    name: z.string().optional(),
    description: z.string().optional(),
    start: dateTimeSchema.meta({ description: "virtual clock start" }),
    calendar: z.string().optional().meta({ description: "calendar for business-time advances (default: the first workflow's)" }),
    definitions: z.array(z.string()).default([]).meta({ description: "definition files, relative to the scenario file" }),
    directory: z
      .strictObject({
        roles: z.record(z.string(), z.array(z.string())).optional(),
        managers: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    handlers: z.record(z.string(), simulatedHandlerSchema).optional(),
    steps: z.array(scenarioStepSchema).min(1),
  })
  .meta({ id: "Scenario", title: "Ruleflow scenario" });

/** A scenario document as written. */
export type ScenarioDefinition = z.input<typeof scenarioSchema>;
/** A scenario document after validation. */
export type ScenarioDocument = z.output<typeof scenarioSchema>;
/** One validated step. */
export type ScenarioStep = z.output<typeof scenarioStepSchema>;
/** Steps that drive the business domains (rules, promotions, rebates, rollouts) rather than workflows. */
export type BusinessStep = z.output<typeof evaluateStep | typeof claimStep | typeof releaseStep | typeof settleStep | typeof assignStep | typeof reportStep>;
