/**
 * The conformance suite of dead letters: a notifier that keeps them (with a
 * `DeadLetterBox`) must pass it. `@ruleflow/webhook`, `@ruleflow/im` and
 * `@ruleflow/email` run the very same suite, so their dead letters behave
 * the same; a notifier of your own can run it too.
 */
import type { DeadLetter, DeadLetterOptions } from "./dead-letter.js";
import type { DeliveryFailure, Notification, Notifier } from "./ports.js";
import type { TestApi } from "../conformance-kit.js";

/** A notifier with dead letters, as {@link deadLetterConformance} drives it. */
export interface DeadLetterNotifier extends Notifier {
  deadLetter(notification: Notification, failure: DeliveryFailure): Promise<void>;
  /** The most recent dead letters, oldest first. */
  readonly deadLetters: readonly DeadLetter[];
}

/** What {@link deadLetterConformance} needs of the notifier under test. */
export interface DeadLetterHarness {
  /**
   * A new notifier with these dead-letter options (pass them through as they
   * are, also when they are meaningless: the suite checks they are refused).
   * Its `send` must deliver a notification whose `data.fate` is `"deliver"`,
   * and fail (throw, after recording what it saw) for `"fail"`.
   */
  notifier(options: DeadLetterOptions): DeadLetterNotifier;
}

const AT = Date.parse("2026-03-05T01:00:00.000Z");
const BASE = new Set(["notification", "attempts", "error", "permanent", "at"]);

/** The adapter's own fields of a letter, as JSON would keep them (undefined fields dropped). */
function own(letter: DeadLetter | undefined): unknown {
  return JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(letter ?? {}).filter(([k]) => !BASE.has(k)))));
}

/**
 * Register the dead-letter conformance tests.
 *
 * @param t - the test framework's `describe`, `it` and `expect` (vitest, jest or node:test with an adapter)
 * @param harness - makes the notifier under test; see {@link DeadLetterHarness}
 * @returns nothing; the tests are registered with `t`
 * @example
 * ```ts
 * import { describe, it, expect } from "vitest";
 * import { deadLetterConformance } from "@ruleflow/engine/testing";
 * deadLetterConformance({ describe, it, expect }, {
 *   notifier: (options) => createWebhookNotifier({ url: (n) => `${receiver}/${String(n.data["fate"])}`, retry: { attempts: 1 }, ...options }),
 * });
 * ```
 */
export function deadLetterConformance(t: TestApi, harness: DeadLetterHarness): void {
  const { describe, it, expect } = t;
  let seq = 0;
  const notification = (fate: "deliver" | "fail", idempotencyKey?: string): Notification => {
    const n = ++seq;
    return {
      id: `dl-${n}`,
      idempotencyKey: idempotencyKey ?? `dl-${n}/1/0`,
      instanceId: `dl-instance-${n}`,
      to: "user:li",
      recipients: ["user:li"],
      template: "dead-letter-conformance",
      data: { fate, n },
      at: AT,
    };
  };
  const failure = (attempts = 5, permanent = false): DeliveryFailure => ({ attempts, error: `gave up after ${attempts}`, permanent, at: AT + 60_000 });
  const sendFailing = async (notifier: DeadLetterNotifier, n: Notification): Promise<void> => {
    await expect(notifier.send(n)).rejects.toThrow();
  };

  describe("dead letters (conformance)", () => {
    it("a dead letter carries the notification and the engine's verdict", async () => {
      const notifier = harness.notifier({});
      const n = notification("fail");
      await sendFailing(notifier, n);
      await notifier.deadLetter(n, failure(3, true));
      expect(notifier.deadLetters).toHaveLength(1);
      const letter = notifier.deadLetters[0]!;
      expect(letter.notification).toEqual(n);
      expect({ attempts: letter.attempts, error: letter.error, permanent: letter.permanent, at: letter.at }).toEqual({ attempts: 3, error: "gave up after 3", permanent: true, at: AT + 60_000 });
    });

    it("what the failed send saw is in the letter; a key never sent has none of it", async () => {
      const notifier = harness.notifier({});
      const failed = notification("fail");
      await sendFailing(notifier, failed);
      await notifier.deadLetter(failed, failure());
      await notifier.deadLetter(notification("fail"), failure());
      const [seen, unseen] = notifier.deadLetters;
      expect(own(seen)).not.toEqual(own(unseen));
    });

    it("a key delivered after failing forgets its failure", async () => {
      const notifier = harness.notifier({});
      const first = notification("fail");
      await sendFailing(notifier, first);
      const again = notification("deliver", first.idempotencyKey);
      await notifier.send(again);
      await notifier.deadLetter(again, failure());
      await notifier.deadLetter(notification("deliver"), failure());
      const [afterDelivery, neverSent] = notifier.deadLetters;
      expect(own(afterDelivery)).toEqual(own(neverSent));
    });

    it("a dead key is forgotten: told dead again, it has no failure on record", async () => {
      const notifier = harness.notifier({});
      const n = notification("fail");
      await sendFailing(notifier, n);
      await notifier.deadLetter(n, failure());
      await notifier.deadLetter(n, failure());
      await notifier.deadLetter(notification("fail"), failure());
      const [first, second, neverSent] = notifier.deadLetters;
      expect(own(second)).toEqual(own(neverSent));
      expect(own(first)).not.toEqual(own(second));
    });

    it("keeps the newest keepDeadLetters letters, oldest first", async () => {
      const notifier = harness.notifier({ keepDeadLetters: 3 });
      const ns = Array.from({ length: 5 }, () => notification("fail"));
      for (const n of ns) await notifier.deadLetter(n, failure());
      expect(notifier.deadLetters.map((l) => l.notification.id)).toEqual(ns.slice(2).map((n) => n.id));
    });

    it("keeps 100 letters by default", async () => {
      const notifier = harness.notifier({});
      const ns = Array.from({ length: 101 }, () => notification("fail"));
      for (const n of ns) await notifier.deadLetter(n, failure());
      expect(notifier.deadLetters).toHaveLength(100);
      expect(notifier.deadLetters[0]!.notification.id).toBe(ns[1]!.id);
    });

    it("onDeadLetter hears every letter once, the same the notifier keeps", async () => {
      const heard: DeadLetter[] = [];
      const notifier = harness.notifier({ onDeadLetter: (l) => void heard.push(l) });
      const n = notification("fail");
      await sendFailing(notifier, n);
      await notifier.deadLetter(n, failure());
      await notifier.deadLetter(notification("deliver"), failure(1, true));
      expect(heard).toHaveLength(2);
      expect(heard).toEqual([...notifier.deadLetters]);
    });

    it("with keepDeadLetters 0 none is kept, and onDeadLetter still hears each", async () => {
      const heard: string[] = [];
      const notifier = harness.notifier({ keepDeadLetters: 0, onDeadLetter: (l) => void heard.push(l.notification.id) });
      const ns = [notification("fail"), notification("fail")];
      for (const n of ns) await notifier.deadLetter(n, failure());
      expect(notifier.deadLetters).toEqual([]);
      expect(heard).toEqual(ns.map((n) => n.id));
    });

    it("an onDeadLetter that fails reaches the caller (the engine ignores it), and the letter is kept", async () => {
      const notifier = harness.notifier({
        onDeadLetter: () => {
          throw new Error("alerting is down");
        },
      });
      await expect(notifier.deadLetter(notification("fail"), failure())).rejects.toThrow("alerting is down");
      expect(notifier.deadLetters).toHaveLength(1);
    });

    it("meaningless options are refused when the notifier is created, naming the option", () => {
      for (const keepDeadLetters of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "3"]) {
        expect(() => harness.notifier({ keepDeadLetters: keepDeadLetters as number })).toThrow(/keepDeadLetters must be a whole number, 0 or more, got/);
      }
      expect(() => harness.notifier({ onDeadLetter: true as unknown as () => void })).toThrow(/onDeadLetter must be a function, got true/);
    });
  });
}
