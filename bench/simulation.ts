/**
 * The simulated year (part of `pnpm bench`; alone: `npx tsx --expose-gc bench/simulation.ts [--quick] [--100k]`):
 *
 * `customer-qualification` (packages/examples/definitions, with the
 * `contract-auto-approval` rule set it asks and the built-in `cn-mainland`
 * calendar) on a VirtualClock through 2026: N instances started evenly across
 * the year up to 20 December (10,000: about 28 a day; the built-in calendar's
 * holiday data ends with 2026, so every ladder must end inside it), every one routed to manual review. A
 * third are approved at once by all three seats (start + 3 approvals); the
 * rest are left alone and escalate: remind after 3 business hours, the
 * compliance lead may sign for compliance 3 business hours later, auto-reject
 * 2 business days after that (start + 3 timers). Four transitions per
 * instance, each one commit (state, timers, outbox, audit) in the in-memory
 * storage, every notification delivered to the in-memory notifier.
 *
 * Measured: wall time of the whole year (including the clock's settling and
 * the deliveries), transitions per second, and the heap after a full GC at
 * the end with the engine, its storage (every instance, audit record and
 * outbox entry) and the notifier (every notification) still held. The
 * baseline, measured in the same process: raw xstate `transition()` on an
 * equivalent machine (an initial transition and three events that count up
 * in `context` with `assign`, ending in a final state), the same number of
 * transitions, run in slices between ours (every 50 instances, timed apart)
 * so that both see the same load.
 *
 * 100,000 instances run in the normal `pnpm bench`; with `--quick` only when
 * `--100k` is given (or BENCH_SIM_100K=1).
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { assign, createMachine, initialTransition, transition } from "xstate";
import { engineBuild, engineUnderTest } from "./engine-under-test.js";

const { createEngine, createMemoryNotifier, createMemoryStorage, createStaticDirectory, createVirtualClock } = engineUnderTest;

const DEFINITIONS = new URL("../packages/examples/definitions/", import.meta.url);
const load = (name: string): unknown => JSON.parse(readFileSync(new URL(name, DEFINITIONS), "utf8"));

const YEAR_START = Date.parse("2026-01-01T00:00:00+08:00");
/**
 * Starts end here: the built-in calendar has holiday data up to 2026, so the
 * last ladders (about 2 business days and 6 hours) must end inside the year.
 */
const LAST_START = Date.parse("2026-12-20T00:00:00+08:00");
/** The clock runs to the end of the year: every ladder has ended by then. */
const YEAR_END = Date.parse("2026-12-31T23:59:59+08:00");
const SEATS = ["user:ma", "user:wang", "user:liu"] as const;

/** What one simulated year gave. */
export interface SimulationResult {
  readonly instances: number;
  readonly transitions: number;
  readonly seconds: number;
  /** CPU seconds of this process in the same span (less affected by other work on the machine than wall time). */
  readonly cpuSeconds: number;
  readonly perSec: number;
  /** Heap after a full GC at the end, everything still held (NaN without --expose-gc). */
  readonly heapMB: number;
  readonly approved: number;
  readonly rejected: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMB = (): number => {
  if (!gc) return Number.NaN;
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

function counter(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

/** The equivalent machine: counts approvals or escalation steps in `context`, ends in a final state after the third. */
function equivalentMachine() {
  return createMachine({
    id: "qualification",
    initial: "countersign",
    context: { approvals: 0, steps: 0 },
    states: {
      countersign: {
        on: {
          approve: { actions: assign({ approvals: ({ context }) => context.approvals + 1 }) },
          timer: { actions: assign({ steps: ({ context }) => context.steps + 1 }) },
        },
        always: [
          { guard: ({ context }) => context.approvals === 3, target: "approved" },
          { guard: ({ context }) => context.steps === 3, target: "rejected" },
        ],
      },
      approved: { type: "final" },
      rejected: { type: "final" },
    },
  });
}

/**
 * Raw xstate `transition()`: `instances` instances of the equivalent machine
 * (a third approved three times, the rest three timers), 4 transitions each.
 * @returns the milliseconds taken
 */
function rawXstate(machine: ReturnType<typeof equivalentMachine>, first: number, instances: number): number {
  const approve = { type: "approve" } as const;
  const timer = { type: "timer" } as const;
  let done = 0;
  const t0 = performance.now();
  for (let i = first; i < first + instances; i++) {
    const ev = i % 3 === 0 ? approve : timer;
    let [s] = initialTransition(machine);
    [s] = transition(machine, s, ev);
    [s] = transition(machine, s, ev);
    [s] = transition(machine, s, ev);
    if (s.status === "done") done++;
  }
  const ms = performance.now() - t0;
  if (done !== instances) throw new Error(`raw xstate finished ${done} of ${instances}`);
  return ms;
}

/** What {@link simulateYear} measured besides the run itself. */
export interface YearRun extends SimulationResult {
  /** Raw xstate transitions per second, measured in slices between ours (same count, same conditions). */
  readonly rawPerSec: number;
}

/**
 * Run the year with `n` instances. Every `slice` instances, the same number
 * of instances of the equivalent machine run through raw xstate
 * `transition()`, timed apart: both are measured under the same load (other
 * work on the machine comes and goes), and the ratio compares like with like.
 */
export async function simulateYear(n: number, slice = 50): Promise<YearRun> {
  const heapBefore = heapMB();
  const machine = equivalentMachine();
  const clock = createVirtualClock(YEAR_START);
  const storage = createMemoryStorage();
  const notifier = createMemoryNotifier();
  const engine = createEngine({
    definitions: [load("customer-qualification.workflow.json"), load("contract-auto-approval.ruleset.json")],
    clock,
    storage,
    notifier,
    directory: createStaticDirectory({
      roles: { marketing: [SEATS[0]], compliance: [SEATS[1]], legal: [SEATS[2]], "compliance-lead": ["user:zhao"], onboarding: ["user:sun"] },
    }),
    newId: counter("s"),
  });
  await engine.ready;
  let transitions = 0;
  let approved = 0;
  let rejected = 0;
  const sub = engine.events$.subscribe((e) => {
    if (e.type === "instance.started" || e.type === "instance.transitioned") transitions++;
    else if (e.type === "instance.finished") {
      if (e.outcome === "approved") approved++;
      else if (e.outcome === "rejected") rejected++;
    }
  });
  const gap = (LAST_START - YEAR_START) / n;
  let rawMs = 0;
  let rawCpuMs = 0;
  let sliceMs = 0;
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const c0 = cpu();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await clock.advanceTo(YEAR_START + Math.floor(i * gap));
    const input = { contract: { amount: 600_000 + (i % 97) * 1_000 }, customer: { name: `customer ${i}`, creditRating: i % 2 ? "A" : "B" } };
    const q = await engine.start("customer-qualification", { input, initiator: `user:sales${i % 40}` });
    if (i % 3 === 0) for (const actor of SEATS) await engine.send(q.id, { type: "approve", actor });
    if ((i + 1) % slice === 0 || i === n - 1) {
      // the whole slice, reading the CPU clock included, is left out of our time
      const w0 = performance.now();
      const rc = cpu();
      rawMs += rawXstate(machine, i - (i % slice), (i % slice) + 1);
      rawCpuMs += cpu() - rc;
      sliceMs += performance.now() - w0;
    }
  }
  await clock.advanceTo(YEAR_END);
  await engine.settle();
  const seconds = (performance.now() - t0 - sliceMs) / 1000;
  const cpuSeconds = (cpu() - c0 - rawCpuMs) / 1000;
  sub.unsubscribe();
  const heap = heapMB() - heapBefore;
  // checked after the heap is measured: what the run must have done
  const expectApproved = Math.ceil(n / 3);
  if (transitions !== 4 * n) throw new Error(`expected ${4 * n} transitions, got ${transitions}`);
  if (approved !== expectApproved || rejected !== n - expectApproved) throw new Error(`expected ${expectApproved} approved and ${n - expectApproved} rejected, got ${approved} and ${rejected}`);
  if (notifier.sent.length === 0) throw new Error("no notification was delivered");
  await engine.close();
  return { instances: n, transitions, seconds, cpuSeconds, perSec: transitions / seconds, heapMB: heap, approved, rejected, rawPerSec: (4 * n) / (rawMs / 1000) };
}

const fmt = (x: number): string => Math.round(x).toLocaleString("en");

/** Run the simulated-year benchmark and print a markdown section. */
export async function runSimulationBench(quick = false, with100k = !quick): Promise<void> {
  console.log(`## simulated year (customer-qualification on a virtual clock)\n\n(the engine's ${engineBuild === "dist" ? "built package (BENCH_ENGINE=dist)" : "sources through tsx; BENCH_ENGINE=dist measures the built package"})\n`);
  // warm-up: the same code paths, small
  await simulateYear(300);
  const sizes = with100k ? [10_000, 100_000] : [10_000];
  const rows: string[] = [];
  let first: SimulationResult | undefined;
  for (const n of sizes) {
    const r = await simulateYear(n);
    first ??= r;
    const raw = r.rawPerSec;
    const scale = r === first ? "" : ` (${(r.seconds / first.seconds).toFixed(1)}x the ${first.instances.toLocaleString("en")} time)`;
    rows.push(
      `| ${n.toLocaleString("en")} | ${fmt(r.transitions)} | ${r.seconds.toFixed(2)} s${scale} | ${r.cpuSeconds.toFixed(2)} s | ${fmt(r.perSec)} | ${fmt(raw)} | ${(r.perSec / raw).toFixed(2)}x | ${Number.isNaN(r.heapMB) ? "n/a" : `${r.heapMB.toFixed(0)} MB`} |`,
    );
  }
  console.log("| instances | transitions | wall time | CPU time | transitions/s | raw xstate transition()/s | ours / raw | heap at the end |");
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) console.log(r);
  console.log(`\n(a third approved by all three seats, the rest remind -> escalate -> auto-reject; heap: after a full GC, engine, storage and notifier still held, less the heap before)${with100k ? "" : "; 100,000 instances: add --100k or BENCH_SIM_100K=1"}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes("--quick");
  const with100k = !quick || process.argv.includes("--100k") || process.env["BENCH_SIM_100K"] === "1";
  runSimulationBench(quick, with100k).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
