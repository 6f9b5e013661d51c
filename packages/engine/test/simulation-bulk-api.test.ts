/**
 * Bulk simulation: bad generators are refused with the JSON path and what
 * was expected, in English and Chinese; `runBulkSimulation` gives the summary
 * `runScenario` gives, with paths of its own input; `explainSimulation`
 * renders it as tables.
 */
import { describe, expect, it } from "vitest";
import { compileScenario, formatIssue, runScenario, ValidationError } from "../src/index.js";
import { explainSimulation, runBulkSimulation } from "../src/entries/simulation.js";

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
      escalation: [{ after: "P1D", business: true, action: "auto-reject" }],
      onApprove: "approved",
      onReject: "rejected",
    },
    approved: { type: "end", outcome: "approved", notify: [{ to: "initiator", template: "approved" }] },
    rejected: { type: "end", outcome: "rejected" },
  },
};
const noCalendar = { ...review, id: "no-calendar", calendar: undefined, nodes: { ...review.nodes, review: { ...review.nodes.review, escalation: [] } } };
const directory = { roles: { reviewer: ["user:rev"], finance: ["user:fin"] } };
const generator = { workflow: "review", per: "working-day" as "working-day" | "day" | "hour", count: 2, from: "2026-03-02", until: "2026-03-06", actors: [{ approve: 0.9, after: "PT1H" }], seed: 1 };

function issuesOf(generate: Record<string, unknown>, locale?: string): string[] {
  try {
    compileScenario({ id: "s", start: "2026-03-01T00:00:00+08:00", steps: [{ generate: { ...generator, ...generate } }] }, locale === undefined ? undefined : { locale });
  } catch (e) {
    if (e instanceof ValidationError) return e.issues.map((i) => formatIssue(i));
    throw e;
  }
  return [];
}

async function runIssues(generate: Record<string, unknown>, definitions: unknown[] = [review, noCalendar], readFile?: (p: string) => string): Promise<string[]> {
  try {
    await runScenario({ id: "s", start: "2026-03-01T00:00:00+08:00", directory, steps: [{ generate: { ...generator, ...generate } }] }, definitions, { readFile });
  } catch (e) {
    if (e instanceof ValidationError) return e.issues.map((i) => formatIssue(i));
    throw e;
  }
  return [];
}

describe("generate steps: validation", () => {
  it("names the path and what was expected", () => {
    expect(issuesOf({ per: "week" })).toEqual(['steps[0].generate.per: expected one of working-day, day, hour, got "week"']);
    expect(issuesOf({ until: "2026-02-30" })).toEqual(["steps[0].generate.until: 2026-02-30 is not a real date"]);
    expect(issuesOf({ until: "2026-02-01" })).toEqual(["steps[0].generate.until: until (2026-02-01) is before from (2026-03-02)"]);
    expect(issuesOf({ count: { distribution: "poisson", mean: -1 } })).toEqual(["steps[0].generate.count.mean: expected a number >= 0, got -1"]);
    expect(issuesOf({ count: { distribution: "poison", mean: 3 } })).toEqual(['steps[0].generate.count.distribution: expected "poisson", got "poison"']);
    expect(issuesOf({ actors: [{ approve: 0.8, reject: 0.3 }] })).toEqual(["steps[0].generate.actors[0].reject: approve (0.8) and reject (0.3) add up to more than 1"]);
    expect(issuesOf({ actors: [{ approve: 1, after: { distribution: "lognormal", median: "PT1H" } }] })).toEqual([
      'steps[0].generate.actors[0].after: a lognormal distribution takes either "sigma" or "p90" (exactly one)',
    ]);
    expect(issuesOf({ actors: [{ approve: 1, after: "P1M" }] })).toEqual([
      'steps[0].generate.actors[0].after: "P1M" has years or months, which have no fixed length; give weeks, days, hours, minutes or seconds',
    ]);
    expect(issuesOf({ actors: [{ approve: 1, after: { distribution: "uniform", min: "PT2H", max: "PT1H" } }] })).toEqual(["steps[0].generate.actors[0].after.max: min (PT2H) is greater than max (PT1H)"]);
    expect(issuesOf({ inputs: { fields: { "order..amount": { value: 1 } } } })).toEqual(['steps[0].generate.inputs.fields["order..amount"]: expected a fact path such as order.amount']);
    expect(issuesOf({ inputs: { fields: { "a.__proto__": { value: 1 } } } })).toEqual([
      'steps[0].generate.inputs.fields["a.__proto__"]: "__proto__", "constructor" and "prototype" cannot be used as names',
    ]);
    expect(issuesOf({ inputs: { fields: { x: { choice: { A: 0, B: 0 } } } } })).toEqual(["steps[0].generate.inputs.fields.x.choice: a choice needs at least one weight greater than 0"]);
    expect(issuesOf({ inputs: { file: "a.jsonl", records: [{}] } })).toEqual(['steps[0].generate.inputs.records: inputs take either "file" or "records", not both']);
    expect(issuesOf({ seed: 1.5 })).toEqual(["steps[0].generate.seed: expected an int, got 1.5"]);
    expect(issuesOf({ wat: 1 })).toEqual(["steps[0].generate.wat: unknown field; check the spelling or remove it"]);
  });

  it("writes the messages in Chinese", () => {
    expect(issuesOf({ actors: [{ approve: 0.8, reject: 0.3 }] }, "zh-CN")).toEqual(["steps[0].generate.actors[0].reject: 通过概率（0.8）与驳回概率（0.3）之和超过 1"]);
    expect(issuesOf({ until: "2026-02-01" }, "zh-CN")).toEqual(["steps[0].generate.until: 结束日期（2026-02-01）早于开始日期（2026-03-02）"]);
  });

  it("checks what only the run can: the workflow, the calendar, the window, the input file", async () => {
    expect(await runIssues({ workflow: "nope" })).toEqual(['steps[0].generate.workflow: no workflow "nope" among the scenario\'s definitions (loaded: review, no-calendar)']);
    expect(await runIssues({ workflow: "no-calendar" })).toEqual([
      'steps[0].generate.per: generating per working day needs a calendar: set "calendar" on the generator or the scenario, or give the workflow one',
    ]);
    expect(await runIssues({ workflow: "no-calendar", calendar: "acme" })).toEqual(['steps[0].generate.calendar: no calendar "acme" among the scenario\'s definitions (loaded: cn-mainland)']);
    expect(await runIssues({ until: "2031-01-05", from: "2031-01-05" })).toEqual([
      expect.stringMatching(/^steps\[0\]\.generate\.from: .*2031/),
    ]);
    expect(await runIssues({ from: "2026-02-01", until: "2026-02-10" })).toEqual([
      "steps[0].generate.until: until (2026-02-10) is over before this step runs (the virtual clock is at 2026-02-28T16:00:00.000Z); start the scenario earlier or generate later dates",
    ]);
    expect(await runIssues({ inputs: { file: "in.jsonl" } })).toEqual([
      'steps[0].generate.inputs.file: "in.jsonl" is a file: run the scenario with a readFile option (ruleflow simulate reads it relative to the scenario), or give the records inline',
    ]);
    expect(await runIssues({ inputs: { file: "in.jsonl" } }, undefined, () => '{"a":1}\n[1]\n')).toEqual(["steps[0].generate.inputs.file: invalid records: in.jsonl: line 2: expected an object"]);
    expect(await runIssues({ inputs: { file: "in.jsonl" } }, undefined, () => '{"a":1}\n{nope\n')).toEqual([expect.stringMatching(/^steps\[0\]\.generate\.inputs\.file: invalid records: in\.jsonl: line 2: not JSON/)]);
    expect(await runIssues({ as: "s" })).toEqual([expect.stringMatching(/^steps\[0\]\.generate\.as: the instance ids "s-1", "s-2"\.\.\. are already used/)]);
  });
});

describe("runBulkSimulation", () => {
  it("gives the summary runScenario gives for the same generator", async () => {
    const summary = await runBulkSimulation({ id: "s", start: "2026-03-01T00:00:00+08:00", directory, generate: generator }, [review]);
    const report = await runScenario({ id: "s", start: "2026-03-01T00:00:00+08:00", directory, steps: [{ generate: generator }] }, [review]);
    expect(summary).toEqual(report.summary);
    expect(summary.instances.started).toBe(10);
  });

  it("starts the clock at midnight of the earliest from when no start is given, so no arrival is lost", async () => {
    const summary = await runBulkSimulation({ directory, generate: [{ ...generator, per: "day", from: "2026-03-03", until: "2026-03-03" }, { ...generator, as: "b", per: "hour", count: 1, from: "2026-03-02", until: "2026-03-02" }] }, [review]);
    expect(summary.instances.started).toBe(2 + 24);
    expect(summary.from).toBe("2026-03-02");
  });

  it("refuses bad input with the paths of its own input, in the caller's language", async () => {
    await expect(runBulkSimulation({ directory, generate: { ...generator, per: "week" } } as never, [review])).rejects.toThrow(/generate\.per: expected one of working-day, day, hour, got "week"/);
    await expect(runBulkSimulation({ directory, generate: { ...generator, workflow: "nope" } }, [review])).rejects.toThrow(/^Invalid bulk simulation: 1 problem\n {2}generate\.workflow: no workflow "nope"/);
    await expect(runBulkSimulation({ generate: generator, steps: [] } as never, [review])).rejects.toThrow(/steps: unknown field/);
    await expect(runBulkSimulation({ directory, generate: { ...generator, until: "2026-02-01" } }, [review], { locale: "zh-CN" })).rejects.toThrow(/批量仿真无效：1 个问题\n {2}generate\.until: 结束日期（2026-02-01）早于开始日期（2026-03-02）/);
  });
});

describe("explainSimulation", () => {
  it("renders the summary as tables, in English and in Chinese", async () => {
    const summary = await runBulkSimulation({ directory, generate: { ...generator, sla: { nodes: { review: "PT2H" } } } }, [review]);
    const en = explainSimulation(summary);
    expect(en).toMatch(/^Bulk simulation 2026-03-02 to 2026-03-06\nInstances: 10 started, 10 finished, 0 still running\n/);
    expect(en).toMatch(/review +review +wall +\d+ +[\d.]+ +[\d.]+ +[\d.]+ +0 +\d+ +\d+ \(> PT2H\)/);
    expect(en).toMatch(/review +\(start to finish\) +business/);
    expect(en).toMatch(/Recipient +notifications/);
    expect(en).toMatch(/Simulated approvers: \d+ approved, \d+ rejected, \d+ did not act, \d+ came too late\n$/);
    const zh = explainSimulation(summary, { locale: "zh-CN" });
    expect(zh).toMatch(/^批量仿真 2026-03-02 至 2026-03-06\n实例：已启动 10 个，已结束 10 个，仍在运行 0 个/);
    expect(zh).toMatch(/（发起至结束）/);
  });
});
