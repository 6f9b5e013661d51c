/**
 * The Ruleflow demo: the seed rules of a sales-operations team evaluated on
 * sample facts, each result with its explanation.
 */
import { pathToFileURL } from "node:url";
import { createRegistry, explainDecision, type DecisionResult } from "@ruleflow/engine";
import { loadDefinitions, loadFacts } from "./definitions.js";
import { runKickoffDemo, runWorkflowDemo } from "./demo-workflow.js";
import { runRolloutDemo } from "./demo-rollout.js";
import { runCommerceDemo } from "./demo-commerce.js";
import { runPersistentDemo } from "./demo-persistent.js";

/** One evaluation the demo shows. */
interface Case {
  title: string;
  definition: string;
  facts: string;
}

const CASES: Case[] = [
  { title: "Contract of 380,000 from a credit-A customer", definition: "contract-auto-approval", facts: "contract-small-a" },
  { title: "Contract of 1,250,000 from a credit-A customer", definition: "contract-auto-approval", facts: "contract-large" },
  { title: "New customer's first order of 68,000", definition: "first-order-points", facts: "first-order" },
  { title: "Rebate rate for a tier-A distributor buying the new line", definition: "rebate-rate", facts: "rebate-a-new-line" },
  { title: "Display subsidy pre-check for store SH-PD-0193", definition: "fmcg-display-precheck", facts: "store-visit" },
];

/** Run the demo, writing to `out`. Evaluation time is fixed so the output is reproducible. */
export function runDemo(out: (line: string) => void, at = "2026-02-10T10:00:00+08:00"): void {
  const registry = createRegistry(loadDefinitions());
  out(`Ruleflow demo: ${registry.ids().length} definitions loaded, evaluated at ${at}\n`);
  for (const c of CASES) {
    const result = registry.evaluate(c.definition, loadFacts(c.facts), { at, trace: true });
    out(`## ${c.title}`);
    out(explainDecision(result as DecisionResult));
    out("");
  }
  runRolloutDemo(out);
  runCommerceDemo(out);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runDemo((line) => console.log(line));
  await runWorkflowDemo((line) => console.log(line));
  await runKickoffDemo((line) => console.log(line));
  await runPersistentDemo((line) => console.log(line));
}
