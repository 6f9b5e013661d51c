/** Clocks: the system clock for production, a virtual clock for simulations and tests. */
import { addDuration, parseDuration } from "../core/duration.js";
import { ArgumentError } from "../core/errors.js";
import { parseInstant } from "../expr/values.js";
import { MinHeap } from "./heap.js";
import type { Clock } from "../core/clock.js";

/** setTimeout's longest delay; longer ones are chained. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * The wall clock. Timers longer than setTimeout's 24.8-day limit are chained,
 * so a due time months away still fires on time.
 */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimer(at, callback) {
      let handle: ReturnType<typeof setTimeout> | undefined;
      let cancelled = false;
      const arm = (): void => {
        const delay = at - Date.now();
        if (delay > MAX_DELAY) {
          handle = setTimeout(arm, MAX_DELAY);
        } else {
          handle = setTimeout(() => {
            if (!cancelled) void callback();
          }, Math.max(0, delay));
        }
      };
      arm();
      return () => {
        cancelled = true;
        if (handle !== undefined) clearTimeout(handle);
      };
    },
  };
}

interface VirtualTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void | Promise<void>;
  cancelled: boolean;
}

function toMs(t: number | string | Date): number {
  if (typeof t === "number") return t;
  const ms = parseInstant(t);
  if (ms === undefined) throw new ArgumentError("time", `expected epoch milliseconds or an ISO-8601 date-time, got ${JSON.stringify(String(t))}`);
  return ms;
}

/**
 * A clock that only moves when told to. `advanceTo` / `advanceBy` jump
 * straight from one due timer to the next, fire each at its own deadline in
 * order (including timers created by earlier firings) and let the engine
 * settle between firings, so a year of escalations runs in milliseconds.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new MinHeap<VirtualTimer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  readonly #settlers = new Set<() => Promise<void>>();

  /** @param start - the initial time (epoch ms or ISO-8601) */
  constructor(start: number | string | Date) {
    this.#now = toMs(start);
  }

  now(): number {
    return this.#now;
  }

  /** The current time as ISO-8601 UTC. */
  iso(): string {
    return new Date(this.#now).toISOString();
  }

  setTimer(at: number, callback: () => void | Promise<void>): () => void {
    const timer: VirtualTimer = { at, seq: this.#seq++, callback, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /**
   * The {@link Clock.addSettler} capability: register work to wait for after
   * each firing (engines register their `settle`). Returns an unregister function.
   */
  addSettler(settle: () => Promise<void>): () => void {
    this.#settlers.add(settle);
    return () => this.#settlers.delete(settle);
  }

  /** Wait until every registered engine is idle. */
  async settle(): Promise<void> {
    for (let round = 0; round < 3; round++) for (const s of [...this.#settlers]) await s();
  }

  /** Fire every timer due up to `target`, in order, then stop at `target`. */
  async advanceTo(target: number | string | Date): Promise<void> {
    const end = toMs(target);
    if (end < this.#now) throw new ArgumentError("target", `a virtual clock cannot go back in time: it is at ${new Date(this.#now).toISOString()}, asked for ${new Date(end).toISOString()}`);
    await this.settle();
    for (;;) {
      const next = this.#timers.peek();
      if (!next || next.at > end) break;
      this.#timers.pop();
      if (next.cancelled) continue;
      this.#now = Math.max(this.#now, next.at);
      await next.callback();
      await this.settle();
    }
    this.#now = end;
  }

  /** Advance by an ISO-8601 duration (`PT3H`, `P5D`) or milliseconds. */
  async advanceBy(duration: string | number): Promise<void> {
    if (typeof duration === "number") return this.advanceTo(this.#now + duration);
    const d = parseDuration(duration);
    if (!d) throw new ArgumentError("duration", `expected an ISO-8601 duration such as PT3H or milliseconds, got ${JSON.stringify(duration)}`);
    return this.advanceTo(addDuration(this.#now, d));
  }

  /** The due time of the next pending timer, if any. */
  nextDue(): number | undefined {
    while (this.#timers.peek()?.cancelled) this.#timers.pop();
    return this.#timers.peek()?.at;
  }
}

/**
 * Create a {@link VirtualClock} starting at `start`.
 * @example
 * ```ts
 * const clock = createVirtualClock("2026-02-12T09:00:00+08:00");
 * const engine = createEngine({ definitions, clock });
 * await clock.advanceBy("P5D"); // every escalation in those five days fires, in order
 * ```
 */
export function createVirtualClock(start: number | string | Date): VirtualClock {
  return new VirtualClock(start);
}
