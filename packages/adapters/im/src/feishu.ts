/**
 * Feishu / Lark custom bot (飞书自定义机器人): `POST .../open-apis/bot/v2/hook/<id>`.
 * With signature verification on, the body carries `timestamp` (seconds) and
 * `sign` = base64(HMAC-SHA256(key = `${timestamp}\n${secret}`, empty message)).
 * Failures come back with `code` ≠ 0 (older gateways: `StatusCode`).
 */
import { createHmac } from "node:crypto";
import { ESCAPES } from "./escape.js";
import { classifyCoded, JSON_HEADERS, type Robot } from "./robot.js";

/** A Feishu or Lark custom bot. */
export interface FeishuRobotOptions {
  /** `lark` is the same API on `open.larksuite.com`. */
  kind: "feishu" | "lark";
  /** The bot's webhook, `https://open.feishu.cn/open-apis/bot/v2/hook/...`. */
  url: string;
  /** The signing secret when "signature verification" (签名校验) is on. */
  secret?: string | undefined;
  /** `code`s worth retrying. Default `9499` (too many requests) and `11232` (frequency limited). */
  retryableCodes?: readonly number[] | undefined;
}

/** The Feishu signature of a timestamp (seconds), base64. */
export function feishuSign(secret: string, timestamp: number): string {
  return createHmac("sha256", `${timestamp}\n${secret}`).update("").digest("base64");
}

/** @internal */
export function feishuRobot(o: FeishuRobotOptions): Robot {
  const retryable = new Set(o.retryableCodes ?? [9499, 11232]);
  return {
    kind: o.kind,
    url: o.url,
    escapes: ESCAPES.feishu,
    request(m, now) {
      const timestamp = Math.floor(now / 1000);
      const signed = o.secret ? { timestamp: String(timestamp), sign: feishuSign(o.secret, timestamp) } : {};
      const message =
        m.format === "markdown"
          ? {
              msg_type: "interactive",
              card: {
                header: { title: { tag: "plain_text", content: m.title } },
                elements: [{ tag: "markdown", content: [m.text, ...m.mentions.map((id) => `<at id=${id}></at>`)].join(m.mentions.length ? " " : "") }],
              },
            }
          : { msg_type: "text", content: { text: [m.text, ...m.mentions.map((id) => `<at user_id="${id}"></at>`)].join(m.mentions.length ? " " : "") } };
      return { url: o.url, headers: JSON_HEADERS, body: JSON.stringify({ ...signed, ...message }) };
    },
    classify: (res) => classifyCoded(res, (b) => ("code" in b ? { code: b["code"], message: b["msg"] } : { code: b["StatusCode"], message: b["StatusMessage"] }), retryable),
  };
}
