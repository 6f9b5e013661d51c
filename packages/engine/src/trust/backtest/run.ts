/**
 * Backtests: replay history through two versions of the definitions (the
 * baseline and the candidate) and report what changes, in money where there
 * is money. Lines are taken one at a time and only aggregates are kept (per
 * definition, account, `by` value, transition), except a rebate's lines of the
 * period being read: a period is settled with `settleRebates` when the history
 * moves on to another period, then its lines are dropped.
 */
import { ArgumentError, isRuleflowError, ValidationError, type Issue } from "../../core/errors.js";
import type { Scope } from "../../expr/compile.js";
import { inDefinitionTime } from "../../expr/time-context.js";
import { parseInstant, readPath, splitPath } from "../../expr/values.js";
import { formatMinorUnits, toMinorUnits } from "../../money/amount.js";
import { periodContaining } from "../../money/period.js";
import { createRegistry, type DefinitionRegistry } from "../../registry.js";
import { explainDecision } from "../../decisions/explain.js";
import type { DecisionResult } from "../../decisions/types.js";
import { createPromotionSet, type PromotionSet } from "../../promotions/promotion-set.js";
import { createPromotionClaims, type PromotionClaims } from "../../promotions/claims.js";
import { createMemoryClaimStore } from "../../promotions/memory-claim-store.js";
import type { CompiledPromotion } from "../../promotions/promotion.js";
import { settleRebates } from "../../rebates/settle.js";
import { lineKeyOf, orderInstant } from "../../rebates/lines.js";
import type { CompiledRebate } from "../../rebates/program.js";
import type { RebateProgram } from "../../rebates/program-frame.js";
import type { RolloutResult } from "../../rollouts/types.js";
import { resolveLocale, type Locale } from "../../i18n/locale.js";
import type {
  AccountDiff,
  BacktestErrors,
  BacktestReport,
  ChangedDecision,
  ChangedUnit,
  DecisionDiff,
  DimensionDiff,
  MoneyMove,
  PromotionDiff,
  PromotionSide,
  RebateDiff,
  RolloutDiff,
} from "./types.js";

/** Options of {@link createBacktest}. */
export interface BacktestOptions {
  /** The definitions in force: documents (any kinds, any versions), as a registry would load them. */
  baseline: readonly unknown[];
  /** The definitions proposed, the same way. */
  candidate: readonly unknown[];
  /** Fact paths to total the money by (`customer.region`, `order.salesRep`); a name without a dot that the line lacks is read from a rebate program's breakdown of that name. */
  by?: readonly string[] | undefined;
  /** The fact path of each line's time (default `order.date`): picks versions, claim periods and rollout ramps. */
  time?: string | undefined;
  /** The fact path of the account a promotion's cost is counted for (default `customer.id`). */
  account?: string | undefined;
  /** The time of lines that have none (default: when the backtest is created). */
  at?: string | Date | undefined;
  /** Changed decisions and units kept with their explanations, per definition (default 20). */
  maxExamples?: number | undefined;
  /** Winners and losers kept (default 20). */
  maxRows?: number | undefined;
  /** The language of the explanations: `en` (default) or `zh-CN`. */
  locale?: string | undefined;
}

/** A backtest being fed history lines; see {@link createBacktest}. */
export interface Backtest {
  /**
   * Replay one history line through both versions.
   * @param facts - the line's facts (an object)
   * @param line - its number in the history, for messages (default: the count so far + 1)
   * @throws {@link ArgumentError} `line 12: ...` for a line that is not an object or has a bad time,
   *   or a rebate line the settlement refuses (a missing order date, a duplicate line key)
   */
  add(facts: unknown, line?: number): Promise<void>;
  /** Settle what is left and build the report. Call once, after the last line. */
  finish(): Promise<BacktestReport>;
  /** Lines added so far. */
  readonly lines: number;
}

type Side = "baseline" | "candidate";
const SIDES: readonly Side[] = ["baseline", "candidate"];
const NONE = "(none)";
const MAX_TRANSITIONS = 50;

/** Text key of a `by` value. */
function dimKey(v: unknown): string {
  if (v === undefined || v === null) return NONE;
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** JSON with sorted object keys, so equal outputs compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return v === undefined ? "null" : JSON.stringify(v);
}

function path(text: string, argument: string): string[] {
  const segs = splitPath(text);
  if (typeof segs === "string") throw new ArgumentError(argument, segs);
  return segs;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Sums by key, in minor units. */
class Sums {
  readonly map = new Map<string, bigint>();
  add(key: string, v: bigint): void {
    this.map.set(key, (this.map.get(key) ?? 0n) + v);
  }
}

function byDifference<T extends { difference: bigint; key: string }>(a: T, b: T): number {
  const da = a.difference < 0n ? -a.difference : a.difference;
  const db = b.difference < 0n ? -b.difference : b.difference;
  return da > db ? -1 : da < db ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

interface Compared {
  key: string;
  baseline: bigint;
  candidate: bigint;
  difference: bigint;
}

function compare(base: Sums | undefined, cand: Sums | undefined): Compared[] {
  const keys = new Set([...(base?.map.keys() ?? []), ...(cand?.map.keys() ?? [])]);
  return [...keys]
    .map((key) => {
      const b = base?.map.get(key) ?? 0n;
      const c = cand?.map.get(key) ?? 0n;
      return { key, baseline: b, candidate: c, difference: c - b };
    })
    .sort(byDifference);
}

const money = (scale: number) => (c: Compared) => ({ baseline: formatMinorUnits(c.baseline, scale), candidate: formatMinorUnits(c.candidate, scale), difference: formatMinorUnits(c.difference, scale) });

function errorsOf(): BacktestErrors {
  return { baseline: 0, candidate: 0 };
}

function recordError(errors: BacktestErrors, side: Side, line: number, e: unknown): void {
  if (!isRuleflowError(e)) throw e;
  errors[side]++;
  errors.first ??= { line, side, message: message(e) };
}

function addTransition<T>(map: Map<string, { baseline: T; candidate: T; count: number }>, b: T, c: T, bKey: string, cKey: string): void {
  const key = `${bKey}\u0000${cKey}`;
  const t = map.get(key);
  if (t) t.count++;
  else if (map.size < MAX_TRANSITIONS) map.set(key, { baseline: b, candidate: c, count: 1 });
}

const transitionsOf = <T>(map: Map<string, { baseline: T; candidate: T; count: number }>) => [...map.values()].sort((a, b) => b.count - a.count);

// ---------------------------------------------------------------- decisions

class DecisionReplay {
  evaluated = 0;
  changed = 0;
  readonly transitions = new Map<string, { baseline: unknown; candidate: unknown; count: number }>();
  readonly examples: ChangedDecision[] = [];
  readonly errors = errorsOf();
  constructor(
    readonly id: string,
    readonly kind: "ruleset" | "decision-table",
    private readonly registries: Record<Side, DefinitionRegistry>,
    private readonly maxExamples: number,
    private readonly locale: Locale,
  ) {}

  private evaluate(side: Side, facts: unknown, at: string, line: number, trace: boolean): DecisionResult | undefined {
    try {
      return this.registries[side].evaluate(this.id, facts, { at, trace }) as DecisionResult;
    } catch (e) {
      recordError(this.errors, side, line, e);
      return undefined;
    }
  }

  add(facts: unknown, at: string, line: number): void {
    const b = this.evaluate("baseline", facts, at, line, false);
    const c = this.evaluate("candidate", facts, at, line, false);
    if (!b || !c) return;
    this.evaluated++;
    const bk = canonical(b.output);
    const ck = canonical(c.output);
    if (bk === ck) return;
    this.changed++;
    addTransition(this.transitions, b.output, c.output, bk, ck);
    if (this.examples.length < this.maxExamples) {
      const side = (s: Side) => {
        const r = this.registries[s].evaluate(this.id, facts, { at, trace: true }) as DecisionResult;
        return { version: r.version, output: r.output, explanation: explainDecision(r, { locale: this.locale }) };
      };
      this.examples.push({ line, baseline: side("baseline"), candidate: side("candidate") });
    }
  }

  report(): DecisionDiff {
    return { id: this.id, kind: this.kind, evaluated: this.evaluated, changed: this.changed, transitions: transitionsOf(this.transitions), examples: this.examples, errors: this.errors };
  }
}

// ---------------------------------------------------------------- rollouts

class RolloutReplay {
  evaluated = 0;
  changed = 0;
  readonly units = new Set<string>();
  readonly transitions = new Map<string, { baseline: string; candidate: string; count: number }>();
  readonly examples: ChangedUnit[] = [];
  readonly errors = errorsOf();
  constructor(
    readonly id: string,
    private readonly registries: Record<Side, DefinitionRegistry>,
    private readonly maxExamples: number,
  ) {}

  private evaluate(side: Side, facts: unknown, at: string, line: number): RolloutResult | undefined {
    try {
      return this.registries[side].evaluate(this.id, facts, { at }) as RolloutResult;
    } catch (e) {
      recordError(this.errors, side, line, e);
      return undefined;
    }
  }

  add(facts: unknown, at: string, line: number): void {
    const b = this.evaluate("baseline", facts, at, line);
    const c = this.evaluate("candidate", facts, at, line);
    if (!b || !c) return;
    this.evaluated++;
    if (b.variant === c.variant) return;
    this.changed++;
    this.units.add(c.unit ?? b.unit ?? NONE);
    addTransition(this.transitions, b.variant, c.variant, b.variant, c.variant);
    if (this.examples.length < this.maxExamples) {
      const side = (r: RolloutResult) => ({ version: r.version, variant: r.variant, reason: r.explanation.reason });
      this.examples.push({ line, unit: c.unit ?? b.unit, baseline: side(b), candidate: side(c) });
    }
  }

  report(): RolloutDiff {
    return {
      id: this.id,
      evaluated: this.evaluated,
      changed: this.changed,
      changedUnits: this.units.size,
      transitions: transitionsOf(this.transitions),
      examples: this.examples,
      errors: this.errors,
    };
  }
}

// ---------------------------------------------------------------- rebates

interface Buffered {
  period: string;
  start: number;
  lines: unknown[];
  numbers: number[];
  /** Per line key: its `by` values (only when there are `by` paths). */
  dims: Map<string, string[]>;
}

/** One side's settlement of one rebate program, period by period. */
class RebateSide {
  readonly accounts = new Sums();
  readonly periods = new Sums();
  readonly dims: Sums[];
  private current: Buffered | undefined;
  private readonly settled = new Set<string>();
  private priorBasis: { period: string; basis: Record<string, string> } | undefined;
  readonly frame: RebateProgram;
  private readonly scope: Scope;

  constructor(
    readonly versions: CompiledRebate[],
    private readonly registry: DefinitionRegistry,
    private readonly by: readonly (readonly string[])[],
    private readonly byNames: readonly string[],
    fallbackAt: string,
  ) {
    this.frame = versions[versions.length - 1]!.program;
    this.dims = by.map(() => new Sums());
    this.scope = { facts: undefined, now: fallbackAt, locals: [], warnings: undefined };
  }

  get scale(): number {
    return this.frame.scale;
  }

  add(facts: unknown, line: number, dims: string[] | undefined): void {
    const frame = this.frame;
    this.scope.facts = facts;
    const date = inDefinitionTime(frame.time, () => {
      const raw = frame.orderDate(this.scope);
      const ms = orderInstant(raw);
      if (ms === undefined) throw new ArgumentError(`line ${line}`, `${frame.id}: orderDate (${frame.document.orderDate}) is ${JSON.stringify(raw ?? null)}; expected an ISO-8601 time`);
      return ms;
    });
    const period = periodContaining(date, frame.document.period, frame.document.timeZone);
    if (this.current?.period !== period.key) {
      if (this.settled.has(period.key)) {
        throw new ArgumentError(
          `line ${line}`,
          `${frame.id}: the order date falls in ${period.key}, which was settled when the history moved on to ${this.current?.period ?? "a later period"}; keep each period's lines together (sort the history by order date)`,
        );
      }
      this.flush();
      this.current = { period: period.key, start: period.start, lines: [], numbers: [], dims: new Map() };
    }
    const cur = this.current;
    if (dims) cur.dims.set(lineKeyOf(frame, facts, cur.lines.length), dims);
    cur.lines.push(facts);
    cur.numbers.push(line);
  }

  /** Settle the buffered period and keep only its sums. */
  flush(): void {
    const cur = this.current;
    if (!cur) return;
    this.current = undefined;
    this.settled.add(cur.period);
    const growth = this.versions.some((v) => v.document.tierBy === "growth");
    let statement;
    try {
      statement = settleRebates({
        program: this.versions,
        lines: cur.lines,
        period: cur.period,
        definitions: this.registry,
        ...(growth && this.priorBasis ? { priorBasis: this.priorBasis.basis } : {}),
      });
    } catch (e) {
      if (!isRuleflowError(e)) throw e;
      // Name the history's line, not the position in the period's batch.
      const text = message(e).replace(/order line (\d+)/g, (_, n: string) => `line ${cur.numbers[Number(n) - 1] ?? n}`);
      throw new ArgumentError(`${this.frame.id} ${cur.period}`, text);
    }
    const scale = this.scale;
    const minor = (text: string): bigint => toMinorUnits(text, scale) as bigint;
    this.periods.add(cur.period, minor(statement.totals.earned));
    for (const l of statement.lines) {
      const amount = minor(l.amount);
      this.accounts.add(l.account, amount);
      if (this.by.length) {
        const values = cur.dims.get(l.key);
        this.by.forEach((_, i) => {
          let v = values?.[i];
          if (v === NONE && l.dims && Object.hasOwn(l.dims, this.byNames[i]!)) v = dimKey(l.dims[this.byNames[i]!]);
          this.dims[i]!.add(v ?? NONE, amount);
        });
      }
    }
    this.priorBasis = { period: cur.period, basis: Object.fromEntries(statement.accounts.map((a) => [a.account, a.basis])) };
  }
}

// ---------------------------------------------------------------- promotions

interface PromotionTally {
  claims: number;
  cost: bigint;
  refusedForBudget: number;
  refusedOther: number;
  budgetRunsOut: { line: number; at: string } | null;
  accounts: Sums;
  dims: Sums[];
}

/** One side's promotions: a set (stacking) and claims in a memory store, replayed in time order. */
class PromotionSideReplay {
  readonly tallies = new Map<string, PromotionTally>();
  private readonly claims: PromotionClaims;
  private readonly byVersion = new Map<string, CompiledPromotion>();
  constructor(
    readonly set: PromotionSet,
    private readonly byCount: number,
  ) {
    this.claims = createPromotionClaims({ store: createMemoryClaimStore() });
    for (const p of set.promotions) this.byVersion.set(`${p.id}@${p.version}`, p);
  }

  get scale(): number {
    return this.set.promotions[0]?.money.scale ?? 2;
  }

  get currency(): string | undefined {
    return this.set.promotions[0]?.money.currency;
  }

  tally(id: string): PromotionTally {
    let t = this.tallies.get(id);
    if (!t) {
      t = { claims: 0, cost: 0n, refusedForBudget: 0, refusedOther: 0, budgetRunsOut: null, accounts: new Sums(), dims: Array.from({ length: this.byCount }, () => new Sums()) };
      this.tallies.set(id, t);
    }
    return t;
  }

  async add(facts: unknown, at: string, line: number, account: string, dims: string[]): Promise<void> {
    const r = this.set.evaluate(facts, { at, explain: false });
    for (const a of r.applied) {
      const p = this.byVersion.get(`${a.id}@${a.version}`)!;
      const t = this.tally(a.id);
      const outcome = await this.claims.claim(p, facts, { idempotencyKey: `${line}/${a.id}`, at });
      if (outcome.status === "claimed") {
        const v = toMinorUnits(outcome.data.value, p.money.scale) as bigint;
        t.claims++;
        t.cost += v;
        t.accounts.add(account, v);
        dims.forEach((d, i) => t.dims[i]!.add(d, v));
      } else if (outcome.status === "limit" && outcome.limit.limit === "budget") {
        t.refusedForBudget++;
        t.budgetRunsOut ??= { line, at };
      } else if (outcome.status !== "ineligible") t.refusedOther++;
    }
  }
}

function promotionSide(t: PromotionTally | undefined, scale: number): PromotionSide {
  return {
    claims: t?.claims ?? 0,
    cost: formatMinorUnits(t?.cost ?? 0n, scale),
    refusedForBudget: t?.refusedForBudget ?? 0,
    refusedOther: t?.refusedOther ?? 0,
    budgetRunsOut: t?.budgetRunsOut ?? null,
  };
}

// ---------------------------------------------------------------- the backtest

function load(documents: readonly unknown[], side: Side): DefinitionRegistry {
  if (!Array.isArray(documents)) throw new ArgumentError(side, "expected an array of definition documents");
  try {
    return createRegistry(documents);
  } catch (e) {
    if (e instanceof ValidationError) {
      const issues: Issue[] = e.issues.map((i) => ({ ...i, path: [side, ...i.path] }));
      throw new ValidationError(issues, `${side} definitions`);
    }
    throw e;
  }
}

function kindsOf(registry: DefinitionRegistry): Map<string, string> {
  return new Map(registry.ids().map((id) => [id, registry.versions(id)[0]!.kind]));
}

/**
 * Start a backtest: the baseline and candidate definitions are loaded into
 * a registry each; then every history line given to {@link Backtest.add} is
 * replayed through both:
 *
 * - rule sets and decision tables (ids on both sides): the outputs compared,
 *   each changed line counted, the first ones kept with both explanations;
 * - rebate programs: the lines grouped by period (the history must keep each
 *   period's lines together), each period settled with `settleRebates` under
 *   each side's versions, the payout totalled per period, account and `by` value;
 * - promotions: each side's promotions as one set (stacking), in line order,
 *   each applied promotion claimed against an in-memory claim store, so budgets
 *   and limits run out as they would have; cost, claims and the first line whose
 *   claim was refused for the budget;
 * - rollouts (ids on both sides): the variant of each line's unit compared.
 *
 * Money is exact (minor units as BigInt), never floating point.
 *
 * @param options - both sides' definitions and what to total by
 * @returns a {@link Backtest} to feed lines to, then finish
 * @throws {@link ValidationError} when a side's definitions are invalid (paths start with `baseline` or `candidate`)
 * @throws {@link ArgumentError} for a `by`, `time` or `account` that is not a fact path
 * @example
 * ```ts
 * const backtest = createBacktest({ baseline: [v3, v4], candidate: [v3, v5], by: ["customer.region"] });
 * for (const line of history) await backtest.add(line);
 * const report = await backtest.finish();
 * report.rebates[0].totals.difference; // "-1234.50"
 * ```
 */
export function createBacktest(options: BacktestOptions): Backtest {
  const registries: Record<Side, DefinitionRegistry> = { baseline: load(options.baseline, "baseline"), candidate: load(options.candidate, "candidate") };
  const byPaths = (options.by ?? []).map((p, i) => path(p, `by[${i}]`));
  const byNames = [...(options.by ?? [])];
  const timePath = path(options.time ?? "order.date", "time");
  const accountPath = path(options.account ?? "customer.id", "account");
  const fallbackAt = new Date(parseInstant(options.at instanceof Date ? options.at.toISOString() : (options.at ?? new Date().toISOString())) ?? NaN);
  if (Number.isNaN(fallbackAt.getTime())) throw new ArgumentError("at", `expected an ISO-8601 time, got ${JSON.stringify(options.at)}`);
  const fallbackIso = fallbackAt.toISOString();
  const maxExamples = options.maxExamples ?? 20;
  const maxRows = options.maxRows ?? 20;
  const locale = resolveLocale(options.locale);

  const kinds = { baseline: kindsOf(registries.baseline), candidate: kindsOf(registries.candidate) };
  const REPLAYED = new Set(["ruleset", "decision-table", "rebate", "promotion", "rollout"]);
  const ids = (side: Side) => [...kinds[side]].filter(([, k]) => REPLAYED.has(k)).map(([id]) => id);
  const both = ids("baseline").filter((id) => kinds.candidate.get(id) === kinds.baseline.get(id)).sort();
  const onlyIn = (side: Side, other: Side) => ids(side).filter((id) => kinds[other].get(id) !== kinds[side].get(id)).sort();

  const decisions: DecisionReplay[] = [];
  const rollouts: RolloutReplay[] = [];
  for (const id of both) {
    const kind = kinds.baseline.get(id);
    if (kind === "ruleset" || kind === "decision-table") decisions.push(new DecisionReplay(id, kind, registries, maxExamples, locale));
    else if (kind === "rollout") rollouts.push(new RolloutReplay(id, registries, maxExamples));
  }
  // Rebates and promotions on either side: one that is new (or gone) pays (or costs) nothing on the other side.
  const rebateIds = [...new Set(SIDES.flatMap((s) => [...kinds[s]].filter(([, k]) => k === "rebate").map(([id]) => id)))].sort();
  const rebates = rebateIds.map((id) => {
    const sides = {} as Partial<Record<Side, RebateSide>>;
    for (const s of SIDES) {
      if (kinds[s].get(id) !== "rebate") continue;
      sides[s] = new RebateSide(registries[s].versions(id) as CompiledRebate[], registries[s], byPaths, byNames, fallbackIso);
    }
    const b = sides.baseline?.frame;
    const c = sides.candidate?.frame;
    if (b && c && b.document.currency !== c.document.currency) {
      throw new ArgumentError("candidate", `rebate "${id}" pays in ${c.document.currency ?? "no currency"} in the candidate and ${b.document.currency ?? "no currency"} in the baseline; a backtest compares one currency`);
    }
    return { id, sides };
  });
  const promotionSides = {} as Partial<Record<Side, PromotionSideReplay>>;
  for (const s of SIDES) {
    const list = [...kinds[s]].filter(([, k]) => k === "promotion").flatMap(([id]) => registries[s].versions(id));
    if (list.length) promotionSides[s] = new PromotionSideReplay(createPromotionSet(list), byPaths.length);
  }
  const hasPromotions = promotionSides.baseline !== undefined || promotionSides.candidate !== undefined;

  let count = 0;
  let finished = false;
  return {
    get lines() {
      return count;
    },
    async add(facts, lineArg) {
      if (finished) throw new ArgumentError("add", "the backtest has finished");
      const line = lineArg ?? count + 1;
      count++;
      if (facts === null || typeof facts !== "object" || Array.isArray(facts)) {
        throw new ArgumentError(`line ${line}`, `expected an object of facts, got ${Array.isArray(facts) ? "an array" : facts === null ? "null" : typeof facts}`);
      }
      const t = readPath(facts, timePath);
      let at = fallbackIso;
      if (t !== undefined && t !== null) {
        if (typeof t !== "string" || parseInstant(t) === undefined) throw new ArgumentError(`line ${line}`, `${timePath.join(".")} is ${JSON.stringify(t)}; expected an ISO-8601 time`);
        at = t;
      }
      const dims = byPaths.length ? byPaths.map((p) => dimKey(readPath(facts, p))) : undefined;
      for (const d of decisions) d.add(facts, at, line);
      for (const r of rollouts) r.add(facts, at, line);
      for (const r of rebates) for (const s of SIDES) r.sides[s]?.add(facts, line, dims);
      if (hasPromotions) {
        const account = dimKey(readPath(facts, accountPath));
        for (const s of SIDES) await promotionSides[s]?.add(facts, at, line, account, dims ?? []);
      }
    },
    async finish() {
      if (finished) throw new ArgumentError("finish", "the backtest has finished");
      finished = true;
      await Promise.resolve();
      const moves: (Compared & { kind: "rebate" | "promotion"; definition: string; currency: string | undefined; scale: number })[] = [];
      const rebateReports: RebateDiff[] = rebates.map(({ id, sides }) => {
        for (const s of SIDES) sides[s]?.flush();
        const frame = (sides.candidate ?? sides.baseline)!.frame;
        const scale = frame.scale;
        const m = money(scale);
        const b = sides.baseline;
        const c = sides.candidate;
        const total = (x: RebateSide | undefined) => [...(x?.periods.map.values() ?? [])].reduce((a, v) => a + v, 0n);
        const tb = total(b);
        const tc = total(c);
        const periods = compare(b?.periods, c?.periods)
          .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
          .map((p) => ({ period: p.key, ...m(p) }));
        const accounts = compare(b?.accounts, c?.accounts);
        for (const a of accounts) moves.push({ ...a, kind: "rebate", definition: id, currency: frame.currency, scale });
        const by: Record<string, DimensionDiff[]> = {};
        byNames.forEach((name, i) => (by[name] = compare(b?.dims[i], c?.dims[i]).map((d) => ({ value: d.key, ...m(d) }))));
        return {
          id,
          ...(frame.currency ? { currency: frame.currency } : {}),
          totals: m({ key: "", baseline: tb, candidate: tc, difference: tc - tb }),
          periods,
          accounts: accounts.map((a): AccountDiff => ({ account: a.key, ...m(a) })),
          by,
        };
      });
      const promotionIds = [...new Set(SIDES.flatMap((s) => [...(promotionSides[s]?.tallies.keys() ?? [])]))];
      for (const s of SIDES) for (const p of promotionSides[s]?.set.promotions ?? []) promotionIds.push(p.id);
      const promotionReports: PromotionDiff[] = [...new Set(promotionIds)].sort().map((id) => {
        const side = promotionSides.candidate ?? promotionSides.baseline!;
        const scale = side.scale;
        const m = money(scale);
        const tb = promotionSides.baseline?.tallies.get(id);
        const tc = promotionSides.candidate?.tallies.get(id);
        const accounts = compare(tb?.accounts, tc?.accounts);
        for (const a of accounts) moves.push({ ...a, kind: "promotion", definition: id, currency: side.currency, scale });
        const by: Record<string, DimensionDiff[]> = {};
        byNames.forEach((name, i) => (by[name] = compare(tb?.dims[i], tc?.dims[i]).map((d) => ({ value: d.key, ...m(d) }))));
        const cb = tb?.cost ?? 0n;
        const cc = tc?.cost ?? 0n;
        return {
          id,
          ...(side.currency ? { currency: side.currency } : {}),
          baseline: promotionSide(tb, scale),
          candidate: promotionSide(tc, scale),
          cost: m({ key: "", baseline: cb, candidate: cc, difference: cc - cb }),
          accounts: accounts.map((a): AccountDiff => ({ account: a.key, ...m(a) })),
          by,
        };
      });
      const toMove = (x: (typeof moves)[number]): MoneyMove => ({
        kind: x.kind,
        definition: x.definition,
        account: x.key,
        ...(x.currency ? { currency: x.currency } : {}),
        ...money(x.scale)(x),
      });
      const winners = moves.filter((x) => x.difference > 0n).sort((a, b) => (a.difference > b.difference ? -1 : a.difference < b.difference ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const losers = moves.filter((x) => x.difference < 0n).sort((a, b) => (a.difference < b.difference ? -1 : a.difference > b.difference ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return {
        kind: "backtest",
        lines: count,
        by: byNames,
        definitions: { compared: both, onlyInBaseline: onlyIn("baseline", "candidate"), onlyInCandidate: onlyIn("candidate", "baseline") },
        decisions: decisions.map((d) => d.report()),
        rebates: rebateReports,
        promotions: promotionReports,
        rollouts: rollouts.map((r) => r.report()),
        winners: winners.slice(0, maxRows).map(toMove),
        losers: losers.slice(0, maxRows).map(toMove),
      };
    },
  };
}

/**
 * Replay a whole history (any iterable or async iterable of fact objects)
 * through both versions; {@link createBacktest} fed line by line.
 *
 * @param options - as {@link createBacktest}, and `lines`: the history
 * @returns the {@link BacktestReport}
 * @example
 * ```ts
 * const report = await runBacktest({ baseline: [table], candidate: [changedTable], lines: history });
 * report.decisions[0].changed; // 3
 * ```
 */
export async function runBacktest(options: BacktestOptions & { lines: Iterable<unknown> | AsyncIterable<unknown> }): Promise<BacktestReport> {
  const backtest = createBacktest(options);
  for await (const facts of options.lines) await backtest.add(facts);
  return backtest.finish();
}
