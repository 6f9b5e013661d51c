import { describe, expect, it } from "vitest";
import { runScenario } from "@ruleflow/engine";
import { loadScenario, runKickoffDemo, runWorkflowDemo } from "../src/demo-workflow.js";

describe("the customer-qualification scenario", () => {
  it("passes every expectation and escalates on business time across the Spring Festival", async () => {
    const lines: string[] = [];
    const report = await runWorkflowDemo((l) => lines.push(l));
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
    // 3 business hours after 09:00 Thursday is 12:00; 3 more is 16:30 (lunch 12:00-13:30 excluded)
    expect(report.timers.filter((t) => t.instance === "q1").map((t) => t.at)).toEqual([
      "2026-02-12T04:00:00.000Z",
      "2026-02-12T08:30:00.000Z",
      // 2 business days after Thursday 16:30: Friday, then Saturday 14 Feb, a make-up workday
      "2026-02-14T08:30:00.000Z",
    ]);
    expect(report.instances["q1"]).toMatchObject({ status: "completed", outcome: "rejected" });
    expect(report.instances["q2"]).toMatchObject({ status: "completed", outcome: "approved" });
    expect(lines.join("\n")).toContain("approval-escalated");
  });

  it("gives byte-identical reports on two runs", async () => {
    const { scenario, definitions } = loadScenario("qualification-sla");
    const a = JSON.stringify(await runScenario(scenario, definitions));
    const b = JSON.stringify(await runScenario(scenario, definitions));
    expect(a).toBe(b);
  });
});

describe("the contract kick-off scenario", () => {
  it("starts one instance per signed contract, retries the pack with backoff and escalates the late visit across the holiday", async () => {
    const report = await runKickoffDemo(() => undefined);
    expect(report.failures).toEqual([]);
    const instances = Object.values(report.instances);
    expect(instances).toHaveLength(2);
    expect(instances.every((i) => i.status === "completed" && i.outcome === "kicked-off")).toBe(true);
    const late = instances[1]!.id;
    // two failures: retries 5 and then 10 minutes later (exponential backoff)
    expect(report.timers.filter((t) => t.key === "task:delivery-pack" && t.instance === late).map((t) => t.at)).toEqual([
      "2026-02-13T02:05:00.000Z",
      "2026-02-13T02:15:00.000Z",
    ]);
    // P2D business from Friday 13 Feb 10:00: Saturday 14 (make-up day), then Tuesday 24 after the Spring Festival
    expect(report.notifications.filter((n) => n.instance === late).map((n) => [n.at, n.template])).toEqual([
      ["2026-02-24T02:00:00.000Z", "visit-reminder"],
      ["2026-02-26T02:00:00.000Z", "visit-escalated"],
      ["2026-02-27T02:00:00.000Z", "visit-overdue"],
      ["2026-02-27T02:00:00.000Z", "kickoff-complete"],
    ]);
  });
});
