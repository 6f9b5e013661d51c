/** A rebate statement as readable text: accounts, lines, adjustments, totals and breakdowns as aligned tables. */
import type { RebateStatement } from "./statement.js";

/** Options of {@link describeStatement}. */
export interface DescribeStatementOptions {
  /** Most order lines to list (default 50); the rest are counted. */
  maxLines?: number | undefined;
}

const NUMERIC = /^-?\d+(\.\d+)?$/;
// CJK ideographs, kana, Hangul and full-width forms take two columns in a terminal.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;

/** Columns a string takes in a terminal: wide (Chinese) characters count two. @internal */
export function displayWidth(s: string): number {
  return s.length + (s.match(WIDE)?.length ?? 0);
}

/**
 * Render rows as an aligned text table; numbers are right-aligned.
 * @internal
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const right = header.map((_, i) => rows.length > 0 && rows.every((r) => NUMERIC.test(r[i] ?? "") || r[i] === ""));
  const pad = (c: string, w: number): string => " ".repeat(Math.max(0, w - displayWidth(c)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (right[i] ? pad(c, widths[i]!) + c : c + pad(c, widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const show = (v: unknown): string => (v === null || v === undefined ? "(none)" : typeof v === "string" ? v : JSON.stringify(v));

/**
 * Describe a settlement statement as text: header, versions, accounts (tier
 * reached, rate, earned, paid, due), lines, adjustments for earlier periods,
 * totals and one table per breakdown dimension.
 *
 * @param statement - a statement from `settleRebates`
 * @param options - how many lines to list
 * @returns multi-line text for a terminal, a log or an e-mail
 * @example
 * ```ts
 * console.log(describeStatement(settleRebates({ program, lines, period: "2026-02" })));
 * ```
 */
export function describeStatement(statement: RebateStatement, options: DescribeStatementOptions = {}): string {
  const s = statement;
  const max = options.maxLines ?? 50;
  const out: string[] = [];
  out.push(
    `Rebate statement ${s.program} ${s.period} #${s.sequence}${s.partial ? " (partial)" : ""}${s.currency ? `, ${s.currency}` : ""}, settled ${s.settledAt}`,
    `period ${s.periodStart} .. ${s.periodEnd}`,
  );
  for (const v of s.versions) {
    const from = v.effective.from ? ` from ${v.effective.from}` : "";
    const to = v.effective.to ? ` until ${v.effective.to}` : "";
    out.push(`version ${v.version}${from}${to}: ${v.lines} line(s), basis ${v.basis}, earned ${v.earned}`);
  }
  out.push("", "Accounts");
  out.push(
    textTable(
      ["account", "basis", "tier", "rate", "next tier needs", "earned", "paid", "due"],
      s.accounts.map((a) => {
        const t = a.tiers[a.tiers.length - 1];
        const tier = t ? (t.reached.index < 0 ? "-" : `${t.reached.index}${t.reached.name ? ` ${t.reached.name}` : ""}`) : "-";
        const next = t?.next ? `${t.next.remaining} ${t.next.remainingOf}` : "";
        return [a.account, a.basis, tier, t?.baseRate ?? "0", next, a.earned + (a.capped ? " (capped)" : ""), a.paid, a.due];
      }),
    ),
  );
  out.push("", `Lines (${s.lines.length})`);
  out.push(
    textTable(
      ["key", "date", "account", "v", "basis", "tier", "rate", "modifiers", "amount", "paid", "due"],
      s.lines.slice(0, max).map((l) => [
        l.key,
        l.date.slice(0, 10),
        l.account,
        String(l.version),
        l.basis,
        l.tier ? String(l.tier.index) : "-",
        l.rate,
        l.excluded ?? l.modifiers.map((m) => `${m.name} ${m.op === "multiply" ? "x" : "+"}${m.value}`).join(", "),
        l.amount,
        l.paid,
        l.due,
      ]),
    ),
  );
  if (s.lines.length > max) out.push(`... ${s.lines.length - max} more line(s)`);
  if (s.adjustments.length) {
    out.push("", `Adjustments to earlier periods (${s.adjustments.length})`);
    out.push(textTable(["period", "key", "type", "paid", "now", "due", "reason"], s.adjustments.map((a) => [a.period, a.key, a.type, a.paid, a.amount, a.due, a.reason])));
  }
  if (s.excluded.length) out.push("", `Not counted: ${s.excluded.length} line(s) (${[...new Set(s.excluded.map((e) => e.reason))].join("; ")})`);
  const t = s.totals;
  out.push("", `Totals: basis ${t.basis}, earned ${t.earned}, paid before ${t.paid}, due ${t.due}, adjustments ${t.adjustments}, payable ${t.payable}`);
  for (const [name, rows] of Object.entries(s.breakdown)) {
    out.push("", `By ${name}`);
    out.push(textTable([name, "lines", "basis", "earned", "adjustments", "payable"], rows.map((r) => [show(r.value), String(r.lines), r.basis, r.earned, r.adjustments, r.payable])));
  }
  return out.join("\n");
}
