/**
 * Every error Ruleflow throws, and the issues a refused document lists.
 *
 * One class per code: `isRuleflowError(e, "CONCURRENCY_CONFLICT")` narrows `e`
 * to {@link ConcurrencyError}, and `ISSUE_CODES` lists every `Issue.code` the
 * engine emits. docs/errors.md describes each of them; a test keeps that page
 * equal to the lists here.
 *
 * This module is the leaf of the engine: it imports nothing.
 */

/**
 * Every code an {@link Issue} can carry, as a runtime list (docs and tests
 * check against it). The meaning of each, with an example path, is in
 * docs/errors.md.
 */
export const ISSUE_CODES = [
  // document shape (the schema of each kind)
  "invalid_type",
  "invalid_value",
  "invalid_union",
  "invalid_format",
  "invalid_key",
  "unrecognized_key",
  "too_small",
  "too_big",
  "invalid_kind",
  "unexpected_field",
  "duplicate_value",
  "duplicate_id",
  // document limits and stored text
  "cyclic",
  "too_deep",
  "forbidden_key",
  "unstorable_text",
  "invalid_json",
  // expressions, facts and templates
  "invalid_expression",
  "unknown_fact",
  "invalid_fact",
  "invalid_template",
  // time zones, calendars and schedules
  "invalid_time_zone",
  "missing_time_zone",
  "unknown_calendar",
  "missing_calendar",
  "duplicate_date",
  "outside_coverage",
  "redundant_workday",
  "overlapping_span",
  "missing_days",
  "missing_day",
  "invalid_trigger",
  // registry
  "duplicate_version",
  "invalid_window",
  // rule sets and decision tables
  "duplicate_rule",
  "missing_priority",
  "reserved_name",
  "duplicate_column",
  "unknown_column",
  "invalid_cell",
  "missing_output",
  "invalid_output",
  "not_allowed",
  "invalid_aggregation",
  // money, promotions and rebates
  "invalid_amount",
  "invalid_scale",
  "mixed_currency",
  "conflicting_stacking",
  "missing_value",
  "invalid_tier",
  "missing_volume",
  "duplicate_dimension",
  // rollouts
  "duplicate_variant",
  "invalid_weights",
  "missing_slots",
  "invalid_slot",
  "slots_weight_mismatch",
  "overlapping_slots",
  "unknown_variant",
  "missing_winner",
  "duplicate_pilot",
  "duplicate_switch",
  "unordered_ramp",
  "invalid_layer",
  "invalid_guardrail",
  // workflows
  "unknown_node",
  "shared_node",
  "missing_join",
  "invalid_join",
  "missing_vote",
  "invalid_decision",
  "invalid_wait",
  "missing_target",
  "invalid_for",
  "invalid_retries",
  // test suites
  "unknown_definition",
  "invalid_case",
] as const;

/**
 * The stable, machine-readable code of an {@link Issue}, such as
 * `invalid_value` or `unknown_node`. See docs/errors.md for each.
 */
export type IssueCode = (typeof ISSUE_CODES)[number];

const ISSUE_CODE_SET: ReadonlySet<string> = new Set(ISSUE_CODES);

/**
 * Whether `value` is one of the {@link ISSUE_CODES}, for issues read back
 * from JSON.
 *
 * @example
 * ```ts
 * const issues = JSON.parse(stored).filter((i) => isIssueCode(i.code));
 * ```
 */
export function isIssueCode(value: unknown): value is IssueCode {
  return typeof value === "string" && ISSUE_CODE_SET.has(value);
}

/**
 * Every code an {@link EvaluationWarning} can carry, as a runtime list.
 * Warnings are not issues: nothing was refused, a comparison was false.
 */
export const EVALUATION_WARNING_CODES = ["missing_value", "type_mismatch"] as const;

/** Codes of `EvaluationWarning`s (see {@link EVALUATION_WARNING_CODES}). */
export type EvaluationWarningCode = (typeof EVALUATION_WARNING_CODES)[number];

/**
 * One problem found in a definition document or an expression.
 *
 * `path` is the JSON path inside the document (`rules[3].when.all[0].op`),
 * `message` says what was expected and what was found.
 */
export interface Issue {
  /** A stable, machine-readable code such as `invalid_value` or `unknown_node` (see docs/errors.md). */
  code: IssueCode;
  /** The JSON path to the offending value, as segments. */
  path: (string | number)[];
  /** A plain-language description of the problem and how to fix it. */
  message: string;
  /**
   * The message's catalogue key (`domain.key`), present when the message can be
   * written in another locale (see `localizeIssues`).
   */
  messageKey?: string | undefined;
  /** The values of the message's `{placeholders}`, with {@link Issue.messageKey}. */
  params?: Readonly<Record<string, string | number | bigint | boolean>> | undefined;
}

/** Every {@link RuleflowErrorCode}, as a runtime list (one per error class). */
export const RULEFLOW_ERROR_CODES = [
  "VALIDATION_ERROR",
  "INVALID_ARGUMENT",
  "EXPRESSION_ERROR",
  "EVALUATION_ERROR",
  "DECISION_ERROR",
  "NO_EFFECTIVE_VERSION",
  "UNKNOWN_DEFINITION",
  "CONCURRENCY_CONFLICT",
  "NOT_ALLOWED",
  "INSTANCE_NOT_FOUND",
  "WORKFLOW_ERROR",
  "CALENDAR_COVERAGE",
  "DELIVERY_REJECTED",
  "SCHEMA_VERSION",
] as const;

/** The stable code of a {@link RuleflowError}: exactly one per error class (see {@link RuleflowErrorByCode}). */
export type RuleflowErrorCode = (typeof RULEFLOW_ERROR_CODES)[number];

const BRAND = Symbol.for("ruleflow.error");

/**
 * Base class of every error Ruleflow throws; never thrown itself. Each
 * subclass has its own literal {@link RuleflowError.code}. Check with
 * {@link isRuleflowError} rather than `instanceof`, so two copies of the
 * package (an ESM build beside a CJS one, an adapter with its own copy) still
 * agree.
 *
 * @typeParam C - the code of the subclass
 */
export abstract class RuleflowError<C extends RuleflowErrorCode = RuleflowErrorCode> extends Error {
  /** Stable literal code, safe to switch on; one per class. */
  readonly code: C;
  readonly [BRAND] = true;

  protected constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = "RuleflowError";
  }
}

/**
 * A definition document (or another document Ruleflow checks: a scenario, a
 * template, an event log) failed validation. `issues` lists every problem
 * found, each with its code and JSON path; nothing from the document was
 * loaded.
 *
 * @example
 * ```ts
 * try { registry.load(doc); }
 * catch (e) { if (isRuleflowError(e, "VALIDATION_ERROR")) for (const i of e.issues) console.log(i.code, formatIssue(i)); }
 * ```
 */
export class ValidationError extends RuleflowError<"VALIDATION_ERROR"> {
  /** Every problem found, in document order. */
  readonly issues: Issue[];

  /**
   * @param issues - every problem, messages already in the wanted locale
   * @param subject - what was invalid, in that locale ("definition", "workflow"...)
   * @param locale - the language of the heading line (`en` or `zh-CN`)
   */
  constructor(issues: Issue[], subject = "definition", locale: "en" | "zh-CN" = "en") {
    super(
      "VALIDATION_ERROR",
      (locale === "zh-CN"
        ? `${subject === "definition" ? "定义" : subject}无效：${issues.length} 个问题\n`
        : `Invalid ${subject}: ${issues.length} problem${issues.length === 1 ? "" : "s"}\n`) +
        issues.map((i) => `  ${formatIssue(i)}`).join("\n"),
    );
    this.name = "ValidationError";
    this.issues = issues;
  }
}

/**
 * A function or option was called with a value it cannot take (an unknown
 * locale, a negative `taskPatienceMs`, a date-time that is not ISO-8601, a
 * virtual clock asked to go back in time). Not about a definition document:
 * those are {@link ValidationError}s. Fix the call; retrying the same call
 * fails the same way.
 *
 * @example
 * ```ts
 * resolveLocale("fr"); // throws ArgumentError (INVALID_ARGUMENT): locale: expected one of en, zh-CN, got "fr"
 * ```
 */
export class ArgumentError extends RuleflowError<"INVALID_ARGUMENT"> {
  /** The argument or option at fault, as a path (`locale`, `taskPatienceMs`, `event.type`). */
  readonly argument: string;

  /**
   * @param argument - the argument or option at fault, as a path
   * @param problem - what was expected and what was given; the message is `argument: problem`
   */
  constructor(argument: string, problem: string) {
    super("INVALID_ARGUMENT", `${argument}: ${problem}`);
    this.name = "ArgumentError";
    this.argument = argument;
  }
}

/** An expression failed to compile. `position` is the 0-based offset in `source`. */
export class ExpressionError extends RuleflowError<"EXPRESSION_ERROR"> {
  readonly source: string;
  readonly position: number;

  /** The catalogue key of the message without its position (see `localizeIssues`). @internal */
  readonly messageKey: string | undefined;
  /** Parameters of `messageKey`. @internal */
  readonly params: Readonly<Record<string, string | number | bigint | boolean>> | undefined;

  constructor(
    message: string,
    source: string,
    position: number,
    detail?: { messageKey: string; params: Readonly<Record<string, string | number | bigint | boolean>> },
  ) {
    super("EXPRESSION_ERROR", `${message} (at position ${position} in "${truncate(source)}")`);
    this.name = "ExpressionError";
    this.source = source;
    this.position = position;
    this.messageKey = detail?.messageKey;
    this.params = detail?.params;
  }
}

/**
 * A compiled definition could not be evaluated against the given facts (a
 * value of the wrong type, a division by zero, a step limit reached), or a
 * calculation on valid input found no answer (a schedule with no occurrence
 * within its search window).
 */
export class EvaluationError extends RuleflowError<"EVALUATION_ERROR"> {
  constructor(message: string, options?: { cause?: unknown }) {
    super("EVALUATION_ERROR", message, options);
    this.name = "EvaluationError";
  }
}

/**
 * A decision could not be made as the hit policy requires, for example two
 * rules of a `unique` table matched. `rules` names the rules involved.
 */
export class DecisionError extends RuleflowError<"DECISION_ERROR"> {
  readonly definitionId: string;
  readonly rules: string[];

  constructor(definitionId: string, rules: string[], message: string) {
    super("DECISION_ERROR", message);
    this.name = "DecisionError";
    this.definitionId = definitionId;
    this.rules = rules;
  }
}

/** No loaded version of a definition is effective at the requested time. */
export class NoEffectiveVersionError extends RuleflowError<"NO_EFFECTIVE_VERSION"> {
  readonly definitionId: string;
  readonly at: string;

  constructor(definitionId: string, at: string, detail: string) {
    super("NO_EFFECTIVE_VERSION", `No version of "${definitionId}" is effective at ${at}: ${detail}`);
    this.name = "NoEffectiveVersionError";
    this.definitionId = definitionId;
    this.at = at;
  }
}

/** A definition id was requested that was never loaded. */
export class UnknownDefinitionError extends RuleflowError<"UNKNOWN_DEFINITION"> {
  readonly definitionId: string;

  constructor(definitionId: string, known: string[]) {
    super(
      "UNKNOWN_DEFINITION",
      `Unknown definition "${definitionId}"` +
        (known.length ? `; loaded ids are: ${known.slice(0, 20).join(", ")}` : "; nothing is loaded"),
    );
    this.name = "UnknownDefinitionError";
    this.definitionId = definitionId;
  }
}

/** What kind of stored record a {@link ConcurrencyError} is about. */
export type ConcurrencySubject = "instance" | "rollout" | "schedule";

/** What an {@link ActionNotAllowedError} refused to act on. */
export type ActionSubject = "instance" | "rollout";

/**
 * A stored record (a workflow instance, a rollout, a schedule) changed
 * between read and write: the stored version is not the one the write was
 * based on. Nothing was written; reload and retry. Every optimistic-concurrency
 * conflict of every store is this one class, so one `catch` can retry them all.
 *
 * The engine retries instance conflicts itself (`maxConflictRetries`) and
 * throws this only when they keep losing.
 *
 * @example
 * ```ts
 * try { await controller.promote(id, { actor, variant: "treatment" }); }
 * catch (e) { if (isRuleflowError(e, "CONCURRENCY_CONFLICT")) console.log(e.subject, e.id, e.actualVersion); }
 * ```
 */
export class ConcurrencyError extends RuleflowError<"CONCURRENCY_CONFLICT"> {
  /** What kind of record conflicted. */
  readonly subject: ConcurrencySubject;
  /** Its id. */
  readonly id: string;
  /** The version the write was based on (`0` or `null`: it expected no stored record, as the store's port says). */
  readonly expectedVersion: number | null;
  /** The version stored now: `null` when nothing is stored, `undefined` when the store did not say. */
  readonly actualVersion: number | null | undefined;
  /** {@link ConcurrencyError.id} when the subject is an instance. */
  readonly instanceId: string | undefined;
  /** {@link ConcurrencyError.id} when the subject is a rollout. */
  readonly rolloutId: string | undefined;

  /**
   * @param conflict - the record and the versions; `actualVersion` `undefined` when the store cannot tell
   */
  constructor(conflict: {
    subject: ConcurrencySubject;
    id: string;
    expectedVersion: number | null;
    actualVersion?: number | null | undefined;
  });
  /** Shorthand for an instance: `actualVersion` `undefined` or `null` when nothing is stored. */
  constructor(instanceId: string, expectedVersion: number | null, actualVersion: number | null | undefined);
  constructor(
    first: string | { subject: ConcurrencySubject; id: string; expectedVersion: number | null; actualVersion?: number | null | undefined },
    expected?: number | null,
    actual?: number | null,
  ) {
    const c =
      typeof first === "string"
        ? { subject: "instance" as const, id: first, expectedVersion: expected ?? null, actualVersion: actual ?? null }
        : first;
    const found = c.actualVersion === undefined ? "" : `, found ${c.actualVersion ?? "none"}`;
    super(
      "CONCURRENCY_CONFLICT",
      `${c.subject} "${c.id}" was changed concurrently: expected version ${c.expectedVersion ?? "none"}${found}; reload and retry`,
    );
    this.name = "ConcurrencyError";
    this.subject = c.subject;
    this.id = c.id;
    this.expectedVersion = c.expectedVersion;
    this.actualVersion = c.actualVersion;
    this.instanceId = c.subject === "instance" ? c.id : undefined;
    this.rolloutId = c.subject === "rollout" ? c.id : undefined;
  }
}

/**
 * An action is not possible now, and nothing changed: an actor may not act on
 * a workflow instance (not assigned, the instance is closed, an internal event
 * type), or a rollout's lifecycle does not allow it (promote a draft, roll
 * back twice, an unknown variant or switch, a layer taken). Retrying the same
 * action does not help; `reason` says what would.
 *
 * @example
 * ```ts
 * await controller.promote(draftId, { actor: "user:li", variant: "treatment" });
 * // throws ActionNotAllowedError (NOT_ALLOWED): cannot promote rollout "...": it is draft (v1); promote is possible from running
 * ```
 */
export class ActionNotAllowedError extends RuleflowError<"NOT_ALLOWED"> {
  /** What was acted on. */
  readonly subject: ActionSubject;
  /** Its id. */
  readonly id: string;
  /** The action refused (an event type such as `approve`, or `promote`, `rollback`...). */
  readonly action: string;
  /** Who tried, when known. */
  readonly actor: string | undefined;
  /** Why it was refused, in English. */
  readonly reason: string;
  /** {@link ActionNotAllowedError.id} when the subject is an instance. */
  readonly instanceId: string | undefined;
  /** {@link ActionNotAllowedError.id} when the subject is a rollout. */
  readonly rolloutId: string | undefined;

  /** @param refusal - `message`: the whole message, when written in another locale than English */
  constructor(refusal: { subject: ActionSubject; id: string; action: string; actor?: string | undefined; reason: string; message?: string | undefined });
  /** Shorthand for an instance. @param message - the whole message, when written in another locale than English */
  constructor(instanceId: string, action: string, actor: string, reason: string, message?: string);
  constructor(
    first: string | { subject: ActionSubject; id: string; action: string; actor?: string | undefined; reason: string; message?: string | undefined },
    action?: string,
    actor?: string,
    reason?: string,
    message?: string,
  ) {
    const r = typeof first === "string" ? { subject: "instance" as const, id: first, action: action!, actor, reason: reason!, message } : first;
    super(
      "NOT_ALLOWED",
      r.message ??
        (r.actor === undefined
          ? `cannot ${r.action} ${r.subject} "${r.id}": ${r.reason}`
          : `${r.actor} may not ${r.action} ${r.subject} "${r.id}": ${r.reason}`),
    );
    this.name = "ActionNotAllowedError";
    this.subject = r.subject;
    this.id = r.id;
    this.action = r.action;
    this.actor = r.actor;
    this.reason = r.reason;
    this.instanceId = r.subject === "instance" ? r.id : undefined;
    this.rolloutId = r.subject === "rollout" ? r.id : undefined;
  }
}

/** No instance with that id exists. */
export class InstanceNotFoundError extends RuleflowError<"INSTANCE_NOT_FOUND"> {
  readonly instanceId: string;

  constructor(instanceId: string) {
    super("INSTANCE_NOT_FOUND", `no workflow instance "${instanceId}"`);
    this.name = "InstanceNotFoundError";
    this.instanceId = instanceId;
  }
}

/** A workflow could not proceed (no route matched, no approvers, a handler failed for good). */
export class WorkflowError extends RuleflowError<"WORKFLOW_ERROR"> {
  constructor(message: string, options?: { cause?: unknown }) {
    super("WORKFLOW_ERROR", message, options);
    this.name = "WorkflowError";
  }
}

/**
 * A notifier's receiver refused a notification for good (an HTTP 4xx, an
 * unknown recipient, a bad signature): retrying cannot help. Thrown from
 * {@link Notifier.send}, it makes the engine mark the outbox entry `dead` at
 * once instead of retrying it. Any error with `permanent: true` counts the
 * same (see {@link isPermanentDeliveryError}).
 *
 * @example
 * ```ts
 * const notifier = {
 *   async send(n) {
 *     const res = await post(n);
 *     if (res.status >= 400 && res.status < 500) throw new PermanentDeliveryError(`rejected with ${res.status}`);
 *     if (!res.ok) throw new Error(`server error ${res.status}`); // retried later
 *   },
 * };
 * ```
 */
export class PermanentDeliveryError extends RuleflowError<"DELIVERY_REJECTED"> {
  /** Always `true`: the flag the dispatcher checks. */
  readonly permanent = true as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super("DELIVERY_REJECTED", message, options);
    this.name = "PermanentDeliveryError";
  }
}

/**
 * Whether a notifier's error means "never retry": a {@link PermanentDeliveryError}
 * or any object with `permanent: true` (so adapters need not share a copy of
 * this package).
 */
export function isPermanentDeliveryError(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { permanent?: unknown }).permanent === true;
}

/** The years whose holidays and make-up workdays a calendar knows, inclusive. */
export interface CalendarCoverage {
  readonly from: number;
  readonly to: number;
}

/**
 * A calculation needed to know whether a date is a working day, but the
 * calendar has no holiday data for that year (for the built-in `cn-mainland`
 * calendar: the State Council has not published that year's arrangement yet,
 * or it predates the data shipped). Nothing is guessed.
 *
 * Fix it by extending the calendar with that year's `holidays` and
 * `workdays` and widening `coverage`.
 *
 * @example
 * ```ts
 * try {
 *   getBuiltinCalendar("cn-mainland").isWorkday(Date.parse("2030-03-01T10:00:00+08:00"));
 * } catch (e) {
 *   if (isRuleflowError(e, "CALENDAR_COVERAGE")) console.log(e.year, e.coverage);
 * }
 * ```
 * @see docs/calendars.md
 */
export class CalendarCoverageError extends RuleflowError<"CALENDAR_COVERAGE"> {
  /** Id of the calendar asked. */
  readonly calendarId: string;
  /** The year it has no data for. */
  readonly year: number;
  /** The years it does cover. */
  readonly coverage: CalendarCoverage;

  constructor(calendarId: string, year: number, coverage: CalendarCoverage) {
    const range = coverage.from === coverage.to ? `${coverage.from}` : `${coverage.from}-${coverage.to}`;
    super(
      "CALENDAR_COVERAGE",
      `Calendar "${calendarId}" has no holiday data for ${year} (it covers ${range}), so it cannot tell which days of ${year} are working days. ` +
        `Extend it with the ${year} holidays and workdays and set coverage.to (or coverage.from) to include ${year}.`,
    );
    this.name = "CalendarCoverageError";
    this.calendarId = calendarId;
    this.year = year;
    this.coverage = coverage;
  }
}

/**
 * A database schema was migrated by a newer release than the adapter reading
 * it: upgrade the adapter in this process, or point it at another schema.
 * Thrown by `migrate` and the stores of `@ruleflow/postgres`.
 */
export class SchemaVersionError extends RuleflowError<"SCHEMA_VERSION"> {
  /** The database schema read. */
  readonly schema: string;
  /** The version it is at. */
  readonly found: number;
  /** The highest version the adapter knows. */
  readonly known: number;

  /** @param adapter - the package reading the schema, e.g. `@ruleflow/postgres` */
  constructor(schema: string, found: number, known: number, adapter: string) {
    super(
      "SCHEMA_VERSION",
      `schema "${schema}" is at version ${found}, but this ${adapter} knows versions up to ${known}: ` +
        `a newer release migrated it. Upgrade ${adapter} in this process, or point it at another schema.`,
    );
    this.name = "SchemaVersionError";
    this.schema = schema;
    this.found = found;
    this.known = known;
  }
}

/**
 * The error class of each {@link RuleflowErrorCode}: what
 * `isRuleflowError(e, code)` narrows to.
 */
export interface RuleflowErrorByCode {
  VALIDATION_ERROR: ValidationError;
  INVALID_ARGUMENT: ArgumentError;
  EXPRESSION_ERROR: ExpressionError;
  EVALUATION_ERROR: EvaluationError;
  DECISION_ERROR: DecisionError;
  NO_EFFECTIVE_VERSION: NoEffectiveVersionError;
  UNKNOWN_DEFINITION: UnknownDefinitionError;
  CONCURRENCY_CONFLICT: ConcurrencyError;
  NOT_ALLOWED: ActionNotAllowedError;
  INSTANCE_NOT_FOUND: InstanceNotFoundError;
  WORKFLOW_ERROR: WorkflowError;
  CALENDAR_COVERAGE: CalendarCoverageError;
  DELIVERY_REJECTED: PermanentDeliveryError;
  SCHEMA_VERSION: SchemaVersionError;
}

/**
 * Whether `value` is an error thrown by Ruleflow, robust across package copies
 * (a brand, not `instanceof`). With a `code`, whether it is the error of that
 * code, narrowed to its class (`CONCURRENCY_CONFLICT` to
 * {@link ConcurrencyError}, `VALIDATION_ERROR` to {@link ValidationError}...).
 *
 * @example
 * ```ts
 * try { await engine.send(id, event); }
 * catch (e) {
 *   if (isRuleflowError(e, "CONCURRENCY_CONFLICT")) retryLater(e.id);
 *   else if (isRuleflowError(e, "NOT_ALLOWED")) show(e.reason);
 *   else throw e;
 * }
 * ```
 */
export function isRuleflowError(value: unknown): value is RuleflowError;
export function isRuleflowError<C extends RuleflowErrorCode>(value: unknown, code: C): value is RuleflowErrorByCode[C];
export function isRuleflowError(value: unknown, code?: RuleflowErrorCode): boolean {
  if (typeof value !== "object" || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) return false;
  return code === undefined || (value as { code?: unknown }).code === code;
}

/** Render a JSON path as `rules[3].when.all[0].op`. */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const s = String(seg);
      if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out === "" ? s : `.${s}`;
      else out += `[${JSON.stringify(s)}]`;
    }
  }
  return out === "" ? "(root)" : out;
}

/** Render an issue as `path: message`. */
export function formatIssue(issue: Issue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
