/**
 * Ruleflow benchmark: `pnpm bench` (or `npx tsx bench/run.ts`).
 *
 * 1. Decision table: Ruleflow compileDecisionTable vs @gorules/zen-engine vs
 *    hand-written JS, on the same 36-row rebate-rate table and the same facts.
 * 2. Condition tree: Ruleflow compileCondition vs json-rules-engine vs
 *    hand-written JS, on the FMCG display pre-check.
 * 3. Ruleflow rule set evaluate, with and without trace, for reference.
 * 4. The workflow runtime (bench/workflow.ts) and the simulated year
 *    (bench/simulation.ts: 10,000 instances; 100,000 as well unless `--quick`,
 *    where `--100k` or BENCH_SIM_100K=1 adds them), then PostgreSQL, rollouts
 *    and commerce.
 *
 * Every contender is first checked against the others on every fact object;
 * the run aborts when any disagree.
 *
 * Environment: BENCH_ROUNDS (default 5), BENCH_ROUND_MS (default 1000),
 * BENCH_WARMUP_MS (default 1000); `--quick` sets 3 rounds of 200 ms.
 */
import { createRequire } from "node:module";
import os from "node:os";
import { Engine } from "json-rules-engine";
import { ZenEngine } from "@gorules/zen-engine";
import { compileCondition, compileDecisionTable, compileRuleSet } from "../packages/engine/src/index.js";
import { formatRate, formatRatio, markdownTable, measure, sink, type Contender, type HarnessOptions, type Measurement } from "./harness.js";
import { runWorkflowBench } from "./workflow.js";
import { runSimulationBench } from "./simulation.js";
import { runPostgresBench } from "./postgres.js";
import { runRolloutBench } from "./rollouts.js";
import { runCommerceBench } from "./commerce.js";
import {
  fmcgCondition,
  fmcgEligibleByHand,
  fmcgFacts,
  fmcgJsonRulesEngineRule,
  fmcgRuleSet,
  rebateFacts,
  rebateRateByHand,
  rebateTable,
  rebateTableJdm,
  REBATE_ROW_COUNT,
} from "./rules.js";

const require = createRequire(import.meta.url);
const version = (pkg: string): string => (require(`${pkg}/package.json`) as { version: string }).version;

const quick = process.argv.includes("--quick");
const envInt = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v !== undefined && v !== "" && Number.isFinite(Number(v)) ? Number(v) : dflt;
};
const options: HarnessOptions = {
  rounds: envInt("BENCH_ROUNDS", quick ? 3 : 5),
  roundMs: envInt("BENCH_ROUND_MS", quick ? 200 : 1000),
  warmupMs: envInt("BENCH_WARMUP_MS", quick ? 300 : 1000),
};
/** Fixed evaluation time: no clock is read while measuring. */
const AT = "2026-02-15T00:00:00.000Z";
const OPTS = { at: AT } as const;
const TRACE_OPTS = { at: AT, trace: true } as const;
/** In-flight evaluations for the concurrent zen-engine variant. */
const ZEN_CONCURRENCY = 64;

function fail(message: string): never {
  console.error(`\nBENCHMARK ABORTED: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------
// Setup
// ---------------------------------------------------------------------------

const table = compileDecisionTable(rebateTable);
const zen = new ZenEngine();
const jdm = Buffer.from(JSON.stringify(rebateTableJdm()));
const zenDecision = zen.createDecision(jdm);
const zenByKey = new ZenEngine({ loader: () => Promise.resolve(jdm) });
const TF = rebateFacts();

const condition = fmcgCondition();
const cond = compileCondition(condition);
const ruleset = compileRuleSet(fmcgRuleSet());
const jre = new Engine([fmcgJsonRulesEngineRule()], { allowUndefinedFacts: true });
const CF = fmcgFacts();

// ---------------------------------------------------------------------------
// Equivalence: every contender, every fact object
// ---------------------------------------------------------------------------

type Rate = { rate: unknown };
const rateOf = (o: unknown): number => {
  const r = (o as Rate | null)?.rate;
  const n = typeof r === "string" ? Number(r) : r;
  if (typeof n !== "number" || Number.isNaN(n)) fail(`not a rate: ${JSON.stringify(o)}`);
  return n;
};

/** zen-engine's own `performance` field ("20.4µs") in microseconds. */
function zenMicros(p: string): number {
  const v = parseFloat(p);
  return p.endsWith("ms") ? v * 1000 : p.endsWith("ns") ? v / 1000 : p.endsWith("s") && !p.endsWith("µs") ? v * 1e6 : v;
}

/** Median of zen-engine's self-reported evaluation times during the check, µs. */
let zenReportedMicros = NaN;

async function checkDecisionTable(): Promise<Map<number, number>> {
  const histogram = new Map<number, number>();
  const reported: number[] = [];
  for (const f of TF) {
    const ours = rateOf(table.evaluate(f, OPTS).output);
    const oursTraced = rateOf(table.evaluate(f, TRACE_OPTS).output);
    const zenResponse = await zenDecision.evaluate(f);
    reported.push(zenMicros(zenResponse.performance));
    const zenOut = rateOf(zenResponse.result);
    const zenKeyOut = rateOf((await zenByKey.evaluate("rebate", f)).result);
    const hand = rateOf(rebateRateByHand(f));
    if (!(ours === oursTraced && ours === zenOut && ours === zenKeyOut && ours === hand)) {
      fail(
        `decision table contenders disagree on ${JSON.stringify(f)}: ruleflow ${ours}, ruleflow (trace) ${oursTraced}, ` +
          `zen decision ${zenOut}, zen engine ${zenKeyOut}, hand-written ${hand}`,
      );
    }
    histogram.set(ours, (histogram.get(ours) ?? 0) + 1);
  }
  reported.sort((a, b) => a - b);
  zenReportedMicros = reported[reported.length >> 1]!;
  return histogram;
}

async function checkCondition(): Promise<number> {
  let eligible = 0;
  for (const f of CF) {
    const ours = cond.test(f, OPTS);
    const explained = cond.explain(f, OPTS).passed;
    const rs = (ruleset.evaluate(f, OPTS).output as { eligible: boolean }).eligible;
    const rsTraced = (ruleset.evaluate(f, TRACE_OPTS).output as { eligible: boolean }).eligible;
    const jreOut = (await jre.run(f)).events.length === 1;
    const hand = fmcgEligibleByHand(f);
    if (!(ours === explained && ours === rs && ours === rsTraced && ours === jreOut && ours === hand)) {
      fail(
        `condition contenders disagree on ${JSON.stringify(f)}: ruleflow test ${ours}, explain ${explained}, ` +
          `rule set ${rs}, rule set (trace) ${rsTraced}, json-rules-engine ${jreOut}, hand-written ${hand}`,
      );
    }
    if (ours) eligible++;
  }
  return eligible;
}

// ---------------------------------------------------------------------------
// Contenders (each with its own loop, so each call site stays monomorphic)
// ---------------------------------------------------------------------------

const T = "decision table";
const C = "condition tree";
const R = "rule set";

function contenders(): Contender[] {
  let i1 = 0;
  let i2 = 0;
  let i3 = 0;
  let i4 = 0;
  let i5 = 0;
  let j1 = 0;
  let j2 = 0;
  let j3 = 0;
  let j4 = 0;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  const tn = TF.length;
  const cn = CF.length;
  return [
    {
      name: "ruleflow compileDecisionTable().evaluate",
      group: T,
      role: "ours",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          const r = table.evaluate(TF[i1]!, OPTS);
          if (++i1 === tn) i1 = 0;
          s += (r.output as { rate: string }).rate.length;
        }
        return s;
      },
    },
    {
      name: "zen-engine ZenDecision.evaluate (awaited, 1 at a time)",
      group: T,
      role: "competitor",
      batch: async (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          const r = await zenDecision.evaluate(TF[i2]!);
          if (++i2 === tn) i2 = 0;
          s += (r.result as { rate: number }).rate;
        }
        return s;
      },
    },
    {
      name: `zen-engine ZenDecision.evaluate (${ZEN_CONCURRENCY} in flight)`,
      group: T,
      role: "competitor",
      batch: async (n) => {
        let s = 0;
        for (let done = 0; done < n; ) {
          const m = Math.min(ZEN_CONCURRENCY, n - done);
          const pending = new Array<Promise<{ result: unknown }>>(m);
          for (let k = 0; k < m; k++) {
            pending[k] = zenDecision.evaluate(TF[i4]!);
            if (++i4 === tn) i4 = 0;
          }
          for (const r of await Promise.all(pending)) s += (r.result as { rate: number }).rate;
          done += m;
        }
        return s;
      },
    },
    {
      name: "zen-engine ZenEngine.evaluate(key) (awaited, 1 at a time)",
      group: T,
      role: "competitor",
      batch: async (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          const r = await zenByKey.evaluate("rebate", TF[i3]!);
          if (++i3 === tn) i3 = 0;
          s += (r.result as { rate: number }).rate;
        }
        return s;
      },
    },
    {
      name: "hand-written JS if/else",
      group: T,
      role: "baseline",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          const r = rebateRateByHand(TF[i5]!);
          if (++i5 === tn) i5 = 0;
          s += r.rate.length;
        }
        return s;
      },
    },
    {
      name: "ruleflow compileCondition().test",
      group: C,
      role: "ours",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          if (cond.test(CF[j1]!, OPTS)) s++;
          if (++j1 === cn) j1 = 0;
        }
        return s;
      },
    },
    {
      name: "ruleflow compileCondition().explain",
      group: C,
      role: "reference",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          if (cond.explain(CF[j2]!, OPTS).passed) s++;
          if (++j2 === cn) j2 = 0;
        }
        return s;
      },
    },
    {
      name: "json-rules-engine Engine.run (awaited)",
      group: C,
      role: "competitor",
      batch: async (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          const r = await jre.run(CF[j3]);
          if (++j3 === cn) j3 = 0;
          s += r.events.length;
        }
        return s;
      },
    },
    {
      name: "hand-written JS &&",
      group: C,
      role: "baseline",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          if (fmcgEligibleByHand(CF[j4]!)) s++;
          if (++j4 === cn) j4 = 0;
        }
        return s;
      },
    },
    {
      name: "ruleflow compileRuleSet().evaluate",
      group: R,
      role: "ours",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          const r = ruleset.evaluate(CF[k1]!, OPTS);
          if (++k1 === cn) k1 = 0;
          if ((r.output as { eligible: boolean }).eligible) s++;
        }
        return s;
      },
    },
    {
      name: "ruleflow compileRuleSet().evaluate, trace: true",
      group: R,
      role: "reference",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          const r = ruleset.evaluate(CF[k2]!, TRACE_OPTS);
          if (++k2 === cn) k2 = 0;
          if ((r.output as { eligible: boolean }).eligible) s++;
        }
        return s;
      },
    },
    {
      name: "hand-written JS (same output object)",
      group: R,
      role: "baseline",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          const r = { eligible: fmcgEligibleByHand(CF[k3]!) };
          if (++k3 === cn) k3 = 0;
          if (r.eligible) s++;
        }
        return s;
      },
    },
  ];
}

// ---------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  console.log("# Ruleflow benchmark\n");
  console.log(`date:     ${new Date().toISOString()}`);
  console.log(`machine:  ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()} ${os.arch()}`);
  console.log(`node:     ${process.version} (V8 ${process.versions.v8})`);
  console.log(`versions: @gorules/zen-engine ${version("@gorules/zen-engine")}, json-rules-engine ${version("json-rules-engine")}`);
  console.log(
    `timing:   ${options.warmupMs} ms warm-up, then median of ${options.rounds} rounds of ${options.roundMs} ms each per contender` +
      `${(globalThis as { gc?: unknown }).gc ? ", gc() between rounds" : ""}`,
  );
  console.log(`at:       ${AT} (fixed evaluation time passed to every Ruleflow call)\n`);

  const histogram = await checkDecisionTable();
  console.log(
    `checked decision table: ${TF.length} fact objects, ${REBATE_ROW_COUNT} rows; all contenders agree ` +
      `(${histogram.size} distinct rates: ${[...histogram.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([r, c]) => `${r}×${c}`)
        .join(", ")})`,
  );
  console.log(
    `zen-engine's own reported evaluation time (response.performance), median over the check: ${zenReportedMicros.toFixed(1)} µs ` +
      `(the rest of an awaited evaluate is the trip to its native worker thread and back)`,
  );
  const eligible = await checkCondition();
  console.log(`checked condition tree / rule set: ${CF.length} fact objects; all contenders agree (${eligible} eligible)\n`);

  const all = contenders();
  const results: Measurement[] = [];
  for (const c of all) {
    process.stdout.write(`measuring ${c.group}: ${c.name} ... `);
    const m = await measure(c, options);
    results.push(m);
    console.log(`${formatRate(m.opsPerSec)}/s (rounds ${formatRate(m.minOpsPerSec)}..${formatRate(m.maxOpsPerSec)})`);
  }
  console.log();

  const summary: string[] = [];
  for (const group of [T, C, R]) {
    const rows = results.filter((m) => m.contender.group === group);
    const ours = rows.find((m) => m.contender.role === "ours")!;
    console.log(`## ${group}\n`);
    console.log(
      markdownTable(
        ["contender", "evaluations/sec", "ns/eval", "spread", "ours ÷ this"],
        rows.map((m) => [
          m.contender.name + (m.contender.role === "ours" ? " (ours)" : ""),
          formatRate(m.opsPerSec),
          (1e9 / m.opsPerSec).toFixed(0),
          `±${(((m.maxOpsPerSec - m.minOpsPerSec) / 2 / m.opsPerSec) * 100).toFixed(0)}%`,
          formatRatio(ours.opsPerSec / m.opsPerSec),
        ]),
        [false, true, true, true, true],
      ),
    );
    console.log();
    for (const m of rows) {
      if (m === ours) continue;
      const x = ours.opsPerSec / m.opsPerSec;
      if (m.contender.role === "baseline") {
        summary.push(`${group}: ours is ${formatRatio(1 / x)} slower than ${m.contender.name}`);
      } else if (m.contender.role === "reference") {
        summary.push(`${group}: ${m.contender.name} takes ${formatRatio(x)} the time of ${ours.contender.name}`);
      } else {
        summary.push(`${group}: ours is ${formatRatio(x)} ${x >= 1 ? "faster" : "as fast"} than ${m.contender.name}`);
      }
    }
  }

  const rate = (group: string, pred: (c: Contender) => boolean): number =>
    results.find((m) => m.contender.group === group && pred(m.contender))!.opsPerSec;
  const oursTable = rate(T, (c) => c.role === "ours");
  const zenBest = Math.max(
    rate(T, (c) => c.name.startsWith("zen-engine ZenDecision.evaluate (awaited")),
    rate(T, (c) => c.name.startsWith("zen-engine ZenEngine.evaluate")),
  );
  const zenConcurrent = rate(T, (c) => c.name.includes("in flight"));
  const handTable = rate(T, (c) => c.role === "baseline");
  const oursCond = rate(C, (c) => c.role === "ours");
  const jreRate = rate(C, (c) => c.role === "competitor");
  const handCond = rate(C, (c) => c.role === "baseline");
  const verdict = (ok: boolean): string => (ok ? "MET" : "NOT MET");
  console.log("## targets\n");
  const targets: [string, string, string][] = [
    [`>= 50x zen-engine evaluate (fastest awaited path)`, formatRatio(oursTable / zenBest), verdict(oursTable / zenBest >= 50)],
    [`  (for information: vs zen ${ZEN_CONCURRENCY} in flight)`, formatRatio(oursTable / zenConcurrent), verdict(oursTable / zenConcurrent >= 50)],
    [">= 20x json-rules-engine", formatRatio(oursCond / jreRate), verdict(oursCond / jreRate >= 20)],
    ["within 5x of hand-written JS: decision table", `${formatRatio(handTable / oursTable)} slower`, verdict(handTable / oursTable <= 5)],
    ["within 5x of hand-written JS: condition tree", `${formatRatio(handCond / oursCond)} slower`, verdict(handCond / oursCond <= 5)],
  ];
  console.log(markdownTable(["target", "measured", "verdict"], targets.map((t) => [...t]), [false, true, false]));
  console.log();
  for (const s of summary) console.log(`- ${s}`);
  console.log(`\n(sink ${sink})`);
  zen.dispose();
  zenByKey.dispose();
  await runWorkflowBench(quick);
  // the simulated year: 10,000 instances always; 100,000 too unless --quick (then with --100k or BENCH_SIM_100K=1)
  await runSimulationBench(quick, !quick || process.argv.includes("--100k") || process.env["BENCH_SIM_100K"] === "1");
  await runPostgresBench(quick);
  await runRolloutBench(options);
  await runCommerceBench(options, quick);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
