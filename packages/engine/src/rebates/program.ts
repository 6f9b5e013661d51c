/**
 * Rebate programs compiled once: basis, filters, tiers, modifiers, cap,
 * rounding and breakdown dimensions become closures; settlement and the
 * quote-time preview only call them.
 */
import { compileNode, expressionIssue } from "../conditions/compile.js";
import { compileExpression, type Evaluator } from "../expr/compile.js";
import { withDefinitionLookup } from "../expr/time-context.js";
import { FORBIDDEN_NAMES, parseInstant, readPath, splitPath } from "../expr/values.js";
import { plainValue } from "../core/decimal.js";
import { catalogueIssue } from "../i18n/issues.js";
import { factPathIssue } from "../i18n/fact-path-issue.js";
import { moneyMessages } from "../i18n/messages/money.js";
import { rebateMessages as M } from "../i18n/messages/rebates.js";
import { minorUnitsOf } from "../money/amount.js";
import { currencyScale } from "../money/currency.js";
import { pow10 } from "../money/rounding.js";
import type { RebateDocument } from "../schema/rebate.js";
import { compileModifiers } from "./modifiers.js";
import { quoteRebate, type RebateQuote } from "./quote.js";
import { compileLadder } from "./tiers.js";
import type { CompileContext, EvaluateDefinitionOptions } from "../core/context.js";
import type { RebateProgram } from "./program-frame.js";

/** A compiled rebate program. */
export interface CompiledRebate {
  readonly kind: "rebate";
  readonly id: string;
  readonly version: number;
  readonly document: RebateDocument;
  /**
   * Preview one order at quote time (see {@link RebateQuote}): the rate it
   * earns, the change against last period, and what reaches the next tier.
   * Facts are the order's: `order`, `customer`, its `lines` (or one `line`),
   * and optionally `periodToDate` and `priorPeriod` totals of the account.
   */
  evaluate(facts: unknown, options?: EvaluateDefinitionOptions): RebateQuote;
  /** @internal */
  readonly program: RebateProgram;
}

/** A dotted fact path, as expressions read one: `line.netAmount`, `customer.id`. */
const FACT_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** First words that are not fact names in an expression. */
const NOT_FACTS = new Set(["true", "false", "null", "now", "and", "or", "not", "in"]);

/**
 * The evaluator of an expression that is only a fact path of two or more
 * names: it reads what the compiled expression reads (own properties, not
 * functions, plain values) without the expression's per-evaluation setup;
 * settlement calls these for every order line. Undefined for anything else.
 */
function pathReader(source: string): Evaluator | undefined {
  if (!FACT_PATH.test(source)) return undefined;
  const segs = source.split(".");
  if (NOT_FACTS.has(segs[0]!) || segs.some((s) => FORBIDDEN_NAMES.has(s))) return undefined;
  return (scope) => {
    const v = readPath(scope.facts, segs);
    return typeof v === "object" && v !== null ? plainValue(v) : v;
  };
}

function expr(source: string, ctx: CompileContext, path: (string | number)[]): Evaluator {
  try {
    const compiled = compileExpression(source, { knownFacts: ctx.knownFacts }).run;
    return pathReader(source) ?? compiled;
  } catch (e) {
    ctx.issues.push(expressionIssue(e, path));
    return () => null;
  }
}

/** Compile a validated rebate document; problems go to `ctx.issues`. @internal */
export function compileRebateInto(doc: RebateDocument, ctx: CompileContext): CompiledRebate {
  const scale = currencyScale(doc.currency) ?? 2;
  const keep = doc.rounding?.scale ?? scale;
  if (keep > scale) {
    const path = ["rounding", "scale"];
    ctx.issues.push(doc.currency ? catalogueIssue(M, "roundingScale", path, { currency: doc.currency, scale }, "invalid_scale") : catalogueIssue(M, "roundingScaleNoCurrency", path, { scale }, "invalid_scale"));
  }
  const { ladder, problems } = compileLadder(doc.tiers, doc.tierBy, doc.mode, scale);
  for (const p of problems) ctx.issues.push(catalogueIssue(M, p.key, ["tiers", p.index, p.field], p.params, "invalid_tier"));
  if (doc.tierBy === "volume" && doc.basis.volume === undefined) {
    ctx.issues.push(catalogueIssue(M, "missingVolume", ["basis", "volume"], {}, "missing_volume"));
  }
  let cap: bigint | undefined;
  if (doc.cap !== undefined) {
    const c = minorUnitsOf(doc.cap, scale);
    if (typeof c !== "bigint") ctx.issues.push(catalogueIssue(moneyMessages, c.key, ["cap"], c.params, "invalid_amount"));
    else cap = c;
  }
  const lineKey = doc.lineKey.map((p, i) => {
    const segs = splitPath(p);
    if (typeof segs === "string") {
      ctx.issues.push(factPathIssue(segs, p, ["lineKey", i]));
      return [];
    }
    return segs;
  });
  const dims = (doc.breakdown ?? []).map((d, i) =>
    typeof d === "string" ? { name: d, fn: expr(d, ctx, ["breakdown", i]) } : { name: d.name, fn: expr(d.expr, ctx, ["breakdown", i, "expr"]) },
  );
  const names = new Set<string>();
  dims.forEach((d, i) => {
    if (names.has(d.name)) ctx.issues.push(catalogueIssue(M, "duplicateDimension", ["breakdown", i], { name: d.name }, "duplicate_dimension"));
    names.add(d.name);
  });
  const program: RebateProgram = {
    id: doc.id,
    version: doc.version,
    document: doc,
    currency: doc.currency,
    scale,
    mode: doc.rounding?.mode ?? "half-even",
    quantum: pow10(Math.max(0, scale - Math.min(keep, scale))),
    cap,
    from: doc.effective?.from ? parseInstant(doc.effective.from)! : -Infinity,
    to: doc.effective?.to ? parseInstant(doc.effective.to)! : Infinity,
    ladder,
    orderDate: expr(doc.orderDate, ctx, ["orderDate"]),
    account: doc.account === undefined ? undefined : expr(doc.account, ctx, ["account"]),
    lineKey,
    amount: expr(doc.basis.amount, ctx, ["basis", "amount"]),
    volume: doc.basis.volume === undefined ? undefined : expr(doc.basis.volume, ctx, ["basis", "volume"]),
    status: expr(doc.basis.status, ctx, ["basis", "status"]),
    exclude: new Set(doc.basis.exclude),
    where: doc.basis.where ? compileNode(doc.basis.where, ctx, ["basis", "where"]).run : undefined,
    modifiers: compileModifiers(doc.modifiers ?? [], ctx, doc.id),
    dims,
    time: { kind: "rebate", id: doc.id, timeZone: doc.timeZone ?? "UTC", calendarId: undefined },
  };
  return {
    kind: "rebate",
    id: doc.id,
    version: doc.version,
    document: doc,
    program,
    evaluate: (facts, options) => withDefinitionLookup(options?.definitions, () => quoteRebate(program, facts, options)),
  };
}
