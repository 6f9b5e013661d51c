/**
 * Type tests of `@ruleflow/engine/simulation` against the built declarations
 * (see engine.test-d.ts).
 */
import { expectTypeOf } from "expect-type";
import {
  explainSimulation,
  runBulkSimulation,
  type BulkSimulationInput,
  type DurationStats,
  type GeneratorDefinition,
  type NodeSummary,
  type SimulationProgress,
  type SimulationSummary,
} from "@ruleflow/engine/simulation";

expectTypeOf(runBulkSimulation).returns.toEqualTypeOf<Promise<SimulationSummary>>();
expectTypeOf(runBulkSimulation).toBeCallableWith(
  {
    directory: { roles: { compliance: ["user:chen"] } },
    generate: {
      workflow: "customer-qualification",
      per: "working-day",
      count: { distribution: "poisson", mean: 28 },
      from: "2026-01-01",
      until: "2026-12-31",
      inputs: { fields: { "contract.amount": { distribution: "lognormal", median: 400000, sigma: 0.8, round: 0 }, "customer.creditRating": { choice: { A: 0.5, B: 0.5 } } } },
      actors: [{ who: "role:compliance", approve: 0.8, reject: 0.1, after: { distribution: "lognormal", median: "PT2H", p90: "PT8H" } }],
      sla: { nodes: { countersign: "PT16H" } },
      seed: 42,
    },
  },
  [],
  { onProgress: (p: SimulationProgress) => void p.fraction, readFile: (p: string) => p, locale: "zh-CN" },
);
// @ts-expect-error a generator needs its period
runBulkSimulation({ generate: { workflow: "w", count: 1, from: "2026-01-01", until: "2026-01-02" } }, []);
expectTypeOf<BulkSimulationInput["generate"]>().toEqualTypeOf<GeneratorDefinition | GeneratorDefinition[]>();
expectTypeOf(explainSimulation).returns.toEqualTypeOf<string>();
expectTypeOf<NodeSummary["hours"]>().toEqualTypeOf<DurationStats>();
expectTypeOf<SimulationSummary["notifications"]["byRecipient"]>().toEqualTypeOf<Record<string, number>>();
expectTypeOf<SimulationProgress["phase"]>().toEqualTypeOf<"generating" | "draining" | "done">();
