/** Schema of condition trees: all / any / not / expr / fact leaves. */
import { z } from "zod";
import { expressionSchema } from "./common.js";

/** The comparison operators a fact leaf may use. */
export const CONDITION_OPERATORS = [
  "eq",
  "ne",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "notIn",
  "contains",
  "notContains",
  "between",
  "exists",
  "startsWith",
  "endsWith",
  "before",
  "after",
  "withinLast",
] as const;

/** One of {@link CONDITION_OPERATORS}. */
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** A reference to another fact, usable as a leaf's `value`. */
export interface FactReference {
  fact: string;
}

/** A leaf comparing a fact with a value (or another fact). */
export interface FactCondition {
  fact: string;
  op: ConditionOperator;
  value?: unknown;
  label?: string | undefined;
}

/** A condition tree node. */
export type Condition =
  | { all: Condition[]; label?: string | undefined }
  | { any: Condition[]; label?: string | undefined }
  | { not: Condition; label?: string | undefined }
  | { expr: string; label?: string | undefined }
  | FactCondition;

const label = z.string().optional().meta({ description: "Human-readable name shown in explanations." });

/** zod schema of {@link Condition}. */
export const conditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union(
      [
        z.strictObject({ all: z.array(conditionSchema), label }),
        z.strictObject({ any: z.array(conditionSchema), label }),
        z.strictObject({ not: conditionSchema, label }),
        z.strictObject({ expr: expressionSchema, label }),
        z.strictObject({
          fact: z.string().min(1, { error: "expected a fact path such as order.amount" }),
          op: z.enum(CONDITION_OPERATORS),
          value: z.json().optional(),
          label,
        }),
      ],
      {
        error:
          'expected a condition: { "all": [...] }, { "any": [...] }, { "not": {...} }, { "expr": "..." } or { "fact": "...", "op": "...", "value": ... }',
      },
    ),
  )
  .meta({ id: "Condition", description: "A condition tree." });
