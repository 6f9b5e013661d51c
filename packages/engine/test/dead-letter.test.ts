/** The one dead-letter box every notifier keeps its dead letters in (createDeadLetterBox). */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { Notification } from "../src/index.js";
import { createDeadLetterBox, type DeadLetter } from "../src/entries/workflow.js";

interface Seen {
  readonly status: number;
  readonly requests: number;
}
interface HttpLetter extends DeadLetter {
  readonly status: number | undefined;
  readonly requests: number;
}

const AT = 1_772_672_400_000;
const note = (key: string): Notification => ({ id: key, idempotencyKey: key, instanceId: "i-1", to: "user:li", recipients: ["user:li"], template: "t", data: {}, at: AT });
const failure = { attempts: 5, error: "503 Service Unavailable", permanent: false, at: AT + 1 };
const fields = (_n: Notification, d: Seen | undefined) => ({ status: d?.status, requests: d?.requests ?? 0 });

describe("createDeadLetterBox", () => {
  it("builds a letter from the engine's verdict and the key's last detail", async () => {
    const box = createDeadLetterBox<Seen, HttpLetter>({ fields });
    box.failed("k1", { status: 500, requests: 2 });
    box.failed("k1", { status: 503, requests: 1 });
    const letter = await box.dead(note("k1"), failure);
    expect(letter).toEqual({ notification: note("k1"), status: 503, requests: 1, attempts: 5, error: "503 Service Unavailable", permanent: false, at: AT + 1 });
    expect(box.letters).toEqual([letter]);
  });

  it("merge combines a key's details (here: requests add up)", async () => {
    const box = createDeadLetterBox<Seen, HttpLetter>({ fields, merge: (a, b) => ({ ...b, requests: a.requests + b.requests }) });
    box.failed("k1", { status: 500, requests: 2 });
    box.failed("k1", { status: 503, requests: 3 });
    expect(await box.dead(note("k1"), failure)).toMatchObject({ status: 503, requests: 5 });
  });

  it("the adapter's fields cannot overwrite the engine's verdict", async () => {
    const box = createDeadLetterBox<Seen>({ fields: () => ({ attempts: 99, error: "mine" }) });
    expect(await box.dead(note("k1"), failure)).toMatchObject({ attempts: 5, error: "503 Service Unavailable" });
  });

  it("forgets the oldest key beyond 10,000 keys with a failure on record", async () => {
    const box = createDeadLetterBox<Seen, HttpLetter>({ fields });
    for (let i = 0; i <= 10_000; i++) box.failed(`k${i}`, { status: 500, requests: 1 });
    box.failed("k1", { status: 502, requests: 1 }); // failing again makes k1 the newest
    box.failed("k-last", { status: 500, requests: 1 }); // pushes out k2, the oldest now
    expect(await box.dead(note("k0"), failure)).toMatchObject({ status: undefined, requests: 0 });
    expect(await box.dead(note("k2"), failure)).toMatchObject({ status: undefined, requests: 0 });
    expect(await box.dead(note("k1"), failure)).toMatchObject({ status: 502 });
    expect(await box.dead(note("k3"), failure)).toMatchObject({ status: 500 });
  });

  it("refuses meaningless options, naming the owner and the option", () => {
    expect(() => createDeadLetterBox({ fields, keepDeadLetters: -1 })).toThrow(new RangeError("createDeadLetterBox: keepDeadLetters must be a whole number, 0 or more, got -1"));
    expect(() => createDeadLetterBox({ fields, keepDeadLetters: 2.5, owner: "createSmsNotifier" })).toThrow(/^createSmsNotifier: keepDeadLetters must be a whole number, 0 or more, got 2.5$/);
    expect(() => createDeadLetterBox({ fields, keepDeadLetters: "7" as unknown as number })).toThrow(new TypeError('createDeadLetterBox: keepDeadLetters must be a whole number, 0 or more, got "7"'));
    expect(() => createDeadLetterBox({ fields, onDeadLetter: {} as never })).toThrow(/onDeadLetter must be a function, got an object/);
    expect(() => createDeadLetterBox({ fields, merge: 1 as never })).toThrow(/merge must be a function, got 1/);
    expect(() => createDeadLetterBox({ fields: undefined as never })).toThrow(/fields must be a function, got undefined/);
  });

  // Model: per key, the last detail (or the merge of all since the key was last delivered or dead); letters the last `keep` deads.
  const op = fc.oneof(
    fc.record({ op: fc.constant("failed" as const), key: fc.constantFrom("a", "b", "c"), status: fc.integer({ min: 400, max: 599 }) }),
    fc.record({ op: fc.constant("delivered" as const), key: fc.constantFrom("a", "b", "c") }),
    fc.record({ op: fc.constant("dead" as const), key: fc.constantFrom("a", "b", "c") }),
  );
  test.prop([fc.array(op, { maxLength: 60 }), fc.integer({ min: 0, max: 5 })])("letters follow the model of failures, deliveries and deaths", async (ops, keep) => {
    const heard: HttpLetter[] = [];
    const box = createDeadLetterBox<Seen, HttpLetter>({ fields, keepDeadLetters: keep, merge: (a, b) => ({ ...b, requests: a.requests + b.requests }), onDeadLetter: (l) => void heard.push(l) });
    const model = new Map<string, Seen>();
    const expected: { key: string; status: number | undefined; requests: number }[] = [];
    for (const o of ops) {
      if (o.op === "failed") {
        box.failed(o.key, { status: o.status, requests: 1 });
        model.set(o.key, { status: o.status, requests: (model.get(o.key)?.requests ?? 0) + 1 });
      } else if (o.op === "delivered") {
        box.delivered(o.key);
        model.delete(o.key);
      } else {
        await box.dead(note(o.key), failure);
        expected.push({ key: o.key, status: model.get(o.key)?.status, requests: model.get(o.key)?.requests ?? 0 });
        model.delete(o.key);
      }
    }
    const view = (ls: readonly HttpLetter[]) => ls.map((l) => ({ key: l.notification.idempotencyKey, status: l.status, requests: l.requests }));
    expect(view(heard)).toEqual(expected);
    expect(view(box.letters)).toEqual(keep === 0 ? [] : expected.slice(-keep));
  });
});
