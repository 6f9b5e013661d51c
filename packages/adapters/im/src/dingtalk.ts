/**
 * DingTalk custom robot (钉钉自定义机器人): `POST .../robot/send?access_token=...`.
 * With a secret ("加签"), `timestamp` (ms) and `sign` =
 * urlencode(base64(HMAC-SHA256(key = secret, `${timestamp}\n${secret}`))) go
 * in the query string. Failures come back as HTTP 200 with `errcode` ≠ 0.
 */
import { createHmac } from "node:crypto";
import { ESCAPES } from "./escape.js";
import { classifyCoded, JSON_HEADERS, type Robot } from "./robot.js";

/** A DingTalk custom robot. */
export interface DingTalkRobotOptions {
  kind: "dingtalk";
  /** The robot's webhook, `https://oapi.dingtalk.com/robot/send?access_token=...`. */
  url: string;
  /** The signing secret (`SEC...`) when the robot's security setting is "加签". */
  secret?: string | undefined;
  /** `errcode`s worth retrying. Default `-1` (system busy) and `130101` (more than 20 messages a minute). */
  retryableCodes?: readonly number[] | undefined;
}

/** The DingTalk signature of a timestamp (ms), base64, not yet URL-encoded. */
export function dingTalkSign(secret: string, timestamp: number): string {
  return createHmac("sha256", secret).update(`${timestamp}\n${secret}`).digest("base64");
}

/** @internal */
export function dingTalkRobot(o: DingTalkRobotOptions): Robot {
  const retryable = new Set(o.retryableCodes ?? [-1, 130101]);
  return {
    kind: "dingtalk",
    url: o.url,
    escapes: ESCAPES.dingtalk,
    request(m, now) {
      const url = new URL(o.url);
      if (o.secret) {
        url.searchParams.set("timestamp", String(now));
        url.searchParams.set("sign", dingTalkSign(o.secret, now));
      }
      const at = { atUserIds: [...m.mentions], isAtAll: false };
      // in markdown only an "@id" in the text shows the mention
      const mentionText = m.mentions.map((id) => `@${id}`).join(" ");
      const body =
        m.format === "markdown"
          ? { msgtype: "markdown", markdown: { title: m.title, text: mentionText ? `${m.text}\n\n${mentionText}` : m.text }, at }
          : { msgtype: "text", text: { content: m.text }, at };
      return { url: url.toString(), headers: JSON_HEADERS, body: JSON.stringify(body) };
    },
    classify: (res) => classifyCoded(res, (b) => ({ code: b["errcode"], message: b["errmsg"] }), retryable),
  };
}
