/** Plain-language explanations of rollout assignments. */
import type { ConditionTrace } from "../conditions/compile.js";
import { describeConditionTrace } from "../decisions/explain.js";
import type { BucketRange } from "./layout.js";
import type { RolloutResult } from "./types.js";

/** A number as short text: at most 6 decimals, no trailing zeros. @internal */
export function fmt(x: number): string {
  return String(Number(x.toFixed(6)));
}

/** `[0.25, 0.3)` @internal */
export function fmtRange(r: BucketRange): string {
  return `[${fmt(r[0])}, ${fmt(r[1])})`;
}

/** The first failing leaf of a condition trace, as one line without its mark. @internal */
export function firstFailure(trace: ConditionTrace): string {
  const walk = (t: ConditionTrace): ConditionTrace | undefined => {
    if (t.passed && t.type !== "not") return undefined;
    switch (t.type) {
      case "all":
      case "any":
        for (const c of t.children) {
          const f = walk(c);
          if (f) return f;
        }
        return t;
      case "not":
        return t.passed ? undefined : t;
      default:
        return t;
    }
  };
  const leaf = walk(trace) ?? trace;
  const [line] = describeConditionTrace(leaf);
  return (line ?? "").replace(/^\s*[✓✗]\s*/, "");
}

/**
 * Describe a rollout assignment in a few lines: the decision, then each check
 * made (targeting, holdout, layer, bucket and range).
 *
 * @param result - what a compiled rollout's `evaluate` returned
 * @returns multi-line text for logs, CLIs and support staff
 * @example
 * ```ts
 * console.log(explainAssignment(rollout.evaluate({ customer: { id: "C-0001" } }, { at })));
 * // rollout renewal-incentive-v2 v1 (running) at 2026-03-20T00:00:00.000Z: treatment → {"policy":"renewal-v2"}
 * //   assigned: customer.id "C-0001" has bucket 0.6253, inside treatment's live range [0.5, 1) at 100% ramp (v1)
 * ```
 */
export function explainAssignment(result: RolloutResult): string {
  const e = result.explanation;
  const lines = [
    `rollout ${result.id} v${result.version} (${result.status}) at ${result.at}: ${result.variant} → ${JSON.stringify(result.output)}${result.inExperiment ? "" : " (not in experiment)"}`,
    `  ${e.reason}: ${e.message}`,
  ];
  if (e.targeting) lines.push(`  targeting ${e.targeted ? "held" : "did not hold"}:`, ...describeConditionTrace(e.targeting, "    "));
  if (e.holdout) lines.push(`  holdout: bucket ${fmt(e.holdout.bucket)} ${e.holdout.held ? "<" : ">="} ${fmt(e.holdout.percent)}%${e.holdout.held ? ", held out" : ""}`);
  if (e.layer) lines.push(`  layer ${e.layer.id}: bucket ${fmt(e.layer.bucket)} ${e.layer.inside ? "inside" : "outside"} ${fmtRange(e.layer.range)}`);
  if (result.bucket !== null) lines.push(`  bucket ${fmt(result.bucket)}${result.range ? ` in ${fmtRange(result.range)}` : ""}, ramp at ${fmt(e.coverage)}%`);
  return lines.join("\n");
}
