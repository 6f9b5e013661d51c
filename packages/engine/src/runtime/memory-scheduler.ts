/** The in-process Scheduler: a heap of due times on top of the Clock. */
import { MinHeap } from "./heap.js";
import type { Clock, Scheduler, Storage, TimerRecord } from "./ports.js";

interface Entry {
  readonly id: string;
  readonly dueAt: number;
}

/**
 * Fires timers from an in-memory heap, one clock timer armed at a time for
 * the earliest due time. Cancelled and already-fired timers are skipped (the
 * engine also checks storage, so a stale entry can never fire twice).
 */
export function createMemoryScheduler(clock: Clock): Scheduler {
  const heap = new MinHeap<Entry>((a, b) => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.id < b.id));
  const live = new Map<string, TimerRecord>();
  let fire: ((t: TimerRecord) => Promise<void>) | undefined;
  let armedAt: number | undefined;
  let disarm: (() => void) | undefined;
  let running = false;

  const arm = (): void => {
    if (!fire) return;
    while (heap.size > 0 && !live.has(heap.peek()!.id)) heap.pop();
    const next = heap.peek();
    if (!next) {
      disarm?.();
      armedAt = undefined;
      return;
    }
    if (armedAt === next.dueAt) return;
    disarm?.();
    armedAt = next.dueAt;
    disarm = clock.setTimer(next.dueAt, () => run());
  };

  const run = async (): Promise<void> => {
    armedAt = undefined;
    if (running || !fire) return;
    running = true;
    try {
      for (;;) {
        // stop() may come from inside a firing (an events$ subscriber closing the engine)
        if (!fire) break;
        const next = heap.peek();
        if (!next || next.dueAt > clock.now()) break;
        heap.pop();
        const timer = live.get(next.id);
        if (!timer) continue;
        live.delete(next.id);
        await fire(timer);
      }
    } finally {
      running = false;
      arm();
    }
  };

  return {
    async start(f, storage: Storage) {
      fire = f;
      for (const t of await storage.listPendingTimers()) {
        if (!live.has(t.id)) {
          live.set(t.id, t);
          heap.push({ id: t.id, dueAt: t.dueAt });
        }
      }
      arm();
    },
    schedule(timers) {
      for (const t of timers) {
        live.set(t.id, t);
        heap.push({ id: t.id, dueAt: t.dueAt });
      }
      if (!running) arm();
    },
    cancel(ids) {
      for (const id of ids) live.delete(id);
    },
    async stop() {
      fire = undefined;
      disarm?.();
      armedAt = undefined;
    },
  };
}
