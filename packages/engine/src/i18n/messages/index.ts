/**
 * Every message catalogue, by domain, so an issue's key can be rendered in
 * another locale. Add each new catalogue module here.
 */
import type { Catalogue } from "../catalogue.js";
import { calendarMessages } from "./calendar.js";
import { analysisMessages } from "./analysis.js";
import { warningMessages } from "./warnings.js";
import { promotionCheckMessages } from "./promotion-checks.js";
import { conditionMessages } from "./conditions.js";
import { decisionMessages } from "./decisions.js";
import { commonMessages } from "./common.js";
import { explainMessages } from "./explain.js";
import { factPathMessages } from "./fact-paths.js";
import { moneyMessages } from "./money.js";
import { promotionMessages } from "./promotions.js";
import { rebateStatementMessages } from "./rebate-statements.js";
import { rebateMessages } from "./rebates.js";
import { refusalMessages } from "./refusals.js";
import { expressionMessages } from "./expressions.js";
import { registryMessages } from "./registry.js";
import { workflowMessages } from "./workflow.js";
import { rolloutExplainMessages, rolloutReasonMessages } from "./rollout-explain.js";
import { rolloutReportMessages } from "./rollout-report.js";
import { rolloutMessages } from "./rollouts.js";
import { scenarioMessages } from "./scenario.js";
import { schemaMessages } from "./schema.js";
import { validationMessages } from "./validation.js";
import { testSuiteMessages } from "./test-suites.js";
import { backtestMessages } from "./backtest.js";

/** @internal */
export const CATALOGUES_BY_DOMAIN: Readonly<Record<string, Catalogue<string>>> = Object.fromEntries(
  [commonMessages, explainMessages, promotionMessages, rolloutExplainMessages, rolloutReasonMessages, schemaMessages, validationMessages, rolloutMessages, refusalMessages, workflowMessages, expressionMessages].concat([decisionMessages, conditionMessages, promotionCheckMessages, warningMessages, calendarMessages, factPathMessages, moneyMessages, rebateMessages, registryMessages, scenarioMessages, rebateStatementMessages, rolloutReportMessages, testSuiteMessages, backtestMessages, analysisMessages] as Catalogue<string>[]).map((c) => [c.domain, c as Catalogue<string>]),
);
