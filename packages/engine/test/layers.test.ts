/**
 * The layering check (`pnpm lint:layers`, dependency-cruiser with the root
 * .dependency-cruiser.cjs): it passes on the engine as it is, it fails on an
 * import cycle (a type-only one too), on an import of a higher layer or of a
 * sibling, on a Node built-in and on a folder no layer names; and
 * docs/architecture.md lists the same layers as the config.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const config = join(repo, ".dependency-cruiser.cjs");
const depcruise = join(repo, "node_modules", ".bin", "depcruise");

interface Layer {
  name: string;
  parts: string[];
}
const layers = (createRequire(import.meta.url)(config) as { layers: Layer[] }).layers;

/** Run the check as `pnpm lint:layers` does, on `target` from `cwd`: its exit status and report. */
function cruise(cwd: string, target: string, src?: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(depcruise, [target, "--config", config, "--output-type", "err"], {
      cwd,
      env: { ...process.env, ...(src ? { RULEFLOW_LAYERS_SRC: src } : {}) },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, out }));
  });
}

const fixtures: string[] = [];
afterAll(() => {
  for (const dir of fixtures) rmSync(dir, { recursive: true, force: true });
});

/** A tiny engine-shaped tree under `<tmp>/src/`: path -> source. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ruleflow-layers-"));
  fixtures.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, "src", path)), { recursive: true });
    writeFileSync(join(dir, "src", path), text);
  }
  return dir;
}

const fixtureCheck = (files: Record<string, string>) => cruise(fixture(files), "src", "src/");

/** A clean tree: each module imports only its own folder and layers below. */
const clean: Record<string, string> = {
  "core/errors.ts": "export class RuleflowError extends Error {}\n",
  "core/kind.ts": 'import type { RuleflowError } from "./errors.js";\nexport type Refusal = RuleflowError;\n',
  "expr/values.ts": 'import { RuleflowError } from "../core/errors.js";\nexport const fail = (): never => { throw new RuleflowError(); };\n',
  "promotions/promotion.ts": 'import { fail } from "../expr/values.js";\nexport const promotion = fail;\n',
  "rebates/program.ts": 'import type { Refusal } from "../core/kind.js";\nexport type Program = Refusal;\n',
  "index.ts": 'export { promotion } from "./promotions/promotion.js";\nexport type { Program } from "./rebates/program.js";\n',
};

/** The checks run at once (each takes seconds): the engine, a clean tree, one with only a cycle, one breaking each other rule. */
let runs: Promise<Record<"engine" | "clean" | "cycle" | "broken", { status: number | null; out: string }>> | undefined;
function results() {
  runs ??= Promise.all([
    cruise(repo, "packages/engine/src"),
    fixtureCheck(clean),
    fixtureCheck({
      ...clean,
      "expr/a.ts": 'import type { B } from "./b.js";\nexport interface A { b?: B }\n',
      "expr/b.ts": 'import type { A } from "./a.js";\nexport interface B { a?: A }\n',
    }),
    fixtureCheck({
      ...clean,
      "core/kind.ts": 'import type { Program } from "../rebates/program.js";\nexport type Refusal = Program;\n',
      "rebates/program.ts": 'import { promotion } from "../promotions/promotion.js";\nexport const program = promotion;\nexport type Program = string;\n',
      "expr/values.ts": 'import { readFileSync } from "node:fs";\nexport const fail = readFileSync;\n',
      "extras/x.ts": 'export { fail } from "../expr/values.js";\n',
    }),
  ]).then(([engine, clean, cycle, broken]) => ({ engine, clean, cycle, broken }));
  return runs;
}

describe("pnpm lint:layers", () => {
  it("passes on the engine", async () => {
    const { engine } = await results();
    expect(engine.out).toContain("no dependency violations found");
    expect(engine.status).toBe(0);
  }, 240_000);

  it("passes on a clean layered tree", async () => {
    const r = (await results()).clean;
    expect(r.out).toContain("no dependency violations found");
    expect(r.status).toBe(0);
  }, 240_000);

  it("fails on an import cycle, even a type-only one", async () => {
    const r = (await results()).cycle;
    expect(r.out).toMatch(/no-circular: src\/expr\/(a|b)\.ts/);
    expect(r.out).toContain("1 dependency violations");
    expect(r.status).not.toBe(0);
  }, 240_000);

  it("fails when a layer imports a layer above it or a sibling, on a Node built-in and on a folder no layer names", async () => {
    const r = (await results()).broken;
    expect(r.out).toContain("core-is-a-leaf: src/core/kind.ts → src/rebates/program.ts");
    expect(r.out).toContain("layer-core: src/core/kind.ts → src/rebates/program.ts");
    expect(r.out).toContain("layer-rebates: src/rebates/program.ts → src/promotions/promotion.ts");
    expect(r.out).toContain("no-node-builtins: src/expr/values.ts → fs");
    expect(r.out).toContain("known-layer: src/extras/x.ts → src/expr/values.ts");
    expect(r.status).not.toBe(0);
  }, 240_000);
});

describe("docs/architecture.md", () => {
  it("lists the layers of .dependency-cruiser.cjs, in order", () => {
    const page = readFileSync(join(repo, "docs", "architecture.md"), "utf8");
    const table = page.slice(page.indexOf("<!-- layers:start -->"), page.indexOf("<!-- layers:end -->"));
    const rows = table
      .split("\n")
      .filter((l) => /^\| \d+ \|/.test(l))
      .map((l) => l.split("|").map((c) => c.trim()));
    const documented = rows.map((cells) => ({ name: cells[2]!, parts: [...cells[3]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!) }));
    expect(documented).toEqual(layers.map((l) => ({ name: l.name, parts: l.parts })));
    expect(rows.map((cells) => Number(cells[1]))).toEqual(layers.map((_, i) => i));
  });
});
