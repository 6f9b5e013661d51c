/** The rule set kind: its spec for the generic path, and its typed compile function. */
import type { KindSpec } from "../core/kind.js";
import { zonedDefinitionTime } from "../calendar/definition-time.js";
import { compileKind, type KindOptions } from "../kinds/pipeline.js";
import { rulesetSchema, type RuleSetDefinition } from "../schema/ruleset.js";
import { compileRuleSetInto, type CompiledRuleSet } from "./ruleset.js";

/** The `ruleset` kind. @internal */
export const rulesetKind: KindSpec<"ruleset", typeof rulesetSchema, CompiledRuleSet> = {
  kind: "ruleset",
  schema: rulesetSchema,
  compile: compileRuleSetInto,
  time: (input) => zonedDefinitionTime("ruleset", input),
  docs: { page: "docs/rulesets.md" },
};

/**
 * Compile a rule set document (`kind` may be omitted).
 *
 * @param input - the rule set document
 * @param options - `locale`: the language of the error's heading and issues (default `en`)
 * @throws {@link ValidationError} listing every problem with its JSON path
 * @example
 * ```ts
 * const rules = compileRuleSet({ id: "auto", version: 1, rules: [
 *   { id: "small", when: { fact: "contract.amount", op: "lt", value: 500000 }, then: { decision: "auto-approve" } },
 *   { id: "otherwise", then: { decision: "manual" } } ] });
 * rules.evaluate({ contract: { amount: 1000 } }).output; // { decision: "auto-approve" }
 * ```
 */
export function compileRuleSet(input: RuleSetDefinition | Omit<RuleSetDefinition, "kind">, options?: KindOptions): CompiledRuleSet {
  return compileKind(rulesetKind, input, options);
}
