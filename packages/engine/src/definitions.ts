/**
 * Every definition kind in one table: its zod schema and its compiler. Loading
 * a document is always the same three steps: shape (zod), meaning (compile,
 * collecting every problem), then use.
 */
import type { z } from "zod";
import { compileCalendarInto, type CompiledCalendar } from "./calendar/business-calendar.js";
import type { CompileContext } from "./conditions/compile.js";
import { compileDecisionTableInto, type CompiledDecisionTable } from "./decisions/decision-table.js";
import { compileRuleSetInto, type CompiledRuleSet } from "./decisions/ruleset.js";
import { ValidationError, type Issue } from "./core/errors.js";
import { catalogueIssue, localizeIssues } from "./i18n/issues.js";
import { resolveLocale, type Locale } from "./i18n/locale.js";
import { validationMessages } from "./i18n/messages/validation.js";
import { definitionTimeOf } from "./expr/definition-time.js";
import { calendarSchema, type CalendarDefinition } from "./schema/calendar.js";
import { decisionTableSchema, type DecisionTableDefinition } from "./schema/decision-table.js";
import { documentStructureIssues } from "./schema/document-limits.js";
import { fromZodIssues } from "./schema/issues.js";
import { rulesetSchema, type RuleSetDefinition } from "./schema/ruleset.js";
import { promotionSchema, type PromotionDefinition } from "./schema/promotion.js";
import { rebateSchema, type RebateDefinition } from "./schema/rebate.js";
import { compileRebateInto, type CompiledRebate } from "./rebates/program.js";
import { compilePromotionInto, type CompiledPromotion } from "./promotions/promotion.js";
import { rolloutSchema, type RolloutDefinition } from "./schema/rollout.js";
import { compileRolloutInto } from "./rollouts/compile.js";
import type { CompiledRollout } from "./rollouts/types.js";
import { workflowSchema, type WorkflowDefinition } from "./schema/workflow.js";
import { scenarioSchema, type ScenarioDocument } from "./schema/scenario.js";
import { compileWorkflowInto, type CompiledWorkflow } from "./workflow/compile.js";

/**
 * A compiled definition of any kind. Each has `kind`, `id`, `version` and the
 * validated `document`; kinds that can be evaluated against facts also have
 * `evaluate(facts, options)` returning a result with `kind`, `id`, `version`,
 * `at` and `output`.
 */
export type CompiledDefinition = CompiledRuleSet | CompiledDecisionTable | CompiledPromotion | CompiledRebate | CompiledRollout | CompiledWorkflow | CompiledCalendar | CompiledScenario;

/** A validated scenario document (run it with `runScenario`). */
export interface CompiledScenario {
  readonly kind: "scenario";
  readonly id: string;
  readonly version: number;
  readonly document: ScenarioDocument;
}

/** The kinds that can be evaluated against facts. */
export type EvaluableDefinition = Extract<CompiledDefinition, { evaluate: (...args: never[]) => unknown }>;

/** What evaluating any evaluable definition returns. */
export type EvaluationResult = ReturnType<EvaluableDefinition["evaluate"]>;

/** A definition document of any kind, as written. */
export type DefinitionDocument = RuleSetDefinition | DecisionTableDefinition | PromotionDefinition | RebateDefinition | RolloutDefinition | WorkflowDefinition | CalendarDefinition;

/** How one kind is validated and compiled. @internal */
interface KindSpec {
  readonly schema: z.ZodType;
  readonly compile: (doc: never, ctx: CompileContext) => CompiledDefinition;
}

/** The zod schema of every definition kind, by `kind`. */
export const definitionSchemas = {
  ruleset: rulesetSchema,
  "decision-table": decisionTableSchema,
  promotion: promotionSchema,
  rebate: rebateSchema,
  rollout: rolloutSchema,
  calendar: calendarSchema,
  workflow: workflowSchema,
  scenario: scenarioSchema,
} as const;

const KINDS: Record<string, KindSpec> = Object.assign(Object.create(null) as Record<string, KindSpec>, {
  ruleset: { schema: rulesetSchema, compile: compileRuleSetInto },
  "decision-table": { schema: decisionTableSchema, compile: compileDecisionTableInto },
  promotion: { schema: promotionSchema, compile: compilePromotionInto },
  rebate: { schema: rebateSchema, compile: compileRebateInto },
  rollout: { schema: rolloutSchema, compile: compileRolloutInto },
  calendar: { schema: calendarSchema, compile: compileCalendarInto },
  workflow: { schema: workflowSchema, compile: compileWorkflowInto },
  scenario: { schema: scenarioSchema, compile: (doc: ScenarioDocument): CompiledScenario => ({ kind: "scenario", id: doc.id, version: doc.version, document: doc }) },
} satisfies Record<keyof typeof definitionSchemas, KindSpec>);

/** The `kind` values the engine understands. */
export const DEFINITION_KINDS = Object.keys(definitionSchemas) as (keyof typeof definitionSchemas)[];

/** Outcome of {@link validateDefinition}. */
export type ValidationResult =
  | { ok: true; definition: CompiledDefinition; issues: [] }
  | { ok: false; definition?: undefined; issues: Issue[] };

/** Options of {@link validateDefinition} and {@link compileDefinition}. */
export interface ValidateOptions {
  /**
   * The language of the issue messages (and of a thrown error's heading):
   * `en` (default) or `zh-CN` (`zh`, `zh-Hans` also accepted). Codes and paths
   * are the same in every locale.
   */
  locale?: Locale | string | undefined;
}

/**
 * Validate and compile a definition document, collecting every problem.
 *
 * @param input - parsed JSON of any kind (`ruleset`, `decision-table`, ...)
 * @param options - `locale`: the language of the messages (default `en`)
 * @returns `{ ok: true, definition }` or `{ ok: false, issues }`, each issue
 * with its JSON path and what was expected
 * @throws RuleflowError for a locale Ruleflow has no messages for
 *
 * @example
 * ```ts
 * const r = validateDefinition({ kind: "ruleset", id: "x", version: 1, rules: [] });
 * if (!r.ok) console.log(r.issues.map(formatIssue)); // ["rules: a rule set needs at least one rule, got an array"]
 * const zh = validateDefinition({ kind: "ruleset", id: "x", version: 1, rules: [] }, { locale: "zh-CN" });
 * if (!zh.ok) console.log(zh.issues.map(formatIssue)); // ["rules: 规则集至少需要一条规则，实际为 数组"]
 * ```
 */
export function validateDefinition(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const locale = resolveLocale(options.locale);
  const r = validateInEnglish(input);
  return r.ok || locale === "en" ? r : { ok: false, issues: localizeIssues(r.issues, locale) };
}

function validateInEnglish(input: unknown): ValidationResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    const got = input === null ? { got: "null" } : Array.isArray(input) ? { "got@": "anArray" } : { got: typeof input };
    return { ok: false, issues: [catalogueIssue(validationMessages, "notADefinition", [], got, "invalid_type")] };
  }
  const kind = (input as { kind?: unknown }).kind;
  const spec = typeof kind === "string" ? KINDS[kind] : undefined;
  if (!spec) {
    return {
      ok: false,
      issues: [
        catalogueIssue(
          validationMessages,
          "expectedOneOfGot",
          ["kind"],
          { "values[]": JSON.stringify(DEFINITION_KINDS), ...(kind === undefined ? { "got@": "nothing" } : { got: JSON.stringify(kind) }) },
          "invalid_kind",
        ),
      ],
    };
  }
  const structure = documentStructureIssues(input);
  if (structure.length) return { ok: false, issues: structure };
  const time = definitionTimeOf(kind as string, input);
  const parsed = time.parse(() => spec.schema.safeParse(input, { reportInput: true }));
  if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues) };
  const doc = parsed.data as { facts?: string[] };
  const ctx: CompileContext = { issues: [], knownFacts: doc.facts ? new Set(doc.facts) : undefined };
  const definition = time.compile(parsed.data, ctx.issues, (data) => spec.compile(data as never, ctx));
  if (ctx.issues.length) return { ok: false, issues: ctx.issues };
  return { ok: true, definition, issues: [] };
}

/**
 * Validate and compile a definition document.
 *
 * @param options - `locale`: the language of the error's heading and issues (default `en`)
 * @throws {@link ValidationError} listing every problem; nothing half-valid is returned
 * @example
 * ```ts
 * const table = compileDefinition(JSON.parse(fs.readFileSync("rebate-rate.json", "utf8")));
 * table.evaluate({ customer: { tier: "A" } }, { trace: true });
 * ```
 */
export function compileDefinition(input: unknown, options: ValidateOptions = {}): CompiledDefinition {
  const locale = resolveLocale(options.locale);
  const r = validateDefinition(input, { locale });
  if (!r.ok) {
    const id = typeof (input as { id?: unknown })?.id === "string" ? ` "${(input as { id: string }).id}"` : "";
    throw new ValidationError(r.issues, locale === "zh-CN" ? (id ? `定义${id} ` : "定义") : `definition${id}`, locale);
  }
  return r.definition;
}

function compileKind<T extends CompiledDefinition>(kind: T["kind"], input: unknown): T {
  if (typeof input === "object" && input !== null && !("kind" in input)) input = { kind, ...input };
  const def = compileDefinition(input);
  if (def.kind !== kind) {
    throw new ValidationError([catalogueIssue(validationMessages, "expectedGot", ["kind"], { expected: `"${kind}"`, got: `"${def.kind}"` }, "invalid_kind")]);
  }
  return def as T;
}

/**
 * Compile a rule set document (`kind` may be omitted).
 * @throws {@link ValidationError}
 * @example
 * ```ts
 * const rules = compileRuleSet({ id: "auto", version: 1, rules: [
 *   { id: "small", when: { fact: "contract.amount", op: "lt", value: 500000 }, then: { decision: "auto-approve" } },
 *   { id: "otherwise", then: { decision: "manual" } } ] });
 * rules.evaluate({ contract: { amount: 1000 } }).output; // { decision: "auto-approve" }
 * ```
 */
export function compileRuleSet(input: RuleSetDefinition | Omit<RuleSetDefinition, "kind">): CompiledRuleSet {
  return compileKind<CompiledRuleSet>("ruleset", input);
}

/**
 * Compile a decision table document (`kind` may be omitted).
 * @throws {@link ValidationError}
 * @example
 * ```ts
 * const t = compileDecisionTable({ id: "rate", version: 1, hitPolicy: "first",
 *   inputs: [{ id: "tier", expr: "customer.tier" }], outputs: [{ id: "rate", type: "decimal" }],
 *   rules: [{ tier: '"A"', rate: "0.10" }, { tier: "-", rate: "0.05" }] });
 * t.evaluate({ customer: { tier: "A" } }).output; // { rate: "0.10" }
 * ```
 */
export function compileDecisionTable(
  input: DecisionTableDefinition | Omit<DecisionTableDefinition, "kind">,
): CompiledDecisionTable {
  return compileKind<CompiledDecisionTable>("decision-table", input);
}
