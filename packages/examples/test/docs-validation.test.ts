/**
 * docs/versions.md says exactly what validation reports, and docs/architecture.md
 * names every command the CLI has: both are checked against the code.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatIssue, validateDefinition } from "@ruleflow/engine";
import { main } from "../../cli/src/main.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const read = (page: string) => readFileSync(join(root, "docs", page), "utf8");

/** The ```jsonc document after `<!-- marker -->` and the ```text blocks that follow it, up to the next marker or heading. */
function example(page: string, marker: string): { doc: Record<string, unknown>; outputs: string[][] } {
  const text = read(page);
  const at = text.indexOf(`<!-- ${marker} -->\n`);
  expect(at, `${page} has <!-- ${marker} -->`).toBeGreaterThanOrEqual(0);
  const rest = text.slice(at + marker.length + 9);
  const stop = rest.search(/\n<!-- |\n## /);
  const part = stop < 0 ? rest : rest.slice(0, stop);
  const doc = JSON.parse(/```jsonc\n([\s\S]*?)```/.exec(part)![1]!) as Record<string, unknown>;
  const outputs = [...part.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1]!.trim().split("\n"));
  return { doc, outputs };
}

const lines = (doc: unknown) => validateDefinition(doc).issues.map(formatIssue);

describe("docs/versions.md: what validation reports", () => {
  it("a rule set reports every shape problem first, then, once they are fixed, every meaning problem", () => {
    const { doc, outputs } = example("versions.md", "validation-example");
    expect(outputs).toHaveLength(2);
    expect(lines(doc)).toEqual(outputs[0]);
    // the fixes the page names: "op": "gt" and sum(...)
    const fixed = structuredClone(doc) as { rules: { when: { op: string }; then: { points: { expr: string } } }[] };
    fixed.rules[0]!.when.op = "gt";
    fixed.rules[0]!.then.points.expr = fixed.rules[0]!.then.points.expr.replace("sumx(", "sum(");
    expect(lines(fixed)).toEqual(outputs[1]);
    expect(validateDefinition(fixed).ok).toBe(false);
  });

  it("a workflow reports shape and reference problems in one pass", () => {
    const { doc, outputs } = example("versions.md", "validation-example-workflow");
    expect(outputs).toHaveLength(1);
    expect(lines(doc)).toEqual(outputs[0]);
  });
});

describe("docs/architecture.md: the CLI", () => {
  it("lists every command the ruleflow binary has, and only those", async () => {
    let help = "";
    expect(await main(["--help"], { out: (t) => (help += t), err: () => {}, stdin: () => "" })).toBe(0);
    const commands = [...help.matchAll(/^ {2}ruleflow (\w+)/gm)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThanOrEqual(5);
    const line = read("architecture.md")
      .split("\n")
      .find((l) => l.includes("@ruleflow/cli"));
    const listed = /`ruleflow` command: ([\w, ]+)$/.exec(line ?? "")?.[1]?.split(", ");
    expect(listed, line).toBeDefined();
    expect([...listed!].sort()).toEqual([...commands].sort());
    // the README's package table says the same
    const readme = readFileSync(join(root, "README.md"), "utf8").split("\n").find((l) => l.startsWith("| `@ruleflow/cli`"));
    expect([...readme!.matchAll(/`(\w+)`/g)].map((m) => m[1]!).filter((w) => commands.includes(w)).sort()).toEqual([...commands].sort());
  });
});
