/**
 * Values from facts cannot mention @all, add links or restructure a message:
 * every platform and format, against the local fake of the four robot APIs.
 */
import { fc, test } from "@fast-check/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Notification } from "@ruleflow/engine";
import { createImNotifier, type RobotOptions } from "../src/index.js";
import { DING_SECRET, FEISHU_SECRET, startRobots } from "./robots.js";
import type { Received } from "./server.js";

const HOSTILE = [
  "<at id=all></at>",
  '<at user_id="all"></at>',
  "<@all>",
  "<!channel>",
  "<!here|here>",
  "<@U024BE7LH>",
  "[点此领取](http://evil.example/x)",
  "![](http://evil.example/pixel.png)",
  "<http://evil.example|bank>",
  '<font color="warning">urgent</font>',
  "\n# 紧急\n> quoted\n- item\n1. first\n```\ncode",
  "ACME <Ltd> & Co",
];

let robots: Awaited<ReturnType<typeof startRobots>>;
beforeAll(async () => {
  robots = await startRobots();
});
afterAll(async () => {
  await robots.close();
});

type Kind = "dingtalk" | "wecom" | "feishu" | "slack";
const robotOptions = (kind: Kind): RobotOptions =>
  kind === "dingtalk"
    ? { kind, url: `${robots.url}/robot/send?access_token=t`, secret: DING_SECRET }
    : kind === "wecom"
      ? { kind, url: `${robots.url}/cgi-bin/webhook/send?key=k` }
      : kind === "feishu"
        ? { kind, url: `${robots.url}/open-apis/bot/v2/hook/h`, secret: FEISHU_SECRET }
        : { kind, url: `${robots.url}/services/T/B/X` };

const notification = (value: string): Notification => ({
  id: "ob-1",
  idempotencyKey: "k",
  instanceId: "q-1",
  to: "role:ops",
  recipients: ["user:chen"],
  template: "t",
  data: { value },
  at: Date.parse("2026-03-05T09:00:00+08:00"),
});

/** Send one notification with the value interpolated; return what reached the robot's message body. */
async function deliver(kind: Kind, format: "text" | "markdown", value: string): Promise<{ text: string; title: string; raw: unknown }> {
  const before = robots.received.length;
  const notifier = createImNotifier({
    robot: robotOptions(kind),
    templates: { t: { format, title: "标题 {{data.value}}", text: "客户: {{data.value}} 结束", mention: true } },
    mentions: (u) => (u === "user:chen" ? "chen.w" : undefined),
  });
  await notifier.send(notification(value));
  const r = robots.received[before] as Received;
  const b = JSON.parse(r.body) as unknown;
  const get = (...path: (string | number)[]): unknown => path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], b);
  const str = (...path: (string | number)[]): string => get(...path) as string;
  switch (kind) {
    case "dingtalk":
      expect(get("at")).toEqual({ atUserIds: ["chen.w"], isAtAll: false });
      return format === "markdown" ? { text: str("markdown", "text"), title: str("markdown", "title"), raw: b } : { text: str("text", "content"), title: "", raw: b };
    case "wecom":
      if (format === "text") expect(get("text", "mentioned_list")).toEqual(["chen.w"]);
      return format === "markdown" ? { text: str("markdown", "content"), title: "", raw: b } : { text: str("text", "content"), title: "", raw: b };
    case "feishu":
      return format === "markdown"
        ? { text: str("card", "elements", 0, "content"), title: str("card", "header", "title", "content"), raw: b }
        : { text: str("content", "text"), title: "", raw: b };
    case "slack":
      return format === "markdown" ? { text: str("blocks", 0, "text", "text"), title: str("text"), raw: b } : { text: str("text"), title: "", raw: b };
  }
}

/** Markup the platform would act on: mentions, tags and links; block syntax at line starts in markdown. */
function activeMarkup(kind: Kind, format: "text" | "markdown", body: string): string[] {
  const found: string[] = [];
  for (const m of body.matchAll(/<\s*\/?\s*(at\b|@|!|https?:|font\b|mailto:)[^>]*>?/gi)) found.push(m[0]);
  // Slack's mrkdwn links are <url|text>, found above; the others use [text](url)
  if (format === "markdown" && kind !== "slack") {
    for (const m of body.matchAll(/!?\[[^\]\n]*\]\([^)\n]*\)/g)) found.push(m[0]);
    for (const m of body.matchAll(/(^|\n)[ \t]*(#{1,6}\s|>|[-+*]\s|\d+[.)]\s|```)/g)) found.push(m[0].trim());
  }
  return found;
}

/** What a reader sees: entities decoded, zero-width spaces gone. */
function visible(kind: Kind, format: "text" | "markdown", body: string): string {
  let s = body.replace(/\u200b/g, "");
  if (kind === "slack" || (kind === "feishu" && format === "markdown")) {
    s = s.replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d))).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }
  return s;
}

/** The spec's own mention, as each platform writes it. */
function specMentions(kind: Kind, format: "text" | "markdown"): string[] {
  if (kind === "feishu") return [format === "markdown" ? "<at id=chen.w></at>" : '<at user_id="chen.w"></at>'];
  if (kind === "slack") return ["<@chen.w>"];
  if (kind === "wecom" && format === "markdown") return ["<@chen.w>"];
  return [];
}

const cases = (["dingtalk", "wecom", "feishu", "slack"] as const).flatMap((k) => (["text", "markdown"] as const).map((f) => [k, f] as const));

describe.each(cases)("%s %s", (kind, format) => {
  it("hostile values reach the body as text only; mentions come from the spec", async () => {
    for (const value of HOSTILE) {
      const { text, title } = await deliver(kind, format, value);
      // the spec's mention tags are found whole; drop the closing half of Feishu's <at></at>
      const markup = activeMarkup(kind, format, text).filter((m) => m !== "</at>");
      expect(markup, `${value} -> ${text}`).toEqual(specMentions(kind, format).map((m) => m.replace(/<\/at>$/, "")));
      // titles are plain text (DingTalk's preview, Feishu's card header, Slack's fallback): only tags matter
      expect(activeMarkup(kind, "text", title), title).toEqual([]);
      expect(visible(kind, format, text)).toContain(`客户: ${value} 结束`);
      if (title) expect(visible(kind, format, title)).toBe(`标题 ${value}`);
    }
  });

  test.prop([fc.array(fc.constantFrom(...HOSTILE, "a", " ", "\n", "<", ">", "[", "]", "(", ")", "&", "#", "@", "!", "`", "*", "_"), { maxLength: 12 }).map((a) => a.join(""))], { numRuns: 25 })(
    "any mix of markup characters in a value stays text",
    async (value) => {
      const { text } = await deliver(kind, format, value);
      expect(activeMarkup(kind, format, text).filter((m) => m !== "</at>")).toEqual(specMentions(kind, format).map((m) => m.replace(/<\/at>$/, "")));
      expect(visible(kind, format, text)).toContain(`客户: ${value} 结束`);
    },
  );
});
