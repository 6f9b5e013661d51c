/**
 * One instance of every error class, keyed by its code. The type makes the
 * compiler check that every code has a sample and that each sample is the
 * class `RuleflowErrorByCode` names for its code.
 */
import {
  ActionNotAllowedError,
  ArgumentError,
  CalendarCoverageError,
  ConcurrencyError,
  DecisionError,
  EvaluationError,
  ExpressionError,
  InstanceNotFoundError,
  NoEffectiveVersionError,
  PermanentDeliveryError,
  SchemaVersionError,
  UnknownDefinitionError,
  ValidationError,
  WorkflowError,
  type RuleflowErrorByCode,
  type RuleflowErrorCode,
} from "../src/index.js";

/** A sample of each error class, by code. */
export type ErrorSamples = { [C in RuleflowErrorCode]: RuleflowErrorByCode[C] };

/** Fresh samples of every error class. */
export function errorSamples(): ErrorSamples {
  return {
    VALIDATION_ERROR: new ValidationError([{ code: "invalid_value", path: ["hitPolicy"], message: 'expected one of "first", "unique", got "bogus"' }]),
    INVALID_ARGUMENT: new ArgumentError("locale", 'expected one of en, zh-CN, got "fr"'),
    EXPRESSION_ERROR: new ExpressionError("unexpected end of input", "1 +", 3),
    EVALUATION_ERROR: new EvaluationError("cannot add text and a number"),
    DECISION_ERROR: new DecisionError("rebate-rate", ["a", "b"], 'rules "a" and "b" all match'),
    NO_EFFECTIVE_VERSION: new NoEffectiveVersionError("rebate-rate", "2020-01-01T00:00:00.000Z", "loaded versions cover v1 [2026-01-01T00:00:00.000Z, forever)"),
    UNKNOWN_DEFINITION: new UnknownDefinitionError("nope", ["rebate-rate"]),
    CONCURRENCY_CONFLICT: new ConcurrencyError({ subject: "rollout", id: "pilot", expectedVersion: 2, actualVersion: 3 }),
    NOT_ALLOWED: new ActionNotAllowedError({ subject: "rollout", id: "pilot", action: "promote", reason: "it is draft (v1); promote is possible from running" }),
    INSTANCE_NOT_FOUND: new InstanceNotFoundError("q-1"),
    WORKFLOW_ERROR: new WorkflowError("no route matched"),
    CALENDAR_COVERAGE: new CalendarCoverageError("cn-mainland", 2030, { from: 2021, to: 2026 }),
    DELIVERY_REJECTED: new PermanentDeliveryError("rejected with 404"),
    SCHEMA_VERSION: new SchemaVersionError("ruleflow", 99, 4, "@ruleflow/postgres"),
  };
}

/** The class name each code's sample has (`ConcurrencyError`...). */
export const CLASS_OF_CODE: { readonly [C in RuleflowErrorCode]: string } = {
  VALIDATION_ERROR: "ValidationError",
  INVALID_ARGUMENT: "ArgumentError",
  EXPRESSION_ERROR: "ExpressionError",
  EVALUATION_ERROR: "EvaluationError",
  DECISION_ERROR: "DecisionError",
  NO_EFFECTIVE_VERSION: "NoEffectiveVersionError",
  UNKNOWN_DEFINITION: "UnknownDefinitionError",
  CONCURRENCY_CONFLICT: "ConcurrencyError",
  NOT_ALLOWED: "ActionNotAllowedError",
  INSTANCE_NOT_FOUND: "InstanceNotFoundError",
  WORKFLOW_ERROR: "WorkflowError",
  CALENDAR_COVERAGE: "CalendarCoverageError",
  DELIVERY_REJECTED: "PermanentDeliveryError",
  SCHEMA_VERSION: "SchemaVersionError",
};
