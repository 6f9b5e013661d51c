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

/** One step of a scenario. */
const scenarioStepSchema = z.union([startStep, advanceStep, advanceToStep, sendStep, emitStep, expectStep], {
  error: 'expected a step: { "start" }, { "advance" }, { "advanceTo" }, { "send" }, { "emit" } or { "expect" }',
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
