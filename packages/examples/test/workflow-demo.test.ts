import { describe, expect, it } from "vitest";
import { runScenario } from "@ruleflow/engine";
import { loadScenario, runWorkflowDemo } from "../src/demo-workflow.js";

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
