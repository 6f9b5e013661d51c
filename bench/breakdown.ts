/**
 * Where the time of one Ruleflow evaluation goes: `npx tsx --expose-gc bench/breakdown.ts`.
 *
 * Compares the public calls (`evaluate(facts, { at })`, `test(facts, { at })`)
 * with the same evaluation on a scope built by hand (`evaluateScope`, `run`,
 * internal but typed), i.e. without the per-call work of turning `at` into
 * a scope. The difference is the cost of that per-call work. Not part of
 * `pnpm bench`; a diagnostic for engine work.
 */
import { compileCondition, compileDecisionTable } from "../packages/engine/src/index.js";
import { formatRate, markdownTable, measure, sink, type Contender, type HarnessOptions } from "./harness.js";
import { fmcgCondition, fmcgFacts, rebateFacts, rebateTable } from "./rules.js";

const AT = "2026-02-15T00:00:00.000Z";
const AT_MS = Date.parse(AT);
const OPTS = { at: AT } as const;
const options: HarnessOptions = { rounds: 5, roundMs: 500, warmupMs: 500 };

const table = compileDecisionTable(rebateTable);
const cond = compileCondition(fmcgCondition());
const TF = rebateFacts();
const CF = fmcgFacts();
type TableScope = Parameters<typeof table.evaluateScope>[0];
type CondScope = Parameters<typeof cond.run>[0];

function contenders(): Contender[] {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const tn = TF.length;
  const cn = CF.length;
  return [
    {
      name: "table.evaluate(facts, { at })",
      group: "decision table",
      role: "ours",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          s += (table.evaluate(TF[a]!, OPTS).output as { rate: string }).rate.length;
          if (++a === tn) a = 0;
        }
        return s;
      },
    },
    {
      name: "table.evaluateScope(prebuilt-style scope, false)",
      group: "decision table",
      role: "reference",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          const scope: TableScope = { facts: TF[b]!, now: AT, locals: [] };
          s += (table.evaluateScope(scope, false).output as { rate: string }).rate.length;
          if (++b === tn) b = 0;
        }
        return s;
      },
    },
    {
      name: "cond.test(facts, { at })",
      group: "condition tree",
      role: "ours",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          if (cond.test(CF[c]!, OPTS)) s++;
          if (++c === cn) c = 0;
        }
        return s;
      },
    },
    {
      name: "cond.run(prebuilt-style scope, nowMs)",
      group: "condition tree",
      role: "reference",
      batch: (n) => {
        let s = 0;
        for (let k = 0; k < n; k++) {
          const scope: CondScope = { facts: CF[d]!, now: AT, locals: [] };
          if (cond.run(scope, AT_MS)) s++;
          if (++d === cn) d = 0;
        }
        return s;
      },
    },
  ];
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const byGroup = new Map<string, number>();
  for (const c of contenders()) {
    const m = await measure(c, options);
    const ns = 1e9 / m.opsPerSec;
    if (c.role === "ours") byGroup.set(c.group, ns);
    const total = byGroup.get(c.group)!;
    rows.push([c.group, c.name, formatRate(m.opsPerSec), ns.toFixed(0), c.role === "ours" ? "100%" : `${((ns / total) * 100).toFixed(0)}%`]);
  }
  console.log(markdownTable(["group", "call", "evaluations/sec", "ns/eval", "share of public call"], rows, [false, false, true, true, true]));
  console.log(`\n(sink ${sink})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
