/**
 * `@ruleflow/ui`: web components for Ruleflow definitions (Lit custom
 * elements). Importing this module defines every element; import
 * `@ruleflow/ui/<component>` (`@ruleflow/ui/decision-table-editor`, ...) to
 * define one. See docs/ui.md.
 *
 * @packageDocumentation
 */
export { RfElement, RfEditorElement, pathText, setIn, getIn, defineElement } from "./shared/base.js";
export type { ChangeDetail, JsonPath } from "./shared/base.js";
export { uiLocale } from "./shared/i18n.js";
export type { UiLocale } from "./shared/i18n.js";
export { RfConditionEditor } from "./components/condition-editor.js";
export { RfDecisionTableEditor } from "./components/decision-table-editor.js";
export type { TableFinding } from "./components/decision-table-editor.js";
export { RfWorkflowDiagram } from "./components/workflow-diagram.js";
export type { DiagramInstance, PathState, DueTimer } from "./components/workflow-diagram.js";
export { RfExplanation, resultKind } from "./components/explanation.js";
export type { ResultKind, ExplNode, Explanation } from "./components/explanation.js";
export { RfTimeline } from "./components/timeline.js";
export type { TimeScale, TimelineEvent, EventKind } from "./components/timeline.js";
export { RfPromotionEditor } from "./components/promotion-editor.js";
export { RfRebateEditor } from "./components/rebate-editor.js";
export { RfRolloutEditor } from "./components/rollout-editor.js";
