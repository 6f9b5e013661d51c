import { readFileSync } from "node:fs";
import { createEngine, createMemoryNotifier, createStaticDirectory, createVirtualClock } from "@ruleflow/engine";

const load = (file: string): unknown => JSON.parse(readFileSync(`rules/${file}`, "utf8"));
const clock = createVirtualClock("2026-03-02T10:00:00+08:00"); // a Monday; time moves only when told
const notifier = createMemoryNotifier();
const engine = createEngine({
  definitions: [load("order-discount.ruleset.json"), load("order-approval.workflow.json")],
  directory: createStaticDirectory({ roles: { "sales-manager": ["user:wang"], "sales-director": ["user:zhao"] } }),
  clock,
  notifier,
});
const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");

// A key account's large order: the rule set says no approval is needed.
const first = await engine.start("order-approval", {
  id: "SO-1001",
  input: { customer: { tier: "key" }, order: { amount: 120000 } },
  initiator: "user:li",
});
console.log(first.id, (await engine.get(first.id))?.outcome);

// A standard customer's large order waits for a sales manager, who does not answer.
const second = await engine.start("order-approval", {
  id: "SO-1002",
  input: { customer: { tier: "standard" }, order: { amount: 120000 } },
  initiator: "user:li",
});
console.log(second.id, "waits for", (await engine.get(second.id))?.assignees.join(", "));
await clock.advanceTo("2026-03-03T12:00:00+08:00"); // a day of virtual time in milliseconds: the ladder fires
console.log(second.id, "waits for", (await engine.get(second.id))?.assignees.join(", "));
await engine.send(second.id, { type: "approve", actor: "user:zhao", comment: "ok for this quarter" });
console.log(second.id, (await engine.get(second.id))?.outcome);

for (const m of notifier.sent) console.log(`${local(m.at)} ${m.template} -> ${m.recipients.join(", ")} (${m.instanceId})`);
await engine.close();
