/**
 * The docs are part of the product: every JSON definition shown in docs/ must
 * load, and every row of the expression example table must evaluate to the
 * result the page claims.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileExpression, formatIssue, validateDefinition } from "@ruleflow/engine";

const docsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs");

function jsonBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const pages = readdirSync(docsDir).filter((f) => f.endsWith(".md"));

describe("definitions shown in docs/", () => {
  const definitions = pages.flatMap((page) =>
    jsonBlocks(readFileSync(join(docsDir, page), "utf8"))
      .map((text) => ({ page, text }))
      .filter(({ text }) => /^\s*\{\s*"kind"/.test(text) && !("output" in (JSON.parse(text) as object))),
  );

  it("there are definition examples to check", () => {
    expect(definitions.length).toBeGreaterThanOrEqual(4);
  });

  it.each(definitions.map((d, i) => [`${d.page} #${i}`, d] as const))("%s is a valid definition", (_, d) => {
    const result = validateDefinition(JSON.parse(d.text));
    expect(result.issues.map(formatIssue)).toEqual([]);
  });
});

describe("docs/expressions.md example table", () => {
  const page = readFileSync(join(docsDir, "expressions.md"), "utf8");
  const facts: unknown = JSON.parse(jsonBlocks(page.slice(page.indexOf("<!-- example-facts -->")))[0]!);
  const table = page.slice(page.indexOf("<!-- example-table -->")).split("\n\n")[0]!;
  const rows = table
    .split("\n")
    .map((line) => /^\| `(.*)` \| `(.*)` \|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!] as const);

  it("has rows", () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rows)("%s gives %s", (source, expected) => {
    const value = compileExpression(source).evaluate(facts, { at: "2026-02-10T10:00:00+08:00" });
    expect(value).toEqual(JSON.parse(expected));
  });
});
