/** Node types: decision, branch (exclusive / parallel / inclusive) and join, task, wait, notify, end. */
import { describe, expect, it, vi } from "vitest";
import { createVirtualClock } from "../src/runtime/clock.js";
import type { Clock } from "../src/runtime/ports.js";
import { ENDS, cst, rig, sentLines, workflow } from "./workflow-helpers.js";

const ruleset = {
  kind: "ruleset",
  id: "route-by-amount",
  version: 1,
  hitPolicy: "first",
  rules: [
    { id: "big", when: { fact: "amount", op: "gte", value: 100000 }, then: { decision: "manual", lane: "finance" } },
    { id: "odd", when: { fact: "amount", op: "eq", value: 13 }, then: { decision: "unlucky" } },
    { id: "small", then: { decision: "auto" } },
  ],
};
const table = {
  kind: "decision-table",
  id: "lane",
  version: 1,
  hitPolicy: "first",
  inputs: [{ id: "region", expr: "region" }],
  outputs: [{ id: "lane", type: "string" }],
  rules: [
    { region: '"north"', lane: "n" },
    { region: '"south"', lane: "s" },
  ],
};

describe("decision", () => {
  const def = workflow({
    route: { type: "decision", ruleset: "route-by-amount", routes: { manual: "review", auto: "approved" } },
    review: { type: "approval", assignees: ["user:a"], onApprove: "approved", onReject: "rejected" },
    ...ENDS,
  });

  it("routes by the rule set's decision and records what decided", async () => {
    const r = rig({ definitions: [def, ruleset] });
    const big = await r.engine.start("wf", { initiator: "user:li", input: { amount: 200000 } });
    expect(big.state).toBe("review");
    expect(big.results["route"]).toMatchObject({ definition: "route-by-amount", version: 1, route: "review", output: { decision: "manual", lane: "finance" } });
    const small = await r.engine.start("wf", { initiator: "user:li", input: { amount: 10 } });
    expect(small).toMatchObject({ status: "completed", outcome: "approved" });
  });

  it("an output without a route and no default fails the instance, visibly", async () => {
    const r = rig({ definitions: [def, ruleset] });
    const v = await r.engine.start("wf", { initiator: "user:li", input: { amount: 13 } });
    expect(v.status).toBe("failed");
    expect(v.error).toMatch(/no route for decision = "unlucky"; routes are manual, auto/);
  });

  it("routes by a decision table output, with a default", async () => {
    const d = workflow({
      route: { type: "decision", table: "lane", output: "lane", routes: { n: "north" }, default: "elsewhere" },
      north: { type: "end", outcome: "north" },
      elsewhere: { type: "end", outcome: "elsewhere" },
    });
    const r = rig({ definitions: [d, table] });
    expect((await r.engine.start("wf", { input: { region: "north" } })).outcome).toBe("north");
    expect((await r.engine.start("wf", { input: { region: "south" } })).outcome).toBe("elsewhere");
  });

  it("needs exactly one of ruleset or table", () => {
    const d = workflow({ route: { type: "decision", routes: { a: "done" } }, done: { type: "end", outcome: "x" } });
    expect(() => rig({ definitions: [d] })).toThrow(/exactly one of "ruleset" or "table"/);
  });
});

describe("branch and join", () => {
  it("exclusive: the first branch whose condition holds, else the default, else failure", async () => {
    const mk = (withDefault: boolean) =>
      workflow({
        pick: {
          type: "branch",
          branches: [
            { when: { fact: "amount", op: "gt", value: 100 }, to: "big" },
            { when: { fact: "amount", op: "gt", value: 10 }, to: "mid" },
          ],
          ...(withDefault ? { default: "small" } : {}),
        },
        big: { type: "end", outcome: "big" },
        mid: { type: "end", outcome: "mid" },
        small: { type: "end", outcome: "small" },
      });
    const r = rig({ definitions: [mk(true)] });
    expect((await r.engine.start("wf", { input: { amount: 500 } })).outcome).toBe("big");
    expect((await r.engine.start("wf", { input: { amount: 50 } })).outcome).toBe("mid");
    expect((await r.engine.start("wf", { input: { amount: 5 } })).outcome).toBe("small");
    const strict = rig({ definitions: [mk(false)] });
    const v = await strict.engine.start("wf", { input: { amount: 5 } });
    expect(v).toMatchObject({ status: "failed", error: expect.stringMatching(/no condition holds and there is no default/) });
  });

  const parallel = workflow({
    fork: { type: "branch", mode: "parallel", branches: [{ to: "legal" }, { to: "finance" }, { to: "both" }], join: "both" },
    legal: { type: "approval", assignees: ["user:lu"], onApprove: "told", onReject: "rejected", escalation: [{ after: "PT1H", action: "remind" }] },
    told: { type: "notify", notify: [{ to: "initiator", template: "legal-ok" }], next: "both" },
    finance: { type: "approval", assignees: ["user:fin1"], onApprove: "both", onReject: "rejected", escalation: [{ after: "PT2H", action: "remind" }] },
    both: { type: "join", next: "approved" },
    ...ENDS,
  });

  it("parallel: every branch runs; the join waits for all of them", async () => {
    const r = rig({ definitions: [parallel] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    expect(q.activeNodes.sort()).toEqual(["finance", "fork", "legal"]);
    expect(q.assignees).toEqual(["user:fin1", "user:lu"]);
    let v = await r.engine.send(q.id, { type: "approve", actor: "user:lu" });
    expect(v.status).toBe("running");
    expect(v.activeNodes.sort()).toEqual(["finance", "fork"]);
    await r.clock.advanceBy("PT3H");
    v = await r.engine.send(q.id, { type: "approve", actor: "user:fin1" });
    expect(v.outcome).toBe("approved");
    await r.engine.settle();
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-03-05T09:00:00+08:00 approval-requested -> user:lu",
      "2026-03-05T09:00:00+08:00 approval-requested -> user:fin1",
      "2026-03-05T09:00:00+08:00 legal-ok -> user:li",
      "2026-03-05T11:00:00+08:00 approval-reminder -> user:fin1",
      "2026-03-05T12:00:00+08:00 done-approved -> user:li",
    ]);
  });

  it("parallel: a rejection in one branch leaves the whole fork and cancels the other branch's timers", async () => {
    const r = rig({ definitions: [parallel] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    expect(r.storage.snapshot().timers.map((t) => t.key).sort()).toEqual(["esc:finance", "esc:legal"]);
    const v = await r.engine.send(q.id, { type: "reject", actor: "user:fin1" });
    expect(v).toMatchObject({ status: "completed", outcome: "rejected", activeNodes: [] });
    expect(r.storage.snapshot().timers).toEqual([]);
  });

  const inclusive = (withDefault: boolean) =>
    workflow({
      fork: {
        type: "branch",
        mode: "inclusive",
        branches: [
          { when: { fact: "amount", op: "gte", value: 100000 }, to: "finance" },
          { when: { fact: "newCustomer", op: "eq", value: true }, to: "legal" },
        ],
        ...(withDefault ? { default: "desk" } : {}),
        join: "both",
      },
      finance: { type: "approval", assignees: ["user:fin1"], onApprove: "both", onReject: "rejected" },
      legal: { type: "approval", assignees: ["user:lu"], onApprove: "both", onReject: "rejected" },
      desk: { type: "notify", notify: [{ to: "initiator", template: "no-review-needed" }], next: "both" },
      both: { type: "join", next: "approved" },
      ...ENDS,
    });

  it("inclusive: only the branches whose conditions hold", async () => {
    const r = rig({ definitions: [inclusive(false)] });
    const one = await r.engine.start("wf", { initiator: "user:li", input: { amount: 5, newCustomer: true } });
    expect(one.assignees).toEqual(["user:lu"]);
    expect((await r.engine.send(one.id, { type: "approve", actor: "user:lu" })).outcome).toBe("approved");
    const two = await r.engine.start("wf", { initiator: "user:li", input: { amount: 500000, newCustomer: true } });
    expect(two.assignees).toEqual(["user:fin1", "user:lu"]);
    await r.engine.send(two.id, { type: "approve", actor: "user:lu" });
    expect((await r.engine.send(two.id, { type: "approve", actor: "user:fin1" })).outcome).toBe("approved");
  });

  it("inclusive: the default branch runs when no condition holds; without one the instance fails", async () => {
    const r = rig({ definitions: [inclusive(true)] });
    const v = await r.engine.start("wf", { initiator: "user:li", input: { amount: 5, newCustomer: false } });
    expect(v.outcome).toBe("approved");
    await r.engine.settle();
    expect(r.notifier.sent.map((n) => n.template)).toEqual(["no-review-needed", "done-approved"]);
    const some = await r.engine.start("wf", { initiator: "user:li", input: { amount: 5, newCustomer: true } });
    expect(some.assignees).toEqual(["user:lu"]);

    const strict = rig({ definitions: [inclusive(false)] });
    const f = await strict.engine.start("wf", { initiator: "user:li", input: { amount: 5, newCustomer: false } });
    expect(f).toMatchObject({ status: "failed", error: expect.stringMatching(/no condition holds and there is no default/) });
  });

  it("a parallel branch needs a join node", () => {
    const d = workflow({ fork: { type: "branch", mode: "parallel", branches: [{ to: "x" }] }, x: { type: "end", outcome: "x" } });
    expect(() => rig({ definitions: [d] })).toThrow(/needs "join"/);
  });
});

describe("task", () => {
  it("calls the host handler with its input; the result is kept under the node id and visible to later nodes", async () => {
    const def = workflow({
      invoice: { type: "task", handler: "create-invoice", input: { customer: { expr: "customer.name" }, currency: "CNY" }, next: "check" },
      check: { type: "branch", branches: [{ when: { fact: "results.invoice.total", op: "gt", value: 100 }, to: "approved" }], default: "rejected" },
      ...ENDS,
    });
    const seen: unknown[] = [];
    const r = rig({
      definitions: [def],
      handlers: {
        "create-invoice": async (input, ctx) => {
          seen.push({ input, ctx });
          return { invoiceNo: "INV-1", total: 250 };
        },
      },
    });
    const q = await r.engine.start("wf", { initiator: "user:li", input: { customer: { name: "ACME" } } });
    await r.engine.settle();
    expect(seen).toEqual([{ input: { customer: "ACME", currency: "CNY" }, ctx: { instanceId: q.id, node: "invoice", attempt: 1, idempotencyKey: `${q.id}/task/invoice/1/1` } }]);
    const v = (await r.engine.get(q.id))!;
    expect(v).toMatchObject({ outcome: "approved", results: { invoice: { invoiceNo: "INV-1", total: 250 } } });
    expect((await r.engine.audit(q.id)).map((a) => `${a.action}:${a.actor}`)).toEqual(["start:user:li", "task.done:system"]);
  });

  it("retries with exponential backoff, then succeeds", async () => {
    const def = workflow({ invoice: { type: "task", handler: "flaky", retries: { max: 3, backoff: "PT1M" }, next: "approved" }, ...ENDS });
    const attempts: string[] = [];
    let now = (): number => 0;
    const r = rig({
      definitions: [def],
      handlers: {
        flaky: (_i, ctx) => {
          attempts.push(`${ctx.attempt}@${cst(now())}`);
          if (ctx.attempt < 4) throw new Error(`boom ${ctx.attempt}`);
          return "ok";
        },
      },
    });
    now = () => r.clock.now();
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("PT1H");
    expect(attempts).toEqual(["1@2026-03-05T09:00:00+08:00", "2@2026-03-05T09:01:00+08:00", "3@2026-03-05T09:03:00+08:00", "4@2026-03-05T09:07:00+08:00"]);
    expect((await r.engine.get(q.id))!).toMatchObject({ outcome: "approved", results: { invoice: "ok" } });
  });

  it("after the last retry: onError, or the instance fails with the handler's error", async () => {
    const handlers = { broken: () => Promise.reject(new Error("ERP says no")) };
    const withOnError = workflow({ t: { type: "task", handler: "broken", retries: { max: 1, backoff: "PT5M" }, next: "approved", onError: "rejected" }, ...ENDS });
    const r = rig({ definitions: [withOnError], handlers });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("PT1H");
    expect((await r.engine.get(q.id))!).toMatchObject({ status: "completed", outcome: "rejected" });

    const without = workflow({ t: { type: "task", handler: "broken", next: "approved" }, ...ENDS });
    const r2 = rig({ definitions: [without], handlers });
    const q2 = await r2.engine.start("wf", { initiator: "user:li" });
    await r2.engine.settle();
    expect((await r2.engine.get(q2.id))!).toMatchObject({ status: "failed", error: 'task "t" failed after 1 attempt(s): ERP says no' });
  });

  it("a handler that is not registered fails the task", async () => {
    const r = rig({ definitions: [workflow({ t: { type: "task", handler: "missing", next: "approved", onError: "rejected" }, ...ENDS })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.settle();
    expect((await r.engine.get(q.id))!.outcome).toBe("rejected");
    expect((await r.engine.outbox(q.id)).find((o) => o.kind === "task")).toMatchObject({ status: "delivered", lastError: 'no handler "missing" is registered' });
  });

  it("times out a hung attempt, retries, and drops the late result of the timed-out attempt", async () => {
    const def = workflow({ t: { type: "task", handler: "slow", timeout: "PT10M", retries: { max: 1, backoff: "PT1M" }, next: "approved", onError: "rejected" }, ...ENDS });
    const releases: ((v: unknown) => void)[] = [];
    const inner = createVirtualClock("2026-03-05T09:00:00+08:00");
    // A plain Clock (no settlers): the virtual clock would otherwise wait for the hung handler before moving.
    const clock: Clock = { now: () => inner.now(), setTimer: (at, cb) => inner.setTimer(at, cb) };
    const r = rig({ definitions: [def], clock: clock as never, handlers: { slow: () => new Promise((res) => releases.push(res)) } });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await vi.waitFor(() => expect(releases).toHaveLength(1));
    // the timeout fires; the engine then waits for the dispatcher, which is stuck in the first call
    const advancing = inner.advanceBy("PT11M");
    await vi.waitFor(async () => expect((await r.engine.audit(q.id)).map((a) => a.action)).toEqual(["start", "timer", "timer"]));
    releases[0]!("late");
    await vi.waitFor(() => expect(releases).toHaveLength(2));
    releases[1]!("on time");
    await advancing;
    await r.engine.settle();
    const v = (await r.engine.get(q.id))!;
    expect(v).toMatchObject({ outcome: "approved", results: { t: "on time" } });
    const audit = await r.engine.audit(q.id);
    expect(audit.map((a) => `${a.action}@${cst(a.at)}`)).toEqual([
      "start@2026-03-05T09:00:00+08:00",
      "timer@2026-03-05T09:10:00+08:00",
      "timer@2026-03-05T09:11:00+08:00",
      "task.done@2026-03-05T09:11:00+08:00",
    ]);
    expect(audit[3]!.event).toMatchObject({ attempt: 2, result: "on time" });
  });
});

describe("wait", () => {
  it("for a domain event that matches, with the event kept as the node's result", async () => {
    const def = workflow({
      signed: { type: "wait", event: "contract.signed", match: "event.data.contractId == input.contractId", after: "P7D", next: "approved", onTimeout: "rejected" },
      ...ENDS,
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li", input: { contractId: "C-1" } });
    expect((await r.engine.list({ waitingFor: "contract.signed" })).map((i) => i.id)).toEqual([q.id]);
    expect(await r.engine.emit({ type: "contract.signed", data: { contractId: "C-2" } })).toEqual({ started: [], resumed: [] });
    await r.clock.advanceBy("P1D");
    expect(await r.engine.emit({ type: "contract.signed", data: { contractId: "C-1" } })).toEqual({ started: [], resumed: [q.id] });
    const v = (await r.engine.get(q.id))!;
    expect(v).toMatchObject({ outcome: "approved", results: { signed: { event: "contract.signed", data: { contractId: "C-1" }, at: "2026-03-06T01:00:00.000Z" } } });
    expect(r.storage.snapshot().timers).toEqual([]);
    expect(await r.engine.list({ waitingFor: "contract.signed" })).toEqual([]);
  });

  it("times out to onTimeout, or to next when there is none", async () => {
    const mk = (onTimeout: boolean) =>
      workflow({ signed: { type: "wait", event: "contract.signed", after: "PT2H", next: "approved", ...(onTimeout ? { onTimeout: "rejected" } : {}) }, ...ENDS });
    const a = rig({ definitions: [mk(true)] });
    const qa = await a.engine.start("wf", { initiator: "user:li" });
    await a.clock.advanceBy("PT2H");
    expect((await a.engine.get(qa.id))!).toMatchObject({ outcome: "rejected", updatedAt: "2026-03-05T03:00:00.000Z" });
    const b = rig({ definitions: [mk(false)] });
    const qb = await b.engine.start("wf", { initiator: "user:li" });
    await b.clock.advanceBy("PT2H");
    expect((await b.engine.get(qb.id))!.outcome).toBe("approved");
  });

  it("for a time: until an instant from the input (a past one fires at once), or a business duration", async () => {
    const until = workflow({ cool: { type: "wait", until: "input.cooloffEnds", next: "approved" }, ...ENDS });
    const r = rig({ definitions: [until] });
    const q = await r.engine.start("wf", { initiator: "user:li", input: { cooloffEnds: "2026-03-09T10:00:00+08:00" } });
    await r.clock.advanceBy("P3D");
    expect((await r.engine.get(q.id))!.status).toBe("running");
    await r.clock.advanceBy("P2D");
    expect((await r.engine.get(q.id))!).toMatchObject({ outcome: "approved", updatedAt: "2026-03-09T02:00:00.000Z" });
    const past = await r.engine.start("wf", { initiator: "user:li", input: { cooloffEnds: "2026-01-01T00:00:00+08:00" } });
    await r.clock.advanceBy(0);
    expect((await r.engine.get(past.id))!.outcome).toBe("approved");

    const biz = workflow({ cool: { type: "wait", after: "PT4H", business: true, next: "approved" }, ...ENDS }, { calendar: "cn-mainland" });
    const rb = rig({ definitions: [biz], start: "2026-03-06T16:00:00+08:00" });
    const qb = await rb.engine.start("wf", { initiator: "user:li" });
    await rb.clock.advanceBy("P5D");
    // Friday 16:00-18:00, Monday 09:00-11:00
    expect(cst(Date.parse((await rb.engine.get(qb.id))!.updatedAt))).toBe("2026-03-09T11:00:00+08:00");
  });

  it("a wait needs an event, after or until", () => {
    expect(() => rig({ definitions: [workflow({ w: { type: "wait", next: "done" }, done: { type: "end", outcome: "x" } })] })).toThrow(/needs "event", "after" or "until"/);
  });
});

describe("notify and end", () => {
  it("notify sends to each spec and moves on; end sets the outcome and sends its own", async () => {
    const def = workflow({
      hello: {
        type: "notify",
        notify: [
          { to: "role:finance", template: "heads-up", channel: "dingtalk" },
          { to: "manager-of:initiator", template: "fyi" },
        ],
        next: "done",
      },
      done: { type: "end", outcome: "closed", notify: [{ to: "initiator", template: "closed" }] },
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li", input: { n: 1 } });
    expect(q).toMatchObject({ status: "completed", outcome: "closed" });
    await r.engine.settle();
    expect(r.notifier.sent.map((n) => `${n.template}:${n.to}:${n.recipients.join(",")}:${n.channel ?? "-"}`)).toEqual([
      "heads-up:role:finance:user:fin1,user:fin2:dingtalk",
      "fyi:manager-of:initiator:user:zhao:-",
      "closed:initiator:user:li:-",
    ]);
    expect(r.notifier.sent[2]!.data).toMatchObject({ instanceId: q.id, definitionId: "wf", initiator: "user:li", input: { n: 1 }, node: "done", outcome: "closed" });
  });

  it("unknown node references are reported with their path", () => {
    const d = workflow({ a: { type: "notify", notify: [{ to: "initiator", template: "x" }], next: "nowhere" } });
    expect(() => rig({ definitions: [d] })).toThrow(/nodes\.a\.next: no node "nowhere"/);
  });
});
