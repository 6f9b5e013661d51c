/** The chat robot notifier: one message per notification, to the robot chosen by its channel. */
import { PermanentDeliveryError, type Notification, type Notifier } from "@ruleflow/engine";
import type { DeadLetterOptions, DeliveryFailure } from "@ruleflow/engine/workflow";
import {
  checkFunctionOption,
  checkNumberOption,
  checkObjectOption,
  checkUrlOption,
  createWebhookDeadLetterBox,
  describeOptionValue,
  postWithRetry,
  redactUrl,
  retryPolicy,
  type FailureDetail,
  type RetryOptions,
  type WebhookDeadLetter,
} from "@ruleflow/webhook";
import { dingTalkRobot, type DingTalkRobotOptions } from "./dingtalk.js";
import { feishuRobot, type FeishuRobotOptions } from "./feishu.js";
import { BUILTIN_TEMPLATE, createRenderer, type MessageTemplate } from "./message.js";
import type { Robot } from "./robot.js";
import { slackRobot, type SlackRobotOptions } from "./slack.js";
import { weComRobot, type WeComRobotOptions } from "./wecom.js";

/** One chat robot: DingTalk, WeCom, Feishu/Lark or Slack. */
export type RobotOptions = DingTalkRobotOptions | WeComRobotOptions | FeishuRobotOptions | SlackRobotOptions;

/** Options of {@link createImNotifier}. */
export interface ImNotifierOptions extends DeadLetterOptions<WebhookDeadLetter> {
  /** The robot for notifications whose `channel` is not in `channels`. */
  robot?: RobotOptions | undefined;
  /** Robots by notification `channel` (the `channel` of a workflow's `notify` entry). */
  channels?: Readonly<Record<string, RobotOptions>> | undefined;
  /** Messages by notification template name (`approval-requested`, `approval-escalated`, your `notify` templates). */
  templates?: Readonly<Record<string, MessageTemplate>> | undefined;
  /** The message for template names not in `templates`. Default {@link BUILTIN_TEMPLATE}. */
  defaultTemplate?: MessageTemplate | undefined;
  /** Ruleflow user id -> chat user id, for templates with `mention: true`; `undefined` skips the user. */
  mentions?: ((userId: string) => string | undefined) | undefined;
  /** Per-request timeout in ms. Default 10000. */
  timeoutMs?: number | undefined;
  /** In-call retries, as in `@ruleflow/webhook`. Default 3 requests, 500 ms doubling, at most 5 s apart. */
  retry?: RetryOptions | undefined;
  /** The fetch to use. Default the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** Wall-clock time for signatures, epoch ms. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: (() => number) | undefined;
}

/** A {@link Notifier} for chat robots, plus the dead letters it has recorded. */
export interface ImNotifier extends Notifier {
  deadLetter(notification: Notification, failure: DeliveryFailure): Promise<void>;
  /** The most recent dead letters (see `keepDeadLetters`), oldest first. */
  readonly deadLetters: readonly WebhookDeadLetter[];
}

const OWNER = "createImNotifier";

/** Check one robot's options; `name` is where it sits (`robot`, `channels["ops"]`). */
function checkRobot(o: RobotOptions, name: string): void {
  checkObjectOption(OWNER, name, o);
  checkUrlOption(OWNER, `${name}.url`, o.url);
  const { secret, retryableCodes } = o as { secret?: unknown; retryableCodes?: unknown };
  if (secret !== undefined && (typeof secret !== "string" || secret === "")) {
    throw new TypeError(`${OWNER}: ${name}.secret must be a non-empty string, got ${typeof secret === "string" ? '""' : describeOptionValue(secret)}; pass the robot's signing secret or leave it out`);
  }
  if (retryableCodes !== undefined && (!Array.isArray(retryableCodes) || !retryableCodes.every((c) => Number.isInteger(c)))) {
    throw new TypeError(`${OWNER}: ${name}.retryableCodes must be a list of whole numbers (error codes)`);
  }
}

function robotFor(o: RobotOptions, name: string): Robot {
  checkRobot(o, name);
  switch (o.kind) {
    case "dingtalk":
      return dingTalkRobot(o);
    case "wecom":
      return weComRobot(o);
    case "feishu":
    case "lark":
      return feishuRobot(o);
    case "slack":
      return slackRobot(o);
    default:
      throw new TypeError(`unknown robot kind ${describeOptionValue((o as { kind: unknown }).kind)}; use dingtalk, wecom, feishu, lark or slack`);
  }
}

/**
 * Create a notifier that posts notifications to chat robots: DingTalk custom
 * robots (signed), WeCom group robots, Feishu/Lark custom bots (signed) and
 * Slack incoming webhooks. Each notification template name maps to a text or
 * markdown message whose variables come from the notification.
 *
 * Robots that answer HTTP 200 with an error code (DingTalk, WeCom, Feishu) are
 * read by that code: rate limits and "busy" are retried, anything else (bad
 * signature, missing keyword, unknown robot) is a `PermanentDeliveryError`,
 * dead at once. Retries and dead letters work as in `@ruleflow/webhook`.
 *
 * @param options - robots, templates, mentions, timeouts, retries
 * @returns the notifier to pass as `createEngine({ notifier })`
 *
 * @example
 * ```ts
 * const notifier = createImNotifier({
 *   robot: { kind: "dingtalk", url: process.env.DINGTALK_URL!, secret: process.env.DINGTALK_SECRET },
 *   templates: {
 *     "approval-requested": { format: "markdown", title: "待审批", text: "### {{data.input.customer.name}}\n请审批 {{instanceId}}", mention: true },
 *   },
 *   mentions: (userId) => staff[userId]?.dingTalkId,
 * });
 * ```
 * @see docs/notifications.md
 */
export function createImNotifier(options: ImNotifierOptions): ImNotifier {
  if (!options.robot && !options.channels) throw new TypeError("createImNotifier needs a `robot` or `channels`");
  checkNumberOption(OWNER, "timeoutMs", options.timeoutMs, { integer: true, min: 1, unit: "milliseconds" });
  for (const name of ["mentions", "fetch", "now", "random"] as const) checkFunctionOption(OWNER, name, options[name]);
  checkObjectOption(OWNER, "templates", options.templates);
  checkObjectOption(OWNER, "channels", options.channels);
  checkObjectOption(OWNER, "defaultTemplate", options.defaultTemplate);
  const fallback = options.robot ? robotFor(options.robot, "robot") : undefined;
  const channels = new Map(Object.entries(options.channels ?? {}).map(([k, v]) => [k, robotFor(v, `channels[${JSON.stringify(k)}]`)]));
  const render = createRenderer(options.templates ?? {}, options.defaultTemplate ?? BUILTIN_TEMPLATE);
  const policy = retryPolicy(options.retry, OWNER);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const mentions = options.mentions ?? (() => undefined);
  const robotOf = (n: Notification): Robot | undefined => (n.channel !== undefined && channels.get(n.channel)) || fallback;
  const box = createWebhookDeadLetterBox(options, OWNER, (n) => {
    const robot = robotOf(n);
    return robot ? redactUrl(robot.url) : "(no robot)";
  });

  return {
    get deadLetters() {
      return box.letters;
    },
    async send(n) {
      const robot = robotOf(n);
      if (!robot) throw new PermanentDeliveryError(`no robot for channel "${n.channel}"; add it to channels or set robot`);
      const message = render(n, robot, mentions);
      try {
        await postWithRetry(() => robot.request(message, now()), { policy, timeoutMs, classify: (res) => robot.classify(res), fetch: options.fetch, random: options.random });
        box.delivered(n.idempotencyKey);
      } catch (e) {
        const detail = (e as { detail?: FailureDetail }).detail;
        if (detail) box.failed(n.idempotencyKey, detail);
        throw e;
      }
    },
    async deadLetter(n, failure) {
      await box.dead(n, failure);
    },
  };
}
