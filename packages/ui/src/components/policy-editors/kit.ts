/**
 * Pieces the three policy editors (rebate, rollout, promotion) share: inline
 * issues bound to a JSON path, the buttons of a list row, a plain-text summary
 * of a condition tree, and the axis arithmetic of their small SVG charts.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { Issue } from "@ruleflow/engine";
import { pathStartsWith, pathText, type JsonPath } from "../../shared/base.js";
import type { UiLocale } from "../../shared/i18n.js";

/**
 * A list row's small button (remove ✕, move ↑/↓): its label is both the
 * accessible name and the tooltip, since the face is only a symbol.
 */
export function rowButton(face: string, label: string, disabled: boolean, onClick: () => void): TemplateResult {
  return html`<button type="button" aria-label=${label} title=${label} ?disabled=${disabled} @click=${onClick}>${face}</button>`;
}

/** `list` without the item at `i`; undefined when nothing is left and the member is optional. */
export function withoutItem<T>(list: readonly T[], i: number, optional = false): T[] | undefined {
  const next = list.filter((_, k) => k !== i);
  return optional && next.length === 0 ? undefined : next;
}

/** The element id of the inline message for `path` (unique inside one shadow root). */
function issueId(path: JsonPath): string {
  return `issue-${pathText(path).replace(/[^\w-]/g, "_")}`;
}

/**
 * Tracks which JSON paths a render placed issues at, so the issues nobody
 * placed can be listed once at the bottom (never dropped).
 */
export class IssuePlacer {
  private readonly placed: JsonPath[] = [];
  private readonly prefixes: JsonPath[] = [];

  constructor(private readonly issues: readonly Issue[]) {}

  /** Issues exactly at `path`, now placed. */
  at(path: JsonPath): Issue[] {
    this.placed.push(path);
    return this.issues.filter((i) => i.path.length === path.length && pathStartsWith(i.path, path));
  }

  /** Issues at `path` or under it, now placed. */
  under(path: JsonPath): Issue[] {
    this.prefixes.push(path);
    return this.issues.filter((i) => pathStartsWith(i.path, path));
  }

  /**
   * Attributes for a control bound to `path`: whether it is invalid and the id
   * of its message, plus the message itself (render it next to the control).
   */
  field(path: JsonPath, opts: { under?: boolean } = {}): { invalid: "true" | "false"; describedBy: string | typeof nothing; message: TemplateResult | typeof nothing } {
    const found = opts.under ? this.under(path) : this.at(path);
    if (found.length === 0) return { invalid: "false", describedBy: nothing, message: nothing };
    const id = issueId(path);
    return { invalid: "true", describedBy: id, message: issueMessage(id, found, path) };
  }

  /** Issues no control claimed. */
  rest(): Issue[] {
    return this.issues.filter(
      (i) =>
        !this.placed.some((p) => p.length === i.path.length && pathStartsWith(i.path, p)) && !this.prefixes.some((p) => pathStartsWith(i.path, p)),
    );
  }
}

/** The inline message block for issues at one path. */
function issueMessage(id: string, issues: readonly Issue[], path: JsonPath): TemplateResult {
  return html`<div class="rf-issue" id=${id} data-path=${pathText(path)}>${issues.map((i) => html`<div>${i.message}</div>`)}</div>`;
}

/** The list of issues no control claimed, each with its path. */
export function restIssues(issues: readonly Issue[], heading: string): TemplateResult | typeof nothing {
  if (issues.length === 0) return nothing;
  return html`<section class="rest-issues" aria-label=${heading}>
    <h3>${heading}</h3>
    <ul class="rf-issues">
      ${issues.map((i) => html`<li class="rf-issue" data-path=${pathText(i.path)}><span class="rf-mono">${pathText(i.path)}</span>: ${i.message}</li>`)}
    </ul>
  </section>`;
}

const OP_TEXT: Record<string, string> = {
  eq: "=",
  ne: "≠",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  in: "in",
  notIn: "not in",
  contains: "contains",
  notContains: "does not contain",
  between: "between",
  exists: "exists",
  startsWith: "starts with",
  endsWith: "ends with",
  before: "before",
  after: "after",
  withinLast: "within last",
};
const OP_TEXT_ZH: Record<string, string> = {
  ...OP_TEXT,
  in: "属于",
  notIn: "不属于",
  contains: "包含",
  notContains: "不包含",
  between: "介于",
  exists: "存在",
  startsWith: "开头是",
  endsWith: "结尾是",
  before: "早于",
  after: "晚于",
  withinLast: "在最近",
};

/**
 * A one-line, read-only summary of a condition tree: `store.tier in [A, B] and
 * visit.gpsVerified = true`. Labels are used where a node has one.
 */
export function conditionSummary(cond: unknown, locale: UiLocale): string {
  const ops = locale === "zh-CN" ? OP_TEXT_ZH : OP_TEXT;
  const and = locale === "zh-CN" ? " 且 " : " and ";
  const or = locale === "zh-CN" ? " 或 " : " or ";
  const not = locale === "zh-CN" ? "非 " : "not ";
  const value = (v: unknown): string => (Array.isArray(v) ? `[${v.map(value).join(", ")}]` : typeof v === "string" ? v : JSON.stringify(v));
  const walk = (c: unknown, top: boolean): string => {
    if (!c || typeof c !== "object") return String(c);
    const n = c as Record<string, unknown>;
    if (typeof n.label === "string" && n.label) return n.label;
    const wrap = (s: string): string => (top ? s : `(${s})`);
    if (Array.isArray(n.all)) return n.all.length === 1 ? walk(n.all[0], top) : wrap(n.all.map((x) => walk(x, false)).join(and));
    if (Array.isArray(n.any)) return n.any.length === 1 ? walk(n.any[0], top) : wrap(n.any.map((x) => walk(x, false)).join(or));
    if ("not" in n) return `${not}${walk(n.not, false)}`;
    if (typeof n.expr === "string") return n.expr;
    if (typeof n.fact === "string") {
      const op = typeof n.op === "string" ? (ops[n.op] ?? n.op) : "?";
      return "value" in n ? `${n.fact} ${op} ${value(n.value)}` : `${n.fact} ${op}`;
    }
    return JSON.stringify(c);
  };
  return walk(cond, true);
}

// ---------------------------------------------------------------------------
// Axis arithmetic (exact, on bigint minor units)

/**
 * A "nice" tick step (1, 2 or 5 × 10^k) so that `max` is covered by at most
 * `ticks` steps. `max` <= 0 gives 1.
 */
export function niceStep(max: bigint, ticks: number): bigint {
  if (max <= 0n) return 1n;
  const t = BigInt(Math.max(1, Math.floor(ticks)));
  let p = 1n;
  for (;;) {
    for (const m of [1n, 2n, 5n]) {
      const step = m * p;
      if (step * t >= max) return step;
    }
    p *= 10n;
  }
}

/** Tick values 0, step, 2·step, ... up to the first one at or above `max`. */
export function ticksFor(max: bigint, ticks: number): bigint[] {
  const step = niceStep(max, ticks);
  const out: bigint[] = [0n];
  while (out[out.length - 1]! < max) out.push(out[out.length - 1]! + step);
  return out;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * An amount given in minor units, for people: `1,234,567.5` (en) or, in
 * Chinese, whole ten-thousands as `123万` and hundred-millions as `1.2亿`
 * when exact, else grouped digits. Trailing zero decimals are dropped
 * (`1,000` not `1,000.00`); no digit is ever rounded.
 */
export function formatAmountLabel(minor: bigint, scale: number, locale: UiLocale): string {
  const neg = minor < 0n;
  const abs = neg ? -minor : minor;
  const unit = 10n ** BigInt(scale);
  const whole = abs / unit;
  let frac = (abs % unit).toString().padStart(scale, "0").replace(/0+$/, "");
  if (scale === 0) frac = "";
  let text: string;
  if (locale === "zh-CN" && frac === "" && whole >= 10000n) {
    if (whole % 10000000n === 0n && whole >= 100000000n) text = `${trimDecimal(whole, 100000000n)}亿`;
    else if (whole % 100n === 0n) text = `${trimDecimal(whole, 10000n)}万`;
    else text = group(whole.toString());
  } else {
    text = group(whole.toString()) + (frac ? `.${frac}` : "");
  }
  return neg ? `-${text}` : text;
}

/** An exact amount in minor units with grouped digits and all its decimals: `1,234,567.50`. */
export function formatExactAmount(minor: bigint, scale: number): string {
  const neg = minor < 0n;
  const digits = (neg ? -minor : minor).toString().padStart(scale + 1, "0");
  const cut = digits.length - scale;
  const text = group(digits.slice(0, cut)) + (scale ? `.${digits.slice(cut)}` : "");
  return neg ? `-${text}` : text;
}

function trimDecimal(n: bigint, by: bigint): string {
  const w = n / by;
  const r = (n % by).toString().padStart(by.toString().length - 1, "0").replace(/0+$/, "");
  return r ? `${group(w.toString())}.${r}` : group(w.toString());
}

/** A rate written as a fraction (`"0.035"`) as a percentage text (`"3.5%"`), by moving the decimal point: exact. */
export function fractionToPercent(fraction: string): string | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(fraction);
  if (!m) return undefined;
  const decimals = Math.max(0, (m[3] ?? "").length - 2);
  const digits = (m[2]! + (m[3] ?? "").padEnd(2, "0")).replace(/^0+(?=\d)/, "").padStart(decimals + 1, "0");
  const intPart = decimals ? digits.slice(0, digits.length - decimals) || "0" : digits;
  const fracPart = decimals ? digits.slice(digits.length - decimals).replace(/0+$/, "") : "";
  return `${m[1]}${intPart.replace(/^0+(?=\d)/, "")}${fracPart ? `.${fracPart}` : ""}%`;
}
