/**
 * Type tests of `@ruleflow/ui` against its built declarations (scripts/check-types-dist.mjs):
 * compiled with the DOM's types (custom elements need them), node16 and bundler resolution.
 */
import { expectTypeOf } from "expect-type";
import type { DecisionTableDefinition, Issue } from "@ruleflow/engine";
import { uiLocale, type ChangeDetail, type RfConditionEditor, type RfDecisionTableEditor, type RfEditorElement, type UiLocale } from "@ruleflow/ui";
import type { RfDecisionTableEditor as TableEditorFromSubpath } from "@ruleflow/ui/decision-table-editor";

// the subpath and the root export the same class
expectTypeOf<TableEditorFromSubpath>().toEqualTypeOf<RfDecisionTableEditor>();
// every editor is an HTMLElement with a typed definition
expectTypeOf<RfDecisionTableEditor>().toExtend<HTMLElement>();
expectTypeOf<RfDecisionTableEditor>().toExtend<RfEditorElement<DecisionTableDefinition>>();
expectTypeOf<RfDecisionTableEditor["definition"]>().toEqualTypeOf<DecisionTableDefinition | undefined>();
expectTypeOf<RfDecisionTableEditor["readonly"]>().toBeBoolean();
// the tag names map to their classes (document.createElement and querySelector are typed)
expectTypeOf(document.createElement("rf-decision-table-editor")).toEqualTypeOf<RfDecisionTableEditor>();
expectTypeOf(document.createElement("rf-condition-editor")).toEqualTypeOf<RfConditionEditor>();
// the change event's detail
expectTypeOf<ChangeDetail<DecisionTableDefinition>>().toEqualTypeOf<{ definition: DecisionTableDefinition; issues: Issue[] }>();
expectTypeOf(uiLocale).parameter(0).toEqualTypeOf<string | null | undefined>();
expectTypeOf(uiLocale).returns.toEqualTypeOf<UiLocale>();
expectTypeOf<UiLocale>().toEqualTypeOf<"en" | "zh-CN">();
