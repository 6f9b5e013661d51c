/** The typed entry point for compiling one rollout document. */
import { compileDefinition } from "../definitions.js";
import { ValidationError } from "../core/errors.js";
import { catalogueIssue } from "../i18n/issues.js";
import { validationMessages } from "../i18n/messages/validation.js";
import type { RolloutDefinition } from "../schema/rollout.js";
import type { CompiledRollout } from "./types.js";

/**
 * Validate and compile a rollout document (`kind` may be omitted).
 *
 * @param input - a rollout document, parsed from JSON or written in code
 * @returns the compiled rollout: `evaluate(facts, { at })` assigns one unit
 * @throws {@link ValidationError} listing every problem with its JSON path
 * @example
 * ```ts
 * const rollout = compileRollout({ id: "renewal-incentive-v2", version: 1, unit: "customer.id",
 *   variants: [ { id: "control", weight: 50, value: { policy: "renewal-v1" } },
 *               { id: "treatment", weight: 50, value: { policy: "renewal-v2" } } ] });
 * rollout.evaluate({ customer: { id: "C-0001" } }, { at: "2026-03-20T00:00:00+08:00" }).variant; // "control" or "treatment", always the same
 * ```
 * @see docs/rollouts.md
 */
export function compileRollout(input: RolloutDefinition | Omit<RolloutDefinition, "kind">): CompiledRollout {
  const doc = typeof input === "object" && input !== null && !("kind" in input) ? { kind: "rollout", ...input } : input;
  const def = compileDefinition(doc);
  if (def.kind !== "rollout") {
    throw new ValidationError([catalogueIssue(validationMessages, "expectedGot", ["kind"], { expected: '"rollout"', got: `"${def.kind}"` }, "invalid_kind")]);
  }
  return def;
}
