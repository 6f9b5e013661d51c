/** Schema of scenario documents: simulations on a virtual clock. */
import { z } from "zod";
import { dateTimeSchema, idSchema } from "./common.js";
import { durationSchema } from "./workflow.js";
import { parseDuration } from "../core/duration.js";
import { parseLocalDate } from "../core/local-date.js";
import { catalogueIssue } from "../i18n/issues.js";
import { scenarioMessages } from "../i18n/messages/scenario.js";

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
      summary: z
        .json()
        .meta({ description: "a subset of the bulk-simulation summary so far (the report's summary) that must match it (objects: the fields given; arrays: same length, item by item)" }),
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


// --- bulk simulation: the `generate` step -------------------------------------------------

type ScenarioMessageKey = keyof typeof scenarioMessages.messages.en;

/** Report a meaning problem with a scenario catalogue message (so it reads in every locale). */
function addScenarioIssue(ctx: z.RefinementCtx, key: ScenarioMessageKey, params: Record<string, string>, path: (string | number)[] = []): void {
  const issue = catalogueIssue(scenarioMessages, key, [], params, "invalid_value");
  ctx.addIssue({ code: "custom", path, message: issue.message, params: { code: issue.code, messageKey: issue.messageKey, messageParams: issue.params } });
}

/** Milliseconds of a duration of weeks, days, hours, minutes and seconds (a day is 24 hours); undefined for years or months. @internal */
export function fixedDurationMs(text: string): number | undefined {
  const d = parseDuration(text);
  if (!d || d.years || d.months) return undefined;
  return ((((d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds) * 1000;
}

/** A duration that is an amount of time: no years or months. */
const fixedDuration = durationSchema.superRefine((s, ctx) => {
  if (parseDuration(s) !== undefined && fixedDurationMs(s) === undefined) addScenarioIssue(ctx, "fixedDuration", { duration: s });
});

/** A local date `YYYY-MM-DD` in the generator's time zone. */
const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date "YYYY-MM-DD", such as "2026-10-01"', abort: true })
  .refine((s) => parseLocalDate(s) !== undefined, { error: (issue) => `${String(issue.input)} is not a real date` });

const finite = z.number();
const clamp = <T extends z.ZodType>(param: T) => ({ min: param.optional().meta({ description: "draws below are raised to this" }), max: param.optional().meta({ description: "draws above are lowered to this" }) });

/**
 * Distributions to draw a number (or, with durations as parameters, a delay)
 * from. Each variant names its `distribution`; `min` and `max` clamp a draw.
 */
function distributionVariants<T extends z.ZodType, E extends z.ZodRawShape>(param: T, extra: E) {
  return [
    z.strictObject({ distribution: z.literal("constant"), value: param, ...extra }),
    z.strictObject({ distribution: z.literal("uniform"), min: param, max: param, ...extra }),
    z.strictObject({ distribution: z.literal("triangular"), min: param, mode: param, max: param, ...extra }),
    z.strictObject({ distribution: z.literal("normal"), mean: param, sd: param, ...clamp(param), ...extra }),
    z.strictObject({
      distribution: z.literal("lognormal"),
      median: param,
      sigma: z.number().positive().max(10).optional().meta({ description: "the spread: standard deviation of the logarithm (give sigma or p90)" }),
      p90: param.optional().meta({ description: "the 90th percentile, instead of sigma" }),
      ...clamp(param),
      ...extra,
    }),
    z.strictObject({ distribution: z.literal("exponential"), mean: param, ...clamp(param), ...extra }),
  ] as const;
}

type DistributionShape = { distribution: string; value?: unknown; min?: unknown; max?: unknown; mode?: unknown; mean?: unknown; sd?: unknown; median?: unknown; sigma?: number | undefined; p90?: unknown };

/** Meaning checks of a distribution, with its parameters read as numbers. */
function checkDistribution(d: DistributionShape, toNumber: (v: unknown) => number | undefined, ctx: z.RefinementCtx): void {
  const n = (k: keyof DistributionShape): number | undefined => (d[k] === undefined ? undefined : toNumber(d[k]));
  const [min, max] = [n("min"), n("max")];
  if (min !== undefined && max !== undefined && min > max) addScenarioIssue(ctx, "minAfterMax", { min: String(d.min), max: String(d.max) }, ["max"]);
  if (d.distribution === "triangular") {
    const mode = n("mode")!;
    if ((min !== undefined && mode < min) || (max !== undefined && mode > max)) addScenarioIssue(ctx, "modeOutside", { mode: String(d.mode) }, ["mode"]);
  }
  if (d.distribution === "normal" && n("sd")! < 0) addScenarioIssue(ctx, "negativeSpread", {}, ["sd"]);
  if (d.distribution === "lognormal") {
    if (!(n("median")! > 0)) addScenarioIssue(ctx, "positiveMedian", {}, ["median"]);
    if ((d.sigma === undefined) === (d.p90 === undefined)) addScenarioIssue(ctx, "sigmaOrP90", {}, []);
    else if (d.p90 !== undefined && !(n("p90")! > n("median")!)) addScenarioIssue(ctx, "p90AboveMedian", {}, ["p90"]);
  }
  if (d.distribution === "exponential" && !(n("mean")! > 0)) addScenarioIssue(ctx, "positiveMean", {}, ["mean"]);
}

const asNumber = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const asDurationMs = (v: unknown): number | undefined => (typeof v === "string" ? fixedDurationMs(v) : undefined);

/** A number drawn from a distribution, rounded to `round` decimals (an input field). */
const numberFieldDistribution = z
  .union([...distributionVariants(finite, { round: z.int().min(0).max(10).optional().meta({ description: "round each draw to this many decimals" }) })])
  .superRefine((d, ctx) => checkDistribution(d, asNumber, ctx))
  .meta({ id: "FieldDistribution", description: "a number drawn for each instance" });

/** A count per period: a whole number, or a distribution (drawn, then rounded to a whole number >= 0). */
const countDistribution = z
  // poisson first: of the variants that take only a mean, it is the one a count most likely means
  .union([z.strictObject({ distribution: z.literal("poisson"), mean: z.number().min(0).max(100000) }), ...distributionVariants(finite, {})])
  .superRefine((d, ctx) => checkDistribution(d, asNumber, ctx))
  .meta({ id: "CountDistribution", description: "instances per period, drawn and rounded to a whole number >= 0" });

/** A delay drawn from a distribution whose parameters are durations (`PT4H`). */
const delayDistribution = z
  .union([...distributionVariants(fixedDuration, {})])
  .superRefine((d, ctx) => checkDistribution(d, asDurationMs, ctx))
  .meta({ id: "DelayDistribution", description: "a delay drawn from a distribution whose parameters are durations such as PT4H" });

/** One of several values, with weights: `{ "A": 0.5, "B": 0.3 }` (string values) or `[{ "value", "weight" }]`. */
const choiceSchema = z
  .strictObject({
    choice: z.union([
      z.record(z.string(), z.number().min(0)),
      z.array(z.strictObject({ value: z.json(), weight: z.number().min(0) })).min(1),
    ]),
  })
  .superRefine((c, ctx) => {
    const weights = Array.isArray(c.choice) ? c.choice.map((o) => o.weight) : Object.values(c.choice);
    if (!(weights.reduce((a, b) => a + b, 0) > 0)) addScenarioIssue(ctx, "choiceWeights", {}, ["choice"]);
  })
  .meta({ id: "Choice", description: 'one of several values with weights: { "A": 0.5, "B": 0.3 } or [{ "value": ..., "weight": ... }]' });

/** How one input field is made for each generated instance. */
const fieldSpecSchema = z.union([
  numberFieldDistribution,
  choiceSchema,
  z.strictObject({ value: z.json().meta({ description: "the same value for every instance" }) }),
  z.strictObject({
    template: z.string().meta({ description: "text in which {n} becomes the instance's number in its generator" }),
    pad: z.int().min(0).max(12).default(4).meta({ description: "zero-pad {n} to this many digits" }),
  }),
]);

const RESERVED = new Set(["__proto__", "constructor", "prototype"]);
const FACT_PATH = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;

/** Fields by fact path; each key is checked here, so its problem is reported at the key with a message of its own. */
const fieldsSchema = z.record(z.string(), fieldSpecSchema).superRefine((fields, ctx) => {
  for (const key of Object.keys(fields)) {
    if (!FACT_PATH.test(key)) ctx.addIssue({ code: "custom", path: [key], message: "expected a fact path such as order.amount", input: key });
    else if (key.split(".").some((k) => RESERVED.has(k))) ctx.addIssue({ code: "custom", path: [key], message: '"__proto__", "constructor" and "prototype" cannot be used as names', input: key });
  }
});

/** Where the inputs of generated instances come from. */
const inputsSchema = z
  .strictObject({
    file: z.string().min(1).optional().meta({ description: "records (JSON Lines, or a JSON array) relative to the scenario, one per instance" }),
    records: z.array(z.record(z.string(), z.json())).min(1).optional().meta({ description: "records inline, one per instance" }),
    order: z.enum(["cycle", "random"]).default("cycle").meta({ description: "cycle: records in order, then again; random: a record drawn for each instance" }),
    base: z.record(z.string(), z.json()).optional().meta({ description: "input every instance starts from (a record, then fields, go on top)" }),
    fields: fieldsSchema
      .optional()
      .meta({ description: 'fields drawn for each instance, by fact path: { "contract.amount": { "distribution": "lognormal", ... } }' }),
  })
  .superRefine((i, ctx) => {
    if (i.file !== undefined && i.records !== undefined) addScenarioIssue(ctx, "fileOrRecords", {}, ["records"]);
  });

/** What simulated people do when a request waits for them. */
const actorSchema = z
  .strictObject({
    node: z.string().min(1).optional().meta({ description: "only at this node (default: every approval node)" }),
    who: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "only these approvers: a seat spec (role:compliance), a role the user has in the scenario's directory, or a user id (default: everyone)" }),
    approve: z.number().min(0).max(1).default(0).meta({ description: "probability of approving" }),
    reject: z.number().min(0).max(1).default(0).meta({ description: "probability of rejecting; otherwise nobody acts and escalations fire" }),
    after: z
      .union([fixedDuration, delayDistribution])
      .default("PT0S")
      .meta({ description: "how long after they can act they do: a duration or a distribution of durations" }),
    business: z.boolean().optional().meta({ description: "count `after` in working time (default: true when the generator has a calendar)" }),
    comment: z.string().optional(),
  })
  .superRefine((a, ctx) => {
    if (a.approve + a.reject > 1 + 1e-9) addScenarioIssue(ctx, "probabilities", { approve: String(a.approve), reject: String(a.reject) }, ["reject"]);
  });

/** Service levels: a node visit or an instance that takes longer breaches. */
const slaSchema = z.strictObject({
  nodes: z.record(z.string(), fixedDuration).optional().meta({ description: "time to decision allowed per node" }),
  instance: fixedDuration.optional().meta({ description: "time from start to finish allowed per instance" }),
  business: z.boolean().optional().meta({ description: "count in business time (default: true when a calendar applies)" }),
});

/** One generator: instances started per period over a window of dates. */
const generatorSchema = z
  .strictObject({
    workflow: idSchema.meta({ description: "the workflow to start" }),
    as: z
      .string()
      .regex(/^[A-Za-z][\w-]*$/, { error: "expected an alias of letters, digits, '_' or '-'" })
      .optional()
      .meta({ description: "prefix of the instance ids: <as>-1, <as>-2... (default: the workflow id)" }),
    per: z.enum(["working-day", "day", "hour"]).meta({ description: "the period each count is for: working days of the calendar, days, or hours" }),
    count: z
      // number & whole number: an object fails both, so a misspelt distribution is reported in the distribution's terms
      .union([z.intersection(z.number(), z.int().min(0).max(100000)), countDistribution])
      .meta({ description: "instances started per period: a number, or a distribution such as { distribution: poisson, mean: 28 }" }),
    from: localDate.meta({ description: "first date (in the calendar's time zone, else UTC)" }),
    until: localDate.meta({ description: "last date, included" }),
    calendar: z.string().optional().meta({ description: "calendar for working days and business time (default: the scenario's, else the workflow's)" }),
    inputs: inputsSchema.optional(),
    initiator: z.union([z.string().min(1), choiceSchema]).default("user:initiator").meta({ description: "who starts each instance: a user id, or a choice" }),
    actors: z.array(actorSchema).default([]).meta({ description: "behaviours, first match wins; an approver no behaviour matches never acts" }),
    sla: slaSchema.optional(),
    seed: z.int().default(0).meta({ description: "the same seed gives the same run, byte for byte" }),
    drain: fixedDuration.default("P30D").meta({ description: "after the last date, let running instances go on for at most this long (PT0S: stop at once)" }),
  })
  .superRefine((g, ctx) => {
    const from = parseLocalDate(g.from);
    const until = parseLocalDate(g.until);
    if (from !== undefined && until !== undefined && until < from) addScenarioIssue(ctx, "untilBeforeFrom", { from: g.from, until: g.until }, ["until"]);
  })
  .meta({ id: "ScenarioGenerator", description: "start instances of a workflow per working day, day or hour, with drawn inputs and simulated approvers" });

/** One generator of a `generate` step as written. */
export type GeneratorDefinition = z.input<typeof generatorSchema>;
/** One generator of a `generate` step after validation. */
export type GeneratorSpec = z.output<typeof generatorSchema>;
/** A distribution after validation (numbers or durations as parameters). */
export type DistributionSpec = z.output<typeof countDistribution> | z.output<typeof delayDistribution> | z.output<typeof numberFieldDistribution>;
/** How one input field is drawn, after validation. */
export type FieldSpec = z.output<typeof fieldSpecSchema>;
/** A weighted choice, after validation. */
export type ChoiceSpec = z.output<typeof choiceSchema>;

const generateStep = z.strictObject({
  generate: z
    .union([generatorSchema, z.array(generatorSchema).min(1).max(20)])
    .meta({ description: "bulk simulation: start instances per working day, day or hour with drawn inputs and simulated approvers; several generators run side by side" }),
  expect: z.json().optional().meta({ description: "a subset of the summary after this step that must match it" }),
});

/** One step of a scenario. */
const scenarioStepSchema = z.union([startStep, advanceStep, advanceToStep, sendStep, emitStep, expectStep, evaluateStep, claimStep, releaseStep, settleStep, assignStep, reportStep, generateStep], {
  error:
    'expected a step: { "start" }, { "advance" }, { "advanceTo" }, { "send" }, { "emit" }, { "expect" }, { "evaluate" }, { "claim" }, { "release" }, { "settle" }, { "assign" }, { "report" } or { "generate" }',
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
/** A `generate` step after validation. */
export type GenerateStep = z.output<typeof generateStep>;
/** Steps that drive the business domains (rules, promotions, rebates, rollouts) rather than workflows. */
export type BusinessStep = z.output<typeof evaluateStep | typeof claimStep | typeof releaseStep | typeof settleStep | typeof assignStep | typeof reportStep>;
