/** Collecting findings in a locale, and what was left out of the analysis. @internal */
import { formatPath } from "../../core/errors.js";
import { renderMessage } from "../../i18n/issues.js";
import type { Locale } from "../../i18n/locale.js";
import { analysisMessages, type AnalysisKey } from "../../i18n/messages/analysis.js";
import type { Reason } from "./reason.js";
import type { Finding, FindingCode, FindingSeverity, Witness } from "./types.js";

type Path = (string | number)[];
type Params = Record<string, string | number>;

/** The findings of one analysis as they are collected. */
export class Report {
  readonly findings: Finding[] = [];
  readonly notAnalysed: string[] = [];
  readonly inputsNotAnalysed: string[] = [];
  readonly #seen = new Set<string>();

  constructor(
    readonly locale: Locale,
    readonly accept: ReadonlySet<string>,
  ) {}

  /** Text of a catalogue message in the report's locale. */
  text(key: AnalysisKey, params: Params = {}): string {
    return renderMessage(analysisMessages, this.locale, key, params);
  }

  /** Add a finding (unless its code was accepted). */
  add(code: FindingCode, severity: FindingSeverity, path: Path, key: AnalysisKey, params: Params, extra: { witness?: Witness | undefined; related?: Path[] | undefined } = {}): void {
    if (this.accept.has(code)) return;
    this.findings.push({
      code,
      severity,
      path,
      pathText: formatPath(path),
      message: this.text(key, params),
      messageKey: `analysis.${key}`,
      params,
      ...(extra.witness ? { witness: extra.witness } : {}),
      ...(extra.related?.length ? { related: extra.related } : {}),
    });
  }

  /** Note a part beyond the analysis: an `info` finding `beyond-analysis` at its path (once per path). */
  beyond(path: Path, reason: Reason, consequence: AnalysisKey): void {
    const text = formatPath(path);
    if (!this.notAnalysed.includes(text)) this.notAnalysed.push(text);
    if (this.#seen.has(text)) return;
    this.#seen.add(text);
    const params: Params = { ...(reason.params ?? {}), "reason@": reason.key, "consequence@": consequence };
    this.add("beyond-analysis", "info", path, "beyond", params);
  }
}
