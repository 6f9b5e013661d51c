/** Refusal reasons and workflow validation messages in zh-CN; English unchanged. */
import { describe, expect, it } from "vitest";
import { ActionNotAllowedError } from "../src/errors.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import { createEngine } from "../src/runtime/engine.js";
import { ENDS, approvalWorkflow, workflow } from "./workflow-helpers.js";

const chain = workflow({
  review: { type: "approval", assignees: ["user:a"], onApprove: "approved", onReject: "rejected" },
  ...ENDS,
});

async function refusal(locale: "en" | "zh-CN" | undefined, send: Record<string, unknown>, defs: unknown[] = [chain]): Promise<ActionNotAllowedError> {
  const engine = createEngine({ definitions: defs, clock: createVirtualClock("2026-03-05T09:00:00+08:00"), ...(locale ? { locale } : {}) });
  const q = await engine.start("wf", { initiator: "user:li" });
  try {
    await engine.send(q.id, send as never);
  } catch (e) {
    expect(e).toBeInstanceOf(ActionNotAllowedError);
    return e as ActionNotAllowedError;
  }
  throw new Error("expected a refusal");
}

describe("refusal reasons in zh-CN", () => {
  it("an approval by someone who is not an approver", async () => {
    const e = await refusal("zh-CN", { type: "approve", actor: "user:x" });
    expect(e.message).toMatch(/^user:x 无权对实例 "[^"]+" 执行审批通过：该用户不是此步骤的当前审批人（也不是审批人的委托人）$/);
    expect(e.code).toBe("NOT_ALLOWED");
    expect(e.action).toBe("approve");
  });

  it("English is unchanged, with or without the option", async () => {
    for (const locale of ["en", undefined] as const) {
      const e = await refusal(locale, { type: "approve", actor: "user:x" });
      expect(e.message).toMatch(/^user:x may not approve instance "[^"]+": they are not a current approver of this step \(nor a delegate of one\)$/);
    }
  });

  it("withdraw by someone other than the initiator, a transfer to oneself, an unknown operation", async () => {
    expect((await refusal("zh-CN", { type: "withdraw", actor: "user:a" })).message).toMatch(/执行撤回：只有发起人（user:li）才能撤回$/);
    expect((await refusal("zh-CN", { type: "transfer", actor: "user:a", to: "user:a" })).message).toMatch(/执行转交：不能转交给自己$/);
    expect((await refusal("zh-CN", { type: "delegate", actor: "user:a" })).message).toMatch(/委托需要 "to"：接手的用户$/);
    expect((await refusal("zh-CN", { type: "frobnicate", actor: "user:a" })).message).toMatch(/"frobnicate" 不是此工作流支持的操作（进行中：review）$/);
  });

  it("an approval on a step that is not active lists the active ones", async () => {
    const e = await refusal("zh-CN", { type: "approve", actor: "user:a", node: "nope" });
    expect(e.message).toMatch(/"nope" 不是进行中的审批步骤（进行中：review）$/);
    const en = await refusal("en", { type: "approve", actor: "user:a", node: "nope" });
    expect(en.message).toMatch(/"nope" is not an active approval step \(active: review\)$/);
  });

  it("a seat someone may not act for", async () => {
    const two = approvalWorkflow({ mode: "all", assignees: ["user:a", "user:b"] });
    const e = await refusal("zh-CN", { type: "approve", actor: "user:a", onBehalfOf: "user:b" }, [two]);
    expect(e.message).toMatch(/该用户无权代 user:b 处理：/);
  });

  it("accepts zh and zh-Hans, refuses an unknown locale", () => {
    expect(() => createEngine({ definitions: [chain], locale: "zh" })).not.toThrow();
    expect(() => createEngine({ definitions: [chain], locale: "fr" as never })).toThrow(/locale: expected one of en, zh-CN, got "fr"/);
  });
});
