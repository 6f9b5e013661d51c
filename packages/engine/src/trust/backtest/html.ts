/**
 * A backtest report as one self-contained HTML page: inline CSS, inline SVG
 * bar charts of the money difference per account and per `by` value, no
 * script and no external resource, so it opens offline and can be mailed.
 */
import { formatMessage, type MessageParams } from "../../i18n/catalogue.js";
import { resolveLocale, type Locale } from "../../i18n/locale.js";
import { backtestMessages } from "../../i18n/messages/backtest.js";
import { escapeHtml } from "../../runtime/template.js";
import { outputText } from "./text.js";
import type { AccountDiff, BacktestReport, DimensionDiff, MoneyDiff } from "./types.js";

/** Options of {@link backtestHtml}. */
export interface BacktestHtmlOptions {
  /** `en` (default) or `zh-CN`. */
  locale?: string | undefined;
  /** Rows per table and bars per chart; default 50. */
  maxRows?: number | undefined;
  /** The page title; default the report's title line. */
  title?: string | undefined;
}

type Key = keyof typeof backtestMessages.messages.en;

const CSS = `
:root { color-scheme: light; --pos: #1e7b34; --neg: #b42318; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; color: var(--ink); margin: 24px auto; max-width: 1000px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.muted { color: var(--muted); }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 8px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 160px; }
.card b { display: block; font-size: 18px; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.pos { color: var(--pos); } .neg { color: var(--neg); }
pre { background: #f6f8fa; padding: 8px; border-radius: 6px; overflow-x: auto; font-size: 12px; }
svg text { font: 12px system-ui, "Noto Sans CJK SC", sans-serif; fill: var(--ink); }
svg text.pos { fill: var(--pos); } svg text.neg { fill: var(--neg); }
`;

/** The sign class of a decimal string. */
const sign = (d: string): string => (d.startsWith("-") ? "neg" : /^[0.]+$/.test(d) ? "" : "pos");

/**
 * A horizontal bar chart of differences: bars right of the axis for gains,
 * left for losses. The bar lengths are drawn from the decimal strings; the
 * labels print them exactly.
 */
function chart(title: string, rows: { label: string; difference: string }[]): string {
  if (rows.length === 0) return "";
  const width = 760;
  const labelW = 200;
  const valueW = 110;
  const rowH = 22;
  const plot = width - labelW - valueW;
  const max = Math.max(...rows.map((r) => Math.abs(Number(r.difference)))) || 1;
  const anyNeg = rows.some((r) => r.difference.startsWith("-"));
  const anyPos = rows.some((r) => sign(r.difference) === "pos");
  // The axis: at the left when every difference is a gain, at the right when every one is a loss, else centred.
  const zero = labelW + (anyNeg && anyPos ? plot / 2 : anyNeg ? plot : 0);
  const scale = (anyNeg && anyPos ? plot / 2 : plot) / max;
  const height = rows.length * rowH + 10;
  const bars = rows
    .map((r, i) => {
      const v = Number(r.difference);
      const len = Math.abs(v) * scale;
      const x = v < 0 ? zero - len : zero;
      const y = 5 + i * rowH;
      const label = r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label;
      return (
        `<g><title>${escapeHtml(`${r.label}: ${r.difference}`)}</title>` +
        `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(label)}</text>` +
        `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(len, 0.5).toFixed(1)}" height="${rowH - 6}" fill="var(--${v < 0 ? "neg" : "pos"})"></rect>` +
        `<text x="${width - 4}" y="${y + 15}" text-anchor="end" class="${sign(r.difference)}">${escapeHtml(r.difference)}</text></g>`
      );
    })
    .join("");
  return (
    `<figure><figcaption class="muted">${escapeHtml(title)}</figcaption>` +
    `<svg role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<line x1="${zero}" x2="${zero}" y1="0" y2="${height}" stroke="var(--muted)"></line>${bars}</svg></figure>`
  );
}

/**
 * The report as one HTML page, with every figure of the report's money in a
 * cell marked `data-figure` (`rebate|<id>|account|<account>|difference`...), so
 * that a test or a reader's tool can check the page against the JSON.
 *
 * @param report - what {@link createBacktest} reported
 * @param options - the language, rows per table, the page title
 * @returns the HTML document
 * @example
 * ```ts
 * writeFileSync("backtest.html", backtestHtml(report));
 * ```
 */
export function backtestHtml(report: BacktestReport, options: BacktestHtmlOptions = {}): string {
  const locale: Locale = resolveLocale(options.locale);
  const maxRows = options.maxRows ?? 50;
  const say = (key: Key, params?: MessageParams): string => escapeHtml(formatMessage(backtestMessages, locale, key, params));
  const fig = (key: string, value: string, cls = ""): string => `<td class="n ${cls}" data-figure="${escapeHtml(key)}">${escapeHtml(value)}</td>`;
  const head = `<th class="n">${say("colBaseline")}</th><th class="n">${say("colCandidate")}</th><th class="n">${say("colDifference")}</th>`;
  const moneyCells = (key: string, m: MoneyDiff): string => fig(`${key}|baseline`, m.baseline) + fig(`${key}|candidate`, m.candidate) + fig(`${key}|difference`, m.difference, sign(m.difference));
  const more = (n: number): string => (n > maxRows ? `<p class="muted">${say("more", { count: n - maxRows })}</p>` : "");
  const moneyTable = (prefix: string, first: string, rows: (MoneyDiff & { name: string })[]): string =>
    `<table><thead><tr><th>${escapeHtml(first)}</th>${head}</tr></thead><tbody>` +
    rows
      .slice(0, maxRows)
      .map((r) => `<tr><td>${escapeHtml(r.name)}</td>${moneyCells(`${prefix}|${r.name}`, r)}</tr>`)
      .join("") +
    `</tbody></table>${more(rows.length)}`;
  const accountsBlock = (prefix: string, accounts: AccountDiff[]): string =>
    chart(formatMessage(backtestMessages, locale, "moneyChart", { what: formatMessage(backtestMessages, locale, "colAccount") }), accounts.slice(0, maxRows).map((a) => ({ label: a.account, difference: a.difference }))) +
    moneyTable(`${prefix}|account`, formatMessage(backtestMessages, locale, "colAccount"), accounts.map((a) => ({ ...a, name: a.account })));
  const byBlock = (prefix: string, by: Record<string, DimensionDiff[]>): string =>
    Object.entries(by)
      .map(
        ([name, rows]) =>
          `<h3>${say("by", { path: name })}</h3>` +
          chart(formatMessage(backtestMessages, locale, "moneyChart", { what: name }), rows.slice(0, maxRows).map((r) => ({ label: r.value, difference: r.difference }))) +
          moneyTable(`${prefix}|by|${name}`, name, rows.map((r) => ({ ...r, name: r.value }))),
      )
      .join("");
  const card = (label: string, key: string, value: string, cls = ""): string => `<div class="card"><span class="muted">${label}</span><b class="${cls}" data-figure="${escapeHtml(key)}">${escapeHtml(value)}</b></div>`;
  const totals = (key: string, m: MoneyDiff): string =>
    `<div class="cards">${card(say("colBaseline"), `${key}|baseline`, m.baseline)}${card(say("colCandidate"), `${key}|candidate`, m.candidate)}${card(say("colDifference"), `${key}|difference`, m.difference, sign(m.difference))}</div>`;

  const body: string[] = [];
  const title = options.title ?? formatMessage(backtestMessages, locale, "title", { lines: report.lines });
  body.push(`<h1>${escapeHtml(title)}</h1>`);
  body.push(`<p class="muted">${say("compared", { ids: report.definitions.compared.join(", ") || "-" })}</p>`);
  if (report.definitions.onlyInBaseline.length) body.push(`<p class="muted">${say("onlyBaseline", { ids: report.definitions.onlyInBaseline.join(", ") })}</p>`);
  if (report.definitions.onlyInCandidate.length) body.push(`<p class="muted">${say("onlyCandidate", { ids: report.definitions.onlyInCandidate.join(", ") })}</p>`);

  for (const r of report.rebates) {
    const p = `rebate|${r.id}`;
    body.push(`<section><h2>${say("rebate", { id: r.id, currency: r.currency ?? "-", ...r.totals })}</h2>${totals(`${p}|total`, r.totals)}`);
    body.push(moneyTable(`${p}|period`, formatMessage(backtestMessages, locale, "colPeriod"), r.periods.map((x) => ({ ...x, name: x.period }))));
    body.push(accountsBlock(p, r.accounts), byBlock(p, r.by), `</section>`);
  }
  for (const x of report.promotions) {
    const p = `promotion|${x.id}`;
    body.push(`<section><h2>${say("promotion", { id: x.id, currency: x.currency ?? "-", ...x.cost })}</h2>${totals(`${p}|cost`, x.cost)}`);
    const side = (name: "baseline" | "candidate"): string => {
      const s = x[name];
      const out = s.budgetRunsOut ? `${s.budgetRunsOut.at} (line ${s.budgetRunsOut.line})` : formatMessage(backtestMessages, locale, "never");
      return `<tr><td>${say(name === "baseline" ? "colBaseline" : "colCandidate")}</td>${fig(`${p}|${name}|claims`, String(s.claims))}${fig(`${p}|${name}|cost`, s.cost)}${fig(`${p}|${name}|refusedForBudget`, String(s.refusedForBudget))}<td data-figure="${escapeHtml(`${p}|${name}|budgetRunsOut`)}">${escapeHtml(out)}</td></tr>`;
    };
    body.push(
      `<table><thead><tr><th></th><th class="n">${say("colClaims")}</th><th class="n">${say("colCost")}</th><th class="n">${say("colRefused")}</th><th>${say("colBudgetOut")}</th></tr></thead><tbody>${side("baseline")}${side("candidate")}</tbody></table>`,
    );
    body.push(accountsBlock(p, x.accounts), byBlock(p, x.by), `</section>`);
  }
  for (const d of report.decisions) {
    const p = `decision|${d.id}`;
    body.push(`<section><h2>${say("decisions", { kind: d.kind, id: d.id, changed: d.changed, evaluated: d.evaluated })}</h2>`);
    body.push(`<div class="cards">${card(say("colDifference"), `${p}|changed`, String(d.changed))}</div>`);
    if (d.errors.first) body.push(`<p class="neg">${say("decisionErrors", { baseline: d.errors.baseline, candidate: d.errors.candidate, first: `line ${d.errors.first.line}: ${d.errors.first.message}` })}</p>`);
    if (d.transitions.length) {
      body.push(
        `<table><thead><tr><th>${say("colBaseline")}</th><th>${say("colCandidate")}</th><th class="n">#</th></tr></thead><tbody>` +
          d.transitions.map((t) => `<tr><td><code>${escapeHtml(outputText(t.baseline))}</code></td><td><code>${escapeHtml(outputText(t.candidate))}</code></td><td class="n">${t.count}</td></tr>`).join("") +
          `</tbody></table>`,
      );
    }
    for (const ex of d.examples.slice(0, 5)) {
      body.push(`<h3>${say("example", { line: ex.line })}</h3>`);
      body.push(`<p>${say("baselineSide", { version: ex.baseline.version })}</p><pre>${escapeHtml(ex.baseline.explanation)}</pre>`);
      body.push(`<p>${say("candidateSide", { version: ex.candidate.version })}</p><pre>${escapeHtml(ex.candidate.explanation)}</pre>`);
    }
    body.push(`</section>`);
  }
  for (const r of report.rollouts) {
    const p = `rollout|${r.id}`;
    body.push(`<section><h2>${say("rollout", { id: r.id, changed: r.changed, evaluated: r.evaluated, units: r.changedUnits })}</h2>`);
    body.push(`<div class="cards">${card(say("colUnit"), `${p}|changedUnits`, String(r.changedUnits))}</div>`);
    if (r.examples.length) {
      body.push(
        `<table><thead><tr><th class="n">${say("colLine")}</th><th>${say("colUnit")}</th><th>${say("colBaseline")}</th><th>${say("colCandidate")}</th></tr></thead><tbody>` +
          r.examples.map((e) => `<tr><td class="n">${e.line}</td><td>${escapeHtml(e.unit ?? "-")}</td><td>${escapeHtml(e.baseline.variant)}</td><td>${escapeHtml(e.candidate.variant)}</td></tr>`).join("") +
          `</tbody></table>`,
      );
    }
    body.push(`</section>`);
  }
  const moves = (key: "winners" | "losers"): string => {
    const rows = report[key];
    if (!rows.length) return `<h2>${say(key)}</h2><p class="muted">${say("none")}</p>`;
    return (
      `<h2>${say(key)}</h2><table><thead><tr><th>${say("colDefinition")}</th><th>${say("colAccount")}</th>${head}</tr></thead><tbody>` +
      rows.map((m) => `<tr><td>${escapeHtml(m.definition)}</td><td>${escapeHtml(m.account)}</td>${moneyCells(`${key}|${m.kind}|${m.definition}|${m.account}`, m)}</tr>`).join("") +
      `</tbody></table>`
    );
  };
  body.push(moves("winners"), moves("losers"));
  return (
    `<!DOCTYPE html>\n<html lang="${locale}"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>` +
    `<body>${body.join("\n")}</body></html>\n`
  );
}
