/**
 * What a case's `expect` may name, per kind, and where it is read from in the
 * result; and the trace path of what decided (the rule, row, tier, modifier,
 * benefit or variant), for reports.
 */
import type { DecisionResult } from "../../decisions/types.js";
import type { PromotionResult } from "../../promotions/promotion.js";
import type { RebateQuote } from "../../rebates/quote.js";
import type { RebateStatement } from "../../rebates/statement.js";
import type { RolloutResult } from "../../rollouts/types.js";
import type { CompiledDefinition } from "../../definitions.js";

/** The result kinds a case with `expect` can check. */
export type ExpectKind = "ruleset" | "decision-table" | "promotion" | "rebate" | "rebate-statement" | "rollout";

const DECISION = ["output", "matched", "hitPolicy", "warnings", "version"] as const;

/**
 * The keys `expect` may hold for each result kind (`rebate-statement`: a
 * rebate case with `settle`). Every other key is refused when the suite runs.
 */
export const EXPECT_KEYS: Readonly<Record<ExpectKind, readonly string[]>> = {
  ruleset: DECISION,
  "decision-table": DECISION,
  promotion: ["output", "eligible", "inEffect", "benefits", "value", "currency", "failed", "hints", "nearMiss", "stacking", "warnings", "version"],
  rebate: [
    "output",
    "rate",
    "rebate",
    "tier",
    "baseRate",
    "marginal",
    "basis",
    "periodToDate",
    "projected",
    "account",
    "lines",
    "previous",
    "change",
    "baseChange",
    "nextTier",
    "currency",
    "warnings",
    "version",
  ],
  "rebate-statement": ["totals", "accounts", "lines", "adjustments", "rechecks", "excluded", "versions", "breakdown", "partial", "sequence", "period", "settledAt", "warnings"],
  rollout: ["output", "variant", "inExperiment", "status", "unit", "bucket", "reason", "targeted", "version"],
};

/** A result as `expect` sees it: plain JSON, `matched` as rule ids, a rollout's `reason` and `targeted` lifted from its explanation. */
export function viewOf(kind: ExpectKind, result: unknown): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
  if (kind === "ruleset" || kind === "decision-table") {
    const r = result as DecisionResult;
    return { ...plain, matched: r.matched.map((m) => m.id) };
  }
  if (kind === "rollout") {
    const r = result as RolloutResult;
    return { ...plain, reason: r.explanation.reason, targeted: r.explanation.targeted };
  }
  return plain;
}

/** The document path and label of rule `i` (rule sets and tables keep their rows in `rules`). */
const rulePath = (index: number, id: string): string => `rules[${index}] (${id})`;

/**
 * What decided a result, as paths in its definition: the matched rules or
 * rows, the failed conditions or the benefits of a promotion, the tier and
 * modifiers of a rebate, the variant of a rollout. Empty when nothing
 * decided (no rule matched).
 */
export function decidedBy(kind: ExpectKind, def: CompiledDefinition, result: unknown): string[] {
  switch (kind) {
    case "ruleset":
    case "decision-table":
      return (result as DecisionResult).matched.map((m) => rulePath(m.index, m.id));
    case "promotion": {
      const r = result as PromotionResult;
      if (!r.eligible) return r.failed.map((f) => `${f.path}${f.label ? ` (${f.label})` : ""}`);
      const doc = def.document as { benefit: unknown };
      return Array.isArray(doc.benefit) ? doc.benefit.map((_, i) => `benefit[${i}]`) : ["benefit"];
    }
    case "rebate": {
      const r = result as RebateQuote;
      const tier = r.tier.index >= 0 ? [`tiers[${r.tier.index}]${r.tier.name ? ` (${r.tier.name})` : ""}`] : [];
      return [...tier, ...modifierPaths(def, r.lines.flatMap((l) => l.modifiers.map((m) => m.name)))];
    }
    case "rebate-statement": {
      const s = result as RebateStatement;
      const out: string[] = [];
      for (const a of s.accounts) for (const t of a.tiers) if (t.reached.index >= 0) out.push(`${a.account}: v${t.version} tiers[${t.reached.index}]${t.reached.name ? ` (${t.reached.name})` : ""}`);
      return [...out, ...modifierPaths(def, s.lines.flatMap((l) => l.modifiers.map((m) => m.name)))];
    }
    case "rollout": {
      const r = result as RolloutResult;
      const doc = def.document as { variants: { id: string }[] };
      const i = doc.variants.findIndex((v) => v.id === r.variant);
      return [`variants[${i}] (${r.variant}): ${r.explanation.reason}`];
    }
  }
}

/** The indexes of the modifiers whose names were applied (a modifier without a name is `modifiers[i]`). */
export function modifierIndexes(def: CompiledDefinition, names: readonly string[]): number[] {
  const mods = (def.document as { modifiers?: { name?: string | undefined }[] | undefined }).modifiers ?? [];
  const wanted = new Set(names);
  return mods.flatMap((m, i) => (wanted.has(m.name ?? `modifiers[${i}]`) ? [i] : []));
}

function modifierPaths(def: CompiledDefinition, names: readonly string[]): string[] {
  const mods = (def.document as { modifiers?: { name?: string | undefined }[] | undefined }).modifiers ?? [];
  return modifierIndexes(def, names).map((i) => `modifiers[${i}]${mods[i]!.name ? ` (${mods[i]!.name})` : ""}`);
}
