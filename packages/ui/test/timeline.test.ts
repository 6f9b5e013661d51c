/**
 * `<rf-timeline>`: the time axis (property tests in node: monotonic; business
 * time gives non-working time no width), the report model (timers told from
 * SLA breaches by the workflow's ladder), and the element in Chromium over
 * the real `runScenario` reports of every example scenario: each
 * notification at its time label, lanes per instance and per recipient,
 * business scale across the Spring Festival, axe, zh-CN.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { runScenario, type ScenarioReport } from "@ruleflow/engine";
import { getBuiltinCalendar } from "@ruleflow/engine/calendar";
import { ticks, timeAxis, timeLabel } from "../src/components/timeline/axis.js";
import { byRecipient, calendarFor, eventsOf } from "../src/components/timeline/model.js";
import { REPO_ROOT, browserSkipReason, browserSuiteTitle, launchBrowser, openPage, saveScreenshot, seriousA11yViolations, servePages, type PageServer } from "./browser.js";

const EXAMPLES = join(REPO_ROOT, "packages", "examples");
const SCENARIOS = readdirSync(join(EXAMPLES, "scenarios")).filter((f) => f.endsWith(".scenario.json")).sort();
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

/** An example scenario and the definitions it names, with `edit` applied to the definitions. */
function scenario(file: string, edit: (defs: Record<string, unknown>[]) => void = () => {}): { scenario: Record<string, unknown>; definitions: Record<string, unknown>[] } {
  const s = readJson(join(EXAMPLES, "scenarios", file));
  const definitions = (s.definitions as string[]).map((p) => readJson(join(EXAMPLES, "scenarios", p)));
  edit(definitions);
  return { scenario: s, definitions };
}

const cn = getBuiltinCalendar("cn-mainland");
const ZONE = "Asia/Shanghai";
const at = (local: string): number => Date.parse(`${local}+08:00`);

describe("timeline axis", () => {
  const range = fc.tuple(fc.integer({ min: at("2026-01-01T00:00:00"), max: at("2026-11-15T00:00:00") }), fc.integer({ min: 1, max: 40 * 86_400_000 }));

  it("maps time monotonically onto [x0, x0 + width], both scales", () => {
    fc.assert(
      fc.property(range, fc.constantFrom("calendar", "business" as const), fc.array(fc.double({ min: -0.2, max: 1.2, noNaN: true }), { minLength: 2, maxLength: 12 }), ([start, span], scale, fractions) => {
        const axis = timeAxis(scale, start, start + span, 100, 800, cn);
        const times = fractions.map((f) => start + Math.round(f * span)).sort((a, b) => a - b);
        const xs = times.map((ms) => axis.x(ms));
        for (let i = 1; i < xs.length; i++) expect(xs[i]!).toBeGreaterThanOrEqual(xs[i - 1]! - 1e-9);
        for (const x of xs) expect(x >= 100 - 1e-9 && x <= 900 + 1e-9).toBe(true);
        expect(axis.x(start)).toBe(100);
        if (scale === "calendar" || cn.businessTimeBetween(start, start + span) > 0) expect(axis.x(start + span)).toBeCloseTo(900, 6);
      }),
    );
  });

  it("business time: an interval with no working time has no width; one with working time has width in proportion to it", () => {
    fc.assert(
      fc.property(range, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), ([start, span], f1, f2) => {
        const axis = timeAxis("business", start, start + span, 0, 1000, cn);
        const a = start + Math.round(Math.min(f1, f2) * span);
        const b = start + Math.round(Math.max(f1, f2) * span);
        const work = cn.businessTimeBetween(a, b);
        const total = cn.businessTimeBetween(start, start + span);
        if (work === 0) expect(axis.x(b) - axis.x(a)).toBeCloseTo(0, 9);
        else expect(axis.x(b) - axis.x(a)).toBeCloseTo((1000 * work) / total, 6);
      }),
    );
    // the whole Spring Festival holiday (15-23 February 2026) is one point
    const axis = timeAxis("business", at("2026-02-12T09:00:00"), at("2026-02-27T18:00:00"), 0, 1000, cn);
    expect(axis.x(at("2026-02-15T00:00:00"))).toBeCloseTo(axis.x(at("2026-02-23T23:59:00")), 9);
    expect(axis.x(at("2026-02-24T10:00:00"))).toBeGreaterThan(axis.x(at("2026-02-24T09:00:00")));
  });

  it("ticks are in order, inside the range, and apart; business ticks fall on working days", () => {
    fc.assert(
      fc.property(range, fc.constantFrom("calendar", "business" as const), ([start, span], scale) => {
        const axis = timeAxis(scale, start, start + span, 0, 900, cn);
        const tks = ticks(axis, ZONE, cn, 40);
        for (let i = 0; i < tks.length; i++) {
          expect(tks[i]!.ms >= axis.start && tks[i]!.ms <= axis.end).toBe(true);
          if (i) expect(axis.x(tks[i]!.ms) - axis.x(tks[i - 1]!.ms)).toBeGreaterThanOrEqual(40);
          if (scale === "business") expect(cn.isWorkday(tks[i]!.ms)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("time labels are local", () => {
    expect(timeLabel(Date.parse("2026-02-12T04:00:00Z"), ZONE)).toBe("2026-02-12 12:00");
  });
});

describe("timeline model", () => {
  it("reads the qualification report: reminders are timers, escalations and auto-rejects SLA breaches", async () => {
    const { scenario: s, definitions } = scenario("qualification-sla.scenario.json");
    const report = await runScenario(s, definitions);
    const events = eventsOf(report, definitions);
    const q1 = events.filter((e) => e.instance === "q1" && e.kind !== "notification").map((e) => [timeLabel(e.at, ZONE), e.kind, e.action]);
    expect(q1).toEqual([
      ["2026-02-12 12:00", "timer", "remind"],
      ["2026-02-12 16:30", "breach", "escalate"],
      ["2026-02-14 16:30", "breach", "auto-reject"],
    ]);
    expect(calendarFor(report, definitions)?.id).toBe("cn-mainland");
    expect(calendarFor(report, [])).toBeUndefined();
    const boss = byRecipient(events).get("user:boss")!;
    expect(boss.map((e) => e.name)).toEqual(["approval-escalated"]);
    // every notification is under each of its recipients
    for (const n of report.notifications) for (const r of n.recipients) expect(byRecipient(events).get(r)!.some((e) => e.name === n.template && e.at === Date.parse(n.at))).toBe(true);
  });
});

type Reports = Record<string, { report: ScenarioReport; definitions: unknown[] }>;

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("<rf-timeline> in Chromium"), () => {
  let browser: Browser;
  let server: PageServer;
  let page: Page;
  let errors: string[];
  const reports: Reports = {};
  const show = (name: string, props: Record<string, unknown> = {}) =>
    page.evaluate(
      async ([n, p]) => {
        const w = window as unknown as { __reports: Reports };
        const el = document.querySelector("rf-timeline") as unknown as HTMLElement & { updateComplete: Promise<unknown> };
        Object.assign(el, { scale: "calendar", locale: "en", calendar: undefined, timeZone: undefined, definitions: w.__reports[n]!.definitions, report: w.__reports[n]!.report }, p);
        await el.updateComplete;
      },
      [name, props] as const,
    );
  const rows = (selector: string) => page.locator(`rf-timeline ${selector}`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())));

  beforeAll(async () => {
    for (const file of SCENARIOS) {
      const { scenario: s, definitions } = scenario(file);
      // business scenarios name their order and event files relative to the scenario, as ruleflow simulate reads them
      const readFile = (path: string) => readFileSync(join(EXAMPLES, "scenarios", path), "utf8");
      reports[file] = { report: await runScenario(s, definitions, { readFile }), definitions };
    }
    // the studio's edit: the first escalation of the qualification PT3H -> PT2H
    const edited = scenario("qualification-sla.scenario.json", (defs) => {
      const wf = defs.find((d) => d.id === "customer-qualification") as { nodes: { countersign: { escalation: { after: string }[] } } };
      wf.nodes.countersign.escalation[0]!.after = "PT2H";
    });
    reports["qualification-pt2h"] = { report: await runScenario(edited.scenario, edited.definitions), definitions: edited.definitions };
    browser = await launchBrowser();
    server = await servePages();
    ({ page, errors } = await openPage(browser, server, {
      body: "<rf-timeline></rf-timeline>",
      script: `import "../src/components/timeline.js"; window.__reports = ${JSON.stringify(reports)}; window.__ready = true;`,
      viewport: { width: 1100, height: 900 },
    }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows every notification of every example scenario at its time, in the events table and by recipient", async () => {
    for (const file of SCENARIOS) {
      await show(file);
      const { report } = reports[file]!;
      const table = await rows("table.events tr[data-kind=notification]");
      expect(table.length, file).toBe(report.notifications.length);
      report.notifications.forEach((n, i) => {
        expect(table[i]!.slice(0, 2), `${file} #${i}`).toEqual([timeLabel(Date.parse(n.at), ZONE), n.instance]);
        expect(table[i]![3]).toContain(n.template);
      });
      // one lane per instance, one per recipient, a marker per event
      const lanes = await page.locator("rf-timeline g.lane[data-kind=instance]").count();
      expect(lanes).toBe(new Set([...Object.keys(report.instances), ...report.notifications.map((n) => n.instance)]).size);
      const recipients = new Set(report.notifications.flatMap((n) => n.recipients));
      expect(await page.locator("rf-timeline g.lane[data-kind=recipient]").count()).toBe(recipients.size);
      for (const r of recipients) {
        const mine = report.notifications.filter((n) => n.recipients.includes(r));
        const cells = await rows(`table.by-recipient tbody[data-recipient="${r}"] tr`);
        expect(cells.filter((c) => c.length).map((c) => [c[0], c[2]])).toEqual(mine.map((n) => [timeLabel(Date.parse(n.at), ZONE), n.template]));
      }
      expect(await page.locator("rf-timeline g.lane[data-kind=instance] g.marker").count()).toBe(report.notifications.length + report.timers.length);
    }
    expect(errors).toEqual([]);
  });

  it("the qualification scenario: the reminder three business hours after the 09:00 start, the escalation and auto-reject as SLA breaches", async () => {
    await show("qualification-sla.scenario.json");
    const table = await rows("table.events tr");
    expect(table).toContainEqual(["2026-02-12 12:00", "q1", "notification", "approval-reminder to assignees (user:chen, user:lu)"]);
    expect(table).toContainEqual(["2026-02-12 16:30", "q1", "SLA breach", "esc:countersign: escalated"]);
    expect(table).toContainEqual(["2026-02-14 16:30", "q1", "SLA breach", "esc:countersign: auto-rejected"]);
    await saveScreenshot(page.locator("rf-timeline"), "timeline-en");
    expect(await seriousA11yViolations(page, "rf-timeline")).toEqual([]);
    // with the first escalation at PT2H the reminder comes two business hours after the start
    await show("qualification-pt2h");
    // (at 11:00 nobody has approved yet: the scenario's approvals come at that same time, after the reminder)
    expect(await rows("table.events tr")).toContainEqual(["2026-02-12 11:00", "q1", "notification", "approval-reminder to assignees (user:ma, user:chen, user:lu)"]);
    expect(errors).toEqual([]);
  });

  it("business scale compresses the Spring Festival; without a calendar it says so and shows calendar time", async () => {
    const xOf = (at: string, template: string) =>
      page.locator(`rf-timeline g.lane[data-kind=instance] g.marker[data-at="${at}"]`).evaluateAll(
        (ms, tpl) => ms.filter((m) => m.querySelector("title")!.textContent.includes(tpl)).map((m) => Number(m.querySelector("circle")!.getAttribute("cx")))[0]!,
        template,
      );
    await show("contract-kickoff.scenario.json");
    const calendarGap = (await xOf("2026-02-24T02:00:00.000Z", "visit-reminder")) - (await xOf("2026-02-13T03:00:00.000Z", "kickoff-complete"));
    await page.locator("rf-timeline").getByRole("button", { name: "Business time" }).click();
    await expect(page.locator("rf-timeline").getAttribute("scale")).resolves.toBe("business");
    await expect(page.locator("rf-timeline .note").textContent()).resolves.toContain("cn-mainland");
    const businessGap = (await xOf("2026-02-24T02:00:00.000Z", "visit-reminder")) - (await xOf("2026-02-13T03:00:00.000Z", "kickoff-complete"));
    // 11 calendar days (with the 9-day holiday) against 2 working days (+ the Saturday worked before it)
    expect(businessGap).toBeLessThan(calendarGap / 2);
    await saveScreenshot(page.locator("rf-timeline"), "timeline-business-en");
    expect(await seriousA11yViolations(page, "rf-timeline")).toEqual([]);
    await show("contract-kickoff.scenario.json", { scale: "business", definitions: [] });
    await expect(page.locator("rf-timeline .note[role=status]").textContent()).resolves.toContain("showing calendar time");
    await expect(page.locator("rf-timeline").getByRole("button", { name: "Business time" }).isDisabled()).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it("zh-CN", async () => {
    await show("qualification-sla.scenario.json", { locale: "zh-CN", scale: "business" });
    const text = await page.locator("rf-timeline").evaluate((el) => el.shadowRoot!.textContent ?? "");
    expect(text).toContain("按收件人分组的通知");
    expect(text).toContain("SLA 超时");
    expect(text).toContain("工作时间");
    expect(await rows("table.events tr")).toContainEqual(["2026-02-12 16:30", "q1", "SLA 超时", "esc:countersign：已升级"]);
    await saveScreenshot(page.locator("rf-timeline"), "timeline-zh-CN");
    expect(await seriousA11yViolations(page, "rf-timeline")).toEqual([]);
    expect(errors).toEqual([]);
  });
});
