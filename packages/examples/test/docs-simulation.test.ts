/**
 * docs/simulation.md shows code and a report; both must be what running them
 * gives. The "In tests" snippet runs as printed (its `// "value"` comments are
 * checked), and the scenario document on the page runs through runScenario:
 * every field the (abridged) report shows must be in the real report.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runScenario } from "@ruleflow/engine";
import { withValueChecks } from "./snippet-checks.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const page = readFileSync(join(root, "docs", "simulation.md"), "utf8");

function section(title: string): string {
  const start = page.indexOf(`\n## ${title}\n`);
  expect(start, `docs/simulation.md has a "## ${title}" section`).toBeGreaterThanOrEqual(0);
  const end = page.indexOf("\n## ", start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

function block(text: string, lang: string): string {
  const m = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(text);
  expect(m, `a \`\`\`${lang} block`).not.toBeNull();
  return m![1]!;
}

/** Every field of `shown` is in `actual`; arrays: each shown element matches some actual element. */
function expectShownIn(shown: unknown, actual: unknown, path = "report"): void {
  if (Array.isArray(shown)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    for (const [i, item] of shown.entries()) {
      const found = (actual as unknown[]).some((a) => {
        try {
          expectShownIn(item, a, `${path}[${i}]`);
          return true;
        } catch {
          return false;
        }
      });
      expect(found, `${path}[${i}] ${JSON.stringify(item)} is in ${JSON.stringify(actual)}`).toBe(true);
    }
  } else if (shown !== null && typeof shown === "object") {
    expect(actual !== null && typeof actual === "object", `${path} is an object`).toBe(true);
    for (const [k, v] of Object.entries(shown)) expectShownIn(v, (actual as Record<string, unknown>)[k], `${path}.${k}`);
  } else {
    expect(actual, path).toEqual(shown);
  }
}

describe("docs/simulation.md", () => {
  it("the In tests snippet runs as printed and gives the values its comments claim", async () => {
    const code = block(section("In tests"), "ts");
    // `expr; // "value"` lines become checks; everything else runs unchanged
    const { body, checks } = withValueChecks(code);
    expect(checks.length).toBeGreaterThanOrEqual(1);
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-docs-"));
    const file = join(dir, "snippet.ts");
    writeFileSync(file, `export const __results: unknown[] = [];\n${body}\n`);
    const cwd = process.cwd();
    process.chdir(root); // the snippet reads the example definitions relative to the repository root, as printed
    try {
      const mod = (await import(pathToFileURL(file).href)) as { __results: unknown[] };
      expect(mod.__results).toEqual(checks.map((c) => JSON.parse(c) as unknown));
    } finally {
      process.chdir(cwd);
    }
  });

  it("the scenario document runs and the report shown is what it gives", async () => {
    const text = section("Scenario documents");
    const scenario = JSON.parse(block(text, "json")) as { definitions: string[] };
    const scenarios = join(root, "packages", "examples", "scenarios"); // where its relative paths point
    const definitions = scenario.definitions.map((p) => JSON.parse(readFileSync(resolve(scenarios, p), "utf8")) as unknown);
    const report = await runScenario(scenario, definitions);
    expect(report.passed, JSON.stringify(report.failures)).toBe(true);
    const shown = JSON.parse(block(section("Report"), "json")) as unknown;
    expectShownIn(shown, JSON.parse(JSON.stringify(report)));
  });

  it("the inspect snippet of the Report section runs as printed: each instance's view and audit after the run", async () => {
    const code = block(section("Report"), "ts");
    const text = section("Scenario documents");
    const scenario = JSON.parse(block(text, "json")) as { definitions: string[] };
    const scenarios = join(root, "packages", "examples", "scenarios");
    const definitions = scenario.definitions.map((p) => JSON.parse(readFileSync(resolve(scenarios, p), "utf8")) as unknown);
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-docs-"));
    const file = join(dir, "inspect.ts");
    writeFileSync(
      file,
      `import { createMemoryStorage, runScenario } from "@ruleflow/engine";\n` +
        `const { scenario, definitions } = (globalThis as unknown as { __inspectInput: { scenario: unknown; definitions: unknown[] } }).__inspectInput;\n` +
        `${code}\nexport { paths, report, storage };\n`,
    );
    (globalThis as unknown as { __inspectInput: unknown }).__inspectInput = { scenario, definitions };
    const mod = (await import(pathToFileURL(file).href)) as {
      paths: Record<string, { view: { id: string; state: unknown; status: string }; audit: { after: { value: unknown } }[] }>;
      report: Awaited<ReturnType<typeof runScenario>>;
      storage: { snapshot(): { instances: { id: string }[] } };
    };
    expect(Object.keys(mod.paths).sort()).toEqual(Object.keys(mod.report.instances).sort());
    for (const [alias, { view, audit }] of Object.entries(mod.paths)) {
      expect(view.id).toBe(mod.report.instances[alias]!.id);
      expect(view.status).toBe(mod.report.instances[alias]!.status);
      expect(audit.length).toBeGreaterThan(0);
      expect(audit.at(-1)!.after.value).toEqual(view.state);
      expect(mod.storage.snapshot().instances.map((i) => i.id)).toContain(view.id);
    }
  });
});
