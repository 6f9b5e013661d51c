/**
 * {@link computePeriod} over a {@link LineTable}: the same arithmetic, the
 * same results to the last minor unit, without an object per line.
 *
 * Per account, lines of one group (version and modifier list) share a rate,
 * so the exact total is the sum over groups of rate × the group's basis. The
 * split of the rounded total over the lines (floors, then the leftover units
 * to the largest remainders, ties to the earlier line) runs in doubles when
 * every intermediate value is an integer below 2^52, where doubles are exact,
 * and with BigInt (the general {@link distribute}) otherwise.
 */
import type { Decimal } from "../core/decimal.js";
import { distribute } from "../money/allocate.js";
import { lcm, reduceRatio, type Ratio } from "../money/ratio.js";
import { divideRounded } from "../money/rounding.js";
import { lineRate, sumVolumes, versionStanding, type AccountResult, type VersionStanding } from "./compute.js";
import type { LineTable } from "./line-table.js";
import type { AccountMeasure } from "./tiers.js";
import type { RebateProgram } from "./program-frame.js";

/** Below this, integer arithmetic in doubles is exact with room to spare. */
const SAFE = 2 ** 52;

/** A counted line's standing and rate, shared by the lines of one group in one account. @internal */
interface Priced {
  readonly standing: VersionStanding;
  readonly rate: Ratio;
}

/** A period computed from a table. @internal */
export interface TableResult {
  accounts: AccountResult[];
  /** What each row earns, minor units (exact; NaN where it is in `bigEarned`); 0 for excluded rows. */
  earned: Float64Array;
  bigEarned: Map<number, bigint>;
  /** Per account id: group id -> standing and rate. */
  priced: Map<number, Priced>[];
}

/** What row `row` earns, exactly. @internal */
export function earnedOf(r: TableResult, row: number): bigint {
  const e = r.earned[row]!;
  return e === e ? BigInt(e) : r.bigEarned.get(row)!;
}

function setEarned(r: TableResult, row: number, v: bigint): void {
  if (v >= -Number.MAX_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER) r.earned[row] = Number(v);
  else {
    r.earned[row] = NaN;
    r.bigEarned.set(row, v);
  }
}

/**
 * Compute the period of the table's rows, taken in `order` (all rows in row
 * order when undefined). `frame` governs rounding and the cap.
 * @internal
 */
export function computeTable(
  t: LineTable,
  order: Int32Array | undefined,
  programs: ReadonlyMap<number, RebateProgram>,
  frame: RebateProgram,
  priors: ReadonlyMap<string, bigint>,
): TableResult {
  const n = t.count;
  const counts = t.groups.map((g) => g.excluded === undefined);
  const accountCount = t.accountNames.length;
  // Counted rows per account, in order: counting sort by account.
  const start = new Int32Array(accountCount + 1);
  for (let k = 0; k < n; k++) {
    const row = order ? order[k]! : k;
    if (counts[t.group[row]!]) start[t.account[row]! + 1]!++;
  }
  for (let a = 0; a < accountCount; a++) start[a + 1]! += start[a]!;
  // Rows by account (in order within each); each account's amounts and groups are gathered beside it below.
  const total = start[accountCount]!;
  const rows = new Int32Array(total);
  const fill = start.slice(0, accountCount);
  for (let k = 0; k < n; k++) {
    const row = order ? order[k]! : k;
    if (counts[t.group[row]!]) rows[fill[t.account[row]!]!++] = row;
  }
  const ids: number[] = [];
  for (let a = 0; a < accountCount; a++) if (start[a + 1]! > start[a]!) ids.push(a);
  const names = t.accountNames;
  ids.sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));

  const result: TableResult = { accounts: [], earned: new Float64Array(Math.max(n, 1)), bigEarned: new Map(), priced: new Array<Map<number, Priced>>(accountCount) };
  const q = frame.quantum;
  const qN = Number(q);
  const capQ = frame.cap === undefined ? undefined : (frame.cap / q) * q;
  // Per group, reused across accounts: basis sum, largest |amount|, sum of |amount|, and the account it was last seen in.
  const G = t.groups.length;
  const gSum = new Float64Array(G);
  const gMax = new Float64Array(G);
  const gAbs = new Float64Array(G);
  const gSeen = new Int32Array(G).fill(-1);
  const gMult = new Float64Array(G);
  // Work space, sized for the largest account and shared by all: its amounts and groups, and the split's three numbers a line.
  let amount = new Float64Array(0);
  let groupOf = new Int32Array(0);
  let scratch = new Float64Array(0);
  const tableAmount = t.amount;
  const tableGroup = t.group;
  for (const account of ids) {
    const at = start[account]!;
    const count = start[account + 1]! - at;
    if (amount.length < count) {
      amount = new Float64Array(Math.max(count, amount.length * 2));
      groupOf = new Int32Array(amount.length);
    }
    for (let k = 0; k < count; k++) {
      const row = rows[at + k]!;
      amount[k] = tableAmount[row]!;
      groupOf[k] = tableGroup[row]!;
    }
    // From here on, k indexes the account's lines (0 to count), rows[at + k] is the row.
    // Basis, and each group's sums, in doubles while exact.
    const present: number[] = [];
    let exact = true;
    for (let k = 0; k < count; k++) {
      const g = groupOf[k]!;
      const a = amount[k]!;
      if (gSeen[g] !== account) {
        gSeen[g] = account;
        present.push(g);
        gSum[g] = 0;
        gMax[g] = 0;
        gAbs[g] = 0;
      }
      if (a !== a) exact = false;
      gSum[g]! += a;
      const abs = a < 0 ? -a : a;
      gAbs[g]! += abs;
      if (abs > gMax[g]!) gMax[g] = abs;
    }
    let absAll = 0;
    for (const g of present) absAll += gAbs[g]!;
    if (absAll > SAFE) exact = false;
    const groupBasis = new Map<number, bigint>();
    let basis = 0n;
    if (exact) {
      for (const g of present) {
        const b = BigInt(gSum[g]!);
        groupBasis.set(g, b);
        basis += b;
      }
    } else {
      for (const g of present) groupBasis.set(g, 0n);
      for (let k = 0; k < count; k++) {
        const a = t.amountOf(rows[at + k]!);
        groupBasis.set(groupOf[k]!, groupBasis.get(groupOf[k]!)! + a);
        basis += a;
      }
    }
    let volume: Decimal = { units: 0n, scale: 0 };
    if (t.volumes) for (let k = 0; k < count; k++) volume = sumVolumes(volume, t.volumes[rows[at + k]!] ?? volume0);
    const name = names[account]!;
    const measure: AccountMeasure = { basis, volume, prior: priors.get(name) };
    const standings = new Map<number, VersionStanding>();
    const priced = new Map<number, Priced>();
    let D = 1n;
    for (const g of present) {
      const group = t.groups[g]!;
      let st = standings.get(group.version);
      if (!st) standings.set(group.version, (st = versionStanding(programs, measure, group.version)));
      const rate = lineRate(st, group.mods);
      priced.set(g, { standing: st, rate });
      if (D % rate.d !== 0n) D = lcm(D, rate.d);
    }
    result.priced[account] = priced;
    let total = 0n;
    const mults = new Map<number, bigint>();
    for (const g of present) {
      const rate = priced.get(g)!.rate;
      const m = rate.n * (D / rate.d);
      mults.set(g, m);
      total += m * groupBasis.get(g)!;
    }
    const Dq = D * q;
    let units = divideRounded(total, Dq, frame.mode);
    let capped = false;
    if (capQ !== undefined && units * q > capQ) {
      units = capQ / q;
      capped = true;
    }
    // Doubles are exact when every product, the floors' sum and the results stay below 2^52.
    let fast = exact && !capped && Dq <= BigInt(SAFE);
    let bound = 0;
    if (fast) {
      for (const g of present) {
        const m = mults.get(g)!;
        if (m > BigInt(SAFE) || m < -BigInt(SAFE)) fast = false;
        else {
          const mN = Number(m);
          gMult[g] = mN;
          const absM = mN < 0 ? -mN : mN;
          if (gMax[g]! * absM > SAFE) fast = false;
          bound += gAbs[g]! * absM;
        }
      }
      const DqN = Number(Dq);
      const unitsN = Number(units);
      if (fast && (bound / DqN + count + 1 > SAFE || (Math.abs(unitsN) + count) * qN > SAFE)) fast = false;
    }
    if (fast) {
      if (scratch.length < 3 * count) scratch = new Float64Array(Math.max(3 * count, scratch.length * 2));
      splitFast(result, rows.subarray(at, at + count), count, amount, groupOf, gMult, Number(Dq), Number(units), qN, scratch);
    }
    else {
      const nums = new Array<bigint>(count);
      for (let k = 0; k < count; k++) nums[k] = t.amountOf(rows[at + k]!) * mults.get(groupOf[k]!)!;
      const parts = capped ? distribute(nums.map((x) => x * units), total, units) : distribute(nums, Dq, units);
      for (let k = 0; k < count; k++) setEarned(result, rows[at + k]!, parts[k]! * q);
    }
    result.accounts.push({
      account: name,
      measure,
      lines: count,
      standings: [...standings.values()].sort((a, b) => a.version - b.version),
      exact: reduceRatio({ n: total, d: D }),
      earned: units * q,
      capped,
      cap: capQ,
    });
  }
  return result;
}

const volume0: Decimal = { units: 0n, scale: 0 };

/**
 * {@link distribute} of `units` over the rows' exact shares amount × mult / Dq,
 * in doubles (every value an integer below 2^52): each row gets its share's
 * floor, and the units left go one each to the largest remainders, ties to
 * the earlier row.
 */
function splitFast(
  r: TableResult,
  rows: Int32Array,
  count: number,
  amount: Float64Array,
  groupOf: Int32Array,
  mult: Float64Array,
  Dq: number,
  units: number,
  q: number,
  scratch: Float64Array,
): void {
  const parts = scratch.subarray(0, count);
  const rems = scratch.subarray(count, 2 * count);
  let floors = 0;
  for (let k = 0; k < count; k++) {
    const x = amount[k]! * mult[groupOf[k]!]!;
    let f = Math.floor(x / Dq);
    let rem = x - f * Dq;
    // x / Dq is rounded: put the floor right.
    if (rem < 0) {
      f -= 1;
      rem += Dq;
    } else if (rem >= Dq) {
      f += 1;
      rem -= Dq;
    }
    parts[k] = f;
    rems[k] = rem;
    floors += f;
  }
  let residual = units - floors;
  if (residual !== 0) {
    if (residual < 0 || residual >= count) {
      let each = Math.floor(residual / count);
      while (each * count > residual) each--;
      while ((each + 1) * count <= residual) each++;
      for (let k = 0; k < count; k++) parts[k]! += each;
      residual -= each * count;
    }
    if (residual > 0) {
      if (Dq * count <= SAFE) {
        // One sortable number per row: remainder first, then the earlier row.
        const keys = scratch.subarray(2 * count, 3 * count);
        for (let k = 0; k < count; k++) keys[k] = rems[k]! * count + (count - 1 - k);
        keys.sort();
        for (let j = 0; j < residual; j++) parts[count - 1 - (keys[count - 1 - j]! % count)]! += 1;
      } else {
        const byRem = Array.from({ length: count }, (_, k) => k);
        byRem.sort((a, b) => (rems[a]! > rems[b]! ? -1 : rems[a]! < rems[b]! ? 1 : a - b));
        for (let j = 0; j < residual; j++) parts[byRem[j]!]! += 1;
      }
    }
  }
  const earned = r.earned;
  for (let k = 0; k < count; k++) earned[rows[k]!] = parts[k]! * q;
}
