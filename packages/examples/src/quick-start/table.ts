import { readFileSync } from "node:fs";
import { createRegistry, explainDecision } from "@ruleflow/engine";

const load = (file: string): unknown => JSON.parse(readFileSync(`rules/${file}`, "utf8"));
const registry = createRegistry([load("order-discount.ruleset.json"), load("approval-level.decision-table.json")]);
const at = "2026-03-02T10:00:00+08:00";

for (const [tier, amount] of [["key", 320000], ["standard", 48000], ["standard", 320000], ["standard", 1200000]] as const) {
  const { output } = registry.evaluate("approval-level", { customer: { tier }, order: { amount } }, { at });
  console.log(`${tier} ${amount}:`, JSON.stringify(output));
}

// With trace: true, the explanation shows every row and cell that was tried.
const result = registry.evaluate("approval-level", { customer: { tier: "standard" }, order: { amount: 320000 } }, { at, trace: true });
if (result.kind !== "decision-table") throw new Error(`approval-level is a ${result.kind}`);
console.log(explainDecision(result));
