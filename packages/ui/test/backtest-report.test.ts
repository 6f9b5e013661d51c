/**
 * The backtest's HTML report (`ruleflow backtest --format html`, the
 * engine's `backtestHtml`) opened in Chromium with every network request
 * blocked: it must need none, and the figures on the page must be the JSON
 * report's. Saves docs/images/backtest-report.png.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backtestHtml, runBacktest, type BacktestReport, type MoneyDiff } from "@ruleflow/engine/backtest";
import { parseOrderLines } from "@ruleflow/engine/rebates";
import { browserSkipReason, browserSuiteTitle, launchBrowser, REPO_ROOT } from "./browser.js";

const examples = join(REPO_ROOT, "packages", "examples");
const read = (p: string): unknown => JSON.parse(readFileSync(join(examples, p), "utf8"));

/** Every money figure of the report under the key the page marks it with (`data-figure`). */
function figures(report: BacktestReport): Map<string, string> {
  const out = new Map<string, string>();
  const money = (key: string, m: MoneyDiff): void => {
    out.set(`${key}|baseline`, m.baseline);
    out.set(`${key}|candidate`, m.candidate);
    out.set(`${key}|difference`, m.difference);
  };
  for (const r of report.rebates) {
    money(`rebate|${r.id}|total`, r.totals);
    for (const p of r.periods) money(`rebate|${r.id}|period|${p.period}`, p);
    for (const a of r.accounts) money(`rebate|${r.id}|account|${a.account}`, a);
    for (const [name, rows] of Object.entries(r.by)) for (const x of rows) money(`rebate|${r.id}|by|${name}|${x.value}`, x);
  }
  for (const p of report.promotions) {
    money(`promotion|${p.id}|cost`, p.cost);
    for (const side of ["baseline", "candidate"] as const) {
      out.set(`promotion|${p.id}|${side}|claims`, String(p[side].claims));
      out.set(`promotion|${p.id}|${side}|cost`, p[side].cost);
      out.set(`promotion|${p.id}|${side}|refusedForBudget`, String(p[side].refusedForBudget));
    }
    for (const a of p.accounts) money(`promotion|${p.id}|account|${a.account}`, a);
    for (const [name, rows] of Object.entries(p.by)) for (const x of rows) money(`promotion|${p.id}|by|${name}|${x.value}`, x);
  }
  for (const d of report.decisions) out.set(`decision|${d.id}|changed`, String(d.changed));
  for (const r of report.rollouts) out.set(`rollout|${r.id}|changedUnits`, String(r.changedUnits));
  for (const key of ["winners", "losers"] as const) for (const m of report[key]) money(`${key}|${m.kind}|${m.definition}|${m.account}`, m);
  return out;
}

describe.skipIf(browserSkipReason !== undefined)(browserSuiteTitle("the backtest HTML report in Chromium"), () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("needs no network, and shows the JSON report's figures", async () => {
    const history = [
      ...parseOrderLines(readFileSync(join(examples, "data", "rebate-history-2026q1.jsonl"), "utf8"), { source: "rebate-history-2026q1.jsonl" }),
    ];
    const report = await runBacktest({
      baseline: [read("definitions/distributor-rebate.v3.rebate.json"), read("definitions/distributor-rebate.v4.rebate.json"), read("definitions/rebate-line-bonus.decision-table.json"), read("definitions/rebate-rate.decision-table.json")],
      candidate: [read("definitions/distributor-rebate.v3.rebate.json"), read("candidates/distributor-rebate.v5.rebate.json"), read("definitions/rebate-line-bonus.decision-table.json"), read("candidates/rebate-rate.v3.decision-table.json")],
      lines: history,
      by: ["customer.region", "salesRep"],
    });
    const promotions = await runBacktest({
      baseline: [read("definitions/spring-case-discount.promotion.json")],
      candidate: [read("candidates/spring-case-discount.v2.promotion.json")],
      lines: parseOrderLines(readFileSync(join(examples, "data", "store-orders-2026-02.csv"), "utf8"), { source: "store-orders-2026-02.csv" }),
      by: ["store.region"],
    });
    for (const [report_, name] of [
      [report, "rebates"],
      [promotions, "promotions"],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
      const attempted: string[] = [];
      await page.route("**/*", (route) => {
        attempted.push(route.request().url());
        return route.abort();
      });
      page.on("request", (r) => {
        if (!r.url().startsWith("data:")) attempted.push(r.url());
      });
      await page.setContent(backtestHtml(report_), { waitUntil: "load" });
      const shown = await page.$$eval("[data-figure]", (els) => els.map((e) => [e.getAttribute("data-figure")!, (e.textContent ?? "").trim()] as const));
      const onPage = new Map(shown);
      const expected = figures(report_);
      expect(onPage.size, name).toBeGreaterThan(10);
      for (const [key, value] of expected) expect(onPage.get(key), `${name}: ${key}`).toBe(value);
      for (const [key] of onPage) if (!key.includes("budgetRunsOut")) expect(expected.has(key), `${name}: ${key} is a figure of the report`).toBe(true);
      expect(await page.locator("svg rect").count(), name).toBeGreaterThan(3);
      expect(await page.locator("script").count()).toBe(0);
      expect(attempted, name).toEqual([]);
      if (name === "rebates") await page.screenshot({ path: join(REPO_ROOT, "docs", "images", "backtest-report.png"), fullPage: false });
      await page.close();
    }
  }, 60_000);
});
