/**
 * The IM notifier's dead letters pass the engine's dead-letter conformance
 * suite, the same suite the webhook and email notifiers pass, against the
 * robot fake: a message saying "fate fail" gets HTTP 503.
 */
import { afterAll, describe, expect, it } from "vitest";
import { deadLetterConformance } from "@ruleflow/engine/testing";
import { createImNotifier } from "../src/index.js";
import { startRobots } from "./robots.js";

const robots = await startRobots((r) => (r.body.includes("fate fail") ? { status: 503, body: "robot busy" } : undefined));
afterAll(() => robots.close());

deadLetterConformance(
  { describe, it, expect },
  {
    notifier: (options) =>
      createImNotifier({
        robot: { kind: "wecom", url: `${robots.url}/cgi-bin/webhook/send?key=review-group` },
        templates: { "dead-letter-conformance": { text: "fate {{data.fate}}" } },
        retry: { attempts: 1 },
        ...options,
      }),
  },
);
