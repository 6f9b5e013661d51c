/**
 * `<rf-explanation>`: result detection, the tree and its keyboard model as
 * properties in node, and the element in Chromium over the engine's real
 * outputs for the examples (rule set, decision table, promotions, rollout,
 * rebate statement line): what it shows is checked against the result.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { compileDefinition, localizeIssue, type DecisionResult, type EvaluableDefinition } from "@ruleflow/engine";
import type { PromotionResult } from "@ruleflow/engine/promotions";
import type { RolloutResult } from "@ruleflow/engine/rollouts";
import { settleRebates, type CompiledRebate, type StatementLine } from "@ruleflow/engine/rebates";
import { allNodes, explain, navigate, resultKind, showValue, visibleItems, type ExplNode } from "../src/components/explanation/model.js";
import {
  REPO_ROOT,
  browserSkipReason,
  browserSuiteTitle,
  exampleDefinition,
  launchBrowser,
  openPage,
  saveScreenshot,
  seriousA11yViolations,
  servePages,
  type PageServer,
} from "./browser.js";

const AT = "2026-03-20T10:00:00+08:00";
const facts = (name: string): Record<string, Record<string, unknown>> =>
  JSON.parse(readFileSync(join(REPO_ROOT, "packages", "examples", "facts", `${name}.json`), "utf8")) as Record<string, Record<string, unknown>>;
const evaluable = (file: string) => compileDefinition(exampleDefinition(file)) as EvaluableDefinition;
/** As a host would hand it over (from a server, or after a structured clone): plain JSON. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const ruleset = plain(evaluable("contract-auto-approval.ruleset.json").evaluate(facts("contract-large"), { trace: true, at: AT }) as DecisionResult);
const rulesetMissing = plain(evaluable("contract-auto-approval.ruleset.json").evaluate({ customer: { creditRating: "A" } }, { trace: true, at: AT }) as DecisionResult);
const table = plain(evaluable("rebate-rate.decision-table.json").evaluate(facts("rebate-a-new-line"), { trace: true, at: AT }) as DecisionResult);
const smallOrder = facts("store-order");
smallOrder.order = { ...smallOrder.order, cases: 47 };
const promoNear = plain(evaluable("spring-case-discount.promotion.json").evaluate(smallOrder, { at: AT }) as PromotionResult);
const promoNearZh = plain(evaluable("spring-case-discount.promotion.json").evaluate(smallOrder, { at: AT, locale: "zh-CN" }) as PromotionResult);
const promoOk = plain(evaluable("spring-case-discount.promotion.json").evaluate(facts("store-order"), { at: AT, trace: true }) as PromotionResult);
const promoDouble = plain(evaluable("new-customer-double-points.promotion.json").evaluate(facts("store-order"), { at: AT }) as PromotionResult);
const rollout = evaluable("renewal-incentive-pilot.rollout.json");
const rolloutIn = plain(rollout.evaluate({ campus: { id: "HZ-01", region: "zhejiang" }, customer: { id: "C-0001" } }, { at: AT, trace: true }) as RolloutResult);
const rolloutOut = plain(rollout.evaluate({ campus: { id: "BJ-01", region: "beijing" }, customer: { id: "C-0001" } }, { at: AT }) as RolloutResult);
const orders = readFileSync(join(REPO_ROOT, "packages", "examples", "data", "orders-2026-01.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as unknown);
const statement = settleRebates({ program: [evaluable("distributor-rebate.v3.rebate.json") as CompiledRebate], lines: orders, period: "2026-01" });
const rebateLine = plain<StatementLine>(statement.lines.find((l) => l.modifiers.length > 0)!);
const rebateQuote = plain(evaluable("distributor-rebate.v3.rebate.json").evaluate(orders[0], { at: "2026-01-06T10:12:00+08:00" }));

describe("explanation model", () => {
  it("tells each real result's kind by its shape", () => {
    expect(resultKind(ruleset)).toBe("decision");
    expect(resultKind(table)).toBe("decision");
    expect(resultKind(promoNear)).toBe("promotion");
    expect(resultKind(rolloutIn)).toBe("rollout");
    expect(resultKind(rebateLine)).toBe("rebate-line");
    expect(resultKind(rebateQuote)).toBe("rebate-quote");
    expect(resultKind({ kind: "ruleset" })).toBe("unknown");
    expect(resultKind(null)).toBe("unknown");
  });

  it("never throws on anything, and a non-result says so", () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const e = explain(v, "en");
        expect(typeof e.heading).toBe("string");
        if (resultKind(v) === "unknown") expect(e.tree).toEqual([]);
      }),
    );
  });

  it("item ids are unique in every real explanation, in both locales", () => {
    for (const r of [ruleset, rulesetMissing, table, promoNear, promoOk, promoDouble, rolloutIn, rolloutOut, rebateLine, rebateQuote]) {
      for (const locale of ["en", "zh-CN"] as const) {
        const ids = allNodes(explain(r, locale).tree).map((n) => n.id);
        expect(new Set(ids).size).toBe(ids.length);
      }
    }
  });

  const tree: fc.Arbitrary<ExplNode[]> = fc
    .letrec<{ nodes: ExplNode[] }>((tie) => ({
      nodes: fc.array(
        fc.record({ children: fc.oneof({ depthSize: "small", maxDepth: 3 }, fc.constant([] as ExplNode[]), tie("nodes")) }).map((n) => ({ id: "", title: "x", children: n.children })),
        { maxLength: 4 },
      ),
    }))
    .nodes.map((nodes) => {
      let k = 0;
      const number = (ns: ExplNode[]): ExplNode[] => ns.map((n) => ({ ...n, id: `n${k++}`, children: number(n.children) }));
      return number(nodes);
    });

  it("keyboard: the active item stays visible; down then up comes back; left goes to the parent; right opens a closed item", () => {
    fc.assert(
      fc.property(tree, fc.array(fc.nat(), { maxLength: 6 }), fc.nat(), (nodes, collapseAt, pick) => {
        const all = allNodes(nodes);
        if (all.length === 0) return;
        const collapsed = new Set(collapseAt.map((i) => all[i % all.length]!.id));
        const items = visibleItems(nodes, collapsed);
        const ids = new Set(items.map((i) => i.id));
        // every visible item's ancestors are expanded
        for (const it of items) if (it.parent) expect(items.find((p) => p.id === it.parent)!.expanded).toBe(true);
        const cur = items[pick % items.length]!;
        for (const key of ["ArrowDown", "ArrowUp", "Home", "End", "ArrowLeft", "ArrowRight", "Enter", " "]) {
          const move = navigate(items, cur.id, key)!;
          expect(ids.has(move.active)).toBe(true);
          if (move.toggle) expect(items.find((i) => i.id === move.toggle)!.expandable).toBe(true);
        }
        const down = navigate(items, cur.id, "ArrowDown")!.active;
        if (down !== cur.id) expect(navigate(items, down, "ArrowUp")!.active).toBe(cur.id);
        if (cur.parent && !(cur.expandable && cur.expanded)) expect(navigate(items, cur.id, "ArrowLeft")!.active).toBe(cur.parent);
        if (cur.expandable && !cur.expanded) expect(navigate(items, cur.id, "ArrowRight")).toEqual({ active: cur.id, toggle: cur.id });
        if (cur.expandable && cur.expanded) expect(items.find((i) => i.id === navigate(items, cur.id, "ArrowRight")!.active)!.parent).toBe(cur.id);
        expect(navigate(items, cur.id, "x")).toBeUndefined();
      }),
    );
  });

  it("every failed condition of a promotion is in its tree with its actual value and hint", () => {
    const e = explain(promoDouble, "en");
    const nodes = allNodes(e.tree);
    expect(promoDouble.failed.length).toBeGreaterThan(0);
    for (const f of promoDouble.failed) {
      const n = nodes.find((x) => x.path === f.path)!;
      expect(n.status).toBe("fail");
      expect(n.values!.find((v) => v.name === "actual")!.value).toBe(showValue(f.actual));
    }
  });
});

const PAGE = `
import "../src/components/explanation.js";
const w = window;
w.show = async (id, result, locale) => {
  document.getElementById(id)?.remove();
  const el = document.createElement("rf-explanation");
  el.id = id;
  if (locale) el.locale = locale;
  el.result = result;
  document.body.append(el);
  await el.updateComplete;
};
w.__ready = true;
`;

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("<rf-explanation> in Chromium"), () => {
  let browser: Browser;
  let server: PageServer;
  let page: Page;
  let errors: string[];

  const show = (id: string, result: unknown, locale?: string) =>
    page.evaluate(([i, r, l]) => (window as unknown as { show: (...a: unknown[]) => Promise<void> }).show(i, r, l), [id, result, locale] as const);
  const item = (root: Locator, path: string) => root.locator(`[role=treeitem][data-path="${path}"]`).first();
  const ownText = (l: Locator) => l.locator(":scope > .item").textContent();
  /** All text the element renders (its shadow root's). */
  const shadowText = (l: Locator) => l.evaluate((e) => e.shadowRoot!.textContent ?? "");

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await servePages();
    ({ page, errors } = await openPage(browser, server, { body: "", script: PAGE }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("a rule set result: each condition with actual, expected and pass/fail; the deciding rule highlighted", async () => {
    await show("rs", ruleset);
    const el = page.locator("#rs");
    await expect(el.locator("h2").textContent()).resolves.toBe("Rule set contract-auto-approval v3");
    const rules = ruleset.trace!.rules as { index: number; matched: boolean; condition?: { children: { path: string; passed: boolean; actual: unknown; expected: unknown; label: string }[] } }[];
    for (const rule of rules) {
      const li = item(el, `rules[${rule.index}]`);
      const decided = ruleset.matched.some((m) => m.index === rule.index);
      expect(await li.getAttribute("class")).toContain(decided ? "decided" : "");
      expect(await ownText(li)).toContain(decided ? "★ decided" : "did not match");
      for (const leaf of rule.condition?.children ?? []) {
        const text = await ownText(item(el, leaf.path));
        expect(text).toContain(leaf.label);
        expect(text).toContain(`actual: ${showValue(leaf.actual)}`);
        expect(text).toContain(`expected:`);
        expect(text).toContain(showValue(leaf.expected));
        // not colour alone: an icon and a word
        expect(text).toContain(leaf.passed ? "✓ pass" : "✗ fail");
      }
    }
    await expect(el.locator(".summary").textContent()).resolves.toContain('{"decision":"manual"}');
    await saveScreenshot(el, "explanation-en");
    expect(await seriousA11yViolations(page, "#rs")).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("a decision table result: inputs, every row's cells, the deciding row highlighted", async () => {
    await show("dt", table);
    const el = page.locator("#dt");
    const rows = table.trace!.rules as { index: number; matched: boolean; cells: { input: string; test: string; actual: unknown; passed: boolean }[] }[];
    expect(await el.locator("[role=treeitem][aria-level='1'][data-path^='rules[']").count()).toBe(rows.length);
    for (const row of rows) {
      const li = item(el, `rules[${row.index}]`);
      expect(await li.getAttribute("data-status")).toBe(row.matched ? "pass" : "fail");
      for (const c of row.cells) {
        const text = await ownText(item(el, `rules[${row.index}].${c.input}`));
        expect(text).toContain(`actual: ${showValue(c.actual)}`);
        expect(text).toContain(c.passed ? "✓ pass" : "✗ fail");
      }
    }
    expect(await el.locator(".decided").count()).toBe(table.matched.length);
    await expect(ownText(item(el, "rules[1]"))).resolves.toContain("matched, not used by hit policy first");
    await saveScreenshot(el, "explanation-decision-table");
    expect(await seriousA11yViolations(page, "#dt")).toEqual([]);
  });

  it("a promotion evaluation: every failed condition with its actual value, and the near-miss hint", async () => {
    for (const [id, r] of [["p1", promoNear], ["p2", promoDouble]] as const) {
      await show(id, r);
      const el = page.locator(`#${id}`);
      await expect(el.locator(".summary").textContent()).resolves.toContain("Not eligible");
      for (const f of r.failed) {
        const text = await ownText(item(el, f.path));
        expect(text).toContain("✗ fail");
        expect(text).toContain(`actual: ${showValue(f.actual)}`);
        expect(text).toContain(showValue(f.expected));
        const hint = r.hints.find((h) => h.index === f.index);
        if (hint) expect(text).toContain(hint.message);
      }
      expect(r.failed.length).toBeGreaterThan(0);
    }
    expect(promoNear.hints[0]!.message).toBe("3 more cases to qualify");
    await show("p3", promoOk);
    const ok = page.locator("#p3");
    await expect(ok.locator(".summary").textContent()).resolves.toContain(`Eligible`);
    await expect(ok.locator(".summary").textContent()).resolves.toContain(`${promoOk.value} CNY`);
    await expect(shadowText(ok)).resolves.toContain(promoOk.benefits[0]!.value);
    await saveScreenshot(page.locator("#p2"), "explanation-promotion");
    expect(await seriousA11yViolations(page, "#p2")).toEqual([]);
  });

  it("a rollout assignment: variant, the engine's reason, targeting with actual and expected", async () => {
    await show("ro1", rolloutIn);
    await show("ro2", rolloutOut);
    const a = page.locator("#ro1");
    await expect(a.locator(".summary").textContent()).resolves.toContain("Variant treatment");
    await expect(shadowText(a)).resolves.toContain(rolloutIn.explanation.message);
    await expect(ownText(item(a, "targeting"))).resolves.toContain('actual: "HZ-01"');
    const b = page.locator("#ro2");
    await expect(b.locator(".summary").textContent()).resolves.toContain("not in the experiment");
    const tgt = await ownText(item(b, "targeting"));
    expect(tgt).toContain('actual: "BJ-01"');
    expect(tgt).toContain("✗ fail");
    await saveScreenshot(b, "explanation-rollout");
    expect(await seriousA11yViolations(page, "#ro2")).toEqual([]);
  });

  it("a rebate statement line and an order preview", async () => {
    await show("rb", rebateLine);
    const el = page.locator("#rb");
    const text = await shadowText(el);
    for (const v of [rebateLine.basis, rebateLine.baseRate, rebateLine.rate, rebateLine.amount, rebateLine.due, rebateLine.tier!.rate]) expect(text).toContain(v);
    for (const m of rebateLine.modifiers) expect(text).toContain(`${m.name}: × ${m.value}`);
    await saveScreenshot(el, "explanation-rebate-line");
    expect(await seriousA11yViolations(page, "#rb")).toEqual([]);
    await show("rq", rebateQuote);
    const q = await shadowText(page.locator("#rq"));
    expect(q).toContain((rebateQuote as { rebate: string }).rebate);
    expect(errors).toEqual([]);
  });

  it("warnings are shown, in the element's locale", async () => {
    expect(rulesetMissing.warnings.length).toBeGreaterThan(0);
    await show("w", rulesetMissing, "zh-CN");
    const text = await shadowText(page.locator("#w"));
    for (const w of rulesetMissing.warnings) {
      const zh = localizeIssue(w, "zh-CN").message;
      expect(zh).not.toBe(w.message);
      expect(text).toContain(zh);
    }
    expect(text).toContain("缺失");
  });

  it("speaks Simplified Chinese (with the engine's Chinese hints)", async () => {
    await show("zh", promoNearZh, "zh-CN");
    const el = page.locator("#zh");
    await expect(el.locator("h2").textContent()).resolves.toBe("促销 spring-case-discount v1");
    const text = await shadowText(el);
    for (const word of ["不符合条件", "参与条件", "未通过", "实际值", "期望值", "还差 3 箱即可达标"]) expect(text).toContain(word);
    await saveScreenshot(el, "explanation-zh-CN");
    await show("zh2", ruleset, "zh-CN");
    const t2 = await shadowText(page.locator("#zh2"));
    for (const word of ["规则集", "采用", "未命中", "以下全部满足"]) expect(t2).toContain(word);
    await saveScreenshot(page.locator("#zh2"), "explanation-ruleset-zh-CN");
    expect(await seriousA11yViolations(page, "#zh2")).toEqual([]);
  });

  it("works by keyboard: one Tab stop, arrows move, left/right collapse and expand", async () => {
    await show("kb", ruleset);
    const el = page.locator("#kb");
    const focused = () => page.evaluate(() => document.querySelector("#kb")!.shadowRoot!.activeElement?.getAttribute("data-id") ?? null);
    expect(await el.locator("[role=treeitem][tabindex='0']").count()).toBe(1);
    // the tree's single Tab stop is its first item
    await page.locator("#kb [role=treeitem][tabindex='0']").focus();
    expect(await focused()).toBe("rule0");
    expect(await item(el, "rules[0]").getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("ArrowLeft");
    expect(await item(el, "rules[0]").getAttribute("aria-expanded")).toBe("false");
    expect(await el.locator('[data-path="rules[0].when"]').count()).toBe(0);
    await page.keyboard.press("ArrowRight");
    expect(await item(el, "rules[0]").getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("ArrowRight");
    expect(await focused()).toBe("rule0:rules[0].when");
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("rule0:rules[0].when.all[0]");
    await page.keyboard.press("ArrowLeft");
    expect(await focused()).toBe("rule0:rules[0].when");
    await page.keyboard.press("ArrowUp");
    expect(await focused()).toBe("rule0");
    await page.keyboard.press("End");
    expect(await focused()).toBe("rule1");
    await page.keyboard.press("Home");
    expect(await focused()).toBe("rule0");
    expect(await el.locator("[role=treeitem][tabindex='0']").count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
