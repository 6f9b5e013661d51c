/**
 * Conditions of rule sets, promotions and rebates: conditions that can never
 * hold, and rules shadowed by the rules that win before them.
 * @internal
 */
import type { RuleSetDocument } from "../../schema/ruleset.js";
import type { Condition } from "../../schema/condition.js";
import { containsPoint, pointBox, pointOf, TooComplex, uncovered, type Box, type Budget } from "./boxes.js";
import { approximate, axesOf, fullBox, impossibleNode, toFormula, TooLarge, type Approx, type Axes, type Formula } from "./conditions.js";
import { factsOf } from "./facts.js";
import type { Report } from "./report.js";
import type { AnalysisCoverage, Witness } from "./types.js";

type Path = (string | number)[];

const OP_TEXT: Record<string, string> = { eq: "=", ne: "!=", gt: ">", gte: ">=", lt: "<", lte: "<=", in: "in", notIn: "not in", between: "between", before: "before", after: "after", exists: "exists" };

/** A formula written out: `order.amount > 5 and order.amount < 3`. */
export function describeFormula(f: Formula): string {
  switch (f.k) {
    case "and":
    case "or":
      return f.xs.map((x) => (x.k === "and" || x.k === "or" ? `(${describeFormula(x)})` : describeFormula(x))).join(` ${f.k} `);
    case "not":
      return `not (${describeFormula(f.x)})`;
    case "const":
      return String(f.value);
    case "unknown":
      return "?";
    case "atom":
      return f.op === "exists" ? `${f.fact} exists` : `${f.fact} ${OP_TEXT[f.op] ?? f.op} ${JSON.stringify(f.value)}`;
  }
}

/** Conditions of one definition, approximated over shared fact axes. */
export class ConditionSet {
  readonly axes: Axes;
  readonly approx: (Approx | undefined)[];

  constructor(
    readonly formulas: readonly Formula[],
    report: Report,
  ) {
    this.axes = axesOf(formulas);
    this.approx = formulas.map((f) => {
      try {
        const a = approximate(f, this.axes);
        for (const u of a.unknown) report.beyond(u.path, u.reason, "consequenceCondition");
        return a;
      } catch (e) {
        if (!(e instanceof TooLarge)) throw e;
        report.beyond(f.path, { key: "reasonTooComplex" }, "consequenceCondition");
        return undefined;
      }
    });
  }

  /** Where formula `i` holds for sure (an unknown formula: nowhere). */
  under(i: number): readonly Box[] {
    return this.approx[i]?.under ?? [];
  }

  /** Where formula `i` may hold (an unknown formula: anywhere). */
  over(i: number): readonly Box[] {
    return this.approx[i]?.over ?? [fullBox(this.axes)];
  }

  /** True when every leaf of formula `i` was within the analysis. */
  exact(i: number): boolean {
    const a = this.approx[i];
    return a !== undefined && a.unknown.length === 0;
  }

  /** Facts at a point box: a value for each fact whose type is known. */
  witness(p: Box, extra: Omit<Witness, "facts">): Witness {
    const values = pointOf(p);
    const entries: [string, unknown][] = [];
    let partial = false;
    this.axes.facts.forEach((fact, i) => {
      if (this.axes.types[i] === "mixed") partial = true;
      else entries.push([fact, values[i]]);
    });
    return { facts: factsOf(entries), ...(partial ? { partial: true as const } : {}), ...extra };
  }

  /** The node that makes formula `i` impossible, or `undefined` when it can hold (or is not known not to). */
  impossible(i: number): Formula | undefined {
    if (this.approx[i] === undefined || this.over(i).length > 0) return undefined;
    return impossibleNode(this.formulas[i]!, this.axes);
  }
}

/** A condition's formula (`true` when the condition is absent). */
export function formulaOf(c: Condition | undefined, path: Path): Formula {
  return c === undefined ? { k: "const", value: true, path } : toFormula(c, path);
}

/** Analyse a rule set into `report`. */
export function analyzeRuleSet(doc: RuleSetDocument, report: Report): AnalysisCoverage {
  const set = new ConditionSet(
    doc.rules.map((r, i) => formulaOf(r.when, ["rules", i, "when"])),
    report,
  );
  let complete = doc.rules.every((_, i) => set.exact(i));
  doc.rules.forEach((rule, i) => {
    const bad = set.impossible(i);
    if (bad) report.add("never-holds", "warning", bad.path, "neverHolds", { what: describeFormula(bad) }, { related: [["rules", i]] });
  });
  if (doc.hitPolicy === "collect") return { complete, inputsNotAnalysed: [], notAnalysed: [...report.notAnalysed] };
  // The order in which rules win: document order, or priority (highest first, ties in document order).
  const order = doc.rules.map((r, i) => ({ i, p: r.priority ?? 0 }));
  if (doc.hitPolicy === "priority") order.sort((a, b) => b.p - a.p || a.i - b.i);
  const budget: Budget = { steps: 200_000 };
  try {
    order.forEach(({ i }, k) => {
      const over = set.over(i);
      if (over.length === 0) return; // never holds: reported above
      const before = order.slice(0, k).map((o) => o.i);
      const cover = before.flatMap((j) => set.under(j));
      if (cover.length === 0) return;
      for (const box of over) if (uncovered(box, cover, 1, budget).length > 0) return;
      const from = set.under(i)[0] ?? over[0]!;
      const p = pointBox(from);
      const winner = before.find((j) => containsPoint(set.under(j), p));
      const by = before.filter((j) => set.under(j).length > 0);
      report.add(
        "shadowed-rule",
        "warning",
        ["rules", i],
        "shadowedRule",
        { rule: doc.rules[i]!.id, by: report.text("rulesList", { list: by.map((j) => doc.rules[j]!.id).join(", ") }), policy: doc.hitPolicy },
        {
          witness: set.witness(p, { ...(winner !== undefined ? { winner: doc.rules[winner]!.id, matches: [doc.rules[winner]!.id, ...(set.exact(i) ? [doc.rules[i]!.id] : [])] } : {}) }),
          related: by.map((j) => ["rules", j]),
        },
      );
    });
  } catch (e) {
    if (!(e instanceof TooComplex)) throw e;
    report.beyond(["rules"], { key: "reasonTooComplex" }, "consequenceCondition");
    complete = false;
  }
  return { complete, inputsNotAnalysed: [], notAnalysed: [...report.notAnalysed] };
}
