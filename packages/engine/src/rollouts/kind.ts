/** The rollout kind: its spec for the generic path, and its typed compile function. */
import type { KindSpec } from "../core/kind.js";
import { compileKind, type KindOptions } from "../kinds/pipeline.js";
import { rolloutSchema, type RolloutDefinition } from "../schema/rollout.js";
import { compileRolloutInto } from "./compile.js";
import type { CompiledRollout } from "./types.js";

/** The `rollout` kind. @internal */
export const rolloutKind: KindSpec<"rollout", typeof rolloutSchema, CompiledRollout> = {
  kind: "rollout",
  schema: rolloutSchema,
  compile: compileRolloutInto,
  docs: { page: "docs/rollouts.md" },
};

/**
 * Validate and compile a rollout document (`kind` may be omitted).
 *
 * @param input - a rollout document, parsed from JSON or written in code
 * @param options - `locale`: the language of the error's heading and issues (default `en`)
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
export function compileRollout(input: RolloutDefinition | Omit<RolloutDefinition, "kind">, options?: KindOptions): CompiledRollout {
  return compileKind(rolloutKind, input, options);
}
