/**
 * Who gets what: targeting, pilot lists, holdouts, layers, elastic switches,
 * sticky records and lifecycle states; and rollouts in the registry.
 */
import { describe, expect, it } from "vitest";
import { compileRollout, createRegistry } from "../src/index.js";
import { findLayerConflicts, type RolloutDocument, type RolloutResult } from "../src/entries/rollouts.js";
import { twoVariantRollout } from "./rollouts-helpers.js";

const AT = "2026-03-20T00:00:00+08:00";
const rollout = (extra: Record<string, unknown> = {}) => compileRollout(twoVariantRollout(extra));
const unitFacts = (id: string, extra: Record<string, unknown> = {}) => ({ customer: { id }, campus: { id: "HZ-01", region: "east" }, ...extra });

describe("pilot lists", () => {
  const r = rollout({
    targeting: { fact: "campus.id", op: "in", value: ["HZ-01"] },
    pilots: [{ variant: "treatment", units: ["C-VIP-1", 1042], label: "flagship accounts" }],
  });

  it("give listed units their variant, bypassing targeting, and keep them out of the analysis", () => {
    const res = r.evaluate({ customer: { id: "C-VIP-1" }, campus: { id: "BJ-01" } }, { at: AT });
    expect(res).toMatchObject({ variant: "treatment", inExperiment: false, explanation: { reason: "pilot", pilot: "flagship accounts" } });
    expect(res.explanation.message).toBe('customer.id "C-VIP-1" is on pilot list flagship accounts, which gets treatment');
  });

  it("match numeric unit values as strings", () => {
    expect(r.evaluate({ customer: { id: 1042 }, campus: { id: "HZ-01" } }, { at: AT }).explanation.reason).toBe("pilot");
  });
});

describe("holdout", () => {
  it("keeps about its percent of targeted units on control, out of the experiment", () => {
    const r = rollout({ holdout: { percent: 10 } });
    let held = 0;
    for (let i = 0; i < 20_000; i++) {
      const res = r.evaluate(unitFacts(`C-${i}`), { at: AT });
      if (res.explanation.reason === "holdout") {
        held++;
        expect(res).toMatchObject({ variant: "control", inExperiment: false });
        expect(res.explanation.holdout!.bucket).toBeLessThan(0.1);
      }
    }
    expect(held / 20_000).toBeGreaterThan(0.09);
    expect(held / 20_000).toBeLessThan(0.11);
  });

  it("with a shared salt, holds out the same units from every rollout", () => {
    const a = rollout({ id: "a", holdout: { percent: 5, salt: "global-holdout" } });
    const b = rollout({ id: "b", holdout: { percent: 5, salt: "global-holdout" } });
    for (let i = 0; i < 2000; i++) {
      const f = unitFacts(`C-${i}`);
      expect(a.evaluate(f, { at: AT }).explanation.reason === "holdout").toBe(b.evaluate(f, { at: AT }).explanation.reason === "holdout");
    }
  });
});

describe("mutually exclusive layers", () => {
  const first = rollout({ id: "pricing-test", layer: { id: "q2-incentives", from: 0, to: 40 } });
  const second = rollout({ id: "renewal-test", layer: { id: "q2-incentives", from: 40, to: 100 } });

  it("put a unit in at most one rollout of the layer", () => {
    let inFirst = 0;
    let inSecond = 0;
    for (let i = 0; i < 20_000; i++) {
      const f = unitFacts(`C-${i}`);
      const a = first.evaluate(f, { at: AT });
      const b = second.evaluate(f, { at: AT });
      expect(a.inExperiment && b.inExperiment).toBe(false);
      if (a.inExperiment) inFirst++;
      if (b.inExperiment) inSecond++;
      if (!a.inExperiment) expect(a.explanation).toMatchObject({ reason: "outside-layer", layer: { id: "q2-incentives", inside: false } });
    }
    expect(inFirst / 20_000).toBeCloseTo(0.4, 1);
    expect(inSecond / 20_000).toBeCloseTo(0.6, 1);
  });

  it("report overlapping ranges of running rollouts", () => {
    const a = twoVariantRollout({ id: "a", layer: { id: "l", from: 0, to: 60 } });
    const b = twoVariantRollout({ id: "b", layer: { id: "l", from: 50, to: 100 } });
    const c = twoVariantRollout({ id: "c", status: "draft", layer: { id: "l", from: 0, to: 100 } });
    const conflicts = findLayerConflicts([a, b, c].map((d) => compileRollout(d as never)));
    expect(conflicts).toEqual([{ layer: "l", first: { id: "a", version: 1, from: 0, to: 60 }, second: { id: "b", version: 1, from: 50, to: 100 }, overlap: 10 }]);
    expect(findLayerConflicts([first, second])).toEqual([]);
  });
});

describe("elastic switches", () => {
  const doc = (active: boolean) =>
    rollout({
      variants: [
        { id: "control", weight: 50, value: "v1" },
        { id: "treatment", weight: 50, value: "v2" },
        { id: "backup", weight: 0, value: "v1-backup" },
      ],
      switches: [
        {
          id: "east-sign-rate-drop",
          when: { all: [{ fact: "east.signRateChange.lastWeek", op: "lt", value: 0 }, { fact: "east.signRateChange.weekBefore", op: "lt", value: 0 }] },
          scope: { fact: "campus.region", op: "eq", value: "east" },
          variant: "backup",
          active,
        },
      ],
    });

  it("send units in the scope of an active switch to the backup variant", () => {
    const on = doc(true);
    expect(on.evaluate(unitFacts("C-1"), { at: AT })).toMatchObject({ variant: "backup", output: "v1-backup", inExperiment: false, explanation: { reason: "switched", switch: "east-sign-rate-drop" } });
    const west = on.evaluate({ customer: { id: "C-1" }, campus: { region: "west" } }, { at: AT });
    expect(west.explanation.reason).toBe("assigned");
    expect(doc(false).evaluate(unitFacts("C-1"), { at: AT }).explanation.reason).toBe("assigned");
  });

  it("check their KPI condition against KPI facts, explained", () => {
    const [sw] = doc(false).switches;
    expect(sw!.check({ east: { signRateChange: { lastWeek: -0.02, weekBefore: -0.01 } } }).passed).toBe(true);
    const miss = sw!.check({ east: { signRateChange: { lastWeek: -0.02, weekBefore: 0.01 } } });
    expect(miss.passed).toBe(false);
    expect(miss.trace).toMatchObject({ type: "all", children: [{ passed: true }, { passed: false, actual: 0.01 }] });
  });
});

describe("sticky assignments", () => {
  const sticky = { rolloutId: "renewal-incentive-v2", unit: "C-0001", variant: "control", version: 1, salt: "renewal-incentive-v2", at: AT };

  it("keep a stored variant in a sticky rollout", () => {
    const res = rollout({ sticky: true }).evaluate(unitFacts("C-0001"), { at: AT, sticky });
    expect(res).toMatchObject({ variant: "control", inExperiment: true, explanation: { reason: "sticky", sticky: { variant: "control", version: 1 } } });
  });

  it("are ignored when the rollout is not sticky, the salt changed, or the variant was switched off", () => {
    expect(rollout().evaluate(unitFacts("C-0001"), { at: AT, sticky }).variant).toBe("treatment");
    expect(rollout({ sticky: true, salt: "new" }).evaluate(unitFacts("C-0001"), { at: AT, sticky: { ...sticky, salt: "renewal-incentive-v2" } }).explanation.reason).not.toBe("sticky");
    const off = rollout({ sticky: true, variants: [{ id: "control", weight: 0, value: 1 }, { id: "treatment", weight: 1, value: 2 }] });
    expect(off.evaluate(unitFacts("C-0001"), { at: AT, sticky }).variant).toBe("treatment");
  });
});

describe("lifecycle states", () => {
  const at = { at: AT };
  it.each([
    ["draft", undefined, "control", "draft"],
    ["promoted", "treatment", "treatment", "promoted"],
    ["rolled-back", undefined, "control", "rolled-back"],
  ] as const)("%s: everyone gets the same variant", (status, winner, variant, reason) => {
    const r = rollout({ status, ...(winner ? { winner } : {}), targeting: { fact: "campus.id", op: "eq", value: "nowhere" } });
    for (const f of [unitFacts("C-1"), unitFacts("C-2"), { campus: { id: "BJ" } }]) {
      const res: RolloutResult = r.evaluate(f, at);
      expect(res).toMatchObject({ variant, status, inExperiment: false, explanation: { reason } });
    }
  });
});

describe("in the registry", () => {
  it("evaluates the version effective at the time, like every other kind", () => {
    const v1 = twoVariantRollout();
    const v2 = { ...twoVariantRollout(), version: 2, status: "promoted", winner: "treatment", effective: { from: "2026-04-01T00:00:00+08:00" } };
    const registry = createRegistry([v1, v2]);
    const before = registry.evaluate("renewal-incentive-v2", unitFacts("C-0002"), { at: AT }) as RolloutResult;
    const after = registry.evaluate("renewal-incentive-v2", unitFacts("C-0002"), { at: "2026-04-02T00:00:00+08:00" }) as RolloutResult;
    expect(before.version).toBe(1);
    expect(after).toMatchObject({ version: 2, variant: "treatment", explanation: { reason: "promoted" } });
    expect((registry.resolve("renewal-incentive-v2", AT).document as RolloutDocument).unit).toBe("customer.id");
  });
});
