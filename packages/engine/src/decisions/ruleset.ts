/** Rule sets: ordered rules with conditions and outputs, and their hit policies. */
import { catalogueIssue } from "../i18n/issues.js";
import { decisionMessages } from "../i18n/messages/decisions.js";
import { compileNode, makeScope, type ConditionTrace } from "../conditions/compile.js";
import type { Scope } from "../expr/compile.js";
import { warningsSince } from "../expr/warnings.js";
import type { RuleSetDocument } from "../schema/ruleset.js";
import { compileOutput, type OutputFn } from "./outputs.js";
import type { DecisionResult, MatchedRule, RuleTrace } from "./types.js";
import type { CompileContext, EvaluateDefinitionOptions } from "../core/context.js";

/** A compiled rule set. */
export interface CompiledRuleSet {
  readonly kind: "ruleset";
  readonly id: string;
  readonly version: number;
  readonly document: RuleSetDocument;
  /** Evaluate against facts. Synchronous and side-effect free. */
  evaluate(facts: unknown, options?: EvaluateDefinitionOptions): DecisionResult;
  /** @internal */
  readonly evaluateScope: (scope: Scope, nowMs: number, trace: boolean) => DecisionResult;
}

interface CompiledRule {
  readonly index: number;
  readonly id: string;
  readonly priority: number;
  readonly run: ((s: Scope, n: number) => boolean) | undefined;
  readonly trace: ((s: Scope, n: number, soft?: boolean) => ConditionTrace) | undefined;
  readonly outputs: readonly (readonly [string, OutputFn])[];
}

/**
 * Compile a validated rule set document; problems go to `ctx.issues`.
 * @internal
 */
export function compileRuleSetInto(doc: RuleSetDocument, ctx: CompileContext): CompiledRuleSet {
  const ids = new Map<string, number>();
  const rules: CompiledRule[] = doc.rules.map((rule, i) => {
    const prev = ids.get(rule.id);
    if (prev !== undefined) {
      ctx.issues.push(catalogueIssue(decisionMessages, "duplicateRule", ["rules", i, "id"], { id: rule.id, prev }, "duplicate_rule"));
    }
    ids.set(rule.id, i);
    const cond = rule.when ? compileNode(rule.when, ctx, ["rules", i, "when"]) : undefined;
    const outputs = Object.entries(rule.then).map(
      ([key, value]) => [key, compileOutput(value, "json", ctx, ["rules", i, "then", key])] as const,
    );
    return { index: i, id: rule.id, priority: rule.priority ?? 0, run: cond?.run, trace: cond?.trace, outputs };
  });
  if (doc.hitPolicy === "priority" && doc.rules.every((r) => r.priority === undefined)) {
    ctx.issues.push(catalogueIssue(decisionMessages, "rulesetNeedsPriority", ["rules"], {}, "missing_priority"));
  }
  const byPriority = [...rules].sort((a, b) => b.priority - a.priority || a.index - b.index);
  const { id, version, hitPolicy } = doc;

  const outputOf = (rule: CompiledRule, s: Scope): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, f] of rule.outputs) out[k] = f(s);
    return out;
  };

  const evaluateScope = (s: Scope, n: number, trace: boolean): DecisionResult => {
    const warnedBefore = s.warnings?.length ?? 0;
    const matched: MatchedRule[] = [];
    let traces: RuleTrace[] | undefined;
    const order = hitPolicy === "priority" ? byPriority : rules;
    if (trace) {
      // Rules after the winner are traced softly: tracing never fails where evaluating would not.
      const list = new Array<RuleTrace>(rules.length);
      let decided = false;
      for (const r of order) {
        const t = r.trace?.(s, n, decided);
        const matchedRule = t ? t.passed : true;
        list[r.index] = { index: r.index, id: r.id, matched: matchedRule, ...(t ? { condition: t } : {}) };
        if (matchedRule && hitPolicy !== "collect") decided = true;
      }
      traces = list;
    }
    for (const r of order) {
      const hit = traces ? traces[r.index]!.matched : r.run === undefined || r.run(s, n);
      if (hit) {
        matched.push({ index: r.index, id: r.id, output: outputOf(r, s) });
        if (hitPolicy !== "collect") break;
      }
    }
    return {
      kind: "ruleset",
      id,
      version,
      at: s.now ?? "",
      hitPolicy,
      output: hitPolicy === "collect" ? matched.map((m) => m.output) : (matched[0]?.output ?? null),
      matched,
      ...(traces ? { trace: { rules: traces } } : {}),
      warnings: warningsSince(s, warnedBefore),
    };
  };

  return {
    kind: "ruleset",
    id,
    version,
    document: doc,
    evaluateScope,
    evaluate(facts, options) {
      const { scope, nowMs } = makeScope(facts, options?.at, options?.maxSteps);
      return evaluateScope(scope, nowMs, options?.trace === true);
    },
  };
}
