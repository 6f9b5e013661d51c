/**
 * Pure geometry of the workflow diagram: text measurement by estimate (so the
 * layout runs without a DOM), rectangles, borders, edge paths and arrow-key
 * navigation between nodes. No DOM, no ELK: tested with fast-check in node.
 */

/** A point in diagram coordinates. */
export interface Point {
  x: number;
  y: number;
}

/** An axis-aligned rectangle (x, y is the top-left corner). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether a character is drawn full width (CJK ideographs, kana, hangul, full-width forms). */
function isWide(code: number): boolean {
  return (code >= 0x2e80 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7af) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xff00 && code <= 0xff60) || (code >= 0x3000 && code <= 0x303f);
}

/**
 * An upper estimate of the width of `text` at `fontSize` px in a sans-serif
 * font: full-width characters are 1 em, others 0.62 em (wider than the
 * average Latin glyph, so boxes are never too narrow).
 */
export function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += isWide(ch.codePointAt(0)!) ? fontSize : fontSize * 0.62;
  return w;
}

/**
 * Break `text` into lines no wider than `maxWidth` (by {@link textWidth}):
 * at spaces where possible, else between characters (CJK text has no spaces).
 * Every line is non-empty; joining the lines (with the spaces dropped at the
 * breaks) gives back the text.
 */
export function wrapText(text: string, fontSize: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = "";
  const flush = (): void => {
    if (line) lines.push(line);
    line = "";
  };
  // tokens: words with their following space, or single wide characters
  const tokens = text.match(/[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uff60\u3000-\u303f]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uff60\u3000-\u303f]+\s*|\s+/g) ?? [];
  for (const token of tokens) {
    const candidate = line + token;
    if (textWidth(candidate.trimEnd(), fontSize) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line.trim()) {
      line = line.trimEnd();
      flush();
    }
    line = "";
    // a token too long for a line on its own: cut it between characters
    let rest = token.trimStart();
    while (rest && textWidth(rest.trimEnd(), fontSize) > maxWidth) {
      let cut = 1;
      const chars = [...rest];
      while (cut < chars.length && textWidth(chars.slice(0, cut + 1).join(""), fontSize) <= maxWidth) cut++;
      lines.push(chars.slice(0, cut).join(""));
      rest = chars.slice(cut).join("");
    }
    line = rest;
  }
  line = line.trimEnd();
  flush();
  return lines;
}

/** Whether two rectangles share interior area (touching edges do not overlap). */
export function rectsOverlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Whether `p` lies on the border of `r` (within `tolerance`). */
export function onBorder(p: Point, r: Rect, tolerance = 0.5): boolean {
  const inX = p.x >= r.x - tolerance && p.x <= r.x + r.width + tolerance;
  const inY = p.y >= r.y - tolerance && p.y <= r.y + r.height + tolerance;
  const nearV = Math.abs(p.x - r.x) <= tolerance || Math.abs(p.x - (r.x + r.width)) <= tolerance;
  const nearH = Math.abs(p.y - r.y) <= tolerance || Math.abs(p.y - (r.y + r.height)) <= tolerance;
  return (inY && nearV) || (inX && nearH);
}

/** The centre of a rectangle. */
function centre(r: Rect): Point {
  return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
}

/**
 * Where the segment from the centre of `r` towards `towards` leaves the
 * rectangle (a point on its border). `towards` at the centre gives the top
 * middle.
 */
export function borderPointTowards(r: Rect, towards: Point): Point {
  const c = centre(r);
  const dx = towards.x - c.x;
  const dy = towards.y - c.y;
  if (dx === 0 && dy === 0) return { x: c.x, y: r.y };
  const sx = dx === 0 ? Infinity : r.width / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : r.height / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: c.x + dx * s, y: c.y + dy * s };
}

/** An SVG path (`M x y L x y ...`) through the points. */
export function pathData(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${round(p.x)} ${round(p.y)}`).join(" ");
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** An arrow key's direction. */
export type Direction = "up" | "down" | "left" | "right";

/**
 * The node an arrow key moves to from `from`: among the rectangles whose
 * centre lies in that direction (strictly), the nearest, weighting sideways
 * distance double so a node straight ahead wins over one diagonally nearer.
 * Undefined when none lies that way.
 */
export function neighbourInDirection<K>(from: Rect, others: readonly { key: K; rect: Rect }[], direction: Direction): K | undefined {
  const c = centre(from);
  let best: K | undefined;
  let bestScore = Infinity;
  for (const o of others) {
    const p = centre(o.rect);
    const dx = p.x - c.x;
    const dy = p.y - c.y;
    const ahead = direction === "down" ? dy : direction === "up" ? -dy : direction === "right" ? dx : -dx;
    const side = direction === "down" || direction === "up" ? Math.abs(dx) : Math.abs(dy);
    if (ahead <= 0) continue;
    const score = ahead + 2 * side;
    if (score < bestScore) {
      bestScore = score;
      best = o.key;
    }
  }
  return best;
}

/** The bounding box of rectangles and points (zero-size at the origin when empty). */
export function bounds(rects: readonly Rect[], points: readonly Point[] = []): Rect {
  if (rects.length === 0 && points.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.width);
    y1 = Math.max(y1, r.y + r.height);
  }
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
