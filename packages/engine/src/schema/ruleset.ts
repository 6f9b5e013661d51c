/** Schema of rule sets. */
import { z } from "zod";
import { baseFields, definitionTimeFields, expressionSchema, idSchema, safeKeySchema } from "./common.js";
import { conditionSchema } from "./condition.js";

/** An output computed by an expression: `{ "expr": "order.amount * 2" }`. */
const outputExpressionSchema = z
  .strictObject({ expr: expressionSchema })
  .meta({ id: "OutputExpression", description: "An output computed from the facts." });

/** A rule's output value: any JSON literal, or `{ "expr": "..." }` to compute it. */
export const outputValueSchema = z
  .union([
    outputExpressionSchema,
    z.json().refine((v) => typeof v !== "object" || v === null || Array.isArray(v) || !("expr" in v), {
      error: 'an object with "expr" is an expression output and takes only { "expr": "..." }',
    }),
  ])
  .meta({ description: 'A literal JSON value, or { "expr": "..." } computed from the facts.' });

/** Hit policies of rule sets. */
export const RULESET_HIT_POLICIES = ["first", "priority", "collect"] as const;

/** zod schema of one rule. */
const ruleSchema = z.strictObject({
  id: idSchema,
  description: z.string().optional(),
  priority: z.number().optional().meta({ description: "With hitPolicy priority: the highest priority match wins." }),
  when: conditionSchema.optional().meta({ description: "When omitted, the rule always matches." }),
  then: z.record(safeKeySchema, outputValueSchema).meta({ description: "The outputs this rule produces." }),
});

/** zod schema of a rule set document. */
export const rulesetSchema = z
  .strictObject({
    kind: z.literal("ruleset"),
    ...baseFields,
    ...definitionTimeFields,
    hitPolicy: z.enum(RULESET_HIT_POLICIES).default("first"),
    rules: z.array(ruleSchema).min(1, { error: "a rule set needs at least one rule" }),
  })
  .meta({ id: "RuleSet", title: "Ruleflow rule set" });

/** A rule set document, as written. */
export type RuleSetDefinition = z.input<typeof rulesetSchema>;
/** A rule set document after validation (defaults applied). */
export type RuleSetDocument = z.output<typeof rulesetSchema>;
/** One rule of a rule set. */
export type Rule = z.output<typeof ruleSchema>;
