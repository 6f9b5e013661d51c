/**
 * Where each value of a JSON text is: a small scanner that records, for every
 * path, the offsets of its value (and of its key, for object members). The
 * studio puts the engine's issues (which name JSON paths) under the right text
 * in the JSON editor, and finds the path at the cursor for completion.
 *
 * It reads valid JSON exactly and tolerates an unfinished document (what a
 * person is typing): it records what it could read and stops at the first
 * character that cannot continue the text.
 */

/** A path as the engine names them. */
type Path = (string | number)[];

/** One value's place in the text. */
export interface Located {
  path: Path;
  /** Offsets of the value: text.slice(from, to) is its JSON. */
  from: number;
  to: number;
  /** For an object member: the offsets of its key (quotes included). */
  keyFrom?: number;
  keyTo?: number;
}

/** A JSON-path text key for maps: paths are compared by this. */
function pathKey(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}

/** Every value of `text` with its place, in document order (parents before children). */
export function locateAll(text: string): Located[] {
  return scanJson(text).located;
}

/**
 * Scan a JSON text: every value with its place, and where reading stopped when
 * the text is not (or not yet) JSON: `errorAt` is the offset of the first
 * character that cannot continue it (the text's length when it ends early).
 */
export function scanJson(text: string): { located: Located[]; errorAt?: number } {
  const out: Located[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  };
  const fail = (): never => {
    throw new Stop();
  };
  const readString = (): string => {
    const start = i;
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      i++;
    }
    if (i >= text.length) fail();
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail();
    }
  };
  const value = (path: Path, key?: { from: number; to: number }): void => {
    ws();
    const from = i;
    const entry: Located = { path, from, to: from, ...(key ? { keyFrom: key.from, keyTo: key.to } : {}) };
    out.push(entry);
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") i++;
      else {
        for (;;) {
          ws();
          const kFrom = i;
          const k = readString();
          const kTo = i;
          ws();
          if (text[i] !== ":") fail();
          i++;
          value([...path, k], { from: kFrom, to: kTo });
          ws();
          if (text[i] === ",") {
            i++;
            continue;
          }
          if (text[i] === "}") {
            i++;
            break;
          }
          fail();
        }
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") i++;
      else {
        for (let n = 0; ; n++) {
          value([...path, n]);
          ws();
          if (text[i] === ",") {
            i++;
            continue;
          }
          if (text[i] === "]") {
            i++;
            break;
          }
          fail();
        }
      }
    } else if (c === '"') readString();
    else {
      const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
      if (!m) fail();
      i += m![0].length;
    }
    entry.to = i;
  };
  try {
    value([]);
    ws();
    if (i < text.length) fail();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    // an unfinished value ends where reading stopped
    for (const l of out) if (l.to === l.from) l.to = Math.max(l.from, Math.min(i, text.length));
    return { located: out, errorAt: Math.min(i, text.length) };
  }
  return { located: out };
}

class Stop extends Error {}

/**
 * The text range to mark for an issue at `path`: the value when it exists;
 * else the nearest ancestor that does (a missing key is reported on its
 * object). For a missing member the range is the object's opening brace, so
 * the mark is small.
 */
export function rangeOf(located: readonly Located[], path: readonly (string | number)[]): { from: number; to: number; exact: boolean } {
  const byKey = new Map(located.map((l) => [pathKey(l.path), l]));
  for (let n = path.length; n >= 0; n--) {
    const l = byKey.get(pathKey(path.slice(0, n)));
    if (l) {
      if (n === path.length) return { from: l.keyFrom ?? l.from, to: l.to, exact: true };
      return { from: l.from, to: Math.min(l.to, l.from + 1), exact: false };
    }
  }
  return { from: 0, to: 0, exact: false };
}

/** The innermost value whose range holds `offset` (for completion and "you are at" hints). */
export function locateAt(located: readonly Located[], offset: number): Located | undefined {
  let best: Located | undefined;
  for (const l of located) {
    const from = l.keyFrom ?? l.from;
    if (from <= offset && offset <= l.to && (!best || l.path.length > best.path.length)) best = l;
  }
  return best;
}
