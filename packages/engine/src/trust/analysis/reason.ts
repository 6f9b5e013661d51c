/** Why a part is beyond the analysis. @internal */
import type { AnalysisKey } from "../../i18n/messages/analysis.js";

/** Why a part is beyond the analysis: a message key and its parameters. */
export interface Reason {
  readonly key: AnalysisKey;
  readonly params?: Readonly<Record<string, string>> | undefined;
}
