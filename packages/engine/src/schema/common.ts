/** Schema pieces shared by every definition kind. */
import { z } from "zod";
import { ExpressionError, type IssueCode } from "../core/errors.js";
import { compileExpression } from "../expr/compile.js";
import { expressionErrorKey } from "../i18n/messages/expressions.js";
import { parseInstant } from "../expr/values.js";
import { timeZoneSchema } from "./money.js";

/** A definition id: letters, digits and `- _ . :`. */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][\w.:-]{0,127}$/, {
    error: "expected an id of letters, digits, '-', '_', '.' or ':' (at most 128 characters)",
  })
  .meta({ description: "Stable identifier of the definition." });

/** An ISO-8601 date-time with an offset, such as `2026-01-01T00:00:00+08:00`. */
export const dateTimeSchema = z.iso
  .datetime({
    offset: true,
    error: "expected an ISO-8601 date-time with an offset, such as 2026-01-01T00:00:00+08:00",
  })
  // zod takes offsets up to ±23:59; the engine's dates end at ±18:00 (as java.time).
  .refine((s) => parseInstant(s) !== undefined, { error: "the offset is out of range: offsets run from -18:00 to +18:00" });

/** An expression in the Ruleflow expression language. */
export const expressionSchema = z
  .string()
  .min(1, { error: "expected an expression, got an empty string" })
  .max(2000, { error: "an expression may have at most 2000 characters" })
  .superRefine((source, ctx) => {
    // Syntax and unknown functions are reported together with shape problems.
    try {
      compileExpression(source);
    } catch (e) {
      if (e instanceof ExpressionError) ctx.addIssue({ code: "custom", message: e.message, input: source, params: { code: "invalid_expression" satisfies IssueCode, ...expressionErrorKey(e) } });
    }
  })
  .meta({ description: "An expression in the Ruleflow expression language." });

/** Effective window: `from` inclusive, `to` exclusive. */
const effectiveSchema = z
  .strictObject({
    from: dateTimeSchema.optional(),
    to: dateTimeSchema.optional(),
  })
  .meta({ description: "When this version applies: from (inclusive) to (exclusive)." });

/** Fields every versioned definition carries. */
export const baseFields = {
  $schema: z.string().optional().meta({ description: "JSON Schema URL for editors; ignored by the engine." }),
  id: idSchema,
  version: z.int({ error: "expected a whole number >= 1" }).min(1, { error: "expected a whole number >= 1" }),
  effective: effectiveSchema.optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  facts: z
    .array(z.string().min(1))
    .optional()
    .meta({
      description:
        "Fact roots or paths this definition reads. When present, expressions and conditions are checked against it at load time.",
    }),
};

/** A key of a user-named map (outputs, columns, inputs): never a name that would reach a prototype. */
export const safeKeySchema = z.string().refine((k) => k !== "__proto__" && k !== "constructor" && k !== "prototype", {
  error: '"__proto__", "constructor" and "prototype" cannot be used as names',
});

/**
 * The zone and business calendar of an evaluable definition. Dates without an
 * offset (`"2026-03-05"`) are read in `timeZone`, else in the calendar's zone,
 * else in UTC; the working-day functions of expressions use `calendar`.
 */
export const definitionTimeFields = {
  timeZone: timeZoneSchema
    .optional()
    .meta({
      description:
        'Zone in which dates without an offset ("2026-03-05") are read: UTC, +08:00 or an IANA name such as Asia/Shanghai. Default: the calendar\'s zone, else UTC.',
    }),
  calendar: idSchema
    .optional()
    .meta({
      description:
        'Business calendar of workdaysBetween, addWorkdays, isWorkday and businessHoursBetween: a built-in id ("cn-mainland") or the id of a calendar definition loaded beside this one.',
    }),
};
