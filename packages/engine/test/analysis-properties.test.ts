/**
 * Witness checks: every overlap, gap, unreachable-row and shadowed-rule
 * finding on generated tables and rule sets is confirmed by evaluating the
 * definition on the witness with the real engine; "no gaps" and "no overlaps"
 * on fully analysable tables hold at random points.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeDefinition } from "@ruleflow/engine/analysis";
import { compileCondition, compileDefinition, isRuleflowError } from "@ruleflow/engine";

const BOUNDS = [-5, 0, 1, 2.5, 3, 10, "0.1", "0.2", "12.75"] as const;
const NAMES = ["A", "B", "C"] as const;

const bound = fc.constantFrom(...BOUNDS).map((b) => (typeof b === "string" ? b : String(b)));
const numCell = fc.oneof(
  fc.constant("-"),
  fc.tuple(fc.constantFrom("<", "<=", ">", ">=", "!=", ""), bound).map(([op, b]) => `${op}${op ? " " : ""}${b}`),
  fc.tuple(fc.constantFrom("[", "("), bound, bound, fc.constantFrom("]", ")")).map(([o, a, b, c]) => {
    const [lo, hi] = Number(a) <= Number(b) ? [a, b] : [b, a];
    return `${o}${lo}..${hi}${c}`;
  }),
  fc.tuple(bound, bound).map(([a, b]) => `not(${a}, ${b})`),
);
const enumCell = fc.oneof(
  fc.constant("-"),
  fc.subarray([...NAMES], { minLength: 1 }).map((xs) => xs.map((x) => `"${x}"`).join(",")),
  fc.constantFrom(...NAMES).map((x) => `not("${x}")`),
  fc.constantFrom(...NAMES).map((x) => `!= "${x}"`),
);

const tableArb = fc
  .record({
    kinds: fc.array(fc.constantFrom("number", "enum"), { minLength: 1, maxLength: 3 }),
    policy: fc.constantFrom("unique", "any", "first", "priority"),
    rows: fc.integer({ min: 1, max: 6 }),
  })
  .chain(({ kinds, policy, rows }) =>
    fc
      .array(fc.tuple(fc.tuple(...kinds.map((k) => (k === "number" ? numCell : enumCell))), fc.constantFrom("x", "y", "z")), { minLength: rows, maxLength: rows })
      .map((cells) => ({
        kind: "decision-table",
        id: "generated",
        version: 1,
        hitPolicy: policy,
        inputs: kinds.map((k, i) => ({ id: `in${i}`, expr: k === "number" ? `f.n${i}` : `f.e${i}` })),
        outputs: [{ id: "out", type: "string", ...(policy === "priority" ? { allowedValues: ["x", "y", "z"] } : {}) }],
        rules: cells.map(([row, out], r) => ({ id: `r${r}`, ...Object.fromEntries(row.map((c, i) => [`in${i}`, c])), out })),
      })),
  );

/** The ids of every row that matches `facts`. */
function matchingRows(doc: Record<string, unknown>, facts: unknown): string[] {
  const all = compileDefinition({ ...doc, hitPolicy: "ruleOrder" }) as { evaluate(f: unknown): { matched: { id: string }[] } };
  return all.evaluate(facts).matched.map((m) => m.id);
}

/** A random point: each input gets a value near the bounds or a name (or an unknown one). */
function pointArb(doc: { inputs: { expr: string }[] }) {
  return fc.tuple(
    ...doc.inputs.map((i) =>
      i.expr.startsWith("f.n")
        ? fc.oneof(fc.constantFrom(-5, 0, 1, 2.5, 3, 10, 0.1, 0.2, 12.75, -6, 0.15, 2.9, 11, 100), fc.integer({ min: -20, max: 20 }), fc.double({ min: -20, max: 20, noNaN: true }))
        : fc.constantFrom("A", "B", "C", "D"),
    ),
  );
}

/** How many findings of each code the properties checked (so they are not vacuous). */
const seen: Record<string, number> = {};
const count = (code: string): void => {
  seen[code] = (seen[code] ?? 0) + 1;
};

function factsAt(doc: { inputs: { expr: string }[] }, values: readonly unknown[]): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  doc.inputs.forEach((i, k) => (f[i.expr.slice(2)] = values[k]));
  return { f };
}

/** The row that decides: the first match, or under priority the first match of the best-ranked output. */
function winnerOf(doc: { hitPolicy: string }, result: { matched: { id: string; output: Record<string, unknown> }[] }): string | undefined {
  if (doc.hitPolicy !== "priority") return result.matched[0]?.id;
  const rank = (m: { output: Record<string, unknown> }) => ["x", "y", "z"].indexOf(String(m.output["out"]));
  let best: (typeof result.matched)[number] | undefined;
  for (const m of result.matched) if (best === undefined || rank(m) < rank(best)) best = m;
  return best?.id;
}

describe("analysis witnesses on generated decision tables", () => {
  it("every overlap, gap and unreachable-row witness shows exactly what the finding claims", () => {
    fc.assert(
      fc.property(tableArb, (doc) => {
        const result = analyzeDefinition(doc, { at: "2026-01-01T00:00:00Z", maxGaps: 50, maxOverlaps: 50 });
        expect(result.coverage?.complete).toBe(true);
        const table = compileDefinition(doc) as { evaluate(f: unknown): { matched: { id: string; output: Record<string, unknown> }[] } };
        for (const f of result.findings) {
          count(f.code);
          if (f.code === "overlap") {
            const [a, b] = f.witness!.matches!;
            const matched = matchingRows(doc, f.witness!.facts);
            expect(matched).toEqual(expect.arrayContaining([a, b]));
            // unique (or any with different outputs) refuses this input
            let threw = false;
            try {
              table.evaluate(f.witness!.facts);
            } catch (e) {
              threw = isRuleflowError(e, "DECISION_ERROR");
            }
            expect(threw).toBe(true);
          } else if (f.code === "gap") {
            expect(matchingRows(doc, f.witness!.facts)).toEqual([]);
          } else if (f.code === "unreachable-row") {
            const row = doc.rules[f.path[1] as number]!.id;
            const matched = matchingRows(doc, f.witness!.facts);
            expect(matched).toContain(row);
            const won = winnerOf(doc, table.evaluate(f.witness!.facts));
            expect(won).toBe(f.witness!.winner);
            expect(won).not.toBe(row);
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(seen["overlap"]).toBeGreaterThan(10);
    expect(seen["gap"]).toBeGreaterThan(10);
    expect(seen["unreachable-row"]).toBeGreaterThan(10);
  });

  it('"no gaps" and "no overlaps" hold at random points, and a point that matches no row or two means the analysis said so', () => {
    fc.assert(
      fc.property(
        tableArb.chain((doc) => fc.tuple(fc.constant(doc), fc.array(pointArb(doc), { minLength: 1, maxLength: 20 }))),
        ([doc, points]) => {
          const result = analyzeDefinition(doc, { at: "2026-01-01T00:00:00Z" });
          for (const p of points) {
            const matched = matchingRows(doc, factsAt(doc, p));
            if (result.coverage!.noGaps) expect(matched.length).toBeGreaterThan(0);
            if (matched.length === 0) expect(result.findings.some((f) => f.code === "gap")).toBe(true);
            if (doc.hitPolicy === "unique" && matched.length > 1) expect(result.findings.some((f) => f.code === "overlap")).toBe(true);
            if (result.coverage!.noOverlaps) expect(matched.length <= 1 || doc.hitPolicy === "any").toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("an unreachable row never wins at random points", () => {
    fc.assert(
      fc.property(
        tableArb.chain((doc) => fc.tuple(fc.constant(doc), fc.array(pointArb(doc), { minLength: 1, maxLength: 20 }))),
        ([doc, points]) => {
          const result = analyzeDefinition(doc, { at: "2026-01-01T00:00:00Z" });
          const dead = new Set(result.findings.filter((f) => f.code === "unreachable-row").map((f) => doc.rules[f.path[1] as number]!.id));
          if (dead.size === 0) return;
          const table = compileDefinition(doc) as { evaluate(f: unknown): { matched: { id: string; output: Record<string, unknown> }[] } };
          for (const p of points) {
            const won = winnerOf(doc, table.evaluate(factsAt(doc, p)));
            if (won !== undefined) expect(dead.has(won)).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

const leafArb = fc.oneof(
  fc.tuple(fc.constantFrom("gt", "gte", "lt", "lte", "eq", "ne"), fc.constantFrom(0, 1, 2.5, 5, 10)).map(([op, value]) => ({ fact: "order.amount", op, value })),
  fc.tuple(fc.constantFrom("in", "notIn"), fc.subarray([...NAMES], { minLength: 1 })).map(([op, value]) => ({ fact: "customer.tier", op, value })),
  fc.tuple(fc.constantFrom(">", "<", ">=", "<=", "=="), fc.constantFrom(0, 1, 2.5, 5, 10)).map(([op, v]) => ({ expr: `order.amount ${op} ${v}` })),
);
const condArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, leafArb, fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((all) => ({ all })), fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((any) => ({ any })), tie("node").map((not) => ({ not }))),
})).node;

const rulesetArb = fc.tuple(fc.array(fc.option(condArb, { nil: undefined }), { minLength: 1, maxLength: 5 }), fc.constantFrom("first", "priority"), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 5, maxLength: 5 })).map(([conds, policy, prios]) => ({
  kind: "ruleset",
  id: "generated",
  version: 1,
  hitPolicy: policy,
  rules: conds.map((when, i) => ({ id: `r${i}`, ...(when === undefined ? {} : { when }), ...(policy === "priority" ? { priority: prios[i] } : {}), then: { n: i } })),
}));

describe("analysis witnesses on generated rule sets", () => {
  it("a shadowed rule's witness satisfies its condition and the named rule wins; a never-holding condition holds at no random point", () => {
    fc.assert(
      fc.property(
        rulesetArb,
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(0, 1, 2.5, 5, 10, -1, 0.5, 3, 7, 11)), fc.constantFrom("A", "B", "C", "D")), { minLength: 1, maxLength: 10 }),
        (doc, points) => {
          const result = analyzeDefinition(doc, { at: "2026-01-01T00:00:00Z" });
          const rs = compileDefinition(doc) as { evaluate(f: unknown): { matched: { id: string }[] } };
          for (const f of result.findings) {
            count(f.code);
            if (f.code === "shadowed-rule") {
              const i = f.path[1] as number;
              const rule = doc.rules[i]!;
              const facts = f.witness!.facts;
              if (rule.when) expect(compileCondition(rule.when as never).test(facts)).toBe(true);
              const won = rs.evaluate(facts).matched[0]!.id;
              expect(won).toBe(f.witness!.winner);
              expect(won).not.toBe(rule.id);
            }
            if (f.code === "never-holds") {
              const i = f.path[1] as number;
              for (const [amount, tier] of points) {
                expect(compileCondition(doc.rules[i]!.when as never).test({ order: { amount }, customer: { tier } })).toBe(false);
              }
            }
          }
          // A rule that is shadowed never wins at random points.
          const dead = new Set(result.findings.filter((f) => f.code === "shadowed-rule" || f.code === "never-holds").map((f) => doc.rules[f.path[1] as number]!.id));
          for (const [amount, tier] of points) {
            const won = rs.evaluate({ order: { amount }, customer: { tier } }).matched[0]?.id;
            if (won !== undefined) expect(dead.has(won)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(seen["shadowed-rule"]).toBeGreaterThan(10);
    expect(seen["never-holds"]).toBeGreaterThan(3);
  });
});
