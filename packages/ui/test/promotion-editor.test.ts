/**
 * `<rf-promotion-editor>` in Chromium: every example promotion renders (its
 * eligibility in the embedded `<rf-condition-editor>`), edits emit valid
 * documents (one `change` per edit, also from the condition editor), invalid
 * edits show the engine's issue at its path, keyboard, axe, zh-CN, readonly,
 * screenshots.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateDefinition } from "@ruleflow/engine";
import { getIn, setIn } from "../src/shared/base.js";
import {
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

const EXAMPLES = ["new-customer-double-points.promotion.json", "q1-display-subsidy.promotion.json", "spring-case-discount.promotion.json"];

const PAGE = `
import "../src/components/promotion-editor.js";
const w = window as any;
w.__changes = [];
document.querySelector("rf-promotion-editor")!.addEventListener("change", (e: any) => w.__changes.push({ ...e.detail, from: e.target.tagName }));
w.__ready = true;
`;

type Change = { definition: Record<string, unknown>; issues: { path: (string | number)[]; message: string }[]; from: string };

async function setDefinition(page: Page, doc: unknown, attrs: { locale?: string; readonly?: boolean } = {}): Promise<void> {
  await page.evaluate(
    async ([d, a]) => {
      const el = document.querySelector("rf-promotion-editor") as HTMLElement & { definition: unknown; locale: string; readonly: boolean; updateComplete: Promise<unknown> };
      el.definition = d;
      el.locale = a.locale ?? "en";
      el.readonly = a.readonly ?? false;
      (window as unknown as { __changes: unknown[] }).__changes = [];
      await el.updateComplete;
      const inner = el.shadowRoot!.querySelector("rf-condition-editor") as unknown as { updateComplete: Promise<unknown> } | null;
      await inner?.updateComplete;
    },
    [doc, attrs] as const,
  );
}
const changes = (page: Page): Promise<Change[]> => page.evaluate(() => (window as unknown as { __changes: Change[] }).__changes);

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("<rf-promotion-editor> in Chromium"), () => {
  let browser: Browser;
  let server: PageServer;
  let page: Page;
  let errors: string[];
  const editor = () => page.locator("rf-promotion-editor");

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await servePages();
    ({ page, errors } = await openPage(browser, server, { body: "<rf-promotion-editor></rf-promotion-editor>", script: PAGE, viewport: { width: 1180, height: 900 } }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.each(EXAMPLES)("renders %s: name, benefit, limits, stacking, and its eligibility in the condition editor; no issues", async (file) => {
    const doc = exampleDefinition(file) as Record<string, unknown> & { name: string; benefit: { type: string }; eligibility: unknown };
    await setDefinition(page, doc);
    expect(await editor().getByLabel("Name", { exact: true }).inputValue()).toBe(doc.name);
    expect(await editor().getByLabel("Type of benefit 1").inputValue()).toBe(doc.benefit.type);
    expect(await editor().locator("rf-condition-editor").count()).toBe(1);
    // every fact of the eligibility is in the condition editor's fact inputs
    const facts = JSON.stringify(doc.eligibility).match(/"fact":"([^"]+)"/g)!.map((m) => m.slice(8, -1));
    const shown = await editor()
      .locator("rf-condition-editor")
      .getByLabel(/^Fact/)
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(shown).toEqual(facts);
    expect(await editor().locator(".rf-issue").count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("shows each benefit type's fields with the document's values", async () => {
    await setDefinition(page, exampleDefinition("q1-display-subsidy.promotion.json"));
    expect(await editor().getByLabel("SKU").inputValue()).toBe("GIFT-01");
    expect(await editor().getByLabel("Quantity (number or expression)").inputValue()).toBe("floor(order.cases / 10)");
    expect(await editor().getByLabel("Total budget").getByLabel("Budget").inputValue()).toBe("200000.00");
    expect(await editor().getByRole("group", { name: "Per store" }).getByLabel("Period").inputValue()).toBe("quarter");
    expect(await editor().getByLabel("Mode").inputValue()).toBe("exclusive");
    await setDefinition(page, exampleDefinition("spring-case-discount.promotion.json"));
    expect(await editor().getByLabel("Percent off").inputValue()).toBe("5");
    expect(await editor().getByLabel("At most").inputValue()).toBe("2000.00");
    expect(await editor().getByRole("group", { name: "Total budget" }).getByLabel("Period").inputValue()).toBe("month");
    await setDefinition(page, exampleDefinition("new-customer-double-points.promotion.json"));
    expect(await editor().getByLabel("Points per unit").inputValue()).toBe("2");
  });

  it("editing the benefit, the budget and the stacking emits valid documents", async () => {
    await setDefinition(page, exampleDefinition("spring-case-discount.promotion.json"));
    const pct = editor().getByLabel("Percent off");
    await pct.fill("8");
    await pct.press("Enter");
    await editor().getByRole("group", { name: "Total budget" }).getByLabel("Period").selectOption("lifetime");
    await editor().getByLabel("Mode").selectOption("best-of");
    const list = await changes(page);
    expect(list).toHaveLength(3);
    const [a, b, c] = list.map((x) => x.definition);
    expect(getIn(a, ["benefit", "percent"])).toBe("8");
    expect(getIn(b, ["limits", "budget"])).toBe("50000.00");
    expect(getIn(c, ["stacking"])).toEqual({ group: "display", mode: "best-of", priority: 5 });
    for (const x of list) {
      expect(validateDefinition(x.definition).ok).toBe(true);
      expect(x.issues).toEqual([]);
    }
  });

  it("an edit in the embedded condition editor arrives as one change of the promotion", async () => {
    await setDefinition(page, exampleDefinition("spring-case-discount.promotion.json"));
    const value = editor().locator("rf-condition-editor").getByRole("spinbutton", { name: /^Value/ }).first();
    await value.fill("60");
    await value.press("Enter");
    const list = await changes(page);
    expect(list).toHaveLength(1);
    expect(list[0]!.from).toBe("RF-PROMOTION-EDITOR");
    const doc = list[0]!.definition as { kind: string; eligibility: { value: unknown } };
    expect(doc.kind).toBe("promotion");
    expect(doc.eligibility.value).toBe(60);
    expect(validateDefinition(doc).ok).toBe(true);
  });

  it("a discount without percent or amount, and a negative budget, show the engine's messages at their paths", async () => {
    const doc = exampleDefinition("spring-case-discount.promotion.json");
    await setDefinition(page, doc);
    const budget = editor().getByRole("group", { name: "Total budget" }).getByLabel("Budget");
    await budget.fill("-5");
    await budget.press("Tab");
    let list = await changes(page);
    expect(list[0]!.issues.map((i) => i.path)).toEqual([["limits", "budget", "amount"]]);
    const msg = editor().locator('.rf-issue[data-path="limits.budget.amount"]');
    expect(await msg.textContent()).toBe(list[0]!.issues[0]!.message);
    expect(await budget.getAttribute("aria-invalid")).toBe("true");
    expect(await budget.getAttribute("aria-describedby")).toBe(await msg.getAttribute("id"));
    // a missing required field: the discount's percent removed
    const pct = editor().getByLabel("Percent off");
    await pct.fill("");
    await pct.press("Tab");
    list = await changes(page);
    expect(validateDefinition(list[1]!.definition).ok).toBe(false);
    expect(list[1]!.issues.map((i) => i.path)).toContainEqual(["benefit", "percent"]);
    const benefitIssue = editor().getByRole("group", { name: "Benefit 1" }).locator(".rf-issue");
    expect(await benefitIssue.count()).toBeGreaterThan(0);
  });

  it("works by keyboard: Tab between fields, type and Enter or Tab to commit, Space on a button", async () => {
    await setDefinition(page, exampleDefinition("new-customer-double-points.promotion.json"));
    await editor().getByLabel("Points per unit").focus();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("3");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab"); // of
    await page.keyboard.press("Tab"); // point value
    await page.keyboard.type("0.01");
    await page.keyboard.press("Tab"); // label -> commits point value
    await editor().getByRole("button", { name: "Add benefit" }).focus();
    await page.keyboard.press("Space");
    const list = await changes(page);
    expect(list.map((c) => c.definition.benefit)).toEqual([
      { type: "points", multiplier: "3", of: "order.amount" },
      { type: "points", multiplier: "3", of: "order.amount", pointValue: "0.01" },
      [
        { type: "points", multiplier: "3", of: "order.amount", pointValue: "0.01" },
        { type: "gift", sku: "", quantity: 1 },
      ],
    ]);
    // the new gift's empty SKU is the engine's issue, at benefit[1].sku
    expect(await editor().locator('.rf-issue[data-path="benefit[1].sku"]').count()).toBe(1);
  });

  it("has no serious axe violations (valid, and with issues shown)", async () => {
    await setDefinition(page, exampleDefinition("q1-display-subsidy.promotion.json"));
    expect(await seriousA11yViolations(page, "rf-promotion-editor")).toEqual([]);
    const doc = setIn(exampleDefinition("spring-case-discount.promotion.json"), ["limits", "budget", "amount"], "-1");
    await setDefinition(page, doc);
    expect(await seriousA11yViolations(page, "rf-promotion-editor")).toEqual([]);
  });

  it("readonly disables every control, also in the condition editor, and dispatches nothing", async () => {
    await setDefinition(page, exampleDefinition("q1-display-subsidy.promotion.json"), { readonly: true });
    expect(await editor().locator("input:enabled, select:enabled, button:enabled, textarea:enabled").count()).toBe(0);
    expect(await changes(page)).toEqual([]);
  });

  it("zh-CN: Chinese labels in both editors and the engine's issues in Chinese; screenshots", async () => {
    await setDefinition(page, exampleDefinition("q1-display-subsidy.promotion.json"));
    await saveScreenshot(editor(), "promotion-editor-en");
    await setDefinition(page, exampleDefinition("q1-display-subsidy.promotion.json"), { locale: "zh-CN" });
    expect(await editor().getByLabel("商品编码").inputValue()).toBe("GIFT-01");
    expect(await editor().getByRole("button", { name: "添加优惠" }).count()).toBe(1);
    expect(await editor().locator("legend").allTextContents()).toContain("参与条件");
    await saveScreenshot(editor(), "promotion-editor-zh-CN");
    const doc = setIn(exampleDefinition("spring-case-discount.promotion.json"), ["limits", "budget", "amount"], "-5");
    await setDefinition(page, doc, { locale: "zh-CN" });
    expect(await editor().locator('.rf-issue[data-path="limits.budget.amount"]').textContent()).toBe("金额应大于零");
    expect(errors).toEqual([]);
  });
});
