/**
 * The scenario kind: a script that drives workflows on a virtual clock
 * (start, advance, send, expect; `runScenario` runs it). Its spec for the
 * generic path, and its typed compile function.
 */
import type { KindSpec } from "../core/kind.js";
import { compileKind, type KindOptions } from "../kinds/pipeline.js";
import { scenarioSchema, type ScenarioDefinition, type ScenarioDocument } from "../schema/scenario.js";

/** A validated scenario document (run it with `runScenario`). */
export interface CompiledScenario {
  readonly kind: "scenario";
  readonly id: string;
  readonly version: number;
  readonly document: ScenarioDocument;
}

/** The `scenario` kind: checking it is its whole compile. @internal */
export const scenarioKind: KindSpec<"scenario", typeof scenarioSchema, CompiledScenario> = {
  kind: "scenario",
  schema: scenarioSchema,
  compile: (doc) => ({ kind: "scenario", id: doc.id, version: doc.version, document: doc }),
  noun: "scenario",
  docs: { page: "docs/simulation.md" },
};

/**
 * Validate a scenario document (`kind` may be omitted). The definitions it
 * names are files the CLI reads; they are not checked here.
 *
 * @param input - a scenario document, usually parsed JSON
 * @param options - `locale`: the language of the error's heading and issues (default `en`)
 * @returns the validated scenario, with defaults filled in
 * @throws {@link ValidationError} listing every problem with its JSON path
 * @example
 * ```ts
 * const s = compileScenario({ id: "smoke", start: "2026-02-12T09:00:00+08:00",
 *   steps: [{ start: "review", as: "r1" }, { advance: "PT1H" }, { expect: { instance: "r1", state: "review" } }] });
 * s.version; // 1 (the default)
 * ```
 * @see docs/simulation.md
 */
export function compileScenario(input: ScenarioDefinition | Omit<ScenarioDefinition, "kind">, options?: KindOptions): CompiledScenario {
  return compileKind(scenarioKind, input, options);
}
