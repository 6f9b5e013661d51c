/**
 * Decision tables: overlaps (hit policies `unique` and `any`), gaps, rows
 * that can never win (`first`, `priority`) and outputs outside
 * `allowedValues`, over exact value sets of each input.
 * @internal
 */
import type { CompileContext } from "../../core/context.js";
import { compileOutput } from "../../decisions/outputs.js";
import type { UnaryTest } from "../../decisions/unary-tests.js";
import { valuesEqual } from "../../expr/values.js";
import type { DecisionTableDocument } from "../../schema/decision-table.js";
import { containsPoint, intersectBoxes, mergeBoxes, pointBox, pointOf, TooComplex, uncovered, type Box, type Budget } from "./boxes.js";
import { cellSet, columnType, parseCell } from "./cells.js";
import { factsOf, plainFactPath } from "./facts.js";
import type { Report } from "./report.js";
import { describeSet, fullSet, isFull, type AxisType } from "./sets.js";
import type { AnalysisCoverage, Witness } from "./types.js";

interface Row {
  readonly index: number;
  readonly id: string;
  readonly label: string;
  /** Over-approximation: unknown cells are "anything". */
  readonly over: Box;
  /** True when every cell was within the analysis (so `over` is exact). */
  readonly exact: boolean;
  /** Literal outputs (JSON values), `undefined` when some output is an expression. */
  readonly outputs: readonly unknown[] | undefined;
}

/** Text of a box for messages: each constrained input with its values. */
function describeBox(report: Report, names: readonly string[], box: Box): string {
  const parts = box.flatMap((s, i) => (isFull(s) ? [] : [`${names[i]}: ${describeSet(s)}`]));
  return parts.length ? parts.join(report.text("andJoin")) : report.text("allInputs");
}

const isExpr = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v) && "expr" in v;

/** Analyse one decision table into `report`. */
export function analyzeDecisionTable(doc: DecisionTableDocument, report: Report, options: { maxGaps: number; maxOverlaps: number }): AnalysisCoverage {
  const inputIds = doc.inputs.map((i) => i.id);
  const cells: (UnaryTest | undefined)[][] = doc.rules.map((rule) => inputIds.map((id) => parseCell(Object.hasOwn(rule, id) ? rule[id] : "-")));
  const paths = doc.inputs.map((i) => plainFactPath(i.expr));
  const types: (AxisType | undefined)[] = [];
  const analysable: boolean[] = [];
  doc.inputs.forEach((input, i) => {
    const t = columnType(cells.map((c) => c[i]));
    const hasTests = t !== undefined;
    if (paths[i] === undefined && hasTests) {
      report.beyond(["inputs", i, "expr"], { key: "reasonNotPath", params: { expr: input.expr } }, "consequenceInput");
      report.inputsNotAnalysed.push(input.id);
    } else if (t === "mixed") {
      report.beyond(["inputs", i], { key: "reasonMixed", params: { fact: input.id } }, "consequenceInput");
      report.inputsNotAnalysed.push(input.id);
    }
    types.push(t === "mixed" ? undefined : t);
    analysable.push((paths[i] !== undefined || !hasTests) && t !== "mixed");
  });
  const axisType = (i: number): AxisType => types[i] ?? "string";

  const outputCtx: CompileContext = { issues: [], knownFacts: undefined };
  const rows: Row[] = doc.rules.map((rule, r) => {
    const idCell = rule["id"];
    const id = typeof idCell === "string" ? idCell : `row-${r + 1}`;
    const label = typeof idCell === "string" ? `${r + 1} (${idCell})` : `${r + 1}`;
    let exact = true;
    const over: Box = inputIds.map((iid, i) => {
      const cell = cells[r]![i];
      if (cell?.kind === "any") return fullSet(axisType(i));
      if (!analysable[i]) {
        exact = false;
        return fullSet(axisType(i));
      }
      if (!cell) {
        exact = false;
        report.beyond(["rules", r, iid], { key: "reasonCellInvalid" }, "consequenceCell");
        return fullSet(axisType(i));
      }
      const s = cellSet(cell, axisType(i), iid);
      if (s.kind === "unknown") {
        exact = false;
        report.beyond(["rules", r, iid], s.reason, "consequenceCell");
        return fullSet(axisType(i));
      }
      return s.set;
    });
    let outputs: unknown[] | undefined = [];
    doc.outputs.forEach((o, oi) => {
      const raw = rule[o.id];
      if (raw === undefined || isExpr(raw)) {
        outputs = undefined;
        if (isExpr(raw) && o.allowedValues?.length) report.beyond(["rules", r, o.id], { key: "reasonOutputExpr" }, "consequenceOutput");
        return;
      }
      const before = outputCtx.issues.length;
      const value = compileOutput(raw, o.type, outputCtx, ["rules", r, o.id])({ facts: {}, now: undefined, locals: [] });
      if (outputCtx.issues.length > before) {
        outputs = undefined;
        return;
      }
      outputs?.push(value);
      if (o.allowedValues && o.allowedValues.length > 0 && !o.allowedValues.some((a) => valuesEqual(a, value))) {
        report.add("output-not-allowed", "error", ["rules", r, o.id], "outputNotAllowed", {
          output: o.id,
          value: JSON.stringify(value),
          allowed: o.allowedValues.map((a) => JSON.stringify(a)).join(", "),
        });
      }
      void oi;
    });
    return { index: r, id, label, over, exact, outputs };
  });

  const witnessAt = (box: Box, extra: Omit<Witness, "facts" | "inputs">): Witness => {
    const values = pointOf(box);
    const entries: [string, unknown][] = [];
    const inputs: Record<string, unknown> = {};
    let partial = false;
    inputIds.forEach((iid, i) => {
      if (types[i] === undefined) return; // tests nothing (or mixed): any value does
      if (paths[i] === undefined) {
        partial = true;
        return;
      }
      entries.push([paths[i], values[i]]);
      inputs[iid] = values[i];
    });
    if (inputIds.some((_, i) => !analysable[i])) partial = true;
    return { facts: factsOf(entries), inputs, ...(partial ? { partial: true as const } : {}), ...extra };
  };

  const budget: Budget = { steps: 200_000 };
  let complete = report.inputsNotAnalysed.length === 0 && rows.every((r) => r.exact);
  const policy = doc.hitPolicy;
  let overlaps = 0;
  let gapsFound = 0;
  try {
    // Overlaps
    if (policy === "unique" || policy === "any") {
      for (let a = 0; a < rows.length && overlaps < options.maxOverlaps; a++) {
        const ra = rows[a]!;
        if (!ra.exact) continue;
        for (let b = a + 1; b < rows.length && overlaps < options.maxOverlaps; b++) {
          const rb = rows[b]!;
          if (!rb.exact) continue;
          const x = intersectBoxes(ra.over, rb.over);
          if (!x) continue;
          if (policy === "any") {
            if (ra.outputs === undefined || rb.outputs === undefined) {
              complete = false;
              continue;
            }
            if (valuesEqual(ra.outputs, rb.outputs)) continue;
          }
          overlaps++;
          report.add(
            "overlap",
            "error",
            ["rules", b],
            policy === "unique" ? "overlapUnique" : "overlapAny",
            { a: ra.label, b: rb.label, where: describeBox(report, inputIds, x) },
            { witness: witnessAt(x, { matches: [ra.id, rb.id] }), related: [["rules", a]] },
          );
        }
      }
    }

    // Gaps: parts of the input space no row (read generously) covers.
    const universe: Box = inputIds.map((_, i) => fullSet(axisType(i)));
    const gaps = mergeBoxes(uncovered(universe, rows.map((r) => r.over), options.maxGaps * 5, budget)).slice(0, options.maxGaps);
    gapsFound = gaps.length;
    const collect = policy === "collect" || policy === "ruleOrder";
    for (const g of gaps) {
      report.add("gap", collect ? "info" : "warning", ["rules"], collect ? "gapCollect" : "gap", { where: describeBox(report, inputIds, g) }, { witness: witnessAt(g, { matches: [] }) });
    }

    // Rows that never win.
    if (policy === "first" || policy === "priority") {
      const priorityOutputs = doc.outputs.map((o, i) => ({ o, i })).filter(({ o }) => o.allowedValues && o.allowedValues.length > 0);
      const rank = (row: Row): number[] | undefined =>
        row.outputs === undefined
          ? undefined
          : priorityOutputs.map(({ o, i }) => {
              const k = o.allowedValues!.findIndex((a) => valuesEqual(a, row.outputs![i]));
              return k < 0 ? Number.MAX_SAFE_INTEGER : k;
            });
      const beats = (s: Row, r: Row): boolean => {
        if (policy === "first") return s.index < r.index;
        const rs = rank(s);
        const rr = rank(r);
        if (!rs || !rr) return false;
        for (let i = 0; i < rs.length; i++) {
          if (rs[i]! < rr[i]!) return true;
          if (rs[i]! > rr[i]!) return false;
        }
        return s.index < r.index;
      };
      for (const r of rows) {
        if (policy === "priority" && rank(r) === undefined) {
          complete = false;
          continue;
        }
        const better = rows.filter((s) => s !== r && s.exact && beats(s, r));
        if (better.length === 0) continue;
        if (uncovered(r.over, better.map((s) => s.over), 1, budget).length > 0) continue;
        const p = pointBox(r.over);
        const winner = better.filter((s) => containsPoint([s.over], p)).sort((x, y) => (beats(x, y) ? -1 : beats(y, x) ? 1 : 0))[0];
        const by = better.filter((s) => intersectBoxes(s.over, r.over) !== undefined);
        report.add(
          "unreachable-row",
          "warning",
          ["rules", r.index],
          "unreachableRow",
          { row: r.label, by: report.text("rowsList", { list: by.map((s) => s.label).join(", ") }), policy },
          { witness: witnessAt(p, { matches: [r.id, ...(winner ? [winner.id] : [])], ...(winner ? { winner: winner.id } : {}) }), related: by.map((s) => ["rules", s.index]) },
        );
      }
    }
  } catch (e) {
    if (!(e instanceof TooComplex)) throw e;
    report.beyond(["rules"], { key: "reasonTooComplex" }, "consequenceTable");
    complete = false;
  }
  return {
    complete,
    inputsNotAnalysed: [...report.inputsNotAnalysed],
    notAnalysed: [...report.notAnalysed],
    noGaps: complete && gapsFound === 0,
    ...(policy === "unique" || policy === "any" ? { noOverlaps: complete && overlaps === 0 } : {}),
  };
}
