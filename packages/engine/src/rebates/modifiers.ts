/**
 * Rate modifiers of a rebate program: multiply the rate or add to it, for
 * lines where a condition holds, by a literal decimal or by a decision table
 * looked up by id at the order's time (tier x product line x payment rate).
 */
import { compileNode } from "../conditions/compile.js";
import type { CompiledDecisionTable } from "../decisions/decision-table.js";
import { parseDecimal, type Decimal } from "../core/decimal.js";
import { EvaluationError } from "../core/errors.js";
import type { Scope } from "../expr/compile.js";
import { withDefinitionLookup } from "../expr/time-context.js";
import { parseInstant } from "../expr/values.js";
import type { Ratio } from "../money/ratio.js";
import { pow10 } from "../money/rounding.js";
import type { RebateModifier } from "../schema/rebate.js";
import type { CompileContext, DefinitionLookup, EvaluationWarning } from "../core/context.js";

/** A modifier applied to one line, as statements show it. */
export interface AppliedModifier {
  name: string;
  op: "multiply" | "add";
  value: string;
}

/** @internal */
export interface CompiledModifier {
  readonly name: string;
  readonly op: "multiply" | "add";
  readonly test: ((scope: Scope, nowMs: number) => boolean) | undefined;
  /** True when the value is a literal (the same for every line). */
  readonly literal: boolean;
  /** The modifier's decimal for one line at its order time. */
  readonly value: (scope: Scope, orderMs: number, lookup: DefinitionLookup | undefined) => Decimal;
}

/** Compile modifiers; problems go to `ctx.issues`. @internal */
export function compileModifiers(list: readonly RebateModifier[], ctx: CompileContext, programId: string): CompiledModifier[] {
  return list.map((m, i) => {
    const path = ["modifiers", i];
    const name = m.name ?? `modifiers[${i}]`;
    const op = m.multiply !== undefined ? "multiply" : "add";
    const where = `modifiers[${i}].${op}`;
    const source = (m.multiply ?? m.add)!;
    const cond = m.when ? compileNode(m.when, ctx, [...path, "when"]) : undefined;
    if (typeof source === "string") {
      const d = parseDecimal(source)!;
      return { name, op, test: cond?.run, literal: true, value: () => d };
    }
    const fallback = source.default === undefined ? undefined : parseDecimal(source.default)!;
    // The table effective at one order time stays effective for a while: keep it with its window.
    let cached: { table: CompiledDecisionTable; from: number; to: number } | undefined;
    const table = (orderMs: number, lookup: DefinitionLookup | undefined): CompiledDecisionTable => {
      if (cached && cached.from <= orderMs && orderMs < cached.to) return cached.table;
      if (!lookup) {
        throw new EvaluationError(`rebate "${programId}" ${name} looks up decision table "${source.table}": pass { definitions } (a registry) to resolve it`);
      }
      const found = lookup.resolve(source.table, new Date(orderMs).toISOString());
      if (found.kind !== "decision-table") throw new EvaluationError(`rebate "${programId}" ${name}: "${source.table}" is a ${found.kind}, not a decision table`);
      // A compiled definition of kind "decision-table" is a CompiledDecisionTable.
      const def = found as CompiledDecisionTable;
      const eff = def.document.effective;
      cached = { table: def, from: eff?.from ? parseInstant(eff.from)! : -Infinity, to: eff?.to ? parseInstant(eff.to)! : Infinity };
      return def;
    };
    return {
      name,
      op,
      test: cond?.run,
      literal: false,
      value: (scope, orderMs, lookup) => {
        const t = table(orderMs, lookup);
        // The table reads dates in its own zone (UTC unless it names one), not the program's.
        const before = scope.warnings?.length ?? 0;
        const out = withDefinitionLookup(lookup, () => t.evaluateScope(scope, false)).output;
        const list = scope.warnings;
        // Its warnings name this modifier, and the table and cell they came from.
        if (list) for (let w = before; w < list.length; w++) list[w] = { ...list[w]!, path: where, table: { id: t.id, version: t.version, path: list[w]!.path } } as EvaluationWarning;
        const row = Array.isArray(out) ? out[0] : out;
        const raw = row ? row[source.output] : undefined;
        if (raw === undefined || raw === null) {
          if (fallback) return fallback;
          throw new EvaluationError(`rebate "${programId}" ${name}: decision table "${source.table}" v${t.version} gave no "${source.output}" for this line; add a catch-all row or a "default"`);
        }
        const d = parseDecimal(raw);
        if (!d) throw new EvaluationError(`rebate "${programId}" ${name}: "${source.table}".${source.output} is ${JSON.stringify(raw)}, not a decimal`);
        return d;
      },
    };
  });
}

/** Apply one modifier to a rate, exactly. @internal */
export function applyModifier(rate: Ratio, op: "multiply" | "add", v: Decimal): Ratio {
  const p = pow10(v.scale);
  return op === "multiply" ? { n: rate.n * v.units, d: rate.d * p } : { n: rate.n * p + v.units * rate.d, d: rate.d * p };
}
