/** A fake of the four robot APIs on 127.0.0.1: checks signatures as the real services document them, answers as they do. */
import { createHmac } from "node:crypto";
import { startReceiver, type Received, type Reply } from "./server.js";

export const DING_SECRET = "SEC0123456789abcdef";
export const FEISHU_SECRET = "feishu-signing-secret";

/** Which robot a request was for, from its path. */
function kindOf(r: Received): "dingtalk" | "wecom" | "feishu" | "slack" {
  if (r.url.startsWith("/robot/send")) return "dingtalk";
  if (r.url.startsWith("/cgi-bin/webhook/send")) return "wecom";
  if (r.url.startsWith("/open-apis/bot/v2/hook/")) return "feishu";
  return "slack";
}

/** DingTalk: sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), timestamp in ms within an hour. */
export function dingTalkSignatureOk(r: Received, secret = DING_SECRET): boolean {
  const q = new URL(r.url, "http://x").searchParams;
  const ts = Number(q.get("timestamp"));
  const expected = createHmac("sha256", secret).update(`${ts}\n${secret}`).digest("base64");
  return q.get("sign") === expected && Math.abs(Date.now() - ts) < 3_600_000;
}

/** Feishu: sign = base64(HMAC-SHA256(key = timestamp + "\n" + secret, "")), timestamp in seconds within an hour. */
export function feishuSignatureOk(r: Received, secret = FEISHU_SECRET): boolean {
  const b = JSON.parse(r.body) as { timestamp?: string; sign?: string };
  const ts = Number(b.timestamp);
  const expected = createHmac("sha256", `${ts}\n${secret}`).update("").digest("base64");
  return b.sign === expected && Math.abs(Date.now() / 1000 - ts) < 3600;
}

/** The services' own success answers. */
const OK: Record<ReturnType<typeof kindOf>, Reply> = {
  dingtalk: { status: 200, body: '{"errcode":0,"errmsg":"ok"}' },
  wecom: { status: 200, body: '{"errcode":0,"errmsg":"ok"}' },
  feishu: { status: 200, body: '{"code":0,"data":{},"msg":"success"}' },
  slack: { status: 200, body: "ok" },
};

/**
 * Start the fake. Signature failures answer as the services do (HTTP 200 with
 * an error code); otherwise `script(request, n)` may answer, else success.
 */
export async function startRobots(script: (r: Received, n: number) => Reply | undefined = () => undefined) {
  return startReceiver((r, n) => {
    const kind = kindOf(r);
    if (kind === "dingtalk" && new URL(r.url, "http://x").searchParams.has("sign") && !dingTalkSignatureOk(r)) {
      return { status: 200, body: '{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}' };
    }
    if (kind === "feishu" && "sign" in (JSON.parse(r.body) as object) && !feishuSignatureOk(r)) {
      return { status: 200, body: '{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}' };
    }
    return script(r, n) ?? OK[kind];
  });
}
