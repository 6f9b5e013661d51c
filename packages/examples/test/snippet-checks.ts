/**
 * Docs snippets whose comments claim values: a line `expr; // "value"` (a
 * string, number, boolean or null in the comment, and not a declaration)
 * becomes `__results.push(expr);`, and its claimed value is kept in `checks`,
 * in order. Every other line runs unchanged. The test writes `body` to a file
 * after `export const __results: unknown[] = [];`, imports it and compares
 * `__results` with `checks` parsed as JSON.
 */
export function withValueChecks(code: string): { body: string; checks: string[] } {
  const checks: string[] = [];
  const body = code
    .split("\n")
    .map((line) => {
      const m = /^(?!\s*(?:const|let|var|import)\b)(.+?);\s*\/\/\s*("[^"]*"|-?\d+(?:\.\d+)?|true|false|null)\s*$/.exec(line);
      if (!m) return line;
      checks.push(m[2]!);
      return `__results.push(${m[1]});`;
    })
    .join("\n");
  return { body, checks };
}
