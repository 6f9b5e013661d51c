/**
 * The email notifier's dead letters pass the engine's dead-letter conformance
 * suite, the same suite the webhook and IM notifiers pass, against a real
 * SMTP server that refuses the address of a notification meant to fail (550).
 */
import { afterAll, describe, expect, it } from "vitest";
import { deadLetterConformance } from "@ruleflow/engine/testing";
import { createEmailNotifier, type EmailNotifier } from "../src/index.js";
import { startSmtp } from "./smtp.js";

const smtp = await startSmtp({ refuse: (address) => address.startsWith("refused") });
const open: EmailNotifier[] = [];
afterAll(async () => {
  for (const notifier of open) notifier.close();
  await smtp.close();
});

deadLetterConformance(
  { describe, it, expect },
  {
    notifier: (options) => {
      const notifier = createEmailNotifier({
        transport: { host: "127.0.0.1", port: smtp.port, pool: false, ignoreTLS: true },
        from: "Ruleflow <noreply@ruleflow.test>",
        address: (user, n) => `${n.data["fate"] === "fail" ? "refused" : "li"}@example.com`,
        ...options,
      });
      open.push(notifier);
      return notifier;
    },
  },
);
