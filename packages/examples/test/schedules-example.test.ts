/**
 * The scheduled-trigger example: the weekly pipeline review and the monthly
 * receivables check, simulated across the 2026 Spring Festival and Qingming
 * on the virtual clock (scenarios/business-schedules.scenario.json).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runScenario } from "@ruleflow/engine";
import { compileRecurrence } from "@ruleflow/engine/calendar";
import { loadScenario } from "../src/demo-workflow.js";

const docs = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs");

describe("the business-schedules scenario", () => {
  it("starts the review every working Friday and the check on the 5th or the next working day", async () => {
    const { scenario, definitions } = loadScenario("business-schedules");
    const report = await runScenario(scenario, definitions);
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
    const local = (s: string): string => new Date(Date.parse(s) + 8 * 3_600_000).toISOString().slice(0, 16);
    expect(report.schedules.filter((s) => s.schedule === "pipeline-review/weekly").map((s) => local(s.occurrence!))).toEqual(
      ["02-06", "02-13", "02-27", "03-06", "03-13", "03-20", "03-27", "04-03"].map((d) => `2026-${d}T16:00`),
    );
    expect(report.schedules.filter((s) => s.schedule === "receivables-check/monthly").map((s) => s.instance)).toEqual([
      "receivables-check/monthly@2026-02-05T09:00",
      "receivables-check/monthly@2026-03-05T09:00",
      "receivables-check/monthly@2026-04-07T09:00",
    ]);
    // each started at its occurrence, on the virtual clock
    expect(report.schedules.every((s) => s.at === s.occurrence)).toBe(true);
    expect(report.instances["receivables-check/monthly@2026-04-07T09:00"]).toMatchObject({ status: "completed", outcome: "checked" });
    expect(report.notifications.filter((n) => n.template === "receivables-overdue-list").map((n) => n.at)).toEqual([
      // the ERP times out once per run: the retry 10 minutes later succeeds
      "2026-02-05T01:10:00.000Z",
      "2026-03-05T01:10:00.000Z",
      "2026-04-07T01:10:00.000Z",
    ]);
  });

  it("gives byte-identical reports on two runs", async () => {
    const { scenario, definitions } = loadScenario("business-schedules");
    expect(JSON.stringify(await runScenario(scenario, definitions))).toBe(JSON.stringify(await runScenario(scenario, definitions)));
  });

  it("a schedule that runs past its calendar's data fails the scenario with the reason", async () => {
    const { scenario, definitions } = loadScenario("business-schedules");
    const late = { ...scenario, start: "2026-12-01T00:00:00+08:00", steps: [{ advanceTo: "2027-01-15T00:00:00+08:00" }] };
    const report = await runScenario(late, definitions);
    expect(report.passed).toBe(false);
    expect(report.failures.map((f) => f.message).join("\n")).toContain('has no holiday data for 2027');
    expect(report.schedules.filter((s) => s.error !== undefined).map((s) => s.schedule).sort()).toEqual(["pipeline-review/weekly", "receivables-check/monthly"]);
  });

  it("the upcoming occurrences a host can show match the definition", () => {
    const monthly = compileRecurrence({ every: "month", day: 5, at: "09:00", calendar: "cn-mainland", ifNotWorkday: "next" });
    expect(monthly.upcoming(Date.parse("2026-09-01T00:00:00+08:00"), 3).map((t) => monthly.localTime(t))).toEqual(["2026-09-07T09:00", "2026-10-08T09:00", "2026-11-05T09:00"]);
  });

  it("the scenario in docs/simulation.md's Scheduled triggers section passes, and docs/schedules.md's preview is what the code gives", async () => {
    const page = readFileSync(join(docs, "simulation.md"), "utf8");
    const section = page.slice(page.indexOf("\n## Scheduled triggers\n"));
    const scenario = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!) as unknown;
    const { definitions } = loadScenario("business-schedules");
    const report = await runScenario(scenario, definitions);
    expect(report.failures).toEqual([]);
    const schedules = readFileSync(join(docs, "schedules.md"), "utf8");
    expect(schedules).toContain('// ["2026-09-07T09:00", "2026-10-08T09:00", "2026-11-05T09:00"]');
  });
});
