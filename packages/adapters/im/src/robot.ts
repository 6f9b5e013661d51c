/** What every chat robot adapter provides: the request for a message, and how to read the answer. */
import type { HttpRequest, HttpResponse, Verdict } from "@ruleflow/webhook";
import type { Escapes } from "./escape.js";

/** A rendered message, ready for a robot. */
export interface Message {
  readonly format: "text" | "markdown";
  /** A short title (DingTalk markdown needs one; Feishu cards show it; Slack uses it as the notification fallback). */
  readonly title: string;
  readonly text: string;
  /** Chat user ids to @-mention (already resolved from Ruleflow user ids). */
  readonly mentions: readonly string[];
}

/** @internal A robot: builds requests and classifies responses. */
export interface Robot {
  /** `dingtalk`, `wecom`, `feishu` or `slack`. */
  readonly kind: string;
  /** The endpoint, for dead letters (redacted before it is stored). */
  readonly url: string;
  /** Escaping applied to template values, per message format (see escape.ts). */
  readonly escapes: Readonly<Record<"text" | "markdown", Escapes>>;
  /** The request for one attempt; `now` is wall-clock epoch ms (signatures expire). */
  request(message: Message, now: number): HttpRequest;
  /** Delivered, worth retrying, or refused for good. */
  classify(res: HttpResponse): Verdict;
}

/** The JSON headers every robot sends. */
export const JSON_HEADERS: Readonly<Record<string, string>> = { "content-type": "application/json; charset=utf-8", "user-agent": "ruleflow-im" };

/**
 * Read a robot that answers HTTP 200 with an error code in the body
 * (DingTalk and WeCom `errcode`, Feishu `code`): 5xx, 408 and 429 are retried,
 * other non-2xx statuses are permanent, and a 2xx is delivered only when the
 * code is 0. Codes in `retryable` (rate limits, "system busy") are retried;
 * any other non-zero code is permanent. A 2xx without a readable code is
 * retried, since a proxy may have answered.
 */
export function classifyCoded(res: HttpResponse, read: (body: Record<string, unknown>) => { code: unknown; message: unknown }, retryable: ReadonlySet<number>): Verdict {
  if (res.status < 200 || res.status >= 300) {
    const retry = res.status >= 500 || res.status === 408 || res.status === 429;
    return { ok: false, retry, reason: `HTTP ${res.status}${res.text ? `: ${res.text.slice(0, 300)}` : ""}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    return { ok: false, retry: true, reason: `HTTP ${res.status} without a JSON answer: ${res.text.slice(0, 200) || "(empty)"}` };
  }
  if (!body || typeof body !== "object") return { ok: false, retry: true, reason: `HTTP ${res.status} with an unexpected answer: ${res.text.slice(0, 200)}` };
  const { code, message } = read(body as Record<string, unknown>);
  if (code === 0) return { ok: true };
  if (typeof code !== "number") return { ok: false, retry: true, reason: `HTTP ${res.status} without an error code: ${res.text.slice(0, 200)}` };
  return { ok: false, retry: retryable.has(code), reason: `error code ${code}: ${message === undefined || message === null ? "" : typeof message === "string" ? message : JSON.stringify(message)}` };
}
