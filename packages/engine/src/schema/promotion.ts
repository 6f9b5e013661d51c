/** Schema of promotions: eligibility, benefits, limits and budgets, dedupe, stacking. */
import { z } from "zod";
import { baseFields, definitionTimeFields, expressionSchema } from "./common.js";
import { conditionSchema } from "./condition.js";
import { currencySchema, decimalSchema, periodSchema, positiveAmountSchema, roundingSchema, timeZoneSchema } from "./money.js";

/** Stacking modes of a promotion group. */
export const STACKING_MODES = ["stackable", "exclusive", "best-of"] as const;

const quantitySchema = z
  .union([z.int().min(0), expressionSchema])
  .meta({ description: 'A whole number, or an expression computing one such as "floor(order.cases / 10)".' });

const giftSchema = z.strictObject({
  type: z.literal("gift"),
  sku: z.string().min(1),
  quantity: quantitySchema,
  unitCost: positiveAmountSchema.optional().meta({ description: "Cost of one gift, counted against budgets and used to compare benefits." }),
  label: z.string().optional(),
});

const discountSchema = z
  .strictObject({
    type: z.literal("discount"),
    percent: decimalSchema.optional().meta({ description: 'Percentage off `of`, e.g. "10" for 10%.' }),
    amount: positiveAmountSchema.optional().meta({ description: "A fixed amount off (never more than `of`)." }),
    of: expressionSchema.default("order.amount").meta({ description: "The amount the discount applies to." }),
    cap: positiveAmountSchema.optional().meta({ description: "The most the discount can be." }),
    label: z.string().optional(),
  })
  .refine((b) => (b.percent === undefined) !== (b.amount === undefined), {
    error: 'a discount takes either "percent" or "amount"',
  });

const pointsSchema = z.strictObject({
  type: z.literal("points"),
  multiplier: decimalSchema.meta({ description: 'Points per unit of `of`: "2" gives 200% of the order amount as points.' }),
  of: expressionSchema.default("order.amount"),
  pointValue: positiveAmountSchema.optional().meta({ description: "Money value of one point, counted against budgets." }),
  label: z.string().optional(),
});

const subsidySchema = z.strictObject({
  type: z.literal("subsidy"),
  amount: positiveAmountSchema.meta({ description: "A fixed payment, such as a display fee." }),
  label: z.string().optional(),
});

/** One benefit of a promotion. */
export const benefitSchema = z
  .discriminatedUnion("type", [giftSchema, discountSchema, pointsSchema, subsidySchema], {
    error: 'expected a benefit with "type" gift, discount, points or subsidy',
  })
  .meta({ id: "Benefit" });

const limitFields = {
  count: z.int().min(1).optional().meta({ description: "Most claims per period." }),
  budget: positiveAmountSchema.optional().meta({ description: "Most money (benefit value) per period." }),
  period: periodSchema.default("lifetime"),
};
const needsOne = (l: { count?: number | undefined; budget?: string | undefined }): boolean => l.count !== undefined || l.budget !== undefined;

/** A count and/or budget per period. */
const limitSchema = z.strictObject(limitFields).refine(needsOne, { error: 'a limit needs "count", "budget" or both' });

/** A limit per value of an expression (per sales rep, per region, ...). */
const keyedLimitSchema = z
  .strictObject({ key: expressionSchema.meta({ description: "Counts separately for each value, e.g. store.region." }), name: z.string().optional(), ...limitFields })
  .refine(needsOne, { error: 'a limit needs "count", "budget" or both' });

/** All limits and budgets of a promotion. */
const limitsSchema = z.strictObject({
  budget: z
    .union([positiveAmountSchema, z.strictObject({ amount: positiveAmountSchema, period: periodSchema })])
    .optional()
    .meta({ description: 'Total spend: "200000.00" for the promotion\'s lifetime, or { amount, period }.' }),
  uses: z
    .union([z.int().min(1), z.strictObject({ count: z.int().min(1), period: periodSchema })])
    .optional()
    .meta({ description: "Total number of claims: a number for the lifetime, or { count, period }." }),
  perStore: limitSchema.optional().meta({ description: "Per store.id." }),
  perCustomer: limitSchema.optional().meta({ description: "Per customer.id." }),
  per: z.array(keyedLimitSchema).optional().meta({ description: "Per value of any expression." }),
});

/** How a promotion combines with others. */
const stackingSchema = z.strictObject({
  group: z.string().min(1).optional().meta({ description: "Promotions sharing a group compete by the group's mode; without one a promotion is alone." }),
  mode: z.enum(STACKING_MODES).optional().meta({ description: "stackable (all apply), exclusive (highest priority applies), best-of (largest value applies)." }),
  exclusive: z.boolean().optional().meta({ description: 'Shorthand for mode "exclusive".' }),
  priority: z.number().default(0).meta({ description: "Higher wins in an exclusive group." }),
});

/** zod schema of a promotion document. */
export const promotionSchema = z
  .strictObject({
    kind: z.literal("promotion"),
    ...baseFields,
    currency: currencySchema.optional(),
    timeZone: timeZoneSchema.default("UTC").meta({
      description: "Zone of the promotion's periods and of dates without an offset: UTC, +08:00 or Asia/Shanghai. Default: a built-in calendar's zone, else UTC.",
    }),
    calendar: definitionTimeFields.calendar,
    eligibility: conditionSchema.optional().meta({ description: "Who qualifies; omitted means everyone." }),
    benefit: z.union([benefitSchema, z.array(benefitSchema).min(1)]).meta({ description: "One benefit or a list." }),
    limits: limitsSchema.optional(),
    dedupeKey: expressionSchema.optional().meta({ description: "One active claim per value and dedupe period, e.g. store.id." }),
    dedupePeriod: periodSchema.default("lifetime"),
    stacking: stackingSchema.optional(),
    units: z
      .record(
        z.string(),
        z.union([
          z.string(),
          z
            .strictObject({ en: z.string().optional(), "zh-CN": z.string().optional() })
            .refine((u) => u.en !== undefined || u["zh-CN"] !== undefined, { error: 'give the unit in at least one locale: "en" or "zh-CN"' })
            .meta({ description: 'The unit per locale: { "en": "cases", "zh-CN": "箱" }.' }),
        ]),
      )
      .optional()
      .meta({
        description:
          'Names for near-miss hints: { "order.cases": "cases" } gives "3 more cases to qualify"; { "order.cases": { "en": "cases", "zh-CN": "箱" } } also gives "还差 3 箱即可达标" with locale zh-CN.',
      }),
    rounding: roundingSchema.optional(),
  })
  .meta({ id: "Promotion", title: "Ruleflow promotion" });

/** A promotion document, as written. */
export type PromotionDefinition = z.input<typeof promotionSchema>;
/** A promotion document after validation (defaults applied). */
export type PromotionDocument = z.output<typeof promotionSchema>;
/** One benefit, after validation. */
export type Benefit = z.output<typeof benefitSchema>;
/** One limit, after validation. */
export type Limit = z.output<typeof limitSchema>;
