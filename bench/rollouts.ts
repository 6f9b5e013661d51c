/**
 * Rollout assignment benchmark (part of `pnpm bench`; alone:
 * `npx tsx --expose-gc bench/rollouts.ts [--quick]`).
 *
 * Ruleflow's compiled rollout against GrowthBook's JavaScript SDK on the same
 * 10,000 units, the same salt (GrowthBook's seed), the same weights and the
 * same coverage, hash version 2. Before timing, every unit is assigned by
 * both and the run aborts if any variant or bucket differs. Contenders are
 * timed in alternating short rounds (see `interleaved`).
 *
 * Contenders:
 * - ours: `compileRollout(doc).evaluate(facts, { at })`, the full result with
 *   bucket, range and explanation;
 * - GrowthBook multi-user client: `GrowthBookClient.runInlineExperiment(exp,
 *   { attributes })`, its server-side API for many users in one process;
 * - GrowthBook per request: `new GrowthBook({ attributes }).run(exp)`, the
 *   classic pattern of one instance per request;
 * - baseline: the hash and a range lookup written out by hand
 *   (`bucketOf` + a loop over the ranges), the floor any SDK pays.
 */
import { pathToFileURL } from "node:url";
import { GrowthBook, GrowthBookClient, type Experiment } from "@growthbook/growthbook";
import { compileRollout, type RolloutDefinition } from "../packages/engine/src/index.js";
import { bucketOf } from "../packages/engine/src/entries/rollouts.js";
import { seededRandom } from "../packages/engine/src/testing.js";
import { formatRate, formatRatio, markdownTable, measure, sink, type Contender, type HarnessOptions, type Measurement } from "./harness.js";

const AT = "2026-03-20T02:00:00.000Z";
const SALT = "renewal-incentive-v2";

/** A case: weights and coverage, shared by every contender. */
interface Case {
  name: string;
  weights: number[];
  coverage: number;
}

const CASES: Case[] = [
  { name: "2 variants 50/50, 100%", weights: [0.5, 0.5], coverage: 1 },
  { name: "3 variants 20/30/50, 60% ramp", weights: [0.2, 0.3, 0.5], coverage: 0.6 },
];

function units(n: number): string[] {
  const rand = seededRandom(20261123);
  return Array.from({ length: n }, (_, i) => (i % 4 === 0 ? `客户-${i}` : `C-${Math.floor(rand() * 1e8)}`));
}

function setup(c: Case) {
  const doc: RolloutDefinition = {
    kind: "rollout",
    id: "renewal-incentive-v2",
    version: 1,
    unit: "customer.id",
    salt: SALT,
    variants: c.weights.map((w, i) => ({ id: `v${i}`, weight: w, value: i })),
    ...(c.coverage < 1 ? { ramp: [{ at: "2026-03-01T00:00:00+08:00", percent: c.coverage * 100 }] } : {}),
  };
  const rollout = compileRollout(doc);
  const experiment: Experiment<number> = {
    key: "renewal-incentive-v2",
    seed: SALT,
    hashVersion: 2,
    variations: c.weights.map((_, i) => i) as [number, number, ...number[]],
    weights: c.weights,
    coverage: c.coverage,
  };
  const ranges: [number, number][] = [];
  let cumulative = 0;
  for (const w of c.weights) {
    ranges.push([cumulative, cumulative + c.coverage * w]);
    cumulative += w;
  }
  return { rollout, experiment, ranges };
}

/**
 * Measure contenders in alternation: warm each up, then run many short
 * rounds, one contender after another in rotating order, so that load from
 * other processes (this is a shared 2-core VM) falls on all of them alike.
 * Each contender's rate is the median of its rounds.
 */
async function interleaved(contenders: Contender[], options: HarnessOptions): Promise<Measurement[]> {
  const rounds = options.rounds * 3;
  const roundMs = Math.max(50, Math.round(options.roundMs / 3));
  for (const c of contenders) await measure(c, { warmupMs: options.warmupMs, rounds: 1, roundMs: 50 });
  const rates: number[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length;
      const m = await measure(contenders[i]!, { warmupMs: 0, rounds: 1, roundMs });
      rates[i]!.push(m.opsPerSec);
    }
  }
  return contenders.map((contender, i) => {
    const sorted = [...rates[i]!].sort((a, b) => a - b);
    const median = sorted.length % 2 ? sorted[sorted.length >> 1]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    console.log(`measured ${contender.group}: ${contender.name}: ${formatRate(median)}/s (median of ${rounds} rounds of ${roundMs} ms)`);
    return { contender, opsPerSec: median, minOpsPerSec: sorted[0]!, maxOpsPerSec: sorted[sorted.length - 1]!, rounds, totalOps: 0, batchSize: 0 };
  });
}

function fail(message: string): never {
  console.error(`\nROLLOUT BENCHMARK ABORTED: ${message}`);
  process.exit(1);
}

/**
 * Run the rollout benchmark and print its tables.
 *
 * @param options - the harness timing options
 * @returns the measurements, by case
 */
export async function runRolloutBench(options: HarnessOptions): Promise<Map<string, Measurement[]>> {
  const U = units(10_000);
  const FACTS = U.map((id) => ({ customer: { id } }));
  const ATTRS = U.map((id) => ({ id }));
  const client = new GrowthBookClient().initSync({ payload: { features: {} } });
  const out = new Map<string, Measurement[]>();
  console.log("\n# Rollout assignment: Ruleflow vs GrowthBook JS SDK\n");
  for (const c of CASES) {
    const { rollout, experiment, ranges } = setup(c);
    let inExperiment = 0;
    for (let i = 0; i < U.length; i++) {
      const ours = rollout.evaluate(FACTS[i]!, { at: AT });
      const theirs = client.runInlineExperiment(experiment, { attributes: ATTRS[i]! });
      const classic = new GrowthBook({ attributes: ATTRS[i]! }).run(experiment);
      if (ours.inExperiment !== theirs.inExperiment || classic.inExperiment !== theirs.inExperiment) fail(`${c.name}: unit ${U[i]} in experiment differs`);
      if (theirs.inExperiment) {
        inExperiment++;
        if (ours.output !== theirs.value || classic.value !== theirs.value || ours.bucket !== theirs.bucket) {
          fail(`${c.name}: unit ${U[i]}: ours ${String(ours.output)} (bucket ${ours.bucket}), GrowthBook ${theirs.value} (bucket ${theirs.bucket})`);
        }
      }
    }
    console.log(`checked ${c.name}: ${U.length} units, ${inExperiment} in the experiment; Ruleflow and GrowthBook agree on every variant and bucket`);
    let i1 = 0;
    let i2 = 0;
    let i3 = 0;
    let i4 = 0;
    const n = U.length;
    const contenders: Contender[] = [
      {
        name: "Ruleflow compileRollout().evaluate",
        group: c.name,
        role: "ours",
        batch: (k) => {
          let s = 0;
          for (let j = 0; j < k; j++) {
            s += rollout.evaluate(FACTS[i1]!, { at: AT }).variant.length;
            if (++i1 === n) i1 = 0;
          }
          return s;
        },
      },
      {
        name: "GrowthBookClient.runInlineExperiment",
        group: c.name,
        role: "competitor",
        batch: (k) => {
          let s = 0;
          for (let j = 0; j < k; j++) {
            s += client.runInlineExperiment(experiment, { attributes: ATTRS[i2]! }).variationId;
            if (++i2 === n) i2 = 0;
          }
          return s;
        },
      },
      {
        name: "new GrowthBook({ attributes }).run",
        group: c.name,
        role: "competitor",
        batch: (k) => {
          let s = 0;
          for (let j = 0; j < k; j++) {
            s += new GrowthBook({ attributes: ATTRS[i3]! }).run(experiment).variationId;
            if (++i3 === n) i3 = 0;
          }
          return s;
        },
      },
      {
        name: "hand-written: bucketOf + range scan",
        group: c.name,
        role: "baseline",
        batch: (k) => {
          let s = 0;
          for (let j = 0; j < k; j++) {
            const b = bucketOf(SALT, U[i4]!);
            for (let r = 0; r < ranges.length; r++) {
              if (b >= ranges[r]![0] && b < ranges[r]![1]) {
                s += r;
                break;
              }
            }
            if (++i4 === n) i4 = 0;
          }
          return s;
        },
      },
    ];
    out.set(c.name, await interleaved(contenders, options));
  }
  for (const [name, results] of out) {
    const ours = results.find((m) => m.contender.role === "ours")!;
    console.log(`\n## ${name}\n`);
    console.log(
      markdownTable(
        ["contender", "assignments/sec", "ns/assignment", "rounds min..max", "ours ÷ this"],
        results.map((m) => [
          m.contender.name + (m.contender.role === "ours" ? " (ours)" : ""),
          formatRate(m.opsPerSec),
          (1e9 / m.opsPerSec).toFixed(0),
          `${formatRate(m.minOpsPerSec)}..${formatRate(m.maxOpsPerSec)}`,
          formatRatio(ours.opsPerSec / m.opsPerSec),
        ]),
        [false, true, true, true, true],
      ),
    );
  }
  console.log(`\n(sink ${sink})`);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const quick = process.argv.includes("--quick");
  runRolloutBench({ rounds: quick ? 3 : 5, roundMs: quick ? 200 : 1000, warmupMs: quick ? 300 : 1000 }).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
