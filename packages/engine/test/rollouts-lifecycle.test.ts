/**
 * The rollout controller: lifecycle versions with audit records and events,
 * guardrail auto-rollback, elastic switches, sticky assignments that survive
 * weight changes, exposures, layers and concurrent writers.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createRegistry, isRuleflowError } from "../src/index.js";
import {
  createMemoryRolloutStore,
  createRolloutController,
  type RolloutController,
  type RolloutEventInput,
  type RolloutLifecycleEvent,
  type RolloutResult,
  type RolloutStore,
} from "../src/entries/rollouts.js";
import { seededRandom } from "../src/testing.js";
import { twoVariantRollout } from "./rollouts-helpers.js";

const T0 = Date.parse("2026-03-01T00:00:00+08:00");
const DAY = 86_400_000;

function setup(extra: Record<string, unknown> = {}) {
  let now = T0;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const store = createMemoryRolloutStore();
  const registry = createRegistry();
  const controller = createRolloutController({ store, clock, definitions: registry });
  const events: RolloutLifecycleEvent[] = [];
  controller.events$.subscribe((e) => events.push(e));
  const doc = twoVariantRollout({
    status: "draft",
    metrics: { primary: "renewed", guardrails: [{ metric: "refunded", maxIncrease: 0.02 }] },
    ...extra,
  });
  return { clock, store, registry, controller, events, doc };
}

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return isRuleflowError(e) ? e.code : String(e);
  }
}

const facts = (i: number, region = "east") => ({ customer: { id: `C-${i}` }, campus: { region } });

describe("lifecycle versions", () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => {
    s = setup();
  });

  it("register creates version 1, once; a newer document becomes the next version", async () => {
    await s.controller.register(s.doc, { actor: "user:li" });
    await s.controller.register(s.doc, { actor: "user:li" });
    expect((await s.controller.audit("renewal-incentive-v2")).map((a) => [a.action, a.toVersion])).toEqual([["create", 1]]);
    expect(await code(s.controller.register({ ...s.doc, salt: "changed" }, { actor: "user:li" }))).toBe("NOT_ALLOWED");
    await s.controller.register({ ...s.doc, version: 2, salt: "changed" }, { actor: "user:li" });
    expect(s.events.map((e) => e.type)).toEqual(["rollout.created", "rollout.updated"]);
  });

  it("start, promote and roll back each make a new version, audited, effective from the change", async () => {
    await s.controller.register(s.doc, { actor: "user:li" });
    s.clock.advance(DAY);
    await s.controller.start("renewal-incentive-v2", { actor: "user:li", reason: "pilot approved" });
    s.clock.advance(14 * DAY);
    const promoted = await s.controller.promote("renewal-incentive-v2", { actor: "user:wang", variant: "treatment", reason: "renewals +6 pts" });
    expect(promoted.document).toMatchObject({ version: 3, status: "promoted", winner: "treatment", effective: { from: "2026-03-15T16:00:00.000Z" } });
    s.clock.advance(DAY);
    await s.controller.rollback("renewal-incentive-v2", { actor: "user:wang", reason: "refund complaints" });

    const audit = await s.controller.audit("renewal-incentive-v2");
    expect(audit.map((a) => [a.action, a.actor, a.fromVersion, a.toVersion, a.fromStatus, a.toStatus])).toEqual([
      ["create", "user:li", null, 1, null, "draft"],
      ["start", "user:li", 1, 2, "draft", "running"],
      ["promote", "user:wang", 2, 3, "running", "promoted"],
      ["roll-back", "user:wang", 3, 4, "promoted", "rolled-back"],
    ]);
    expect(audit[2]).toMatchObject({ id: "renewal-incentive-v2@3", at: "2026-03-15T16:00:00.000Z", reason: "renewals +6 pts", details: { winner: "treatment" } });
    expect(s.events.map((e) => `${e.type} v${e.version}`)).toEqual(["rollout.created v1", "rollout.started v2", "rollout.promoted v3", "rollout.rolled-back v4"]);

    // The registry answers for any time with the version effective then.
    const at = (days: number) => new Date(T0 + days * DAY).toISOString();
    const r = (days: number) => s.registry.evaluate("renewal-incentive-v2", facts(1), { at: at(days) }) as RolloutResult;
    expect([r(0.5), r(5), r(15.5), r(30)].map((x) => [x.version, x.status, x.variant])).toEqual([
      [1, "draft", "control"],
      [2, "running", r(5).variant],
      [3, "promoted", "treatment"],
      [4, "rolled-back", "control"],
    ]);
  });

  it("refuses impossible transitions with NOT_ALLOWED and changes nothing", async () => {
    await s.controller.register(s.doc, { actor: "user:li" });
    expect(await code(s.controller.promote("renewal-incentive-v2", { actor: "user:li", variant: "treatment" }))).toBe("NOT_ALLOWED");
    await s.controller.start("renewal-incentive-v2", { actor: "user:li" });
    expect(await code(s.controller.start("renewal-incentive-v2", { actor: "user:li" }))).toBe("NOT_ALLOWED");
    expect(await code(s.controller.promote("renewal-incentive-v2", { actor: "user:li", variant: "ghost" }))).toBe("NOT_ALLOWED");
    await s.controller.rollback("renewal-incentive-v2", { actor: "user:li" });
    expect(await code(s.controller.rollback("renewal-incentive-v2", { actor: "user:li" }))).toBe("NOT_ALLOWED");
    expect(await code(s.controller.current("nope"))).toBe("UNKNOWN_DEFINITION");
    expect((await s.controller.audit("renewal-incentive-v2")).length).toBe(3);
  });

  it("lets one of two controllers win a race; the other gets CONCURRENCY_CONFLICT", async () => {
    await s.controller.register(s.doc, { actor: "user:li" });
    await s.controller.start("renewal-incentive-v2", { actor: "user:li" });
    const other = createRolloutController({ store: s.store, clock: s.clock });
    await other.current("renewal-incentive-v2");
    const results = await Promise.all([
      code(s.controller.promote("renewal-incentive-v2", { actor: "user:a", variant: "treatment" })),
      code(other.rollback("renewal-incentive-v2", { actor: "user:b" })),
    ]);
    expect(results.filter((r) => r === undefined)).toHaveLength(1);
    expect(results.filter((r) => r === "CONCURRENCY_CONFLICT")).toHaveLength(1);
  });
});

/** Assign units through the controller and produce metric events from their variants. */
async function run(controller: RolloutController, n: number, rates: { renewed: Record<string, number>; refunded: Record<string, number> }, seed: number) {
  const rand = seededRandom(seed);
  const metrics: RolloutEventInput[] = [];
  for (let i = 0; i < n; i++) {
    const r = await controller.assign("renewal-incentive-v2", facts(i));
    if (!r.inExperiment) continue;
    if (rand() < rates.renewed[r.variant]!) metrics.push({ type: "metric", unit: r.unit!, metric: "renewed" });
    if (rand() < rates.refunded[r.variant]!) metrics.push({ type: "metric", unit: r.unit!, metric: "refunded" });
  }
  return metrics;
}

describe("guardrails roll back by themselves", () => {
  it("a breach commits an automatic rollback, audited and announced", async () => {
    const s = setup();
    await s.controller.register(s.doc, { actor: "user:li" });
    await s.controller.start("renewal-incentive-v2", { actor: "user:li" });
    const metrics = await run(s.controller, 6000, { renewed: { control: 0.3, treatment: 0.35 }, refunded: { control: 0.03, treatment: 0.09 } }, 1);
    expect((await s.store.listExposures("renewal-incentive-v2")).length).toBe(6000);

    const { report, rolledBack } = await s.controller.checkGuardrails("renewal-incentive-v2", metrics);
    expect(rolledBack).toBe(true);
    expect(report.guardrails[0]!.status).toBe("breached");
    const last = (await s.controller.audit("renewal-incentive-v2")).at(-1)!;
    expect(last).toMatchObject({ action: "auto-roll-back", actor: "system:guardrail", toStatus: "rolled-back" });
    expect(last.reason).toMatch(/^guardrail breached: refunded rose by/);
    expect(s.events.slice(-2).map((e) => e.type)).toEqual(["rollout.guardrail-breached", "rollout.rolled-back"]);
    expect(s.events.at(-2)!.guardrails![0]!.metric).toBe("refunded");
    expect((await s.controller.assign("renewal-incentive-v2", facts(1))).variant).toBe("control");

    // Once rolled back, checking again changes nothing.
    expect((await s.controller.checkGuardrails("renewal-incentive-v2", metrics)).rolledBack).toBe(false);
  });

  it("no breach, no rollback", async () => {
    const s = setup();
    await s.controller.register({ ...s.doc, status: "running" } as never, { actor: "user:li" });
    const metrics = await run(s.controller, 3000, { renewed: { control: 0.3, treatment: 0.35 }, refunded: { control: 0.03, treatment: 0.03 } }, 2);
    expect((await s.controller.checkGuardrails("renewal-incentive-v2", metrics)).rolledBack).toBe(false);
    expect((await s.controller.current("renewal-incentive-v2")).document.status).toBe("running");
  });
});

describe("elastic switches", () => {
  const switches = [
    {
      id: "east-sign-rate-drop",
      label: "sign rate down two weeks in a row in the east",
      when: { expr: "east.signRateChange[0] < 0 and east.signRateChange[1] < 0" },
      scope: { fact: "campus.region", op: "eq", value: "east" },
      variant: "backup",
    },
  ];
  const variants = [
    { id: "control", weight: 50, value: "renewal-v1" },
    { id: "treatment", weight: 50, value: "renewal-v2" },
    { id: "backup", weight: 0, value: "renewal-v1-plus" },
  ];

  it("switch the region when the KPI condition holds, as a new audited version; release it again", async () => {
    const s = setup({ status: "running", variants, switches });
    await s.controller.register(s.doc, { actor: "user:li" });
    const fine = await s.controller.checkSwitches("renewal-incentive-v2", { east: { signRateChange: [-0.01, 0.02] } });
    expect(fine.switched).toEqual([]);
    expect(fine.checks[0]!.passed).toBe(false);
    const hit = await s.controller.checkSwitches("renewal-incentive-v2", { east: { signRateChange: [-0.01, -0.03] } });
    expect(hit.switched).toEqual(["east-sign-rate-drop"]);
    expect((await s.controller.assign("renewal-incentive-v2", facts(1, "east"))).output).toBe("renewal-v1-plus");
    expect((await s.controller.assign("renewal-incentive-v2", facts(1, "west"))).variant).not.toBe("backup");
    const audit = await s.controller.audit("renewal-incentive-v2");
    expect(audit.at(-1)).toMatchObject({ action: "switch", actor: "system:elastic-switch", toVersion: 2, details: { switch: "east-sign-rate-drop", variant: "backup" } });
    expect(s.events.at(-1)!.type).toBe("rollout.switched");
    await s.controller.releaseSwitch("renewal-incentive-v2", "east-sign-rate-drop", { actor: "user:li", reason: "sign rate recovered" });
    expect((await s.controller.assign("renewal-incentive-v2", facts(1, "east"))).variant).not.toBe("backup");
  });
});

describe("weights change, sticky units stay", () => {
  async function assignAll(controller: RolloutController, n: number) {
    const out = new Map<string, string>();
    for (let i = 0; i < n; i++) out.set(`C-${i}`, (await controller.assign("renewal-incentive-v2", facts(i), { record: false })).variant);
    return out;
  }

  it("a sticky rollout keeps every unit's first variant through 50/50 -> 90/10", async () => {
    const s = setup({ status: "running", sticky: true });
    await s.controller.register(s.doc, { actor: "user:li" });
    const before = await assignAll(s.controller, 2000);
    await s.controller.reweight("renewal-incentive-v2", { control: 90, treatment: 10 }, { actor: "user:li" });
    const after = await assignAll(s.controller, 2000);
    expect(after).toEqual(before);
    const r = await s.controller.assign("renewal-incentive-v2", facts(3));
    expect(r.explanation.reason).toBe("sticky");
  });

  it("without sticky, only the units the new weights require move, all from treatment to control", async () => {
    const s = setup({ status: "running" });
    await s.controller.register(s.doc, { actor: "user:li" });
    const before = await assignAll(s.controller, 4000);
    const v2 = await s.controller.reweight("renewal-incentive-v2", { control: 90, treatment: 10 }, { actor: "user:li" });
    expect(v2.document.variants.map((v) => [v.id, v.weight, v.slots])).toEqual([
      [
        "control",
        90,
        [
          [0, 0.5],
          [0.6, 1],
        ],
      ],
      ["treatment", 10, [[0.5, 0.6]]],
    ]);
    const after = await assignAll(s.controller, 4000);
    let moved = 0;
    for (const [unit, v] of before) {
      if (after.get(unit) !== v) {
        moved++;
        expect([v, after.get(unit)]).toEqual(["treatment", "control"]);
      }
    }
    expect(moved / 4000).toBeGreaterThan(0.37);
    expect(moved / 4000).toBeLessThan(0.43);
    expect((await s.controller.audit("renewal-incentive-v2")).at(-1)).toMatchObject({ action: "reweight", details: { from: { control: 50, treatment: 50 }, to: { control: 90, treatment: 10 } } });
  });
});

describe("assignment through the controller", () => {
  it("records an exposure for randomised units only, with the version and time", async () => {
    const s = setup({ status: "running", targeting: { fact: "campus.region", op: "eq", value: "east" } });
    await s.controller.register(s.doc, { actor: "user:li" });
    await s.controller.assign("renewal-incentive-v2", facts(1, "east"));
    await s.controller.assign("renewal-incentive-v2", facts(2, "west"));
    await s.controller.assign("renewal-incentive-v2", facts(3, "east"), { record: false });
    const exposures = await s.store.listExposures("renewal-incentive-v2");
    expect(exposures).toEqual([{ rolloutId: "renewal-incentive-v2", version: 1, unit: "C-1", variant: expect.any(String), bucket: expect.any(Number), at: "2026-02-28T16:00:00.000Z" }]);
  });

  it("refuses to start a rollout whose layer range overlaps a running one", async () => {
    const store: RolloutStore = createMemoryRolloutStore();
    const controller = createRolloutController({ store, clock: { now: () => T0 } });
    await controller.register(twoVariantRollout({ id: "a", layer: { id: "q2", from: 0, to: 60 } }), { actor: "user:li" });
    await controller.register(twoVariantRollout({ id: "b", status: "draft", layer: { id: "q2", from: 50, to: 100 } }), { actor: "user:li" });
    await controller.register(twoVariantRollout({ id: "c", status: "draft", layer: { id: "q2", from: 60, to: 100 } }), { actor: "user:li" });
    const e = await controller.start("b", { actor: "user:li" }).catch((x: unknown) => x);
    expect(isRuleflowError(e) && e.code).toBe("NOT_ALLOWED");
    expect((e as Error).message).toMatch(/layer "q2" \[50, 100\) overlaps running rollout "a" \[0, 60\)/);
    await controller.start("c", { actor: "user:li" });
  });
});
