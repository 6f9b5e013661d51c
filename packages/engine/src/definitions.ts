/**
 * The kind registry: every definition kind the engine understands, as the
 * list of their specs. Each spec lives in its kind's own folder
 * (decisions/ruleset-kind.ts, calendar/kind.ts, workflow/kind.ts, ...), and
 * no domain imports this module. Loading a document of any kind is the one
 * generic path (kinds/pipeline.ts): limits, shape (zod), meaning (compile,
 * collecting every problem), messages in the caller's locale.
 */
import type { DefinitionLookup as LookupOf } from "./core/context.js";
import type { CompiledOf, DocumentOf } from "./core/kind.js";
import { ValidationError, type Issue } from "./core/errors.js";
import { catalogueIssue } from "./i18n/issues.js";
import { resolveLocale } from "./i18n/locale.js";
import { validationMessages } from "./i18n/messages/validation.js";
import { calendarKind } from "./calendar/kind.js";
import { decisionTableKind } from "./decisions/decision-table-kind.js";
import { rulesetKind } from "./decisions/ruleset-kind.js";
import { checkKindDocument, inLocale, isDocumentObject, notADefinitionIssue, refusedSubject, type KindOptions } from "./kinds/pipeline.js";
import { promotionKind } from "./promotions/kind.js";
import { rebateKind } from "./rebates/kind.js";
import { rolloutKind } from "./rollouts/kind.js";
import { workflowKind } from "./workflow/kind.js";
import { scenarioKind } from "./workflow/scenario-kind.js";
import { testSuiteKind } from "./test-suites/kind.js";

export type { CompiledScenario } from "./workflow/scenario-kind.js";
export type { CompiledTestSuite } from "./test-suites/kind.js";

/**
 * Every kind, in the order `DEFINITION_KINDS` lists them. A new kind is one
 * spec in its own folder and one entry here.
 */
export const KIND_SPECS = [rulesetKind, decisionTableKind, promotionKind, rebateKind, rolloutKind, calendarKind, workflowKind, scenarioKind, testSuiteKind] as const;

type AnySpec = (typeof KIND_SPECS)[number];

/** The `kind` values the engine understands. */
export type DefinitionKind = AnySpec["kind"];

/**
 * A compiled definition of any kind. Each has `kind`, `id`, `version` and the
 * validated `document`; kinds that can be evaluated against facts also have
 * `evaluate(facts, options)` returning a result with `kind`, `id`, `version`,
 * `at` and `output`.
 */
export type CompiledDefinition = CompiledOf<AnySpec>;

/** A definition document of any kind, as written. */
export type DefinitionDocument = DocumentOf<AnySpec>;

/**
 * Finds the version of a definition effective at a time, returning any
 * compiled definition (a registry is one).
 */
export type DefinitionLookup = LookupOf<CompiledDefinition>;

/** The kinds that can be evaluated against facts. */
export type EvaluableDefinition = Extract<CompiledDefinition, { evaluate: (...args: never[]) => unknown }>;

/** What evaluating any evaluable definition returns. */
export type EvaluationResult = ReturnType<EvaluableDefinition["evaluate"]>;

const SPECS: Readonly<Record<string, AnySpec>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, AnySpec>, Object.fromEntries(KIND_SPECS.map((s) => [s.kind, s]))),
);

/** The zod schema of every definition kind, by `kind`. */
export const definitionSchemas = Object.fromEntries(KIND_SPECS.map((s) => [s.kind, s.schema])) as {
  readonly [S in AnySpec as S["kind"]]: S["schema"];
};

/** The `kind` values the engine understands. */
export const DEFINITION_KINDS = KIND_SPECS.map<DefinitionKind>((s) => s.kind);

/** Outcome of {@link validateDefinition}. */
export type ValidationResult =
  | { ok: true; definition: CompiledDefinition; issues: [] }
  | { ok: false; definition?: undefined; issues: Issue[] };

/**
 * Options of {@link validateDefinition} and {@link compileDefinition} (and of
 * each kind's own compile function): `locale`, the language of the issue
 * messages and of a thrown error's heading.
 */
export type ValidateOptions = KindOptions;

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
  if (!isDocumentObject(input)) return inLocale<CompiledDefinition>({ ok: false, issues: [notADefinitionIssue(input)] }, locale);
  const kind = (input as { kind?: unknown }).kind;
  const spec = typeof kind === "string" ? SPECS[kind] : undefined;
  if (!spec) {
    const issue = catalogueIssue(
      validationMessages,
      "expectedOneOfGot",
      ["kind"],
      { "values[]": JSON.stringify(DEFINITION_KINDS), ...(kind === undefined ? { "got@": "nothing" } : { got: JSON.stringify(kind) }) },
      "invalid_kind",
    );
    return inLocale<CompiledDefinition>({ ok: false, issues: [issue] }, locale);
  }
  return inLocale<CompiledDefinition>(checkKindDocument<AnySpec>(spec, input), locale);
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
  if (!r.ok) throw new ValidationError(r.issues, refusedSubject(input, locale), locale);
  return r.definition;
}
