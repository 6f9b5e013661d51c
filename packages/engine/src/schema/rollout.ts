/** Schema of rollouts: gray releases and A/B experiments. */
import { z } from "zod";
import { baseFields, dateTimeSchema, idSchema } from "./common.js";
import { conditionSchema } from "./condition.js";

/** Lifecycle states of a rollout. */
export const ROLLOUT_STATUSES = ["draft", "running", "promoted", "rolled-back"] as const;
/** One of {@link ROLLOUT_STATUSES}. */
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

/** Kinds of metric a report can analyse. */
export const METRIC_TYPES = ["rate", "mean"] as const;

const percent = (what: string) =>
  z
    .number({ error: `expected ${what} as a number from 0 to 100` })
    .min(0, { error: `expected ${what} from 0 to 100` })
    .max(100, { error: `expected ${what} from 0 to 100` });

const metricId = z.string().min(1, { error: "expected a metric name such as renewed" });

/** A unit value on a pilot list: the value of the `unit` fact, such as a customer id. */
const unitValue = z.union([z.string().min(1), z.number()], { error: "expected a unit value (a string or a number)" });

/** One variant: its share of units and the value it hands out. */
const variantSchema = z.strictObject({
  id: idSchema.meta({ description: "Variant id, such as control or treatment." }),
  weight: z
    .number({ error: "expected a weight >= 0" })
    .min(0, { error: "expected a weight >= 0" })
    .meta({ description: "Relative share of units: 50/50, 0.9/0.1 and 9/1 all work." }),
  value: z.json().meta({
    description:
      'What a unit in this variant gets: any JSON, for example { "ruleset": "renewal-incentive", "version": 2 } to name the rule set version that applies.',
  }),
  label: z.string().optional(),
  description: z.string().optional(),
  slots: z
    .array(z.tuple([z.number(), z.number()]))
    .optional()
    .meta({
      description:
        "Bucket intervals [from, to) this variant owns at 100% coverage. Written by the rollout controller when weights change so that as few units as possible move; leave out to use the standard layout.",
    }),
});

/** One step of a ramp schedule. */
const rampStepSchema = z.strictObject({
  at: dateTimeSchema.meta({ description: "From this time on..." }),
  percent: percent("a ramp percent").meta({ description: "...this percent of targeted units is in the rollout." }),
});

/** A metric to analyse: a name (a rate) or a name with its type and direction. */
const metricRefSchema = z.union([
  metricId,
  z.strictObject({
    id: metricId,
    type: z.enum(METRIC_TYPES).default("rate").meta({ description: "rate: share of units with the event; mean: average value per unit." }),
    higherIsBetter: z.boolean().default(true),
  }),
]);

/** A guardrail: a metric that may not degrade by more than a limit. */
const guardrailSchema = z.strictObject({
  metric: metricId,
  type: z.enum(METRIC_TYPES).default("rate"),
  maxIncrease: z.number().min(0).optional().meta({ description: "Largest allowed increase (treatment - control) of a metric where up is bad." }),
  maxDecrease: z.number().min(0).optional().meta({ description: "Largest allowed decrease of a metric where down is bad." }),
  relative: z.boolean().default(false).meta({ description: "Limits are relative to control (0.1 = 10%) instead of absolute." }),
});

/** What the report measures and how it decides. */
const metricsSchema = z.strictObject({
  primary: metricRefSchema.meta({ description: "The metric the recommendation is based on." }),
  secondary: z.array(metricRefSchema).optional(),
  guardrails: z.array(guardrailSchema).optional(),
  minimumDetectableEffect: z
    .number()
    .gt(0)
    .default(0.1)
    .meta({ description: "Smallest relative lift worth detecting; sizes the sample a report asks for (0.1 = 10%)." }),
  alpha: z.number().gt(0).lt(0.5).default(0.05).meta({ description: "Significance level of the primary metric." }),
  power: z.number().gt(0).lt(1).default(0.8),
  minUnitsPerVariant: z.int().min(1).default(100).meta({ description: "No verdict before every variant has this many units." }),
});

/** An elastic switch: when a KPI condition holds, units in a scope go to a backup variant. */
const switchSchema = z.strictObject({
  id: idSchema,
  label: z.string().optional(),
  when: conditionSchema.meta({ description: "A condition over KPI facts, checked by the rollout controller." }),
  scope: conditionSchema.optional().meta({ description: "Which units switch (a condition over the unit's facts); all when omitted." }),
  variant: idSchema.meta({ description: "The backup variant the scope switches to." }),
  active: z.boolean().default(false).meta({ description: "Set by the controller when the switch fires." }),
});

/** zod schema of a rollout document. */
export const rolloutSchema = z
  .strictObject({
    kind: z.literal("rollout"),
    ...baseFields,
    status: z
      .enum(ROLLOUT_STATUSES)
      .default("running")
      .meta({ description: "draft: nobody is in; running: assignment by hash; promoted: everyone gets the winner; rolled-back: everyone gets control." }),
    winner: idSchema.optional().meta({ description: "With status promoted: the variant everyone gets." }),
    unit: z
      .string()
      .min(1, { error: "expected the fact path of the unit to randomise on, such as customer.id" })
      .meta({ description: "Fact path of the unit that is randomised: store, campus, customer, sales rep..." }),
    salt: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "Hash seed; defaults to the id. Change it to reshuffle every unit." }),
    control: idSchema.optional().meta({ description: "The control variant; defaults to the first variant." }),
    targeting: conditionSchema.optional().meta({ description: "Which units may enter; all when omitted." }),
    pilots: z
      .array(
        z.strictObject({
          variant: idSchema,
          units: z.array(unitValue).min(1, { error: "a pilot list needs at least one unit" }),
          label: z.string().optional(),
        }),
      )
      .optional()
      .meta({ description: "Explicit lists of units that get a variant regardless of targeting and hashing." }),
    variants: z.array(variantSchema).min(2, { error: "a rollout needs at least two variants (control and one more)" }),
    ramp: z
      .array(rampStepSchema)
      .min(1)
      .optional()
      .meta({ description: "Percent of targeted units in the rollout over time; 100% when omitted, 0% before the first step." }),
    holdout: z
      .strictObject({
        percent: percent("a holdout percent").refine((p) => p < 100, { error: "a holdout of 100% leaves nobody to assign" }),
        salt: z.string().min(1).optional().meta({ description: "Share one salt between rollouts to hold out the same units from all of them." }),
      })
      .optional()
      .meta({ description: "Targeted units kept on control and out of the analysis." }),
    layer: z
      .strictObject({
        id: idSchema,
        from: percent("a layer start"),
        to: percent("a layer end"),
      })
      .optional()
      .meta({ description: "Mutually exclusive layer: rollouts of one layer take disjoint [from, to) percent ranges." }),
    sticky: z.boolean().default(false).meta({ description: "Keep each unit's first variant (through the RolloutStore) even when weights change." }),
    metrics: metricsSchema.optional(),
    switches: z.array(switchSchema).optional(),
  })
  .meta({ id: "Rollout", title: "Ruleflow rollout (gray release / A-B experiment)" });

/** A rollout document, as written. */
export type RolloutDefinition = z.input<typeof rolloutSchema>;
/** A rollout document after validation (defaults applied). */
export type RolloutDocument = z.output<typeof rolloutSchema>;
/** One variant of a rollout. */
export type RolloutVariant = z.output<typeof variantSchema>;
/** A metric reference as written. */
export type MetricRef = z.output<typeof metricRefSchema>;
/** A guardrail after validation. */
export type Guardrail = z.output<typeof guardrailSchema>;
/** An elastic switch after validation. */
export type RolloutSwitch = z.output<typeof switchSchema>;
