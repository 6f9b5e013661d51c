/**
 * A suite's report for people (per case ✓/✗, expected against actual and
 * what decided), its coverage as text, and JUnit XML for CI.
 */
import { formatMessage } from "../../i18n/catalogue.js";
import { resolveLocale, type Locale } from "../../i18n/locale.js";
import { testSuiteMessages } from "../../i18n/messages/test-suites.js";
import type { CoverageReport } from "./coverage.js";
import type { TestCaseReport, TestSuiteReport } from "./run.js";

/** Options of the text renderers: `locale` (`en` or `zh-CN`). */
export interface ExplainTestOptions {
  locale?: Locale | (string & {}) | undefined;
}

// C0 and C1 controls and the line separators: a value never starts a line of its own.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const safe = (s: string): string => s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

type MessageKey = keyof (typeof testSuiteMessages)["messages"]["en"];

/** A value as it prints: JSON, or `(missing)`. */
const shown = (v: unknown, locale: Locale): string => (v === undefined ? formatMessage(testSuiteMessages, locale, "missing") : safe(JSON.stringify(v)));

function caseLines(c: TestCaseReport, locale: Locale): string[] {
  const t = (key: MessageKey): string => formatMessage(testSuiteMessages, locale, key);
  const mark = c.status === "passed" ? "✓" : "✗";
  const what = `${safe(c.definition)}${c.version === null ? "" : ` v${c.version}`}`;
  const lines = [`  ${mark} ${safe(c.name)} (${what})${c.status === "error" ? ` [${t("errored")}]` : ""}`];
  if (c.status === "passed") return lines;
  if (c.error !== undefined) lines.push(`      ${safe(c.error)}`);
  for (const m of c.mismatches) {
    if (m.message !== undefined) {
      lines.push(`      ${m.path}: ${safe(m.message)}`);
      continue;
    }
    lines.push(`      ${m.path}`, `        ${t("expected")}: ${shown(m.expected, locale)}`, `        ${t("actual")}:   ${shown(m.actual, locale)}`);
  }
  if (c.status === "failed") lines.push(`      ${t("decidedBy")}: ${c.decidedBy.length ? c.decidedBy.map(safe).join("; ") : t("noRuleMatched")}`);
  return lines;
}

/**
 * A suite's report as text: a heading, each case with ✓ or ✗, and for a
 * failure each mismatching path with the expected and actual values and the
 * trace path of what decided.
 *
 * @param report - what `runTestSuite` returned
 * @param options - `locale`: `en` (default) or `zh-CN`
 * @example
 * ```ts
 * console.log(explainTestSuiteReport(await runTestSuite(suite, definitions)));
 * // contract-auto-approval-tests: 2/3 cases passed
 * //   ✓ small contract, credit A (contract-auto-approval v3)
 * //   ✗ ...
 * ```
 */
export function explainTestSuiteReport(report: TestSuiteReport, options: ExplainTestOptions = {}): string {
  const locale = resolveLocale(options.locale);
  const heading = formatMessage(testSuiteMessages, locale, "suiteHeading", { suite: safe(report.suite), passed: report.counts.passed, total: report.counts.total });
  return [heading, ...report.cases.flatMap((c) => caseLines(c, locale))].join("\n") + "\n";
}

/**
 * Coverage as text: per definition its percentage and every item no case
 * reached, then the total, then the definitions no case named.
 *
 * @param coverage - `report.coverage` (or several suites' merged by the caller)
 * @param options - `locale`: `en` (default) or `zh-CN`
 */
export function explainCoverage(coverage: CoverageReport, options: ExplainTestOptions = {}): string {
  const locale = resolveLocale(options.locale);
  const lines = [formatMessage(testSuiteMessages, locale, "coverageHeading")];
  for (const d of coverage.definitions) {
    lines.push(`  ${formatMessage(testSuiteMessages, locale, "coverageLine", { id: safe(d.id), version: d.version, kind: d.kind, percent: d.percent, reached: d.reached, total: d.total })}`);
    for (const item of d.items) if (!item.reached) lines.push(`    - ${formatMessage(testSuiteMessages, locale, "notReached")}: ${item.kind} ${item.path} (${safe(item.label)})`);
  }
  lines.push(`  ${formatMessage(testSuiteMessages, locale, "coverageTotal", { percent: coverage.percent, reached: coverage.reached, total: coverage.total })}`);
  if (coverage.untested.length) {
    lines.push(`  ${formatMessage(testSuiteMessages, locale, "untested", { list: coverage.untested.map((u) => `${safe(u.id)} v${u.version}`).join(", ") })}`);
  }
  return lines.join("\n") + "\n";
}

// eslint-disable-next-line no-control-regex -- the characters XML 1.0 allows, tab, line feed and carriage return among them
const XML_INVALID = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text as XML character data or an attribute value: escaped, and characters XML cannot hold dropped. */
function xml(s: string): string {
  return s.replace(XML_INVALID, "\ufffd").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/**
 * Reports as JUnit XML (one `<testsuite>` per suite, one `<testcase>` per
 * case; a failed case has a `<failure>`, a case that could not run an
 * `<error>`, each with the expected and actual values and what decided).
 *
 * @param reports - what `runTestSuite` returned, one per suite
 * @returns an XML document
 */
export function toJUnitXml(reports: readonly TestSuiteReport[]): string {
  const total = (f: (r: TestSuiteReport) => number): number => reports.reduce((s, r) => s + f(r), 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ruleflow" tests="${total((r) => r.counts.total)}" failures="${total((r) => r.counts.failed)}" errors="${total((r) => r.counts.errors)}">`,
  ];
  for (const r of reports) {
    out.push(`  <testsuite name="${xml(r.suite)}" tests="${r.counts.total}" failures="${r.counts.failed}" errors="${r.counts.errors}" skipped="0">`);
    for (const c of r.cases) {
      const open = `    <testcase name="${xml(c.name)}" classname="${xml(`${r.suite}.${c.definition}`)}"`;
      if (c.status === "passed") {
        out.push(`${open}/>`);
        continue;
      }
      const detail = caseLines(c, "en").slice(1).join("\n");
      const tag = c.status === "error" ? "error" : "failure";
      const message = c.status === "error" ? (c.error ?? "error") : c.mismatches.map((m) => m.path).join(", ");
      out.push(`${open}>`, `      <${tag} message="${xml(message)}">${xml(detail)}</${tag}>`, "    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}
