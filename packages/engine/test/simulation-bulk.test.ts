/**
 * Bulk simulation (issue 13): `generate` steps in scenarios. Each summary
 * figure is checked against what the engine itself recorded, read back
 * through its public API after the run (instances, audit trails, outboxes):
 * counts per working day against the calendar, outcomes and statuses against
 * the instances, time to decision against the audit trails (nearest-rank
 * percentiles computed here), escalations against timer records,
 * notifications against delivered outbox entries. Properties: the same seed
 * gives the same report byte for byte; percentiles are monotone; the
 * summary's counts add up. Volumes are small so the file runs in seconds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario, type Engine, type ScenarioReport } from "../src/index.js";
import { getBuiltinCalendar } from "../src/entries/calendar.js";
import { MAX_GENERATED_INSTANCES } from "../src/simulation/generate.js";

const cal = getBuiltinCalendar("cn-mainland");
const HOUR = 3_600_000;

/** A review: reviewer and finance countersign; remind, escalate finance's seat to the lead, auto-reject. */
const review = {
  kind: "workflow",
  id: "review",
  version: 1,
  calendar: "cn-mainland",
  start: "review",
  nodes: {
    review: {
      type: "approval",
      mode: "all",
      assignees: ["role:reviewer", "role:finance"],
      escalation: [
        { after: "PT2H", business: true, action: "remind" },
        { after: "PT2H", business: true, action: "escalate", to: "role:lead", for: "role:finance" },
        { after: "P1D", business: true, action: "auto-reject" },
      ],
      onApprove: "approved",
      onReject: "rejected",
    },
    approved: { type: "end", outcome: "approved", notify: [{ to: "initiator", template: "approved" }] },
    rejected: { type: "end", outcome: "rejected", notify: [{ to: "initiator", template: "rejected" }] },
  },
};

/** The same without a calendar or escalations: instances wait until someone acts. */
const plain = {
  kind: "workflow",
  id: "plain",
  version: 1,
  start: "review",
  nodes: {
    review: { type: "approval", mode: "any", assignees: ["role:reviewer"], onApprove: "done", onReject: "done" },
    done: { type: "end", outcome: "done" },
  },
};

const directory = { roles: { reviewer: ["user:rev"], finance: ["user:fin"], lead: ["user:lead"] } };

function scenario(generate: unknown, steps: unknown[] = [], start = "2026-03-01T00:00:00+08:00"): Record<string, unknown> {
  return { kind: "scenario", id: "bulk-test", start, directory, steps: [{ generate }, ...steps] };
}

/** Everything the engine recorded about the generated instances, read after the run. */
interface Recorded {
  views: { id: string; status: string; outcome?: string | undefined }[];
  audits: Map<string, Awaited<ReturnType<Engine["audit"]>>>;
  recipients: Record<string, number>;
}

async function run(doc: Record<string, unknown>, definitions: unknown[] = [review, plain]): Promise<{ report: ScenarioReport; recorded: Recorded }> {
  const recorded: Recorded = { views: [], audits: new Map(), recipients: {} };
  const report = await runScenario(doc, definitions, {
    inspect: async (engine) => {
      recorded.views = await engine.list();
      for (const v of recorded.views) {
        recorded.audits.set(v.id, await engine.audit(v.id));
        for (const o of await engine.outbox(v.id)) {
          if (o.kind !== "notification" || o.status !== "delivered") continue;
          for (const r of (o.payload as { recipients: string[] }).recipients) recorded.recipients[r] = (recorded.recipients[r] ?? 0) + 1;
        }
      }
    },
  });
  return { report, recorded };
}

/** Nearest-rank percentile of hours, rounded as the summary rounds. */
function percentile(ms: number[], p: number): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return Math.round((sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]! / HOUR) * 100) / 100;
}

const count = <T>(items: T[], key: (t: T) => string | undefined): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const i of items) {
    const k = key(i);
    if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
};

const sortedKeys = (r: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));

const everyoneActs = [
  { who: "role:reviewer", approve: 0.9, reject: 0.05, after: { distribution: "lognormal", median: "PT1H", p90: "PT4H" } },
  { who: "role:finance", approve: 0.5, reject: 0.1, after: { distribution: "exponential", mean: "PT3H" } },
  { who: "role:lead", approve: 0.9, after: "PT30M" },
];

describe("generate steps: the summary is what the engine recorded", () => {
  it("counts, outcomes, time to decision, escalations and notifications agree with the instances, audit trails and outboxes", async () => {
    const { report, recorded } = await run(
      scenario({
        workflow: "review",
        per: "working-day",
        count: { distribution: "poisson", mean: 3 },
        from: "2026-03-02",
        until: "2026-03-13",
        inputs: { fields: { "order.amount": { distribution: "uniform", min: 100, max: 900, round: 2 } } },
        actors: everyoneActs,
        sla: { nodes: { review: "PT4H" } },
        seed: 11,
      }),
    );
    expect(report.failures).toEqual([]);
    const s = report.summary!;
    const w = s.workflows["review"]!;
    expect(s.instances.started).toBe(recorded.views.length);
    expect(s.instances.started).toBeGreaterThan(10);
    expect(w.statuses).toEqual(sortedKeys(count(recorded.views, (v) => v.status)));
    expect(w.outcomes).toEqual(sortedKeys(count(recorded.views, (v) => v.outcome)));
    expect(s.instances.finished + s.instances.running).toBe(s.instances.started);
    expect(Object.values(s.instances.outcomes).reduce((a, b) => a + b, 0)).toBe(recorded.views.filter((v) => v.outcome !== undefined).length);

    // time to decision at "review": from the start record to the first record that left it
    const durations: number[] = [];
    const businessDurations: number[] = [];
    let escalationsFired = 0;
    let breaches = 0;
    const exits: Record<string, number> = {};
    for (const audit of recorded.audits.values()) {
      const entered = audit[0]!.at;
      const left = audit.find((r) => r.after.value !== "review" || r.after.status !== "running");
      escalationsFired += audit.filter((r) => r.action === "timer" && String(r.event["key"]).startsWith("esc:")).length;
      if (!left) continue;
      durations.push(left.at - entered);
      businessDurations.push(cal.businessTimeBetween(entered, left.at));
      if (left.at > cal.addDuration(entered, "PT4H", { business: true })) breaches++;
      const exit = left.action === "timer" ? "auto-reject" : left.action;
      exits[exit] = (exits[exit] ?? 0) + 1;
    }
    const node = w.nodes["review"]!;
    expect(node.decided).toBe(durations.length);
    expect(node.entered).toBe(recorded.views.length);
    expect([node.hours.p50, node.hours.p90, node.hours.p99]).toEqual([percentile(durations, 50), percentile(durations, 90), percentile(durations, 99)]);
    expect([node.businessHours!.p50, node.businessHours!.p99]).toEqual([percentile(businessDurations, 50), percentile(businessDurations, 99)]);
    expect(node.exits).toEqual(sortedKeys(exits));
    expect(node.sla).toEqual({ limit: "PT4H", business: true, breaches });
    expect(s.escalations.fired).toBe(escalationsFired);
    expect(w.escalations.reduce((a, e) => a + e.fired, 0)).toBe(escalationsFired);
    expect(s.notifications.byRecipient).toEqual(sortedKeys(recorded.recipients));
    expect(s.notifications.sent).toBeGreaterThan(0);
    // generated instances are summarised, not listed
    expect(report.instances).toEqual({});
    expect(report.notifications).toEqual([]);
    expect(report.timers).toEqual([]);
  });

  it("starts instances only on working days, within working hours, with the drawn inputs", async () => {
    const { report, recorded } = await run(
      scenario({
        workflow: "plain",
        per: "working-day",
        count: 2,
        from: "2026-02-12",
        until: "2026-02-25",
        calendar: "cn-mainland",
        inputs: {
          records: [{ customer: { tier: "gold" } }, { customer: { tier: "silver" } }],
          fields: { "order.amount": { distribution: "constant", value: 5 }, "order.id": { template: "SO-{n}", pad: 3 } },
        },
        drain: "PT0S",
      }, [], "2026-02-01T00:00:00+08:00"),
    );
    // 12, 13, 14 (a make-up workday) and 24, 25 February: the Spring Festival holiday runs 15-23
    expect(report.summary!.instances.started).toBe(10);
    for (const audit of recorded.audits.values()) {
      expect(cal.isWorkday(audit[0]!.at)).toBe(true);
      expect(cal.isWorkingTime(audit[0]!.at)).toBe(true);
    }
    const inputs = recorded.views.map((v) => (v as unknown as { input: Record<string, unknown> }).input);
    expect(inputs[0]).toEqual({ customer: { tier: "gold" }, order: { amount: 5, id: "SO-001" } });
    expect(inputs[1]).toEqual({ customer: { tier: "silver" }, order: { amount: 5, id: "SO-002" } });
    expect(recorded.views.map((v) => v.id).slice(0, 3)).toEqual(["plain-1", "plain-2", "plain-3"]);
  });

  it("nobody acts: every step of the ladder fires once per instance and every request is rejected automatically", async () => {
    const { report } = await run(scenario({ workflow: "review", per: "day", count: 2, from: "2026-03-02", until: "2026-03-04", seed: 3 }));
    const s = report.summary!;
    expect(s.instances).toMatchObject({ started: 6, finished: 6, running: 0, outcomes: { rejected: 6 } });
    expect(s.escalations).toEqual({ fired: 18, byAction: { "auto-reject": 6, escalate: 6, remind: 6 }, byRole: { assignees: 6, "role:lead": 6 } });
    expect(s.workflows["review"]!.escalations).toEqual([
      { node: "review", step: 0, action: "remind", fired: 6 },
      { node: "review", step: 1, action: "escalate", to: "role:lead", for: "role:finance", fired: 6 },
      { node: "review", step: 2, action: "auto-reject", fired: 6 },
    ]);
    expect(s.workflows["review"]!.nodes["review"]!.exits).toEqual({ "auto-reject": 6 });
    expect(s.sla.escalatedVisits).toBe(6);
    // no behaviour matches anyone: the reviewer's and finance's seats, then the lead's cover of finance's, never act
    expect(s.actors).toEqual({ approve: 0, reject: 0, idle: 18, refused: 0 });
  });

  it("the escalation target acts for the seat it covers: finance never acts, the lead approves in its place", async () => {
    const { report } = await run(
      scenario({
        workflow: "review",
        per: "working-day",
        count: 3,
        from: "2026-03-02",
        until: "2026-03-03",
        actors: [
          { who: "role:reviewer", approve: 1, after: "PT10M" },
          { who: "role:lead", approve: 1, after: "PT10M" },
        ],
      }),
    );
    const s = report.summary!;
    expect(s.instances.outcomes).toEqual({ approved: 6 });
    expect(s.escalations.byAction).toEqual({ escalate: 6, remind: 6 });
    expect(s.actors).toEqual({ approve: 12, reject: 0, idle: 6, refused: 0 });
    // reminded after 2 business hours, escalated after 4, approved 10 minutes later
    expect(s.workflows["review"]!.nodes["review"]!.businessHours).toMatchObject({ p50: 4.17, p99: 4.17 });
  });

  it("an SLA counts the visits that took longer, open ones included, in business time by default", async () => {
    const doc = (limit: string) =>
      scenario({ workflow: "review", per: "working-day", count: 2, from: "2026-03-02", until: "2026-03-02", actors: [{ approve: 1, after: "PT1H30M" }], sla: { nodes: { review: limit }, instance: limit } });
    const within = (await run(doc("PT2H"))).report.summary!;
    expect(within.workflows["review"]!.nodes["review"]!.sla).toEqual({ limit: "PT2H", business: true, breaches: 0 });
    expect(within.sla.breaches).toBe(0);
    const over = (await run(doc("PT1H"))).report.summary!;
    expect(over.workflows["review"]!.nodes["review"]!.sla).toEqual({ limit: "PT1H", business: true, breaches: 2 });
    expect(over.workflows["review"]!.sla).toEqual({ limit: "PT1H", business: true, breaches: 2 });
    expect(over.sla.breaches).toBe(4);
    // nobody acts on "plain": the visits stay open, and breach once the clock is past the limit
    const open = (await run(scenario({ workflow: "plain", per: "day", count: 1, from: "2026-03-02", until: "2026-03-03", drain: "P1D", sla: { nodes: { review: "PT12H" } } }))).report.summary!;
    expect(open.workflows["plain"]!.nodes["review"]).toMatchObject({ entered: 2, decided: 0, open: 2, sla: { limit: "PT12H", business: false, breaches: 2 } });
    expect(open.instances).toMatchObject({ started: 2, finished: 0, running: 2, statuses: { running: 2 } });
  });

  it("scripted steps keep their report: a start step's instance is listed, generated ones are not, and both are counted by expect started", async () => {
    const doc = {
      ...scenario({ workflow: "review", per: "day", count: 1, from: "2026-03-02", until: "2026-03-02", actors: [{ approve: 1, after: "PT1H" }] }),
      steps: [
        { start: "review", as: "mine", initiator: "user:me" },
        { generate: { workflow: "review", per: "day", count: 1, from: "2026-03-02", until: "2026-03-02", actors: [{ approve: 1, after: "PT1H" }] } },
        { expect: { started: { workflow: "review", count: 2 } } },
        { expect: { summary: { instances: { started: 1, outcomes: { approved: 1 } } } } },
        { expect: { notifications: { to: "initiator", count: 0 } } },
      ],
    };
    const { report } = await run(doc);
    expect(report.failures).toEqual([]);
    expect(Object.keys(report.instances)).toEqual(["mine"]);
    // nobody acts on it: the generate step's drain ends when the generated instances are done, not with it
    expect(report.instances["mine"]).toMatchObject({ status: "running", outcome: null });
    expect(report.timers.every((t) => t.instance === "mine")).toBe(true);
    expect(report.steps.map((s) => s.kind)).toEqual(["start", "generate", "expect", "expect", "expect"]);
  });

  it("expectations on the summary fail with the path and both values", async () => {
    const { report } = await run(
      scenario({ workflow: "review", per: "day", count: 1, from: "2026-03-02", until: "2026-03-02" }, [{ expect: { summary: { instances: { started: 5 } } } }]),
    );
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual([{ step: 1, message: "summary.instances.started is 1, expected 5" }]);
  });

  it("several generators run side by side, and a prefix counts on across steps", async () => {
    const gen = (per: string, n: number) => ({ workflow: "plain", per, count: n, from: "2026-03-02", until: "2026-03-02", drain: "PT0S" });
    const doc = {
      ...scenario({}),
      steps: [{ generate: [gen("day", 2), { ...gen("day", 1), as: "other" }] }, { generate: { ...gen("day", 1), from: "2026-03-03", until: "2026-03-03" } }],
    };
    const { report, recorded } = await run(doc);
    expect(report.failures).toEqual([]);
    expect(recorded.views.map((v) => v.id).sort()).toEqual(["other-1", "plain-1", "plain-2", "plain-3"]);
    expect(report.summary).toMatchObject({ from: "2026-03-02", until: "2026-03-03", instances: { started: 4 } });
  });

  it("onProgress hears each period, a growing fraction, and done last", async () => {
    const seen: { phase: string; fraction: number; started: number }[] = [];
    await runScenario(scenario({ workflow: "review", per: "day", count: 1, from: "2026-03-02", until: "2026-03-05", actors: [{ approve: 1, after: "PT1H" }] }), [review], {
      onProgress: (p) => seen.push({ phase: p.phase, fraction: p.fraction, started: p.started }),
    });
    expect(seen.at(-1)).toMatchObject({ phase: "done", fraction: 1, started: 4 });
    const generating = seen.filter((p) => p.phase === "generating");
    expect(generating.length).toBe(4);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);
  });

  it("arrivals drawn before the step runs are moved to when it runs: the first period counts from the clock", async () => {
    const { report, recorded } = await run(scenario({ workflow: "plain", per: "day", count: 3, from: "2026-03-02", until: "2026-03-02", drain: "PT0S" }, [], "2026-03-02T18:00:00+08:00"));
    expect(report.summary!.instances.started).toBe(3);
    for (const audit of recorded.audits.values()) expect(audit[0]!.at).toBeGreaterThanOrEqual(Date.parse("2026-03-02T18:00:00+08:00"));
  });

  it("inputs from a file: JSON Lines read through readFile, in order, again from the top", async () => {
    const lines = ['{"customer":{"id":"C1"}}', "", '{"customer":{"id":"C2"}}'].join("\n");
    const views: { input: unknown }[] = [];
    await runScenario(scenario({ workflow: "plain", per: "day", count: 3, from: "2026-03-02", until: "2026-03-02", inputs: { file: "in.jsonl" }, drain: "PT0S" }), [plain], {
      readFile: (p) => (p === "in.jsonl" ? lines : ""),
      inspect: async (engine) => {
        views.push(...(await engine.list()));
      },
    });
    expect(views.map((v) => v.input)).toEqual([{ customer: { id: "C1" } }, { customer: { id: "C2" } }, { customer: { id: "C1" } }]);
  });
});

describe("generate steps: errors and failed instances are never silent", () => {
  it("a start the engine refuses is an error of the run: counted, its message kept, and the step fails", async () => {
    const doc = {
      ...scenario({}),
      steps: [{ start: "plain", as: "plain-2" }, { generate: { workflow: "plain", per: "day", count: 3, from: "2026-03-02", until: "2026-03-02", drain: "PT0S" } }],
    };
    const { report } = await run(doc, [plain]);
    const s = report.summary!;
    expect(s.instances).toMatchObject({ started: 2, failedToStart: 1 });
    expect(s.errors.count).toBe(1);
    expect(s.errors.first[0]).toMatch(/^plain-2: /);
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual([{ step: 1, message: expect.stringMatching(/^1 error\(s\) while generating: plain-2: /) }]);
  });

  it("an instance the engine fails (an escalation past the calendar's coverage) is counted as failed, with the engine's reason", async () => {
    const { report } = await run(scenario({ workflow: "review", per: "day", count: 1, from: "2026-12-31", until: "2026-12-31", seed: 2 }, [], "2026-12-30T00:00:00+08:00"));
    const s = report.summary!;
    expect(s.instances.statuses).toEqual({ failed: 1 });
    expect(s.failures).toEqual([expect.stringMatching(/^review-1: .*no holiday data for 2027/)]);
    expect(s.errors.count).toBe(0);
    expect(report.failures).toEqual([]);
  });
});

describe("generate steps: properties", () => {
  const days = (from: string, until: string): number[] => {
    const out: number[] = [];
    for (let d = Date.parse(`${from}T12:00:00+08:00`); d <= Date.parse(`${until}T12:00:00+08:00`); d += 24 * HOUR) out.push(d);
    return out;
  };
  const date = (offset: number): string => new Date(Date.parse("2026-01-01T12:00:00+08:00") + offset * 24 * HOUR).toISOString().slice(0, 10);

  it("the number started is the count times the periods: working days of the calendar, days, or hours", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 350 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom("working-day", "day", "hour"), async (start, length, k, per) => {
        const span = per === "hour" ? Math.min(length, 1) : length;
        const from = date(start);
        const until = date(start + span);
        const { report } = await run(scenario({ workflow: "plain", per, count: k, from, until, calendar: "cn-mainland", drain: "PT0S" }, [], "2026-01-01T00:00:00+08:00"), [plain]);
        const all = days(from, until);
        const periods = per === "working-day" ? all.filter((d) => cal.isWorkday(d)).length : per === "day" ? all.length : all.length * 24;
        expect(report.summary!.instances.started).toBe(k * periods);
      }),
      { numRuns: 12 },
    );
  });

  const small = (seed: number, approve: number) =>
    scenario({
      workflow: "review",
      per: "working-day",
      count: { distribution: "poisson", mean: 2 },
      from: "2026-03-02",
      until: "2026-03-04",
      inputs: { fields: { "order.amount": { distribution: "lognormal", median: 1000, sigma: 1, round: 0 }, "order.tier": { choice: { A: 1, B: 1 } } } },
      initiator: { choice: { "user:a": 1, "user:b": 2 } },
      actors: [{ who: "role:reviewer", approve, reject: (1 - approve) / 2, after: { distribution: "triangular", min: "PT10M", mode: "PT1H", max: "PT6H" } }, ...everyoneActs.slice(1)],
      sla: { nodes: { review: "PT3H" }, instance: "PT5H" },
      seed,
    });

  it("the same seed gives the same report, byte for byte", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), async (seed, approve) => {
        const a = await runScenario(small(seed, approve), [review]);
        const b = await runScenario(small(seed, approve), [review]);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 5 },
    );
  });

  it("percentiles are monotone and the counts add up to the instances", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), async (seed, approve) => {
        const { report, recorded } = await run(small(seed, approve), [review]);
        const s = report.summary!;
        const w = s.workflows["review"]!;
        for (const stats of [w.cycleHours, w.cycleBusinessHours!, ...Object.values(w.nodes).flatMap((n) => [n.hours, n.businessHours!])]) {
          expect(stats.p50).toBeLessThanOrEqual(stats.p90);
          expect(stats.p90).toBeLessThanOrEqual(stats.p99);
          expect(stats.p99).toBeLessThanOrEqual(stats.max);
        }
        expect(s.instances.started).toBe(recorded.views.length);
        expect(s.instances.finished + s.instances.running).toBe(s.instances.started);
        expect(Object.values(s.instances.statuses).reduce((a, b) => a + b, 0)).toBe(s.instances.started);
        expect(Object.values(w.outcomes).reduce((a, b) => a + b, 0)).toBe(recorded.views.filter((v) => v.outcome !== undefined).length);
        expect(w.cycleHours.count).toBe(s.instances.finished);
        const node = w.nodes["review"]!;
        expect(node.decided + node.open).toBe(node.entered);
        expect(Object.values(node.exits).reduce((a, b) => a + b, 0)).toBe(node.decided);
        expect(Object.values(s.escalations.byAction).reduce((a, b) => a + b, 0)).toBe(s.escalations.fired);
      }),
      { numRuns: 6 },
    );
  });
});

describe("generate steps: limits", () => {
  it("refuses to generate more than the limit, naming the generator's count", async () => {
    const big = scenario({ workflow: "plain", per: "day", count: { distribution: "constant", value: MAX_GENERATED_INSTANCES + 1 }, from: "2026-03-02", until: "2026-03-02" });
    await expect(runScenario(big, [plain])).rejects.toThrow(/steps\[0\]\.generate\.count: the scenario would start more than 1000000 generated instances/);
  });
});
