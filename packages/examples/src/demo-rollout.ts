/**
 * The gray-release part of the demo: the renewal incentive piloted at three
 * campuses. Shows who gets which scheme and why, the pilot's report on its
 * (synthetic) events, and the one action that promotes the winner.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileRollout, type RolloutDefinition } from "@ruleflow/engine";
import {
  analyzeRollout,
  explainAssignment,
  explainRolloutReport,
  parseRolloutEventLines,
  transitionRollout,
} from "@ruleflow/engine/rollouts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Who the demo assigns, and when. */
const CUSTOMERS = [
  { title: "Pilot campus, two weeks in (100% ramp)", at: "2026-03-20T10:00:00+08:00", facts: { customer: { id: "C-HZ01-0007" }, campus: { id: "HZ-01", region: "zhejiang" } } },
  { title: "Pilot campus, first week (10% ramp)", at: "2026-03-03T10:00:00+08:00", facts: { customer: { id: "C-NJ02-0042" }, campus: { id: "NJ-02", region: "jiangsu" } } },
  { title: "Campus outside the pilot", at: "2026-03-20T10:00:00+08:00", facts: { customer: { id: "C-BJ01-0001" }, campus: { id: "BJ-01", region: "beijing" } } },
];

/**
 * Print the pilot's assignments, report and promotion.
 *
 * @param out - where each line goes
 * @returns nothing; everything is written to `out`, the same every run
 * @example
 * ```ts
 * runRolloutDemo((line) => console.log(line));
 * ```
 */
export function runRolloutDemo(out: (line: string) => void): void {
  const document = JSON.parse(readFileSync(join(root, "definitions", "renewal-incentive-pilot.rollout.json"), "utf8")) as RolloutDefinition;
  const pilot = compileRollout(document);
  out("## Gray release: renewal incentive v2 piloted at three campuses");
  for (const c of CUSTOMERS) {
    out(`### ${c.title}`);
    out(explainAssignment(pilot.evaluate(c.facts, { at: c.at })));
  }
  out("");

  const { events, issues } = parseRolloutEventLines(readFileSync(join(root, "data", "renewal-pilot.events.jsonl"), "utf8"));
  if (issues.length) throw new Error(`data/renewal-pilot.events.jsonl: ${issues.length} bad lines`);
  const report = analyzeRollout(pilot, events);
  out(`## Pilot report (${events.length.toLocaleString("en-US")} events from data/renewal-pilot.events.jsonl)`);
  out(explainRolloutReport(report));
  out("");

  const { action, variant } = report.recommendation;
  if (action === "promote" && variant) {
    const promotedAt = "2026-04-01T09:00:00+08:00";
    const promoted = compileRollout(transitionRollout(pilot.document, promotedAt, { action: "promote", variant }).document);
    out(`## One action: promote ${variant} (v${promoted.version}, effective ${promotedAt})`);
    out(explainAssignment(promoted.evaluate(CUSTOMERS[2]!.facts, { at: "2026-04-02T10:00:00+08:00" })));
    out("");
  }
}
