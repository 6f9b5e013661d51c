/**
 * WeCom group robot (企业微信群机器人): `POST .../cgi-bin/webhook/send?key=...`.
 * The key in the URL is the only credential. Failures come back as HTTP 200
 * with `errcode` ≠ 0.
 */
import { ESCAPES } from "./escape.js";
import { classifyCoded, JSON_HEADERS, type Robot } from "./robot.js";

/** A WeCom group robot. */
export interface WeComRobotOptions {
  kind: "wecom";
  /** The robot's webhook, `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...`. */
  url: string;
  /** `errcode`s worth retrying. Default `-1` (system busy) and `45009` (API frequency limit). */
  retryableCodes?: readonly number[] | undefined;
}

/** @internal */
export function weComRobot(o: WeComRobotOptions): Robot {
  const retryable = new Set(o.retryableCodes ?? [-1, 45009]);
  return {
    kind: "wecom",
    url: o.url,
    escapes: ESCAPES.wecom,
    request(m) {
      const body =
        m.format === "markdown"
          ? { msgtype: "markdown", markdown: { content: [m.text, ...m.mentions.map((id) => `<@${id}>`)].join(m.mentions.length ? "\n" : "") } }
          : { msgtype: "text", text: { content: m.text, mentioned_list: [...m.mentions] } };
      return { url: o.url, headers: JSON_HEADERS, body: JSON.stringify(body) };
    },
    classify: (res) => classifyCoded(res, (b) => ({ code: b["errcode"], message: b["errmsg"] }), retryable),
  };
}
