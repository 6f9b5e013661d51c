/** Issue 9 item 3 in workflows: comparisons that met a missing value are visible in the audit and on events$. */
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../src/runtime/engine.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import { createEngine } from "../src/runtime/engine.js";
import { createMemoryStorage } from "../src/runtime/memory-storage.js";

const alerts = {
  kind: "ruleset",
  id: "health-alert",
  version: 1,
  hitPolicy: "first",
  rules: [
    { id: "low", when: { expr: "health.score < 60" }, then: { level: "red" } },
    { id: "otherwise", then: { level: "fine" } },
  ],
};

const triage = {
  kind: "workflow",
  id: "triage",
  version: 1,
  start: "triage",
  nodes: {
    triage: { type: "decision", ruleset: "health-alert", output: "level", routes: { red: "alert", fine: "check" } },
    check: { type: "branch", branches: [{ when: { fact: "health.score", op: "lt", value: 60 }, to: "alert" }], default: "fine" },
    alert: { type: "end", outcome: "alert" },
    fine: { type: "end", outcome: "fine" },
  },
};

async function run(score: unknown) {
  const engine = createEngine({ definitions: [alerts, triage], storage: createMemoryStorage(), clock: createVirtualClock("2026-03-05T09:00:00+08:00") });
  const events: EngineEvent[] = [];
  const sub = engine.events$.subscribe((e) => events.push(e));
  const inst = await engine.start("triage", { initiator: "user:li", input: { health: { score } } });
  sub.unsubscribe();
  const audit = await engine.audit(inst.id);
  return { inst, audit, events };
}

describe("workflow warnings", () => {
  it("a decision node and a branch that met null record warnings in the audit and on events$", async () => {
    const { inst, audit, events } = await run(null);
    expect(inst.outcome).toBe("fine");
    const warnings = audit.flatMap((a) => ((a.event as { warnings?: { code: string; path: string; message: string }[] }).warnings ?? []));
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ["missing_value", "nodes.triage"],
      ["missing_value", "nodes.check.branches[0].when"],
    ]);
    expect(warnings[0]!.message).toContain('ruleset "health-alert" v1');
    expect(warnings[0]!.message).toContain("rules[0].when");
    const emitted = events.filter((e) => e.type === "instance.warning");
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({ instanceId: inst.id, warnings });
  });

  it("a present score gives no warning", async () => {
    const { inst, audit, events } = await run(42);
    expect(inst.outcome).toBe("alert");
    expect(audit.every((a) => (a.event as { warnings?: unknown }).warnings === undefined)).toBe(true);
    expect(events.some((e) => e.type === "instance.warning")).toBe(false);
  });

  it("an expression in a task input that met null names its path", async () => {
    const wf = {
      kind: "workflow",
      id: "flag",
      version: 1,
      start: "b",
      nodes: {
        b: { type: "branch", branches: [{ when: { expr: "health.score < 60" }, to: "alert" }], default: "fine" },
        alert: { type: "end", outcome: "alert" },
        fine: { type: "end", outcome: "fine" },
      },
    };
    const engine = createEngine({ definitions: [wf], storage: createMemoryStorage(), clock: createVirtualClock("2026-03-05T09:00:00+08:00") });
    const inst = await engine.start("flag", { initiator: "user:li", input: { health: {} } });
    const audit = await engine.audit(inst.id);
    const warnings = audit.flatMap((a) => ((a.event as { warnings?: { path: string }[] }).warnings ?? []));
    expect(warnings.map((w) => w.path)).toEqual(["nodes.b.branches[0].when"]);
  });
});
