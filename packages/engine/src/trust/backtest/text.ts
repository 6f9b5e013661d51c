/** A backtest report as text tables for a terminal, in English or Simplified Chinese. */
import { formatMessage, type MessageParams } from "../../i18n/catalogue.js";
import { resolveLocale, type Locale } from "../../i18n/locale.js";
import { backtestMessages } from "../../i18n/messages/backtest.js";
import { textTable } from "../../i18n/text-table.js";
import type { BacktestReport, DimensionDiff, MoneyDiff } from "./types.js";

/** Options of {@link explainBacktest}. */
export interface ExplainBacktestOptions {
  /** `en` (default) or `zh-CN`. */
  locale?: string | undefined;
  /** Rows shown per table (accounts, `by` values, winners, losers); default 10. */
  maxRows?: number | undefined;
  /** Changed decisions shown with both explanations, per definition; default 3. */
  maxExamples?: number | undefined;
}

type Key = keyof typeof backtestMessages.messages.en;

/** The short text of an output: its JSON. @internal */
export function outputText(v: unknown): string {
  return v === undefined ? "null" : JSON.stringify(v);
}

/**
 * The report as text: what was compared, each decision's changes (with both
 * explanations of the first changed lines), each rebate's payout per period,
 * account and `by` value, each promotion's cost, claims and budget, each
 * rollout's changed units, then the winners and losers.
 *
 * @param report - what {@link createBacktest} reported
 * @param options - the language and how many rows to show
 * @returns the text, lines separated by `\n`
 * @example
 * ```ts
 * console.log(explainBacktest(report, { locale: "zh-CN" }));
 * ```
 */
export function explainBacktest(report: BacktestReport, options: ExplainBacktestOptions = {}): string {
  const locale: Locale = resolveLocale(options.locale);
  const maxRows = options.maxRows ?? 10;
  const maxExamples = options.maxExamples ?? 3;
  const say = (key: Key, params?: MessageParams): string => formatMessage(backtestMessages, locale, key, params);
  const out: string[] = [say("title", { lines: report.lines })];
  const list = (ids: string[]): string => (ids.length ? ids.join(", ") : say("none"));
  out.push(say("compared", { ids: list(report.definitions.compared) }));
  if (report.definitions.onlyInBaseline.length) out.push(say("onlyBaseline", { ids: list(report.definitions.onlyInBaseline) }));
  if (report.definitions.onlyInCandidate.length) out.push(say("onlyCandidate", { ids: list(report.definitions.onlyInCandidate) }));
  const head = [say("colBaseline"), say("colCandidate"), say("colDifference")];
  const cells = (m: MoneyDiff): string[] => [m.baseline, m.candidate, m.difference];
  const limited = <T>(rows: T[], row: (r: T) => string[], header: string[]): string => {
    const text = textTable(header, rows.slice(0, maxRows).map(row));
    return rows.length > maxRows ? `${text}\n${say("more", { count: rows.length - maxRows })}` : text;
  };
  const byTables = (by: Record<string, DimensionDiff[]>): void => {
    for (const [name, rows] of Object.entries(by)) {
      out.push("", say("by", { path: name }), limited(rows, (r) => [r.value, ...cells(r)], [name, ...head]));
    }
  };

  for (const d of report.decisions) {
    out.push("", say("decisions", { kind: d.kind, id: d.id, changed: d.changed, evaluated: d.evaluated }));
    if (d.errors.first) out.push(say("decisionErrors", { baseline: d.errors.baseline, candidate: d.errors.candidate, first: `line ${d.errors.first.line}: ${d.errors.first.message}` }));
    for (const t of d.transitions.slice(0, maxRows)) out.push(`  ${say("transition", { count: t.count, baseline: outputText(t.baseline), candidate: outputText(t.candidate) })}`);
    for (const ex of d.examples.slice(0, maxExamples)) {
      out.push("", say("example", { line: ex.line }));
      out.push(`  ${say("baselineSide", { version: ex.baseline.version })}`, ...ex.baseline.explanation.split("\n").map((l) => `    ${l}`));
      out.push(`  ${say("candidateSide", { version: ex.candidate.version })}`, ...ex.candidate.explanation.split("\n").map((l) => `    ${l}`));
    }
  }

  for (const r of report.rebates) {
    out.push("", say("rebate", { id: r.id, currency: r.currency ?? "-", ...r.totals }));
    out.push(textTable([say("colPeriod"), ...head], r.periods.map((p) => [p.period, ...cells(p)])));
    out.push("", limited(r.accounts, (a) => [a.account, ...cells(a)], [say("colAccount"), ...head]));
    byTables(r.by);
  }

  for (const p of report.promotions) {
    out.push("", say("promotion", { id: p.id, currency: p.currency ?? "-", ...p.cost }));
    const side = (name: string, s: typeof p.baseline) => [name, String(s.claims), s.cost, String(s.refusedForBudget), s.budgetRunsOut ? `${s.budgetRunsOut.at} (line ${s.budgetRunsOut.line})` : say("never")];
    out.push(textTable(["", say("colClaims"), say("colCost"), say("colRefused"), say("colBudgetOut")], [side(say("colBaseline"), p.baseline), side(say("colCandidate"), p.candidate)]));
    if (p.accounts.length) out.push("", limited(p.accounts, (a) => [a.account, ...cells(a)], [say("colAccount"), ...head]));
    byTables(p.by);
  }

  for (const r of report.rollouts) {
    out.push("", say("rollout", { id: r.id, changed: r.changed, evaluated: r.evaluated, units: r.changedUnits }));
    for (const t of r.transitions.slice(0, maxRows)) out.push(`  ${say("transition", { count: t.count, baseline: t.baseline, candidate: t.candidate })}`);
    if (r.examples.length) {
      out.push(textTable([say("colLine"), say("colUnit"), say("colBaseline"), say("colCandidate")], r.examples.slice(0, maxRows).map((e) => [String(e.line), e.unit ?? "-", e.baseline.variant, e.candidate.variant])));
    }
  }

  const moves = (title: Key, rows: BacktestReport["winners"]): void => {
    out.push("", say(title));
    if (!rows.length) out.push(say("none"));
    else out.push(limited(rows, (m) => [m.definition, m.account, ...cells(m)], [say("colDefinition"), say("colAccount"), ...head]));
  };
  moves("winners", report.winners);
  moves("losers", report.losers);
  return out.join("\n");
}
