/**
 * The order lines of the period being settled, kept as columns rather than
 * one object per line: keys as compact bytes behind an open-addressing index
 * (exact duplicate detection without a string per line), accounts, dates,
 * amounts and "groups" (version, modifier list, exclusion) as typed arrays.
 * A million lines are a few dozen megabytes of arrays instead of millions of
 * small objects for the garbage collector to trace, and ten million still fit
 * a small heap. {@link LineTable.state} gives a line back as the
 * {@link LineState} the rest of settlement knows.
 */
import type { Decimal } from "../core/decimal.js";
import type { LineModifier, LineState } from "./line-state.js";

const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** Grow a typed array to at least `need` elements (by half again: ten million rows do not become sixteen). */
function grow<T extends Int32Array | Float64Array | Uint32Array | Uint8Array>(a: T, need: number, exact = false): T {
  if (need <= a.length) return a;
  let n = exact ? need : Math.ceil(a.length * 1.5);
  while (n < need) n = Math.ceil(n * 1.5);
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/**
 * Line keys, one per row, as bytes: a code unit below 255 is one byte, any
 * other is 255 and its two bytes (so equal keys have equal bytes and unequal
 * keys unequal bytes), and a hash of each. Keys are appended as they come;
 * {@link KeyStore.firstRepeat} finds a key given twice afterwards, by sorting
 * the hashes (no hash table to probe at random for every line), and
 * {@link KeyStore.find} builds an index the first time it is asked.
 * @internal
 */
export class KeyStore {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** Start of row i's bytes; row i ends where row i + 1 starts. */
  private starts = new Uint32Array(1025);
  private hashes = new Int32Array(1024);
  /** Open addressing, built by `find`: row + 1 per slot, 0 when empty. */
  private index: Int32Array | undefined;
  count = 0;
  private end = 0;
  private hash = 0;

  /** Start a key past the used bytes (kept only when committed). */
  begin(): void {
    this.end = this.used;
    this.hash = 0x811c9dc5 | 0;
  }

  /** Append `text` to the key begun. */
  push(text: string): void {
    let at = this.end;
    if (at + text.length * 3 > this.bytes.length) this.bytes = this.more(at + text.length * 3);
    const bytes = this.bytes;
    let h = this.hash;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h = Math.imul(h ^ c, 0x01000193);
      if (c < 255) bytes[at++] = c;
      else {
        bytes[at++] = 255;
        bytes[at++] = c >>> 8;
        bytes[at++] = c & 255;
      }
    }
    this.hash = h;
    this.end = at;
  }

  /** Rows expected in all, when known: the byte buffer is sized from the first keys' lengths. */
  private expected = 0;

  /** A byte buffer of at least `need` bytes: for all expected rows at the length so far, or half again. */
  private more(need: number): Uint8Array<ArrayBuffer> {
    if (this.expected > this.count && this.count >= 64) {
      const all = Math.ceil((this.used / this.count) * this.expected * 1.05) + 64;
      if (all >= need) return grow(this.bytes, all, true);
    }
    return grow(this.bytes, need);
  }

  /** The key begun, as text. */
  pending(): string {
    return this.decode(this.used, this.end);
  }

  /** Keep the key begun as row `count` (then `count` is one more). */
  commit(): void {
    const row = this.count;
    if (this.end > 0xffffffff) throw new RangeError("line keys beyond 4 GB");
    this.used = this.end;
    if (row + 2 > this.starts.length) this.starts = grow(this.starts, row + 2);
    if (row + 1 > this.hashes.length) this.hashes = grow(this.hashes, row + 1);
    this.starts[row + 1] = this.end;
    this.hashes[row] = this.hash;
    this.count = row + 1;
    this.index = undefined;
  }

  /** {@link KeyStore.commit} of `key`. */
  add(key: string): void {
    this.begin();
    this.push(key);
    this.commit();
  }

  private same(a: number, b: number): boolean {
    const bytes = this.bytes;
    const sa = this.starts[a]!;
    const sb = this.starts[b]!;
    const len = this.starts[a + 1]! - sa;
    if (this.starts[b + 1]! - sb !== len) return false;
    for (let k = 0; k < len; k++) if (bytes[sa + k] !== bytes[sb + k]) return false;
    return true;
  }

  /**
   * The first row whose key an earlier row already has (the first repeat in input order), or -1.
   * @param maxBits - at most 2^maxBits buckets (fewer in tests, to fill them)
   */
  firstRepeat(maxBits = 22): number {
    const n = this.count;
    if (n < 2) return -1;
    // Rows by the top bits of their hash (a counting sort; rows ascend within a bucket), about two a bucket.
    let bits = 1;
    while (bits < maxBits && 2 << bits < n) bits++;
    const shift = 32 - bits;
    const buckets = 1 << bits;
    const hashes = this.hashes;
    // Counts, then ends; filled from the last row back, each end becomes its bucket's start: bucket b is [at[b + 2], at[b + 3]).
    const at = new Int32Array(buckets + 2);
    for (let row = 0; row < n; row++) at[(hashes[row]! >>> shift) + 2]!++;
    for (let b = 2; b < buckets + 2; b++) at[b]! += at[b - 1]!;
    const rows = new Int32Array(n);
    for (let row = n - 1; row >= 0; row--) rows[--at[(hashes[row]! >>> shift) + 2]!] = row;
    let first = -1;
    for (let b = 0; b < buckets; b++) {
      const from = at[b + 2]!;
      const to = b + 1 < buckets ? at[b + 3]! : n;
      if (to - from < 2) continue;
      if (to - from > 64) {
        // Many keys share these bits: sort the bucket by hash, then row, and compare neighbours' runs.
        const part = Array.from(rows.subarray(from, to));
        part.sort((x, y) => hashes[x]! - hashes[y]! || x - y);
        for (let i = 0; i < part.length; ) {
          let j = i + 1;
          while (j < part.length && hashes[part[j]!] === hashes[part[i]!]) j++;
          first = this.repeatIn(part, i, j, first);
          i = j;
        }
      } else first = this.repeatIn(rows, from, to, first);
    }
    return first;
  }

  /** Among `rows[from..to)` (ascending), the first row whose key an earlier one of them has, if before `first`. */
  private repeatIn(rows: ArrayLike<number>, from: number, to: number, first: number): number {
    const hashes = this.hashes;
    for (let x = from + 1; x < to; x++) {
      const row = rows[x]!;
      if (first >= 0 && row >= first) break;
      for (let y = from; y < x; y++) {
        const other = rows[y]!;
        if (hashes[other] === hashes[row] && this.same(other, row)) {
          first = row;
          break;
        }
      }
    }
    return first;
  }

  private indexed(): Int32Array {
    if (this.index) return this.index;
    let slots = 1024;
    while (this.count * 2 > slots) slots *= 2;
    const index = new Int32Array(slots);
    const mask = slots - 1;
    for (let row = 0; row < this.count; row++) {
      let slot = this.hashes[row]! & mask;
      while (index[slot] !== 0) slot = (slot + 1) & mask;
      index[slot] = row + 1;
    }
    return (this.index = index);
  }

  /** The first row whose key is `key`, or -1. */
  find(key: string): number {
    const row = this.count;
    this.begin();
    this.push(key);
    // Look it up as if it were one more row (without keeping it).
    if (row + 2 > this.starts.length) this.starts = grow(this.starts, row + 2);
    if (row + 1 > this.hashes.length) this.hashes = grow(this.hashes, row + 1);
    this.starts[row + 1] = this.end;
    this.hashes[row] = this.hash;
    const index = this.indexed();
    const mask = index.length - 1;
    for (let slot = this.hash & mask; ; slot = (slot + 1) & mask) {
      const r = index[slot]!;
      if (r === 0) return -1;
      if (this.hashes[r - 1] === this.hash && this.same(r - 1, row)) return r - 1;
    }
  }

  /** Make room for `rows` keys ahead of time (their bytes once the first keys tell their length). */
  expect(rows: number): void {
    this.starts = grow(this.starts, rows + 1, true);
    this.hashes = grow(this.hashes, rows, true);
    this.expected = rows;
  }

  /** The key of `row`. */
  key(row: number): string {
    return this.decode(this.starts[row]!, this.starts[row + 1]!);
  }

  private decode(from: number, end: number): string {
    const bytes = this.bytes;
    let out = "";
    let plain = from;
    for (let i = plain; i < end; i++) {
      if (bytes[i] !== 255) continue;
      if (i > plain) out += String.fromCharCode.apply(null, bytes.subarray(plain, i) as unknown as number[]);
      out += String.fromCharCode((bytes[i + 1]! << 8) | bytes[i + 2]!);
      i += 2;
      plain = i + 1;
    }
    if (end > plain) out += String.fromCharCode.apply(null, bytes.subarray(plain, end) as unknown as number[]);
    return out;
  }
}

/** What lines of one group share: version, modifiers applied, why excluded. @internal */
export interface LineGroup {
  readonly version: number;
  readonly mods: LineModifier[];
  readonly excluded: string | undefined;
}

/**
 * The period's lines as columns. Rows are added in input order; each row's
 * amount is an exact integer (minor units) in a double, or, beyond 2^53, in
 * `bigAmounts`.
 * @internal
 */
export class LineTable {
  readonly keys = new KeyStore();
  account = new Int32Array(1024);
  date = new Float64Array(1024);
  amount = new Float64Array(1024);
  group = new Int32Array(1024);
  /** Interned breakdown dimensions per row (when the program has any). */
  dims: Int32Array | undefined;
  readonly bigAmounts = new Map<number, bigint>();
  /** Volumes of the rows that have one (holey). */
  volumes: Decimal[] | undefined;
  readonly accountNames: string[] = [];
  private readonly accountIds = new Map<string, number>();
  readonly groups: LineGroup[] = [];
  readonly dimsTable: (Record<string, unknown> | undefined)[] = [];
  private readonly dimsIds = new Map<string, number>();

  constructor(withDims: boolean) {
    if (withDims) this.dims = new Int32Array(1024);
  }

  get count(): number {
    return this.keys.count;
  }

  /** Make room for `rows` rows ahead of time. */
  expect(rows: number): void {
    this.keys.expect(rows);
    if (rows <= this.account.length) return;
    this.account = grow(this.account, rows, true);
    this.date = grow(this.date, rows, true);
    this.amount = grow(this.amount, rows, true);
    this.group = grow(this.group, rows, true);
    if (this.dims) this.dims = grow(this.dims, rows, true);
  }

  /** Make room for row `row`. */
  reserve(row: number): void {
    if (row < this.account.length) return;
    const need = row + 1;
    this.account = grow(this.account, need);
    this.date = grow(this.date, need);
    this.amount = grow(this.amount, need);
    this.group = grow(this.group, need);
    if (this.dims) this.dims = grow(this.dims, need);
  }

  accountId(name: string): number {
    let id = this.accountIds.get(name);
    if (id === undefined) {
      id = this.accountNames.length;
      this.accountNames.push(name);
      this.accountIds.set(name, id);
    }
    return id;
  }

  /**
   * The group of counted lines priced by version `version` (the table's slot
   * `slot`) with modifier list `mods`: lists shared between lines (literal
   * modifiers) are told apart by identity, others by their content.
   */
  countedGroup(mods: LineModifier[], shared: boolean, slot: number, version: number): number {
    let list = mods.length ? mods : NO_MODS;
    if (!shared && mods.length) {
      let text = "";
      for (const m of mods) text += `${m.name}\u0000${m.op}\u0000${m.value.units}\u0000${m.value.scale}\u0000`;
      const seen = this.listsByText.get(text);
      if (seen) list = seen;
      else this.listsByText.set(text, mods);
    }
    let slots = this.byList.get(list);
    if (!slots) this.byList.set(list, (slots = []));
    let id = slots[slot];
    if (id === undefined) {
      id = slots[slot] = this.groups.length;
      this.groups.push({ version, mods: list, excluded: undefined });
    }
    return id;
  }

  /** The group of lines of version `version` (slot `slot`) excluded for `reason`. */
  excludedGroup(reason: string, slot: number, version: number): number {
    let slots = this.byReason.get(reason);
    if (!slots) this.byReason.set(reason, (slots = []));
    let id = slots[slot];
    if (id === undefined) {
      id = slots[slot] = this.groups.length;
      this.groups.push({ version, mods: NO_MODS, excluded: reason });
    }
    return id;
  }

  private readonly byList = new Map<LineModifier[], number[]>();
  private readonly listsByText = new Map<string, LineModifier[]>();
  private readonly byReason = new Map<string, number[]>();

  /** The number of a dimensions record: equal records of plain values share one. */
  dimsId(dims: Record<string, unknown> | undefined): number {
    if (dims === undefined) return -1;
    let plain = true;
    for (const k in dims) {
      const v = dims[k];
      if (v !== null && typeof v !== "string" && typeof v !== "boolean" && !(typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0))) plain = false;
    }
    if (!plain) {
      this.dimsTable.push(dims);
      return this.dimsTable.length - 1;
    }
    const text = JSON.stringify(dims);
    let id = this.dimsIds.get(text);
    if (id === undefined) {
      id = this.dimsTable.length;
      this.dimsTable.push(dims);
      this.dimsIds.set(text, id);
    }
    return id;
  }

  setAmount(row: number, amount: bigint | number): void {
    if (typeof amount === "number") this.amount[row] = amount;
    else if (amount >= -MAX_EXACT && amount <= MAX_EXACT) this.amount[row] = Number(amount);
    else {
      this.amount[row] = NaN;
      this.bigAmounts.set(row, amount);
    }
  }

  /** Row `row`'s amount, exactly. */
  amountOf(row: number): bigint {
    const a = this.amount[row]!;
    return a === a ? BigInt(a) : this.bigAmounts.get(row)!;
  }

  setVolume(row: number, v: Decimal): void {
    if (v.units === 0n && !this.volumes) return;
    (this.volumes ??= [])[row] = v;
  }

  /** Row `row` as a {@link LineState}. */
  state(row: number): LineState {
    const g = this.groups[this.group[row]!]!;
    return {
      key: this.keys.key(row),
      account: this.accountNames[this.account[row]!]!,
      date: this.date[row]!,
      version: g.version,
      excluded: g.excluded,
      amount: this.amountOf(row),
      volume: this.volumes?.[row] ?? ZERO_VOLUME,
      mods: g.mods,
      dims: this.dims ? this.dimsTable[this.dims[row]!] : undefined,
    };
  }
}

const ZERO_VOLUME: Decimal = { units: 0n, scale: 0 };
const NO_MODS: LineModifier[] = [];
