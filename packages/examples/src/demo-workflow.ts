/**
 * The workflow part of the demo: the customer-qualification scenario run on a
 * virtual clock across the 2026 Spring Festival, printed as a timeline.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runScenario, type ScenarioReport } from "@ruleflow/engine";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Load a scenario file and the definitions it names. */
export function loadScenario(name: string): { scenario: { definitions?: string[] }; definitions: unknown[] } {
  const file = join(root, "scenarios", `${name}.scenario.json`);
  const scenario = JSON.parse(readFileSync(file, "utf8")) as { definitions?: string[] };
  const definitions = (scenario.definitions ?? []).map((p) => JSON.parse(readFileSync(resolve(dirname(file), p), "utf8")) as unknown);
  return { scenario, definitions };
}

const local = (iso: string): string =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().replace("T", " ").slice(0, 16) + " (UTC+8)";

/** Run the qualification scenario and print what happened, in time order. */
export async function runWorkflowDemo(out: (line: string) => void): Promise<ScenarioReport> {
  const { scenario, definitions } = loadScenario("qualification-sla");
  const report = await runScenario(scenario, definitions);
  out("## Customer qualification across the 2026 Spring Festival (virtual clock)");
  out("Countersign by marketing, compliance and legal; 3 business hours: remind; 3 more: escalate; 2 business days: auto-reject.");
  for (const n of report.notifications) {
    out(`  ${local(n.at)}  ${n.instance}  ${n.template.padEnd(24)} → ${n.to}${n.recipients.length ? ` (${n.recipients.join(", ")})` : ""}`);
  }
  for (const [alias, i] of Object.entries(report.instances)) out(`  ${alias}: ${i.status}, ${i.outcome ?? "no outcome"}`);
  out(`  expectations: ${report.steps.filter((s) => s.kind === "expect" && s.ok).length} held, ${report.failures.length} failed`);
  out("");
  return report;
}

/** Run the contract kick-off scenario: domain-event triggers, parallel tasks with retries, escalations. */
export async function runKickoffDemo(out: (line: string) => void): Promise<ScenarioReport> {
  const { scenario, definitions } = loadScenario("contract-kickoff");
  const report = await runScenario(scenario, definitions);
  out("## Contract signed: kick-off tasks in parallel, each escalating if not done in time");
  for (const t of report.timers) out(`  ${local(t.at)}  ${t.instance}  timer ${t.key}`);
  for (const n of report.notifications) out(`  ${local(n.at)}  ${n.instance}  ${n.template.padEnd(24)} → ${n.to}${n.recipients.length ? ` (${n.recipients.join(", ")})` : ""}`);
  out(`  expectations: ${report.steps.filter((s) => s.kind === "expect" && s.ok).length} held, ${report.failures.length} failed`);
  out("");
  return report;
}
