import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compilePromotion, createRegistry, validateDefinition, type PromotionDefinition } from "../src/index.js";
import {
  createMemoryClaimStore,
  createPromotionClaims,
  createPromotionSet,
  explainPromotion,
  explainPromotions,
} from "../src/entries/promotions.js";

const at = "2026-02-10T10:00:00+08:00";

const caseDeal: PromotionDefinition = {
  kind: "promotion",
  id: "spring-cases",
  version: 1,
  currency: "CNY",
  eligibility: {
    all: [
      { fact: "order.cases", op: "gte", value: 20 },
      { fact: "store.inventoryDays", op: "lte", value: 30 },
    ],
  },
  benefit: { type: "subsidy", amount: "100.00" },
  units: { "order.cases": { en: "cases", "zh-CN": "箱" }, "store.inventoryDays": { en: "days of stock", "zh-CN": "天库存" } },
};

const amountDeal: PromotionDefinition = {
  kind: "promotion",
  id: "big-order",
  version: 1,
  currency: "CNY",
  eligibility: { fact: "order.amount", op: "gt", value: 50000 },
  benefit: { type: "subsidy", amount: "100.00" },
  units: { "order.amount": "CNY" },
};

const short = { order: { cases: 17, amount: 48000 }, store: { inventoryDays: 41 } };

describe("near-miss hints in Chinese", () => {
  it("writes 还差 3 箱即可达标 with the promotion's Chinese unit", () => {
    const r = compilePromotion(caseDeal).evaluate(short, { at, locale: "zh-CN" });
    expect(r.hints.map((h) => h.message)).toEqual(["还差 3 箱即可达标", "还需减少 11 天库存即可达标"]);
    expect(r.hints[0]).toMatchObject({ fact: "order.cases", gap: 3, direction: "more" });
  });

  it("keeps English unchanged by default and with locale en", () => {
    const p = compilePromotion(caseDeal);
    const expected = ["3 more cases to qualify", "11 fewer days of stock to qualify"];
    expect(p.evaluate(short, { at }).hints.map((h) => h.message)).toEqual(expected);
    expect(p.evaluate(short, { at, locale: "en" }).hints.map((h) => h.message)).toEqual(expected);
  });

  it("money amounts are written at the currency's scale, with the currency", () => {
    const p = compilePromotion(amountDeal);
    expect(p.evaluate(short, { at }).hints).toEqual([
      { index: 0, fact: "order.amount", gap: 2000, strict: true, direction: "more", message: "more than 2000.00 CNY more to qualify" },
    ]);
    expect(p.evaluate(short, { at, locale: "zh-CN" }).hints[0]!.message).toBe("还需超过 2000.00 CNY 即可达标");
  });

  it("a strict comparison met exactly says what qualifies, never 'more than 0 more'", () => {
    const p = compilePromotion(amountDeal);
    const exact = { order: { amount: 50000 } };
    expect(p.evaluate(exact, { at }).hints.map((h) => h.message)).toEqual(["anything above 50000.00 CNY qualifies"]);
    expect(p.evaluate(exact, { at, locale: "zh-CN" }).hints.map((h) => h.message)).toEqual(["超过 50000.00 CNY 即可达标"]);
    const lt = compilePromotion({ ...caseDeal, eligibility: { fact: "store.inventoryDays", op: "lt", value: 30 } });
    expect(lt.evaluate({ store: { inventoryDays: 30 } }, { at }).hints[0]!.message).toBe("anything below 30 days of stock qualifies");
    expect(lt.evaluate({ store: { inventoryDays: 30 } }, { at, locale: "zh-CN" }).hints[0]!.message).toBe("低于 30 天库存即可达标");
  });

  fcTest.prop([fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.constantFrom("gt", "lt", "gte", "lte")])(
    "no hint ever says 'more than 0' or a negative amount, in either language",
    (actual, threshold, op) => {
      const p = compilePromotion({ ...caseDeal, eligibility: { fact: "order.cases", op: op as "gt", value: threshold } });
      for (const locale of ["en", "zh-CN"]) {
        for (const h of p.evaluate({ order: { cases: actual } }, { at, locale }).hints) {
          expect(h.gap).toBeGreaterThanOrEqual(0);
          // "还需超过 0" is "more than 0 more"; "超过 0 箱即可达标" (anything above 0 qualifies, met exactly at 0) is right
          expect(h.message).not.toMatch(/more than 0 |还需超过 0 |-\d/);
          if (locale === "zh-CN") expect(h.message).toMatch(/即可达标$/);
        }
      }
    },
  );

  it("a unit given only in English is used in Chinese too; a fact without a unit uses its last segment", () => {
    const p = compilePromotion({ ...caseDeal, units: { "order.cases": { en: "cases" } } });
    expect(p.evaluate(short, { at, locale: "zh-CN" }).hints.map((h) => h.message)).toEqual(["还差 3 cases 即可达标", "还需减少 11 inventoryDays 即可达标"]);
  });

  it("the locale reaches hints through a promotion set, a registry and a claim", async () => {
    const set = createPromotionSet([caseDeal]);
    const r = set.evaluate(short, { at, locale: "zh-CN" });
    expect(r.ineligible[0]!.hints[0]!.message).toBe("还差 3 箱即可达标");
    const registry = createRegistry();
    registry.load(caseDeal);
    const viaRegistry = registry.evaluate("spring-cases", short, { at, locale: "zh" }) as ReturnType<ReturnType<typeof compilePromotion>["evaluate"]>;
    expect(viaRegistry.hints[0]!.message).toBe("还差 3 箱即可达标");
    const claims = createPromotionClaims({ store: createMemoryClaimStore() });
    const c = await claims.claim(compilePromotion(caseDeal), short, { idempotencyKey: "o-1", at, locale: "zh-CN" });
    expect(c.status).toBe("ineligible");
    expect(c.status === "ineligible" && c.evaluation.hints[0]!.message).toBe("还差 3 箱即可达标");
  });

  it("refuses an unknown locale instead of answering in English", () => {
    expect(() => compilePromotion(caseDeal).evaluate(short, { at, locale: "fr" })).toThrow(/locale: expected one of en, zh-CN, got "fr"/);
    expect(() => createPromotionSet([caseDeal]).evaluate(short, { at, locale: "de" })).toThrow(/locale/);
  });

  it("refuses a per-locale unit with an unknown locale or none", () => {
    const bad = validateDefinition({ ...caseDeal, units: { "order.cases": { fr: "caisses" } } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issues.map((i) => i.path.join("."))).toContain("units.order.cases");
    const empty = validateDefinition({ ...caseDeal, units: { "order.cases": {} } });
    expect(!empty.ok && empty.issues.map((i) => i.message).join("\n")).toMatch(/at least one locale/);
  });
});

describe("promotion descriptions in Chinese", () => {
  it("explainPromotion writes the verdict, each failed condition and the hints in Chinese", () => {
    const r = compilePromotion(caseDeal).evaluate(short, { at, locale: "zh-CN" });
    expect(explainPromotion(r, { locale: "zh-CN" })).toBe(
      [
        "促销 spring-cases v1（2026-02-10T02:00:00.000Z）：不符合条件",
        "    ✗ [0] order.cases 大于等于 20，实际 17",
        "    ✗ [1] store.inventoryDays 小于等于 30，实际 41",
        "    → 还差 3 箱即可达标",
        "    → 还需减少 11 天库存即可达标",
      ].join("\n"),
    );
  });

  it("explainPromotions writes the table and its summary in Chinese; English stays", () => {
    const ok = { order: { cases: 25 }, store: { inventoryDays: 10 } };
    const r = createPromotionSet([caseDeal]).evaluate(ok, { at });
    const zh = explainPromotions(r, { locale: "zh-CN" });
    expect(zh).toMatch(/^促销（2026-02-10T02:00:00.000Z）：1 项适用，价值 100.00 CNY/);
    expect(zh).toMatch(/适用促销 +版本 +分组/);
    expect(zh).toContain("补贴 100.00");
    expect(explainPromotions(r)).toMatch(/^Promotions at 2026-02-10T02:00:00.000Z: 1 applied, value 100.00 CNY/);
  });
});
