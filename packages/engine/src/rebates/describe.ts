/** A rebate statement as readable text: accounts, lines, adjustments, totals and breakdowns as aligned tables. */
import { formatMessage, type MessageParams } from "../i18n/catalogue.js";
import { resolveLocale, type Locale } from "../i18n/locale.js";
import { rebateStatementMessages } from "../i18n/messages/rebate-statements.js";
import { textTable } from "../i18n/text-table.js";
import { statementLineCount, statementLines } from "./lazy-lines.js";
import type { RebateStatement, StatementLine } from "./statement.js";

/** Options of {@link explainStatement}. */
export interface ExplainStatementOptions {
  /** Most order lines to list (default 50); the rest are counted. */
  maxLines?: number | undefined;
  /** Language of the text: `en` (default) or `zh-CN`; see docs/locales.md. */
  locale?: string | undefined;
  /**
   * How many lines the statement has, when `lines` holds only its first ones
   * (a statement written out line by line from a large file); default: all of them.
   */
  lineCount?: number | undefined;
}

type Key = Extract<keyof (typeof rebateStatementMessages)["messages"]["en"], string>;

/**
 * The reasons settlement records (in English, in the statement JSON), matched
 * so they can be written in another locale; anything else is shown as written.
 */
function reasonText(reason: string, t: (key: Key, params?: MessageParams) => string, locale: Locale): string {
  if (locale === "en") return reason;
  let m: RegExpMatchArray | null;
  if ((m = /^a late line: it was not in the (\S+) statement$/.exec(reason))) return t("reason_late", { period: m[1]! });
  if ((m = /^counts again after (\S+) was settled \(was: (.*)\)$/s.exec(reason))) {
    return t("reason_countsAgain", { period: m[1]!, was: reasonText(m[2]!, t, locale) });
  }
  if ((m = /^(.*) after (\S+) was settled$/s.exec(reason))) return t("reason_excludedAfter", { period: m[2]!, reason: reasonText(m[1]!, t, locale) });
  if ((m = /^basis changed from (\S+) to (\S+)$/.exec(reason))) return t("reason_basisChanged", { from: m[1]!, to: m[2]! });
  if ((m = /^account (.*)'s (\S+) basis changed from (\S+) to (\S+)$/s.exec(reason))) {
    return t("reason_accountBasisChanged", { account: m[1]!, period: m[2]!, from: m[3]!, to: m[4]! });
  }
  if ((m = /^recomputed for (\S+)$/.exec(reason))) return t("reason_recomputed", { period: m[1]! });
  if ((m = /^status "(.*)"$/s.exec(reason))) return t("reason_status", { status: m[1]! });
  if (reason === "basis.where does not hold") return t("reason_where");
  if ((m = /^no version of "(.*)" is effective at the order time$/s.exec(reason))) return t("reason_noVersion", { id: m[1]! });
  return reason;
}

/**
 * Explain a settlement statement as text: header, versions, accounts (tier
 * reached, rate, earned, paid, due), lines, adjustments for earlier periods,
 * totals and one table per breakdown dimension.
 *
 * With `locale: "zh-CN"` every heading, column, adjustment type (追回, 补付)
 * and the reasons settlement recorded are written in Simplified Chinese; the
 * statement JSON itself is unchanged (its `reason` fields stay English).
 * Warnings (a modifier condition or `basis.where` that met a missing value)
 * are listed after the adjustments, each naming its order line and the path
 * in the program; their own message text is shown as recorded (English).
 * Ids, keys, amounts, dates, modifier names and breakdown dimension names are
 * shown as written.
 *
 * @param statement - a statement from `settleRebates`
 * @param options - how many lines to list, and the locale (`en` default, or `zh-CN`)
 * @returns multi-line text for a terminal, a log or an e-mail
 * @throws RuleflowError (`VALIDATION_ERROR`) for a locale Ruleflow has no messages for
 * @example
 * ```ts
 * console.log(explainStatement(settleRebates({ program, lines, period: "2026-02" })));
 * console.log(explainStatement(statement, { locale: "zh-CN" })); // 返利对账单 ...
 * ```
 */
export function explainStatement(statement: RebateStatement, options: ExplainStatementOptions = {}): string {
  const s = statement;
  const max = options.maxLines ?? 50;
  const locale = resolveLocale(options.locale);
  const t = (key: Key, params?: MessageParams): string => formatMessage(rebateStatementMessages, locale, key, params);
  const zh = locale !== "en";
  const reason = (r: string): string => reasonText(r, t, locale);
  const show = (v: unknown): string => (v === null || v === undefined ? t("none") : typeof v === "string" ? v : JSON.stringify(v));
  // The lines shown, taken one by one: a statement whose lines are built when read is not built whole.
  const count = options.lineCount ?? statementLineCount(s);
  // As lines.slice(0, max) takes them.
  let end = Number.isNaN(max) ? 0 : Math.trunc(max);
  end = end < 0 ? Math.max(0, count + end) : Math.min(end, count);
  const shown: StatementLine[] = [];
  if (end > 0) {
    for (const l of statementLines(s)) {
      shown.push(l);
      if (shown.length >= end) break;
    }
  }
  const out: string[] = [];
  out.push(
    t("heading", {
      program: s.program,
      period: s.period,
      sequence: s.sequence,
      partial: s.partial ? t("partial") : "",
      currency: s.currency ? t("currency", { currency: s.currency }) : "",
      settledAt: s.settledAt,
    }),
    t("periodRange", { start: s.periodStart, end: s.periodEnd }),
  );
  for (const v of s.versions) {
    const from = v.effective.from ? t("versionFrom", { from: v.effective.from }) : "";
    const to = v.effective.to ? t("versionTo", { to: v.effective.to }) : "";
    out.push(t("version", { version: v.version, from, to, lines: v.lines, basis: v.basis, earned: v.earned }));
  }
  out.push("", t("accounts"));
  out.push(
    textTable(
      [t("col_account"), t("col_basis"), t("col_tier"), t("col_rate"), t("col_next"), t("col_earned"), t("col_paid"), t("col_due")],
      s.accounts.map((a) => {
        const tr = a.tiers[a.tiers.length - 1];
        const tier = tr ? (tr.reached.index < 0 ? "-" : `${tr.reached.index}${tr.reached.name ? ` ${tr.reached.name}` : ""}`) : "-";
        const next = tr?.next ? t(tr.next.remainingOf === "volume" ? "nextVolume" : "nextAmount", { remaining: tr.next.remaining }) : "";
        return [a.account, a.basis, tier, tr?.baseRate ?? "0", next, a.earned + (a.capped ? t("capped") : ""), a.paid, a.due];
      }),
    ),
  );
  out.push("", t("lines", { count }));
  out.push(
    textTable(
      [t("col_key"), t("col_date"), t("col_account"), t("col_version"), t("col_basis"), t("col_tier"), t("col_rate"), t("col_modifiers"), t("col_amount"), t("col_paid"), t("col_due")],
      shown.map((l) => [
        l.key,
        l.date.slice(0, 10),
        l.account,
        String(l.version),
        l.basis,
        l.tier ? String(l.tier.index) : "-",
        l.rate,
        l.excluded !== undefined ? reason(l.excluded) : l.modifiers.map((m) => `${m.name} ${m.op === "multiply" ? "x" : "+"}${m.value}`).join(zh ? "、" : ", "),
        l.amount,
        l.paid,
        l.due,
      ]),
    ),
  );
  if (count > max) out.push(t("moreLines", { count: count - max }));
  if (s.adjustments.length) {
    out.push("", t("adjustments", { count: s.adjustments.length }));
    out.push(
      textTable(
        [t("col_period"), t("col_key"), t("col_type"), t("col_paid"), t("col_now"), t("col_due"), t("col_reason")],
        s.adjustments.map((a) => [a.period, a.key, typeKey(a.type) ? t(typeKey(a.type)!) : a.type, a.paid, a.amount, a.due, reason(a.reason)]),
      ),
    );
  }
  // Statements stored before warnings existed have none.
  const warnings = s.warnings ?? [];
  if (warnings.length) {
    out.push("", t("warnings", { count: warnings.length }));
    for (const w of warnings) {
      const table = w.table ? t("warningTable", { id: w.table.id, version: w.table.version, at: w.table.path }) : "";
      out.push(`  ${t("warning", { line: w.line, key: w.key, path: w.path, table, message: w.message })}`);
    }
  }
  if (s.excluded.length) out.push("", t("notCounted", { count: s.excluded.length, reasons: [...new Set(s.excluded.map((e) => reason(e.reason)))].join(zh ? "；" : "; ") }));
  const tt = s.totals;
  out.push("", t("totals", { basis: tt.basis, earned: tt.earned, paid: tt.paid, due: tt.due, adjustments: tt.adjustments, payable: tt.payable }));
  for (const [name, rows] of Object.entries(s.breakdown)) {
    out.push("", t("by", { name }));
    out.push(
      textTable(
        [name, t("col_lines"), t("col_basis"), t("col_earned"), t("col_adjustments"), t("col_payable")],
        rows.map((r) => [show(r.value), String(r.lines), r.basis, r.earned, r.adjustments, r.payable]),
      ),
    );
  }
  return out.join("\n");
}

function typeKey(type: string): "type_clawback" | "type_true-up" | "type_restated" | undefined {
  return type === "clawback" ? "type_clawback" : type === "true-up" ? "type_true-up" : type === "restated" ? "type_restated" : undefined;
}
