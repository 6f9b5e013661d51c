/**
 * Ruleflow Studio end to end, in Chromium: the built app (vite build into a
 * temp folder, served as static files, as any web server would) driven like a
 * person would: open the qualification workflow, edit its first escalation,
 * run the Spring Festival scenario and read the timeline; break a decision
 * table cell and fix it, and see the evaluation follow; export.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistry } from "@ruleflow/engine";
import { browserSkipReason, browserSuiteTitle, launchBrowser, saveScreenshot, seriousA11yViolations } from "../../ui/test/browser.js";

const here = dirname(fileURLToPath(import.meta.url));
const studioRoot = join(here, "..");
const examples = join(studioRoot, "..", "examples");

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".map": "application/json", ".json": "application/json" };

/** Serve a folder of static files on 127.0.0.1. */
async function serveFolder(root: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let path = join(root, decodeURIComponent((req.url ?? "/").split("?")[0]!));
    if (path.endsWith("/")) path = join(path, "index.html");
    if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": `${TYPES[extname(path)] ?? "application/octet-stream"}; charset=utf-8` }).end(readFileSync(path));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("Ruleflow Studio in Chromium"), () => {
  let out: string;
  let browser: Browser;
  let served: { url: string; server: Server };
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "ruleflow-studio-"));
    await build({ root: studioRoot, configFile: join(studioRoot, "vite.config.ts"), logLevel: "error", build: { outDir: out, emptyOutDir: true, sourcemap: false } });
    served = await serveFolder(out);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
    await page.goto(served.url);
    await page.getByRole("heading", { name: "Ruleflow Studio" }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => served?.server.close(ok));
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("the build is a static folder: one HTML file and its assets, relative paths", () => {
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).toMatch(/src="\.\/assets\/[^"]+\.js"/);
    expect(readdirSync(join(out, "assets")).some((f) => f.endsWith(".js"))).toBe(true);
  });

  it("opens the qualification workflow and its diagram shows every node", async () => {
    await page.getByRole("navigation").getByRole("button", { name: /Customer qualification/ }).click();
    const diagram = page.locator("rf-workflow-diagram");
    await diagram.waitFor();
    const workflow = JSON.parse(readFileSync(join(examples, "definitions", "customer-qualification.workflow.json"), "utf8")) as { nodes: Record<string, unknown> };
    await expect.poll(() => diagram.locator("g.node").count(), { timeout: 20_000 }).toBe(Object.keys(workflow.nodes).length);
    for (const node of Object.keys(workflow.nodes)) await expect(diagram.getByText(node, { exact: true }).count()).resolves.toBeGreaterThan(0);
    await saveScreenshot(page, "studio-workflow");
    expect(errors).toEqual([]);
  });

  it("edits the first escalation PT3H -> PT2H, runs a scenario across the Spring Festival, and the timeline shows the reminder two business hours after the start", async () => {
    // a what-if scenario dropped into the studio: a request at 17:00 on Saturday 14 February 2026
    // (a make-up working day), the last working hour before the Spring Festival holiday
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-festival-"));
    const scenarioFile = join(dir, "festival.scenario.json");
    const scenario = {
      kind: "scenario",
      id: "festival",
      start: "2026-02-14T17:00:00+08:00",
      definitions: ["../definitions/customer-qualification.workflow.json", "../definitions/contract-auto-approval.ruleset.json"],
      directory: { roles: { marketing: ["user:ma"], compliance: ["user:chen"], legal: ["user:lu"], "compliance-lead": ["user:boss"], onboarding: ["user:ob"] } },
      steps: [
        { start: "customer-qualification", as: "q1", initiator: "user:li", input: { contract: { amount: 900000 }, customer: { name: "ACME", creditRating: "A" } } },
        { advance: "P12D" },
      ],
    };
    writeFileSync(scenarioFile, JSON.stringify(scenario, null, 2));
    await page.locator('input[type="file"]').setInputFiles(scenarioFile);
    await expect.poll(() => page.getByRole("navigation").getByRole("button", { name: /festival\.scenario\.json/ }).count()).toBe(1);
    rmSync(dir, { recursive: true, force: true });

    // edit the workflow in its diagram
    await page.getByRole("navigation").getByRole("button", { name: /Customer qualification/ }).click();
    await page.getByRole("tab", { name: "Visual" }).click();
    await page.getByRole("button", { name: /^Approval · all must approve countersign/ }).click();
    const after = page.getByLabel("Escalation step 1: after");
    await expect(after.inputValue()).resolves.toBe("PT3H");
    await after.fill("PT2H");
    await after.press("Tab");
    await expect(page.getByRole("navigation").getByRole("button", { name: /Customer qualification/ }).textContent()).resolves.toContain("changed");

    // run the dropped scenario from the workflow's Try tab
    await page.getByRole("tab", { name: "Try" }).click();
    await page.getByLabel("Scenario").selectOption({ label: "festival.scenario.json" });
    await page.getByRole("button", { name: "Run scenario" }).click();
    const timeline = page.locator("rf-timeline");
    await timeline.waitFor();

    // when is "two business hours after the start"? The engine's calendar says, independently of the run
    const { getBuiltinCalendar } = await import("@ruleflow/engine/calendar");
    const due = getBuiltinCalendar("cn-mainland").addBusinessTime(Date.parse(scenario.start), 2 * 3600_000);
    const local = new Date(due + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
    expect(local.startsWith("2026-02-24")).toBe(true); // one hour before the holiday, one after it
    const rows = await timeline.locator("table.events tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())));
    const reminder = rows.find((r) => r[2] === "notification" && r[3]?.startsWith("approval-reminder"));
    expect(reminder?.[0]).toBe(local);
    await timeline.getByRole("button", { name: "Business time" }).click();
    // the diagram below shows q1's path: rejected (done), approved not taken
    const diagram = page.locator("rf-workflow-diagram");
    await page.evaluate(() => (document.querySelector("rf-studio")!.shadowRoot!.querySelector("rf-workflow-diagram") as unknown as { layoutComplete: Promise<void> }).layoutComplete);
    const stateOf = (id: string) => diagram.locator(`g.node[data-node-id="${id}"]`).getAttribute("data-state");
    await expect(stateOf("rejected")).resolves.toBe("done");
    await expect(stateOf("countersign")).resolves.toBe("done");
    await expect(stateOf("approved")).resolves.toBe("untaken");
    await saveScreenshot(page, "studio-scenario-timeline");
    await diagram.scrollIntoViewIfNeeded();
    await saveScreenshot(diagram, "studio-scenario-diagram");
    expect(errors).toEqual([]);
  });

  it("a broken decision-table cell shows the engine's issue at rules[i].<column>; fixed, the evaluation shows the new rate; export is the edited document", async () => {
    const nav = page.getByRole("navigation");
    await nav.getByRole("button", { name: /Rebate rate by tier/ }).click();
    // evaluate first: the example rate for an A customer on the new line who pays on time
    await page.getByRole("tab", { name: "Try" }).click();
    await page.getByLabel("Start from").selectOption("rebate-a-new-line.json");
    await page.getByRole("button", { name: "Evaluate" }).click();
    const output = page.getByLabel("Output", { exact: true });
    await expect(output.textContent()).resolves.toContain('"rate": "0.125"');

    // break a cell in the visual editor
    await page.getByRole("tab", { name: "Visual" }).click();
    const editor = page.locator("rf-decision-table-editor");
    const editCell = async (path: string, text: string) => {
      await editor.locator(`td[data-path="${path}"]`).click();
      await page.keyboard.press("Enter");
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.type(text);
      await page.keyboard.press("Enter");
    };
    await editCell("rules[0].paid", ">= ");
    const issue = editor.locator('td[data-path="rules[0].paid"] .rf-issue');
    await expect(issue.textContent()).resolves.toMatch(/^rules\[0\]\.paid: /);
    await expect(page.getByRole("status").first().textContent()).resolves.toMatch(/^1 problem$/);
    await saveScreenshot(page, "studio-table-error");

    // fix it, and raise the rate
    await editCell("rules[0].paid", ">= 0.95");
    await editCell("rules[0].rate", "0.15");
    await expect(editor.locator(".rf-issue").count()).resolves.toBe(0);
    await page.getByRole("tab", { name: "Try" }).click();
    await page.getByRole("button", { name: "Evaluate" }).click();
    await expect(output.textContent()).resolves.toContain('"rate": "0.15"');
    // the explanation names the rule that decided
    await expect(page.locator("rf-explanation").getByText("a-new-line-good-payer").count()).resolves.toBeGreaterThan(0);
    await saveScreenshot(page, "studio-table-evaluated");

    // the JSON view (the CodeMirror document) shows the same document
    await page.getByRole("tab", { name: "JSON" }).click();
    const jsonText = await page.locator("rf-json-editor").first().evaluate((el) => (el as HTMLElement & { text: string }).text);
    expect(jsonText).toContain('"rate": "0.15"');

    // export: the edited document
    const original = JSON.parse(readFileSync(join(examples, "definitions", "rebate-rate.decision-table.json"), "utf8")) as { rules: Record<string, string>[] };
    const expected = structuredClone(original);
    expected.rules[0]!.rate = "0.15";
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export", exact: true }).click()]);
    expect(download.suggestedFilename()).toBe("rebate-rate.decision-table.json");
    const exported = readFileSync(await download.path(), "utf8");
    expect(JSON.parse(exported)).toEqual(expected);
    // the engine evaluates the exported file to the new rate
    const registry = createRegistry([JSON.parse(exported)]);
    const facts = JSON.parse(readFileSync(join(examples, "facts", "rebate-a-new-line.json"), "utf8")) as unknown;
    expect((registry.evaluate("rebate-rate", facts, { at: "2026-03-01T00:00:00+08:00" }).output as { rate: string }).rate).toBe("0.15");
    expect(errors).toEqual([]);
  });

  it("an unchanged document exports byte-identical to its file", async () => {
    await page.getByRole("navigation").getByRole("button", { name: /Contract auto-approval/ }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export", exact: true }).click()]);
    expect(readFileSync(await download.path(), "utf8")).toBe(readFileSync(join(examples, "definitions", "contract-auto-approval.ruleset.json"), "utf8"));
  });

  it("settles a rebate program over an orders file opened from disk: the statement is the engine's", async () => {
    await page.getByRole("navigation").getByRole("button", { name: /Distributor volume rebate/ }).last().click();
    await page.getByRole("tab", { name: "Try" }).click();
    const csv = join(examples, "data", "orders-2026-02.csv");
    await page.locator('input[type="file"]').setInputFiles(csv);
    await expect.poll(() => page.getByLabel("Orders file").inputValue()).toBe("orders-2026-02.csv");
    await page.getByLabel("Period").fill("2026-02");
    await page.getByLabel("Period").press("Tab");
    await page.getByRole("button", { name: "Settle", exact: true }).click();
    const total = page.locator("[data-total]");
    await total.waitFor();
    // the same settlement in node, from the same files
    const { parseOrderLines, settleRebates } = await import("@ruleflow/engine/rebates");
    const docs = ["distributor-rebate.v3.rebate.json", "distributor-rebate.v4.rebate.json", "rebate-line-bonus.decision-table.json"].map(
      (f) => JSON.parse(readFileSync(join(examples, "definitions", f), "utf8")) as unknown,
    );
    const registry = createRegistry(docs);
    const statement = settleRebates({
      program: registry.versions("distributor-rebate") as Parameters<typeof settleRebates>[0]["program"] & unknown[],
      lines: parseOrderLines(readFileSync(csv, "utf8"), { source: "orders-2026-02.csv" }),
      period: "2026-02",
      definitions: registry,
    });
    await expect(total.textContent()).resolves.toBe(statement.totals.due);
    await expect(page.getByRole("img", { name: "Rebate due by account" }).count()).resolves.toBe(1);
    await saveScreenshot(page, "studio-rebate-statement");
  });

  it("opens a definition file from disk, and names where a broken file stops being JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-open-"));
    const good = join(dir, "my-table.decision-table.json");
    const original = JSON.parse(readFileSync(join(examples, "definitions", "rebate-line-bonus.decision-table.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(good, JSON.stringify({ ...original, id: "my-table", name: "My table" }, null, 2));
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{\n  "kind": "ruleset",\n  "id": "x"\n  "rules": []\n}\n');
    await page.locator('input[type="file"]').setInputFiles([good, broken]);
    await expect.poll(() => page.getByRole("navigation").getByRole("button", { name: /My table/ }).count()).toBe(1);
    // the broken file is selected, in the JSON view, with the place named
    await expect(page.getByRole("navigation").textContent()).resolves.toContain("broken.json: not JSON at line 4, column 3");
    await page.getByRole("navigation").getByRole("button", { name: /My table/ }).click();
    await page.getByRole("tab", { name: "Visual" }).click();
    await expect(page.locator("rf-decision-table-editor table[role=grid]").count()).resolves.toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });

  it("the JSON view completes from the kind's schema and marks the engine's issue under the text its path names; the visual view follows", async () => {
    await page.getByRole("navigation").getByRole("button", { name: /Commission split/ }).click();
    await page.getByRole("tab", { name: "JSON" }).click();
    const editor = page.locator("rf-json-editor").first();
    await editor.locator(".cm-content").waitFor();
    // put the cursor on the operator value of the first rule's condition and select it (the selection is set directly; the edits are typed)
    const select = (needle: string) =>
      editor.evaluate((el, n) => {
        const view = (el as unknown as { view: { state: { doc: { toString(): string } }; dispatch(t: unknown): void; focus(): void } }).view;
        const at = view.state.doc.toString().indexOf(n);
        view.dispatch({ selection: { anchor: at, head: at + n.length } });
        view.focus();
      }, needle);
    await select('"eq"');
    await page.keyboard.type('"eqq"');
    // the engine's issue is marked in the text and counted in the status
    await expect.poll(() => editor.locator(".cm-lintRange-error").count()).toBeGreaterThan(0);
    await expect(page.getByRole("status").first().textContent()).resolves.toMatch(/^1 problem$/);
    await expect(editor.locator(".cm-lintRange-error").first().textContent()).resolves.toContain("eqq");
    await saveScreenshot(page, "studio-json-issue");
    // completion offers the operators the schema allows there
    await select('"eqq"');
    await page.keyboard.press("Backspace");
    await page.keyboard.press("ControlOrMeta+Space");
    const options = page.locator(".cm-tooltip-autocomplete li");
    await expect.poll(() => options.count()).toBeGreaterThan(5);
    const labels = await options.allTextContents();
    expect(labels).toContain('"eq"');
    expect(labels).toContain('"withinLast"');
    await page.locator(".cm-tooltip-autocomplete li", { hasText: '"ne"' }).first().click();
    await expect.poll(() => editor.locator(".cm-lintRange-error").count()).toBe(0);
    // the visual view shows the edited operator
    await page.getByRole("tab", { name: "Visual" }).click();
    const firstOperator = page.locator("rf-condition-editor").first().locator("select").first();
    await expect(firstOperator.inputValue()).resolves.toBe("ne");
  });

  it("shows the static analysis: overlaps and gaps on the table's rows, with a witness; a rule set's findings below its rules", async () => {
    const { analyzeDefinition } = await import("@ruleflow/engine/analysis");
    const table = JSON.parse(readFileSync(join(examples, "definitions", "discount-rate-flawed.decision-table.json"), "utf8")) as { name: string };
    const expected = analyzeDefinition(table).findings;
    expect(expected.length).toBeGreaterThan(0);
    await page.getByRole("navigation").getByRole("button", { name: /discount-rate-flawed\.decision-table\.json/ }).click();
    await page.getByRole("tab", { name: "Visual" }).click();
    const editor = page.locator("rf-decision-table-editor");
    await editor.locator("table[role=grid]").waitFor();
    await expect.poll(() => editor.locator(".finding").count()).toBeGreaterThan(0);
    const shown = (await editor.locator(".finding").allTextContents()).join("\n");
    for (const f of expected.filter((x) => x.severity !== "info")) expect(shown).toContain(f.message);
    await saveScreenshot(page, "studio-table-findings");

    const ruleset = JSON.parse(readFileSync(join(examples, "definitions", "order-bonus-flawed.ruleset.json"), "utf8")) as unknown;
    const rulesetFindings = analyzeDefinition(ruleset).findings;
    await page.getByRole("navigation").getByRole("button", { name: /order-bonus-flawed\.ruleset\.json/ }).click();
    await page.getByRole("tab", { name: "Visual" }).click();
    const list = page.locator("ul.findings li");
    await expect.poll(() => list.count()).toBe(rulesetFindings.length);
  });

  it("runs a business-wide scenario (rebate settlements on the 5th, reading its order files) and every expectation holds", async () => {
    await page.getByRole("navigation").getByRole("button", { name: /distributor-rebate-settlement\.scenario\.json/ }).click();
    await page.getByRole("tab", { name: "Try" }).click();
    await page.getByRole("button", { name: "Run scenario" }).click();
    await expect.poll(() => page.getByText("All expectations held").count(), { timeout: 20_000 }).toBe(1);
  });

  it("compares two versions of a rebate program member by member, and a document against what was opened", async () => {
    await page.getByRole("navigation").getByRole("button", { name: /distributor-rebate\.v4\.rebate\.json/ }).click();
    await page.getByRole("tab", { name: "Compare" }).click();
    await expect(page.getByText("No differences.").count()).resolves.toBe(1);
    await page.getByLabel("Compare with").selectOption({ label: "distributor-rebate.v3.rebate.json (v3)" });
    const { diffJson } = await import("../src/diff.js");
    const v3 = JSON.parse(readFileSync(join(examples, "definitions", "distributor-rebate.v3.rebate.json"), "utf8")) as unknown;
    const v4 = JSON.parse(readFileSync(join(examples, "definitions", "distributor-rebate.v4.rebate.json"), "utf8")) as unknown;
    const expected = diffJson(v3, v4);
    expect(expected.length).toBeGreaterThan(0);
    const items = page.getByRole("list", { name: "Compare" }).getByRole("listitem");
    await expect(items.count()).resolves.toBe(expected.length);
    await expect(items.first().textContent()).resolves.toContain(expected[0]!.path.map((s, i) => (typeof s === "number" ? `[${s}]` : i ? `.${s}` : s)).join(""));
    await saveScreenshot(page, "studio-compare");
  });

  it("speaks Chinese with ?lang=zh-CN, the engine's messages included", async () => {
    const zh = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await zh.goto(`${served.url}?lang=zh-CN`);
    await zh.getByRole("heading", { name: "Ruleflow 工作台" }).waitFor();
    await zh.getByRole("navigation").getByRole("button", { name: /rebate-rate\.decision-table\.json/ }).click();
    await expect(zh.getByRole("tab", { name: "可视化" }).count()).resolves.toBe(1);
    await expect(zh.locator("rf-decision-table-editor").getByLabel("命中策略").count()).resolves.toBe(1);
    await saveScreenshot(zh, "studio-zh-CN");
    await zh.close();
  });

  it("has no serious accessibility violations", async () => {
    const violations = await seriousA11yViolations(page, "rf-studio");
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
  });
});
