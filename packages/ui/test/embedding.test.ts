/**
 * The embedding examples of docs/ui.md run as written: plain HTML (a module
 * script, a property set from fetched JSON, a `change` listener) and a Vue 3
 * app (render functions, the property bound with `.definition`, the event
 * written back into a ref). docs/ui.md shows these files; a test below keeps
 * the page equal to them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSkipReason, browserSuiteTitle, bundleScript, launchBrowser, REPO_ROOT, servePages, UI_ROOT, type PageServer } from "./browser.js";

const EXAMPLES = join(UI_ROOT, "examples");
const TABLE = readFileSync(join(REPO_ROOT, "packages", "examples", "definitions", "rebate-rate.decision-table.json"), "utf8");

describe("docs/ui.md shows the embedding examples as they are", () => {
  it("each example file appears in docs/ui.md verbatim", () => {
    const page = readFileSync(join(REPO_ROOT, "docs", "ui.md"), "utf8");
    for (const file of ["plain.html", "vue.ts"]) expect(page, file).toContain(readFileSync(join(EXAMPLES, file), "utf8").trim());
  });
});

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("embedding the components (docs/ui.md) in Chromium"), () => {
  let browser: Browser;
  let server: PageServer;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await servePages();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("plain HTML: the table renders the fetched document, and an edit reports the engine's verdict", async () => {
    server.put("/plain.html", "text/html", readFileSync(join(EXAMPLES, "plain.html"), "utf8"));
    server.put("/components.js", "text/javascript", await bundleScript(`import "../src/components/decision-table-editor.js";`));
    server.put("/rebate-rate.decision-table.json", "application/json", TABLE);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/plain.html`);
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
    const rules = (JSON.parse(TABLE) as { rules: unknown[] }).rules;
    await expect(page.locator("rf-decision-table-editor table[role=grid] tbody tr").count()).resolves.toBe(rules.length);
    const cell = page.locator('rf-decision-table-editor td[data-path="rules[0].paid"]');
    await cell.click();
    await page.keyboard.press("Enter");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(">= ");
    await page.keyboard.press("Enter");
    await expect(page.locator("#status").textContent()).resolves.toMatch(/^rules\.0\.paid: /);
    await cell.click();
    await page.keyboard.press("Enter");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(">= 0.9");
    await page.keyboard.press("Enter");
    await expect(page.locator("#status").textContent()).resolves.toBe(`valid, ${rules.length} rules`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("Vue 3: the property binding renders the table in Chinese, and the change event updates the app's state", async () => {
    const script = `
      import { mountRateTable } from "../examples/vue.js";
      mountRateTable(document.getElementById("app"), ${TABLE});
      window.__ready = true;`;
    server.put("/vue.js", "text/javascript", await bundleScript(script));
    server.put("/vue.html", "text/html", `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>vue</title><link rel="icon" href="data:,"></head><body><div id="app"></div><script type="module" src="/vue.js"></script></body></html>`);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/vue.html`);
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
    await page.locator("rf-decision-table-editor table[role=grid]").waitFor();
    await expect(page.locator("#summary").textContent()).resolves.toBe("valid");
    await expect(page.locator("rf-decision-table-editor").getByLabel("命中策略").count()).resolves.toBe(1);
    const cell = page.locator('rf-decision-table-editor td[data-path="rules[1].paid"]');
    await cell.click();
    await page.keyboard.press("Enter");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("< ");
    await page.keyboard.press("Enter");
    await expect(page.locator("#summary").textContent()).resolves.toBe("1 problems");
    expect(errors).toEqual([]);
    await page.close();
  });
});
