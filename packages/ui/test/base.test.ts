/**
 * The editor base every component builds on (src/shared/base.ts), in Chromium:
 * a definition set as a property is validated by the engine in the page, an
 * edit dispatches `change` with the new document and its issues, `readonly`
 * refuses edits, and issues follow the locale.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { getIn, pathText, setIn } from "../src/shared/base.js";
import { browserSkipReason, browserSuiteTitle, launchBrowser, openPage, servePages, type PageServer } from "./browser.js";

describe("setIn and getIn", () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, fc.integer(), fc.string(), fc.boolean(), fc.constant(null), tie("array"), tie("object")),
    array: fc.array(tie("value"), { maxLength: 4 }),
    object: fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), tie("value"), { maxKeys: 4 }),
  })).value;

  it("setting a path then reading it gives the value, and the input is never changed", () => {
    fc.assert(
      fc.property(json, fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 3 }), fc.nat(3)), { maxLength: 4 }), fc.integer(), (doc, path, value) => {
        // only paths whose numeric segments index arrays and string segments index objects
        let cur: unknown = doc;
        for (const seg of path) {
          if (typeof seg === "number" ? !Array.isArray(cur) : cur === null || typeof cur !== "object" || Array.isArray(cur)) return;
          cur = (cur as Record<string | number, unknown>)[seg];
        }
        const before = JSON.stringify(doc);
        const next = setIn(doc, path, value);
        expect(getIn(next, path)).toBe(value);
        expect(JSON.stringify(doc)).toBe(before);
      }),
    );
  });

  it("undefined removes an object key", () => {
    expect(setIn({ a: 1, b: { c: 2, d: 3 } }, ["b", "c"], undefined)).toEqual({ a: 1, b: { d: 3 } });
  });

  it("pathText names paths as the engine's messages do", () => {
    expect(pathText(["rules", 2, "when", "all", 0])).toBe("rules[2].when.all[0]");
    expect(pathText([])).toBe("(document)");
  });
});

const PAGE = `
import { html } from "lit";
import { RfEditorElement, defineElement } from "../src/shared/base.js";
class TestEditor extends RfEditorElement {
  render() {
    const name = this.definition?.name ?? "";
    return html\`<label>name <input .value=\${String(name)} ?disabled=\${this.readonly}
      @change=\${(e) => this.edit(["name"], e.target.value)}></label>
      <ul class="rf-issues">\${this.issues.map((i) => html\`<li class="rf-issue" data-path=\${i.path.join(".")}>\${i.message}</li>\`)}</ul>\`;
  }
}
defineElement("rf-test-editor", TestEditor);
window.__changes = [];
const el = document.querySelector("rf-test-editor");
el.addEventListener("change", (e) => window.__changes.push(e.detail));
el.definition = { kind: "ruleset", id: "r", version: 1, name: "Rules", hitPolicy: "first", rules: [{ id: "a", when: { fact: "x", op: "gt", value: 1 }, then: { ok: true } }] };
await el.updateComplete;
window.__ready = true;
`;

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("the editor base in Chromium"), () => {
  let browser: Browser;
  let server: PageServer;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await servePages();
    ({ page, errors } = await openPage(browser, server, { body: "<rf-test-editor></rf-test-editor>", script: PAGE }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("validates with the engine in the page and emits change with the edited document and its issues", async () => {
    const initialIssues = await page.locator("rf-test-editor .rf-issue").count();
    const input = page.getByLabel("name");
    await input.fill("");
    await input.press("Tab");
    const changes = await page.evaluate(() => (window as unknown as { __changes: { definition: { name?: string }; issues: { path: unknown[] }[] }[] }).__changes);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.definition.name).toBe("");
    // the engine's own verdict on the same document
    const { validateDefinition } = await import("@ruleflow/engine");
    const verdict = validateDefinition(changes[0]!.definition);
    expect(changes[0]!.issues.map((i) => i.path)).toEqual(verdict.ok ? [] : verdict.issues.map((i) => i.path));
    expect(await page.locator("rf-test-editor .rf-issue").count()).toBe(changes[0]!.issues.length);
    expect(initialIssues).toBe(0);
    expect(errors).toEqual([]);
  });

  it("is themed by the --rf-* custom properties set on an ancestor", async () => {
    const colour = await page.evaluate(async () => {
      document.body.style.setProperty("--rf-color-fail", "rgb(1, 2, 3)");
      const el = document.querySelector("rf-test-editor") as HTMLElement & { definition: unknown; updateComplete: Promise<unknown> };
      el.definition = { kind: "ruleset", id: "r", version: 1, rules: [{ id: "a", when: { fact: "x", op: "nope", value: 1 }, then: {} }] };
      await el.updateComplete;
      const issue = el.shadowRoot!.querySelector(".rf-issue")!;
      return getComputedStyle(issue).color;
    });
    expect(colour).toBe("rgb(1, 2, 3)");
  });

  it("readonly disables the controls and dispatches nothing", async () => {
    await page.evaluate(async () => {
      const el = document.querySelector("rf-test-editor") as HTMLElement & { readonly: boolean; updateComplete: Promise<unknown> };
      el.readonly = true;
      await el.updateComplete;
    });
    await expect(page.getByLabel("name").isDisabled()).resolves.toBe(true);
  });
});
