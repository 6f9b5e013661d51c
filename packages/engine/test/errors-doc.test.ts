/**
 * docs/errors.md lists exactly the codes the engine has: every error class
 * with its code, every issue code and every evaluation warning code, none
 * missing and none that does not exist.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as engine from "../src/index.js";
import { EVALUATION_WARNING_CODES, ISSUE_CODES, RULEFLOW_ERROR_CODES } from "../src/index.js";
import { CLASS_OF_CODE } from "./error-samples.js";

const page = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../../docs/errors.md"), "utf8");

/** The text of the `## heading` section, up to the next `## ` heading. */
function section(heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  expect(start, `docs/errors.md has no "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const rest = page.slice(start + heading.length + 5);
  const end = rest.search(/\n## /);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Rows `| \`code\` | meaning | \`example\` |` of the tables in a section. */
function rows(text: string): { code: string; meaning: string; example: string }[] {
  return [...text.matchAll(/^\| `([a-z_]+)` \| (.+) \| (.*) \|$/gm)].map((m) => ({ code: m[1]!, meaning: m[2]!, example: m[3]! }));
}

const duplicates = (list: readonly string[]): string[] => list.filter((c, i) => list.indexOf(c) !== i);

describe("docs/errors.md", () => {
  it("documents every error class under its code, once, and no class that does not exist", () => {
    const headings = [...section("Error classes").matchAll(/^### `(\w+)` \(`([A-Z_]+)`\)$/gm)].map((m) => ({ name: m[1]!, code: m[2]! }));
    expect(duplicates(headings.map((h) => h.code))).toEqual([]);
    expect(headings.map((h) => h.code).sort()).toEqual([...RULEFLOW_ERROR_CODES].sort());
    for (const h of headings) {
      expect(h.name, `the class of ${h.code}`).toBe(CLASS_OF_CODE[h.code as engine.RuleflowErrorCode]);
      expect(typeof (engine as Record<string, unknown>)[h.name], `${h.name} is exported from @ruleflow/engine`).toBe("function");
    }
  });

  it("documents every issue code, once, with a meaning and an example path, and no code that does not exist", () => {
    const documented = rows(section("Issue codes"));
    expect(duplicates(documented.map((r) => r.code))).toEqual([]);
    expect(documented.map((r) => r.code).sort()).toEqual([...ISSUE_CODES].sort());
    for (const r of documented) {
      expect(r.meaning.length, `${r.code} has a meaning`).toBeGreaterThan(10);
      expect(r.example, `${r.code} has an example path`).toMatch(/^`[^`]+`$/);
    }
  });

  it("documents every evaluation warning code, and no other", () => {
    const documented = rows(section("Evaluation warning codes"));
    expect(documented.map((r) => r.code).sort()).toEqual([...EVALUATION_WARNING_CODES].sort());
  });

  it("lists each code once in the runtime constants", () => {
    expect(duplicates(ISSUE_CODES)).toEqual([]);
    expect(duplicates(RULEFLOW_ERROR_CODES)).toEqual([]);
    expect(duplicates(EVALUATION_WARNING_CODES)).toEqual([]);
  });
});
