/** The email notifier against a real SMTP server on 127.0.0.1. */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { isPermanentDeliveryError, type Notification } from "@ruleflow/engine";
import { createEmailNotifier, type EmailNotifierOptions } from "../src/index.js";
import { startSilent, startSmtp } from "./smtp.js";

const n: Notification = {
  id: "ob-3",
  idempotencyKey: "q-42/1/0",
  instanceId: "q-42",
  to: "role:compliance",
  recipients: ["user:chen", "user:lu", "user:ghost"],
  template: "approval-requested",
  data: { definitionId: "customer-qualification", node: "countersign", input: { customer: { name: "ACME <Ltd> & Co" } } },
  at: Date.parse("2026-03-05T09:00:00+08:00"),
};
const emails: Record<string, string> = { "user:chen": "chen@example.com", "user:lu": "lu@example.com", "user:nobody": "nobody@example.com" };
const templates: EmailNotifierOptions["templates"] = {
  "approval-requested": {
    subject: "请审批: {{data.input.customer.name}}",
    text: "Instance {{instanceId}} waits at {{data.node}} since {{time}}.",
    html: "<p>Instance <b>{{instanceId}}</b> for {{data.input.customer.name}}</p>",
  },
};

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function notifier(port: number, extra: Partial<EmailNotifierOptions> = {}) {
  const e = createEmailNotifier({ transport: { host: "127.0.0.1", port, pool: false, ignoreTLS: true }, from: "Ruleflow <noreply@ruleflow.test>", address: (u) => emails[u], templates, ...extra });
  cleanup.push(() => e.close());
  return e;
}
async function smtp(script?: Parameters<typeof startSmtp>[0]) {
  const s = await startSmtp(script);
  cleanup.push(s.close);
  return s;
}
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

describe("email notifier", () => {
  it("sends one message to the resolved addresses with rendered subject, text and escaped HTML", async () => {
    const s = await smtp();
    await notifier(s.port).send(n);
    expect(s.received).toHaveLength(1);
    const [m] = s.received;
    expect(m!.from).toBe("noreply@ruleflow.test");
    expect(m!.rcptTo).toEqual(["chen@example.com", "lu@example.com"]); // user:ghost has no address
    expect(m!.mail.subject).toBe("请审批: ACME <Ltd> & Co");
    expect(m!.mail.text?.trim()).toBe("Instance q-42 waits at countersign since 2026-03-05T01:00:00.000Z.");
    expect(m!.mail.html).toContain("<p>Instance <b>q-42</b> for ACME &lt;Ltd&gt; &amp; Co</p>");
    expect(m!.mail.headers.get("x-ruleflow-idempotency-key")).toBe("q-42/1/0");
    expect(m!.mail.messageId).toMatch(/^<[0-9a-f]{32}@ruleflow\.test>$/);
  });

  it("the same notification always gets the same Message-ID; bcc hides recipients from each other", async () => {
    const s = await smtp();
    const e = notifier(s.port, { recipientsIn: "bcc" });
    await e.send(n);
    await e.send(n);
    await e.send({ ...n, idempotencyKey: "q-42/1/1" });
    expect(s.received[0]!.mail.messageId).toBe(s.received[1]!.mail.messageId);
    expect(s.received[2]!.mail.messageId).not.toBe(s.received[0]!.mail.messageId);
    expect(s.received[0]!.rcptTo).toEqual(["chen@example.com", "lu@example.com"]);
    expect(s.received[0]!.mail.to).toBeUndefined();
  });

  it("uses the default template for unknown names, and checks templates at creation", async () => {
    const s = await smtp();
    await notifier(s.port).send({ ...n, template: "approval-escalated" });
    expect(s.received[0]!.mail.subject).toBe("[Ruleflow] approval-escalated: customer-qualification q-42");
    expect(() => notifier(s.port, { templates: { x: { subject: "s" } } })).toThrow(/neither text nor html/);
    expect(() => notifier(s.port, { templates: { x: { subject: "{{a", text: "t" } } })).toThrow(/never closed/);
  });

  it("a 4xx reply (451) is transient: a plain error for the engine to retry", async () => {
    const s = await smtp({ data: (k) => (k === 1 ? { code: 451, text: "4.3.0 Temporary local problem, try again" } : undefined) });
    const e = notifier(s.port);
    const err = await failure(e.send(n));
    expect(isPermanentDeliveryError(err)).toBe(false);
    expect(err!.message).toContain("4.3.0 Temporary local problem");
    await e.send(n);
    expect(s.received).toHaveLength(1);
  });

  it("a 5xx reply is permanent: every recipient refused (550), or a 554 on DATA", async () => {
    const s = await smtp({ refuse: (a) => a.startsWith("nobody@"), data: () => ({ code: 554, text: "5.7.1 Message rejected as spam" }) });
    const refused = await failure(notifier(s.port).send({ ...n, recipients: ["user:nobody"] }));
    expect(isPermanentDeliveryError(refused)).toBe(true);
    expect(refused!.message).toContain("nobody@example.com");
    const spam = await failure(notifier(s.port).send(n));
    expect(isPermanentDeliveryError(spam)).toBe(true);
    expect(spam!.message).toMatch(/554 5\.7\.1 Message rejected as spam; not retried$/);
  });

  it("wrong SMTP credentials are permanent (535)", async () => {
    const s = await smtp({ auth: { user: "ruleflow", pass: "right" } });
    const ok = createEmailNotifier({ transport: { host: "127.0.0.1", port: s.port, pool: false, ignoreTLS: true, auth: { user: "ruleflow", pass: "right" } }, from: "noreply@ruleflow.test", address: (u) => emails[u] });
    await ok.send(n);
    const bad = createEmailNotifier({ transport: { host: "127.0.0.1", port: s.port, pool: false, ignoreTLS: true, auth: { user: "ruleflow", pass: "wrong" } }, from: "noreply@ruleflow.test", address: (u) => emails[u] });
    const err = await failure(bad.send(n));
    expect(isPermanentDeliveryError(err)).toBe(true);
    expect(err!.message).toContain("535");
    expect(s.received).toHaveLength(1);
  });

  it("no resolvable address is permanent, a resolver that throws is transient", async () => {
    const s = await smtp();
    const none = await failure(notifier(s.port).send({ ...n, recipients: ["user:ghost"] }));
    expect(isPermanentDeliveryError(none)).toBe(true);
    expect(none!.message).toBe("no email address for user:ghost; check the address resolver");
    const down = await failure(notifier(s.port, { address: async () => { throw new Error("user service down"); } }).send(n));
    expect(isPermanentDeliveryError(down)).toBe(false);
    expect(s.received).toHaveLength(0);
  });

  it("a refused connection and a server that never greets are transient", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const refused = await failure(notifier(closedPort).send(n));
    expect(isPermanentDeliveryError(refused)).toBe(false);
    expect(refused!.message).toContain("ECONNREFUSED");

    const silent = await startSilent();
    cleanup.push(silent.close);
    const e = createEmailNotifier({ transport: { host: "127.0.0.1", port: silent.port, pool: false, greetingTimeout: 200 }, from: "noreply@ruleflow.test", address: (u) => emails[u] });
    const timedOut = await failure(e.send(n));
    expect(isPermanentDeliveryError(timedOut)).toBe(false);
    expect(timedOut!.message).toMatch(/Greeting never received|timeout/i);
  });

  it("accepts a ready transporter", async () => {
    const sent: Record<string, unknown>[] = [];
    const e = createEmailNotifier({ transport: { sendMail: async (m) => (sent.push(m), {}) }, from: "noreply@ruleflow.test", address: (u) => emails[u], templates });
    await e.send(n);
    expect(sent[0]).toMatchObject({ to: ["chen@example.com", "lu@example.com"], subject: "请审批: ACME <Ltd> & Co" });
  });
});
