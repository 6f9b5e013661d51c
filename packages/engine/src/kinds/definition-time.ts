/**
 * The time settings of a document while the generic path checks and compiles
 * it. By default a definition reads dates without an offset as UTC and names
 * no business calendar ({@link plainDefinitionTime}); the kinds whose
 * `timeZone` and `calendar` govern their expressions (rule sets, decision
 * tables, promotions, workflows) pass their own settings through their
 * {@link KindSpec.time}, from calendar/definition-time.ts.
 */
import type { DefinitionLookup } from "../core/context.js";
import type { DefinitionTimeScope, KindSpec } from "../core/kind.js";
import { resolveNow } from "../expr/compile.js";
import { compilingDefinition, inDefinitionTime, withDefinitionLookup, type DefinitionTime } from "../expr/time-context.js";

/** The own property `key` of a document as written, if it is an object. @internal */
export function documentField(doc: unknown, key: string): unknown {
  return typeof doc === "object" && doc !== null && Object.hasOwn(doc, key) ? (doc as Record<string, unknown>)[key] : undefined;
}

/** The document's `id` as written, or `""`. @internal */
export function documentId(doc: unknown): string {
  const id = documentField(doc, "id");
  return typeof id === "string" ? id : "";
}

/**
 * The time settings of a document of a kind that reads dates as UTC and has
 * no calendar: its expressions are compiled knowing the kind (calendar
 * functions are refused there), and its `evaluate`, when it has one, finds
 * definitions named by id in `options.definitions` and leaves any outer
 * definition's zone.
 *
 * @param kind - the document's kind
 * @param input - the document as written
 * @internal
 */
function plainDefinitionTime(kind: string, input: unknown): DefinitionTimeScope {
  const settings: DefinitionTime = { kind, id: documentId(input), timeZone: undefined, calendarId: undefined };
  return {
    parse: (f) => compilingDefinition(settings, f),
    compile: (data, _issues, f) => bindEvaluate(compilingDefinition(settings, () => f(data)), settings),
  };
}

/** The time scope a spec gives its documents: its own, else {@link plainDefinitionTime}. @internal */
export function definitionTimeOf(spec: Pick<KindSpec, "kind" | "time">, input: unknown): DefinitionTimeScope {
  return spec.time ? spec.time(input) : plainDefinitionTime(spec.kind, input);
}

const HAS_OFFSET = /[T ].*(?:Z|[+-]\d{2}:?\d{2})$/;

type Evaluate = (facts: unknown, options?: { at?: string | Date | undefined; definitions?: DefinitionLookup | undefined }) => unknown;

/**
 * Make `definition.evaluate` (and the internal `evaluateScope`) run in the
 * definition's time context. `at` is read before entering it (an evaluation
 * time is an instant, never a wall clock of the definition), and calendars
 * named by id are found in `options.definitions` when given. A definition
 * that reads dates as UTC only leaves any outer definition's zone.
 * @internal
 */
export function bindEvaluate<T extends object>(definition: T, settings: DefinitionTime): T {
  const inner = documentField(definition, "evaluate");
  if (typeof inner !== "function" || Object.isFrozen(definition)) return definition;
  const zoned = settings.timeZone !== undefined || settings.calendarId !== undefined;
  const evaluate: Evaluate = (facts, options) =>
    withDefinitionLookup(options?.definitions, () => {
      if (!zoned) return (inner as Evaluate).call(definition, facts, options);
      // Only an `at` without an offset could change meaning inside the zone: read it here, as UTC.
      const at = typeof options?.at === "string" && !HAS_OFFSET.test(options.at) ? resolveNow(options.at) : options?.at;
      return inDefinitionTime(settings, () => (inner as Evaluate).call(definition, facts, { ...options, at }));
    });
  (definition as { evaluate: Evaluate }).evaluate = evaluate;
  // The internal entry other definitions and promotion sets call (a rebate
  // modifier reading a table, claims): table cells compare in its zone there too.
  const scoped = documentField(definition, "evaluateScope");
  if (typeof scoped === "function" && zoned) {
    (definition as { evaluateScope: (...args: unknown[]) => unknown }).evaluateScope = (...args: unknown[]) =>
      inDefinitionTime(settings, () => (scoped as (...a: unknown[]) => unknown).apply(definition, args));
  }
  return definition;
}
