/**
 * One POST with a timeout, retried within the call on failures that may pass
 * (5xx, 408, 425, 429, network errors, timeouts). The caller classifies
 * responses, so robots that answer HTTP 200 with an error code fit too.
 */
import { PermanentDeliveryError } from "@ruleflow/engine";
import { backoffDelay, parseRetryAfter, type RetryPolicy } from "./retry.js";

/** A request to make; built afresh for every attempt (signatures carry a timestamp). */
export interface HttpRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a classifier sees of a response. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The response body as text. */
  readonly text: string;
}

/** A classifier's verdict on one response. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly retry: boolean; readonly reason: string };

/** The default verdict: 2xx delivered; 408, 425, 429 and 5xx worth retrying; any other status permanent. */
export function classifyStatus(res: HttpResponse): Verdict {
  if (res.status >= 200 && res.status < 300) return { ok: true };
  const retry = res.status >= 500 || res.status === 408 || res.status === 425 || res.status === 429;
  return { ok: false, retry, reason: `HTTP ${res.status}${res.text ? `: ${snippet(res.text)}` : ""}` };
}

/** What is known about a failed delivery, kept on the thrown error as `detail`. */
export interface FailureDetail {
  /** Where it went, without query string or long secret path segments. */
  readonly target: string;
  /** HTTP requests made by this `send()` call. */
  readonly requests: number;
  /** The last HTTP status, if a response came. */
  readonly status?: number | undefined;
  /** The start of the last response body. */
  readonly response?: string | undefined;
  /** Why the last request failed. */
  readonly reason: string;
  /** Retrying cannot help. */
  readonly permanent: boolean;
}

/** A failure worth retrying later: the engine's outbox will call `send()` again. */
export class DeliveryError extends Error {
  readonly permanent = false as const;
  readonly detail: FailureDetail;

  constructor(message: string, detail: FailureDetail, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DeliveryError";
    this.detail = detail;
  }
}

/** Settings of {@link postWithRetry}. */
export interface PostOptions {
  readonly policy: RetryPolicy;
  readonly timeoutMs: number;
  readonly classify: (res: HttpResponse) => Verdict;
  readonly fetch?: typeof fetch | undefined;
  readonly random?: (() => number) | undefined;
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * POST `build(attempt)` until the classifier says delivered, a failure is
 * permanent, or the attempts are used up.
 *
 * @returns the number of requests made, when delivered
 * @throws `PermanentDeliveryError` (with `detail`) when the receiver refused for good
 * @throws {@link DeliveryError} when every attempt failed in a way that may pass
 */
export async function postWithRetry(build: (attempt: number) => HttpRequest, options: PostOptions): Promise<{ requests: number; status: number }> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const { policy } = options;
  for (let attempt = 1; ; attempt++) {
    const req = build(attempt);
    let verdict: Verdict;
    let status: number | undefined;
    let text: string | undefined;
    let retryAfter: number | undefined;
    let cause: unknown;
    try {
      const res = await doFetch(req.url, { method: "POST", headers: req.headers, body: req.body, redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs) });
      status = res.status;
      text = await res.text();
      retryAfter = parseRetryAfter(res.headers.get("retry-after"), Date.now());
      verdict = options.classify({ status, headers: res.headers, text });
    } catch (e) {
      cause = e;
      const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
      verdict = { ok: false, retry: true, reason: timedOut ? `no response within ${options.timeoutMs} ms` : `network error: ${describe(e)}` };
    }
    if (verdict.ok) return { requests: attempt, status: status ?? 0 };
    const detail: FailureDetail = { target: redactUrl(req.url), requests: attempt, status, response: text === undefined ? undefined : snippet(text), reason: verdict.reason, permanent: !verdict.retry };
    const where = `POST ${detail.target}`;
    if (!verdict.retry) throw Object.assign(new PermanentDeliveryError(`${where} was refused: ${verdict.reason}; not retried`, { cause }), { detail });
    const delay = Math.max(backoffDelay(attempt, policy, random), retryAfter ?? 0);
    if (attempt >= policy.attempts || delay > policy.maxDelayMs) {
      const why = attempt >= policy.attempts ? `${attempt} attempt${attempt === 1 ? "" : "s"}` : `${attempt} attempt${attempt === 1 ? "" : "s"} (Retry-After ${Math.round(delay / 1000)} s is beyond retry.maxDelayMs)`;
      throw new DeliveryError(`${where} failed after ${why}: ${verdict.reason}`, detail, { cause });
    }
    await sleep(delay);
  }
}

/** Origin and path of a URL, without its query (tokens) and with long path segments (hook keys) masked. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname.split("/").map((s) => (s.length >= 20 ? "***" : s)).join("/");
    return `${u.origin}${path}`;
  } catch {
    return "(invalid URL)";
  }
}

function snippet(text: string): string {
  const t = text.trim().replace(/\s+/g, " ");
  return t.length > 300 ? `${t.slice(0, 297)}...` : t;
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  const code = cause && typeof cause === "object" && "code" in cause ? String(cause.code) : undefined;
  return code ? `${e.message} (${code})` : e.message;
}
