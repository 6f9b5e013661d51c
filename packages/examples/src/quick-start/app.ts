import { readFileSync } from "node:fs";
import { createRegistry, explainDecision } from "@ruleflow/engine";

// Rules are JSON documents your users write; load them however your app stores them.
const ruleSet: unknown = JSON.parse(readFileSync("rules/order-discount.ruleset.json", "utf8"));

// The registry validates and compiles every document (or throws a ValidationError)
// and keeps each version; evaluation uses the version effective at `at`.
const registry = createRegistry([ruleSet]);

const facts = { customer: { tier: "standard" }, order: { amount: 120000 } };
const result = registry.evaluate("order-discount", facts, { at: "2026-03-02T10:00:00+08:00", trace: true });
// A registry evaluates every kind of definition; tell TypeScript this one is a rule set.
if (result.kind !== "ruleset") throw new Error(`order-discount is a ${result.kind}, not a rule set`);

console.log(`${result.id} v${result.version}:`, JSON.stringify(result.output));
console.log(explainDecision(result));
