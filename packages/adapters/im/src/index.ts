/**
 * @ruleflow/im: deliver Ruleflow notifications to DingTalk, WeCom,
 * Feishu/Lark and Slack robots.
 *
 * @packageDocumentation
 */
export { createImNotifier } from "./notifier.js";
export type { ImNotifier, ImNotifierOptions, RobotOptions } from "./notifier.js";
export { BUILTIN_TEMPLATE, templateContext } from "./message.js";
export type { MessageTemplate } from "./message.js";
export type { Message } from "./robot.js";
export { dingTalkSign } from "./dingtalk.js";
export type { DingTalkRobotOptions } from "./dingtalk.js";
export type { WeComRobotOptions } from "./wecom.js";
export { feishuSign } from "./feishu.js";
export type { FeishuRobotOptions } from "./feishu.js";
export { escapeSlack } from "./slack.js";
export type { SlackRobotOptions } from "./slack.js";
export type { WebhookDeadLetter } from "@ruleflow/webhook";
