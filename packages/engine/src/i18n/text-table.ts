/**
 * Plain-text tables for explanations in a terminal: columns aligned by
 * display width, where wide (Chinese, Japanese, Korean) characters take two
 * columns. Rebate statements, promotion explanations and rollout reports
 * share it.
 */

const NUMERIC = /^-?\d+(\.\d+)?$/;
// CJK ideographs, kana, Hangul and full-width forms take two columns in a terminal.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;

/** Columns a string takes in a terminal: wide (Chinese) characters count two. @internal */
export function displayWidth(s: string): number {
  return s.length + (s.match(WIDE)?.length ?? 0);
}

/**
 * Render rows as an aligned text table; numbers are right-aligned.
 * @internal
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const right = header.map((_, i) => rows.length > 0 && rows.every((r) => NUMERIC.test(r[i] ?? "") || r[i] === ""));
  const pad = (c: string, w: number): string => " ".repeat(Math.max(0, w - displayWidth(c)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (right[i] ? pad(c, widths[i]!) + c : c + pad(c, widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
