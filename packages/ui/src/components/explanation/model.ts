/**
 * The pure logic of `<rf-explanation>`: which kind of result a value is (by
 * its shape), the readable tree built from it (every condition with its
 * actual and expected values and pass or fail), and the tree's keyboard
 * navigation. No DOM here: the property tests run these in node.
 */
import { explainAssignment, type RolloutResult } from "@ruleflow/engine/rollouts";
import { localizeIssue, type ConditionTrace, type DecisionResult, type RowTrace, type RuleTrace } from "@ruleflow/engine";
import type { PromotionResult, BenefitResult, FailedCondition } from "@ruleflow/engine/promotions";
import type { StatementLine, RebateQuote, AppliedModifier } from "@ruleflow/engine/rebates";
import type { EvaluationWarning } from "@ruleflow/engine/rules";
import { COMMON, defineMessages, translator, type UiLocale } from "../../shared/i18n.js";

/**
 * What a result is, told apart by shape:
 * - `decision`: `kind` is `"ruleset"` or `"decision-table"` and `matched` is an array (a `DecisionResult`)
 * - `promotion`: `kind` is `"promotion"` (a `PromotionResult`)
 * - `rollout`: `kind` is `"rollout"` (a `RolloutResult`)
 * - `rebate-quote`: `kind` is `"rebate"` (a `RebateQuote`, from a rebate program's `evaluate`)
 * - `rebate-line`: no `kind`, and the strings `key`, `account`, `basis`, `baseRate`, `rate`, `amount`, `due` (a statement's `StatementLine` or `AdjustmentLine`)
 * - `unknown`: anything else
 */
export type ResultKind = "decision" | "promotion" | "rollout" | "rebate-quote" | "rebate-line" | "unknown";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Tell which kind of result `result` is (see {@link ResultKind}). */
export function resultKind(result: unknown): ResultKind {
  if (!isObj(result)) return "unknown";
  const kind = result.kind;
  if ((kind === "ruleset" || kind === "decision-table") && Array.isArray(result.matched)) return "decision";
  if (kind === "promotion" && typeof result.eligible === "boolean") return "promotion";
  if (kind === "rollout" && typeof result.variant === "string" && isObj(result.explanation)) return "rollout";
  if (kind === "rebate" && typeof result.rate === "string") return "rebate-quote";
  if (kind === undefined && ["key", "account", "basis", "baseRate", "rate", "amount", "due"].every((k) => typeof result[k] === "string")) return "rebate-line";
  return "unknown";
}

const MESSAGES = defineMessages({
  en: {
    explanation: "Explanation",
    unknown: "This is not a result the explanation knows: give it a rule set or decision table result, a promotion evaluation, a rollout assignment or a rebate statement line.",
    ruleset: "Rule set {id} v{version}",
    "decision-table": "Decision table {id} v{version}",
    promotion: "Promotion {id} v{version}",
    rollout: "Rollout {id} v{version}",
    rebateQuote: "Rebate {id} v{version}: order preview",
    rebateLine: "Rebate statement line {key}",
    at: "at {at}",
    output: "Output",
    noMatch: "No rule matched",
    noTrace: "No trace: evaluate with { trace: true } to see why.",
    decided: "decided",
    matched: "matched",
    notMatched: "did not match",
    alsoMatched: "matched, not used by hit policy {policy}",
    rule: "Rule {n}: {id}",
    row: "Row {n}: {id}",
    always: "no condition: always applies",
    inputs: "Inputs",
    all: "All of these",
    any: "Any of these",
    not: "Not",
    passedOf: "{passed} of {total} passed",
    expression: "expression",
    result: "result",
    factsRead: "facts read",
    missing: "missing",
    test: "test",
    warnings: "Warnings",
    error: "could not be evaluated: {message}",
    eligible: "Eligible",
    notEligible: "Not eligible",
    notInEffect: "Not in effect at this time",
    eligibility: "Eligibility",
    benefits: "Benefits",
    value: "Value",
    nearMiss: "Nearly qualifies",
    hints: "How to qualify",
    stacking: "Stacking: group {group}, {mode}, priority {priority}",
    benefit_gift: "Gift: {quantity} × {sku}",
    benefit_discount: "Discount {amount} on {base}",
    benefit_points: "{points} points ({multiplier} × {base})",
    benefit_subsidy: "Subsidy {amount}",
    capped: "capped",
    "mode_stackable": "stackable",
    "mode_exclusive": "exclusive",
    "mode_best-of": "best of the group",
    variant: "Variant {variant}",
    inExperiment: "in the experiment",
    notInExperiment: "not in the experiment",
    reason: "Why",
    targeting: "Targeting",
    holdout: "Holdout: bucket {bucket}, {percent}% held out",
    heldOut: "held out",
    notHeldOut: "not held out",
    layer: "Layer {id}: bucket {bucket}, range [{from}, {to})",
    inside: "inside",
    outside: "outside",
    bucket: "Bucket {bucket}",
    range: "live range [{from}, {to})",
    coverage: "ramp {coverage}%",
    switch: "Elastic switch {id}",
    pilot: "Pilot list {pilot}",
    sticky: "Kept variant {variant} from v{version}",
    account: "Account {account}",
    date: "Order date {date}, priced by v{version}",
    basis: "Basis",
    volume: "Volume",
    tier: "Tier reached",
    belowFirstTier: "below the first tier",
    tierName: "{name} (tier {n}), rate {rate}",
    baseRate: "Base rate",
    modifiers: "Modifiers",
    noModifiers: "none applied",
    modifierMultiply: "{name}: × {value}",
    modifierAdd: "{name}: + {value}",
    applied: "applied",
    rate: "Rate",
    amount: "Earned",
    paid: "Already paid",
    due: "Due now",
    excluded: "Excluded: {reason}",
    adjustment: "{type} for {period}: {reason}",
    dims: "Breakdown",
    periodToDate: "Period to date {before} → {after} with this order",
    rebate: "Rebate on this order",
    marginal: "Period rebate grows by",
    nextTier: "Next tier",
    nextTierText: "{name}: {remaining} more ({remainingOf}) reaches rate {rate}",
    topTier: "at the top tier",
    previous: "Last period",
    previousText: "basis {basis}, rate {rate} (change {change})",
    lines: "Lines",
    line: "Line {n}: basis {basis}, rate {rate}",
    op_in: "in",
    op_notIn: "not in",
    op_contains: "contains",
    op_notContains: "does not contain",
    op_between: "between",
    op_exists: "exists",
    op_startsWith: "starts with",
    op_endsWith: "ends with",
    op_before: "before",
    op_after: "after",
    op_withinLast: "within the last",
  },
  "zh-CN": {
    explanation: "解释",
    unknown: "无法识别这个结果：请传入规则集或决策表的结果、促销评估、灰度分配或返利结算单的明细行。",
    ruleset: "规则集 {id} v{version}",
    "decision-table": "决策表 {id} v{version}",
    promotion: "促销 {id} v{version}",
    rollout: "灰度发布 {id} v{version}",
    rebateQuote: "返利 {id} v{version}：订单预估",
    rebateLine: "返利结算明细 {key}",
    at: "评估时间 {at}",
    output: "结果",
    noMatch: "没有命中任何规则",
    noTrace: "没有追踪信息：评估时传入 { trace: true } 才能看到原因。",
    decided: "采用",
    matched: "命中",
    notMatched: "未命中",
    alsoMatched: "命中，但按命中策略 {policy} 未采用",
    rule: "规则 {n}：{id}",
    row: "第 {n} 行：{id}",
    always: "无条件：始终适用",
    inputs: "输入",
    all: "以下全部满足",
    any: "以下任一满足",
    not: "不成立",
    passedOf: "{total} 项中 {passed} 项通过",
    expression: "表达式",
    result: "结果",
    factsRead: "读取的字段",
    missing: "缺失",
    test: "测试",
    warnings: "警告",
    error: "无法计算：{message}",
    eligible: "符合条件",
    notEligible: "不符合条件",
    notInEffect: "当前不在生效期内",
    eligibility: "参与条件",
    benefits: "优惠",
    value: "价值",
    nearMiss: "差一点就符合",
    hints: "如何达标",
    stacking: "叠加：分组 {group}，{mode}，优先级 {priority}",
    benefit_gift: "赠品：{quantity} × {sku}",
    benefit_discount: "折扣 {amount}（基数 {base}）",
    benefit_points: "积分 {points}（{multiplier} × {base}）",
    benefit_subsidy: "补贴 {amount}",
    capped: "已封顶",
    "mode_stackable": "可叠加",
    "mode_exclusive": "互斥",
    "mode_best-of": "组内择优",
    variant: "方案 {variant}",
    inExperiment: "参与实验",
    notInExperiment: "不参与实验",
    reason: "原因",
    targeting: "目标人群",
    holdout: "留出组：分桶 {bucket}，留出 {percent}%",
    heldOut: "被留出",
    notHeldOut: "未被留出",
    layer: "实验层 {id}：分桶 {bucket}，区间 [{from}, {to})",
    inside: "在区间内",
    outside: "在区间外",
    bucket: "分桶 {bucket}",
    range: "生效区间 [{from}, {to})",
    coverage: "放量 {coverage}%",
    switch: "弹性开关 {id}",
    pilot: "试点名单 {pilot}",
    sticky: "沿用 v{version} 分配的方案 {variant}",
    account: "客户 {account}",
    date: "下单时间 {date}，按 v{version} 计价",
    basis: "计算基数",
    volume: "数量",
    tier: "达到的档位",
    belowFirstTier: "未达到第一档",
    tierName: "{name}（第 {n} 档），返利率 {rate}",
    baseRate: "基础返利率",
    modifiers: "调整项",
    noModifiers: "无适用调整项",
    modifierMultiply: "{name}：× {value}",
    modifierAdd: "{name}：+ {value}",
    applied: "已应用",
    rate: "返利率",
    amount: "应得",
    paid: "已支付",
    due: "本期应付",
    excluded: "已排除：{reason}",
    adjustment: "{period} 的{type}：{reason}",
    dims: "维度",
    periodToDate: "本期累计 {before} → 加上本单 {after}",
    rebate: "本单返利",
    marginal: "本期返利增加",
    nextTier: "下一档",
    nextTierText: "{name}：再增加 {remaining}（{remainingOf}）可达返利率 {rate}",
    topTier: "已在最高档",
    previous: "上期",
    previousText: "基数 {basis}，返利率 {rate}（变化 {change}）",
    lines: "明细行",
    line: "第 {n} 行：基数 {basis}，返利率 {rate}",
    op_in: "属于",
    op_notIn: "不属于",
    op_contains: "包含",
    op_notContains: "不包含",
    op_between: "介于",
    op_exists: "存在",
    op_startsWith: "开头是",
    op_endsWith: "结尾是",
    op_before: "早于",
    op_after: "晚于",
    op_withinLast: "在最近",
  },
});

type Key = keyof (typeof MESSAGES)["en"] | keyof (typeof COMMON)["en"];
type T = (key: Key, params?: Record<string, string | number>) => string;

/** A translator over this component's messages and the shared words (COMMON). */
export function explanationTranslator(locale: UiLocale): T {
  const own = translator(MESSAGES, locale);
  const common = translator(COMMON, locale);
  return (key, params) => (Object.hasOwn(COMMON.en, key) ? common(key as keyof (typeof COMMON)["en"], params) : own(key as keyof (typeof MESSAGES)["en"], params));
}

/** pass or fail, shown with a colour AND an icon and a word. */
type Status = "pass" | "fail";

/** One item of the explanation tree. */
export interface ExplNode {
  /** Unique in the tree (used for expansion state and keyboard focus). */
  id: string;
  /** The item's text, in the locale. */
  title: string;
  status?: Status | undefined;
  /** The rule or row that decided, the variant assigned: highlighted, with the word `decided`. */
  decided?: boolean | undefined;
  /** A short word after the status (matched, did not match, applied...). */
  verdict?: string | undefined;
  /** Named values (actual, expected, test...), shown as `name: value`. */
  values?: { name: string; value: string }[] | undefined;
  /** A hint or note under the title. */
  note?: string | undefined;
  /** `warn` for warnings, `info` for plain facts. */
  tone?: "warn" | "info" | undefined;
  /** The JSON path in the definition this item explains, when there is one (`rules[0].when.all[1]`). */
  path?: string | undefined;
  children: ExplNode[];
}

/** A whole explanation: its heading, the one-line answer, and the tree. */
export interface Explanation {
  kind: ResultKind;
  heading: string;
  summary: { text: string; status?: Status | undefined; value?: string | undefined };
  tree: ExplNode[];
}

/** A value as the explanation shows it: strings quoted, objects as JSON (cut at 200 characters). */
export function showValue(v: unknown, t?: T): string {
  if (v === undefined) return t ? t("missing") : "missing";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" || v === null) return String(v);
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    // a cycle: said as what it is, below
  }
  text ??= Object.prototype.toString.call(v);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

const SYMBOLS: Record<string, string> = { eq: "=", ne: "≠", gt: ">", gte: "≥", lt: "<", lte: "≤" };

/** An operator as people read it: `≥`, or a word in the locale. */
function operatorText(op: string, t: T): string {
  if (SYMBOLS[op]) return SYMBOLS[op];
  const key = `op_${op}` as Key;
  return Object.hasOwn(MESSAGES.en, key) ? t(key) : op;
}

function warningNodes(warnings: readonly EvaluationWarning[] | undefined, locale: UiLocale, prefix: string): ExplNode[] {
  return (warnings ?? []).map((w, i) => ({
    id: `${prefix}~w${i}`,
    title: localizeIssue(w, locale).message,
    tone: "warn" as const,
    path: w.path,
    children: [],
  }));
}

/** Extra per-leaf notes (a promotion's near-miss hints), by trace path. */
type Notes = ReadonlyMap<string, string>;

/** The tree of a condition trace. */
function conditionNode(trace: ConditionTrace, t: T, locale: UiLocale, prefix: string, notes: Notes = new Map()): ExplNode {
  const id = `${prefix}:${trace.path}`;
  const status: Status = trace.passed ? "pass" : "fail";
  const verdict = t(trace.passed ? "matched" : "notMatched");
  if (trace.type === "all" || trace.type === "any") {
    const passed = trace.children.filter((c) => c.passed).length;
    const group = t(trace.type);
    return {
      id,
      title: trace.label ? `${trace.label} (${group})` : group,
      status,
      note: t("passedOf", { passed, total: trace.children.length }),
      path: trace.path,
      children: trace.children.map((c) => conditionNode(c, t, locale, prefix, notes)),
    };
  }
  if (trace.type === "not") {
    return { id, title: trace.label ? `${trace.label} (${t("not")})` : t("not"), status, path: trace.path, children: [conditionNode(trace.child, t, locale, prefix, notes)] };
  }
  const leaf = trace as Extract<ConditionTrace, { type: "fact" | "expr" }>;
  const extra: ExplNode[] = [...warningNodes(leaf.warnings, locale, id)];
  if (leaf.error) extra.push({ id: `${id}~err`, title: t("error", { message: leaf.error }), status: "fail", children: [] });
  if (leaf.type === "fact") {
    const expected = leaf.expectedFact ?? showValue(leaf.expected, t);
    const rule = `${leaf.fact} ${operatorText(leaf.op, t)} ${leaf.op === "exists" && leaf.expected === null ? "" : expected}`.trim();
    return {
      id,
      title: leaf.label ?? rule,
      status,
      verdict,
      values: [
        ...(leaf.label ? [{ name: t("test"), value: rule }] : []),
        { name: t("actual"), value: leaf.missing ? t("missing") : showValue(leaf.actual, t) },
        { name: t("expected"), value: `${operatorText(leaf.op, t)} ${expected}` },
      ],
      note: notes.get(leaf.path),
      path: leaf.path,
      children: extra,
    };
  }
  const facts = Object.entries(leaf.facts).map(([k, v]) => `${k} = ${showValue(v, t)}`);
  return {
    id,
    title: leaf.label ?? leaf.expr,
    status,
    verdict,
    values: [
      ...(leaf.label ? [{ name: t("expression"), value: leaf.expr }] : []),
      { name: t("actual"), value: showValue(leaf.actual, t) },
      { name: t("expected"), value: "true" },
      ...(facts.length ? [{ name: t("factsRead"), value: facts.join(", ") }] : []),
    ],
    note: notes.get(leaf.path),
    path: leaf.path,
    children: extra,
  };
}

function isRowTrace(r: RuleTrace | RowTrace): r is RowTrace {
  return Array.isArray((r as RowTrace).cells);
}

function decisionTree(r: DecisionResult, t: T, locale: UiLocale): Explanation {
  const decidedIds = new Set(r.matched.map((m) => m.index));
  const tree: ExplNode[] = [];
  const output = r.output === null ? t("noMatch") : showValue(r.output, t);
  if (r.trace?.inputs) {
    tree.push({
      id: "inputs",
      title: t("inputs"),
      tone: "info",
      children: Object.entries(r.trace.inputs).map(([k, v]) => ({ id: `inputs.${k}`, title: k, values: [{ name: t("actual"), value: showValue(v, t) }], children: [] })),
    });
  }
  for (const item of r.trace?.rules ?? []) {
    const decided = decidedIds.has(item.index);
    const verdict = decided ? t("decided") : item.matched ? t("alsoMatched", { policy: r.hitPolicy }) : t("notMatched");
    const status: Status = item.matched ? "pass" : "fail";
    if (isRowTrace(item)) {
      tree.push({
        id: `row${item.index}`,
        title: t("row", { n: item.index + 1, id: item.id }),
        status,
        decided,
        verdict,
        path: `rules[${item.index}]`,
        children: item.cells.map((c, i) => ({
          id: `row${item.index}.c${i}`,
          title: c.input,
          status: c.passed ? ("pass" as const) : ("fail" as const),
          values: [
            { name: t("actual"), value: showValue(c.actual, t) },
            { name: t("expected"), value: c.test },
          ],
          path: `rules[${item.index}].${c.input}`,
          children: warningNodes(c.warnings, locale, `row${item.index}.c${i}`),
        })),
      });
    } else {
      tree.push({
        id: `rule${item.index}`,
        title: t("rule", { n: item.index + 1, id: item.id }),
        status,
        decided,
        verdict,
        note: item.condition ? undefined : t("always"),
        path: `rules[${item.index}]`,
        children: item.condition ? [conditionNode(item.condition, t, locale, `rule${item.index}`)] : [],
      });
    }
  }
  if (!r.trace) tree.push({ id: "notrace", title: t("noTrace"), tone: "info", children: [] });
  if (r.warnings.length) tree.push({ id: "warnings", title: t("warnings"), tone: "warn", children: warningNodes(r.warnings, locale, "warnings") });
  return {
    kind: "decision",
    heading: t(r.kind, { id: r.id, version: r.version }),
    summary: { text: r.output === null ? t("noMatch") : t("output"), value: r.output === null ? undefined : output, status: r.matched.length ? undefined : "fail" },
    tree,
  };
}

function benefitText(b: BenefitResult, t: T): string {
  switch (b.type) {
    case "gift":
      return t("benefit_gift", { quantity: b.quantity, sku: b.sku });
    case "discount":
      return t("benefit_discount", { amount: b.amount, base: b.base }) + (b.capped ? ` (${t("capped")})` : "");
    case "points":
      return t("benefit_points", { points: b.points, multiplier: b.multiplier, base: b.base });
    case "subsidy":
      return t("benefit_subsidy", { amount: b.amount });
  }
}

function promotionTree(r: PromotionResult, t: T, locale: UiLocale): Explanation {
  const money = (v: string) => (r.currency ? `${v} ${r.currency}` : v);
  // near-miss hints sit under the failed condition they belong to
  const notes = new Map<string, string>();
  const byIndex = new Map<number, FailedCondition>(r.failed.map((f) => [f.index, f]));
  for (const h of r.hints) {
    const f = byIndex.get(h.index);
    if (f) notes.set(f.path, h.message);
  }
  const tree: ExplNode[] = [];
  if (!r.inEffect) tree.push({ id: "effect", title: t("notInEffect"), status: "fail", children: [] });
  if (r.trace) tree.push({ id: "eligibility", title: t("eligibility"), status: r.trace.passed ? "pass" : "fail", children: [conditionNode(r.trace, t, locale, "elig", notes)] });
  if (r.benefits.length) {
    tree.push({
      id: "benefits",
      title: t("benefits"),
      values: [{ name: t("value"), value: money(r.value) }],
      children: r.benefits.map((b, i) => ({ id: `benefit${i}`, title: b.label ?? benefitText(b, t), values: [{ name: t("value"), value: money(b.value) }], note: b.label ? benefitText(b, t) : undefined, children: [] })),
    });
  }
  if (r.hints.length) tree.push({ id: "hints", title: r.nearMiss ? t("nearMiss") : t("hints"), tone: "info", children: r.hints.map((h, i) => ({ id: `hint${i}`, title: h.message, tone: "info" as const, children: [] })) });
  const mode = Object.hasOwn(MESSAGES.en, `mode_${r.stacking.mode}`) ? t(`mode_${r.stacking.mode}` as Key) : r.stacking.mode;
  tree.push({ id: "stacking", title: t("stacking", { group: r.stacking.group, mode, priority: r.stacking.priority }), tone: "info", children: [] });
  if (r.warnings.length) tree.push({ id: "warnings", title: t("warnings"), tone: "warn", children: warningNodes(r.warnings, locale, "warnings") });
  return {
    kind: "promotion",
    heading: t("promotion", { id: r.id, version: r.version }),
    summary: { text: r.eligible ? t("eligible") : r.nearMiss ? `${t("notEligible")} · ${t("nearMiss")}` : t("notEligible"), status: r.eligible ? "pass" : "fail", value: r.eligible ? money(r.value) : undefined },
    tree,
  };
}

const fmt = (n: number) => String(Math.round(n * 10000) / 10000);

function rolloutTree(r: RolloutResult, t: T, locale: UiLocale): Explanation {
  const e = r.explanation;
  // The engine's own sentence for the reason, in the locale (the second line of its text explanation).
  const reason = explainAssignment(r, { locale }).split("\n")[1]?.trim() ?? `${e.reason}: ${e.message}`;
  const tree: ExplNode[] = [{ id: "reason", title: t("reason"), note: reason, status: e.reason === "not-targeted" || e.reason === "no-unit" ? "fail" : undefined, tone: "info", children: [] }];
  if (e.targeting) tree.push({ id: "targeting", title: t("targeting"), status: e.targeting.passed ? "pass" : "fail", children: [conditionNode(e.targeting, t, locale, "tgt")] });
  if (e.holdout) tree.push({ id: "holdout", title: t("holdout", { bucket: fmt(e.holdout.bucket), percent: fmt(e.holdout.percent) }), status: e.holdout.held ? "fail" : "pass", verdict: t(e.holdout.held ? "heldOut" : "notHeldOut"), children: [] });
  if (e.layer) tree.push({ id: "layer", title: t("layer", { id: e.layer.id, bucket: fmt(e.layer.bucket), from: fmt(e.layer.range[0]), to: fmt(e.layer.range[1]) }), status: e.layer.inside ? "pass" : "fail", verdict: t(e.layer.inside ? "inside" : "outside"), children: [] });
  if (r.bucket !== null) {
    const parts = [t("bucket", { bucket: fmt(r.bucket) }), ...(r.range ? [t("range", { from: fmt(r.range[0]), to: fmt(r.range[1]) })] : []), t("coverage", { coverage: fmt(e.coverage) })];
    tree.push({ id: "bucket", title: parts.join(" · "), tone: "info", children: [] });
  }
  if (e.switch) tree.push({ id: "switch", title: t("switch", { id: e.switch }), tone: "info", children: [] });
  if (e.pilot) tree.push({ id: "pilot", title: t("pilot", { pilot: e.pilot }), tone: "info", children: [] });
  if (e.sticky) tree.push({ id: "sticky", title: t("sticky", { variant: e.sticky.variant, version: e.sticky.version }), tone: "info", children: [] });
  tree.push({ id: "output", title: t("output"), values: [{ name: t("output"), value: showValue(r.output, t) }], decided: true, children: [] });
  return {
    kind: "rollout",
    heading: t("rollout", { id: r.id, version: r.version }),
    summary: { text: `${t("variant", { variant: r.variant })} · ${t(r.inExperiment ? "inExperiment" : "notInExperiment")}`, status: e.targeted === false ? "fail" : "pass" },
    tree,
  };
}

function modifierNodes(mods: readonly AppliedModifier[], t: T, prefix: string): ExplNode[] {
  if (mods.length === 0) return [{ id: `${prefix}.none`, title: t("noModifiers"), tone: "info", children: [] }];
  return mods.map((m, i) => ({ id: `${prefix}.${i}`, title: t(m.op === "multiply" ? "modifierMultiply" : "modifierAdd", { name: m.name, value: m.value }), status: "pass" as const, verdict: t("applied"), children: [] }));
}

function tierText(tier: { index: number; name?: string | undefined; rate: string } | null, t: T): string {
  if (!tier || tier.index < 0) return t("belowFirstTier");
  return t("tierName", { name: tier.name ?? `#${tier.index + 1}`, n: tier.index + 1, rate: tier.rate });
}

function rebateLineTree(l: StatementLine & { period?: string; type?: string; reason?: string }, t: T): Explanation {
  const v = (name: string, value: string) => ({ name, value });
  const tree: ExplNode[] = [
    { id: "account", title: t("account", { account: l.account }), note: t("date", { date: l.date, version: l.version }), tone: "info", children: [] },
    { id: "basis", title: t("basis"), values: [v(t("basis"), l.basis), ...(l.volume !== undefined ? [v(t("volume"), l.volume)] : [])], children: [] },
    { id: "tier", title: t("tier"), note: tierText(l.tier, t), status: l.tier && l.tier.index >= 0 ? "pass" : "fail", children: [] },
    { id: "baseRate", title: t("baseRate"), values: [v(t("baseRate"), l.baseRate)], children: [] },
    { id: "modifiers", title: t("modifiers"), children: modifierNodes(l.modifiers, t, "mod") },
    { id: "rate", title: t("rate"), values: [v(t("rate"), l.rate)], children: [] },
    { id: "amount", title: t("amount"), values: [v(t("amount"), l.amount), v(t("paid"), l.paid), v(t("due"), l.due)], decided: true, children: [] },
  ];
  if (l.excluded) tree.push({ id: "excluded", title: t("excluded", { reason: l.excluded }), status: "fail", children: [] });
  if (l.type && l.period) tree.push({ id: "adjustment", title: t("adjustment", { type: l.type, period: l.period, reason: l.reason ?? "" }), tone: "warn", children: [] });
  if (l.dims && Object.keys(l.dims).length) tree.push({ id: "dims", title: t("dims"), tone: "info", values: Object.entries(l.dims).map(([k, d]) => v(k, showValue(d, t))), children: [] });
  return { kind: "rebate-line", heading: t("rebateLine", { key: l.key }), summary: { text: t("due"), value: l.due, status: l.excluded ? "fail" : undefined }, tree };
}

function rebateQuoteTree(q: RebateQuote, t: T, locale: UiLocale): Explanation {
  const v = (name: string, value: string) => ({ name, value });
  const tree: ExplNode[] = [
    { id: "account", title: t("account", { account: q.account }), note: t("periodToDate", { before: q.periodToDate, after: q.projected }), tone: "info", children: [] },
    { id: "basis", title: t("basis"), values: [v(t("basis"), q.basis)], children: [] },
    { id: "tier", title: t("tier"), note: tierText(q.tier, t), status: q.tier.index >= 0 ? "pass" : "fail", children: [] },
    { id: "baseRate", title: t("baseRate"), values: [v(t("baseRate"), q.baseRate)], children: [] },
    {
      id: "lines",
      title: t("lines"),
      children: q.lines.map((l, i) => ({
        id: `line${i}`,
        title: t("line", { n: i + 1, basis: l.basis, rate: l.rate }),
        status: l.excluded ? ("fail" as const) : undefined,
        note: l.excluded ? t("excluded", { reason: l.excluded }) : undefined,
        children: modifierNodes(l.modifiers, t, `line${i}.mod`),
      })),
    },
    { id: "rate", title: t("rate"), values: [v(t("rate"), q.rate)], children: [] },
    { id: "rebate", title: t("rebate"), values: [v(t("rebate"), q.rebate), v(t("marginal"), q.marginal)], decided: true, children: [] },
    {
      id: "next",
      title: t("nextTier"),
      note: q.nextTier ? t("nextTierText", { name: q.nextTier.name ?? `#${q.nextTier.index + 1}`, remaining: q.nextTier.remaining, remainingOf: q.nextTier.remainingOf, rate: q.nextTier.rate }) : t("topTier"),
      tone: "info",
      children: [],
    },
  ];
  if (q.previous) tree.push({ id: "previous", title: t("previous"), note: t("previousText", { basis: q.previous.basis, rate: q.previous.rate, change: q.change ?? "" }), tone: "info", children: [] });
  if (q.warnings.length) tree.push({ id: "warnings", title: t("warnings"), tone: "warn", children: warningNodes(q.warnings, locale, "warnings") });
  return { kind: "rebate-quote", heading: t("rebateQuote", { id: q.id, version: q.version }), summary: { text: t("rebate"), value: q.rebate }, tree };
}

/** The explanation of any result the component knows, in `locale`. */
export function explain(result: unknown, locale: UiLocale): Explanation {
  const t = explanationTranslator(locale);
  switch (resultKind(result)) {
    case "decision":
      return decisionTree(result as DecisionResult, t, locale);
    case "promotion":
      return promotionTree(result as PromotionResult, t, locale);
    case "rollout":
      return rolloutTree(result as RolloutResult, t, locale);
    case "rebate-line":
      return rebateLineTree(result as StatementLine, t);
    case "rebate-quote":
      return rebateQuoteTree(result as RebateQuote, t, locale);
    default:
      return { kind: "unknown", heading: t("explanation"), summary: { text: t("unknown") }, tree: [] };
  }
}

// ---- the tree's keyboard model ----

/** One visible row of the tree, in display order. */
export interface FlatItem {
  id: string;
  /** 1-based depth (aria-level). */
  level: number;
  parent: string | undefined;
  expandable: boolean;
  expanded: boolean;
}

/** The items a reader can see: every node whose ancestors are all expanded, in order. */
export function visibleItems(nodes: readonly ExplNode[], collapsed: ReadonlySet<string>, level = 1, parent?: string): FlatItem[] {
  const out: FlatItem[] = [];
  for (const n of nodes) {
    const expandable = n.children.length > 0;
    const expanded = expandable && !collapsed.has(n.id);
    out.push({ id: n.id, level, parent, expandable, expanded });
    if (expanded) out.push(...visibleItems(n.children, collapsed, level + 1, n.id));
  }
  return out;
}

/**
 * What a key does in the tree (the WAI-ARIA tree pattern): ArrowDown / ArrowUp
 * move to the next / previous visible item, Home / End to the first / last,
 * ArrowRight expands a collapsed item or enters an expanded one, ArrowLeft
 * collapses an expanded item or goes to the parent, Enter and Space toggle.
 * Returns the item to focus and the item to expand or collapse, if any;
 * undefined for a key the tree does not use.
 */
export function navigate(items: readonly FlatItem[], active: string, key: string): { active: string; toggle?: string } | undefined {
  if (items.length === 0) return undefined;
  let i = items.findIndex((x) => x.id === active);
  if (i < 0) i = 0;
  const cur = items[i]!;
  switch (key) {
    case "ArrowDown":
      return { active: items[Math.min(items.length - 1, i + 1)]!.id };
    case "ArrowUp":
      return { active: items[Math.max(0, i - 1)]!.id };
    case "Home":
      return { active: items[0]!.id };
    case "End":
      return { active: items[items.length - 1]!.id };
    case "ArrowRight":
      if (!cur.expandable) return { active: cur.id };
      if (!cur.expanded) return { active: cur.id, toggle: cur.id };
      return { active: items[i + 1]?.parent === cur.id ? items[i + 1]!.id : cur.id };
    case "ArrowLeft":
      if (cur.expandable && cur.expanded) return { active: cur.id, toggle: cur.id };
      return { active: cur.parent ?? cur.id };
    case "Enter":
    case " ":
      return cur.expandable ? { active: cur.id, toggle: cur.id } : { active: cur.id };
    default:
      return undefined;
  }
}

/** Every node of a tree, depth first. */
export function allNodes(nodes: readonly ExplNode[]): ExplNode[] {
  return nodes.flatMap((n) => [n, ...allNodes(n.children)]);
}
