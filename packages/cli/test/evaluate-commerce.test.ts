import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";

const here = dirname(fileURLToPath(import.meta.url));
const defs = join(here, "..", "..", "examples", "definitions");
const facts = join(here, "..", "..", "examples", "facts");
const AT = "2026-02-10T10:00:00+08:00";

async function run(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t), stdin: () => stdin });
  return { code, out, err };
}

function tmp(name: string, content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "ruleflow-eval-")), name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const read = (file: string): unknown => JSON.parse(readFileSync(join(defs, file), "utf8"));

describe("ruleflow evaluate on promotions", () => {
  it("prints eligibility, the benefit and its value", async () => {
    const r = await run(["evaluate", join(defs, "q1-display-subsidy.promotion.json"), "--facts", join(facts, "store-order.json"), "--at", AT, "--no-trace"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      kind: "promotion",
      id: "q1-display-subsidy",
      version: 1,
      eligible: true,
      output: { eligible: true, value: "210.00", benefits: [{ type: "gift", sku: "GIFT-01", quantity: 6 }] },
    });
  });

  it("explains an ineligible store: every failed condition and near-miss hints", async () => {
    const r = await run(["evaluate", join(defs, "q1-display-subsidy.promotion.json"), "--facts", join(facts, "store-visit.json"), "--at", AT]);
    const result = JSON.parse(r.out);
    expect(result.eligible).toBe(false);
    expect(result.failed.map((f: { index: number; fact: string; actual: unknown; expected: unknown }) => [f.index, f.fact, f.actual, f.expected])).toEqual([
      [1, "store.purchasesLast90d", 4, 6],
      [2, "store.inventoryDays", 41, 30],
      [5, "visit.photoCount", 0, 1],
    ]);
    expect(result.hints[0].message).toBe("2 more purchases to qualify");
    expect(result.trace.type).toBe("all");
  });

  it("evaluates a file of several promotions together, with stacking", async () => {
    const file = tmp("promotions.json", [read("q1-display-subsidy.promotion.json"), read("spring-case-discount.promotion.json"), read("new-customer-double-points.promotion.json")]);
    const r = await run(["evaluate", file, "--facts", join(facts, "store-order.json"), "--at", AT]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.applied.map((p: { id: string }) => p.id)).toEqual(["q1-display-subsidy"]);
    expect(result.skipped).toMatchObject([{ id: "spring-case-discount", reason: "exclusive", by: "q1-display-subsidy" }]);
    expect(result.ineligible[0]).toMatchObject({ id: "new-customer-double-points", hints: [{ message: "more than 2000.00 CNY more to qualify" }] });
    // --id still picks one
    const one = JSON.parse((await run(["evaluate", file, "--id", "spring-case-discount", "--facts", join(facts, "store-order.json"), "--at", AT])).out);
    expect(one).toMatchObject({ id: "spring-case-discount", eligible: true, value: "2000.00" });
  });
});

describe("ruleflow evaluate on rebate programs", () => {
  it("previews one order: its rate, the change against last period, what reaches the next tier", async () => {
    const file = tmp("program.json", [read("distributor-rebate.v3.rebate.json"), read("distributor-rebate.v4.rebate.json")]);
    const order = {
      order: { id: "Q-1", date: "2026-02-10T10:00:00+08:00" },
      customer: { id: "D-001", tier: "A", paymentRate90d: 0.97 },
      lines: [{ no: 1, netAmount: "250000.00", status: "signed", productLine: "core" }],
      periodToDate: { basis: "900000.00" },
      priorPeriod: { basis: "1100000.00" },
    };
    const r = await run(["evaluate", file, "--facts", "-", "--at", AT], JSON.stringify(order));
    expect(r.err).toBe("");
    expect(JSON.parse(r.out)).toMatchObject({
      kind: "rebate",
      version: 3,
      account: "D-001",
      rate: "0.0385",
      rebate: "9625.00",
      change: "0",
      tier: { name: "silver" },
      nextTier: { name: "gold", remaining: "1850000.00" },
    });
  });
});
