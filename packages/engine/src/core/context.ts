/**
 * What compiling and evaluating definitions share across layers: the compile
 * context each kind's compiler writes its issues into, how a definition finds
 * the others it names by id, and the options of evaluating a definition.
 *
 * Part of the leaf core: imports nothing else of the engine.
 */
import type { EvaluationWarningCode, Issue } from "./errors.js";

/**
 * Shared state while compiling one definition: every problem found goes to
 * `issues` (compiling goes on, so all are reported at once), and
 * `knownFacts` is the document's `facts` list when it has one.
 */
export interface CompileContext {
  issues: Issue[];
  knownFacts: Set<string> | undefined;
}

/**
 * A compiled definition as any layer sees it without knowing every kind:
 * its kind, id, version and validated document. The compiled definitions of
 * each kind (`CompiledRuleSet`, `CompiledCalendar`, ...) all have this shape.
 */
export interface LookedUpDefinition {
  readonly kind: string;
  readonly id: string;
  readonly version: number;
  readonly document: unknown;
}

/**
 * Finds the version of a definition effective at a time (a registry is one).
 * `D` is what it returns: any compiled definition here; the root entry's
 * `DefinitionLookup` names the engine's `CompiledDefinition` union.
 */
export interface DefinitionLookup<D extends LookedUpDefinition = LookedUpDefinition> {
  resolve(id: string, at?: string | Date): D;
}

/**
 * Where new versions of definitions are loaded (a registry is one): the
 * rollout controller loads each version it saves, so the registry evaluates it.
 */
export interface DefinitionLoader {
  /** Validate, compile and add one document. */
  load(document: unknown): unknown;
}

/** Options for evaluating a definition. */
export interface EvaluateDefinitionOptions {
  /** Evaluation time: picks the effective version and is `now` in expressions. Defaults to the current time. */
  at?: string | Date | undefined;
  /** Include a full trace of every rule and condition. Default false (faster). */
  trace?: boolean | undefined;
  /**
   * Language of the messages written while evaluating (a promotion's near-miss
   * hints): `en` (default) or `zh-CN`. Explanations of results take their own
   * `locale` when rendered (`explainDecision(result, { locale })`).
   */
  locale?: string | undefined;
  /**
   * Where definitions that refer to others by id (a rebate modifier naming a
   * decision table, a workflow decision node naming a rule set) find them.
   * `registry.evaluate` passes the registry itself.
   */
  definitions?: DefinitionLookup | undefined;
  /**
   * Most steps the expressions of this evaluation may take together (a
   * function call, a lambda call and an item an aggregate visits cost one
   * each). Past it the evaluation ends with an EvaluationError naming the
   * expression. Default 1,000,000.
   */
  maxSteps?: number | undefined;
}

/** Something an evaluation met that made a comparison false without an error. */
export interface EvaluationWarning {
  /**
   * `missing_value`: an ordering or date comparison met a missing or null value, so it was false;
   * `type_mismatch`: an equality test compared text that is not a number with a number, so it could never hold.
   */
  code: EvaluationWarningCode;
  /** Where in the definition, e.g. `rules[2].when.all[0]` or `rules[0].amount` (a table cell). */
  path: string;
  /** What happened, in English, e.g. `order.amount is missing, so "order.amount gt 50000" is false`. */
  message: string;
  /** The catalogue key of the message (`warnings.conditionFalse`), so it can be written in another locale; absent on warnings made by hand. */
  messageKey?: string | undefined;
  /** The parameters of {@link EvaluationWarning.messageKey}'s message. */
  params?: Readonly<Record<string, string | number | bigint | boolean>> | undefined;
}

/** Options for one evaluation of an expression. */
export interface EvaluateOptions {
  /** The evaluation time, bound to `now` in expressions. Defaults to the current time. */
  at?: string | Date | undefined;
  /**
   * Most steps this evaluation may take (function calls, lambda calls and
   * items aggregated); past it the evaluation ends with an EvaluationError
   * naming the expression. Default: the compile option, else 1,000,000.
   */
  maxSteps?: number | undefined;
  /** A list to collect warnings into (a comparison that met a missing value, ...). */
  warnings?: EvaluationWarning[] | undefined;
}

/** Options for evaluating a condition. */
export interface ConditionEvaluateOptions {
  /** Evaluation time (`now` in expressions, reference of `withinLast`). Defaults to the current time. */
  at?: string | Date | undefined;
  /** Step budget of the expressions in this evaluation (see `compileExpression`). Default 1,000,000. */
  maxSteps?: number | undefined;
}
