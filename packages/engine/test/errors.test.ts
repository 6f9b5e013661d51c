/**
 * Typed errors: one code per class, `isRuleflowError(e, code)` narrows to
 * that class (also for another copy of the package), every conflict is a
 * ConcurrencyError and every refused action an ActionNotAllowedError, bad
 * arguments are ArgumentErrors, and `Issue.code` is the `IssueCode` union.
 */
import { describe, expect, expectTypeOf, it, vi } from "vitest";
import {
  ActionNotAllowedError,
  ArgumentError,
  ConcurrencyError,
  createEngine,
  createMemoryStorage,
  createRegistry,
  createVirtualClock,
  isIssueCode,
  isPermanentDeliveryError,
  isRuleflowError,
  ISSUE_CODES,
  PermanentDeliveryError,
  resolveLocale,
  RULEFLOW_ERROR_CODES,
  validateDefinition,
  ValidationError,
  type CalendarCoverageError,
  type EvaluationWarningCode,
  type Issue,
  type IssueCode,
  RuleflowError,
  type RuleflowErrorByCode,
  type RuleflowErrorCode,
} from "../src/index.js";
import type { ScheduleRecord } from "../src/entries/workflow.js";
import { createMemoryRolloutStore, createRolloutController, type RolloutAuditRecord } from "../src/entries/rollouts.js";
import { formatMessage } from "../src/i18n/catalogue.js";
import { CLASS_OF_CODE, errorSamples } from "./error-samples.js";
import { twoVariantRollout } from "./rollouts-helpers.js";

/** What `f` threw (or the promise rejected with); fails when nothing was. */
async function caught(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return expect.fail("expected an error");
}

describe("one code per class", () => {
  it("each class carries its own code and name, and is recognised by its code only", () => {
    const samples = errorSamples();
    expect(Object.keys(samples).sort()).toEqual([...RULEFLOW_ERROR_CODES].sort());
    for (const code of RULEFLOW_ERROR_CODES) {
      const e = samples[code];
      expect(e.code).toBe(code);
      expect(e.name).toBe(CLASS_OF_CODE[code]);
      expect(e).toBeInstanceOf(Error);
      expect(isRuleflowError(e)).toBe(true);
      expect(isRuleflowError(e, code)).toBe(true);
      for (const other of RULEFLOW_ERROR_CODES) if (other !== code) expect(isRuleflowError(e, other), `${code} is not ${other}`).toBe(false);
    }
  });

  it("no two classes share a code", () => {
    const names = Object.values(CLASS_OF_CODE);
    expect(new Set(names).size).toBe(names.length);
  });

  it("is false for anything not thrown by Ruleflow, even with the same code and name", () => {
    for (const v of [undefined, null, 0, "CONCURRENCY_CONFLICT", new Error("x"), { code: "CONCURRENCY_CONFLICT", name: "ConcurrencyError" }]) {
      expect(isRuleflowError(v)).toBe(false);
      expect(isRuleflowError(v, "CONCURRENCY_CONFLICT")).toBe(false);
    }
  });

  it("recognises another copy's errors by code, though they are not instances of this copy's classes", async () => {
    vi.resetModules();
    const a = await import("../src/index.js");
    vi.resetModules();
    const b = await import("../src/index.js");
    const foreign = new b.ActionNotAllowedError({ subject: "rollout", id: "r", action: "promote", reason: "it is draft" });
    expect(foreign instanceof a.ActionNotAllowedError).toBe(false);
    expect(a.isRuleflowError(foreign, "NOT_ALLOWED")).toBe(true);
    expect(a.isRuleflowError(foreign, "CONCURRENCY_CONFLICT")).toBe(false);
    if (a.isRuleflowError(foreign, "NOT_ALLOWED")) expect(foreign.rolloutId).toBe("r");
  });

  it("keeps isPermanentDeliveryError for the class and for any error flagged permanent", () => {
    expect(isPermanentDeliveryError(new PermanentDeliveryError("404"))).toBe(true);
    expect(isPermanentDeliveryError(Object.assign(new Error("404"), { permanent: true }))).toBe(true);
    expect(isPermanentDeliveryError(new Error("503"))).toBe(false);
    expect(isPermanentDeliveryError(errorSamples().CONCURRENCY_CONFLICT)).toBe(false);
  });
});

describe("ConcurrencyError: every optimistic-concurrency conflict", () => {
  it("an instance conflict, in the short form storages use, keeps instanceId and the versions", () => {
    const e = new ConcurrencyError("q-1", 1, 2);
    expect(e).toMatchObject({ code: "CONCURRENCY_CONFLICT", subject: "instance", id: "q-1", instanceId: "q-1", rolloutId: undefined, expectedVersion: 1, actualVersion: 2 });
    expect(e.message).toBe('instance "q-1" was changed concurrently: expected version 1, found 2; reload and retry');
    expect(new ConcurrencyError("q-1", null, undefined)).toMatchObject({ expectedVersion: null, actualVersion: null });
  });

  it("a schedule conflict of the memory storage", async () => {
    const storage = createMemoryStorage();
    const record: ScheduleRecord = { id: "wf/weekly", definitionId: "wf", spec: "{}", nextAt: null, lastAt: null, version: 1, updatedAt: 0 };
    await storage.saveSchedule!(record, null);
    const e = await caught(() => storage.saveSchedule!(record, null));
    expect(isRuleflowError(e, "CONCURRENCY_CONFLICT")).toBe(true);
    expect(e).toBeInstanceOf(ConcurrencyError);
    expect(e).toMatchObject({ subject: "schedule", id: "wf/weekly", expectedVersion: null, actualVersion: 1 });
  });

  it("a rollout conflict of the memory rollout store keeps rolloutId", async () => {
    const store = createMemoryRolloutStore();
    const doc = { ...twoVariantRollout({ status: "draft" }), version: 1 } as never;
    const audit = (v: number): RolloutAuditRecord => ({ id: `r@${v}`, rolloutId: "renewal-incentive-v2", at: "2026-03-01T00:00:00Z", actor: "user:li", action: "create", fromVersion: null, toVersion: v, fromStatus: null, toStatus: "draft" });
    await store.commitVersion(doc, null, audit(1));
    const e = await caught(() => store.commitVersion(doc, null, audit(1)));
    expect(e).toBeInstanceOf(ConcurrencyError);
    expect(e).toMatchObject({ code: "CONCURRENCY_CONFLICT", subject: "rollout", id: "renewal-incentive-v2", rolloutId: "renewal-incentive-v2", expectedVersion: null, actualVersion: 1 });
  });
});

describe("ActionNotAllowedError: every refused action", () => {
  it("a rollout lifecycle refusal names the rollout, the action and the reason", async () => {
    const controller = createRolloutController({ store: createMemoryRolloutStore(), clock: { now: () => Date.parse("2026-03-01T00:00:00+08:00") } });
    await controller.register(twoVariantRollout({ status: "draft" }), { actor: "user:li" });
    const e = await caught(() => controller.promote("renewal-incentive-v2", { actor: "user:li", variant: "treatment" }));
    expect(e).toBeInstanceOf(ActionNotAllowedError);
    expect(e).toMatchObject({ code: "NOT_ALLOWED", subject: "rollout", id: "renewal-incentive-v2", rolloutId: "renewal-incentive-v2", instanceId: undefined, action: "promote", actor: undefined });
    expect((e as ActionNotAllowedError).message).toBe(`cannot promote rollout "renewal-incentive-v2": ${(e as ActionNotAllowedError).reason}`);
    expect((e as ActionNotAllowedError).reason).toMatch(/^it is draft \(v1\); promote is possible from running$/);
  });

  it("an instance refusal, in the short form, keeps instanceId and actor", () => {
    const e = new ActionNotAllowedError("q-1", "approve", "user:x", "they are not a current approver");
    expect(e).toMatchObject({ subject: "instance", id: "q-1", instanceId: "q-1", rolloutId: undefined, action: "approve", actor: "user:x", reason: "they are not a current approver" });
    expect(e.message).toBe('user:x may not approve instance "q-1": they are not a current approver');
  });
});

describe("ArgumentError: bad arguments and options, never a bare RuleflowError", () => {
  const argumentError = async (argument: string, f: () => unknown): Promise<ArgumentError> => {
    const e = await caught(f);
    expect(isRuleflowError(e, "INVALID_ARGUMENT"), String(e)).toBe(true);
    expect(e).toBeInstanceOf(ArgumentError);
    expect((e as ArgumentError).argument).toBe(argument);
    expect((e as ArgumentError).message.startsWith(`${argument}: `)).toBe(true);
    return e as ArgumentError;
  };

  it("an unknown locale", async () => {
    expect((await argumentError("locale", () => resolveLocale("fr"))).message).toBe('locale: expected one of en, zh-CN, got "fr"');
    await argumentError("locale", () => createRegistry([], { locale: "fr" }));
  });

  it("engine options and events", async () => {
    await argumentError("taskPatienceMs", () => createEngine({ definitions: [], taskPatienceMs: -1 }));
    const engine = createEngine({ definitions: [], clock: createVirtualClock("2026-03-05T09:00:00+08:00") });
    const e = await argumentError("event.type", () => engine.send("q-1", {} as never));
    expect(e.message).toMatch(/an event needs a "type"/);
    await engine.close();
  });

  it("a virtual clock going back in time or given what is not a time or a duration", async () => {
    const clock = createVirtualClock("2026-03-05T09:00:00+08:00");
    expect((await argumentError("target", () => clock.advanceTo("2026-03-04T09:00:00+08:00"))).message).toContain("cannot go back in time");
    await argumentError("duration", () => clock.advanceBy("three hours"));
    await argumentError("time", () => createVirtualClock("yesterday"));
    expect(clock.now()).toBe(Date.parse("2026-03-05T09:00:00+08:00"));
  });

  it("evaluating a definition that is not evaluated against facts", async () => {
    const registry = createRegistry([{ kind: "calendar", id: "ops", version: 1, extends: "cn-mainland" }]);
    expect((await argumentError("id", () => registry.evaluate("ops", {}))).message).toMatch(/"ops" is a calendar, which is not evaluated against facts/);
  });

  it("a message rendered without one of its parameters", async () => {
    await argumentError("params", () => formatMessage({ domain: "t", messages: { en: { k: "a {x}" }, "zh-CN": { k: "甲 {x}" } } }, "en", "k", {}));
  });
});

describe("duplicate definitions", () => {
  it("a different document under a loaded id and version is the duplicate_version issue; the same one again is a no-op", async () => {
    const doc = { kind: "ruleset", id: "r", version: 1, rules: [{ id: "a", then: { x: 1 } }] };
    const registry = createRegistry([doc]);
    registry.load(doc);
    const e = await caught(() => registry.load({ ...doc, rules: [{ id: "a", then: { x: 2 } }] }));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues.map((i) => [i.code, i.path])).toEqual([["duplicate_version", ["version"]]]);
  });
});

describe("issue codes", () => {
  it("every issue validation reports is one of ISSUE_CODES", () => {
    const docs: unknown[] = [
      null,
      { kind: "nope" },
      { kind: "ruleset", id: "bad id", version: 0, hitPolicy: "bogus", rules: [{ id: "a", whne: 1, when: { fact: "", op: "lt", value: 1 } }] },
      { kind: "workflow", id: "wf", version: 1, start: "a", nodes: { "1bad": { type: "end" }, a: { type: "approval", assignees: ["user:li"], onApprove: "b" } } },
    ];
    for (const doc of docs) {
      const r = validateDefinition(doc);
      expect(r.ok).toBe(false);
      for (const issue of r.issues) expect(isIssueCode(issue.code), `${issue.code} at ${issue.path.join(".")}`).toBe(true);
    }
  });

  it("isIssueCode accepts the listed codes only", () => {
    for (const c of ISSUE_CODES) expect(isIssueCode(c)).toBe(true);
    for (const v of ["", "INVALID_VALUE", "warning", "type_mismatch", 1, null, undefined]) expect(isIssueCode(v)).toBe(false);
  });
});

describe("types", () => {
  it("isRuleflowError narrows to the class of the code, or to RuleflowError without one", () => {
    const e: unknown = errorSamples().CONCURRENCY_CONFLICT;
    if (isRuleflowError(e, "CONCURRENCY_CONFLICT")) {
      expectTypeOf(e).toEqualTypeOf<ConcurrencyError>();
      expectTypeOf(e.subject).toEqualTypeOf<"instance" | "rollout" | "schedule">();
    }
    if (isRuleflowError(e, "NOT_ALLOWED")) expectTypeOf(e).toEqualTypeOf<ActionNotAllowedError>();
    if (isRuleflowError(e, "CALENDAR_COVERAGE")) expectTypeOf(e.year).toEqualTypeOf<number>();
    if (isRuleflowError(e, "VALIDATION_ERROR")) expectTypeOf(e.issues).toEqualTypeOf<Issue[]>();
    if (isRuleflowError(e)) {
      expectTypeOf(e).toEqualTypeOf<RuleflowError>();
      expectTypeOf(e.code).toEqualTypeOf<RuleflowErrorCode>();
    }
    const code = "NOT_ALLOWED" as "NOT_ALLOWED" | "CALENDAR_COVERAGE";
    if (isRuleflowError(e, code)) expectTypeOf(e).toEqualTypeOf<ActionNotAllowedError | CalendarCoverageError>();
    expect(isRuleflowError(e, "CONCURRENCY_CONFLICT")).toBe(true);
  });

  it("each class's code is its own literal, and the map has exactly one class per code", () => {
    expectTypeOf<keyof RuleflowErrorByCode>().toEqualTypeOf<RuleflowErrorCode>();
    expectTypeOf<{ [C in RuleflowErrorCode]: RuleflowErrorByCode[C]["code"] }>().toEqualTypeOf<{ [C in RuleflowErrorCode]: C }>();
    expectTypeOf<ValidationError["code"]>().toEqualTypeOf<"VALIDATION_ERROR">();
    expectTypeOf<ArgumentError["code"]>().toEqualTypeOf<"INVALID_ARGUMENT">();
    expectTypeOf<ConcurrencyError["code"]>().toEqualTypeOf<"CONCURRENCY_CONFLICT">();
    expectTypeOf<ActionNotAllowedError["code"]>().toEqualTypeOf<"NOT_ALLOWED">();
    expectTypeOf<RuleflowErrorCode>().toEqualTypeOf<(typeof RULEFLOW_ERROR_CODES)[number]>();
  });

  it("RuleflowError cannot be thrown bare", () => {
    // never called: the compiler refuses it
    const bare = (): unknown =>
      // @ts-expect-error RuleflowError is abstract and its constructor protected: throw one of its classes
      new RuleflowError("VALIDATION_ERROR", "no");
    expect(typeof bare).toBe("function");
    expect(errorSamples().VALIDATION_ERROR).toBeInstanceOf(RuleflowError);
  });

  it("Issue.code is the IssueCode union, and a string that is not one does not type-check", () => {
    expectTypeOf<Issue["code"]>().toEqualTypeOf<IssueCode>();
    expectTypeOf<IssueCode>().toEqualTypeOf<(typeof ISSUE_CODES)[number]>();
    expectTypeOf<"unknown_node">().toExtend<IssueCode>();
    expectTypeOf<EvaluationWarningCode>().toEqualTypeOf<"missing_value" | "type_mismatch">();
    // @ts-expect-error "no_such_code" is not an IssueCode
    const bad: Issue = { code: "no_such_code", path: [], message: "" };
    expect(isIssueCode(bad.code)).toBe(false);
  });
});
