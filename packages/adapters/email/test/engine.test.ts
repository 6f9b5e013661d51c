/** End to end: a real engine with the email notifier and an SMTP server that fails first, on the system clock. */
import { afterEach, describe, expect, it } from "vitest";
import { createEngine, createStaticDirectory, createSystemClock } from "@ruleflow/engine";
import { createEmailNotifier } from "../src/index.js";
import { startSmtp } from "./smtp.js";

const workflow = {
  kind: "workflow",
  id: "rebate-claim",
  version: 1,
  start: "finance",
  nodes: {
    finance: { type: "approval", mode: "any", assignees: ["role:finance"], onApprove: "paid", onReject: "refused" },
    paid: { type: "end", outcome: "approved", notify: [{ to: "initiator", template: "claim-approved" }] },
    refused: { type: "end", outcome: "rejected" },
  },
};

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(script: Parameters<typeof startSmtp>[0]) {
  const smtp = await startSmtp(script);
  const notifier = createEmailNotifier({
    transport: { host: "127.0.0.1", port: smtp.port, ignoreTLS: true },
    from: "Ruleflow <noreply@ruleflow.test>",
    address: (u) => ({ "user:fin1": "fin1@example.com", "user:li": "li@example.com", "user:gone": "gone@example.com" })[u],
    templates: {
      "approval-requested": { subject: "Rebate claim {{instanceId}} needs you", text: "Claim of {{data.input.dealer}}: {{data.input.amount}} CNY." },
      "claim-approved": { subject: "Your rebate claim was approved", text: "{{data.input.dealer}}: {{data.input.amount}} CNY will be paid.", html: "<p><b>{{data.input.dealer}}</b>: {{data.input.amount}} CNY will be paid.</p>" },
    },
  });
  // the system clock: outbox retries really wait baseDelayMs
  const engine = createEngine({ definitions: [workflow], clock: createSystemClock(), notifier, directory: createStaticDirectory({ roles: { finance: ["user:fin1"] } }), retry: { maxAttempts: 4, baseDelayMs: 100 } });
  cleanup.push(smtp.close, () => engine.close(), () => notifier.close());
  return { smtp, engine, notifier };
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("email notifier in the engine", () => {
  it("an email refused with 451 twice is retried by the outbox and delivered once", async () => {
    const t = await setup({ data: (k) => (k === 2 || k === 3 ? { code: 451, text: "4.7.1 Greylisted, try again later" } : undefined) });
    const q = await t.engine.start("rebate-claim", { initiator: "user:li", input: { dealer: "华东经销商 A", amount: "12,500.00" } });
    await t.engine.settle();
    await t.engine.send(q.id, { type: "approve", actor: "user:fin1" });
    await until(async () => (await t.engine.outbox(q.id)).every((o) => o.status !== "pending"));

    const outbox = await t.engine.outbox(q.id);
    expect(outbox.map((o) => [o.payload["template"], o.status, o.attempts])).toEqual([
      ["approval-requested", "delivered", 1],
      ["claim-approved", "delivered", 3],
    ]);
    expect(t.smtp.dataCount).toBe(4);
    expect(t.smtp.received.map((m) => [m.rcptTo, m.mail.subject])).toEqual([
      [["fin1@example.com"], `Rebate claim ${q.id} needs you`],
      [["li@example.com"], "Your rebate claim was approved"],
    ]);
    expect(t.smtp.received[1]!.mail.html).toContain("<p><b>华东经销商 A</b>: 12,500.00 CNY will be paid.</p>");
    expect(t.notifier.deadLetters).toEqual([]);
  });

  it("a mailbox that does not exist (550) is dead at once, with a dead letter", async () => {
    const t = await setup({ refuse: (a) => a === "li@example.com" });
    const q = await t.engine.start("rebate-claim", { initiator: "user:li", input: { dealer: "A", amount: "1.00" } });
    await t.engine.send(q.id, { type: "approve", actor: "user:fin1" });
    await until(async () => (await t.engine.outbox(q.id)).every((o) => o.status !== "pending"));
    await new Promise((r) => setTimeout(r, 300)); // nothing more happens: no retries
    const outbox = await t.engine.outbox(q.id);
    expect(outbox.map((o) => [o.status, o.attempts])).toEqual([["delivered", 1], ["dead", 1]]);
    expect(t.notifier.deadLetters).toHaveLength(1);
    expect(t.notifier.deadLetters[0]).toMatchObject({ to: ["li@example.com"], attempts: 1, responseCode: 550, permanent: true, notification: { template: "claim-approved" } });
    expect(t.notifier.deadLetters[0]!.error).toContain("User unknown");
  });
});
