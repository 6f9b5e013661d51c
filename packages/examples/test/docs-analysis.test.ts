/**
 * docs/analysis.md runs: every `ruleflow check` example prints exactly what
 * the page shows, and the finding the API example shows is the one returned.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { analyzeDefinition } from "@ruleflow/engine/analysis";
import { compileDefinition, isRuleflowError } from "@ruleflow/engine";
import { main } from "../../cli/src/main.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const page = readFileSync(join(root, "docs", "analysis.md"), "utf8");

/** Each `<!-- marker: args -->` with the fenced blocks after it, up to the next marker or heading. */
function examples(marker: string): { args: string[]; blocks: { lang: string; body: string }[] }[] {
  const out: { args: string[]; blocks: { lang: string; body: string }[] }[] = [];
  for (const m of page.matchAll(new RegExp(`<!-- ${marker}: (.*?) -->\\n`, "g"))) {
    const rest = page.slice(m.index + m[0].length);
    const stop = rest.search(/\n<!-- |\n## /);
    const part = stop < 0 ? rest : rest.slice(0, stop);
    out.push({ args: m[1]!.split(" "), blocks: [...part.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((b) => ({ lang: b[1]!, body: b[2]! })) });
  }
  return out;
}

async function check(args: string[], strip: string): Promise<string> {
  let out = "";
  await main(["check", ...args], { out: (t) => (out += t), err: (t) => (out += t), stdin: () => "" });
  return out.split(`${strip}/`).join("");
}

describe("docs/analysis.md", () => {
  const runs = examples("check");
  it("has the check examples", () => expect(runs.length).toBeGreaterThanOrEqual(5));
  for (const ex of runs) {
    it(`ruleflow check ${ex.args.join(" ")}`, async () => {
      const [file, ...rest] = ex.args;
      expect(await check([join(root, file!), ...rest], root)).toBe(ex.blocks[0]!.body);
    });
  }

  it("the inline document example prints what the page shows", async () => {
    const [ex] = examples("check-file");
    const [name, ...rest] = ex!.args;
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-docs-analysis-"));
    writeFileSync(join(dir, name!), ex!.blocks[0]!.body);
    expect(await check([join(dir, name!), ...rest], dir)).toBe(ex!.blocks[1]!.body);
  });

  it("the API example's finding is the one analyzeDefinition returns, and its witness makes the engine refuse the input", () => {
    const [ex] = examples("api");
    const doc = JSON.parse(readFileSync(join(root, ex!.args[0]!), "utf8")) as unknown;
    const finding = analyzeDefinition(doc, { at: "2026-03-01T00:00:00Z" }).findings[0]!;
    expect(finding).toEqual(JSON.parse(ex!.blocks[0]!.body));
    const table = compileDefinition(doc) as { evaluate(f: unknown): unknown };
    try {
      table.evaluate(finding.witness!.facts);
      expect.unreachable();
    } catch (e) {
      expect(isRuleflowError(e, "DECISION_ERROR")).toBe(true);
    }
  });

  it("lists every finding code in its table", async () => {
    const { FINDING_CODES } = await import("@ruleflow/engine/analysis");
    const listed = [...page.matchAll(/^\| [^|]+ \| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect([...new Set(listed)].sort()).toEqual([...FINDING_CODES].sort());
  });
});
