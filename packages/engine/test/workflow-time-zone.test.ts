/** Issue 9 item 7 in workflows: date-only values mean that day in the workflow's zone (timeZone, else its calendar's, else UTC). */
import { describe, expect, it } from "vitest";
import { createVirtualClock } from "../src/runtime/clock.js";
import { createEngine } from "../src/runtime/engine.js";
import { createMemoryStorage } from "../src/runtime/memory-storage.js";

function overdue(extra: Record<string, unknown>) {
  return {
    kind: "workflow",
    id: "receivable",
    version: 1,
    start: "check",
    ...extra,
    nodes: {
      check: { type: "branch", branches: [{ when: { expr: "now > addDays(receivable.dueDate, 1)" }, to: "overdue" }], default: "ok" },
      overdue: { type: "end", outcome: "overdue" },
      ok: { type: "end", outcome: "ok" },
    },
  };
}

async function outcome(extra: Record<string, unknown>, at: string): Promise<string | undefined> {
  const engine = createEngine({ definitions: [overdue(extra)], storage: createMemoryStorage(), clock: createVirtualClock(at) });
  const inst = await engine.start("receivable", { initiator: "user:li", input: { receivable: { dueDate: "2026-03-05" } } });
  return inst.outcome;
}

describe("workflow time zone", () => {
  // addDays("2026-03-05", 1) is the start of 2026-03-06 in the zone (docs/expressions.md)
  it("a workflow on the cn-mainland calendar reads date-only values in Asia/Shanghai", async () => {
    expect(await outcome({ calendar: "cn-mainland" }, "2026-03-05T23:59:00+08:00")).toBe("ok");
    expect(await outcome({ calendar: "cn-mainland" }, "2026-03-06T00:01:00+08:00")).toBe("overdue");
    expect(await outcome({ calendar: "cn-mainland" }, "2026-03-06T07:00:00+08:00")).toBe("overdue");
  });

  it("timeZone wins over the calendar's zone", async () => {
    expect(await outcome({ calendar: "cn-mainland", timeZone: "UTC" }, "2026-03-06T07:00:00+08:00")).toBe("ok");
    expect(await outcome({ timeZone: "+09:00" }, "2026-03-05T23:30:00+08:00")).toBe("overdue");
  });

  it("without either, date-only values are UTC midnight", async () => {
    expect(await outcome({}, "2026-03-06T07:00:00+08:00")).toBe("ok");
    expect(await outcome({}, "2026-03-06T08:30:00+08:00")).toBe("overdue");
  });
});
