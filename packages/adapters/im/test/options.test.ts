/** Meaningless IM notifier options are refused at creation with the option's name. */
import { describe, expect, it } from "vitest";
import { createImNotifier } from "../src/index.js";

const robot = { kind: "wecom", url: "http://127.0.0.1:9/cgi-bin/webhook/send?key=k" } as const;

describe("createImNotifier options", () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ["timeoutMs NaN", { timeoutMs: Number.NaN }, /createImNotifier: timeoutMs must be a whole number of milliseconds, at least 1, got NaN/],
    ["timeoutMs -5", { timeoutMs: -5 }, /timeoutMs must be .* got -5/],
    ["retry.attempts 2.5", { retry: { attempts: 2.5 } }, /createImNotifier: retry.attempts must be a whole number, at least 1, got 2.5/],
    ["retry.baseDelayMs Infinity", { retry: { baseDelayMs: Number.POSITIVE_INFINITY } }, /retry.baseDelayMs must be a finite number/],
    ["keepDeadLetters 1.5", { keepDeadLetters: 1.5 }, /createImNotifier: keepDeadLetters must be a whole number, 0 or more, got 1.5/],
    ["mentions not a function", { mentions: { "user:a": "a" } }, /mentions must be a function/],
    ["now not a function", { now: 0 }, /now must be a function/],
    ["templates not an object", { templates: "x" }, /templates must be an object/],
    ["a robot url that is not http(s)", { robot: { kind: "slack", url: "javascript:alert(1)" } }, /robot.url must be an http\(s\) URL/],
    ["a channel robot without url", { channels: { ops: { kind: "dingtalk" } } }, /channels\["ops"\]\.url must be an http\(s\) URL, got undefined/],
    ["an empty DingTalk secret", { robot: { kind: "dingtalk", url: "https://oapi.dingtalk.com/robot/send?access_token=t", secret: "" } }, /robot.secret must be a non-empty string/],
    ["a Feishu secret that is not a string", { robot: { kind: "feishu", url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret: 7 } }, /robot.secret must be a non-empty string, got 7/],
    ["retryableCodes with NaN", { robot: { ...robot, retryableCodes: [Number.NaN] } }, /robot.retryableCodes must be a list of whole numbers/],
    ["an unknown kind", { robot: { kind: "teams", url: "https://x.example" } }, /unknown robot kind "teams"/],
  ];
  it.each(bad)("%s is refused", (_, extra, message) => {
    expect(() => createImNotifier({ robot, ...extra })).toThrow(message);
  });

  it("sensible options are accepted", () => {
    expect(() => createImNotifier({ robot, timeoutMs: 500, retry: { attempts: 1 }, keepDeadLetters: 0, mentions: () => undefined, templates: {} })).not.toThrow();
  });
});
