/** Schema of condition trees: all / any / not / expr / fact leaves. */
import { z } from "zod";
import type { Issue } from "../core/errors.js";
import { expressionSchema } from "./common.js";
import { documentStructureIssues } from "./document-limits.js";
import { fromZodIssues } from "./issues.js";

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

/**
 * Add the structural issues of `input` (nested deeper than `MAX_DOCUMENT_DEPTH`,
 * cyclic, prototype-reaching keys) to a zod context, so zod stops before it recurses.
 */
function checkStructure(input: unknown, ctx: z.RefinementCtx): unknown {
  for (const issue of documentStructureIssues(input)) {
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path, input, params: { code: issue.code, messageKey: issue.messageKey, messageParams: issue.params } });
  }
  return input;
}

/**
 * zod schema of {@link Condition}. Before zod recurses into a condition, its
 * nesting depth is checked (`MAX_DOCUMENT_DEPTH`), so a condition nested
 * thousands of levels deep fails `safeParse` with a `too_deep` issue and its
 * path instead of overflowing the stack.
 */
export const conditionSchema: z.ZodType<Condition> = z
  .preprocess(checkStructure, z.lazy(() =>
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
  ))
  .meta({ id: "Condition", description: "A condition tree." });

/**
 * The problems that stop a condition tree from being compiled, each with its
 * path: too deep, cyclic, a forbidden key, or not a condition (an unknown
 * operator names the allowed ones). When the only problems are in expressions,
 * none are returned: the compiler reports those together with every other
 * problem it finds.
 *
 * @param input - the condition to check
 * @returns the issues, empty when `input` has the shape of a condition
 * @internal
 */
export function conditionShapeIssues(input: unknown): Issue[] {
  const parsed = conditionSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return [];
  const issues = fromZodIssues(parsed.error.issues);
  return issues.every((i) => i.path[i.path.length - 1] === "expr") ? [] : issues;
}
