/** Loading rollout documents: every problem reported with its JSON path, nothing half-valid loaded. */
import { describe, expect, it } from "vitest";
import { compileRollout, formatIssue, isRuleflowError, toJsonSchemas, validateDefinition, ValidationError } from "../src/index.js";
import { twoVariantRollout } from "./rollouts-helpers.js";

function problems(doc: Record<string, unknown>): string[] {
  const r = validateDefinition(doc);
  expect(r.ok).toBe(false);
  return r.issues.map(formatIssue);
}

describe("rollout validation", () => {
  it("accepts the DSL example with defaults applied", () => {
    const r = compileRollout({
      id: "renewal-incentive-v2",
      version: 1,
      unit: "campus.id",
      salt: "renewal-incentive-v2",
      targeting: { fact: "campus.id", op: "in", value: ["HZ-01", "SH-03", "NJ-02"] },
      variants: [
        { id: "control", weight: 50, value: { policy: "renewal-v1" } },
        { id: "treatment", weight: 50, value: { policy: "renewal-v2" } },
      ],
      ramp: [
        { at: "2026-03-01T00:00:00+08:00", percent: 10 },
        { at: "2026-03-08T00:00:00+08:00", percent: 50 },
        { at: "2026-03-15T00:00:00+08:00", percent: 100 },
      ],
      metrics: { primary: "renewed", guardrails: [{ metric: "refundRate", maxIncrease: 0.02 }] },
    });
    expect(r.document.status).toBe("running");
    expect(r.document.sticky).toBe(false);
    expect(r.document.metrics).toMatchObject({ minimumDetectableEffect: 0.1, alpha: 0.05, power: 0.8, minUnitsPerVariant: 100 });
    expect(r.control).toBe("control");
    expect(r.variants.map((v) => v.share)).toEqual([0.5, 0.5]);
  });

  it("reports shape problems with paths", () => {
    expect(
      problems(
        twoVariantRollout({
          variants: [{ id: "only", weight: -1, value: 1 }],
          ramp: [{ at: "2026-03-01", percent: 120 }],
          status: "paused",
          bogus: true,
        }),
      ),
    ).toEqual([
      'status: expected one of draft, running, promoted, rolled-back, got "paused"',
      "variants[0].weight: expected a weight >= 0, got -1",
      "variants: a rollout needs at least two variants (control and one more), got an array",
      'ramp[0].at: expected an ISO-8601 date-time with an offset, such as 2026-01-01T00:00:00+08:00, got "2026-03-01"',
      "ramp[0].percent: expected a ramp percent from 0 to 100, got 120",
      "bogus: unknown field; check the spelling or remove it",
    ]);
  });

  it("reports every meaning problem at once: references, weights, ramp order, layer, guardrails", () => {
    const issues = problems(
      twoVariantRollout({
        status: "promoted",
        control: "baseline",
        variants: [
          { id: "a", weight: 0, value: 1 },
          { id: "a", weight: 0, value: 2 },
        ],
        pilots: [
          { variant: "b", units: ["S-1"] },
          { variant: "a", units: ["S-1"] },
        ],
        ramp: [
          { at: "2026-03-08T00:00:00+08:00", percent: 10 },
          { at: "2026-03-01T00:00:00+08:00", percent: 50 },
        ],
        layer: { id: "l", from: 60, to: 40 },
        metrics: { primary: "renewed", guardrails: [{ metric: "refunds", maxIncrease: 0.1, maxDecrease: 0.1 }] },
        switches: [{ id: "s", when: { fact: "kpi.x", op: "lt", value: 0 }, variant: "backup" }],
      }),
    );
    expect(issues).toEqual([
      'variants[1].id: variant id "a" is used twice; give each variant its own id',
      "variants: at least one variant needs a weight above 0",
      'control: unknown variant "baseline"; variants are a',
      'winner: status "promoted" needs "winner": the variant everyone gets',
      'pilots[0].variant: unknown variant "b"; variants are a',
      'pilots[1].units[0]: unit "S-1" is already on pilots[0]',
      'switches[0].variant: unknown variant "backup"; variants are a',
      "ramp[1].at: ramp steps must be in time order; this one is not after 2026-03-08T00:00:00+08:00",
      "layer.to: expected layer.to above layer.from (60), got 40",
      "metrics.guardrails[0]: give exactly one of maxIncrease (the metric must not rise more than this) or maxDecrease (must not fall more than this)",
    ]);
  });

  it("checks slots: all or none, inside [0, 1), disjoint, matching the weights", () => {
    const issues = problems(
      twoVariantRollout({
        variants: [
          { id: "control", weight: 50, value: 1, slots: [[0, 0.6]] },
          { id: "treatment", weight: 50, value: 2, slots: [[0.5, 0.9], [0.95, 1.2]] },
          { id: "extra", weight: 0, value: 3 },
        ],
      }),
    );
    expect(issues).toEqual([
      "variants[0].slots: slots cover 0.6000 of the bucket line but the weight gives a share of 0.5000; let the controller's reweight write slots, or remove them",
      "variants[1].slots[1]: expected [from, to) with 0 <= from < to <= 1, got [0.95, 1.2]",
      "variants[1].slots: slots cover 0.4000 of the bucket line but the weight gives a share of 0.5000; let the controller's reweight write slots, or remove them",
      "variants[2].slots: when one variant has slots, every variant needs them (or remove them all for the standard layout)",
      "variants[1].slots[0]: overlaps [0, 0.6); a bucket can belong to one variant only",
    ]);
  });

  it("checks the unit and targeting against declared facts, but not KPI conditions (they read KPI facts)", () => {
    const issues = problems(
      twoVariantRollout({
        facts: ["campus"],
        targeting: { all: [{ fact: "campus.id", op: "in", value: ["HZ-01"] }, { fact: "store.tier", op: "eq", value: "A" }] },
        switches: [{ id: "s", when: { fact: "kpi.signRate", op: "lt", value: 0 }, variant: "control" }],
      }),
    );
    expect(issues).toEqual([
      'unit: unknown fact "customer.id"; declared facts are campus',
      'targeting.all[1].fact: unknown fact "store.tier"; declared facts are campus',
    ]);
  });

  it("reports expression syntax errors in KPI conditions with their path", () => {
    expect(problems(twoVariantRollout({ switches: [{ id: "s", when: { expr: "kpi.signRate <" }, variant: "control" }] }))).toEqual([
      'switches[0].when.expr: syntax error: the expression ends too early (at position 14 in "kpi.signRate <")',
    ]);
  });

  it("compileRollout throws a ValidationError listing every problem", () => {
    let error: unknown;
    try {
      compileRollout({ ...twoVariantRollout(), control: "nope" });
    } catch (e) {
      error = e;
    }
    expect(isRuleflowError(error) && error.code).toBe("VALIDATION_ERROR");
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([["control"]]);
  });

  it("has a JSON Schema with every field described for editors", () => {
    const schema = toJsonSchemas()["rollout.schema.json"] as { properties?: Record<string, { description?: string }>; $ref?: string; $defs?: Record<string, { properties: Record<string, unknown> }> };
    const root = schema.$ref ? schema.$defs![schema.$ref.replace("#/$defs/", "")]! : (schema as { properties: Record<string, unknown> });
    for (const key of ["unit", "salt", "targeting", "pilots", "variants", "ramp", "holdout", "layer", "sticky", "metrics", "switches", "status", "winner"]) {
      expect(root.properties).toHaveProperty(key);
    }
  });
});
