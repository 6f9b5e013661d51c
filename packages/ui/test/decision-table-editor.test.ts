/**
 * `<rf-decision-table-editor>`: the pure model (cell text, paths, row and
 * column edits) with property tests in node, and the element in Chromium:
 * both example tables render, keyboard-only editing (cell, row added, row
 * moved), the engine's cell issue inline at `rules[i].<column>`, findings on
 * their rows and cells, readonly, zh-CN, axe, and the screenshots.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatPath, validateDefinition } from "@ruleflow/engine";
import {
  addColumn,
  gridColumns,
  inputCellText,
  moveColumn,
  moveItem,
  moveRule,
  outputCellText,
  parseAllowedValues,
  allowedValuesText,
  parseInputCell,
  parseOutputCell,
  parsePath,
  removeColumn,
  renameColumn,
  ruleTarget,
  type TableDoc,
} from "../src/components/decision-table-editor/model.js";
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

const RATE = exampleDefinition("rebate-rate.decision-table.json");
const BONUS = exampleDefinition("rebate-line-bonus.decision-table.json");

const columnId = fc.stringMatching(/^[A-Za-z_][\w-]{0,6}$/).filter((s) => s !== "id" && s !== "description");

describe("decision table model", () => {
  it("parsePath reads back every path formatPath writes", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(50), fc.string({ maxLength: 6 })), { maxLength: 5 }), (path) => {
        expect(parsePath(formatPath(path))).toEqual(path);
      }),
    );
    expect(parsePath("rules[2].paid")).toEqual(["rules", 2, "paid"]);
    expect(parsePath(["rules", 1])).toEqual(["rules", 1]);
    expect(ruleTarget(parsePath("rules[2].paid.expr"))).toEqual({ rule: 2, key: "paid" });
    expect(ruleTarget(parsePath("rules[2]"))).toEqual({ rule: 2 });
    expect(ruleTarget(parsePath("inputs[0]"))).toBeUndefined();
  });

  it("an output cell's text types back to the same value, for every type", () => {
    const cases: [string, fc.Arbitrary<unknown>][] = [
      ["string", fc.string()],
      ["number", fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n))],
      ["decimal", fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.nat(9999)).map(([a, b]) => `${a}.${b}`)],
      ["boolean", fc.boolean()],
      ["date", fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))],
      ["json", fc.json().map((j) => JSON.parse(j) as unknown)],
    ];
    for (const [type, arb] of cases) {
      fc.assert(
        fc.property(fc.oneof(arb, fc.constant(null), fc.string({ minLength: 1 }).map((expr) => ({ expr: expr.trim() || "x" }))), (value) => {
          // a json value that is exactly { expr: "..." } is an expression, by the engine's rule too
          expect(parseOutputCell(outputCellText(value, type), type)).toEqual(value);
        }),
      );
    }
    expect(outputCellText({ expr: "amount * 0.1" }, "decimal")).toBe("= amount * 0.1");
    expect(outputCellText("0.125", "decimal")).toBe("0.125");
    expect(outputCellText("5", "number")).toBe('"5"');
    expect(parseOutputCell("", "string")).toBeUndefined();
  });

  it("an input cell's text types back to the same unary test; empty text is '-'", () => {
    fc.assert(
      fc.property(fc.string().map((s) => s.trim()).filter((s) => s !== ""), (cell) => {
        expect(parseInputCell(inputCellText(cell))).toBe(cell);
      }),
    );
    expect(inputCellText(undefined)).toBe("-");
    expect(inputCellText(42)).toBe("42");
    expect(parseInputCell("   ")).toBe("-");
  });

  it("allowed values text round-trips JSON values", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean()), { minLength: 1, maxLength: 5 }), (values) => {
        expect(parseAllowedValues(allowedValuesText(values))).toEqual(values);
      }),
    );
    expect(parseAllowedValues("board, director")).toEqual(["board", "director"]);
  });

  it("moving an item is a permutation, and moving it back restores the order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 10 }), fc.nat(12), fc.nat(12), (items, a, b) => {
        const from = a % items.length;
        const to = b % items.length;
        const moved = moveItem(items, from, to);
        expect([...moved].sort()).toEqual([...items].sort());
        expect(moved[to]).toBe(items[from]);
        expect(moveItem(moved, to, from)).toEqual(items);
      }),
    );
  });

  it("row and column moves keep the example tables valid and every cell's value", () => {
    for (const example of [RATE, BONUS]) {
      const doc = example as TableDoc;
      fc.assert(
        fc.property(fc.nat(20), fc.nat(20), fc.nat(5), fc.nat(5), (r1, r2, c1, c2) => {
          const n = doc.rules!.length;
          const m = doc.inputs!.length;
          const next = moveColumn(moveRule(doc, r1 % n, r2 % n), "inputs", c1 % m, c2 % m);
          expect(validateDefinition(next).ok).toBe(true);
          expect([...next.rules!].map((r) => JSON.stringify(r)).sort()).toEqual([...doc.rules!].map((r) => JSON.stringify(r)).sort());
          expect(doc).toEqual(example); // the input is never mutated
        }),
      );
    }
  });

  it("adding then removing a column gives the table back; removing a column removes its cells", () => {
    const doc = RATE as TableDoc;
    fc.assert(
      fc.property(fc.constantFrom("inputs" as const, "outputs" as const), fc.nat(4), (group, at) => {
        const { doc: added, index } = addColumn(doc, group, at, "col");
        const id = added[group]![index]!.id;
        if (group === "inputs") expect(added.rules!.every((r) => r[id] === "-")).toBe(true);
        expect(removeColumn(added, group, index)).toEqual(doc);
      }),
    );
    const without = removeColumn(doc, "inputs", 1);
    expect(without.inputs!.map((c) => c.id)).toEqual(["tier", "paid"]);
    expect(without.rules!.some((r) => "line" in r)).toBe(false);
    expect(validateDefinition(without).ok).toBe(true);
  });

  it("renaming a column renames its cells in every rule, keeping their values and key order", () => {
    const doc = RATE as TableDoc;
    fc.assert(
      fc.property(fc.nat(2), columnId, (i, newId) => {
        const old = doc.inputs![i]!.id;
        const taken = [...doc.inputs!, ...doc.outputs!].some((c) => c.id === newId && c.id !== old);
        const next = renameColumn(doc, "inputs", i, newId);
        if (taken) return;
        doc.rules!.forEach((r, k) => {
          const nr = next.rules![k]!;
          expect(nr[newId]).toEqual(r[old]);
          expect(Object.keys(nr)).toEqual(Object.keys(r).map((key) => (key === old ? newId : key)));
        });
        expect(validateDefinition(next).ok).toBe(true);
      }),
    );
  });

  it("the grid's columns are number, rule id, inputs, outputs, description", () => {
    expect(gridColumns(RATE as TableDoc).map((c) => c.kind + ("key" in c ? `:${c.key}` : ""))).toEqual([
      "num",
      "id:id",
      "input:tier",
      "input:line",
      "input:paid",
      "output:rate",
      "description:description",
    ]);
  });
});

const PAGE = `
import "../src/components/decision-table-editor.js";
window.__changes = [];
document.addEventListener("change", (e) => {
  if (e.target && e.target.tagName === "RF-DECISION-TABLE-EDITOR" && e.detail) window.__changes.push(JSON.parse(JSON.stringify(e.detail)));
});
window.__ready = true;
`;

interface Change {
  definition: Record<string, unknown> & { rules: Record<string, unknown>[]; inputs: { id: string }[] };
  issues: { path: (string | number)[]; message: string; code: string }[];
}

async function setup(page: Page, definition: unknown, props: { locale?: string; readonly?: boolean; findings?: unknown[] } = {}): Promise<void> {
  await page.evaluate(
    async ({ definition, props }) => {
      const el = document.querySelector("rf-decision-table-editor") as unknown as HTMLElement & Record<string, unknown> & { updateComplete: Promise<unknown> };
      el["definition"] = definition;
      if (props.locale) el["locale"] = props.locale;
      if (props.readonly) el["readonly"] = true;
      if (props.findings) el["findings"] = props.findings;
      await el.updateComplete;
    },
    { definition, props },
  );
}

const changes = (page: Page) => page.evaluate(() => (window as unknown as { __changes: Change[] }).__changes);

/** The focused element inside the component's shadow root. */
const active = (page: Page) =>
  page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    const h = a as HTMLElement | null;
    return h ? { tag: h.tagName, role: h.getAttribute("role"), r: h.dataset["r"], c: h.dataset["c"], path: h.dataset["path"], label: h.getAttribute("aria-label"), field: h.dataset["field"] } : null;
  });

/** Press Tab until a grid cell has focus (keyboard only). */
async function tabIntoGrid(page: Page): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    const a = await active(page);
    if (a?.role === "gridcell" || a?.role === "columnheader" || a?.role === "rowheader") return;
  }
  throw new Error("Tab never reached the grid");
}

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("<rf-decision-table-editor> in Chromium"), () => {
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

  const open = async (lang = "en") => openPage(browser, server, { body: `<button id="before">before</button><rf-decision-table-editor></rf-decision-table-editor>`, script: PAGE, name: "dt", lang });

  it("renders each example table: headings, every rule's cells, no issues", async () => {
    const { page, errors } = await open();
    for (const example of [RATE, BONUS]) {
      await setup(page, example);
      const doc = example as TableDoc;
      const el = page.locator("rf-decision-table-editor");
      await expect(el.locator("table[role=grid] tbody tr").count()).resolves.toBe(doc.rules!.length);
      for (const input of doc.inputs!) await expect(el.locator("thead th.input").filter({ hasText: input.label ?? input.id }).count()).resolves.toBe(1);
      for (const output of doc.outputs!) await expect(el.locator("thead th.output").filter({ hasText: output.label ?? output.id }).count()).resolves.toBe(1);
      for (const [r, rule] of doc.rules!.entries()) {
        for (const input of doc.inputs!) {
          await expect(el.locator(`td[data-path="rules[${r}].${input.id}"]`).textContent()).resolves.toContain(String(rule[input.id]));
        }
        for (const output of doc.outputs!) {
          await expect(el.locator(`td[data-path="rules[${r}].${output.id}"]`).textContent()).resolves.toContain(String(rule[output.id]));
        }
        if (typeof rule["id"] === "string") await expect(el.locator(`td[data-path="rules[${r}].id"]`).textContent()).resolves.toContain(rule["id"]);
      }
      await expect(el.locator(".rf-issue").count()).resolves.toBe(0);
      await expect(el.locator("select").first().inputValue()).resolves.toBe("first");
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it("works by keyboard alone: edit a cell, cancel an edit, add a row, fill it, move it; the emitted table is valid", async () => {
    const { page, errors } = await open();
    await setup(page, RATE);
    await tabIntoGrid(page);
    expect(await active(page)).toMatchObject({ role: "gridcell", r: "1", c: "2", path: "rules[0].tier" });

    // to rules[2].paid and edit it: Enter, select all, type, Enter
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(await active(page)).toMatchObject({ path: "rules[2].paid" });
    await page.keyboard.press("Enter");
    expect(await active(page)).toMatchObject({ tag: "INPUT" });
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("[0.85..1]");
    await page.keyboard.press("Enter");
    expect(await active(page)).toMatchObject({ path: "rules[2].paid" });
    let all = await changes(page);
    expect(all).toHaveLength(1);
    expect(all[0]!.definition.rules[2]!["paid"]).toBe("[0.85..1]");
    expect(all[0]!.issues).toEqual([]);

    // F2 then Escape cancels: nothing is emitted
    await page.keyboard.press("F2");
    await page.keyboard.type(" junk");
    await page.keyboard.press("Escape");
    expect(await active(page)).toMatchObject({ path: "rules[2].paid" });
    expect(await changes(page)).toHaveLength(1);

    // Alt+Enter adds a row below rules[2]; fill its output, then its tier (typing starts an edit)
    await page.keyboard.press("Alt+Enter");
    expect(await active(page)).toMatchObject({ path: "rules[3].paid" });
    all = await changes(page);
    expect(all[1]!.definition.rules).toHaveLength(6);
    expect(all[1]!.definition.rules[3]).toEqual({ tier: "-", line: "-", paid: "-" });
    expect(all[1]!.issues.map((i) => formatPath(i.path))).toEqual(["rules[3].rate"]); // the engine: every rule needs its output
    await page.keyboard.press("ArrowRight");
    await page.keyboard.type("0.07");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(await active(page)).toMatchObject({ path: "rules[3].tier" });
    await page.keyboard.press("Enter");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type('"C"');
    await page.keyboard.press("Enter");

    // Alt+ArrowUp moves the new row above b-good-payer; focus follows it
    await page.keyboard.press("Alt+ArrowUp");
    expect(await active(page)).toMatchObject({ path: "rules[2].tier" });

    // Alt+ArrowRight moves the tier column after line
    await page.keyboard.press("Alt+ArrowRight");
    expect(await active(page)).toMatchObject({ path: "rules[2].tier", c: "3" });

    all = await changes(page);
    const last = all.at(-1)!;
    expect(last.definition.rules[2]).toEqual({ tier: '"C"', line: "-", paid: "-", rate: "0.07" });
    expect(last.definition.rules[3]).toMatchObject({ id: "b-good-payer", paid: "[0.85..1]" });
    expect(last.definition.inputs.map((c) => c.id)).toEqual(["line", "tier", "paid"]);
    expect(last.issues).toEqual([]);
    const verdict = validateDefinition(last.definition);
    expect(verdict.ok, JSON.stringify(verdict.issues)).toBe(true);

    // the buttons are reachable by Tab and act on the current row: Tab back to "Move row down", Enter
    await page.keyboard.press("Shift+Tab");
    let a = await active(page);
    for (let i = 0; i < 12 && a?.tag === "BUTTON" && (await page.evaluate(() => {
      let x: Element | null = document.activeElement;
      while (x?.shadowRoot?.activeElement) x = x.shadowRoot.activeElement;
      return (x as HTMLElement).dataset["action"];
    })) !== "move-row-down"; i++) {
      await page.keyboard.press("Shift+Tab");
      a = await active(page);
    }
    await page.keyboard.press("Enter");
    all = await changes(page);
    expect(all.at(-1)!.definition.rules[3]).toEqual({ tier: '"C"', line: "-", paid: "-", rate: "0.07" });
    expect(validateDefinition(all.at(-1)!.definition).ok).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a broken cell shows the engine's message at rules[i].<column>, as you type and after Enter; fixing it clears it", async () => {
    const { page, errors } = await open();
    await setup(page, RATE);
    await tabIntoGrid(page);
    for (const key of ["ArrowDown", "ArrowDown", "ArrowRight", "ArrowRight"]) await page.keyboard.press(key);
    await page.keyboard.press("Enter");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(">= ");
    const cell = page.locator('rf-decision-table-editor td[data-path="rules[2].paid"]');
    // while typing: the draft's issue, on the editor
    await expect(cell.locator("input").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(cell.locator(".rf-issue").textContent()).resolves.toContain("rules[2].paid: expected a value");
    await page.keyboard.press("Enter");

    const last = (await changes(page)).at(-1)!;
    const verdict = validateDefinition(last.definition);
    expect(verdict.ok).toBe(false);
    const engineIssue = verdict.issues.find((i) => formatPath(i.path) === "rules[2].paid")!;
    expect(engineIssue).toBeDefined();
    expect(last.issues.map((i) => formatPath(i.path))).toEqual(["rules[2].paid"]);

    await expect(cell.getAttribute("aria-invalid")).resolves.toBe("true");
    const issue = cell.locator(".rf-issue");
    await expect(issue.textContent()).resolves.toBe(`rules[2].paid: ${engineIssue.message}`);
    const issueId = await issue.getAttribute("id");
    await expect(cell.getAttribute("aria-describedby")).resolves.toContain(issueId!);
    // only that cell is marked
    await expect(page.locator("rf-decision-table-editor [aria-invalid=true]").count()).resolves.toBe(1);
    await saveScreenshot(page.locator("rf-decision-table-editor"), "decision-table-editor-error");

    // fix it
    await page.keyboard.press("Enter");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(">= 0.9");
    await page.keyboard.press("Enter");
    const fixed = (await changes(page)).at(-1)!;
    expect(fixed.issues).toEqual([]);
    expect(validateDefinition(fixed.definition).ok).toBe(true);
    await expect(cell.getAttribute("aria-invalid")).resolves.toBe(null);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("hit policy and column edits emit valid documents; a bad expression shows at inputs[i].expr", async () => {
    const { page, errors } = await open();
    await setup(page, BONUS);
    const el = page.locator("rf-decision-table-editor");
    await el.getByLabel("Hit policy").selectOption("collect");
    await el.getByLabel("Aggregation").selectOption("max");
    let last = (await changes(page)).at(-1)!;
    expect(last.definition).toMatchObject({ hitPolicy: "collect", aggregation: "max" });
    expect(validateDefinition(last.definition).ok).toBe(true);

    // add an input: the new column's id field takes focus
    await el.getByRole("button", { name: "Add input" }).click();
    expect(await active(page)).toMatchObject({ field: "id" });
    await page.keyboard.type("region");
    await page.keyboard.press("Tab"); // commits the id
    await page.keyboard.press("Tab"); // label
    await page.keyboard.type("order.region +");
    await page.keyboard.press("Tab");
    last = (await changes(page)).at(-1)!;
    expect(last.definition.inputs.map((c) => c.id)).toEqual(["tier", "region"]);
    expect(last.definition.rules.every((r) => r["region"] === "-")).toBe(true);
    expect(last.issues.map((i) => formatPath(i.path))).toEqual(["inputs[1].expr"]);
    const exprField = el.locator('fieldset.column input[data-field="expr"]');
    await expect(exprField.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(el.locator("#col-expr-issues").textContent()).resolves.toContain("inputs[1].expr");
    await exprField.fill("order.region");
    await exprField.press("Tab");
    last = (await changes(page)).at(-1)!;
    expect(last.issues).toEqual([]);
    expect(validateDefinition(last.definition).ok).toBe(true);

    await el.getByRole("button", { name: "Remove column" }).click();
    last = (await changes(page)).at(-1)!;
    expect(last.definition.inputs.map((c) => c.id)).toEqual(["tier"]);
    expect(last.definition.rules.some((r) => "region" in r)).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows given findings on the cell and row their paths name, and the others above the grid", async () => {
    const { page, errors } = await open();
    const findings = [
      { code: "unreachable", severity: "error", path: "rules[3].paid", message: "no input reaches this cell after the rows above" },
      { code: "overlap", severity: "warning", path: ["rules", 1], message: "overlaps rule a-new-line-good-payer for tier A, line new" },
      { code: "gap", severity: "info", path: "inputs[2]", message: "payment rates between 0.6 and 0.9 for tier C reach only the default row" },
    ];
    await setup(page, RATE, { findings });
    const el = page.locator("rf-decision-table-editor");
    const cellFinding = el.locator('td[data-path="rules[3].paid"] .finding');
    await expect(cellFinding.textContent()).resolves.toContain("no input reaches this cell");
    await expect(el.locator('td[data-path="rules[3].paid"]').getAttribute("aria-describedby")).resolves.toBe(await cellFinding.getAttribute("id"));
    await expect(el.locator('tr[data-rule="1"] .finding').textContent()).resolves.toContain("overlaps rule a-new-line-good-payer");
    await expect(el.locator('tr[data-rule="1"]').getAttribute("class")).resolves.toContain("has-warning");
    await expect(el.locator('tr[data-rule="3"]').getAttribute("class")).resolves.toContain("has-error");
    await expect(el.locator("thead th").filter({ hasText: "Findings" }).count()).resolves.toBe(1);
    await expect(el.locator('ul[aria-labelledby="table-findings-title"] li').textContent()).resolves.toContain("inputs[2]");
    expect(await seriousA11yViolations(page, "rf-decision-table-editor")).toEqual([]);
    await saveScreenshot(el, "decision-table-editor-findings");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("readonly: no actions, disabled selects, Enter edits nothing, arrows still move", async () => {
    const { page, errors } = await open();
    await setup(page, RATE, { readonly: true });
    const el = page.locator("rf-decision-table-editor");
    await expect(el.locator("button").count()).resolves.toBe(0);
    await expect(el.locator("select").first().isDisabled()).resolves.toBe(true);
    await expect(el.locator("table").getAttribute("aria-readonly")).resolves.toBe("true");
    await tabIntoGrid(page);
    await page.keyboard.press("ArrowRight");
    expect(await active(page)).toMatchObject({ path: "rules[0].line" });
    await page.keyboard.press("Enter");
    await page.keyboard.type("x");
    await page.keyboard.press("Alt+ArrowDown");
    await page.keyboard.press("Alt+Enter");
    await expect(el.locator("td input").count()).resolves.toBe(0);
    await expect(el.locator("fieldset").count()).resolves.toBe(0);
    await expect(el.locator("dl.column").count()).resolves.toBe(1);
    expect(await changes(page)).toEqual([]);
    expect(await seriousA11yViolations(page, "rf-decision-table-editor")).toEqual([]);
    await saveScreenshot(el, "decision-table-editor-readonly");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("English: axe finds nothing serious; screenshot", async () => {
    const { page, errors } = await open();
    await setup(page, RATE);
    expect(await seriousA11yViolations(page, "rf-decision-table-editor")).toEqual([]);
    await tabIntoGrid(page);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await saveScreenshot(page.locator("rf-decision-table-editor"), "decision-table-editor-en");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("zh-CN: Chinese labels and engine messages; axe; screenshot", async () => {
    const { page, errors } = await open("zh-CN");
    const broken = JSON.parse(JSON.stringify(RATE)) as { rules: Record<string, unknown>[] };
    broken.rules[2]!["paid"] = "[0.9..";
    await setup(page, broken, { locale: "zh-CN" });
    const el = page.locator("rf-decision-table-editor");
    await expect(el.getByLabel("命中策略").count()).resolves.toBe(1);
    await expect(el.getByRole("button", { name: "添加行" }).count()).resolves.toBe(1);
    await expect(el.locator("thead").textContent()).resolves.toContain("规则 ID");
    await expect(el.locator("select").first().locator("option:checked").textContent()).resolves.toContain("首个命中");
    const zh = validateDefinition(broken, { locale: "zh-CN" });
    expect(zh.ok).toBe(false);
    const issue = el.locator('td[data-path="rules[2].paid"] .rf-issue');
    await expect(issue.textContent()).resolves.toBe(`rules[2].paid: ${zh.issues[0]!.message}`);
    expect(zh.issues[0]!.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await seriousA11yViolations(page, "rf-decision-table-editor")).toEqual([]);
    await saveScreenshot(el, "decision-table-editor-zh-CN");
    expect(errors).toEqual([]);
    await page.close();
  });
});
