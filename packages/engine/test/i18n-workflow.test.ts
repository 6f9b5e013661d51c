/** Refusal reasons and workflow validation messages in zh-CN; English unchanged. */
import { describe, expect, it } from "vitest";
import { ActionNotAllowedError, formatIssue } from "../src/core/errors.js";
import { validateDefinition } from "../src/definitions.js";
import { localizeIssues } from "../src/i18n/issues.js";
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

describe("workflow validation messages in zh-CN", () => {
  const bad = workflow({
    review: { type: "approval", mode: "vote", assignees: ["user:a"], onApprove: "aproved", onReject: "rejected", escalation: [{ after: "PT1H", action: "escalate" }] },
    fork: { type: "branch", mode: "parallel", branches: [{ to: "review" }] },
    pause: { type: "wait", business: true },
    ...ENDS,
  });

  it("reports every problem, each at its path, in Chinese", () => {
    const result = validateDefinition(bad);
    expect(result.ok).toBe(false);
    const zh = localizeIssues(result.ok ? [] : result.issues, "zh-CN").map(formatIssue);
    expect(zh).toEqual(
      expect.arrayContaining([
        'nodes.review.onApprove: 没有节点 "aproved"；是否想写 "approved"？',
        'nodes.review.vote: "vote"（投票）模式需要填写 "vote": { "threshold": ... }（权重可选）',
        'nodes.review.escalation[0].to: "escalate" 需要 "to"，例如 "role:compliance-lead"',
        'nodes.fork.join: parallel 分支需要 "join"：各分支汇合的汇聚节点',
        'nodes.pause: 等待节点需要 "event"、"after" 或 "until"',
        'nodes.pause.business: 使用工作时间计时，需要在工作流中指定 "calendar"（例如 "cn-mainland"）',
      ]),
    );
    const en = (result.ok ? [] : result.issues).map(formatIssue);
    expect(en).toEqual(expect.arrayContaining(['nodes.review.onApprove: no node "aproved"; did you mean "approved"?', 'nodes.pause: a wait node needs "event", "after" or "until"']));
  });

  it("a node shared by two branches of a parallel split", () => {
    const shared = workflow({
      fork: { type: "branch", mode: "parallel", join: "meet", branches: [{ to: "a" }, { to: "b" }] },
      a: { type: "approval", assignees: ["user:a"], onApprove: "c", onReject: "rejected" },
      b: { type: "approval", assignees: ["user:b"], onApprove: "c", onReject: "rejected" },
      c: { type: "approval", assignees: ["user:c"], onApprove: "meet", onReject: "rejected" },
      meet: { type: "join", next: "approved" },
      ...ENDS,
    });
    const result = validateDefinition(shared);
    const issues = result.ok ? [] : result.issues;
    const zh = localizeIssues(issues, "zh-CN").map(formatIssue);
    expect(zh).toContain('nodes.c: 节点 "c" 既可从 "fork" 的第 0 个分支到达，也可从 "fork" 的第 1 个分支到达；并行分支内的每个节点只能属于该分支');
    expect(issues.map(formatIssue)).toContain('nodes.c: node "c" is reached from branch 0 of "fork" and from branch 1 of "fork"; each node inside a parallel branch must belong to that branch only');
  });
});
