/**
 * Type tests of `@ruleflow/engine/analysis` against the built declarations
 * (see engine.test-d.ts).
 */
import { expectTypeOf } from "expect-type";
import { analyzeDefinition, type AnalysisResult, type FINDING_CODES, type Finding, type FindingCode, type FindingSeverity, type Witness } from "@ruleflow/engine/analysis";

expectTypeOf(analyzeDefinition).returns.toEqualTypeOf<AnalysisResult>();
expectTypeOf(analyzeDefinition).toBeCallableWith({ kind: "decision-table" });
expectTypeOf(analyzeDefinition).toBeCallableWith({}, { at: "2026-11-15T00:00:00Z", locale: "zh-CN", accept: ["tier-rate-falls"], directory: { roles: { legal: ["li"] } } });
expectTypeOf(analyzeDefinition).toBeCallableWith({}, { at: new Date(), definitions: { "acme-calendar": {} } });
// @ts-expect-error accept takes finding codes
analyzeDefinition({}, { accept: ["not-a-code"] });
expectTypeOf<(typeof FINDING_CODES)[number]>().toEqualTypeOf<FindingCode>();
expectTypeOf<Finding["severity"]>().toEqualTypeOf<FindingSeverity>();
expectTypeOf<Finding["path"]>().toEqualTypeOf<(string | number)[]>();
expectTypeOf<Finding["witness"]>().toEqualTypeOf<Witness | undefined>();
// the shape <rf-decision-table-editor> takes in its `findings` property
expectTypeOf<Finding>().toExtend<{ code: string; severity: "error" | "warning" | "info"; path: (string | number)[] | string; message: string }>();
