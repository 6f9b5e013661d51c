/**
 * `<rf-workflow-diagram>`: the pure layout and geometry (property tests in
 * node: no two boxes overlap, every edge starts and ends on its nodes'
 * borders, text wraps within its width, arrow keys move the right way), the
 * overlay of a real instance, and the element in Chromium: every example
 * workflow with all its nodes, editing an escalation (valid and invalid),
 * the instance overlay, keyboard selection, axe, zh-CN, readonly.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createEngine, createMemoryStorage, createStaticDirectory, createVirtualClock, validateDefinition } from "@ruleflow/engine";
import { translator } from "../src/shared/i18n.js";
import { borderPointTowards, neighbourInDirection, onBorder, rectsOverlap, textWidth, wrapText, type Rect } from "../src/components/workflow-diagram/geometry.js";
import { layoutGraph, START_ID, START_SIZE, type DiagramLayout } from "../src/components/workflow-diagram/layout.js";
import { DIAGRAM_MESSAGES } from "../src/components/workflow-diagram/messages.js";
import { buildGraph, durationText, ladderLines, type DiagramGraph, type GraphNode } from "../src/components/workflow-diagram/model.js";
import { overlayOf } from "../src/components/workflow-diagram/overlay.js";
import { parseDuration } from "@ruleflow/engine/calendar";
import { REPO_ROOT, browserSkipReason, browserSuiteTitle, exampleDefinition, launchBrowser, openPage, saveScreenshot, seriousA11yViolations, servePages, type PageServer } from "./browser.js";

const t = translator(DIAGRAM_MESSAGES, "en");
const WORKFLOWS = readdirSync(join(REPO_ROOT, "packages", "examples", "definitions")).filter((f) => f.endsWith(".workflow.json")).sort();

/** Every box of a layout: the nodes and the start marker. */
function boxes(layout: DiagramLayout): { id: string; rect: Rect }[] {
  const out = layout.nodes.map((n) => ({ id: n.id, rect: { x: n.x, y: n.y, width: n.width, height: n.height } }));
  if (layout.start) out.push({ id: START_ID, rect: layout.start.rect });
  return out;
}

/** The layout invariants: boxes do not overlap, edges start and end on their nodes' borders, everything is inside the canvas. */
function checkLayout(graph: DiagramGraph, layout: DiagramLayout): void {
  const all = boxes(layout);
  expect(layout.nodes.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id));
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) expect(rectsOverlap(all[i]!.rect, all[j]!.rect), `${all[i]!.id} overlaps ${all[j]!.id}`).toBe(false);
    const r = all[i]!.rect;
    expect(r.x >= 0 && r.y >= 0 && r.x + r.width <= layout.width && r.y + r.height <= layout.height).toBe(true);
  }
  const rect = new Map(all.map((b) => [b.id, b.rect]));
  for (const e of layout.edges) {
    expect(e.points.length).toBeGreaterThanOrEqual(2);
    expect(onBorder(e.points[0]!, rect.get(e.from)!, 1), `${e.id} starts on ${e.from}'s border`).toBe(true);
    expect(onBorder(e.points.at(-1)!, rect.get(e.to)!, 1), `${e.id} ends on ${e.to}'s border`).toBe(true);
    // orthogonal: every segment is horizontal or vertical
    for (let k = 1; k < e.points.length; k++) {
      const a = e.points[k - 1]!;
      const b = e.points[k]!;
      expect(Math.abs(a.x - b.x) < 0.01 || Math.abs(a.y - b.y) < 0.01).toBe(true);
    }
  }
  if (layout.start) {
    expect(onBorder(layout.start.points[0]!, layout.start.rect, 1)).toBe(true);
    expect(onBorder(layout.start.points.at(-1)!, rect.get(graph.start!)!, 1)).toBe(true);
  }
}

describe("workflow diagram geometry", () => {
  it("wrapped lines fit the width (unless one character is wider) and keep every character", () => {
    const text = fc.array(fc.oneof(fc.constantFrom("a", "W", " ", "审", "批", "-", ":", "1"), fc.string({ maxLength: 3 })), { maxLength: 60 }).map((a) => a.join(""));
    fc.assert(
      fc.property(text, fc.integer({ min: 20, max: 300 }), (s, max) => {
        const lines = wrapText(s, 12, max);
        for (const l of lines) {
          expect(l.length).toBeGreaterThan(0);
          if ([...l].length > 1) expect(textWidth(l, 12)).toBeLessThanOrEqual(max);
        }
        expect(lines.join("").replace(/\s/g, "")).toBe(s.replace(/\s/g, ""));
      }),
    );
  });

  const rect = fc.record({ x: fc.integer({ min: -500, max: 500 }), y: fc.integer({ min: -500, max: 500 }), width: fc.integer({ min: 1, max: 300 }), height: fc.integer({ min: 1, max: 300 }) });

  it("overlap is symmetric and a rectangle overlaps itself", () => {
    fc.assert(
      fc.property(rect, rect, (a, b) => {
        expect(rectsOverlap(a, b)).toBe(rectsOverlap(b, a));
        expect(rectsOverlap(a, a)).toBe(true);
        // touching side by side is not overlapping
        expect(rectsOverlap(a, { ...a, x: a.x + a.width })).toBe(false);
      }),
    );
  });

  it("the point towards any target lies on the rectangle's border", () => {
    fc.assert(
      fc.property(rect, fc.integer({ min: -900, max: 900 }), fc.integer({ min: -900, max: 900 }), (r, x, y) => {
        expect(onBorder(borderPointTowards(r, { x, y }), r, 1e-6)).toBe(true);
      }),
    );
  });

  it("an arrow key moves to a node whose centre lies that way, or nowhere when none does", () => {
    fc.assert(
      fc.property(rect, fc.array(rect, { maxLength: 8 }), fc.constantFrom("up", "down", "left", "right" as const), (from, others, dir) => {
        const keyed = others.map((r, i) => ({ key: i, rect: r }));
        const got = neighbourInDirection(from, keyed, dir);
        const c = (r: Rect) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });
        const ahead = (r: Rect) => {
          const d = { x: c(r).x - c(from).x, y: c(r).y - c(from).y };
          return dir === "down" ? d.y > 0 : dir === "up" ? d.y < 0 : dir === "right" ? d.x > 0 : d.x < 0;
        };
        if (got === undefined) expect(others.some(ahead)).toBe(false);
        else expect(ahead(others[got]!)).toBe(true);
      }),
    );
  });
});

describe("workflow diagram model and layout", () => {
  it("the escalation ladder counts each step from the previous one", () => {
    const doc = exampleDefinition("customer-qualification.workflow.json") as { nodes: { countersign: { escalation: unknown } } };
    expect(ladderLines(doc.nodes.countersign.escalation, t)).toEqual([
      "↳ PT3H (biz) remind",
      "↳ PT6H (biz) escalate to role:compliance-lead for role:compliance",
      "↳ P2DT6H (biz) auto-reject",
    ]);
    fc.assert(
      fc.property(fc.record({ days: fc.nat(9), hours: fc.nat(30), minutes: fc.nat(59) }), (d) => {
        const full = { years: 0, months: 0, weeks: 0, seconds: 0, ...d };
        expect(parseDuration(durationText(full))).toEqual(full);
      }),
    );
  });

  it("lays out every example workflow without overlaps, edges on the borders", async () => {
    for (const file of WORKFLOWS) {
      const graph = buildGraph(exampleDefinition(file), t);
      checkLayout(graph, await layoutGraph(graph));
    }
  });

  it("lays out any graph without overlaps, edges on the borders (property)", async () => {
    const graphArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
      fc.record({
        sizes: fc.array(fc.record({ width: fc.integer({ min: 40, max: 260 }), height: fc.integer({ min: 30, max: 160 }) }), { minLength: n, maxLength: n }),
        edges: fc.array(fc.record({ from: fc.nat(n - 1), to: fc.nat(n - 1), label: fc.constantFrom("", "approved", "decision = manual", "审批通过") }), { maxLength: 14 }),
        start: fc.option(fc.nat(n - 1), { nil: undefined }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(graphArb, async (g) => {
        const nodes: GraphNode[] = g.sizes.map((s, i) => ({ id: `n${i}`, type: "task", badge: "", title: [`n${i}`], lines: [], ...s }));
        const graph: DiagramGraph = {
          nodes,
          edges: g.edges.filter((e) => e.from !== e.to).map((e, i) => ({ id: `e${i}`, from: `n${e.from}`, to: `n${e.to}`, role: "next", label: e.label, path: [] })),
          start: g.start === undefined ? undefined : `n${g.start}`,
        };
        const layout = await layoutGraph(graph);
        checkLayout(graph, layout);
        if (layout.start) expect(layout.start.rect.width).toBe(START_SIZE);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it("the overlay of a real instance: the decision and the approval entered, the approval current, its timer due", async () => {
    const clock = createVirtualClock("2026-02-12T09:00:00+08:00");
    const storage = createMemoryStorage();
    const engine = createEngine({
      definitions: [exampleDefinition("customer-qualification.workflow.json"), exampleDefinition("contract-auto-approval.ruleset.json")],
      clock,
      storage,
      directory: createStaticDirectory({ roles: { marketing: ["user:ma"], compliance: ["user:chen"], legal: ["user:lu"] } }),
    });
    const v = await engine.start("customer-qualification", { input: { contract: { amount: 900000 }, customer: { name: "ACME", creditRating: "A" } }, initiator: "user:li" });
    const view = await engine.send(v.id, { type: "approve", actor: "user:ma" });
    const graph = buildGraph(exampleDefinition("customer-qualification.workflow.json"), t);
    const overlay = overlayOf(graph, { view, audit: await engine.audit(v.id), timers: storage.snapshot().timers, now: clock.now() });
    expect(Object.fromEntries(overlay.nodes)).toEqual({ "auto-check": "done", countersign: "current", approved: "untaken", rejected: "untaken" });
    const edge = (from: string, to: string) => overlay.edges.get(graph.edges.find((e) => e.from === from && e.to === to)!.id);
    expect(edge("auto-check", "countersign")).toBe("done");
    expect(edge("auto-check", "approved")).toBe("untaken");
    expect(edge("countersign", "approved")).toBe("untaken");
    // 09:00 Thursday + 3 business hours: due at 12:00 (the end of the morning's working span)
    expect(overlay.timers).toEqual([{ node: "countersign", kind: "esc", step: 0, dueAt: Date.parse("2026-02-12T12:00:00+08:00") }]);
    await engine.close();
  });
});

const PAGE = `
import "../src/components/workflow-diagram.js";
import { createEngine, createMemoryStorage, createStaticDirectory, createVirtualClock } from "@ruleflow/engine";
const defs = ${JSON.stringify(Object.fromEntries([...WORKFLOWS, "contract-auto-approval.ruleset.json"].map((f) => [f, JSON.parse(readFileSync(join(REPO_ROOT, "packages", "examples", "definitions", f), "utf8"))])))};
window.__defs = defs;
window.__changes = [];
window.__selects = [];
const el = document.querySelector("rf-workflow-diagram");
el.addEventListener("change", (e) => window.__changes.push(e.detail));
el.addEventListener("node-select", (e) => window.__selects.push(e.detail.node));
window.__show = async (file, props = {}) => {
  Object.assign(el, { selected: undefined, instance: undefined, readonly: false, locale: "en" }, props);
  el.definition = defs[file];
  await el.layoutComplete;
};
window.__instance = async () => {
  const clock = createVirtualClock("2026-02-12T09:00:00+08:00");
  const storage = createMemoryStorage();
  const engine = createEngine({ definitions: [defs["customer-qualification.workflow.json"], defs["contract-auto-approval.ruleset.json"]], clock, storage,
    directory: createStaticDirectory({ roles: { marketing: ["user:ma"], compliance: ["user:chen"], legal: ["user:lu"] } }) });
  const v = await engine.start("customer-qualification", { input: { contract: { amount: 900000 }, customer: { name: "ACME", creditRating: "A" } }, initiator: "user:li" });
  const view = await engine.send(v.id, { type: "approve", actor: "user:ma" });
  return { view, audit: await engine.audit(v.id), timers: storage.snapshot().timers, now: clock.now() + 60 * 60 * 1000 };
};
await window.__show("customer-qualification.workflow.json");
window.__ready = true;
`;

type Win = {
  __show: (file: string, props?: Record<string, unknown>) => Promise<void>;
  __instance: () => Promise<unknown>;
  __changes: { definition: Record<string, unknown>; issues: { path: (string | number)[]; message: string }[] }[];
  __selects: (string | undefined)[];
};

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("<rf-workflow-diagram> in Chromium"), () => {
  let browser: Browser;
  let server: PageServer;
  let page: Page;
  let errors: string[];
  const show = (file: string, props: Record<string, unknown> = {}) => page.evaluate(([f, p]) => (window as unknown as Win).__show(f, p), [file, props] as const);
  const changes = () => page.evaluate(() => (window as unknown as Win).__changes);
  const diagram = () => page.locator("rf-workflow-diagram");
  const node = (id: string) => page.locator(`rf-workflow-diagram g.node[data-node-id="${id}"]`);
  /** A node box's visible text, its lines joined by spaces (wrapped lines join back). */
  const boxText = (id: string) => node(id).locator("text").evaluateAll((ts) => ts.map((x) => x.textContent).join(" "));
  const description = (id: string) => node(id).locator("desc").textContent();

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await servePages();
    ({ page, errors } = await openPage(browser, server, { body: "<rf-workflow-diagram></rf-workflow-diagram>", script: PAGE, viewport: { width: 1200, height: 900 } }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("renders every example workflow with one node group per node of the definition", async () => {
    for (const file of WORKFLOWS) {
      await show(file);
      const doc = exampleDefinition(file) as { nodes: Record<string, { type: string }> };
      const ids = await page.locator("rf-workflow-diagram g.node").evaluateAll((gs) => gs.map((g) => (g as SVGGElement).dataset.nodeId));
      expect(ids.sort(), file).toEqual(Object.keys(doc.nodes).sort());
      for (const [id, n] of Object.entries(doc.nodes)) await expect(node(id).getAttribute("class")).resolves.toContain(`node--${n.type}`);
      // the start marker points at the start node
      expect(await page.locator("rf-workflow-diagram .start-marker").count()).toBe(1);
    }
    await show("contract-kickoff.workflow.json");
    // parallel branches and their join; a wait's timeout route is labelled
    await expect(boxText("kickoff")).resolves.toContain("Branch · parallel");
    await expect(boxText("kicked-off")).resolves.toContain("Join");
    await expect(page.locator('rf-workflow-diagram g.edge[data-from="await-visit"][data-to="visit-overdue"]').textContent()).resolves.toContain("on timeout");
    await saveScreenshot(diagram(), "workflow-diagram-parallel-en");
    await show("customer-qualification.workflow.json");
    const countersign = await boxText("countersign");
    expect(countersign).toContain("Approval · all must approve");
    expect(countersign).toContain("role:marketing, role:compliance, role:legal");
    expect(countersign).toContain("PT3H (biz) remind");
    expect(countersign).toContain("PT6H (biz) escalate to role:compliance-lead");
    await expect(page.locator('rf-workflow-diagram g.edge[data-from="auto-check"][data-to="countersign"]').textContent()).resolves.toContain("decision = manual");
    expect(errors).toEqual([]);
  });

  it("editing the first escalation PT3H -> PT2H emits a document the engine validates", async () => {
    await show("customer-qualification.workflow.json");
    await page.getByRole("button", { name: /^Approval · all must approve countersign/ }).click();
    const after = page.getByLabel("Escalation step 1: after");
    await expect(after.inputValue()).resolves.toBe("PT3H");
    await after.fill("PT2H");
    await after.press("Tab");
    const [change] = await changes();
    expect(change).toBeDefined();
    const doc = change!.definition as { nodes: { countersign: { escalation: { after: string }[] } } };
    expect(doc.nodes.countersign.escalation.map((s) => s.after)).toEqual(["PT2H", "PT3H", "P2D"]);
    expect(validateDefinition(doc).ok).toBe(true);
    expect(change!.issues).toEqual([]);
    // everything else is as it was
    const original = exampleDefinition("customer-qualification.workflow.json") as typeof doc;
    original.nodes.countersign.escalation[0]!.after = "PT2H";
    expect(doc).toEqual(original);
    // the diagram shows the new ladder
    await page.evaluate(() => (document.querySelector("rf-workflow-diagram") as unknown as { layoutComplete: Promise<void> }).layoutComplete);
    await expect(boxText("countersign")).resolves.toContain("PT2H (biz) remind");
    await expect(boxText("countersign")).resolves.toContain("PT5H (biz) escalate");
    expect(errors).toEqual([]);
  });

  it("an invalid edit shows the engine's issue beside the field and on the node", async () => {
    await show("customer-qualification.workflow.json", { selected: "countersign" });
    const before = (await changes()).length;
    const after = page.getByLabel("Escalation step 1: after");
    await after.fill("3 hours");
    await after.press("Tab");
    const all = await changes();
    expect(all).toHaveLength(before + 1);
    const issues = all.at(-1)!.issues;
    const engine = validateDefinition(all.at(-1)!.definition);
    expect(engine.ok).toBe(false);
    expect(issues.map((i) => i.path)).toEqual(engine.ok ? [] : engine.issues.map((i) => i.path));
    const issue = issues.find((i) => i.path.join(".") === "nodes.countersign.escalation.0.after")!;
    expect(issue.message).toContain("ISO-8601 duration");
    await expect(after.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = (await after.getAttribute("aria-describedby"))!;
    await expect(page.locator(`rf-workflow-diagram #${describedBy}`).textContent()).resolves.toContain(issue.message);
    await expect(page.locator(`rf-workflow-diagram .panel .rf-issue[data-path="nodes.countersign.escalation[0].after"]`).textContent()).resolves.toBe(issue.message);
    await expect(node("countersign").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(node("countersign").getAttribute("class")).resolves.toContain("invalid");
    await expect(description("countersign")).resolves.toContain("1 problem(s)");
    await expect(node("approved").getAttribute("aria-invalid")).resolves.toBeNull();
    await saveScreenshot(diagram(), "workflow-diagram-invalid-en");
    expect(errors).toEqual([]);
  });

  it("an instance shows done, current and untaken paths and the due timer", async () => {
    await page.evaluate(async () => {
      const w = window as unknown as Win;
      await w.__show("customer-qualification.workflow.json", { instance: await w.__instance() });
    });
    await expect(node("auto-check").getAttribute("data-state")).resolves.toBe("done");
    await expect(node("countersign").getAttribute("data-state")).resolves.toBe("current");
    await expect(node("approved").getAttribute("data-state")).resolves.toBe("untaken");
    await expect(node("rejected").getAttribute("data-state")).resolves.toBe("untaken");
    // not by colour alone: a text mark in the box and in the accessible name
    await expect(boxText("auto-check")).resolves.toContain("✓ done");
    await expect(boxText("countersign")).resolves.toContain("▶ current");
    expect(await page.getByRole("button", { name: /^Decision auto-check .*✓ done$/ }).count()).toBe(1);
    await expect(description("approved")).resolves.toContain("not taken");
    // due at 12:00 (3 business hours after 09:00 Thursday), "now" is 10:00
    await expect(boxText("countersign")).resolves.toContain("escalation step 1 (remind) due in 2h");
    await expect(page.locator('rf-workflow-diagram g.edge[data-from="auto-check"][data-to="countersign"]').getAttribute("class")).resolves.toContain("edge--done");
    await expect(page.locator('rf-workflow-diagram g.edge[data-from="auto-check"][data-to="approved"]').getAttribute("class")).resolves.toContain("edge--untaken");
    await saveScreenshot(diagram(), "workflow-diagram-en");
    expect(await seriousA11yViolations(page, "rf-workflow-diagram")).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("keyboard: Tab reaches the nodes, arrows move between them, Enter opens the panel, Escape closes it", async () => {
    await show("customer-qualification.workflow.json");
    await page.locator("body").focus();
    await page.keyboard.press("Tab");
    const focused = () => page.evaluate(() => (document.querySelector("rf-workflow-diagram")!.shadowRoot!.activeElement as SVGGElement | null)?.dataset?.nodeId ?? null);
    await expect(focused()).resolves.toBe("auto-check");
    await page.keyboard.press("ArrowDown");
    await expect(focused()).resolves.toBe("countersign");
    await page.keyboard.press("ArrowUp");
    await expect(focused()).resolves.toBe("auto-check");
    await page.keyboard.press("Tab");
    await expect(focused()).resolves.toBe("countersign");
    await page.keyboard.press("Enter");
    await expect(page.locator("rf-workflow-diagram .panel h2").textContent()).resolves.toContain("Properties of countersign");
    await expect(node("countersign").getAttribute("aria-pressed")).resolves.toBe("true");
    // focus went to the panel; Tab reaches its first field
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.querySelector("rf-workflow-diagram")!.shadowRoot!.activeElement?.id)).resolves.toBe("p-nodes--countersign--name-input");
    await page.keyboard.press("Escape");
    await expect(page.locator("rf-workflow-diagram .panel").count()).resolves.toBe(0);
    await expect(focused()).resolves.toBe("countersign");
    await expect(page.evaluate(() => (window as unknown as Win).__selects.slice(-2))).resolves.toEqual(["countersign", undefined]);
    // a route target changes by keyboard in the panel
    await page.keyboard.press("Enter");
    const onReject = page.getByLabel("When rejected");
    await onReject.selectOption("approved");
    const last = (await changes()).at(-1)!;
    expect((last.definition as { nodes: { countersign: { onReject: string } } }).nodes.countersign.onReject).toBe("approved");
    expect(validateDefinition(last.definition).ok).toBe(true);
    expect(await seriousA11yViolations(page, "rf-workflow-diagram")).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("zh-CN: Chinese types, modes, panel labels", async () => {
    await page.evaluate(async () => {
      const w = window as unknown as Win;
      await w.__show("customer-qualification.workflow.json", { locale: "zh-CN", selected: "countersign", instance: await w.__instance() });
    });
    const text = await boxText("countersign");
    expect(text).toContain("审批 · 会签（全部同意）");
    expect(text).toContain("提醒");
    expect(text).toContain("▶ 当前");
    await expect(boxText("auto-check")).resolves.toContain("判断");
    await expect(page.getByLabel("第 1 级升级：等待时长").inputValue()).resolves.toBe("PT3H");
    await expect(page.locator("rf-workflow-diagram .panel h2").textContent()).resolves.toContain("countersign 的属性");
    await saveScreenshot(diagram(), "workflow-diagram-zh-CN");
    expect(await seriousA11yViolations(page, "rf-workflow-diagram")).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("readonly: just a diagram, nothing selectable or focusable, no events", async () => {
    await show("stale-opportunity-follow-up.workflow.json", { readonly: true });
    const before = (await changes()).length;
    await node("manager-review").click();
    await expect(page.locator("rf-workflow-diagram .panel").count()).resolves.toBe(0);
    await expect(node("manager-review").getAttribute("role")).resolves.toBe("img");
    await expect(node("manager-review").getAttribute("tabindex")).resolves.toBeNull();
    expect(await page.getByRole("img", { name: /^Approval · one after another manager-review/ }).count()).toBe(1);
    expect((await changes()).length).toBe(before);
    await saveScreenshot(diagram(), "workflow-diagram-readonly-en");
    expect(await seriousA11yViolations(page, "rf-workflow-diagram")).toEqual([]);
    expect(errors).toEqual([]);
  });
});
