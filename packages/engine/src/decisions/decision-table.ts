/**
 * Decision tables: input expressions, unary-test cells compiled to
 * predicates once, rows indexed by the most selective equality column, and
 * the DMN hit policies.
 */
import { makeScope } from "../conditions/compile.js";
import { expressionIssue } from "../conditions/compile.js";
import { catalogueIssue } from "../i18n/issues.js";
import { decisionMessages } from "../i18n/messages/decisions.js";
import { DecisionError, EvaluationError, formatPath } from "../core/errors.js";
import { compileExpression, type Evaluator, type Scope } from "../expr/compile.js";
import { compareValues, FORBIDDEN_NAMES, valuesEqual } from "../expr/values.js";
import { describeOperand, isParams, keyedWarning, pushKeyedWarning, warningsSince } from "../expr/warnings.js";
import type { DecisionTableDocument } from "../schema/decision-table.js";
import { addDecimals, compareDecimals, formatDecimal, isNumericString, parseDecimal, toDecimal, type Decimal } from "../core/decimal.js";
import { compileOutput, type OutputFn, type OutputType } from "./outputs.js";
import type { DecisionResult, MatchedRule, RowTrace } from "./types.js";
import { CellSyntaxError, compileUnaryTest, equalityKeys, isOrderingTest, parseUnaryTest, type UnaryTest } from "./unary-tests.js";
import type { CompileContext, EvaluateDefinitionOptions, EvaluationWarning } from "../core/context.js";

interface CompiledRow {
  readonly index: number;
  readonly id: string;
  /** Per input: predicate, or undefined for "-". */
  readonly tests: readonly (((v: unknown) => boolean) | undefined)[];
  readonly cellText: readonly string[];
  /** Per input: the cell's path (`rules[3].amount`) and whether it orders its input. */
  readonly cellPaths: readonly string[];
  readonly ordering: readonly boolean[];
  readonly outputs: readonly OutputFn[];
  /** Literal outputs (for priority ranks known at compile time). */
  readonly literalOutputs: readonly unknown[] | undefined;
}

/** A compiled decision table. */
export interface CompiledDecisionTable {
  readonly kind: "decision-table";
  readonly id: string;
  readonly version: number;
  readonly document: DecisionTableDocument;
  /** Evaluate against facts. Synchronous and side-effect free. */
  evaluate(facts: unknown, options?: EvaluateDefinitionOptions): DecisionResult;
  /** @internal */
  readonly evaluateScope: (scope: Scope, trace: boolean) => DecisionResult;
}

const RESERVED = new Set(["id", "description"]);

/**
 * The index key of a cell value or an input: numbers and decimal strings
 * that are equal (`68000`, `"68000.00"`) share one key, so an indexed lookup
 * never misses a row the cell test would accept. Numbers written without an
 * exponent are their own key (no allocation on the hot path).
 */
function indexKey(v: unknown): unknown {
  if (typeof v === "number") {
    const a = Math.abs(v);
    if (a === 0 || (a >= 1e-6 && a < 1e21)) return v;
  } else if (typeof v !== "bigint" && !isNumericString(v)) return v;
  const d = toDecimal(v);
  if (d === undefined) return v;
  let units = d.units;
  let scale = d.scale;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, "0");
  const text = `${neg ? "-" : ""}${digits.slice(0, digits.length - scale)}${scale ? `.${digits.slice(digits.length - scale)}` : ""}`;
  const n = Number(text);
  return String(n) === text || (n === 0 && text === "0") ? n : `\u0000${text}`;
}

interface RowIndex {
  column: number;
  byKey: Map<unknown, readonly CompiledRow[]>;
  fallback: readonly CompiledRow[];
}

/** Build an index on the equality column that splits the rows best. */
function buildIndex(rows: readonly CompiledRow[], parsed: readonly (readonly UnaryTest[])[], inputCount: number): RowIndex | undefined {
  if (rows.length < 8) return undefined;
  let best: RowIndex | undefined;
  let bestSize = rows.length;
  for (let col = 0; col < inputCount; col++) {
    const keysPerRow = parsed.map((cells) => (cells[col]!.kind === "any" ? null : equalityKeys(cells[col]!)));
    if (keysPerRow.some((k) => k === undefined)) continue;
    const keys = new Set<unknown>();
    for (const k of keysPerRow) if (k) for (const v of k) keys.add(indexKey(v));
    if (keys.size < 2) continue;
    const byKey = new Map<unknown, CompiledRow[]>();
    const fallback: CompiledRow[] = [];
    for (const key of keys) byKey.set(key, []);
    rows.forEach((row, i) => {
      const k = keysPerRow[i];
      if (k === null) {
        fallback.push(row);
        for (const list of byKey.values()) list.push(row);
      } else for (const v of new Set(k!.map(indexKey))) byKey.get(v)!.push(row);
    });
    let largest = fallback.length;
    for (const list of byKey.values()) largest = Math.max(largest, list.length);
    if (largest < bestSize) {
      bestSize = largest;
      best = { column: col, byKey, fallback };
    }
  }
  return best && bestSize <= rows.length / 2 ? best : undefined;
}

function aggregate(kind: "sum" | "min" | "max" | "count", type: OutputType, values: unknown[], table: string): unknown {
  if (kind === "count") return values.length;
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return null;
  if (type === "decimal") {
    const ds = present.map((v) => parseDecimal(v)) as Decimal[];
    if (kind === "sum") return formatDecimal(ds.reduce(addDecimals));
    const pick = ds.reduce((a, b) => (compareDecimals(a, b) * (kind === "min" ? 1 : -1) <= 0 ? a : b));
    return formatDecimal(pick);
  }
  if (kind === "sum") {
    let t = 0;
    for (const v of present) {
      if (typeof v !== "number") throw new DecisionError(table, [], `collect sum needs numbers, got ${JSON.stringify(v)}`);
      t += v;
    }
    return t;
  }
  let best = present[0];
  for (const v of present.slice(1)) {
    const c = compareValues(v, best);
    if (c === undefined) throw new DecisionError(table, [], `collect ${kind} cannot compare ${JSON.stringify(v)} with ${JSON.stringify(best)}`);
    if ((kind === "min" && c < 0) || (kind === "max" && c > 0)) best = v;
  }
  return best;
}

/**
 * Compile a validated decision table document. Problems are added to
 * `ctx.issues`; the caller refuses to load the table when there are any.
 * @internal
 */
export function compileDecisionTableInto(doc: DecisionTableDocument, ctx: CompileContext): CompiledDecisionTable {
  const inputs: Evaluator[] = doc.inputs.map((input, i) => {
    try {
      return compileExpression(input.expr, { knownFacts: ctx.knownFacts, where: formatPath(["inputs", i, "expr"]) }).run;
    } catch (e) {
      ctx.issues.push(expressionIssue(e, ["inputs", i, "expr"]));
      return () => null;
    }
  });
  const inputIds = doc.inputs.map((i) => i.id);
  const outputIds = doc.outputs.map((o) => o.id);
  const columns = new Set([...inputIds, ...outputIds]);
  const seen = new Set<string>();
  [...doc.inputs, ...doc.outputs].forEach((c, i) => {
    const inInputs = i < doc.inputs.length;
    // Column ids become keys of outputs and traces, where "__proto__" would replace the prototype.
    if (FORBIDDEN_NAMES.has(c.id)) {
      ctx.issues.push(
        catalogueIssue(decisionMessages, "reservedColumn", inInputs ? ["inputs", i, "id"] : ["outputs", i - doc.inputs.length, "id"], { id: c.id }, "reserved_name"),
      );
    }
    if (seen.has(c.id)) {
      ctx.issues.push(
        catalogueIssue(decisionMessages, "duplicateColumn", inInputs ? ["inputs", i, "id"] : ["outputs", i - doc.inputs.length, "id"], { id: c.id }, "duplicate_column"),
      );
    }
    seen.add(c.id);
  });

  const priorityOutputs = doc.outputs.map((o, i) => ({ o, i })).filter(({ o }) => o.allowedValues && o.allowedValues.length > 0);
  if (doc.hitPolicy === "priority" && priorityOutputs.length === 0) {
    ctx.issues.push(catalogueIssue(decisionMessages, "priorityNeedsAllowed", ["outputs"], {}, "missing_priority"));
  }
  if (doc.aggregation && doc.hitPolicy !== "collect") {
    ctx.issues.push(catalogueIssue(decisionMessages, "aggregationNotCollect", ["aggregation"], {}, "invalid_aggregation"));
  }
  if (doc.aggregation && doc.outputs.length !== 1) {
    ctx.issues.push(catalogueIssue(decisionMessages, "aggregationOneOutput", ["aggregation"], {}, "invalid_aggregation"));
  }
  if (doc.aggregation && doc.aggregation !== "count") {
    const t = doc.outputs[0]?.type;
    if (doc.aggregation === "sum" && t !== "number" && t !== "decimal") {
      ctx.issues.push(catalogueIssue(decisionMessages, "aggregationSumType", ["outputs", 0, "type"], { type: t ?? "none" }, "invalid_aggregation"));
    }
  }

  const parsedCells: UnaryTest[][] = [];
  const rows: CompiledRow[] = doc.rules.map((rule, r) => {
    for (const key of Object.keys(rule)) {
      if (!columns.has(key) && !RESERVED.has(key)) {
        ctx.issues.push(catalogueIssue(decisionMessages, "unknownColumn", ["rules", r, key], { key, "columns[]": JSON.stringify([...columns]) }, "unknown_column"));
      }
    }
    const idCell = rule["id"];
    if (idCell !== undefined && typeof idCell !== "string") {
      ctx.issues.push(catalogueIssue(decisionMessages, "ruleIdString", ["rules", r, "id"], {}, "invalid_type"));
    }
    const cells: UnaryTest[] = [];
    const texts: string[] = [];
    const tests = inputIds.map((id) => {
      const raw = Object.hasOwn(rule, id) ? rule[id] : "-";
      texts.push(typeof raw === "string" ? raw : JSON.stringify(raw));
      if (raw !== null && typeof raw === "object") {
        ctx.issues.push(catalogueIssue(decisionMessages, "cellNotUnaryTest", ["rules", r, id], {}, "invalid_cell"));
        cells.push({ kind: "any" });
        return undefined;
      }
      try {
        const t = parseUnaryTest(raw as string | number | boolean | null);
        cells.push(t);
        return t.kind === "any" ? undefined : compileUnaryTest(t);
      } catch (e) {
        ctx.issues.push(
          e instanceof CellSyntaxError
            ? catalogueIssue(decisionMessages, e.messageKey, ["rules", r, id], e.params, "invalid_cell")
            : { code: "invalid_cell", path: ["rules", r, id], message: String(e) },
        );
        cells.push({ kind: "any" });
        return undefined;
      }
    });
    parsedCells.push(cells);
    let allLiteral = true;
    const literalOutputs: unknown[] = [];
    const outputs = doc.outputs.map((o, oi) => {
      if (!Object.hasOwn(rule, o.id)) {
        ctx.issues.push(catalogueIssue(decisionMessages, "missingOutput", ["rules", r, o.id], { id: o.id }, "missing_output"));
        return () => null;
      }
      const raw = rule[o.id];
      const isExpr = typeof raw === "object" && raw !== null && !Array.isArray(raw) && "expr" in raw;
      if (isExpr) allLiteral = false;
      const fn = compileOutput(raw, o.type, ctx, ["rules", r, o.id]);
      if (!isExpr) {
        const value = fn({ facts: {}, now: undefined, locals: [] });
        literalOutputs.push(value);
        if (o.allowedValues && !o.allowedValues.some((a) => valuesEqual(a, value))) {
          ctx.issues.push(
            catalogueIssue(
              decisionMessages,
              "notAllowed",
              ["rules", r, o.id],
              { value: JSON.stringify(value), id: o.id, "allowed[]": JSON.stringify(o.allowedValues.map((a) => JSON.stringify(a))) },
              "not_allowed",
            ),
          );
        }
      }
      void oi;
      return fn;
    });
    return {
      index: r,
      id: typeof idCell === "string" ? idCell : `row-${r + 1}`,
      tests,
      cellText: texts,
      cellPaths: inputIds.map((iid) => formatPath(["rules", r, iid])),
      ordering: cells.map(isOrderingTest),
      outputs,
      literalOutputs: allLiteral ? literalOutputs : undefined,
    };
  });

  const index = buildIndex(rows, parsedCells, inputIds.length);
  const { id, version, hitPolicy, aggregation } = doc;

  const outputOf = (row: CompiledRow, s: Scope): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < outputIds.length; i++) out[outputIds[i]!] = row.outputs[i]!(s);
    return out;
  };

  const rank = (output: Record<string, unknown>): number[] =>
    priorityOutputs.map(({ o }) => {
      const k = o.allowedValues!.findIndex((a) => valuesEqual(a, output[o.id]));
      return k < 0 ? Number.MAX_SAFE_INTEGER : k;
    });

  // Per input: one literal of each kind its ordering cells compare with (number, date, text, boolean), and
  // the paths of those cells. Inputs are checked against them once per evaluation, before any row, so an
  // error or warning never depends on which rows the index or the hit policy let run.
  const orderingChecks = inputIds.map((iid, i) => {
    const reps: { literal: unknown; path: string; cell: string }[] = [];
    const paths: string[] = [];
    parsedCells.forEach((cells, r) => {
      const cell = cells[i]!;
      if (!isOrderingTest(cell) || cell.kind !== "list") return;
      paths.push(formatPath(["rules", r, iid]));
      for (const t of cell.tests) {
        const literals = t.kind === "range" ? [t.low, t.high] : t.kind === "cmp" && t.op !== "!=" ? [t.value] : [];
        for (const literal of literals) {
          if (literal === null || literal === undefined) continue;
          if (!reps.some((x) => compareValues(x.literal, literal) !== undefined)) {
            reps.push({ literal, path: formatPath(["rules", r, iid]), cell: rows[r]!.cellText[i]! });
          }
        }
      }
    });
    return paths.length ? { reps, paths } : undefined;
  });

  const checkInputs = (values: unknown[], s: Scope): void => {
    for (let i = 0; i < orderingChecks.length; i++) {
      const c = orderingChecks[i];
      if (c === undefined) continue;
      const v = values[i];
      if (v === undefined || v === null) {
        const cells = c.paths.length > 3 ? { "cells@": "cellsAndMore", "first[]": JSON.stringify(c.paths.slice(0, 3)), more: c.paths.length - 3 } : { "cells[]": JSON.stringify(c.paths) };
        pushKeyedWarning(s, "missing_value", formatPath(["inputs", i]), "tableInput", { input: inputIds[i]!, ...isParams("is", v), ...cells });
        continue;
      }
      for (const rep of c.reps) {
        if (compareValues(v, rep.literal) === undefined) {
          throw new EvaluationError(
            `${rep.path}: input ${inputIds[i]} is ${describeOperand(v)}, which cannot be compared with the cell ${rep.cell}; a number must be a number or a plain decimal string such as "1234.50"`,
          );
        }
      }
    }
  };

  const rowMatches = (row: CompiledRow, values: unknown[]): boolean => {
    const tests = row.tests;
    for (let i = 0; i < tests.length; i++) {
      const t = tests[i];
      if (t !== undefined && !t(values[i])) return false;
    }
    return true;
  };

  const decide = (matched: MatchedRule[], s: Scope): DecisionResult["output"] => {
    switch (hitPolicy) {
      case "unique":
        if (matched.length > 1) {
          throw new DecisionError(
            id,
            matched.map((m) => m.id),
            `decision table "${id}" v${version} has hit policy "unique" but rules ${matched
              .map((m) => `"${m.id}" (row ${m.index + 1})`)
              .join(" and ")} all match; make their conditions exclusive or use hit policy "first" or "priority"`,
          );
        }
        return matched[0]?.output ?? null;
      case "first":
        return matched[0]?.output ?? null;
      case "any": {
        const first = matched[0];
        for (const m of matched.slice(1)) {
          if (!valuesEqual(m.output, first!.output)) {
            throw new DecisionError(
              id,
              [first!.id, m.id],
              `decision table "${id}" v${version} has hit policy "any" but rules "${first!.id}" and "${m.id}" match with different outputs`,
            );
          }
        }
        return first?.output ?? null;
      }
      case "priority": {
        let best: MatchedRule | undefined;
        let bestRank: number[] = [];
        for (const m of matched) {
          const r = rank(m.output);
          let better = best === undefined;
          for (let i = 0; !better && i < r.length; i++) {
            if (r[i]! < bestRank[i]!) better = true;
            else if (r[i]! > bestRank[i]!) break;
          }
          if (better) {
            best = m;
            bestRank = r;
          }
        }
        return best?.output ?? null;
      }
      case "collect":
        if (aggregation) {
          const out = doc.outputs[0]!;
          return { [out.id]: aggregate(aggregation, out.type, matched.map((m) => m.output[out.id]), id) };
        }
        return matched.map((m) => m.output);
      case "ruleOrder":
        return matched.map((m) => m.output);
    }
    void s;
    return null;
  };

  const evaluateScope = (s: Scope, trace: boolean): DecisionResult => {
    const warnedBefore = s.warnings?.length ?? 0;
    const values = new Array<unknown>(inputs.length);
    for (let i = 0; i < inputs.length; i++) values[i] = inputs[i]!(s);
    checkInputs(values, s);
    const candidates = index ? (index.byKey.get(indexKey(values[index.column])) ?? index.fallback) : rows;
    const matched: MatchedRule[] = [];
    // Tracing shows every row, but only the rows evaluating would use produce outputs.
    const stopAtFirst = hitPolicy === "first";
    for (let i = 0; i < candidates.length; i++) {
      const row = candidates[i]!;
      if (rowMatches(row, values)) {
        matched.push({ index: row.index, id: row.id, output: outputOf(row, s) });
        if (stopAtFirst) break;
      }
    }
    const output = decide(matched, s);
    const result: DecisionResult = {
      kind: "decision-table",
      id,
      version,
      at: s.now ?? "",
      hitPolicy: aggregation ? `collect ${aggregation}` : hitPolicy,
      output,
      matched: hitPolicy === "first" ? matched.slice(0, 1) : matched,
      warnings: [],
    };
    if (trace) {
      const inputsTrace: Record<string, unknown> = {};
      inputIds.forEach((iid, i) => (inputsTrace[iid] = values[i] ?? null));
      const rowTraces: RowTrace[] = rows.map((row) => {
        const cells = row.tests.map((t, i) => {
          const v = values[i];
          const missing = (v === undefined || v === null) && row.ordering[i];
          const warnings: EvaluationWarning[] | undefined = missing
            ? [keyedWarning("missing_value", row.cellPaths[i]!, "tableCell", { input: inputIds[i]!, ...isParams("is", v), test: row.cellText[i]! })]
            : undefined;
          return { input: inputIds[i]!, test: row.cellText[i]!, actual: v ?? null, passed: t === undefined || t(v), ...(warnings ? { warnings } : {}) };
        });
        return { index: row.index, id: row.id, matched: cells.every((c) => c.passed), cells };
      });
      result.trace = { inputs: inputsTrace, rules: rowTraces };
    }
    result.warnings = warningsSince(s, warnedBefore);
    return result;
  };

  return {
    kind: "decision-table",
    id,
    version,
    document: doc,
    evaluateScope,
    evaluate(facts, options) {
      const { scope } = makeScope(facts, options?.at, options?.maxSteps);
      return evaluateScope(scope, options?.trace === true);
    },
  };
}
