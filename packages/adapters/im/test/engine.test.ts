/** End to end: a real engine with the chat robot notifier and a DingTalk fake that rate-limits first. */
import { afterEach, describe, expect, it } from "vitest";
import { createEngine, createStaticDirectory, createVirtualClock } from "@ruleflow/engine";
import { createImNotifier } from "../src/index.js";
import { DING_SECRET, dingTalkSignatureOk, startRobots } from "./robots.js";
import type { Received, Reply } from "./server.js";

const workflow = {
  kind: "workflow",
  id: "customer-qualification",
  version: 1,
  start: "review",
  nodes: {
    review: { type: "approval", mode: "any", assignees: ["role:compliance"], onApprove: "approved", onReject: "rejected" },
    approved: { type: "end", outcome: "approved", notify: [{ to: "initiator", template: "qualification-approved", channel: "sales" }] },
    rejected: { type: "end", outcome: "rejected" },
  },
};

let close: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of close.reverse()) await c();
  close = [];
});

async function setup(script: (r: Received, n: number) => Reply | undefined, maxAttempts = 5) {
  const server = await startRobots(script);
  const clock = createVirtualClock("2026-03-05T09:00:00+08:00");
  const notifier = createImNotifier({
    robot: { kind: "wecom", url: `${server.url}/cgi-bin/webhook/send?key=review-group` },
    channels: { sales: { kind: "dingtalk", url: `${server.url}/robot/send?access_token=sales`, secret: DING_SECRET } },
    templates: {
      "approval-requested": { text: "请审批客户 {{data.input.customer.name}} ({{instanceId}})", mention: true },
      "qualification-approved": { format: "markdown", title: "准入通过", text: "### {{data.input.customer.name}} 准入通过\n审批单 {{instanceId}}", mention: true },
    },
    mentions: (u) => ({ "user:chen": "chen01", "user:li": "li02" })[u],
    retry: { attempts: 2, baseDelayMs: 10 },
  });
  const engine = createEngine({
    definitions: [workflow],
    clock,
    notifier,
    directory: createStaticDirectory({ roles: { compliance: ["user:chen"] } }),
    retry: { maxAttempts, baseDelayMs: 30_000 },
  });
  close.push(() => server.close(), () => engine.close());
  return { server, clock, engine, notifier };
}

const dingTalk = (t: { server: { received: Received[] } }) => t.server.received.filter((r) => r.url.startsWith("/robot/send"));

describe("chat robots in the engine", () => {
  it("delivers to the channel's robot once, although DingTalk rate-limits the first three requests", async () => {
    const limited = { status: 200, body: '{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}' };
    let dingCalls = 0;
    const t = await setup((r) => (r.url.startsWith("/robot/send") && ++dingCalls <= 3 ? limited : undefined));
    const q = await t.engine.start("customer-qualification", { initiator: "user:li", input: { customer: { name: "华东电气" } } });
    await t.engine.send(q.id, { type: "approve", actor: "user:chen" });
    await t.clock.advanceBy("PT5M");

    // the approval request went to the default WeCom robot, mentioning the approver
    const wecom = t.server.received.filter((r) => r.url.startsWith("/cgi-bin"));
    expect(wecom.map((r) => JSON.parse(r.body) as unknown)).toEqual([{ msgtype: "text", text: { content: `请审批客户 华东电气 (${q.id})`, mentioned_list: ["chen01"] } }]);
    // DingTalk: 2 requests in the first send, then the outbox's retry: 1 limited + 1 accepted
    expect(dingTalk(t)).toHaveLength(4);
    expect(dingTalk(t).every((r) => dingTalkSignatureOk(r))).toBe(true);
    expect(JSON.parse(dingTalk(t)[3]!.body)).toEqual({
      msgtype: "markdown",
      markdown: { title: "准入通过", text: `### 华东电气 准入通过\n审批单 ${q.id}\n\n@li02` },
      at: { atUserIds: ["li02"], isAtAll: false },
    });
    const outbox = await t.engine.outbox(q.id);
    expect(outbox.map((o) => [o.payload["template"], o.status, o.attempts])).toEqual([
      ["approval-requested", "delivered", 1],
      ["qualification-approved", "delivered", 2],
    ]);
    expect(t.notifier.deadLetters).toEqual([]);
  });

  it("a robot refusing for good (keyword check failed) leaves one dead letter and no retries", async () => {
    const t = await setup((r) => (r.url.startsWith("/robot/send") ? { status: 200, body: '{"errcode":310000,"errmsg":"keywords not in content"}' } : undefined));
    const q = await t.engine.start("customer-qualification", { initiator: "user:li", input: { customer: { name: "华东电气" } } });
    await t.engine.send(q.id, { type: "approve", actor: "user:chen" });
    await t.clock.advanceBy("P1D");
    expect(dingTalk(t)).toHaveLength(1);
    expect((await t.engine.outbox(q.id)).map((o) => o.status)).toEqual(["delivered", "dead"]);
    expect(t.notifier.deadLetters).toHaveLength(1);
    const letter = t.notifier.deadLetters[0]!;
    expect(letter).toMatchObject({ attempts: 1, requests: 1, status: 200, permanent: true, notification: { template: "qualification-approved", channel: "sales" } });
    expect(letter.target).toBe(`${t.server.url}/robot/send`);
    expect(letter.response).toBe('{"errcode":310000,"errmsg":"keywords not in content"}');
    expect(letter.error).toContain("error code 310000: keywords not in content");
  });
});
