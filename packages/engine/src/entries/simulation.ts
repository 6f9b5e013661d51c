/**
 * `@ruleflow/engine/simulation`: bulk simulation. Start instances of a
 * workflow per working day, day or hour over months of virtual time, with
 * inputs drawn from records or distributions and simulated approvers who
 * approve, reject or let escalations fire; read the summary: time to decision
 * per node (p50/p90/p99, wall and business hours), escalations per action and
 * role, SLA breaches, notifications per recipient, outcomes.
 *
 * The same generators run as a `generate` step of a scenario document
 * (`runScenario` from the root entry, `ruleflow simulate`); the report's
 * `summary` is the same {@link SimulationSummary}.
 *
 * @example
 * ```ts
 * import { explainSimulation, runBulkSimulation } from "@ruleflow/engine/simulation";
 *
 * const summary = await runBulkSimulation(
 *   { directory, generate: { workflow: "customer-qualification", per: "working-day", count: { distribution: "poisson", mean: 28 },
 *                            from: "2026-01-01", until: "2026-12-31", actors: [{ approve: 0.9, after: "PT2H" }], seed: 42 } },
 *   definitions,
 *   { onProgress: (p) => console.error(p.at, p.started) },
 * );
 * console.log(explainSimulation(summary));
 * ```
 *
 * @packageDocumentation
 */

export { runBulkSimulation, explainSimulation } from "../simulation/bulk.js";
export type { BulkSimulationInput, BulkSimulationOptions, ExplainSimulationOptions } from "../simulation/bulk.js";
export type { SimulationProgress } from "../simulation/generate.js";
export type { SimulationSummary, WorkflowSummary, NodeSummary, EscalationSummary, DurationStats } from "../simulation/summary.js";
export type { GeneratorDefinition, GeneratorSpec, DistributionSpec, FieldSpec, ChoiceSpec, GenerateStep } from "../schema/scenario.js";
