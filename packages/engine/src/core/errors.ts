/**
 * One problem found in a definition document or an expression.
 *
 * `path` is the JSON path inside the document (`rules[3].when.all[0].op`),
 * `message` says what was expected and what was found.
 */
export interface Issue {
  /** A stable, machine-readable code such as `invalid_value` or `unknown_function`. */
  code: string;
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

/** The stable codes every {@link RuleflowError} carries. */
export type RuleflowErrorCode =
  | "VALIDATION_ERROR"
  | "EXPRESSION_ERROR"
  | "EVALUATION_ERROR"
  | "DECISION_ERROR"
  | "NO_EFFECTIVE_VERSION"
  | "UNKNOWN_DEFINITION"
  | "DUPLICATE_DEFINITION"
  | "CONCURRENCY_CONFLICT"
  | "NOT_ALLOWED"
  | "INSTANCE_NOT_FOUND"
  | "WORKFLOW_ERROR"
  | "CALENDAR_COVERAGE"
  | "DELIVERY_REJECTED"
  | "SCHEMA_VERSION";

const BRAND = Symbol.for("ruleflow.error");

/**
 * Base class of every error Ruleflow throws. Check with {@link isRuleflowError}
 * rather than `instanceof`, so two copies of the package still agree.
 */
export class RuleflowError extends Error {
  /** Stable literal code, safe to switch on. */
  readonly code: RuleflowErrorCode;
  readonly [BRAND] = true;

  constructor(code: RuleflowErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = "RuleflowError";
  }
}

/**
 * A definition document failed validation. `issues` lists every problem found,
 * each with its JSON path; nothing from the document was loaded.
 */
export class ValidationError extends RuleflowError {
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

/** An expression failed to compile. `position` is the 0-based offset in `source`. */
export class ExpressionError extends RuleflowError {
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

/** A compiled expression or rule could not be evaluated against the given facts. */
export class EvaluationError extends RuleflowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("EVALUATION_ERROR", message, options);
    this.name = "EvaluationError";
  }
}

/**
 * A decision could not be made as the hit policy requires, for example two
 * rules of a `unique` table matched. `rules` names the rules involved.
 */
export class DecisionError extends RuleflowError {
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
export class NoEffectiveVersionError extends RuleflowError {
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
export class UnknownDefinitionError extends RuleflowError {
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

/** Type guard for every error thrown by Ruleflow, robust across package copies. */
export function isRuleflowError(value: unknown): value is RuleflowError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
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

/** A stored instance changed between load and commit; nothing was written. */
export class ConcurrencyError extends RuleflowError {
  readonly instanceId: string;
  readonly expectedVersion: number;
  readonly actualVersion: number | undefined;

  constructor(instanceId: string, expectedVersion: number, actualVersion: number | undefined) {
    super(
      "CONCURRENCY_CONFLICT",
      `instance "${instanceId}" was changed concurrently: expected version ${expectedVersion}, found ${actualVersion ?? "none"}; reload and retry`,
    );
    this.name = "ConcurrencyError";
    this.instanceId = instanceId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** An actor tried an operation they may not perform now; the instance is unchanged. */
export class ActionNotAllowedError extends RuleflowError {
  readonly instanceId: string;
  readonly action: string;
  readonly actor: string;

  /** @param message - the whole message, when written in another locale than English */
  constructor(instanceId: string, action: string, actor: string, reason: string, message?: string) {
    super("NOT_ALLOWED", message ?? `${actor} may not ${action} instance "${instanceId}": ${reason}`);
    this.name = "ActionNotAllowedError";
    this.instanceId = instanceId;
    this.action = action;
    this.actor = actor;
  }
}

/** No instance with that id exists. */
export class InstanceNotFoundError extends RuleflowError {
  readonly instanceId: string;

  constructor(instanceId: string) {
    super("INSTANCE_NOT_FOUND", `no workflow instance "${instanceId}"`);
    this.name = "InstanceNotFoundError";
    this.instanceId = instanceId;
  }
}

/** A workflow could not proceed (no route matched, no approvers, a handler failed for good). */
export class WorkflowError extends RuleflowError {
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
export class PermanentDeliveryError extends RuleflowError {
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

/**
 * A rollout changed between read and write: the stored version is not the
 * one the change was based on. Nothing was written; reload and retry.
 *
 * @example
 * ```ts
 * try { await controller.promote(id, { actor, variant: "treatment" }); }
 * catch (e) { if (isRuleflowError(e) && e.code === "CONCURRENCY_CONFLICT") { ...reload and decide again... } }
 * ```
 */
export class RolloutConflictError extends RuleflowError {
  readonly rolloutId: string;
  readonly expectedVersion: number | null;
  readonly actualVersion: number | null;

  constructor(rolloutId: string, expectedVersion: number | null, actualVersion: number | null) {
    super(
      "CONCURRENCY_CONFLICT",
      `rollout "${rolloutId}" was changed concurrently: expected stored version ${expectedVersion ?? "none"}, found ${actualVersion ?? "none"}; reload and retry`,
    );
    this.name = "RolloutConflictError";
    this.rolloutId = rolloutId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/**
 * A lifecycle operation is not possible in the rollout's current state
 * (promote a draft, roll back twice, an unknown variant or switch).
 *
 * @example
 * ```ts
 * await controller.promote(draftId, { actor: "user:li", variant: "treatment" });
 * // throws RolloutLifecycleError (code NOT_ALLOWED): cannot promote rollout "...": it is draft (v1); promote is possible from running
 * ```
 */
export class RolloutLifecycleError extends RuleflowError {
  readonly rolloutId: string;
  readonly action: string;

  constructor(rolloutId: string, action: string, reason: string) {
    super("NOT_ALLOWED", `cannot ${action} rollout "${rolloutId}": ${reason}`);
    this.name = "RolloutLifecycleError";
    this.rolloutId = rolloutId;
    this.action = action;
  }
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
 *   if (isRuleflowError(e) && e.code === "CALENDAR_COVERAGE") console.log(e.message);
 * }
 * ```
 * @see docs/calendars.md
 */
export class CalendarCoverageError extends RuleflowError {
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
