/**
 * Settling a rebate program for one period: read the order lines, price each
 * under the program version effective at its order time, compute every
 * account, subtract what earlier statements paid for the same period (a
 * true-up), and recompute earlier settled periods whose lines changed (a
 * return after settlement becomes a claw-back line here).
 */
import { EvaluationError } from "../core/errors.js";
import { resolveNow, type Scope } from "../expr/compile.js";
import { inDefinitionTime, withDefinitionLookup } from "../expr/time-context.js";
import { formatInstant, parseInstant } from "../expr/values.js";
import { warningsSince } from "../expr/warnings.js";
import { toMinorUnits } from "../money/amount.js";
import { ZERO_RATIO } from "../money/ratio.js";
import { parsePeriod, periodContaining, previousPeriod, type Period } from "../money/period.js";
import {
  adjustmentLine,
  adjustmentReason,
  createBreakdown,
  formatter,
  recheck,
  sameState,
  statementAccount,
  statementLine,
} from "./assemble.js";
import { computePeriod } from "./compute.js";
import { readHistory } from "./history.js";
import { computeTable, earnedOf } from "./compute-table.js";
import { lazyLines } from "./lazy-lines.js";
import { LineTable } from "./line-table.js";
import { accountOf, beginLineKey, collectLineWarnings, lineKeyOf, lineLabel, orderInstant, readLine, readLineInto, stateInto, unpricedLineInto, type LineState } from "./lines.js";
import type { CompiledRebate } from "./program.js";
import type { AdjustmentLine, RebateStatement, RebateWarning, Recheck, StatementLine } from "./statement.js";
import type { DefinitionLookup } from "../core/context.js";
import type { RebateProgram } from "./program-frame.js";

/** What to settle, but the order lines: see {@link createRebateSettlement}. */
export interface RebateSettlementOptions {
  /** The program: one compiled version, or several versions of one id. */
  program: CompiledRebate | readonly CompiledRebate[];
  /** The period: `2026-02` (month), `2026-Q1` (quarter) or `2026` (year), as the program settles. */
  period: string;
  /** Settlement time (default: `settleOnDay` of the next period, or the period's end). Before the end: a partial settlement. */
  at?: string | Date | undefined;
  /** Earlier statements of this program: what was paid, for true-ups and claw-backs. */
  previous?: readonly RebateStatement[] | undefined;
  /** Prior-period basis per account for growth tiers (default: computed from the prior period's lines). */
  priorBasis?: Readonly<Record<string, string>> | undefined;
  /** Where decision tables named by modifiers are found (a registry). */
  definitions?: DefinitionLookup | undefined;
}

/** What to settle. */
export interface SettleOptions extends RebateSettlementOptions {
  /** Order-line facts (`order`, `line`, `customer`, ...), any periods; only the ones that matter are used. */
  lines: Iterable<unknown>;
}

function versionsOf(input: SettleOptions["program"]): RebateProgram[] {
  const list = (Array.isArray(input) ? input : [input]) as readonly CompiledRebate[];
  if (list.length === 0) throw new EvaluationError("settleRebates needs at least one program version");
  const programs = list.map((c) => c.program).sort((a, b) => a.version - b.version);
  const newest = programs[programs.length - 1]!;
  for (const p of programs) {
    if (p.id !== newest.id) throw new EvaluationError(`settleRebates got versions of two programs: "${p.id}" and "${newest.id}"`);
    for (const field of ["currency", "period", "timeZone"] as const) {
      if (p.document[field] !== newest.document[field]) {
        throw new EvaluationError(`"${p.id}" v${p.version} and v${newest.version} differ in ${field}; versions of one program must share currency, period and time zone`);
      }
    }
  }
  return programs;
}

function defaultAt(p: Period, frame: RebateProgram): number {
  const day = frame.document.settleOnDay;
  if (day === undefined) return p.end;
  const next = periodContaining(p.end, "month", frame.document.timeZone).key;
  return (parsePeriod(`${next}-${String(day).padStart(2, "0")}`, frame.document.timeZone) as Period).start;
}

/**
 * Settle a rebate program for one period and produce its statement.
 *
 * The statement's `lines` are built when first read (a settlement of a
 * million lines computes every amount at once, and makes the million line
 * objects only for a caller that looks at them); they are the same lines,
 * and `JSON.stringify` writes the same text, as if they had been built at once.
 *
 * @param options - program versions, order lines, period, and earlier statements
 * @returns the {@link RebateStatement}: lines (each explained: tier, rate, modifiers, version),
 *   accounts, adjustments for earlier periods, totals and breakdowns; amounts are decimal strings
 * @throws {@link EvaluationError} for an invalid period or time, a line without key or date, an
 *   amount that is not exact, or versions that disagree on currency, period or time zone
 * @example
 * ```ts
 * const statement = settleRebates({ program: [v3, v4], lines, period: "2026-02", previous: [january] });
 * statement.totals.payable; // "123456.78"
 * ```
 */
export function settleRebates(options: SettleOptions): RebateStatement {
  const settlement = createRebateSettlement(options);
  if (Array.isArray(options.lines)) expected.get(settlement)?.(options.lines.length);
  settlement.addAll(options.lines);
  return settlement.finish();
}

/**
 * A settlement that takes its order lines one at a time (see
 * {@link createRebateSettlement}): for files too large to hold, read line by
 * line and added as they come.
 */
export interface RebateSettlement {
  /**
   * Read one order line (facts as {@link SettleOptions.lines} holds them).
   * Lines of the period are kept as compact columns, not as objects; lines of
   * other periods count only where they matter (growth tiers, earlier settled periods).
   * @throws {@link EvaluationError} naming the line (its position from 1 and key), as `settleRebates` would
   */
  add(facts: unknown): void;
  /** {@link RebateSettlement.add} each of `lines`, in order. */
  addAll(lines: Iterable<unknown>): void;
  /** How many order lines have been added. */
  readonly count: number;
  /**
   * Compute the period and produce the statement, exactly as `settleRebates`
   * would from the same lines. Its `lines` are built when first read; to go
   * through them without holding them all, use {@link statementLines}, and
   * to write the statement as JSON piece by piece, {@link statementJson}.
   * @throws {@link EvaluationError} for a bad `priorBasis`, or when called twice
   */
  finish(): RebateStatement;
}

/**
 * Start a settlement whose order lines arrive one at a time: `add` each line,
 * then `finish` for the statement. `settleRebates(options)` is
 * `createRebateSettlement(options)`, `addAll(options.lines)`, `finish()`.
 *
 * @param options - program versions, period, settlement time, earlier statements, as {@link settleRebates} takes them
 * @returns a {@link RebateSettlement}
 * @throws {@link EvaluationError} for an invalid period or time, or versions that disagree on
 *   currency, period or time zone
 * @example
 * ```ts
 * const settlement = createRebateSettlement({ program, period: "2026-02" });
 * for await (const line of orderLines) settlement.add(line);
 * const statement = settlement.finish();
 * ```
 */
export function createRebateSettlement(options: RebateSettlementOptions): RebateSettlement {
  const versions = versionsOf(options.program);
  const frame = versions[versions.length - 1]!;
  // Order dates and the dates conditions compare are wall clocks in the program's zone
  // when written without an offset; `at` is read first, as an instant.
  const atOption = options.at === undefined ? undefined : parseInstant(resolveNow(options.at))!;
  const run = <T>(f: () => T): T => withDefinitionLookup(options.definitions, () => inDefinitionTime(frame.time, f));
  const s = run(() => open(options, versions, frame, atOption));
  let finished = false;
  const settlement: RebateSettlement = {
    add(facts) {
      check();
      run(() => s.add(facts));
    },
    addAll(lines) {
      check();
      run(() => {
        if (Array.isArray(lines)) {
          const list = lines as readonly unknown[];
          for (let i = 0; i < list.length; i++) s.add(list[i]);
        } else for (const facts of lines) s.add(facts);
      });
    },
    get count() {
      return s.count();
    },
    finish() {
      check();
      finished = true;
      return run(() => s.finish());
    },
  };
  expected.set(settlement, (n) => s.expect(n));
  return settlement;
  function check(): void {
    if (finished) throw new EvaluationError("this rebate settlement is finished: start another to add lines");
  }
}

/** Size hints for settlements whose line count is known (an array of lines). */
const expected = new WeakMap<RebateSettlement, (n: number) => void>();

interface Open {
  add(facts: unknown): void;
  /** Make room for about `n` lines of the period. */
  expect(n: number): void;
  count(): number;
  finish(): RebateStatement;
}

/** An exact sum of minor units, added as doubles while they stay exact. */
class Sum {
  private small = 0;
  private abs = 0;
  private big = 0n;
  add(x: number): void {
    const a = x < 0 ? -x : x;
    if (this.abs + a > 2 ** 52) {
      this.big += BigInt(this.small);
      this.small = 0;
      this.abs = 0;
    }
    this.small += x;
    this.abs += a;
  }
  addBig(x: bigint): void {
    this.big += x;
  }
  value(): bigint {
    return this.big + BigInt(this.small);
  }
}

function open(options: RebateSettlementOptions, versions: RebateProgram[], frame: RebateProgram, atOption: number | undefined): Open {
  const zone = frame.document.timeZone;
  const P = parsePeriod(options.period, zone);
  if (typeof P === "string") throw new EvaluationError(P);
  if (P.unit !== frame.document.period) {
    throw new EvaluationError(`"${frame.id}" settles by ${frame.document.period}; "${options.period}" is a ${P.unit} (write e.g. ${frame.document.period === "month" ? "2026-02" : frame.document.period === "quarter" ? "2026-Q1" : "2026"})`);
  }
  const atMs = atOption ?? defaultAt(P, frame);
  if (atMs <= P.start) throw new EvaluationError(`settlement time ${formatInstant(atMs)} is not after the start of ${P.key}`);
  if (versions.length >= 65535) throw new EvaluationError(`settleRebates takes at most 65534 versions of a program, got ${versions.length}`);
  const atIso = formatInstant(atMs);
  const f = formatter(frame.scale);
  const history = readHistory(options.previous ?? [], frame.id, frame.scale);
  const earlier = [...new Set([...history.recorded.keys(), ...history.paid.keys()])]
    .filter((k) => k !== P.key)
    .map((k) => parsePeriod(k, zone))
    .filter((p): p is Period => typeof p !== "string" && p.end <= P.start)
    .sort((a, b) => a.start - b.start);
  const Q = versions.some((v) => v.document.tierBy === "growth") ? previousPeriod(P, zone) : undefined;
  const programs = new Map(versions.map((v) => [v.version, v]));
  const byDesc = [...versions].reverse();
  const pick = (t: number): RebateProgram | undefined => {
    for (let i = 0; i < byDesc.length; i++) {
      const v = byDesc[i]!;
      if (v.from <= t && t < v.to) return v;
    }
    return undefined;
  };
  const governing = (p: Period): RebateProgram => byDesc.find((v) => v.from < p.end && p.start < v.to) ?? frame;
  // The table's slot of each version; one past the last is "no version".
  const slots = new Map<number, number>(versions.map((v, i) => [v.version, i]));
  const slotOf = (version: number): number => {
    let i = slots.get(version);
    if (i === undefined) slots.set(version, (i = slots.size + 1));
    return i;
  };
  const unpriced = versions.length;
  const noVersion = `no version of "${frame.id}" is effective at the order time`;
  let lastPicked: RebateProgram | undefined;
  let lastSlot = 0;

  // The period's lines as columns; earlier settled periods' lines as objects (they are few).
  const table = new LineTable(frame.dims.length > 0);
  const data = new Map<string, Map<string, LineState>>(earlier.map((e) => [e.key, new Map<string, LineState>()] as const));
  const priorSums = new Map<string, bigint>();
  const scope: Scope = { facts: undefined, now: atIso, locals: [], warnings: undefined };
  const warnings: RebateWarning[] = [];
  let position = 0;

  const add = (facts: unknown): void => {
    scope.facts = facts;
    const raw = frame.orderDate(scope);
    const date = orderInstant(raw);
    if (date === undefined) {
      throw new EvaluationError(`order line ${position + 1}: orderDate (${frame.document.orderDate}) is ${JSON.stringify(raw ?? null)}; expected an ISO-8601 time`);
    }
    if (date >= P.start && date < P.end) {
      if (date < atMs) {
        const keys = table.keys;
        beginLineKey(frame, facts, position, keys);
        const row = table.count;
        const v = pick(date);
        if (v) {
          if (v !== lastPicked) {
            lastPicked = v;
            lastSlot = slotOf(v.version);
          }
          const before = scope.warnings?.length ?? 0;
          try {
            readLineInto(table, row, v, lastSlot, frame, scope, atMs, date, options.definitions, position);
          } finally {
            if (scope.warnings && scope.warnings.length > before) {
              const key = keys.pending();
              for (const w of warningsSince(scope, before)) warnings.push({ ...w, line: position + 1, key });
              scope.warnings.length = before;
            }
          }
        } else unpricedLineInto(table, row, frame, scope, date, unpriced, noVersion, position);
        keys.commit();
      }
    } else if (Q && date >= Q.start && date < Q.end) {
      const key = lineKeyOf(frame, facts, position);
      const s = collectLineWarnings(scope, warnings, position, key, () =>
        readLine(pick(date) ?? versions[0]!, frame, scope, atMs, key, date, options.definitions, false, lineLabel(position, key)),
      );
      if (s.excluded === undefined) priorSums.set(s.account, (priorSums.get(s.account) ?? 0n) + s.amount);
    } else {
      let bucket: string | undefined;
      for (const e of earlier) if (date >= e.start && date < e.end) bucket = e.key;
      if (bucket !== undefined) {
        const key = lineKeyOf(frame, facts, position);
        const v = pick(date);
        const state: LineState = v
          ? collectLineWarnings(scope, warnings, position, key, () => readLine(v, frame, scope, atMs, key, date, options.definitions, true, lineLabel(position, key)))
          : {
              key,
              account: accountOf(frame, scope, lineLabel(position, key)),
              date,
              version: 0,
              excluded: noVersion,
              amount: 0n,
              volume: { units: 0n, scale: 0 },
              mods: [],
              dims: undefined,
            };
        const map = data.get(bucket)!;
        if (map.has(key)) throw new EvaluationError(`line key "${key}" appears twice in ${bucket}; lineKey (${frame.document.lineKey.join(", ")}) must identify one line`);
        map.set(key, state);
      }
    }
    position++;
  };

  const finish = (): RebateStatement => {
    // A key given twice in the period (found now, by sorting, rather than looked up line by line).
    const repeat = table.keys.firstRepeat();
    if (repeat >= 0) {
      throw new EvaluationError(`line key "${table.keys.key(repeat)}" appears twice in ${P.key}; lineKey (${frame.document.lineKey.join(", ")}) must identify one line`);
    }
    for (const [account, text] of Object.entries(options.priorBasis ?? {})) {
      const m = toMinorUnits(text, frame.scale);
      if (typeof m === "string") throw new EvaluationError(`priorBasis.${account}: ${m}`);
      priorSums.set(account, m);
    }

    const merge = (period: string): { states: LineState[]; fresh: Map<string, LineState> } => {
      const recorded = history.recorded.get(period);
      const fresh = data.get(period)!;
      if (!recorded) return { states: [...fresh.values()], fresh };
      const states: LineState[] = [];
      for (const [key, st] of recorded) states.push(fresh.get(key) ?? st);
      for (const [key, st] of fresh) if (!recorded.has(key)) states.push(st);
      return { states, fresh };
    };

    // Earlier periods: recompute with today's data, adjust what changed.
    const breakdown = createBreakdown(frame.dims.map((d) => d.name));
    const adjustments: AdjustmentLine[] = [];
    let adjustmentSum = 0n;
    const rechecks: Recheck[] = [];
    for (const e of earlier) {
      const { states, fresh } = merge(e.key);
      if (fresh.size === 0) continue;
      const { accounts, lines } = computePeriod(states, programs, governing(e), history.priors.get(e.key) ?? new Map());
      const paidFor = history.paid.get(e.key) ?? new Map<string, bigint>();
      const recorded = history.recorded.get(e.key) ?? new Map<string, LineState>();
      const basisWas = history.basis.get(e.key) ?? new Map<string, bigint>();
      const byAccount = new Map(accounts.map((a) => [a.account, a]));
      const perAccount = new Map<string, { paid: bigint; adjustment: bigint }>();
      states.forEach((s, i) => {
        const amount = lines.amounts[i]!;
        const paid = paidFor.get(s.key) ?? 0n;
        const was = recorded.get(s.key);
        const changed = fresh.has(s.key) && (!was || !sameState(was, s));
        if (amount === paid && !changed) return;
        const reason = adjustmentReason(e.key, s, was, basisWas.get(s.account), byAccount.get(s.account)?.measure.basis ?? 0n, f);
        adjustments.push(adjustmentLine(s, amount, lines.standings[i], lines.rates[i]!, e.key, paid, reason, f));
        breakdown.adjustment(s, amount - paid);
        adjustmentSum += amount - paid;
        const acc = perAccount.get(s.account) ?? { paid: 0n, adjustment: 0n };
        perAccount.set(s.account, { paid: acc.paid + paid, adjustment: acc.adjustment + amount - paid });
      });
      for (const [account, sums] of [...perAccount].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        rechecks.push(recheck(e.key, byAccount.get(account), account, basisWas.get(account), sums.paid, sums.adjustment, f));
      }
    }

    // The period itself: recorded lines first (today's reading where there is one), then new ones.
    const fresh = table.count;
    const recorded = history.recorded.get(P.key);
    let order: Int32Array | undefined;
    if (recorded) {
      order = new Int32Array(fresh + recorded.size);
      const used = new Uint8Array(fresh);
      const found = new Int32Array(recorded.size);
      let k = 0;
      for (const key of recorded.keys()) found[k++] = table.keys.find(key);
      k = 0;
      let i = 0;
      for (const [key, st] of recorded) {
        const row = found[i++]!;
        if (row >= 0) {
          used[row] = 1;
          order[k++] = row;
        } else {
          const r = table.count;
          stateInto(table, r, st, st.version === 0 ? unpriced : slotOf(st.version));
          table.keys.add(key);
          order[k++] = r;
        }
      }
      for (let row = 0; row < fresh; row++) if (!used[row]) order[k++] = row;
    }
    const n = table.count;
    const priors = Q ? priorSums : new Map<string, bigint>();
    const computed = computeTable(table, order, programs, governing(P), priors);
    const paidFor = history.paid.get(P.key) ?? new Map<string, bigint>();
    const paidOf = new Map<number, bigint>();
    let lineCount = 0;
    const excluded: RebateStatement["excluded"] = [];
    const paidByAccount = new Map<string, bigint>();
    const groups = table.groups;
    const G = groups.length;
    // Per group: lines, basis and earned; per breakdown record: lines, basis, earned, due.
    // Sums in doubles with the sums of magnitudes beside them: exact while those stay below 2^52,
    // else (or for an amount beyond 2^53, NaN here) summed again with BigInt.
    const gLines = new Float64Array(G);
    const gBasis = new Float64Array(G);
    const gBasisAbs = new Float64Array(G);
    const gEarned = new Float64Array(G);
    const gEarnedAbs = new Float64Array(G);
    const dimsIds = table.dims;
    const dLines = new Map<number, number>();
    const dBasis = new Map<number, Sum>();
    const dEarned = new Map<number, Sum>();
    const dDue = new Map<number, Sum>();
    const totals = { basis: new Sum(), earned: new Sum(), paid: 0n };
    const amountCol = table.amount;
    const earnedCol = computed.earned;
    for (let k = 0; k < n; k++) {
      const row = order ? order[k]! : k;
      const g = table.group[row]!;
      const group = groups[g]!;
      let paid = 0n;
      if (paidFor.size) {
        paid = paidFor.get(table.keys.key(row)) ?? 0n;
        if (paid !== 0n) paidOf.set(row, paid);
      }
      if (group.excluded !== undefined && paid === 0n) {
        excluded.push({ key: table.keys.key(row), reason: group.excluded, ...(group.version ? { version: group.version } : {}) });
        continue;
      }
      lineCount++;
      const a = amountCol[row]!;
      const e = earnedCol[row]!;
      gLines[g]!++;
      gBasis[g]! += a;
      gBasisAbs[g]! += a < 0 ? -a : a;
      gEarned[g]! += e;
      gEarnedAbs[g]! += e < 0 ? -e : e;
      if (dimsIds) {
        const d = dimsIds[row]!;
        dLines.set(d, (dLines.get(d) ?? 0) + 1);
        let sb = dBasis.get(d);
        if (!sb) {
          dBasis.set(d, (sb = new Sum()));
          dEarned.set(d, new Sum());
          dDue.set(d, new Sum());
        }
        if (a === a) sb.add(a);
        else sb.addBig(table.amountOf(row));
        if (e === e && paid === 0n) {
          dEarned.get(d)!.add(e);
          dDue.get(d)!.add(e);
        } else {
          const amount = earnedOf(computed, row);
          dEarned.get(d)!.addBig(amount);
          dDue.get(d)!.addBig(amount - paid);
        }
      }
      if (paid !== 0n) {
        const account = table.accountNames[table.account[row]!]!;
        paidByAccount.set(account, (paidByAccount.get(account) ?? 0n) + paid);
        totals.paid += paid;
      }
    }
    const perVersion = new Map<number, { lines: number; basis: bigint; earned: bigint }>();
    for (let g = 0; g < G; g++) {
      if (gLines[g] === 0) continue;
      let basis: bigint;
      let earned: bigint;
      if (gBasisAbs[g]! <= 2 ** 52 && gEarnedAbs[g]! <= 2 ** 52) {
        basis = BigInt(gBasis[g]!);
        earned = BigInt(gEarned[g]!);
      } else {
        basis = 0n;
        earned = 0n;
        for (let k = 0; k < n; k++) {
          const row = order ? order[k]! : k;
          if (table.group[row] !== g || (groups[g]!.excluded !== undefined && !paidOf.has(row))) continue;
          basis += table.amountOf(row);
          earned += earnedOf(computed, row);
        }
      }
      totals.basis.addBig(basis);
      totals.earned.addBig(earned);
      if (groups[g]!.excluded !== undefined) continue;
      const version = groups[g]!.version;
      let v = perVersion.get(version);
      if (!v) perVersion.set(version, (v = { lines: 0, basis: 0n, earned: 0n }));
      v.lines += gLines[g]!;
      v.basis += basis;
      v.earned += earned;
    }
    for (const [d, lines] of dLines) {
      breakdown.add(d < 0 ? undefined : table.dimsTable[d], lines, dBasis.get(d)!.value(), dEarned.get(d)!.value(), dDue.get(d)!.value());
    }
    const statementAccounts = computed.accounts.map((a) => statementAccount(a, programs, paidByAccount.get(a.account) ?? 0n, f));
    const withLines = new Set(computed.accounts.map((a) => a.account));
    for (const [account, paid] of paidByAccount) {
      if (withLines.has(account)) continue;
      statementAccounts.push({ account, basis: f.money(0n), lines: 0, tiers: [], exact: "0", earned: f.money(0n), capped: false, paid: f.money(paid), due: f.money(-paid) });
    }
    const totalBasis = totals.basis.value();
    const totalEarned = totals.earned.value();
    const due = totalEarned - totals.paid;
    // Which row each statement line is: every row in order but the excluded lines never paid (made when first asked).
    let lineRows: Int32Array | undefined;
    const rowOf = (i: number): number => {
      if (!lineRows) {
        lineRows = new Int32Array(lineCount);
        let j = 0;
        for (let k = 0; k < n; k++) {
          const row = order ? order[k]! : k;
          if (groups[table.group[row]!]!.excluded === undefined || paidOf.has(row)) lineRows[j++] = row;
        }
      }
      return lineRows[i]!;
    };
    const lineAt = (i: number): StatementLine => {
      const row = rowOf(i);
      const s = table.state(row);
      const priced = s.excluded === undefined ? computed.priced[table.account[row]!]!.get(table.group[row]!) : undefined;
      return statementLine(s, earnedOf(computed, row), priced?.standing, priced ? priced.rate : ZERO_RATIO, paidOf.get(row) ?? 0n, f);
    };
    const statement: RebateStatement = {
      kind: "rebate-statement",
      program: frame.id,
      period: P.key,
      periodStart: formatInstant(P.start),
      periodEnd: formatInstant(P.end),
      settledAt: atIso,
      partial: atMs < P.end,
      sequence: (history.count.get(P.key) ?? 0) + 1,
      ...(frame.currency ? { currency: frame.currency } : {}),
      versions: [...perVersion]
        .sort((a, b) => a[0] - b[0])
        .map(([version, v]) => ({
          version,
          effective: { ...programs.get(version)!.document.effective },
          lines: v.lines,
          basis: f.money(v.basis),
          earned: f.money(v.earned),
        })),
      accounts: statementAccounts,
      lines: [],
      adjustments,
      rechecks,
      excluded,
      totals: {
        basis: f.money(totalBasis),
        earned: f.money(totalEarned),
        paid: f.money(totals.paid),
        due: f.money(due),
        adjustments: f.money(adjustmentSum),
        payable: f.money(due + adjustmentSum),
      },
      breakdown: breakdown.rows(f),
      warnings,
    };
    return lazyLines(statement, lineCount, lineAt);
  };

  return { add, count: () => position, finish, expect: (n) => table.expect(n) };
}
