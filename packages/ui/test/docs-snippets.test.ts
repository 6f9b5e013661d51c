/**
 * Every component page in docs/ui/ shows a plain-HTML example; each runs here
 * as printed, in Chromium: its module script is bundled (bare imports such as
 * `@ruleflow/ui/timeline` resolved as a host's bundler would), the files it
 * fetches are served from packages/examples (`/definitions/...`,
 * `/scenarios/...`, `/data/...`), and `save` is the host's function the
 * snippets call with a valid document. The element must render, with no page
 * error.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSkipReason, browserSuiteTitle, bundleScript, launchBrowser, REPO_ROOT, servePages, type PageServer } from "./browser.js";

const DOCS = join(REPO_ROOT, "docs", "ui");
const EXAMPLES = join(REPO_ROOT, "packages", "examples");
const pages = readdirSync(DOCS).filter((f) => f.endsWith(".md"));

/** The first ```html block of a page, split into its markup and its module script. */
function snippet(file: string): { markup: string; script: string; tag: string } {
  const text = readFileSync(join(DOCS, file), "utf8");
  const html = /```html\n([\s\S]*?)```/.exec(text)?.[1];
  if (!html) throw new Error(`docs/ui/${file} has no html example`);
  const script = /<script type="module">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!script) throw new Error(`docs/ui/${file}: the html example has no module script`);
  const tag = /<(rf-[a-z-]+)/.exec(html)?.[1];
  if (!tag) throw new Error(`docs/ui/${file}: the html example has no rf- element`);
  return { markup: html.replace(/<script type="module">[\s\S]*?<\/script>/, ""), script, tag };
}

describe("every component page has a runnable plain-HTML example", () => {
  it("covers the eight components", () => {
    expect(pages.map((p) => snippet(p).tag).sort()).toEqual(
      ["rf-condition-editor", "rf-decision-table-editor", "rf-explanation", "rf-promotion-editor", "rf-rebate-editor", "rf-rollout-editor", "rf-timeline", "rf-workflow-diagram"].sort(),
    );
  });
});

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("docs/ui examples in Chromium"), () => {
  let browser: Browser;
  let server: PageServer;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await servePages();
    for (const folder of ["definitions", "scenarios", "data"]) {
      for (const entry of readdirSync(join(EXAMPLES, folder), { withFileTypes: true })) {
        // files only: scenarios/ holds a data/ folder of its own
        if (!entry.isFile()) continue;
        const f = entry.name;
        server.put(`/${folder}/${f}`, f.endsWith(".json") ? "application/json" : "text/plain", readFileSync(join(EXAMPLES, folder, f), "utf8"));
      }
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const file of pages) {
    it(`docs/ui/${file}`, async () => {
      const { markup, script, tag } = snippet(file);
      const name = file.replace(/\.md$/, "");
      // the snippet's imports resolve from this folder; `save` is the host's
      server.put(`/${name}.js`, "text/javascript", await bundleScript(script));
      server.put(
        `/${name}.html`,
        "text/html",
        `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title><link rel="icon" href="data:,"></head><body>` +
          `<script>window.__saved = []; window.save = (d) => window.__saved.push(d);</script>${markup}<script type="module" src="/${name}.js"></script></body></html>`,
      );
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await page.goto(`${server.url}/${name}.html`);
      // rendered: the element's shadow root has content, and its data arrived
      await page.waitForFunction(
        (t) => {
          const el = document.querySelector<HTMLElement & { definition?: unknown; result?: unknown; report?: unknown }>(t);
          const data = el?.definition ?? el?.result ?? el?.report;
          return !!el?.shadowRoot && (el.shadowRoot.textContent ?? "").trim().length > 20 && data !== undefined;
        },
        tag,
        { timeout: 20_000 },
      );
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
