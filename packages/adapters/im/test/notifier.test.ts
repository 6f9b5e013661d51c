/** The chat robot notifier against a fake of DingTalk, WeCom, Feishu and Slack on 127.0.0.1. */
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { isPermanentDeliveryError, type Notification } from "@ruleflow/engine";
import { createImNotifier, dingTalkSign, escapeSlack, feishuSign, type ImNotifierOptions } from "../src/index.js";
import { DING_SECRET, dingTalkSignatureOk, FEISHU_SECRET, feishuSignatureOk, startRobots } from "./robots.js";
import type { Received, Reply } from "./server.js";

const n: Notification = {
  id: "ob-7",
  idempotencyKey: "q-42/1/0",
  instanceId: "q-42",
  to: "role:compliance",
  recipients: ["user:chen", "user:lu"],
  template: "approval-requested",
  data: { definitionId: "customer-qualification", node: "countersign", input: { customer: { name: "ACME <Ltd> & Co" }, contract: { amount: 380000 } } },
  at: Date.parse("2026-03-05T09:00:00+08:00"),
};

const templates: ImNotifierOptions["templates"] = {
  "approval-requested": { text: "请审批 {{data.input.customer.name}} 的合同 ({{data.input.contract.amount}} 元), 实例 {{instanceId}}", mention: true },
  "qualification-approved": { format: "markdown", title: "准入通过: {{data.input.customer.name}}", text: "### {{data.input.customer.name}}\n已通过 ({{instanceId}}, {{time}})" },
};
const staff: Record<string, string> = { "user:chen": "chen.w", "user:lu": "lu.x" };
// values cannot open a tag: a zero-width space follows "<" (it reads the same); Feishu card markdown uses entities
const ACME = "ACME <\u200bLtd> & Co";
const ACME_ENTITIES = "ACME &lt;Ltd&gt; &amp; Co";

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function robots(script?: (r: Received, n: number) => Reply | undefined) {
  const s = await startRobots(script);
  servers.push(s);
  return s;
}
const json = (r: Received): unknown => JSON.parse(r.body);
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

describe("DingTalk custom robot", () => {
  it("sends a signed text message with @-mentions of the resolved recipients", async () => {
    const s = await robots();
    const notifier = createImNotifier({ robot: { kind: "dingtalk", url: `${s.url}/robot/send?access_token=tok`, secret: DING_SECRET }, templates, mentions: (u) => staff[u] });
    await notifier.send(n);
    const [r] = s.received as [Received];
    expect(dingTalkSignatureOk(r)).toBe(true);
    expect(new URL(r.url, "http://x").searchParams.get("access_token")).toBe("tok");
    expect(json(r)).toEqual({
      msgtype: "text",
      text: { content: `请审批 ${ACME} 的合同 (380000 元), 实例 q-42` },
      at: { atUserIds: ["chen.w", "lu.x"], isAtAll: false },
    });
  });

  it("sends markdown with its title", async () => {
    const s = await robots();
    const notifier = createImNotifier({ robot: { kind: "dingtalk", url: `${s.url}/robot/send?access_token=tok`, secret: DING_SECRET }, templates });
    await notifier.send({ ...n, template: "qualification-approved" });
    expect(json(s.received[0]!)).toEqual({
      msgtype: "markdown",
      markdown: { title: `准入通过: ${ACME}`, text: `### ${ACME}\n已通过 (q-42, 2026-03-05T01:00:00.000Z)` },
      at: { atUserIds: [], isAtAll: false },
    });
  });

  it("treats errcode 310000 (bad signature) on HTTP 200 as permanent", async () => {
    const s = await robots();
    const notifier = createImNotifier({ robot: { kind: "dingtalk", url: `${s.url}/robot/send?access_token=tok`, secret: "SECwrong" }, templates });
    const e = await failure(notifier.send(n));
    expect(isPermanentDeliveryError(e)).toBe(true);
    expect(e!.message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/robot\/send was refused: error code 310000: sign not match/);
    expect(e!.message).not.toContain("access_token");
    expect(s.received).toHaveLength(1);
  });

  it("retries errcode 130101 (over 20 messages a minute) and HTTP 500, each with a fresh signature", async () => {
    const s = await robots((_, k) => (k === 1 ? { status: 200, body: '{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}' } : k === 2 ? { status: 500, body: "" } : undefined));
    const notifier = createImNotifier({ robot: { kind: "dingtalk", url: `${s.url}/robot/send?access_token=tok`, secret: DING_SECRET }, templates, retry: { baseDelayMs: 10 } });
    await notifier.send(n);
    expect(s.received).toHaveLength(3);
    expect(s.received.every((r) => dingTalkSignatureOk(r))).toBe(true);
  });

  it("signs as DingTalk documents", () => {
    // HmacSHA256(key = secret, "timestamp\nsecret"), base64
    expect(dingTalkSign("this is secret", 1577808000000)).toBe(createHmac("sha256", "this is secret").update("1577808000000\nthis is secret").digest("base64"));
  });
});

describe("WeCom group robot", () => {
  it("sends text with mentioned_list and markdown with <@id>", async () => {
    const s = await robots();
    const notifier = createImNotifier({ robot: { kind: "wecom", url: `${s.url}/cgi-bin/webhook/send?key=k-1` }, templates, mentions: (u) => staff[u] });
    await notifier.send(n);
    await notifier.send({ ...n, template: "qualification-approved" });
    expect(s.received[0]!.url).toBe("/cgi-bin/webhook/send?key=k-1");
    expect(json(s.received[0]!)).toEqual({ msgtype: "text", text: { content: `请审批 ${ACME} 的合同 (380000 元), 实例 q-42`, mentioned_list: ["chen.w", "lu.x"] } });
    expect(json(s.received[1]!)).toEqual({ msgtype: "markdown", markdown: { content: `### ${ACME}\n已通过 (q-42, 2026-03-05T01:00:00.000Z)` } });
  });

  it("treats errcode 93000 (invalid webhook URL) as permanent and 45009 (frequency limit) as retryable", async () => {
    const s = await robots((r) => (r.url.includes("key=bad") ? { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url, hint: [1672040000_1]"}' } : { status: 200, body: '{"errcode":45009,"errmsg":"api freq out of limit"}' }));
    const bad = await failure(createImNotifier({ robot: { kind: "wecom", url: `${s.url}/cgi-bin/webhook/send?key=bad` } }).send(n));
    expect(isPermanentDeliveryError(bad)).toBe(true);
    expect(s.received).toHaveLength(1);
    const busy = await failure(createImNotifier({ robot: { kind: "wecom", url: `${s.url}/cgi-bin/webhook/send?key=k` }, retry: { attempts: 2, baseDelayMs: 10 } }).send(n));
    expect(isPermanentDeliveryError(busy)).toBe(false);
    expect(busy!.message).toMatch(/failed after 2 attempts: error code 45009: api freq out of limit$/);
    expect(s.received).toHaveLength(3);
  });

  it("retries a 200 whose body is not the robot's JSON (a proxy answered)", async () => {
    const s = await robots((_, k) => (k === 1 ? { status: 200, body: "<html>gateway</html>" } : undefined));
    await createImNotifier({ robot: { kind: "wecom", url: `${s.url}/cgi-bin/webhook/send?key=k` }, retry: { baseDelayMs: 10 } }).send(n);
    expect(s.received).toHaveLength(2);
  });
});

describe("Feishu / Lark custom bot", () => {
  it("puts timestamp and sign in the body; text mentions as <at user_id>", async () => {
    const s = await robots();
    const notifier = createImNotifier({ robot: { kind: "feishu", url: `${s.url}/open-apis/bot/v2/hook/0b6e2a3c-5d1f-4c8e-9a7b-123456789abc`, secret: FEISHU_SECRET }, templates, mentions: (u) => (u === "user:chen" ? "ou_chen" : undefined) });
    await notifier.send(n);
    const r = s.received[0]!;
    expect(feishuSignatureOk(r)).toBe(true);
    const { timestamp, sign, ...rest } = json(r) as Record<string, unknown>;
    expect(typeof timestamp).toBe("string");
    expect(sign).toBe(feishuSign(FEISHU_SECRET, Number(timestamp)));
    expect(rest).toEqual({ msg_type: "text", content: { text: `请审批 ${ACME} 的合同 (380000 元), 实例 q-42 <at user_id="ou_chen"></at>` } });
  });

  it("sends markdown as an interactive card with a header", async () => {
    const s = await robots();
    await createImNotifier({ robot: { kind: "lark", url: `${s.url}/open-apis/bot/v2/hook/abc`, secret: FEISHU_SECRET }, templates }).send({ ...n, template: "qualification-approved" });
    const { timestamp: _t, sign: _s, ...rest } = json(s.received[0]!) as Record<string, unknown>;
    expect(rest).toEqual({
      msg_type: "interactive",
      card: { header: { title: { tag: "plain_text", content: `准入通过: ${ACME}` } }, elements: [{ tag: "markdown", content: `### ${ACME_ENTITIES}\n已通过 (q-42, 2026-03-05T01:00:00.000Z)` }] },
    });
  });

  it("a wrong secret gets code 19021: permanent; code 9499 is retried; the legacy StatusCode answer counts", async () => {
    const s = await robots((_, k) => (k === 2 ? { status: 200, body: '{"code":9499,"msg":"Too Many Request","data":{}}' } : k === 3 ? { status: 200, body: '{"Extra":null,"StatusCode":0,"StatusMessage":"success"}' } : undefined));
    const e = await failure(createImNotifier({ robot: { kind: "feishu", url: `${s.url}/open-apis/bot/v2/hook/abc`, secret: "wrong" } }).send(n));
    expect(isPermanentDeliveryError(e)).toBe(true);
    expect(e!.message).toContain("error code 19021: sign match fail");
    await createImNotifier({ robot: { kind: "feishu", url: `${s.url}/open-apis/bot/v2/hook/abc`, secret: FEISHU_SECRET }, retry: { baseDelayMs: 10 } }).send(n);
    expect(s.received).toHaveLength(3);
  });
});

describe("Slack incoming webhook", () => {
  it("escapes values (not the template) and sends markdown as an mrkdwn section", async () => {
    const s = await robots();
    const notifier = createImNotifier({
      robot: { kind: "slack", url: `${s.url}/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX` },
      templates: { ...templates, "approval-requested": { text: "<!here> {{data.input.customer.name}} needs approval", mention: true } },
      mentions: (u) => (u === "user:lu" ? "U024BE7LH" : undefined),
    });
    await notifier.send(n);
    await notifier.send({ ...n, template: "qualification-approved" });
    expect(json(s.received[0]!)).toEqual({ text: "<!here> ACME &lt;Ltd&gt; &amp; Co needs approval <@U024BE7LH>" });
    expect(json(s.received[1]!)).toEqual({
      text: "准入通过: ACME &lt;Ltd&gt; &amp; Co",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "### ACME &lt;Ltd&gt; &amp; Co\n已通过 (q-42, 2026-03-05T01:00:00.000Z)" } }],
    });
    expect(escapeSlack("a<b>&")).toBe("a&lt;b&gt;&amp;");
  });

  it("404 channel_not_found is permanent; 429 and 500 rollup_error are retried", async () => {
    const s = await robots((r, k) => (r.url.includes("gone") ? { status: 404, body: "channel_not_found" } : k === 2 ? { status: 429, body: "rate_limited", headers: { "retry-after": "0" } } : k === 3 ? { status: 500, body: "rollup_error" } : undefined));
    const e = await failure(createImNotifier({ robot: { kind: "slack", url: `${s.url}/services/T/B/gone` } }).send(n));
    expect(isPermanentDeliveryError(e)).toBe(true);
    expect(e!.message).toContain("HTTP 404: channel_not_found");
    await createImNotifier({ robot: { kind: "slack", url: `${s.url}/services/T/B/ok` }, retry: { baseDelayMs: 10 } }).send(n);
    expect(s.received).toHaveLength(4);
  });
});

describe("routing and templates", () => {
  it("routes by channel, falls back to robot, and refuses a channel nobody serves", async () => {
    const s = await robots();
    const notifier = createImNotifier({
      robot: { kind: "wecom", url: `${s.url}/cgi-bin/webhook/send?key=default` },
      channels: { ops: { kind: "slack", url: `${s.url}/services/T/B/ops` } },
    });
    await notifier.send({ ...n, channel: "ops" });
    await notifier.send({ ...n, channel: "unknown" });
    await notifier.send(n);
    expect(s.received.map((r) => r.url)).toEqual(["/services/T/B/ops", "/cgi-bin/webhook/send?key=default", "/cgi-bin/webhook/send?key=default"]);
    // no template for approval-requested here: the built-in one
    expect(json(s.received[0]!)).toEqual({ text: "Ruleflow approval-requested: customer-qualification instance q-42" });
    const only = createImNotifier({ channels: { ops: { kind: "slack", url: `${s.url}/services/T/B/ops` } } });
    expect(isPermanentDeliveryError(await failure(only.send(n)))).toBe(true);
  });

  it("uses defaultTemplate for unknown names, and rejects a bad template at creation", async () => {
    const s = await robots();
    await createImNotifier({ robot: { kind: "wecom", url: `${s.url}/cgi-bin/webhook/send?key=k` }, defaultTemplate: { text: "[{{template}}] {{data.node}} → {{recipients}}" } }).send(n);
    expect(json(s.received[0]!)).toEqual({ msgtype: "text", text: { content: "[approval-requested] countersign → user:chen, user:lu", mentioned_list: [] } });
    expect(() => createImNotifier({ robot: { kind: "wecom", url: s.url }, templates: { x: { text: "{{data.constructor}}" } } })).toThrow(/may not appear/);
    expect(() => createImNotifier({ robot: { kind: "wecom", url: s.url }, templates: { x: { text: "{{oops" } } })).toThrow(/never closed/);
    expect(() => createImNotifier({})).toThrow(/needs a `robot` or `channels`/);
  });

  it("times out a robot that never answers", async () => {
    const s = await robots(() => "hang");
    const e = await failure(createImNotifier({ robot: { kind: "slack", url: `${s.url}/services/T/B/X` }, timeoutMs: 100, retry: { attempts: 1 } }).send(n));
    expect(e!.message).toMatch(/failed after 1 attempt: no response within 100 ms$/);
  });
});
