import { compileDefinition, formatPath, isRuleflowError } from "@ruleflow/engine";

// A user's edit with two mistakes: an operator that does not exist, and a rule without `then`.
const edited = {
  kind: "ruleset",
  id: "order-discount",
  version: 2,
  facts: ["customer.tier", "order.amount"],
  rules: [
    { id: "key-account-large-order", when: { fact: "customer.tier", op: "equals", value: "key" }, then: { discount: "0.06" } },
    { id: "large-order", when: { fact: "order.amount", op: "gte", value: 100000 }, then: { discount: "0.02" } },
    { id: "standard" },
  ],
};

try {
  compileDefinition(edited);
} catch (e) {
  if (!isRuleflowError(e, "VALIDATION_ERROR")) throw e;
  console.log(e.message.split("\n")[0]);
  // Every problem at once, each with the JSON path your editor can highlight.
  for (const issue of e.issues) console.log(`- ${formatPath(issue.path)} [${issue.code}]: ${issue.message}`);
}
