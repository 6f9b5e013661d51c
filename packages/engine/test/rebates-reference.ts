/**
 * The settlement as it was computed before the column-based fast path: one
 * LineState object per line and computePeriod over them, built eagerly.
 * Kept here, verbatim but for its name, as the reference the fast path must
 * equal to the last character (rebates-fast-path.test.ts).
 */
import { EvaluationError } from "../src/core/errors.js";
import { resolveNow, type Scope } from "../src/expr/compile.js";
import { inDefinitionTime, withDefinitionLookup } from "../src/expr/time-context.js";
import { formatInstant, parseInstant } from "../src/expr/values.js";
import { toMinorUnits } from "../src/money/amount.js";
import { parsePeriod, periodContaining, previousPeriod, type Period } from "../src/money/period.js";
import { adjustmentLine, adjustmentReason, createBreakdown, formatter, recheck, sameState, statementAccount, statementLine } from "../src/rebates/assemble.js";
import { computePeriod } from "../src/rebates/compute.js";
import { readHistory } from "../src/rebates/history.js";
import { accountOf, collectLineWarnings, lineKeyOf, lineLabel, orderInstant, readLine, type LineState } from "../src/rebates/lines.js";
import type { CompiledRebate } from "../src/rebates/program.js";
import type { AdjustmentLine, RebateStatement, RebateWarning, Recheck, StatementLine } from "../src/rebates/statement.js";
import type { RebateProgram } from "../src/rebates/program-frame.js";
import type { SettleOptions } from "../src/rebates/settle.js";

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
export function settleReference(options: SettleOptions): RebateStatement {
  const versions = versionsOf(options.program);
  const frame = versions[versions.length - 1]!;
  // Order dates and the dates conditions compare are wall clocks in the program's zone
  // when written without an offset; `at` is read first, as an instant.
  const atOption = options.at === undefined ? undefined : parseInstant(resolveNow(options.at))!;
  return withDefinitionLookup(options.definitions, () => inDefinitionTime(frame.time, () => settleIn(options, versions, frame, atOption)));
}

function settleIn(options: SettleOptions, versions: RebateProgram[], frame: RebateProgram, atOption: number | undefined): RebateStatement {
  const zone = frame.document.timeZone;
  const P = parsePeriod(options.period, zone);
  if (typeof P === "string") throw new EvaluationError(P);
  if (P.unit !== frame.document.period) {
    throw new EvaluationError(`"${frame.id}" settles by ${frame.document.period}; "${options.period}" is a ${P.unit} (write e.g. ${frame.document.period === "month" ? "2026-02" : frame.document.period === "quarter" ? "2026-Q1" : "2026"})`);
  }
  const atMs = atOption ?? defaultAt(P, frame);
  if (atMs <= P.start) throw new EvaluationError(`settlement time ${formatInstant(atMs)} is not after the start of ${P.key}`);
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
  const pick = (t: number): RebateProgram | undefined => byDesc.find((v) => v.from <= t && t < v.to);
  const governing = (p: Period): RebateProgram => byDesc.find((v) => v.from < p.end && p.start < v.to) ?? frame;

  const data = new Map<string, Map<string, LineState>>([[P.key, new Map()], ...earlier.map((e) => [e.key, new Map<string, LineState>()] as const)]);
  const priorSums = new Map<string, bigint>();
  const scope: Scope = { facts: undefined, now: atIso, locals: [], warnings: undefined };
  const warnings: RebateWarning[] = [];
  let position = 0;
  for (const facts of options.lines) {
    scope.facts = facts;
    const raw = frame.orderDate(scope);
    const date = orderInstant(raw);
    if (date === undefined) {
      throw new EvaluationError(`order line ${position + 1}: orderDate (${frame.document.orderDate}) is ${JSON.stringify(raw ?? null)}; expected an ISO-8601 time`);
    }
    let bucket: string | undefined;
    if (date >= P.start && date < P.end) {
      if (date < atMs) bucket = P.key;
    } else if (Q && date >= Q.start && date < Q.end) {
      const key = lineKeyOf(frame, facts, position);
      const s = collectLineWarnings(scope, warnings, position, key, () =>
        readLine(pick(date) ?? versions[0]!, frame, scope, atMs, key, date, options.definitions, false, lineLabel(position, key)),
      );
      if (s.excluded === undefined) priorSums.set(s.account, (priorSums.get(s.account) ?? 0n) + s.amount);
    } else {
      for (const e of earlier) if (date >= e.start && date < e.end) bucket = e.key;
    }
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
            excluded: `no version of "${frame.id}" is effective at the order time`,
            amount: 0n,
            volume: { units: 0n, scale: 0 },
            mods: [],
            dims: undefined,
          };
      const map = data.get(bucket)!;
      if (map.has(key)) throw new EvaluationError(`line key "${key}" appears twice in ${bucket}; lineKey (${frame.document.lineKey.join(", ")}) must identify one line`);
      map.set(key, state);
    }
    position++;
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

  // The period itself.
  const { states } = merge(P.key);
  const priors = Q ? priorSums : new Map<string, bigint>();
  const { accounts, lines: computed } = computePeriod(states, programs, governing(P), priors);
  const paidFor = history.paid.get(P.key) ?? new Map<string, bigint>();
  const lines: StatementLine[] = [];
  const excluded: RebateStatement["excluded"] = [];
  const paidByAccount = new Map<string, bigint>();
  const perVersion = new Map<number, { lines: number; basis: bigint; earned: bigint }>();
  const totals = { basis: 0n, earned: 0n, paid: 0n };
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    const amount = computed.amounts[i]!;
    const paid = paidFor.size ? (paidFor.get(s.key) ?? 0n) : 0n;
    if (s.excluded !== undefined && paid === 0n) {
      excluded.push({ key: s.key, reason: s.excluded, ...(s.version ? { version: s.version } : {}) });
      continue;
    }
    lines.push(statementLine(s, amount, computed.standings[i], computed.rates[i]!, paid, f));
    breakdown.line(s, amount, paid);
    if (paid !== 0n) paidByAccount.set(s.account, (paidByAccount.get(s.account) ?? 0n) + paid);
    totals.basis += s.amount;
    totals.earned += amount;
    totals.paid += paid;
    if (s.excluded === undefined) {
      let v = perVersion.get(s.version);
      if (!v) perVersion.set(s.version, (v = { lines: 0, basis: 0n, earned: 0n }));
      v.lines++;
      v.basis += s.amount;
      v.earned += amount;
    }
  }
  const statementAccounts = accounts.map((a) => statementAccount(a, programs, paidByAccount.get(a.account) ?? 0n, f));
  const withLines = new Set(accounts.map((a) => a.account));
  for (const [account, paid] of paidByAccount) {
    if (withLines.has(account)) continue;
    statementAccounts.push({ account, basis: f.money(0n), lines: 0, tiers: [], exact: "0", earned: f.money(0n), capped: false, paid: f.money(paid), due: f.money(-paid) });
  }
  const due = totals.earned - totals.paid;
  return {
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
    lines,
    adjustments,
    rechecks,
    excluded,
    totals: {
      basis: f.money(totals.basis),
      earned: f.money(totals.earned),
      paid: f.money(totals.paid),
      due: f.money(due),
      adjustments: f.money(adjustmentSum),
      payable: f.money(due + adjustmentSum),
    },
    breakdown: breakdown.rows(f),
    warnings,
  };
}
