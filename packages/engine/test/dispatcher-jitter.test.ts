/**
 * The outbox's retry jitter: the dispatcher hashes `${entry id}/${attempt}`
 * with the engine's one FNV-1a (`fnv1a32`) instead of a copy of it. The delays
 * below were recorded with the dispatcher's former inline hash, so a change of
 * hash, prime or formula shows here as a changed retry schedule.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { fnv1a32 } from "../src/core/hash.js";
import type { Notification } from "../src/runtime/ports.js";
import { rig, workflow } from "./workflow-helpers.js";

/** The dispatcher's hash as it was written before it used `fnv1a32`, kept as the reference. */
function formerJitterHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
  return h;
}

const two = workflow({
  hello: { type: "notify", notify: [{ to: "user:a", template: "first" }, { to: "user:b", template: "second" }], next: "done" },
  done: { type: "end", outcome: "ok" },
});

describe("dispatcher retry jitter", () => {
  it("schedules the same retry delays as before, attempt by attempt", async () => {
    const calls: { template: string; at: number }[] = [];
    let now = (): number => 0;
    const notifier = {
      sent: [] as Notification[],
      async send(n: Notification) {
        calls.push({ template: n.template, at: now() });
        throw new Error("receiver down");
      },
    };
    const r = rig({ definitions: [two], notifier, retry: { maxAttempts: 6, baseDelayMs: 60_000 } });
    now = () => r.clock.now();
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("P2D");
    const entries = await r.engine.outbox(q.id);
    const gaps = (template: string): number[] => {
      const times = calls.filter((c) => c.template === template).map((c) => c.at);
      return times.slice(1).map((t, i) => t - times[i]!);
    };
    // recorded before the change
    expect({ first: gaps("first"), second: gaps("second") }).toEqual(EXPECTED_GAPS);
    // and the formula they come from: base * 2^(attempt-1) * (1 + (hash("<entry id>/<attempt>") % 1000) / 5000), rounded to the ms
    const formula = (template: string): number[] => {
      const entry = entries.find((e) => e.payload["template"] === template)!;
      return [1, 2, 3, 4, 5].map((attempt) => Math.round(60_000 * 2 ** (attempt - 1) * (1 + (formerJitterHash(`${entry.id}/${attempt}`) % 1000) / 5000)));
    };
    expect({ first: gaps("first"), second: gaps("second") }).toEqual({ first: formula("first"), second: formula("second") });
    expect(entries.map((e) => [e.status, e.attempts])).toEqual([["dead", 6], ["dead", 6]]);
  });

  test.prop([fc.string({ unit: "binary", maxLength: 64 })])("fnv1a32 equals the former inline hash on any text", (text) => {
    expect(fnv1a32(text)).toBe(formerJitterHash(text));
  });
});

/** Milliseconds between the six attempts of each notification, recorded with the former inline hash. */
const EXPECTED_GAPS = {
  first: [61_092, 137_040, 255_792, 571_008, 1_068_864],
  second: [71_808, 140_184, 250_656, 487_584, 1_048_320],
};
