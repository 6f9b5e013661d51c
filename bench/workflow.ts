/**
 * Workflow runtime benchmarks (part of `pnpm bench`; alone: `npx tsx --expose-gc bench/workflow.ts`):
 *
 * 1. approval chains completed per second in memory (start + 3 sequential
 *    approvals, each a full commit with audit and outbox) vs raw xstate
 *    `transition()` on an equivalent 4-state machine, in alternating rounds
 *    (the median of the rounds' ratios);
 * 2. timers scheduled and fired per second by the in-memory scheduler while
 *    1,000,000 other timers are pending, and through the whole engine
 *    (escalation timers fired into instances);
 * 3. memory per idle stored instance (waiting at an approval step with an
 *    armed escalation timer).
 */
import { performance } from "node:perf_hooks";
import { createMachine, initialTransition, transition } from "xstate";
import type { TimerRecord } from "../packages/engine/src/entries/workflow.js";
import { engineBuild, engineUnderTest } from "./engine-under-test.js";

const { createEngine, createMemoryNotifier, createMemoryScheduler, createMemoryStorage, createStaticDirectory, createVirtualClock } = engineUnderTest;

const START = "2026-03-02T09:00:00+08:00";

const chainWorkflow = {
  kind: "workflow",
  id: "chain",
  version: 1,
  start: "review",
  nodes: {
    review: { type: "approval", mode: "sequential", assignees: ["user:a", "user:b", "user:c"], onApprove: "done", onReject: "rejected" },
    done: { type: "end", outcome: "approved" },
    rejected: { type: "end", outcome: "rejected" },
  },
};

const idleWorkflow = {
  kind: "workflow",
  id: "idle",
  version: 1,
  start: "review",
  nodes: {
    review: {
      type: "approval",
      mode: "all",
      assignees: ["user:a", "user:b"],
      escalation: [{ after: "PT3H", action: "remind" }],
      onApprove: "done",
      onReject: "done",
    },
    done: { type: "end", outcome: "done" },
  },
};

function counter(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

/**
 * Chains per second, ours and raw xstate's, measured in alternating slices
 * (`rounds` of `ms` each): other work on the machine comes and goes, so each
 * round's ratio compares the two under the same load; the medians are reported.
 */
async function chainsPerSecond(ms: number, rounds: number): Promise<{ ours: number; xstate: number; ratio: number }> {
  const engine = createEngine({
    definitions: [chainWorkflow],
    clock: createVirtualClock(START),
    notifier: createMemoryNotifier(),
    directory: createStaticDirectory(),
    newId: counter("c"),
  });
  await engine.ready;
  const runChain = async (): Promise<void> => {
    const i = await engine.start("chain", { initiator: "user:init" });
    for (const u of ["user:a", "user:b", "user:c"]) await engine.send(i.id, { type: "approve", actor: u });
  };
  const ourSlice = async (): Promise<number> => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      await runChain();
      n++;
    }
    return n / ((performance.now() - t0) / 1000);
  };

  const machine = createMachine({
    id: "chain",
    initial: "a",
    context: { approvals: 0 },
    states: {
      a: { on: { approve: "b" } },
      b: { on: { approve: "c" } },
      c: { on: { approve: "done" } },
      done: { type: "final" },
    },
  });
  const ev = { type: "approve" } as const;
  const rawSlice = (): number => {
    let m = 0;
    const t1 = performance.now();
    while (performance.now() - t1 < ms) {
      for (let k = 0; k < 100; k++) {
        let [s] = initialTransition(machine);
        [s] = transition(machine, s, ev);
        [s] = transition(machine, s, ev);
        [s] = transition(machine, s, ev);
        if (s.status === "done") m++;
      }
    }
    return m / ((performance.now() - t1) / 1000);
  };

  for (let k = 0; k < 300; k++) await runChain();
  rawSlice();
  const ours: number[] = [];
  const raw: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const o = await ourSlice();
    const x = rawSlice();
    ours.push(o);
    raw.push(x);
    ratios.push(o / x);
  }
  await engine.settle();
  await engine.close();
  return { ours: median(ours), xstate: median(raw), ratio: median(ratios) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function schedulerTimers(pending: number, batch: number): Promise<{ setupMs: number; perSec: number }> {
  const clock = createVirtualClock(START);
  const scheduler = createMemoryScheduler(clock);
  let fired = 0;
  const storage = createMemoryStorage();
  await scheduler.start(() => {
    fired++;
    return Promise.resolve();
  }, storage);
  const base = clock.now();
  const t0 = performance.now();
  const far: TimerRecord[] = [];
  for (let i = 0; i < pending; i++) {
    far.push({ id: `far/${i}`, instanceId: `i${i}`, key: "esc", generation: 1, dueAt: base + 365 * 86_400_000 + i, event: { type: "timer" } });
    if (far.length === 10_000) {
      scheduler.schedule(far);
      far.length = 0;
    }
  }
  scheduler.schedule(far);
  const setupMs = performance.now() - t0;
  const t1 = performance.now();
  const near: TimerRecord[] = [];
  for (let i = 0; i < batch; i++) near.push({ id: `near/${i}`, instanceId: `n${i}`, key: "esc", generation: 1, dueAt: base + 1_000 + i * 10, event: { type: "timer" } });
  scheduler.schedule(near);
  await clock.advanceTo(base + 1_000 + batch * 10);
  const elapsed = performance.now() - t1;
  if (fired !== batch) throw new Error(`fired ${fired} of ${batch}`);
  await scheduler.stop();
  return { setupMs, perSec: batch / (elapsed / 1000) };
}

async function engineTimers(instances: number): Promise<number> {
  const clock = createVirtualClock(START);
  const engine = createEngine({ definitions: [idleWorkflow], clock, newId: counter("t") });
  for (let i = 0; i < instances; i++) await engine.start("idle", { initiator: "user:init" });
  await engine.settle();
  const t0 = performance.now();
  await clock.advanceBy("PT3H");
  const elapsed = performance.now() - t0;
  await engine.close();
  return instances / (elapsed / 1000);
}

async function memoryPerInstance(n: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return Number.NaN;
  const storage = createMemoryStorage();
  const engine = createEngine({ definitions: [idleWorkflow], clock: createVirtualClock(START), storage, notifier: createMemoryNotifier(), newId: counter("m") });
  await engine.ready;
  await engine.start("idle", { initiator: "user:init" });
  await engine.settle();
  // twice: garbage the earlier benchmarks left is not all gone after one full collection
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) await engine.start("idle", { initiator: "user:init" });
  await engine.settle();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  await engine.close();
  return (after - before) / n;
}

/** Run the workflow benchmarks and print a markdown section. */
export async function runWorkflowBench(quick = false): Promise<void> {
  console.log(`## workflow runtime\n\n(the engine's ${engineBuild === "dist" ? "built package (BENCH_ENGINE=dist)" : "sources through tsx; BENCH_ENGINE=dist measures the built package"})\n`);
  const chains = await chainsPerSecond(quick ? 250 : 500, quick ? 5 : 9);
  console.log("| measurement | per second | ratio |");
  console.log("| --- | ---: | ---: |");
  console.log(`| approval chains completed (start + 3 approvals, in memory) | ${Math.round(chains.ours).toLocaleString("en")} | ${chains.ratio.toFixed(2)}x raw xstate (median of the rounds' ratios) |`);
  console.log(`| raw xstate transition() on an equivalent machine (4 transitions) | ${Math.round(chains.xstate).toLocaleString("en")} | 1.00x |`);
  const pending = quick ? 100_000 : 1_000_000;
  const sched = await schedulerTimers(pending, quick ? 20_000 : 100_000);
  console.log(`| timers scheduled + fired by the scheduler, ${pending.toLocaleString("en")} others pending | ${Math.round(sched.perSec).toLocaleString("en")} | (loading the ${pending.toLocaleString("en")} took ${Math.round(sched.setupMs)} ms) |`);
  const viaEngine = await engineTimers(quick ? 1_000 : 5_000);
  console.log(`| escalation timers fired through the engine (load, transition, commit, notify) | ${Math.round(viaEngine).toLocaleString("en")} | ${(sched.perSec / viaEngine).toFixed(0)}x fewer than the bare scheduler |`);
  const bytes = await memoryPerInstance(quick ? 2_000 : 20_000);
  console.log(`\nmemory per idle stored instance (in-memory storage, waiting at a 2-person approval with an armed timer): ${Number.isNaN(bytes) ? "n/a (run node with --expose-gc)" : `${(bytes / 1024).toFixed(1)} KiB`}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWorkflowBench(process.argv.includes("--quick")).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
