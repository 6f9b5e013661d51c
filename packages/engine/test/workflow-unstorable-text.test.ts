/**
 * NUL characters and lone surrogates from the host are refused at the
 * engine's door, naming the host's own field, before any store is touched.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { isRuleflowError, type ValidationError } from "../src/core/errors.js";
import { assertStorableText, toStorableText, unstorableText } from "../src/storable-text.js";
import { approvalWorkflow, ENDS, rig, workflow } from "./workflow-helpers.js";

async function refusal(p: Promise<unknown>): Promise<ValidationError> {
  try {
    await p;
  } catch (e) {
    if (isRuleflowError(e) && e.code === "VALIDATION_ERROR") return e as ValidationError;
    throw e;
  }
  throw new Error("expected a refusal");
}

const paths = (e: ValidationError): string[] => e.message.split("\n").slice(1).map((l) => l.trim().split(": ")[0]!);

describe("text no store can keep, at the engine's door", () => {
  it("start: an input field, the id or the initiator is refused by name, and nothing is stored", async () => {
    const r = rig({ definitions: [approvalWorkflow({ assignees: ["user:a"] })] });
    const before = r.storage.snapshot();
    const e = await refusal(r.engine.start("wf", { initiator: "user:li", input: { customer: { name: "Zhang\u0000", tags: ["ok", "\uD800"] } } }));
    expect(paths(e)).toEqual(["input.customer.name", "input.customer.tags[1]"]);
    expect(e.message).toMatch(/input\.customer\.name: contains a NUL character \(U\+0000\) at index 5/);
    expect(e.message).toMatch(/input\.customer\.tags\[1\]: contains a lone surrogate \(U\+D800\) at index 0/);
    expect(paths(await refusal(r.engine.start("wf", { id: "Q-\u0000", initiator: "user:li" })))).toEqual(["id"]);
    expect(paths(await refusal(r.engine.start("wf", { initiator: "user:\uDC00" })))).toEqual(["initiator"]);
    expect(r.storage.snapshot()).toEqual(before);
  });

  it("send and cancel: a comment or any other field is refused by name; the instance is unchanged", async () => {
    const r = rig({ definitions: [approvalWorkflow({ assignees: ["user:a"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.settle();
    const before = r.storage.snapshot();
    expect(paths(await refusal(r.engine.send(q.id, { type: "approve", actor: "user:a", comment: "fine\u0000" })))).toEqual(["comment"]);
    expect(paths(await refusal(r.engine.send(q.id, { type: "approve", actor: "user:a\uD83D" })))).toEqual(["actor"]);
    expect(paths(await refusal(r.engine.cancel(q.id, { reason: "dup\u0000" })))).toEqual(["reason"]);
    expect(paths(await refusal(r.engine.get("x\u0000")))).toEqual(["id"]);
    await r.engine.settle();
    expect(r.storage.snapshot()).toEqual(before);
    // the same decision with a clean comment goes through
    await r.engine.send(q.id, { type: "approve", actor: "user:a", comment: "fine \uD83D\uDC4D" });
    expect((await r.engine.get(q.id))!.outcome).toBe("approved");
  });

  it("emit: event data is refused by name before any workflow starts", async () => {
    const def = workflow({ done: { type: "end", outcome: "ok" } }, { id: "log", triggers: [{ on: "lead.created" }] });
    const r = rig({ definitions: [def] });
    const e = await refusal(r.engine.emit({ type: "lead.created", data: { lead: { name: "\uDBFF" } } }));
    expect(paths(e)).toEqual(["data.lead.name"]);
    expect(await r.engine.list()).toEqual([]);
  });

  it("a task handler's result that cannot be stored fails the task (onError), naming the result field", async () => {
    const def = workflow({ t: { type: "task", handler: "erp", next: "approved", onError: "rejected" }, ...ENDS });
    const r = rig({ definitions: [def], handlers: { erp: () => ({ invoice: { no: "INV\u00001" } }) } });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.settle();
    const v = (await r.engine.get(q.id))!;
    expect(v.outcome).toBe("rejected");
    const failed = (await r.engine.audit(q.id)).find((a) => a.action === "task.failed")!;
    expect(String(failed.event["error"])).toMatch(/result\.invoice\.no: contains a NUL character/);
  });

  it("a task handler's error message is recorded with the bad characters replaced", async () => {
    const def = workflow({ t: { type: "task", handler: "erp", next: "approved", onError: "rejected" }, ...ENDS });
    const r = rig({ definitions: [def], handlers: { erp: () => Promise.reject(new Error("ERP said \u0000\uD800 no")) } });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.settle();
    expect((await r.engine.get(q.id))!.outcome).toBe("rejected");
    const task = (await r.engine.outbox(q.id)).find((o) => o.kind === "task")!;
    expect(task.lastError).toBe("ERP said \uFFFD\uFFFD no");
  });
});

describe("unstorableText", () => {
  it("names keys, walks cycles and deep values without overflowing", () => {
    const cyclic: Record<string, unknown> = { a: "ok" };
    cyclic["self"] = cyclic;
    expect(unstorableText({ x: cyclic })).toEqual([]);
    let deep: unknown = "bad\u0000";
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(unstorableText({ deep })).toHaveLength(1);
    expect(unstorableText({ v: { ["k\u0000"]: 1 } })).toEqual([{ code: "unstorable_text", path: ["v", "k\u0000"], message: expect.stringMatching(/^the key contains a NUL character/) }]);
    expect(() => assertStorableText({ v: { ["k\u0000"]: 1 } }, "thing")).toThrow(/Invalid thing: 1 problem\n {2}v\["k\\u0000"\]: the key contains a NUL/);
  });

  // text made of pieces that are fine, NUL, lone surrogates of both halves and a pair: bad text is common
  const text = fc.array(fc.constantFrom("a", "\u0000", "\uD800", "\uDC00", "\uD83D\uDE00", "中"), { maxLength: 3 }).map((parts) => parts.join(""));
  const badText = (s: string): boolean => s.includes("\u0000") || !(s as unknown as { isWellFormed(): boolean }).isWellFormed();
  /** The reference: some string value or object key anywhere in `v` is bad text. */
  const holdsBad = (v: unknown): boolean =>
    typeof v === "string" ? badText(v) : typeof v === "object" && v !== null && Object.entries(v).some(([k, x]) => (!Array.isArray(v) && badText(k)) || holdsBad(x));

  test.prop([fc.anything({ key: text, values: [text, fc.integer(), fc.constant(null)], maxDepth: 4 }), fc.boolean()])(
    "nested values: a problem is found exactly when some string or key holds bad text, frozen or not (the quick look before the walk hides none)",
    (value, freeze) => {
      const deepFreeze = (v: unknown): void => {
        if (typeof v !== "object" || v === null || Object.isFrozen(v)) return;
        Object.freeze(v);
        for (const x of Object.values(v)) deepFreeze(x);
      };
      if (freeze) deepFreeze(value);
      expect(unstorableText({ value }).length > 0).toBe(holdsBad(value));
    },
  );

  test.prop([fc.string({ unit: "binary" })])("a string is refused exactly when it is not well-formed Unicode or holds NUL", (s) => {
    // String.prototype.isWellFormed (ES2024) is the independent reference; the lib setting predates it
    const bad = s.includes("\u0000") || !(s as unknown as { isWellFormed(): boolean }).isWellFormed();
    expect(unstorableText({ s }).length > 0).toBe(bad);
    const fixed = toStorableText(s);
    expect(unstorableText({ s: fixed })).toEqual([]);
    expect(fixed.length).toBe(s.length);
    if (!bad) expect(fixed).toBe(s);
  });
});
