/**
 * The one path every definition document takes, whatever its kind:
 *
 * 1. limits: no key that would reach a prototype, nesting at most
 *    `MAX_DOCUMENT_DEPTH` levels (checked before anything walks the document);
 * 2. shape: the kind's zod schema, in the document's time settings;
 * 3. meaning: the kind's compiler, collecting every problem;
 * 4. messages in the caller's locale.
 *
 * `validateDefinition`/`compileDefinition` pick the spec by `kind`; each
 * kind's own function (`compileRuleSet`, `compileCalendar`, ...) passes its
 * spec and may leave `kind` out of the document.
 */
import type { CompileContext } from "../core/context.js";
import { ValidationError, type Issue } from "../core/errors.js";
import type { CompiledOf, KindSpec } from "../core/kind.js";
import { catalogueIssue, localizeIssues } from "../i18n/issues.js";
import { resolveLocale, type Locale } from "../i18n/locale.js";
import { validationMessages } from "../i18n/messages/validation.js";
import { documentStructureIssues } from "../schema/document-limits.js";
import { fromZodIssues } from "../schema/issues.js";
import { definitionTimeOf } from "./definition-time.js";

/** Outcome of checking and compiling one document. */
export type KindValidation<C> = { ok: true; definition: C; issues: [] } | { ok: false; definition?: undefined; issues: Issue[] };

/** Options of the generic path. */
export interface KindOptions {
  /**
   * The language of the issue messages (and of a thrown error's heading):
   * `en` (default) or `zh-CN` (`zh`, `zh-Hans` also accepted). Codes and paths
   * are the same in every locale.
   */
  locale?: Locale | (string & {}) | undefined;
}

/** The issue for input that is not a JSON object at all. @internal */
export function notADefinitionIssue(input: unknown): Issue {
  const got = input === null ? { got: "null" } : Array.isArray(input) ? { "got@": "anArray" } : { got: typeof input };
  return catalogueIssue(validationMessages, "notADefinition", [], got, "invalid_type");
}

/** True when `input` is a JSON object (not null, not an array). @internal */
export function isDocumentObject(input: unknown): input is object {
  return typeof input === "object" && input !== null && !Array.isArray(input);
}

/**
 * Limits, shape and meaning of `input`, already known to be of `spec`'s kind;
 * messages in English.
 * @internal
 */
export function checkKindDocument<S extends KindSpec>(spec: S, input: object): KindValidation<CompiledOf<S>> {
  const structure = documentStructureIssues(input);
  if (structure.length) return { ok: false, issues: structure };
  const time = definitionTimeOf(spec, input);
  const parsed = time.parse(() => spec.schema.safeParse(input, { reportInput: true }));
  if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues) };
  const facts = (parsed.data as { facts?: unknown }).facts;
  const ctx: CompileContext = { issues: [], knownFacts: Array.isArray(facts) ? new Set(facts as string[]) : undefined };
  const definition = time.compile(parsed.data, ctx.issues, (data) => spec.compile(data as never, ctx));
  if (ctx.issues.length) return { ok: false, issues: ctx.issues };
  return { ok: true, definition: definition as CompiledOf<S>, issues: [] };
}

/** Localize the issues of a refused outcome. @internal */
export function inLocale<C>(r: KindValidation<C>, locale: Locale): KindValidation<C> {
  return r.ok || locale === "en" ? r : { ok: false, issues: localizeIssues(r.issues, locale) };
}

/**
 * Validate and compile a document of one kind, collecting every problem.
 * `kind` may be left out; a document of another kind is refused at `kind`.
 *
 * @param spec - the kind
 * @param input - the document, usually parsed JSON
 * @param options - `locale`: the language of the messages (default `en`)
 * @returns `{ ok: true, definition }` or `{ ok: false, issues }`
 * @throws RuleflowError for a locale Ruleflow has no messages for
 */
export function validateKind<S extends KindSpec>(spec: S, input: unknown, options: KindOptions = {}): KindValidation<CompiledOf<S>> {
  const locale = resolveLocale(options.locale);
  if (!isDocumentObject(input)) return inLocale({ ok: false, issues: [notADefinitionIssue(input)] }, locale);
  if (!("kind" in input)) input = { kind: spec.kind, ...input };
  const kind = (input as { kind?: unknown }).kind;
  if (kind !== spec.kind) {
    const got = typeof kind === "string" ? `"${kind}"` : JSON.stringify(kind) ?? String(kind);
    const issue = catalogueIssue(validationMessages, "expectedGot", ["kind"], { expected: `"${spec.kind}"`, got }, "invalid_kind");
    return inLocale({ ok: false, issues: [issue] }, locale);
  }
  return inLocale(checkKindDocument(spec, input as object), locale);
}

/**
 * The subject a refused document's error names: `definition "id"` (or the
 * kind's own noun), in the locale.
 * @internal
 */
export function refusedSubject(input: unknown, locale: Locale, noun = "definition"): string {
  const id = typeof (input as { id?: unknown } | null)?.id === "string" ? ` "${(input as { id: string }).id}"` : "";
  if (locale === "zh-CN") return id ? `定义${id} ` : "定义";
  return `${noun}${id}`;
}

/**
 * Validate and compile a document of one kind (`kind` may be left out).
 *
 * @param spec - the kind
 * @param input - the document, usually parsed JSON
 * @param options - `locale`: the language of the error's heading and issues (default `en`)
 * @returns the compiled definition
 * @throws {@link ValidationError} listing every problem with its JSON path; nothing half-valid is returned
 */
export function compileKind<S extends KindSpec>(spec: S, input: unknown, options: KindOptions = {}): CompiledOf<S> {
  const locale = resolveLocale(options.locale);
  const r = validateKind(spec, input, { locale });
  if (!r.ok) throw new ValidationError(r.issues, refusedSubject(input, locale, spec.noun), locale);
  return r.definition;
}
