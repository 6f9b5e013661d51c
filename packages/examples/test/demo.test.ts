import { describe, expect, it } from "vitest";
import { createRegistry, type DecisionResult } from "@ruleflow/engine";
import { runDemo } from "../src/demo.js";
import { loadDefinitions, loadFacts } from "../src/definitions.js";

describe("the README demo", () => {
  it("prints every seed decision with its explanation", () => {
    const lines: string[] = [];
    runDemo((l) => lines.push(l));
    const text = lines.join("\n");
    expect(text).toContain('contract-auto-approval v3 (first) at 2026-02-10T02:00:00.000Z: small-and-a-credit → {"decision":"auto-approve"}');
    expect(text).toContain('otherwise → {"decision":"manual"}');
    expect(text).toContain('"points":136000');
    expect(text).toContain('{"rate":"0.125"}');
    expect(text).toMatch(/✗ at least 6 purchases in 90 days: store.purchasesLast90d is 4, expected ≥ 6/);
  });

  it("is reproducible: two runs print the same text", () => {
    const a: string[] = [];
    const b: string[] = [];
    runDemo((l) => a.push(l));
    runDemo((l) => b.push(l));
    expect(a).toEqual(b);
  });
});

describe("example definitions", () => {
  const registry = createRegistry(loadDefinitions());
  const at = "2026-02-10T10:00:00+08:00";

  it("store pre-check explains every failed condition of an ineligible store", () => {
    const r = registry.evaluate("fmcg-display-precheck", loadFacts("store-visit"), { at, trace: true }) as DecisionResult;
    expect(r.output).toEqual({ eligible: false });
    const rule = r.trace!.rules[0] as { condition: { children: { passed: boolean; fact: string }[] } };
    expect(rule.condition.children.filter((c) => !c.passed).map((c) => c.fact)).toEqual([
      "store.purchasesLast90d",
      "store.inventoryDays",
      "visit.photoCount",
    ]);
  });

  it("the display pre-check is out of its effective window after the quarter", () => {
    expect(() => registry.evaluate("fmcg-display-precheck", loadFacts("store-visit"), { at: "2026-04-01T00:00:00+08:00" })).toThrow(
      /No version of "fmcg-display-precheck" is effective/,
    );
  });
});
