/**
 * The rollout controller speaks the runtime's words: it takes the runtime
 * Clock (a VirtualClock included) and an id generator `newId: () => string`
 * like createEngine, defaulting to `<rollout id>@<version>`.
 */
import { describe, expect, it } from "vitest";
import { isRuleflowError } from "../src/core/errors.js";
import { createMemoryRolloutStore, createRolloutController } from "../src/entries/rollouts.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import { twoVariantRollout } from "./rollouts-helpers.js";

describe("rollout controller options", () => {
  it("reads the time from the runtime Clock: a VirtualClock moves the audit's times", async () => {
    const clock = createVirtualClock("2026-03-01T09:00:00+08:00");
    const controller = createRolloutController({ store: createMemoryRolloutStore(), clock });
    await controller.register(twoVariantRollout({ status: "draft" }), { actor: "user:li" });
    await clock.advanceBy("P1D");
    await controller.start("renewal-incentive-v2", { actor: "user:li" });
    const trail = await controller.audit("renewal-incentive-v2");
    expect(trail.map((a) => [a.id, a.at])).toEqual([
      ["renewal-incentive-v2@1", "2026-03-01T01:00:00.000Z"],
      ["renewal-incentive-v2@2", "2026-03-02T01:00:00.000Z"],
    ]);
  });

  it("takes newId: () => string, as createEngine does", async () => {
    let n = 0;
    const controller = createRolloutController({ store: createMemoryRolloutStore(), clock: { now: () => 0 }, newId: () => `audit-${++n}` });
    await controller.register(twoVariantRollout({ status: "draft" }), { actor: "user:li" });
    await controller.start("renewal-incentive-v2", { actor: "user:li" });
    expect((await controller.audit("renewal-incentive-v2")).map((a) => a.id)).toEqual(["audit-1", "audit-2"]);
  });

  it("refuses a generator of the old (rolloutId, version) shape instead of calling it without either", () => {
    let error: unknown;
    try {
      createRolloutController({ store: createMemoryRolloutStore(), newId: ((id: string, version: number) => `${id}#${version}`) as unknown as () => string });
    } catch (e) {
      error = e;
    }
    expect(isRuleflowError(error, "INVALID_ARGUMENT") && error.argument).toBe("newId");
  });
});
