/**
 * `<rf-rebate-editor>`: the earnings curve's arithmetic (property tests, and
 * against the engine's own settlement), then the component in Chromium: every
 * example program renders, edits emit valid documents, invalid edits show the
 * engine's issue at its path, keyboard, axe, zh-CN, readonly, screenshots.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { compileRebate, validateDefinition, type RebateDefinition } from "@ruleflow/engine";
import { settleRebates } from "@ruleflow/engine/rebates";
import { formatMinorUnits } from "@ruleflow/engine/money";
import { earningsAt, earningsCurve, prepareLadder, type LadderInput, type PreparedLadder } from "../src/components/rebate-editor/earnings.js";
import { chartGeometry } from "../src/components/rebate-editor/chart.js";
import { formatAmountLabel, formatExactAmount, fractionToPercent, niceStep, ticksFor } from "../src/components/policy-editors/kit.js";
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

const EXAMPLES = ["distributor-rebate.v3.rebate.json", "distributor-rebate.v4.rebate.json"];

/** Decimal text with up to `places` decimals from integer units. */
const decimalText = (units: bigint, places: number): string => {
  const s = units.toString().padStart(places + 1, "0");
  return places ? `${s.slice(0, s.length - places)}.${s.slice(s.length - places)}` : s;
};

/** A ladder of 1-5 tiers with strictly rising whole-yuan bounds and rates of up to 4 places. */
const ladderArb = (opts: { rising?: boolean; cap?: boolean } = {}) =>
  fc
    .record({
      first: fc.bigInt({ min: 0n, max: 100_000n }),
      gaps: fc.array(fc.bigInt({ min: 1n, max: 2_000_000n }), { minLength: 0, maxLength: 4 }),
      rates: fc.array(fc.bigInt({ min: 0n, max: 2_000n }), { minLength: 5, maxLength: 5 }),
      mode: fc.constantFrom("half-even", "half-up", "down", "up"),
      scale: fc.constantFrom(0, 1, 2),
      cap: opts.cap ? fc.option(fc.bigInt({ min: 1n, max: 300_000n }), { nil: undefined }) : fc.constant(undefined),
    })
    .map(({ first, gaps, rates, mode, scale, cap }): LadderInput => {
      const froms = [first];
      for (const g of gaps) froms.push(froms[froms.length - 1]! + g);
      let rs = rates.slice(0, froms.length);
      if (opts.rising) rs = [...rs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return {
        tiers: froms.map((f, i) => ({ from: f.toString(), rate: decimalText(rs[i]!, 4) })),
        currency: "CNY",
        rounding: { scale, mode },
        ...(cap === undefined ? {} : { cap: `${cap}.00` }),
      };
    });

const prepared = (input: LadderInput): PreparedLadder => {
  const l = prepareLadder(input);
  if ("problem" in l) throw new Error(`unexpected problem ${l.problem}`);
  return l;
};

describe("the earnings curve", () => {
  it("has strictly rising basis from 0 to its end, with every tier bound and the unit below it", () => {
    fc.assert(
      fc.property(ladderArb({ cap: true }), fc.integer({ min: 2, max: 80 }), (input, samples) => {
        const curve = earningsCurve(input, samples);
        if ("problem" in curve) throw new Error(curve.problem);
        const xs = curve.points.map((p) => p.basis);
        expect(xs[0]).toBe(0n);
        expect(xs[xs.length - 1]).toBe(curve.maxBasis);
        for (let i = 1; i < xs.length; i++) expect(xs[i]! > xs[i - 1]!).toBe(true);
        for (const f of curve.ladder.froms) {
          expect(xs).toContain(f);
          if (f > 0n) expect(xs).toContain(f - 1n);
        }
      }),
    );
  });

  it("incremental earnings never fall as the basis grows, and are continuous: one more minor unit adds at most one rounding quantum", () => {
    fc.assert(
      fc.property(ladderArb({ cap: true }), fc.bigInt({ min: 0n, max: 1_000_000_000n }), (input, b) => {
        const l = prepared(input);
        const here = earningsAt(l, b).incremental;
        const next = earningsAt(l, b + 1n).incremental;
        expect(next >= here).toBe(true);
        // rates are at most 0.2 here: one more cent earns less than a cent before rounding
        expect(next - here <= l.quantum).toBe(true);
        // in particular across each tier bound
        for (const f of l.froms.filter((x) => x > 0n)) {
          const d = earningsAt(l, f).incremental - earningsAt(l, f - 1n).incremental;
          expect(d >= 0n && d <= l.quantum).toBe(true);
        }
      }),
    );
  });

  it("with rising rates, incremental never exceeds retroactive, and both are equal within a first tier that starts at 0", () => {
    fc.assert(
      fc.property(ladderArb({ rising: true, cap: true }), fc.bigInt({ min: 0n, max: 1_000_000_000n }), (input, b) => {
        const l = prepared(input);
        const e = earningsAt(l, b);
        expect(e.incremental <= e.retroactive).toBe(true);
        // equal in the first tier when it starts at 0; a first tier from > 0 pays incremental
        // only above its bound, retroactive on the whole basis
        if (e.tier <= 0 && l.froms[0] === 0n) expect(e.incremental).toBe(e.retroactive);
      }),
    );
  });

  it("retroactive earnings are the basis times the reached rate, rounded once; below the first tier nothing is earned", () => {
    fc.assert(
      fc.property(ladderArb(), fc.bigInt({ min: 0n, max: 1_000_000_000n }), (input, b) => {
        const l = prepared(input);
        const e = earningsAt(l, b);
        if (b < l.froms[0]!) {
          expect(e).toEqual({ tier: -1, retroactive: 0n, incremental: 0n });
          return;
        }
        // exact product within half a quantum (half-* modes) or one quantum (down / up)
        const exact = b * l.rates[e.tier]!;
        const den = 10n ** BigInt(l.rateScale);
        const diff = e.retroactive * den - exact;
        const abs = diff < 0n ? -diff : diff;
        expect(abs <= l.quantum * den).toBe(true);
        expect(e.retroactive % l.quantum).toBe(0n);
      }),
    );
  });

  it("a cap bounds both series, and the curve's maximum is the largest point", () => {
    fc.assert(
      fc.property(ladderArb({ cap: true }), (input) => {
        const curve = earningsCurve(input, 30);
        if ("problem" in curve) throw new Error(curve.problem);
        const cap = curve.ladder.cap;
        let max = 0n;
        for (const p of curve.points) {
          if (cap !== undefined) expect(p.retroactive <= cap && p.incremental <= cap).toBe(true);
          if (p.retroactive > max) max = p.retroactive;
          if (p.incremental > max) max = p.incremental;
        }
        expect(curve.maxEarnings).toBe(max);
      }),
    );
  });

  it("refuses ladders the engine refuses (bounds not rising, negative rates, bounds finer than the currency)", () => {
    const base = { currency: "CNY" };
    expect(prepareLadder({ ...base, tiers: [{ from: "0", rate: "0.01" }, { from: "0", rate: "0.02" }] })).toEqual({ problem: "order" });
    expect(prepareLadder({ ...base, tiers: [{ from: "0", rate: "-0.01" }] })).toEqual({ problem: "rate" });
    expect(prepareLadder({ ...base, tiers: [{ from: "0.001", rate: "0.01" }] })).toEqual({ problem: "from" });
    expect(prepareLadder({ ...base, tiers: [{ from: "abc", rate: "0.01" }] })).toEqual({ problem: "from" });
    expect(prepareLadder({ currency: "XXX?", tiers: [{ from: "0", rate: "0.01" }] })).toEqual({ problem: "currency" });
  });

  it("agrees with the engine's settlement of one account, retroactive and incremental, at bounds and between them", () => {
    const v3 = exampleDefinition("distributor-rebate.v3.rebate.json") as unknown as RebateDefinition;
    const bases = ["0.01", "999999.99", "1000000.00", "1234567.89", "2999999.99", "3000000.00", "9999999.99", "12000000.00"];
    for (const mode of ["retroactive", "incremental"] as const) {
      const doc = { ...v3, mode, effective: { from: "2026-01-01T00:00:00+08:00" } } as RebateDefinition;
      const program = compileRebate(doc);
      const l = prepared({ tiers: doc.tiers, currency: doc.currency, rounding: doc.rounding, cap: doc.cap });
      for (const basis of bases) {
        const line = {
          order: { id: "SO-1", date: "2026-01-10T10:00:00+08:00", salesRep: "li" },
          line: { no: 1, netAmount: basis, status: "delivered", productLine: "core" },
          // below the good-payer threshold: no modifier applies, as the chart assumes
          customer: { id: "D-1", region: "East", paymentRate90d: 0.5 },
        };
        const statement = settleRebates({ program, lines: [line], period: "2026-01" });
        const minor = BigInt(basis.replace(".", ""));
        const mine = earningsAt(l, minor)[mode];
        expect(`${mode} ${basis}: ${formatMinorUnits(mine, 2)}`).toBe(`${mode} ${basis}: ${statement.accounts[0]!.earned}`);
      }
    }
  });
});

describe("axis and amount helpers", () => {
  it("niceStep is 1, 2 or 5 × 10^k and covers the maximum in the number of ticks; ticks end at or just above it", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.integer({ min: 1, max: 10 }), (max, n) => {
        const step = niceStep(max, n);
        expect(/^[125]0*$/.test(step.toString())).toBe(true);
        expect(step * BigInt(n) >= max).toBe(true);
        const ticks = ticksFor(max, n);
        expect(ticks[ticks.length - 1]! >= max).toBe(true);
        expect(ticks[ticks.length - 1]! - step < max).toBe(true);
        expect(ticks.length - 1 <= n).toBe(true);
      }),
    );
  });

  it("fractionToPercent moves the decimal point exactly: percent / 100 is the fraction", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 8n }), fc.integer({ min: 0, max: 7 }), (units, places) => {
        const fraction = decimalText(units, places);
        const pct = fractionToPercent(fraction)!;
        expect(pct.endsWith("%")).toBe(true);
        const [w, f = ""] = pct.slice(0, -1).split(".");
        // pct = w.f; fraction = pct / 100: compare as integers over 10^(places + 2)
        const P = places + 2;
        const pctUnits = BigInt(w! + f.padEnd(P, "0").slice(0, P));
        expect(pctUnits).toBe(units * 100n * 10n ** BigInt(P - places));
      }),
    );
    expect(fractionToPercent("0.035")).toBe("3.5%");
    expect(fractionToPercent("0.0005")).toBe("0.05%");
    expect(fractionToPercent("1.1")).toBe("110%");
    expect(fractionToPercent("x")).toBeUndefined();
  });

  it("amount labels never round: the exact text and the grouped text have the same digits", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.constantFrom(0, 2, 3), (minor, scale) => {
        const exact = formatExactAmount(minor, scale);
        expect(exact.replace(/,/g, "")).toBe(formatMinorUnits(minor, scale));
        const en = formatAmountLabel(minor, scale, "en");
        expect(Number(en.replace(/,/g, "")) === Number(formatMinorUnits(minor, scale))).toBe(true);
      }),
    );
    expect(formatAmountLabel(300000000n, 2, "zh-CN")).toBe("300万");
    expect(formatAmountLabel(150000000n, 2, "zh-CN")).toBe("150万");
    expect(formatAmountLabel(25000000000n, 2, "zh-CN")).toBe("2.5亿");
    expect(formatAmountLabel(123456n, 2, "zh-CN")).toBe("1,234.56");
    expect(formatAmountLabel(100000000n, 2, "en")).toBe("1,000,000");
  });

  it("chart geometry keeps every point inside the plot and x rising with the basis", () => {
    fc.assert(
      fc.property(ladderArb({ cap: true }), (input) => {
        const curve = earningsCurve(input, 20);
        if ("problem" in curve) throw new Error(curve.problem);
        const g = chartGeometry(curve, "en");
        for (let i = 1; i < g.xs.length; i++) expect(g.xs[i]! >= g.xs[i - 1]!).toBe(true);
        for (const series of [g.retroactive, g.incremental]) {
          for (const pt of series.split(" ")) {
            const [x, y] = pt.split(",").map(Number);
            expect(x! >= 78 - 0.01 && x! <= 520 - 16 + 0.01).toBe(true);
            expect(y! >= 14 - 0.01 && y! <= 300 - 46 + 0.01).toBe(true);
          }
        }
      }),
    );
  });
});

// ---------------------------------------------------------------------------

const PAGE = `
import "../src/components/rebate-editor.js";
const w = window as any;
w.__changes = [];
for (const el of document.querySelectorAll("rf-rebate-editor")) {
  el.addEventListener("change", (e: any) => w.__changes.push(e.detail));
}
w.__ready = true;
`;

type Change = { definition: Record<string, unknown>; issues: { path: (string | number)[]; message: string }[] };

async function setDefinition(page: Page, doc: unknown, attrs: { locale?: string; readonly?: boolean } = {}): Promise<void> {
  await page.evaluate(
    async ([d, a]) => {
      const el = document.querySelector("rf-rebate-editor") as HTMLElement & { definition: unknown; locale: string; readonly: boolean; updateComplete: Promise<unknown> };
      el.definition = d;
      el.locale = a.locale ?? "en";
      el.readonly = a.readonly ?? false;
      (window as unknown as { __changes: unknown[] }).__changes = [];
      await el.updateComplete;
    },
    [doc, attrs] as const,
  );
}
const changes = (page: Page): Promise<Change[]> => page.evaluate(() => (window as unknown as { __changes: Change[] }).__changes);

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("<rf-rebate-editor> in Chromium"), () => {
  let browser: Browser;
  let server: PageServer;
  let page: Page;
  let errors: string[];
  const editor = () => page.locator("rf-rebate-editor");

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await servePages();
    ({ page, errors } = await openPage(browser, server, { body: "<rf-rebate-editor></rf-rebate-editor>", script: PAGE, viewport: { width: 1180, height: 900 } }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.each(EXAMPLES)("renders %s: tiers, modifiers, the chart with two series and a legend, no issues", async (file) => {
    const doc = exampleDefinition(file);
    await setDefinition(page, doc);
    const tiers = doc.tiers as { from: string; rate: string; name: string }[];
    for (const [i, t] of tiers.entries()) {
      await expect(editor().getByLabel(`Lower bound of tier ${i + 1}`).inputValue()).resolves.toBe(t.from);
      await expect(editor().getByLabel(`Rate of tier ${i + 1}`).inputValue()).resolves.toBe(t.rate);
      await expect(editor().getByLabel(`Name of tier ${i + 1}`).inputValue()).resolves.toBe(t.name);
    }
    expect(await editor().locator("polyline.series").count()).toBe(2);
    await expect(editor().locator(".legend li").allTextContents()).resolves.toEqual(["Retroactive", "Incremental"]);
    await expect(editor().locator("svg.chart text.axis-title").allTextContents()).resolves.toEqual(["Basis (CNY)", "Rebate (CNY)"]);
    expect(await editor().getByRole("img", { name: /What one account earns/ }).count()).toBe(1);
    await expect(editor().getByLabel("Name of modifier 1").inputValue()).resolves.toBe("good payer");
    expect(await editor().locator(".rf-issue").count()).toBe(0);
    // the chart's table: the gold bound at retroactive 5% and incremental bands
    const rows = await editor().locator("table.values tbody tr").allTextContents();
    expect(rows.some((r) => r.includes("3,000,000.00") && r.includes("gold"))).toBe(true);
    expect(errors).toEqual([]);
  });

  it("the v3 chart table shows exactly the engine's figures at the gold bound", async () => {
    await setDefinition(page, exampleDefinition("distributor-rebate.v3.rebate.json"));
    const cells = await editor().locator("table.values tbody tr").nth(4).locator("td").allTextContents();
    expect(cells.map((c) => c.trim())).toEqual(["3,000,000.00", "gold", "150,000.00", "90,000.00"]);
  });

  it("editing a rate emits a valid document and redraws the chart", async () => {
    await setDefinition(page, exampleDefinition("distributor-rebate.v3.rebate.json"));
    const before = await editor().locator("polyline.retroactive").getAttribute("points");
    const rate = editor().getByLabel("Rate of tier 3");
    await rate.fill("0.06");
    await rate.press("Enter");
    const list = await changes(page);
    expect(list.length).toBe(1);
    const doc = list[0]!.definition as { tiers: { rate: string }[] };
    expect(doc.tiers[2]!.rate).toBe("0.06");
    expect(validateDefinition(doc).ok).toBe(true);
    expect(list[0]!.issues).toEqual([]);
    expect(await editor().locator("polyline.retroactive").getAttribute("points")).not.toBe(before);
    expect(await editor().getByText("= 6%").count()).toBe(1);
  });

  it("switching to incremental, adding, moving and removing tiers emit valid documents", async () => {
    await setDefinition(page, exampleDefinition("distributor-rebate.v3.rebate.json"));
    await editor().getByRole("radio", { name: /Incremental/ }).check();
    await editor().getByRole("button", { name: "Add tier" }).click();
    let list = await changes(page);
    expect((list[0]!.definition as { mode: string }).mode).toBe("incremental");
    const added = list[1]!.definition as { tiers: { from: string; rate: string }[] };
    expect(added.tiers).toHaveLength(4);
    expect(added.tiers[3]).toEqual({ from: "6000000", rate: "0.05" });
    expect(validateDefinition(added).ok).toBe(true);
    await editor().getByRole("button", { name: "Remove tier 4" }).click();
    list = await changes(page);
    const removed = list[2]!.definition as { tiers: unknown[] };
    expect(removed.tiers).toHaveLength(3);
    expect(validateDefinition(removed).ok).toBe(true);
  });

  it("a negative rate shows the engine's message at tiers[1].rate, marks the input invalid and the chart waits", async () => {
    await setDefinition(page, exampleDefinition("distributor-rebate.v3.rebate.json"));
    const rate = editor().getByLabel("Rate of tier 2");
    await rate.fill("-0.01");
    await rate.press("Tab");
    const list = await changes(page);
    const verdict = validateDefinition(list[0]!.definition);
    expect(verdict.ok).toBe(false);
    expect(list[0]!.issues.map((i) => i.path)).toEqual([["tiers", 1, "rate"]]);
    const message = editor().locator('.rf-issue[data-path="tiers[1].rate"]');
    await expect(message.textContent()).resolves.toBe("a rate cannot be negative, got -0.01");
    await expect(rate.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = await rate.getAttribute("aria-describedby");
    await expect(message.getAttribute("id")).resolves.toBe(describedBy);
    // the message sits in the rate's own cell
    expect(await editor().locator("tbody tr").nth(1).locator('.rf-issue[data-path="tiers[1].rate"]').count()).toBe(1);
    expect(await editor().getByText("Fix the tiers to see the chart.").count()).toBe(1);
  });

  it("moving a tier out of order shows the engine's ordering issue on the bound that breaks it", async () => {
    await setDefinition(page, exampleDefinition("distributor-rebate.v3.rebate.json"));
    await editor().getByRole("button", { name: "Move tier 3 up" }).click();
    const list = await changes(page);
    const tiers = (list[0]!.definition as { tiers: { name: string }[] }).tiers;
    expect(tiers.map((t) => t.name)).toEqual(["base", "gold", "silver"]);
    await expect(editor().locator('.rf-issue[data-path="tiers[2].from"]').textContent()).resolves.toContain("tiers must go up");
  });

  it("works by keyboard alone: Tab to a tier's bound, type, Enter; Space on buttons; arrows in the payout radio group", async () => {
    await setDefinition(page, exampleDefinition("distributor-rebate.v3.rebate.json"));
    await editor().getByLabel("Name", { exact: true }).focus();
    // Tab through to the radio group, then arrows
    const radio = editor().getByRole("radio", { name: /Retroactive/ });
    await radio.focus();
    await page.keyboard.press("ArrowRight");
    await expect(editor().getByRole("radio", { name: /Incremental/ }).isChecked()).resolves.toBe(true);
    // Tab from the radio group lands on tier 1's name
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.querySelector("rf-rebate-editor")!.shadowRoot!.activeElement?.getAttribute("aria-label"));
    expect(focused).toBe("Name of tier 1");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("0.025");
    await page.keyboard.press("Enter");
    // to the move-down button of tier 1 (move-up is disabled, so skipped) and press Space
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    const list = await changes(page);
    const last = list[list.length - 1]!.definition as { mode: string; tiers: { rate: string; name: string }[] };
    expect(last.mode).toBe("incremental");
    expect(last.tiers[1]!.name).toBe("base");
    expect(last.tiers[1]!.rate).toBe("0.025");
    // focus follows the moved tier
    const focusedAfter = await page.evaluate(() => document.querySelector("rf-rebate-editor")!.shadowRoot!.activeElement?.getAttribute("aria-label"));
    expect(focusedAfter).toMatch(/tier 2/);
  });

  it("has no serious axe violations (valid and with an issue shown)", async () => {
    await setDefinition(page, exampleDefinition("distributor-rebate.v4.rebate.json"));
    expect(await seriousA11yViolations(page, "rf-rebate-editor")).toEqual([]);
    const doc = exampleDefinition("distributor-rebate.v4.rebate.json") as { tiers: { rate: string }[] };
    doc.tiers[0]!.rate = "-1";
    await setDefinition(page, doc);
    expect(await seriousA11yViolations(page, "rf-rebate-editor")).toEqual([]);
  });

  it("readonly disables every control and dispatches nothing", async () => {
    await setDefinition(page, exampleDefinition("distributor-rebate.v3.rebate.json"), { readonly: true });
    const enabled = await editor().locator("input:enabled, select:enabled, button:enabled").count();
    expect(enabled).toBe(0);
    await editor().getByLabel("Rate of tier 1").fill("0.5", { force: true }).catch(() => undefined);
    expect(await changes(page)).toEqual([]);
  });

  it("zh-CN: Chinese labels, the engine's issues in Chinese, 万 on the axes; screenshots in both locales", async () => {
    await setDefinition(page, exampleDefinition("distributor-rebate.v4.rebate.json"));
    await saveScreenshot(editor(), "rebate-editor-en");
    await setDefinition(page, exampleDefinition("distributor-rebate.v4.rebate.json"), { locale: "zh-CN" });
    expect(await editor().getByRole("radio", { name: /全额累进/ }).count()).toBe(1);
    await expect(editor().getByLabel("第 2 档返利比例").inputValue()).resolves.toBe("0.04");
    expect(await editor().getByRole("button", { name: "添加档位" }).count()).toBe(1);
    const ticks = await editor().locator("svg.chart .axis text").allTextContents();
    expect(ticks).toContain("300万");
    await saveScreenshot(editor(), "rebate-editor-zh-CN");
    const doc = exampleDefinition("distributor-rebate.v4.rebate.json") as { tiers: { rate: string }[] };
    doc.tiers[1]!.rate = "-0.01";
    await setDefinition(page, doc, { locale: "zh-CN" });
    await expect(editor().locator('.rf-issue[data-path="tiers[1].rate"]').textContent()).resolves.toMatch(/[\u4e00-\u9fff]/);
    await saveScreenshot(editor(), "rebate-editor-issue-zh-CN");
    expect(errors).toEqual([]);
  });
});
