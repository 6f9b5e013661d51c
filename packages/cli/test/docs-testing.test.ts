/**
 * docs/testing.md runs as printed: each test-suite document on the page
 * passes with the example definitions, each `$ ruleflow test ...` block is
 * what the CLI prints (a `...` line skips lines), the failure shown is what
 * a suite with that case prints, and the vitest snippet runs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileTestSuite } from "@ruleflow/engine";
import * as testing from "@ruleflow/engine/testing";
import { main } from "../src/main.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const examples = join(root, "packages", "examples");
const page = readFileSync(join(root, "docs", "testing.md"), "utf8");
/** The page's fenced blocks of one language (`""`: no language), in order. */
function blocks(lang: string): string[] {
  const out: string[] = [];
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of page.split("\n")) {
    if (open === undefined) {
      if (line.startsWith("```")) open = { lang: line.slice(3).trim(), lines: [] };
    } else if (line === "```") {
      if (open.lang === lang) out.push(open.lines.join("\n") + "\n");
      open = undefined;
    } else open.lines.push(line);
  }
  return out;
}

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await main(argv, { out: (t) => (out += t), err: () => undefined, stdin: () => "" });
  return { code, out };
}

describe("docs/testing.md", () => {
  it("every test-suite document on the page compiles and passes, its definitions read from packages/examples/tests", async () => {
    const suites = blocks("json").map((b) => JSON.parse(b) as { kind?: string; definitions: string[] }).filter((d) => d.kind === "test-suite");
    expect(suites.length).toBeGreaterThanOrEqual(2);
    for (const suite of suites) {
      compileTestSuite(suite as never);
      const definitions = suite.definitions.map((p) => JSON.parse(readFileSync(resolve(examples, "tests", p), "utf8")) as unknown);
      const report = await testing.runTestSuite(suite, definitions);
      expect(report.passed, testing.explainTestSuiteReport(report)).toBe(true);
    }
  });

  it("the first suite is the example file it says it is", () => {
    const first = JSON.parse(blocks("json")[0]!) as unknown;
    expect(first).toEqual(JSON.parse(readFileSync(join(examples, "tests", "contract-auto-approval.test-suite.json"), "utf8")));
  });

  it("each `$ ruleflow test` block is what the command prints", async () => {
    const shown = blocks("").filter((b) => b.startsWith("$ ruleflow test "));
    expect(shown.length).toBeGreaterThanOrEqual(2);
    for (const b of shown) {
      const [command, ...lines] = b.trimEnd().split("\n");
      const args = command!.slice("$ ruleflow ".length).split(" ").map((a) => (a.startsWith("packages/") ? join(root, a) : a));
      const { out } = await run(args);
      const printed = out.trimEnd().split("\n");
      const skip = lines.indexOf("...");
      if (skip < 0) expect(printed).toEqual(lines);
      else {
        expect(printed.slice(0, skip)).toEqual(lines.slice(0, skip));
        const tail = lines.slice(skip + 1);
        const at = printed.indexOf(tail[0]!);
        expect(at, `"${tail[0]}" is printed`).toBeGreaterThanOrEqual(0);
        expect(printed.slice(at, at + tail.length)).toEqual(tail);
      }
    }
  });

  it("the failure shown is what a suite with that case prints", async () => {
    const shown = blocks("").find((b) => b.startsWith("rebate-rate-tests: 0/1"))!;
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-docs-"));
    const file = join(dir, "rebate-rate.test-suite.json");
    writeFileSync(
      file,
      JSON.stringify({
        kind: "test-suite",
        id: "rebate-rate-tests",
        at: "2026-03-01T00:00:00+08:00",
        definitions: [join(examples, "definitions", "rebate-rate.decision-table.json")],
        cases: [
          { name: "B customer at 95%", definition: "rebate-rate", facts: { customer: { tier: "B", paymentRate90d: 0.95 }, order: { productLine: "core" } }, expect: { output: { rate: "0.09" } } },
        ],
      }),
    );
    const r = await run(["test", file]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(shown);
  });

  it("the vitest snippet runs as printed (paths from packages/examples)", async () => {
    const code = blocks("ts")[0]!;
    const body = code
      .split("\n")
      .filter((l) => !l.startsWith("import "))
      .join("\n");
    const tests: (() => Promise<void>)[] = [];
    const readFile = (p: string, enc: "utf8"): string => readFileSync(join(examples, p), enc);
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    await new AsyncFunction("readFileSync", "expect", "it", "ruleflowMatchers", "runTestSuite", body)(
      readFile,
      expect,
      (_name: string, f: () => Promise<void>) => tests.push(f),
      testing.ruleflowMatchers,
      testing.runTestSuite,
    );
    expect(tests).toHaveLength(1);
    await tests[0]!();
  });
});
