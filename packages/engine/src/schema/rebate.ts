/** Schema of rebate programs: basis, tiers, modes, modifiers, caps, rounding, breakdowns. */
import { z } from "zod";
import { baseFields, expressionSchema, idSchema } from "./common.js";
import { conditionSchema } from "./condition.js";
import { currencySchema, decimalSchema, positiveAmountSchema, roundingSchema, timeZoneSchema } from "./money.js";

/** How tiers pay: the whole basis at the reached tier's rate, or each band at its own rate. */
export const REBATE_MODES = ["retroactive", "incremental"] as const;
/** What tiers are measured on. */
export const TIER_MEASURES = ["amount", "volume", "growth"] as const;
/** Settlement periods of a rebate program. */
export const REBATE_PERIODS = ["month", "quarter", "year"] as const;

/** One tier: from its `from` (inclusive) up to the next tier's `from` (exclusive). */
const tierSchema = z.strictObject({
  from: decimalSchema.meta({
    description: 'Lower bound, inclusive: an amount ("1000000"), a volume ("500") or a growth ratio ("0.10" for +10%) by tierBy.',
  }),
  rate: decimalSchema.meta({ description: 'Rebate rate as a fraction: "0.035" is 3.5%.' }),
  name: z.string().optional(),
});

/** A decision table lookup, resolved by id at each order's time. */
const tableValueSchema = z
  .strictObject({
    table: idSchema.meta({ description: "Id of a decision table, resolved at the order time." }),
    output: z.string().min(1).meta({ description: "The output column holding the decimal." }),
    default: decimalSchema.optional().meta({ description: "Used when no row matches; without it, no match is an error." }),
  })
  .meta({ id: "TableValue" });

/** A rate modifier: multiply the rate, or add to it, when a condition holds. */
const modifierSchema = z
  .strictObject({
    name: z.string().optional().meta({ description: "Shown on statement lines." }),
    when: conditionSchema.optional().meta({ description: "Applies to lines where this holds; omitted means every line." }),
    multiply: z.union([decimalSchema, tableValueSchema]).optional().meta({ description: 'Multiply the rate: "1.1", or a decision table lookup.' }),
    add: z.union([decimalSchema, tableValueSchema]).optional().meta({ description: 'Add to the rate: "0.005" adds half a point.' }),
  })
  .refine((m) => (m.multiply === undefined) !== (m.add === undefined), { error: 'a modifier takes either "multiply" or "add"' });

/** A breakdown dimension: an expression, or a named expression. */
const dimensionSchema = z.union([
  expressionSchema,
  z.strictObject({ name: z.string().min(1), expr: expressionSchema }),
]);

/** What counts toward the basis. */
const basisSchema = z.strictObject({
  amount: expressionSchema.meta({ description: "The line's amount, e.g. line.netAmount (a decimal string or number)." }),
  volume: expressionSchema.optional().meta({ description: 'The line\'s volume, for tierBy "volume", e.g. line.cases.' }),
  where: conditionSchema.optional().meta({ description: "Only lines where this holds count." }),
  status: expressionSchema.default("line.status").meta({ description: "The line's status, compared with exclude." }),
  exclude: z.array(z.string()).default([]).meta({ description: 'Statuses that never count, e.g. ["returned", "exchanged"].' }),
});

/** zod schema of a rebate program document. */
export const rebateSchema = z
  .strictObject({
    kind: z.literal("rebate"),
    ...baseFields,
    currency: currencySchema.optional(),
    timeZone: timeZoneSchema.default("UTC"),
    period: z.enum(REBATE_PERIODS).default("month"),
    settleOnDay: z.int().min(1).max(28).optional().meta({ description: "Statements are dated this day of the next period (default: the period's end)." }),
    account: expressionSchema.optional().meta({ description: "Whose purchases reach a tier, e.g. customer.id; omitted: all lines together." }),
    orderDate: expressionSchema.default("order.date").meta({ description: "The order time: picks the period and the program version." }),
    lineKey: z.array(z.string().min(1)).min(1).default(["order.id", "line.no"]).meta({ description: "Fact paths that identify a line across statements." }),
    basis: basisSchema,
    tierBy: z.enum(TIER_MEASURES).default("amount"),
    mode: z.enum(REBATE_MODES).default("retroactive"),
    tiers: z.array(tierSchema).min(1, { error: "a rebate program needs at least one tier" }),
    modifiers: z.array(modifierSchema).optional(),
    cap: positiveAmountSchema.optional().meta({ description: "Most rebate per account per period." }),
    rounding: roundingSchema.optional(),
    breakdown: z.array(dimensionSchema).optional().meta({ description: "Dimensions for statement totals, e.g. customer.region." }),
  })
  .meta({ id: "Rebate", title: "Ruleflow rebate program" });

/** A rebate program document, as written. */
export type RebateDefinition = z.input<typeof rebateSchema>;
/** A rebate program document after validation (defaults applied). */
export type RebateDocument = z.output<typeof rebateSchema>;
/** One tier. */
export type RebateTier = z.output<typeof tierSchema>;
/** One modifier. */
export type RebateModifier = z.output<typeof modifierSchema>;
