/**
 * `<rf-rollout-editor>`: the split, ramp and effect-axis layout (property
 * tests), then the component in Chromium with the example pilot and the
 * engine's report on the example events: renders, valid and invalid edits,
 * keyboard, axe, zh-CN, readonly, screenshots.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { compileRollout, validateDefinition, type RolloutDefinition } from "@ruleflow/engine";
import { analyzeRollout, parseRolloutEventLines, type RolloutReport } from "@ruleflow/engine/rollouts";
import { addDays, EFFECT_BOX, effectAxis, instantOf, rampGeometry, splitShares } from "../src/components/rollout-editor/geometry.js";
import {
  browserSkipReason,
  browserSuiteTitle,
  exampleDefinition,
  launchBrowser,
  openPage,
  REPO_ROOT,
  saveScreenshot,
  seriousA11yViolations,
  servePages,
  type PageServer,
} from "./browser.js";

const EXAMPLES = ["renewal-incentive-pilot.rollout.json"];

describe("rollout layout", () => {
  it("shares are non-negative, proportional to the weights and sum to 1 (or are all 0 without a positive weight)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: 0, max: 1000, noNaN: true }), fc.constant(-1), fc.constant(Number.NaN)), { maxLength: 6 }), (ws) => {
        const shares = splitShares(ws);
        expect(shares).toHaveLength(ws.length);
        expect(shares.every((s) => s >= 0 && s <= 1)).toBe(true);
        const sum = shares.reduce((a, b) => a + b, 0);
        if (ws.some((w) => w > 0)) expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
        else expect(sum).toBe(0);
        ws.forEach((w, i) => {
          if (!(w > 0)) expect(shares[i]).toBe(0);
        });
      }),
    );
  });

  const stepArb = fc.record({ day: fc.integer({ min: 0, max: 400 }), percent: fc.integer({ min: 0, max: 100 }) });
  const at = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 19) + "+08:00";

  it("the ramp's step line never goes back in time, stays within 0-100%, starts at 0% and ends at the last step's percent", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 6 }), (raw) => {
        const steps = raw.map((s) => ({ at: at(s.day), percent: s.percent }));
        const g = rampGeometry(steps)!;
        const pts = g.points.split(" ").map((p) => p.split(",").map(Number) as [number, number]);
        for (let i = 1; i < pts.length; i++) expect(pts[i]![0] >= pts[i - 1]![0] - 1e-9).toBe(true);
        const bottom = 158 - 34;
        const top = 18;
        for (const [, y] of pts) expect(y >= top - 1e-6 && y <= bottom + 1e-6).toBe(true);
        expect(pts[0]![1]).toBeCloseTo(bottom);
        const sorted = [...steps].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
        expect(pts[pts.length - 1]![1]).toBeCloseTo(bottom - (sorted[sorted.length - 1]!.percent / 100) * (bottom - top));
        expect(g.steps).toHaveLength(steps.length);
      }),
    );
  });

  it("a ramp with an unreadable time or an out-of-range percent is not drawn", () => {
    expect(rampGeometry([{ at: "2026-03-01", percent: 10 }])).toBeUndefined();
    expect(rampGeometry([{ at: "2026-03-01T00:00:00+08:00", percent: 150 }])).toBeUndefined();
  });

  it("addDays keeps the offset and moves by whole days", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 60 }), fc.constantFrom("+08:00", "Z", "-05:30"), (day, days, off) => {
        const start = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString().slice(0, 19) + off;
        const next = addDays(start, days)!;
        expect(next.endsWith(off)).toBe(true);
        expect(instantOf(next)! - instantOf(start)!).toBe(days * 86_400_000);
      }),
    );
  });

  it("the effect axis contains 0 and every interval, with ticks at its ends", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true })),
          { maxLength: 5 },
        ),
        (raw) => {
          const rows = raw.map(([e, a, b]) => ({ estimate: e, ci: [e - a, e + b] as [number, number] }));
          const axis = effectAxis(rows);
          expect(axis.min <= 0 && axis.max >= 0).toBe(true);
          for (const r of rows) expect(axis.min <= r.ci[0] + 1e-9 && axis.max >= r.ci[1] - 1e-9).toBe(true);
          expect(axis.ticks[0]).toBeCloseTo(axis.min);
          expect(axis.ticks[axis.ticks.length - 1]).toBeCloseTo(axis.max);
          expect(axis.x(axis.min)).toBeCloseTo(EFFECT_BOX.left);
          expect(axis.x(axis.max)).toBeCloseTo(EFFECT_BOX.width - EFFECT_BOX.right);
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------

function exampleReport(): RolloutReport {
  const doc = exampleDefinition("renewal-incentive-pilot.rollout.json") as unknown as RolloutDefinition;
  const { events } = parseRolloutEventLines(readFileSync(join(REPO_ROOT, "packages", "examples", "data", "renewal-pilot.events.jsonl"), "utf8"));
  return analyzeRollout(compileRollout(doc), events);
}

const PAGE = `
import "../src/components/rollout-editor.js";
const w = window as any;
w.__changes = [];
document.querySelector("rf-rollout-editor")!.addEventListener("change", (e: any) => w.__changes.push(e.detail));
w.__ready = true;
`;

type Change = { definition: Record<string, unknown>; issues: { path: (string | number)[]; message: string }[] };

async function setDefinition(page: Page, doc: unknown, attrs: { locale?: string; readonly?: boolean; report?: unknown } = {}): Promise<void> {
  await page.evaluate(
    async ([d, a]) => {
      const el = document.querySelector("rf-rollout-editor") as HTMLElement & { definition: unknown; report: unknown; locale: string; readonly: boolean; updateComplete: Promise<unknown> };
      el.definition = d;
      el.report = a.report;
      el.locale = a.locale ?? "en";
      el.readonly = a.readonly ?? false;
      (window as unknown as { __changes: unknown[] }).__changes = [];
      await el.updateComplete;
    },
    [doc, attrs] as const,
  );
}
const changes = (page: Page): Promise<Change[]> => page.evaluate(() => (window as unknown as { __changes: Change[] }).__changes);

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("<rf-rollout-editor> in Chromium"), () => {
  let browser: Browser;
  let server: PageServer;
  let page: Page;
  let errors: string[];
  let report: RolloutReport;
  const editor = () => page.locator("rf-rollout-editor");

  beforeAll(async () => {
    report = exampleReport();
    browser = await launchBrowser();
    server = await servePages();
    ({ page, errors } = await openPage(browser, server, { body: "<rf-rollout-editor></rf-rollout-editor>", script: PAGE, viewport: { width: 1180, height: 900 } }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.each(EXAMPLES)("renders %s: variants, the split bar, the ramp chart, targeting; no issues", async (file) => {
    const doc = exampleDefinition(file) as { variants: { id: string; weight: number }[]; ramp: { at: string; percent: number }[] };
    await setDefinition(page, doc);
    for (const [i, v] of doc.variants.entries()) {
      expect(await editor().getByLabel(`Id of variant ${i + 1}`).inputValue()).toBe(v.id);
      expect(await editor().getByLabel(`Weight of variant ${i + 1}`).inputValue()).toBe(String(v.weight));
    }
    expect(await editor().getByRole("img", { name: /Split of units between variants: control: 50.0%, treatment: 50.0%, backup: 0.0%/ }).count()).toBe(1);
    expect(await editor().locator(".bar .seg").allTextContents()).toEqual(["control 50%", "treatment 50%"]);
    for (const [i, s] of doc.ramp.entries()) expect(await editor().getByLabel(`Time of step ${i + 1}`).inputValue()).toBe(s.at);
    expect(await editor().locator("svg circle.step-dot").count()).toBe(3);
    expect(await editor().getByRole("note", { name: "Targeting" }).textContent()).toContain("pilot campuses");
    expect(await editor().locator(".rf-issue").count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("shows the engine's report: the recommendation and each comparison's interval, as a chart and as a table", async () => {
    await setDefinition(page, exampleDefinition("renewal-incentive-pilot.rollout.json"), { report });
    expect(await editor().locator(".rec").textContent()).toContain(report.recommendation.summary);
    const comparisons = report.metrics.flatMap((m) => m.comparisons);
    expect(comparisons.length).toBe(3);
    expect(await editor().locator("svg circle.dot").count()).toBe(3);
    // primary: significant and better, drawn in the pass colour
    expect(await editor().locator("svg circle.dot.better").count()).toBe(2);
    expect(await editor().locator("svg circle.dot.neutral").count()).toBe(1);
    const rows = await editor().locator("table.report-table tbody tr").allTextContents();
    const renewed = report.metrics[0]!.comparisons[0]!;
    const fmt = (v: number) => new Intl.NumberFormat("en", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(v);
    expect(rows[0]).toContain("renewed");
    expect(rows[0]).toContain(fmt(renewed.relative!.estimate));
    expect(rows[0]).toContain(`${fmt(renewed.relative!.ci[0])} … ${fmt(renewed.relative!.ci[1])}`);
    expect(rows[0]).toContain("29.6% (298/1006)");
    // the interval's ends sit where the axis puts them
    const lines = await editor().locator("svg line.ci").first().evaluate((l) => [Number(l.getAttribute("x1")), Number(l.getAttribute("x2"))]);
    const axis = effectAxis(comparisons.map((c) => ({ estimate: c.relative!.estimate, ci: c.relative!.ci })));
    expect(lines[0]).toBeCloseTo(axis.x(renewed.relative!.ci[0]), 3);
    expect(lines[1]).toBeCloseTo(axis.x(renewed.relative!.ci[1]), 3);
  });

  it("editing a weight emits a valid document and redraws the split", async () => {
    await setDefinition(page, exampleDefinition("renewal-incentive-pilot.rollout.json"));
    const w = editor().getByLabel("Weight of variant 2");
    await w.fill("150");
    await w.press("Enter");
    const list = await changes(page);
    expect(list).toHaveLength(1);
    expect((list[0]!.definition as { variants: { weight: number }[] }).variants[1]!.weight).toBe(150);
    expect(validateDefinition(list[0]!.definition).ok).toBe(true);
    expect(await editor().locator(".bar .seg").allTextContents()).toEqual(["control 25%", "treatment 75%"]);
  });

  it("adding a ramp step and a variant emit valid documents", async () => {
    await setDefinition(page, exampleDefinition("renewal-incentive-pilot.rollout.json"));
    await editor().getByRole("button", { name: "Add step" }).click();
    await editor().getByRole("button", { name: "Add variant" }).click();
    const list = await changes(page);
    const ramp = (list[0]!.definition as { ramp: { at: string; percent: number }[] }).ramp;
    expect(ramp[3]).toEqual({ at: "2026-03-22T00:00:00+08:00", percent: 100 });
    expect(validateDefinition(list[0]!.definition).ok).toBe(true);
    const variants = (list[1]!.definition as { variants: { id: string }[] }).variants;
    expect(variants[3]).toEqual({ id: "variant-4", weight: 0, value: null });
    expect(validateDefinition(list[1]!.definition).ok).toBe(true);
  });

  it("weights that do not split (all 0) show the engine's issue at variants, under the variants table", async () => {
    const doc = exampleDefinition("renewal-incentive-pilot.rollout.json") as { variants: { weight: number }[] };
    doc.variants[0]!.weight = 0;
    await setDefinition(page, doc);
    const w = editor().getByLabel("Weight of variant 2");
    await w.fill("0");
    await w.press("Tab");
    const list = await changes(page);
    expect(list[0]!.issues.map((i) => i.path)).toEqual([["variants"]]);
    const message = editor().locator('.rf-issue[data-path="variants"]');
    expect(await message.textContent()).toBe("at least one variant needs a weight above 0");
    expect(await editor().locator("fieldset").filter({ hasText: "Variants" }).locator('.rf-issue[data-path="variants"]').count()).toBe(1);
    expect(await editor().locator("table").first().getAttribute("aria-describedby")).toBe(await message.getAttribute("id"));
    expect(await editor().getByText("No variant has a weight above 0.").count()).toBe(1);
  });

  it("a negative weight and a ramp percent over 100 show the engine's messages at their inputs", async () => {
    await setDefinition(page, exampleDefinition("renewal-incentive-pilot.rollout.json"));
    const w = editor().getByLabel("Weight of variant 1");
    await w.fill("-1");
    await w.press("Tab");
    const p = editor().getByLabel("Percent of step 2");
    await p.fill("150");
    await p.press("Tab");
    const list = await changes(page);
    expect(list[1]!.issues.map((i) => i.path)).toEqual([
      ["variants", 0, "weight"],
      ["ramp", 1, "percent"],
    ]);
    expect(await editor().locator('.rf-issue[data-path="variants[0].weight"]').textContent()).toBe("expected a weight >= 0, got -1");
    expect(await editor().locator('.rf-issue[data-path="ramp[1].percent"]').textContent()).toBe("expected a ramp percent from 0 to 100, got 150");
    expect(await w.getAttribute("aria-invalid")).toBe("true");
    expect(await p.getAttribute("aria-invalid")).toBe("true");
    expect(await editor().getByText("Fix the steps to see the chart.").count()).toBe(1);
  });

  it("works by keyboard: Tab to a weight, type, Enter; Space moves a variant and the focus follows", async () => {
    await setDefinition(page, exampleDefinition("renewal-incentive-pilot.rollout.json"));
    await editor().getByLabel("Label of variant 1").focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("60");
    await page.keyboard.press("Enter");
    // weight -> (move up disabled) move down
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    const list = await changes(page);
    const last = list[list.length - 1]!.definition as { variants: { id: string; weight: number }[] };
    expect(last.variants.map((v) => v.id)).toEqual(["treatment", "control", "backup"]);
    expect(last.variants[1]!.weight).toBe(60);
    const focused = await page.evaluate(() => document.querySelector("rf-rollout-editor")!.shadowRoot!.activeElement?.getAttribute("aria-label"));
    expect(focused).toBe("Move variant 2 down");
  });

  it("has no serious axe violations, with the report and with issues shown", async () => {
    await setDefinition(page, exampleDefinition("renewal-incentive-pilot.rollout.json"), { report });
    expect(await seriousA11yViolations(page, "rf-rollout-editor")).toEqual([]);
    const doc = exampleDefinition("renewal-incentive-pilot.rollout.json") as { variants: { weight: number }[] };
    doc.variants[0]!.weight = -2;
    await setDefinition(page, doc);
    expect(await seriousA11yViolations(page, "rf-rollout-editor")).toEqual([]);
  });

  it("readonly disables every control and dispatches nothing", async () => {
    await setDefinition(page, exampleDefinition("renewal-incentive-pilot.rollout.json"), { readonly: true, report });
    expect(await editor().locator("input:enabled, select:enabled, button:enabled").count()).toBe(0);
    expect(await changes(page)).toEqual([]);
  });

  it("zh-CN: Chinese labels and issues; screenshots in both locales", async () => {
    await setDefinition(page, exampleDefinition("renewal-incentive-pilot.rollout.json"), { report });
    await saveScreenshot(editor(), "rollout-editor-en");
    await setDefinition(page, exampleDefinition("renewal-incentive-pilot.rollout.json"), { report, locale: "zh-CN" });
    expect(await editor().getByLabel("方案 2 的权重").inputValue()).toBe("50");
    expect(await editor().getByRole("button", { name: "添加一步" }).count()).toBe(1);
    expect(await editor().locator("#report-heading").textContent()).toBe("实验报告");
    await saveScreenshot(editor(), "rollout-editor-zh-CN");
    const doc = exampleDefinition("renewal-incentive-pilot.rollout.json") as { ramp: { percent: number }[] };
    doc.ramp[1]!.percent = 150;
    await setDefinition(page, doc, { locale: "zh-CN" });
    expect(await editor().locator('.rf-issue[data-path="ramp[1].percent"]').textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(errors).toEqual([]);
  });
});
