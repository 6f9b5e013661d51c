/** Schema of decision tables. */
import { z } from "zod";
import { baseFields, definitionTimeFields, expressionSchema, safeKeySchema } from "./common.js";

/** Hit policies of decision tables. */
export const TABLE_HIT_POLICIES = ["unique", "first", "priority", "any", "collect", "ruleOrder"] as const;
/** Aggregations for the `collect` hit policy. */
export const COLLECT_AGGREGATIONS = ["sum", "min", "max", "count"] as const;
/** Output types of decision tables. */
export const OUTPUT_TYPES = ["string", "number", "decimal", "boolean", "date", "json"] as const;

const columnId = z
  .string()
  .regex(/^[A-Za-z_][\w-]*$/, { error: "expected a column id of letters, digits, '_' or '-'" })
  .refine((s) => s !== "id" && s !== "description", {
    error: '"id" and "description" are reserved for rule metadata; choose another column id',
  });

/** One input column: an expression over the facts. */
const tableInputSchema = z.strictObject({
  id: columnId,
  expr: expressionSchema,
  label: z.string().optional(),
});

/** One output column. */
const tableOutputSchema = z.strictObject({
  id: columnId,
  type: z.enum(OUTPUT_TYPES).default("string"),
  label: z.string().optional(),
  allowedValues: z
    .array(z.json())
    .optional()
    .meta({ description: "Allowed values, highest priority first (used by hitPolicy priority)." }),
});

/**
 * One row: cells keyed by input and output id, plus optional `id` and `description`.
 * Input cells are unary-test strings (`>= 5`, `[1..5)`, `"A","B"`, `not("C")`, `-`)
 * or literals; output cells are literals or `{ "expr": "..." }`.
 */
const tableRuleSchema = z.record(safeKeySchema, z.json());

/** zod schema of a decision table document. */
export const decisionTableSchema = z
  .strictObject({
    kind: z.literal("decision-table"),
    ...baseFields,
    ...definitionTimeFields,
    hitPolicy: z.enum(TABLE_HIT_POLICIES).default("unique"),
    aggregation: z.enum(COLLECT_AGGREGATIONS).optional().meta({ description: "With hitPolicy collect: combine the outputs." }),
    inputs: z.array(tableInputSchema).min(1, { error: "a decision table needs at least one input" }),
    outputs: z.array(tableOutputSchema).min(1, { error: "a decision table needs at least one output" }),
    rules: z.array(tableRuleSchema).min(1, { error: "a decision table needs at least one rule" }),
  })
  .meta({ id: "DecisionTable", title: "Ruleflow decision table" });

/** A decision table document, as written. */
export type DecisionTableDefinition = z.input<typeof decisionTableSchema>;
/** A decision table after validation (defaults applied). */
export type DecisionTableDocument = z.output<typeof decisionTableSchema>;
