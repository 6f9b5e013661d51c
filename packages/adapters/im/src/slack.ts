/**
 * Slack incoming webhook: `POST https://hooks.slack.com/services/...`.
 * Answers `200 ok`; failures are HTTP statuses with a short reason
 * (`400 invalid_payload`, `403 action_prohibited`, `404 channel_not_found`,
 * `410 channel_is_archived`, `429` rate limited, `500 rollup_error`).
 */
import { classifyStatus } from "@ruleflow/webhook";
import { ESCAPES } from "./escape.js";
import { JSON_HEADERS, type Robot } from "./robot.js";

export { escapeSlack } from "./escape.js";

/** A Slack incoming webhook. */
export interface SlackRobotOptions {
  kind: "slack";
  /** The webhook, `https://hooks.slack.com/services/T.../B.../...`. */
  url: string;
}

/** @internal */
export function slackRobot(o: SlackRobotOptions): Robot {
  return {
    kind: "slack",
    url: o.url,
    escapes: ESCAPES.slack,
    request(m) {
      const text = [m.text, ...m.mentions.map((id) => `<@${id}>`)].join(m.mentions.length ? " " : "");
      const body = m.format === "markdown" ? { text: m.title, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] } : { text };
      return { url: o.url, headers: JSON_HEADERS, body: JSON.stringify(body) };
    },
    classify: classifyStatus,
  };
}
