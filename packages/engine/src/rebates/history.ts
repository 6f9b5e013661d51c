/**
 * What earlier statements say: for each period and line, what was paid and
 * the line as it was last recorded. A settlement starts from this record and
 * lays the current order data over it, so a later statement recomputes a
 * closed period without rewriting it, and lines missing from today's data are
 * taken as unchanged (absence is not a return).
 */
import { parseDecimal } from "../core/decimal.js";
import { EvaluationError } from "../core/errors.js";
import { parseInstant } from "../expr/values.js";
import { toMinorUnits } from "../money/amount.js";
import type { LineState } from "./lines.js";
import type { RebateStatement, StatementLine } from "./statement.js";

/** @internal */
export interface History {
  paid: Map<string, Map<string, bigint>>;
  recorded: Map<string, Map<string, LineState>>;
  priors: Map<string, Map<string, bigint>>;
  basis: Map<string, Map<string, bigint>>;
  count: Map<string, number>;
}

function minor(text: unknown, scale: number, where: string): bigint {
  const v = toMinorUnits(text, scale);
  if (typeof v === "string") throw new EvaluationError(`${where}: ${v}`);
  return v;
}

function stateOf(line: StatementLine, scale: number, where: string): LineState {
  const date = parseInstant(line.date);
  if (date === undefined) throw new EvaluationError(`${where}: date ${JSON.stringify(line.date)} is not an ISO-8601 time`);
  return {
    key: line.key,
    account: line.account,
    date,
    version: line.version,
    excluded: line.excluded,
    amount: line.excluded === undefined ? minor(line.basis, scale, where) : 0n,
    volume: parseDecimal(line.volume ?? "0") ?? { units: 0n, scale: 0 },
    mods: line.modifiers.map((m) => ({ name: m.name, op: m.op, value: parseDecimal(m.value) ?? { units: 0n, scale: 0 } })),
    dims: line.dims,
  };
}

function at<K, V>(m: Map<string, Map<K, V>>, period: string): Map<K, V> {
  let inner = m.get(period);
  if (!inner) m.set(period, (inner = new Map<K, V>()));
  return inner;
}

/** Read earlier statements of a program (any order). @internal */
export function readHistory(previous: readonly RebateStatement[], programId: string, scale: number): History {
  const h: History = { paid: new Map(), recorded: new Map(), priors: new Map(), basis: new Map(), count: new Map() };
  previous.forEach((s, i) => {
    if (s?.kind !== "rebate-statement" || s.program !== programId || !Array.isArray(s.lines) || !Array.isArray(s.adjustments)) {
      throw new EvaluationError(`previous[${i}] is not a statement of rebate program "${programId}"`);
    }
  });
  const ordered = [...previous].sort((a, b) => (a.settledAt < b.settledAt ? -1 : a.settledAt > b.settledAt ? 1 : a.sequence - b.sequence));
  for (const s of ordered) {
    h.count.set(s.period, (h.count.get(s.period) ?? 0) + 1);
    const where = `statement ${s.period} #${s.sequence}`;
    const paid = at(h.paid, s.period);
    const rec = at(h.recorded, s.period);
    for (const line of s.lines) {
      paid.set(line.key, (paid.get(line.key) ?? 0n) + minor(line.due, scale, `${where} line ${line.key}`));
      rec.set(line.key, stateOf(line, scale, `${where} line ${line.key}`));
    }
    const priors = at(h.priors, s.period);
    const basis = at(h.basis, s.period);
    for (const a of s.accounts) {
      if (a.prior !== undefined) priors.set(a.account, minor(a.prior, scale, where));
      basis.set(a.account, minor(a.basis, scale, where));
    }
    for (const adj of s.adjustments) {
      const p = at(h.paid, adj.period);
      p.set(adj.key, (p.get(adj.key) ?? 0n) + minor(adj.due, scale, `${where} adjustment ${adj.key}`));
      at(h.recorded, adj.period).set(adj.key, stateOf(adj, scale, `${where} adjustment ${adj.key}`));
    }
    for (const r of s.rechecks ?? []) at(h.basis, r.period).set(r.account, minor(r.basisNow, scale, where));
  }
  return h;
}
