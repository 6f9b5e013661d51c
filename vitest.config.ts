import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const TESTS = ["packages/**/src/**/*.test.ts", "packages/**/test/**/*.test.ts"];
const EXCLUDE = ["**/node_modules/**", "**/dist/**"];

/**
 * The files that take longest, longest first. They start before everything
 * else, so they run beside the fast files instead of after them. Vitest orders
 * by the durations it recorded on earlier runs (node_modules/.vite), which a
 * fresh clone does not have; this list decides there, and always goes first.
 */
const SLOW_FIRST = [
  "packages/adapters/postgres/test/workers.test.ts", // 4 worker processes on PostgreSQL, 5,000 instances
  "packages/examples/test/pack.test.ts", // pack, npm install from the registry, tsc on the shipped types
  "packages/examples/test/persistent-demo.test.ts", // 7 runs of the demo on PGlite in a folder
  "packages/cli/test/backtest-million.test.ts", // ruleflow backtest over 250,000 lines with a 128 MB heap (1,000,000 and 500 MB with RULEFLOW_BACKTEST_LINES)
  "packages/adapters/postgres/test/conformance.test.ts",
  "packages/examples/test/build-if-stale.test.ts",
  "packages/examples/test/check-ship.test.ts",
  "packages/adapters/postgres/test/engine.test.ts",
  "packages/adapters/postgres/test/schedules.test.ts",
  "packages/adapters/postgres/test/migrations.test.ts",
  "packages/examples/test/readme.test.ts",
  "packages/engine/test/properties.test.ts",
];

/** Vitest's own order (recorded durations, then size), with the known slow files moved to the front. */
class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const path = f.moduleId.split("\\").join("/");
      const i = SLOW_FIRST.findIndex((p) => path.endsWith(`/${p}`));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i, r: rank(f) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map(({ f }) => f);
  }
}

export default defineConfig({
  resolve: {
    alias: {
      "@ruleflow/engine/testing": src("./packages/engine/src/testing.ts"),
      "@ruleflow/engine/rules": src("./packages/engine/src/entries/rules.ts"),
      "@ruleflow/engine/workflow": src("./packages/engine/src/entries/workflow.ts"),
      "@ruleflow/engine/calendar": src("./packages/engine/src/entries/calendar.ts"),
      "@ruleflow/engine/money": src("./packages/engine/src/entries/money.ts"),
      "@ruleflow/engine/promotions": src("./packages/engine/src/entries/promotions.ts"),
      "@ruleflow/engine/rebates": src("./packages/engine/src/entries/rebates.ts"),
      "@ruleflow/engine/rollouts": src("./packages/engine/src/entries/rollouts.ts"),
      "@ruleflow/engine/analysis": src("./packages/engine/src/entries/analysis.ts"),
      "@ruleflow/engine/backtest": src("./packages/engine/src/entries/backtest.ts"),
      "@ruleflow/engine/simulation": src("./packages/engine/src/entries/simulation.ts"),
      "@ruleflow/engine": src("./packages/engine/src/index.ts"),
      "@ruleflow/postgres": src("./packages/adapters/postgres/src/index.ts"),
      "@ruleflow/webhook": src("./packages/adapters/webhook/src/index.ts"),
    },
  },
  test: {
    include: TESTS,
    exclude: EXCLUDE,
    testTimeout: 30000,
    reporters: ["default", "./scripts/summary-reporter.ts"],
    // Vitest's default on N cores is N - 1 files at a time: one on a 2-core machine, so the
    // slow files that mostly wait (an npm install, worker processes on PostgreSQL, escalation
    // timers) ran one after another. Three at a time fills that waiting with other files; on
    // 2 cores, 3 and 4 took about the same time (docs/benchmarks.md), 3 with less CPU.
    maxWorkers: 3,
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: "engine",
          // (a project's include adds to the root's, so the other packages are excluded instead)
          exclude: [...EXCLUDE, ...readdirSync(src("./packages")).filter((d) => d !== "engine").map((d) => `packages/${d}/**`)],
          // The engine's tests are pure (no mocks, no fake timers, no globals, no process state),
          // so one worker thread loads the engine once for many files instead of once per file:
          // loading it took most of the suite's time (about 2.5 s of CPU per file).
          pool: "threads",
          isolate: false,
          // RULEFLOW_CHECK_DIRECT=1: every step off xstate is checked against xstate (the file says how)
          setupFiles: ["./packages/engine/test/setup-check-direct.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          exclude: [...EXCLUDE, "packages/engine/**"],
          // Child processes, servers, PostgreSQL, PGlite and process.chdir (not allowed in a
          // worker thread): forks. Not isolated either: each file opens and closes what it uses.
          pool: "forks",
          isolate: false,
          // Three files at a time on two cores: a file's first test, which also opens PGlite or
          // starts a server, can wait a while for the CPU. A wall-clock limit, not an assertion.
          testTimeout: 120_000,
        },
      },
    ],
  },
});
