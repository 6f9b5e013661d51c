/** Plain-language explanations of rollout assignments. */
import type { ConditionTrace } from "../conditions/compile.js";
import { explainConditionTrace, type ExplainOptions } from "../decisions/explain.js";
import { formatMessage, type MessageParams } from "../i18n/catalogue.js";
import { resolveLocale, type Locale } from "../i18n/locale.js";
import { rolloutExplainMessages, rolloutReasonMessages } from "../i18n/messages/rollout-explain.js";
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

type Key = keyof (typeof rolloutExplainMessages)["messages"]["en"];
/** @internal */
export const sayRollout = (locale: Locale, key: Key, params?: MessageParams): string => formatMessage(rolloutExplainMessages, locale, key, params);

/** The first failing leaf of a condition trace, as one line without its mark. @internal */
export function firstFailure(trace: ConditionTrace, locale: Locale = "en"): string {
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
  const [line] = explainConditionTrace(leaf, "", { locale });
  return (line ?? "").replace(/^\s*[✓✗]\s*/, "");
}

/**
 * Describe a rollout assignment in a few lines: the decision, then each check
 * made (targeting, holdout, layer, bucket and range).
 *
 * @param result - what a compiled rollout's `evaluate` returned
 * @param options - `locale`: `en` (default) or `zh-CN`; Chinese is written
 *   from the result's structured fields (reason, unit, bucket, range, ramp)
 * @returns multi-line text for logs, CLIs and support staff
 * @example
 * ```ts
 * console.log(explainAssignment(rollout.evaluate({ customer: { id: "C-0001" } }, { at })));
 * // rollout renewal-incentive-v2 v1 (running) at 2026-03-20T00:00:00.000Z: treatment → {"policy":"renewal-v2"}
 * //   assigned: customer.id "C-0001" has bucket 0.6253, inside treatment's live range [0.5, 1) at 100% ramp (v1)
 * console.log(explainAssignment(result, { locale: "zh-CN" }));
 * //   已分配：单元 "C-0001" 的分桶为 0.6253，落在 treatment 的生效区间 [0.5, 1) 内，当前放量 100%（v1）
 * ```
 */
export function explainAssignment(result: RolloutResult, options: ExplainOptions = {}): string {
  const locale = resolveLocale(options.locale);
  const say = (key: Key, params?: MessageParams): string => sayRollout(locale, key, params);
  const e = result.explanation;
  const notIn = result.inExperiment ? "" : say("notInExperiment");
  const lines = [
    say("head", { id: result.id, version: result.version, status: result.status, at: result.at, variant: result.variant, output: JSON.stringify(result.output), notIn }),
    `  ${locale === "en" ? `${e.reason}: ${e.message}` : say("reasonLine", { reason: formatMessage(rolloutReasonMessages, locale, e.reason), message: reasonSentence(result, locale) })}`,
  ];
  if (e.targeting) lines.push(`  ${say(e.targeted ? "targetingHeld" : "targetingFailed")}`, ...explainConditionTrace(e.targeting, "    ", { locale }));
  if (e.holdout) lines.push(`  ${say("holdout", { bucket: fmt(e.holdout.bucket), cmp: e.holdout.held ? "<" : ">=", percent: fmt(e.holdout.percent), held: e.holdout.held ? say("heldOut") : "" })}`);
  if (e.layer) lines.push(`  ${say("layer", { id: e.layer.id, bucket: fmt(e.layer.bucket), where: say(e.layer.inside ? "inside" : "outside"), range: fmtRange(e.layer.range) })}`);
  if (result.bucket !== null) lines.push(`  ${say("bucket", { bucket: fmt(result.bucket), range: result.range ? say("bucketIn", { range: fmtRange(result.range) }) : "", coverage: fmt(e.coverage) })}`);
  return lines.join("\n");
}

/** The reason of an assignment as a sentence, from the result's fields. */
function reasonSentence(result: RolloutResult, locale: Locale): string {
  const e = result.explanation;
  const unit = result.unit === null ? "" : `${locale === "zh-CN" ? "单元 " : ""}${JSON.stringify(result.unit)}`;
  const base = { variant: result.variant, version: result.version, unit };
  const say = (key: Key, params: MessageParams): string => sayRollout(locale, key, { ...base, ...params });
  switch (e.reason) {
    case "not-targeted":
      return say("reason_not-targeted", { failure: e.targeting ? firstFailure(e.targeting, locale) : "" });
    case "switched":
      return say("reason_switched", { switch: e.switch ?? "" });
    case "pilot":
      return say("reason_pilot", { pilot: e.pilot ?? "" });
    case "holdout":
      return say("reason_holdout", { bucket: e.holdout?.bucket ?? "", percent: e.holdout?.percent ?? "" });
    case "outside-layer":
      return say("reason_outside-layer", { layer: e.layer?.id ?? "" });
    case "sticky":
      return say("reason_sticky", { stickyVersion: e.sticky?.version ?? "" });
    case "assigned":
      return say("reason_assigned", { bucket: result.bucket ?? "", range: result.range ? fmtRange(result.range) : "", coverage: fmt(e.coverage) });
    case "not-ramped":
      return e.coverage === 0 ? say("notStarted", {}) : say("reason_not-ramped", { bucket: result.bucket ?? "", coverage: fmt(e.coverage) });
    default:
      return say(`reason_${e.reason}`, {});
  }
}
