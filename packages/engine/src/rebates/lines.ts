/**
 * Reading one order line: its key, date, account, whether it counts (status
 * and `basis.where`), its basis amount and volume, the modifiers that apply
 * to it, and its breakdown dimensions. The result is plain data, so a line
 * read today and a line recorded in last month's statement are the same thing.
 */
import { parseDecimal, type Decimal } from "../core/decimal.js";
import { daysFromCivil } from "../core/local-date.js";
import { EvaluationError, isRuleflowError } from "../core/errors.js";
import type { Scope } from "../expr/compile.js";
import { parseInstant, readPath } from "../expr/values.js";
import { smallMinorUnits, toMinorUnits } from "../money/amount.js";
import { warningsSince } from "../expr/warnings.js";
import type { RebateWarning } from "./statement.js";
import type { DefinitionLookup } from "../core/context.js";
import type { RebateProgram } from "./program-frame.js";
import type { KeyStore, LineTable } from "./line-table.js";

import type { LineModifier, LineState } from "./line-state.js";

export type { LineModifier, LineState } from "./line-state.js";

const ZERO_VOLUME: Decimal = { units: 0n, scale: 0 };

let lastYear = NaN;
let lastMonth = NaN;
let lastMonthDays = 0;

/**
 * Epoch ms of an order time. The common shape `2026-02-10T10:00:00+08:00`
 * (or `Z`) is read digit by digit; anything else goes to the general parser,
 * which reads a date or time without an offset in the current definition's
 * zone (settlement and quotes run in the program's `timeZone`). An offset
 * beyond ±18:00 or with minutes of 60 or more is not a time (undefined).
 * @internal
 */
export function orderInstant(value: unknown): number | undefined {
  if (typeof value === "string" && (value.length === 25 || value.length === 20) && value.charCodeAt(10) === 84 /* T */) {
    // Digits as small integers (anything else is above 9 once unsigned): no NaN, no doubles.
    const y0 = value.charCodeAt(0) - 48;
    const y1 = value.charCodeAt(1) - 48;
    const y2 = value.charCodeAt(2) - 48;
    const y3 = value.charCodeAt(3) - 48;
    const m0 = value.charCodeAt(5) - 48;
    const m1 = value.charCodeAt(6) - 48;
    const d0 = value.charCodeAt(8) - 48;
    const d1 = value.charCodeAt(9) - 48;
    const h0 = value.charCodeAt(11) - 48;
    const h1 = value.charCodeAt(12) - 48;
    const i0 = value.charCodeAt(14) - 48;
    const i1 = value.charCodeAt(15) - 48;
    const s0 = value.charCodeAt(17) - 48;
    const s1 = value.charCodeAt(18) - 48;
    const digits =
      y0 >>> 0 <= 9 && y1 >>> 0 <= 9 && y2 >>> 0 <= 9 && y3 >>> 0 <= 9 && m0 >>> 0 <= 9 && m1 >>> 0 <= 9 && d0 >>> 0 <= 9 && d1 >>> 0 <= 9 &&
      h0 >>> 0 <= 9 && h1 >>> 0 <= 9 && i0 >>> 0 <= 9 && i1 >>> 0 <= 9 && s0 >>> 0 <= 9 && s1 >>> 0 <= 9;
    const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
    const mo = m0 * 10 + m1;
    const d = d0 * 10 + d1;
    const h = h0 * 10 + h1;
    const mi = i0 * 10 + i1;
    const sec = s0 * 10 + s1;
    const z = value.charCodeAt(19);
    if (
      digits &&
      value.charCodeAt(4) === 45 /* - */ &&
      value.charCodeAt(7) === 45 &&
      value.charCodeAt(13) === 58 /* : */ &&
      value.charCodeAt(16) === 58 &&
      mo >= 1 &&
      mo <= 12 &&
      d >= 1 &&
      d <= 28 &&
      h <= 23 &&
      mi <= 59 &&
      sec <= 59 &&
      y >= 1000
    ) {
      // Days of a cached month, as Date.UTC would count them (d <= 28: every day exists).
      if (y !== lastYear || mo !== lastMonth) {
        lastYear = y;
        lastMonth = mo;
        lastMonthDays = daysFromCivil(y, mo, 1) - 1;
      }
      const t = (lastMonthDays + d) * 86_400_000 + (h * 3600 + mi * 60 + sec) * 1000;
      if (value.length === 20 && z === 90 /* Z */) return t;
      if (value.length === 25 && (z === 43 || z === 45) && value.charCodeAt(22) === 58) {
        // Offsets range as parseInstant's do: at most 18:00, minutes below 60.
        const o0 = value.charCodeAt(20) - 48;
        const o1 = value.charCodeAt(21) - 48;
        const o2 = value.charCodeAt(23) - 48;
        const o3 = value.charCodeAt(24) - 48;
        if (o0 >>> 0 > 9 || o1 >>> 0 > 9 || o2 >>> 0 > 9 || o3 >>> 0 > 9) return undefined;
        const om = o2 * 10 + o3;
        const minutes = (o0 * 10 + o1) * 60 + om;
        if (om < 60 && minutes <= 18 * 60) return z === 43 ? t - minutes * 60_000 : t + minutes * 60_000;
        return undefined;
      }
    }
  }
  return parseInstant(value);
}

/**
 * Begin the key of a line in `keys` from its facts (as {@link lineKeyOf}
 * makes it, with the same error), without making it a string.
 * @internal
 */
export function beginLineKey(frame: RebateProgram, facts: unknown, position: number, keys: KeyStore): void {
  keys.begin();
  for (let i = 0; i < frame.lineKey.length; i++) {
    const v = readPath(facts, frame.lineKey[i]!);
    if (typeof v === "string") {
      if (i) keys.push("/");
      keys.push(v);
    } else if (typeof v === "number") {
      if (i) keys.push("/");
      keys.push(String(v));
    } else lineKeyOf(frame, facts, position);
  }
}

/** The key of a line from its facts. @internal */
export function lineKeyOf(frame: RebateProgram, facts: unknown, position: number): string {
  const parts: string[] = [];
  for (let i = 0; i < frame.lineKey.length; i++) {
    const segs = frame.lineKey[i]!;
    const v = readPath(facts, segs);
    if (typeof v !== "string" && typeof v !== "number") {
      throw new EvaluationError(
        `order line ${position + 1}: ${segs.join(".")} is ${v === undefined || v === null ? "missing" : "not a string or number"}; every line needs its key (lineKey: ${frame.document.lineKey.join(", ")})`,
      );
    }
    parts.push(String(v));
  }
  return parts.join("/");
}

/**
 * Read a line (as `read` does) and move the warnings its reading recorded on
 * `scope` into `out`, each naming the line's position (from 1) and key.
 * @internal
 */
export function collectLineWarnings<T>(scope: Scope, out: RebateWarning[], position: number, key: string, read: () => T): T {
  const before = scope.warnings?.length ?? 0;
  try {
    return read();
  } finally {
    for (const w of warningsSince(scope, before)) out.push({ ...w, line: position + 1, key });
    if (scope.warnings) scope.warnings.length = before;
  }
}

/** How errors name a line: its position in the input and its key, `order line 3 (SO-1001/1)`. @internal */
export function lineLabel(position: number, key: string): string {
  return `order line ${position + 1} (${key})`;
}

/** The account of a line; `where` names the line in errors. @internal */
export function accountOf(frame: RebateProgram, scope: Scope, where: string): string {
  if (!frame.account) return "all";
  const v = frame.account(scope);
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  throw new EvaluationError(`${where}: account (${frame.document.account}) is ${v === undefined || v === null ? "missing" : "not a string or number"}`);
}

const NO_MODS: LineModifier[] = [];
const interned = new WeakMap<RebateProgram, Map<number, LineModifier[]>>();

function internMods(program: RebateProgram, mask: number, list: LineModifier[]): LineModifier[] {
  let byMask = interned.get(program);
  if (!byMask) interned.set(program, (byMask = new Map<number, LineModifier[]>()));
  const seen = byMask.get(mask);
  if (seen) return seen;
  byMask.set(mask, list);
  return list;
}
const WHERE_FAILS = "basis.where does not hold";
const statusText = new Map<string, string>();

/** The line's breakdown dimensions, when the program has any. */
function dimsOf(frame: RebateProgram, scope: Scope): Record<string, unknown> | undefined {
  if (!frame.dims.length) return undefined;
  const dims: Record<string, unknown> = {};
  for (const d of frame.dims) dims[d.name] = d.fn(scope) ?? null;
  return dims;
}

/** Why the line does not count (an excluded status, `basis.where` false), or undefined. */
function exclusionOf(program: RebateProgram, scope: Scope, nowMs: number): string | undefined {
  const status = program.status(scope);
  if (typeof status === "string" && program.exclude.has(status)) {
    let text = statusText.get(status);
    if (text === undefined) statusText.set(status, (text = `status "${status}"`));
    return text;
  }
  return program.where && !program.where(scope, nowMs) ? WHERE_FAILS : undefined;
}

/**
 * Read one line under its program version. `frame` (the newest version)
 * decides the key, account and dimensions, so they stay stable across versions.
 * Every state is built by one object literal, so all lines share one shape.
 * Evaluation errors are prefixed with `where` (default `order line <key>`),
 * so a bad amount names its line and the field it came from.
 * @internal
 */
export function readLine(
  program: RebateProgram,
  frame: RebateProgram,
  scope: Scope,
  nowMs: number,
  key: string,
  date: number,
  lookup: DefinitionLookup | undefined,
  withModifiers = true,
  where = `order line ${key}`,
): LineState {
  try {
    return read(program, frame, scope, nowMs, key, date, lookup, withModifiers, where);
  } catch (e) {
    if (isRuleflowError(e) && e.code === "EVALUATION_ERROR" && !e.message.startsWith("order line ")) {
      throw new EvaluationError(`${where}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

function read(
  program: RebateProgram,
  frame: RebateProgram,
  scope: Scope,
  nowMs: number,
  key: string,
  date: number,
  lookup: DefinitionLookup | undefined,
  withModifiers: boolean,
  where: string,
): LineState {
  const account = accountOf(frame, scope, where);
  const dims = dimsOf(frame, scope);
  const version = program.version;
  const excluded = exclusionOf(program, scope, nowMs);
  if (excluded !== undefined) return { key, account, date, version, excluded, amount: 0n, volume: ZERO_VOLUME, mods: NO_MODS, dims };
  const amount = toMinorUnits(program.amount(scope), program.scale);
  if (typeof amount === "string") throw new EvaluationError(`basis.amount (${program.document.basis.amount}): ${amount}`);
  let volume = ZERO_VOLUME;
  if (program.volume) {
    const v = program.volume(scope);
    if (v !== null && v !== undefined) {
      const d = parseDecimal(v);
      if (!d) throw new EvaluationError(`basis.volume (${program.document.basis.volume}): expected a number, got ${JSON.stringify(v)}`);
      volume = d;
    }
  }
  let mods = NO_MODS;
  if (withModifiers && program.modifiers.length) {
    // Lines with the same literal modifiers share one list, so settlement can reuse their rate.
    let mask = 0;
    let shared = true;
    const list: LineModifier[] = [];
    program.modifiers.forEach((m, i) => {
      if (m.test && !m.test(scope, nowMs)) return;
      mask |= 1 << i;
      if (!m.literal) shared = false;
      list.push({ name: m.name, op: m.op, value: m.value(scope, date, lookup) });
    });
    if (list.length) mods = shared && program.modifiers.length <= 30 ? internMods(program, mask, list) : list;
  }
  return { key, account, date, version, excluded: undefined, amount, volume, mods, dims };
}

/**
 * {@link readLine} into row `row` of a {@link LineTable} (its key already
 * added): the same reading, the same errors, no object per line.
 * `versionIndex` numbers `program` among the settlement's versions.
 * @internal
 */
export function readLineInto(
  table: LineTable,
  row: number,
  program: RebateProgram,
  versionIndex: number,
  frame: RebateProgram,
  scope: Scope,
  nowMs: number,
  date: number,
  lookup: DefinitionLookup | undefined,
  position: number,
): void {
  try {
    readInto(table, row, program, versionIndex, frame, scope, nowMs, date, lookup, position);
  } catch (e) {
    if (isRuleflowError(e) && e.code === "EVALUATION_ERROR" && !e.message.startsWith("order line ")) {
      throw new EvaluationError(`${lineLabel(position, table.keys.pending())}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

/** {@link accountOf}, naming the line only when it fails. */
function accountAt(frame: RebateProgram, scope: Scope, position: number, table: LineTable): string {
  if (!frame.account) return "all";
  const v = frame.account(scope);
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  throw new EvaluationError(`${lineLabel(position, table.keys.pending())}: account (${frame.document.account}) is ${v === undefined || v === null ? "missing" : "not a string or number"}`);
}

function readInto(
  table: LineTable,
  row: number,
  program: RebateProgram,
  versionIndex: number,
  frame: RebateProgram,
  scope: Scope,
  nowMs: number,
  date: number,
  lookup: DefinitionLookup | undefined,
  position: number,
): void {
  const account = accountAt(frame, scope, position, table);
  const dims = dimsOf(frame, scope);
  const version = program.version;
  const excluded = exclusionOf(program, scope, nowMs);
  table.reserve(row);
  table.account[row] = table.accountId(account);
  table.date[row] = date;
  if (table.dims) table.dims[row] = table.dimsId(dims);
  if (excluded !== undefined) {
    table.amount[row] = 0;
    table.group[row] = table.excludedGroup(excluded, versionIndex, version);
    return;
  }
  const raw = program.amount(scope);
  const small = smallMinorUnits(raw, program.scale);
  if (small !== undefined) table.amount[row] = small;
  else {
    const amount = toMinorUnits(raw, program.scale);
    if (typeof amount === "string") throw new EvaluationError(`basis.amount (${program.document.basis.amount}): ${amount}`);
    table.setAmount(row, amount);
  }
  if (program.volume) {
    const v = program.volume(scope);
    if (v !== null && v !== undefined) {
      const d = parseDecimal(v);
      if (!d) throw new EvaluationError(`basis.volume (${program.document.basis.volume}): expected a number, got ${JSON.stringify(v)}`);
      table.setVolume(row, d);
    }
  }
  let mods = NO_MODS;
  let shared = true;
  const modifiers = program.modifiers;
  if (modifiers.length) {
    let literal = modifiers.length <= 30;
    for (let i = 0; literal && i < modifiers.length; i++) literal = modifiers[i]!.literal;
    if (literal) {
      // Literal values only: which modifiers apply decides the list, shared per combination.
      let mask = 0;
      for (let i = 0; i < modifiers.length; i++) {
        const m = modifiers[i]!;
        if (!m.test || m.test(scope, nowMs)) mask |= 1 << i;
      }
      if (mask !== 0) {
        const known = interned.get(program)?.get(mask);
        if (known) mods = known;
        else {
          const list: LineModifier[] = [];
          for (let i = 0; i < modifiers.length; i++) {
            const m = modifiers[i]!;
            if (mask & (1 << i)) list.push({ name: m.name, op: m.op, value: m.value(scope, date, lookup) });
          }
          mods = internMods(program, mask, list);
        }
      }
    } else {
      let mask = 0;
      const list: LineModifier[] = [];
      modifiers.forEach((m, i) => {
        if (m.test && !m.test(scope, nowMs)) return;
        mask |= 1 << i;
        if (!m.literal) shared = false;
        list.push({ name: m.name, op: m.op, value: m.value(scope, date, lookup) });
      });
      if (list.length) {
        shared &&= modifiers.length <= 30;
        mods = shared ? internMods(program, mask, list) : list;
      }
    }
  }
  table.group[row] = table.countedGroup(mods, shared, versionIndex, version);
}

/**
 * Add a line that has no program version at its order time to row `row`:
 * it counts for nothing, with the reason.
 * @internal
 */
export function unpricedLineInto(table: LineTable, row: number, frame: RebateProgram, scope: Scope, date: number, versionIndex: number, reason: string, position: number): void {
  const account = accountAt(frame, scope, position, table);
  table.reserve(row);
  table.account[row] = table.accountId(account);
  table.date[row] = date;
  table.amount[row] = 0;
  if (table.dims) table.dims[row] = -1;
  table.group[row] = table.excludedGroup(reason, versionIndex, 0);
}

/**
 * Add a recorded line (from an earlier statement of the period) to row
 * `row`. `versionIndex` is the table's slot for its version.
 * @internal
 */
export function stateInto(table: LineTable, row: number, s: LineState, versionIndex: number): void {
  table.reserve(row);
  table.account[row] = table.accountId(s.account);
  table.date[row] = s.date;
  if (table.dims) table.dims[row] = table.dimsId(s.dims);
  if (s.excluded !== undefined) {
    table.amount[row] = 0;
    table.group[row] = table.excludedGroup(s.excluded, versionIndex, s.version);
    return;
  }
  table.setAmount(row, s.amount);
  if (s.volume.units !== 0n) table.setVolume(row, s.volume);
  table.group[row] = table.countedGroup(s.mods, false, versionIndex, s.version);
}
