/**
 * The checks on what we ship fail when they should (scripts/check-types-dist.mjs,
 * check-size.mjs, check-attw.mjs, studio-size.mjs; docs/typescript.md). Each runs for real, as
 * `node scripts/<check> --root <fixture>`, on a one-package workspace in a temp
 * folder: first as it should be (exit 0, so a check that always fails is
 * caught too), then with one thing broken (exit 1, naming what is wrong).
 * The workspace's own packages are checked by `pnpm check:ship`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MINUTES = 60_000;
const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Files = Record<string, string | object>;

const LIB_ESM = `export function add(a, b) { return a + b; }\nexport const VERSION = "1.0.0";\n`;
const LIB_CJS = `"use strict";\nexports.add = function add(a, b) { return a + b; };\nexports.VERSION = "1.0.0";\n`;
const LIB_DTS = `export declare function add(a: number, b: number): number;\nexport declare const VERSION: string;\n`;
const EXTRA_ESM = `export function twice(n) { return n * 2; }\n`;
const EXTRA_CJS = `"use strict";\nexports.twice = function twice(n) { return n * 2; };\n`;
const EXTRA_DTS = `export declare function twice(n: number): number;\n`;

const dual = (name: string) => ({
  import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
  require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
});

/** A workspace with one published package, @fx/lib: "." and "./extra", ESM and CommonJS, as the real packages are laid out. */
function fixture(change: (files: Files) => void = () => {}): string {
  const ws = mkdtempSync(join(tmpdir(), "ruleflow-ship-"));
  made.push(ws);
  const files: Files = {
    "package.json": { name: "fixture", private: true, type: "module" },
    "tsconfig.dist-types.json": {
      compilerOptions: { target: "ES2022", lib: ["ES2022"], module: "Node16", moduleResolution: "Node16", types: [], strict: true, skipLibCheck: false, noEmit: true },
      include: ["packages/*/test-d/**/*"],
    },
    "size-budget.json": {
      headroom: 0.12,
      packages: { "@fx/lib": { platform: "browser", nodeOnlyEntries: [] } },
      entries: { "@fx/lib": { minGzip: 1000, minGzipWithDependencies: 1000 }, "@fx/lib/extra": { minGzip: 1000, minGzipWithDependencies: 1000 } },
    },
    "packages/lib/package.json": {
      name: "@fx/lib",
      version: "1.0.0",
      license: "MIT",
      engines: { node: ">=20" },
      type: "module",
      main: "./dist/index.cjs",
      types: "./dist/index.d.ts",
      typesVersions: { "*": { extra: ["./dist/extra.d.ts"] } },
      exports: { ".": dual("index"), "./extra": dual("extra"), "./package.json": "./package.json" },
      files: ["dist"],
      scripts: { build: "node --version" },
    },
    "packages/lib/dist/index.js": LIB_ESM,
    "packages/lib/dist/index.cjs": LIB_CJS,
    "packages/lib/dist/index.d.ts": LIB_DTS,
    "packages/lib/dist/index.d.cts": LIB_DTS,
    "packages/lib/dist/extra.js": EXTRA_ESM,
    "packages/lib/dist/extra.cjs": EXTRA_CJS,
    "packages/lib/dist/extra.d.ts": EXTRA_DTS,
    "packages/lib/dist/extra.d.cts": EXTRA_DTS,
    "packages/lib/test-d/lib.test-d.ts": `import { add } from "@fx/lib";\nimport { twice } from "@fx/lib/extra";\nconst n: number = add(1, twice(2));\nvoid n;\n`,
    "packages/lib/test-d/lib.test-d.cts": `import { add } from "@fx/lib";\nconst n: number = add(1, 2);\nvoid n;\n`,
  };
  change(files);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(ws, path)), { recursive: true });
    writeFileSync(join(ws, path), typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return ws;
}

function check(script: string, ws: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [join(root, "scripts", script), "--root", ws, ...args], { cwd: root, encoding: "utf8", timeout: 5 * MINUTES });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const manifest = (files: Files): Record<string, unknown> => files["packages/lib/package.json"] as Record<string, unknown>;

describe("check-types-dist: type tests against the built declarations", { timeout: 3 * MINUTES }, () => {
  it("passes on a package whose declarations and type tests agree, reading dist/ for both ES module and CommonJS", () => {
    const r = check("check-types-dist.mjs", fixture(), "--no-build");
    expect(r.out).toContain("every entry of 1 packages type-checks from dist/");
    expect(r.code).toBe(0);
  });

  it("fails on each of: a type error in a test-d file, .d.cts unlike .d.ts, an entry no test imports without declarations, an export typed any, a test reading src/", () => {
    // one workspace with five faults (one tsc run instead of five); each must be reported on its own
    const ws = fixture((f) => {
      // a deliberate type error in a hand-written type test
      f["packages/lib/test-d/wrong.test-d.ts"] = `import { add } from "@fx/lib";\nconst s: string = add(1, 2);\nvoid s;\n`;
      // CommonJS declarations unlike the ES module ones: the .cts test reads dist/index.d.cts
      f["packages/lib/dist/index.d.cts"] = `export declare function add(a: string, b: string): string;\n`;
      // an exports entry that no test-d file imports, whose declarations are missing
      (manifest(f).exports as Record<string, unknown>)["./later"] = dual("later");
      f["packages/lib/dist/later.js"] = EXTRA_ESM;
      f["packages/lib/dist/later.cjs"] = EXTRA_CJS;
      // an export typed any
      f["packages/lib/dist/extra.d.ts"] = `${EXTRA_DTS}export declare const loose: any;\n`;
      // a type test that reads src/
      f["packages/lib/src/index.ts"] = `export function add(a: number, b: number): number { return a + b; }\n`;
      f["packages/lib/test-d/src.test-d.ts"] = `import { add } from "../src/index.js";\nvoid add;\n`;
    });
    const r = check("check-types-dist.mjs", ws, "--no-build");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/wrong\.test-d\.ts\(2,7\): error TS2322/);
    expect(r.out).toMatch(/lib\.test-d\.cts\(2,\d+\): error TS2345/);
    expect(r.out).toMatch(/error TS(2307|7016).*@fx\/lib\/later/);
    expect(r.out).toContain("@fx/lib/later (import): packages/lib/dist/later.d.ts does not exist");
    expect(r.out).toMatch(/entries\.test-d\.ts\(\d+,\d+\): error TS2344[^\n]*\n\s*> import \* as e1 from "@fx\/lib\/extra"/);
    expect(r.out).toContain("packages/lib/src/index.ts is in the program: the type tests must read dist/, not src/");
  });

  it("checks again only what changed (tsc's incremental build info), yet finds a declaration that changed after a clean run, reports it on every run, and passes once it is fixed", () => {
    const ws = fixture();
    expect(check("check-types-dist.mjs", ws, "--no-build").code).toBe(0);
    // the build info is kept beside the generated configs, one per program
    expect(readFileSync(join(ws, "node_modules", ".cache", "ruleflow-dist-types", "node16.tsbuildinfo"), "utf8")).toContain("lib.test-d");
    // dist/ changes under the unchanged type tests: add now returns a string
    const dts = join(ws, "packages", "lib", "dist", "index.d.ts");
    writeFileSync(dts, LIB_DTS.replace("b: number): number", "b: number): string"));
    for (let run = 0; run < 2; run++) {
      const r = check("check-types-dist.mjs", ws, "--no-build");
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/lib\.test-d\.ts\(3,7\): error TS2322/);
    }
    writeFileSync(dts, LIB_DTS);
    const fixed = check("check-types-dist.mjs", ws, "--no-build");
    expect(fixed.out).toContain("0 errors");
    expect(fixed.code).toBe(0);
  });

  it("compiles a package marked \"dom\" (custom elements) with the DOM's types, and only that one", () => {
    const dom = (f: Files): void => {
      f["packages/lib/dist/extra.d.ts"] = `${EXTRA_DTS}export declare function host(): HTMLElement;\n`;
      f["packages/lib/test-d/dom.test-d.ts"] = `import { host } from "@fx/lib/extra";\nconst tag: string = host().tagName;\nvoid tag;\n`;
    };
    // without the mark, the declarations that need the DOM fail in the node16 program (no DOM there)
    const unmarked = check("check-types-dist.mjs", fixture(dom), "--no-build");
    expect(unmarked.code).toBe(1);
    expect(unmarked.out).toMatch(/node16: packages\/lib\/dist\/extra\.d\.ts\(\d+,\d+\): error TS2304: Cannot find name 'HTMLElement'/);
    const marked = check(
      "check-types-dist.mjs",
      fixture((f) => {
        dom(f);
        (f["size-budget.json"] as { packages: Record<string, Record<string, unknown>> }).packages["@fx/lib"]!.dom = true;
      }),
      "--no-build",
    );
    expect(marked.out).toMatch(/node16-dom \(TypeScript [\d.]+\): \d+ files checked in [\d.]+ s, 0 errors/);
    expect(marked.code).toBe(0);
  });
});

describe("check-size: a budget per entry and no Node built-in in a browser bundle", { timeout: 3 * MINUTES }, () => {
  it("passes within budget and prints the table", () => {
    const r = check("check-size.mjs", fixture(), "--no-build");
    expect(r.out).toMatch(/\| @fx\/lib\s+\|\s+browser \|/);
    expect(r.out).toMatch(/\| @fx\/lib\/extra\s+\|/);
    expect(r.code).toBe(0);
  });

  it("fails with a tiny budget, saying by how much", () => {
    const ws = fixture((f) => {
      (f["size-budget.json"] as { entries: Record<string, unknown> }).entries["@fx/lib"] = { minGzip: 10, minGzipWithDependencies: 1000 };
    });
    const r = check("check-size.mjs", ws, "--no-build");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/@fx\/lib: own code is \d+ B minified\+gzipped, over its budget of 10 B by \d+ B/);
    expect(r.out).toContain("@fx/lib (OVER)");
  });

  it("fails on an entry without a budget; --update writes one above the measured size", () => {
    const ws = fixture((f) => {
      delete (f["size-budget.json"] as { entries: Record<string, unknown> }).entries["@fx/lib/extra"];
    });
    const r = check("check-size.mjs", ws, "--no-build");
    expect(r.code).toBe(1);
    expect(r.out).toContain("@fx/lib/extra: no budget in size-budget.json");
    expect(check("check-size.mjs", ws, "--no-build", "--update").code).toBe(0);
    const written = JSON.parse(readFileSync(join(ws, "size-budget.json"), "utf8")) as { entries: Record<string, { minGzip: number }> };
    expect(written.entries["@fx/lib/extra"]?.minGzip).toBeGreaterThan(0);
    expect(check("check-size.mjs", ws, "--no-build").code).toBe(0);
  });

  it("fails when a browser entry imports a Node built-in, and accepts it for an entry declared node-only", () => {
    const ws = fixture((f) => {
      f["packages/lib/dist/extra.js"] = `import { readFileSync } from "node:fs";\nexport function twice(n) { return readFileSync ? n * 2 : n; }\n`;
    });
    const r = check("check-size.mjs", ws, "--no-build");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/@fx\/lib\/extra \(browser, with its dependencies\) does not bundle:[\s\S]*node:fs/);
    const budgetFile = join(ws, "size-budget.json");
    const budget = JSON.parse(readFileSync(budgetFile, "utf8")) as { packages: Record<string, { nodeOnlyEntries: string[] }> };
    budget.packages["@fx/lib"]!.nodeOnlyEntries = ["@fx/lib/extra"];
    writeFileSync(budgetFile, JSON.stringify(budget));
    const nodeOnly = check("check-size.mjs", ws, "--no-build");
    expect(nodeOnly.out).toMatch(/\| @fx\/lib\/extra\s+\|\s+node \|/);
    expect(nodeOnly.code).toBe(0);
  });

  it("finds a Node built-in a dependency brings into a browser bundle", () => {
    const ws = fixture((f) => {
      (manifest(f) as { dependencies?: Record<string, string> }).dependencies = { "fx-dep": "1.0.0" };
      f["packages/lib/node_modules/fx-dep/package.json"] = { name: "fx-dep", version: "1.0.0", type: "module", main: "index.js" };
      f["packages/lib/node_modules/fx-dep/index.js"] = `import { createHash } from "crypto";\nexport const hash = (s) => createHash("sha1").update(s).digest("hex");\n`;
      f["packages/lib/dist/index.js"] = `import { hash } from "fx-dep";\n${LIB_ESM}export { hash };\n`;
    });
    const r = check("check-size.mjs", ws, "--no-build");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/@fx\/lib \(browser, with its dependencies\) does not bundle:[\s\S]*"crypto"/);
    // its own code alone (the dependency left as an import) bundles
    expect(r.out).not.toMatch(/@fx\/lib \(browser, own code\) does not bundle/);
  });

  it("finds a Node built-in left as an import in a browser bundle (the metafile scan: a peer named like one)", () => {
    const ws = fixture((f) => {
      (manifest(f) as { peerDependencies?: Record<string, string> }).peerDependencies = { path: "*" };
      f["packages/lib/dist/index.js"] = `import { join } from "path";\n${LIB_ESM}export const where = join("a", "b");\n`;
    });
    const r = check("check-size.mjs", ws, "--no-build");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/@fx\/lib: the browser bundle reaches a Node built-in: packages\/lib\/dist\/index\.js imports "path"/);
  });
});

describe("studio-size: the studio's JavaScript per chunk, its budget, no Node built-in", { timeout: 3 * MINUTES }, () => {
  /** A tiny Vite app in a temp folder (built with the studio's Vite) and a budget file beside it. */
  function app(files: Files, budget: { initialGzip: number; totalGzip: number }): string[] {
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-studio-size-"));
    made.push(dir);
    const all: Files = {
      "index.html": `<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>\n`,
      "budget.json": { headroom: 0.12, studio: budget },
      ...files,
    };
    for (const [path, content] of Object.entries(all)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
    }
    return ["--app", dir, "--budget", join(dir, "budget.json")];
  }
  const LAZY_APP: Files = {
    "main.js": `import { greet } from "./greet.js";\ndocument.body.append(greet("studio"));\nwindow.later = () => import("./later.js");\n`,
    "greet.js": `export const greet = (who) => \`hello \${who}\`;\n`,
    "later.js": `export const later = [1, 2, 3].map((n) => n * 2);\n`,
  };

  it("reports every chunk, loaded at once or on demand, and the totals within budget", () => {
    const r = check("studio-size.mjs", root, ...app(LAZY_APP, { initialGzip: 10_000, totalGzip: 10_000 }));
    expect(r.out).toMatch(/\| assets\/index-[\w-]+\.js\s+\|\s+at once \|/);
    expect(r.out).toMatch(/\| assets\/later-[\w-]+\.js\s+\|\s+on demand \|/);
    expect(r.out).toMatch(/\| initial \(loaded at once\)\s+\|/);
    expect(r.out).toMatch(/\| total\s+\|/);
    expect(r.out).toContain("within its budget and reaches no Node built-in");
    expect(r.code).toBe(0);
  });

  it("fails over budget, saying by how much", () => {
    const r = check("studio-size.mjs", root, ...app(LAZY_APP, { initialGzip: 10, totalGzip: 10_000 }));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/the studio's initial JavaScript is \d+ B gzipped, over its budget of 10 B by \d+ B/);
    expect(r.out).not.toMatch(/total JavaScript is \d+ B gzipped, over/);
  });

  it("finds every Node built-in the build reaches (ES module, CommonJS require, a module tree-shaken away), and accepts a browser package named like one", () => {
    const args = app(
      {
        "main.js": `import { readFileSync } from "node:fs";\nimport { join } from "./paths.cjs";\nimport { unused } from "./dead.js";\nimport { EventEmitter } from "events";\nwindow.x = [readFileSync, join, EventEmitter];\n`,
        "paths.cjs": `const path = require("path");\nexports.join = path.join;\n`,
        "dead.js": `import os from "os";\nexport const unused = os;\n`,
        // a package the app installed, named like Node's "events": resolves to a file, so not a built-in
        "node_modules/events/package.json": { name: "events", version: "3.3.0", main: "index.js" },
        "node_modules/events/index.js": `export class EventEmitter {}\n`,
      },
      { initialGzip: 10_000, totalGzip: 10_000 },
    );
    const r = check("studio-size.mjs", root, ...args);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/reaches a Node built-in: \S*main\.js imports "node:fs"/);
    expect(r.out).toMatch(/reaches a Node built-in: \S*paths\.cjs imports "path"/);
    expect(r.out).toMatch(/reaches a Node built-in: \S*dead\.js imports "os"/);
    expect(r.out).toMatch(/holds __vite-browser-external/);
    expect(r.out).not.toMatch(/imports "events"/);
  });
});

describe("check-attw: arethetypeswrong and publint on the packed tarball", { timeout: 5 * MINUTES }, () => {
  it("passes on a package whose every entry resolves under node10, node16 and bundler", () => {
    const r = check("check-attw.mjs", fixture());
    expect(r.out).toContain("No problems found");
    expect(r.out).toContain("@fx/lib (fx-lib-1.0.0.tgz, profile strict)");
    expect(r.out).toContain("publint: all good");
    expect(r.code).toBe(0);
  });

  it("fails on what publint finds in the tarball and arethetypeswrong does not: CommonJS code where an ES module is imported", () => {
    const ws = fixture((f) => {
      f["packages/lib/dist/extra.js"] = EXTRA_CJS;
    });
    const r = check("check-attw.mjs", ws);
    expect(r.code).toBe(1);
    expect(r.out).toContain("No problems found");
    expect(r.out).toMatch(/@fx\/lib: publint \w+ FILE_INVALID_FORMAT: .*\.\/dist\/extra\.js/);
  });

  it("fails on declarations masquerading as ES modules, and on a subpath node10 cannot resolve (printing the typesVersions mapping to add)", () => {
    const ws = fixture((f) => {
      ((manifest(f).exports as Record<string, { require: { types: string } }>)["."]!).require.types = "./dist/index.d.ts";
      delete manifest(f).typesVersions;
    });
    const r = check("check-attw.mjs", ws);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Masquerading as ESM/);
    expect(r.out).toContain("@fx/lib: arethetypeswrong found problems (profile strict");
    expect(r.out).toContain(`@fx/lib/extra: node10 resolution (TypeScript's "moduleResolution": "node") does not read "exports"; add to @fx/lib's package.json: "typesVersions": { "*": { "extra": ["./dist/extra.d.ts"] } }`);
  });
});

/** The rows of the markdown table that follows `heading` in a page (cells trimmed, code quotes removed). */
function markdownTable(doc: string, heading: string): string[][] {
  const at = doc.indexOf(heading);
  if (at < 0) throw new Error(`no heading "${heading}" in the page`);
  const lines = doc.slice(at).split("\n");
  const start = lines.findIndex((l) => l.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.split("|").slice(1, -1).map((c) => c.trim().replace(/^`|`$/g, "")));
  }
  return rows;
}

describe("docs/ui.md's size tables are size-budget.json's", () => {
  const doc = readFileSync(join(root, "docs", "ui.md"), "utf8");
  const budget = JSON.parse(readFileSync(join(root, "size-budget.json"), "utf8")) as {
    entries: Record<string, { minGzip: number; minGzipWithDependencies: number }>;
    studio: { initialGzip: number; totalGzip: number };
  };

  it("the components table: every @ruleflow/ui entry's budgets, own and with dependencies", () => {
    const expected = Object.entries(budget.entries)
      .filter(([entry]) => entry === "@ruleflow/ui" || entry.startsWith("@ruleflow/ui/"))
      .map(([entry, b]) => [entry, String(b.minGzip), String(b.minGzipWithDependencies)]);
    expect(expected.length).toBeGreaterThan(1);
    expect(markdownTable(doc, "### Components")).toEqual(expected);
  });

  it("the studio table: its initial and total budgets", () => {
    expect(markdownTable(doc, "### The studio")).toEqual([
      ["initial", String(budget.studio.initialGzip)],
      ["total", String(budget.studio.totalGzip)],
    ]);
  });
});

describe("docs/typescript.md matches what the checks use", () => {
  const doc = readFileSync(join(root, "docs", "typescript.md"), "utf8");
  const tableAfter = (heading: string): string[][] => markdownTable(doc, heading);
  const budget = JSON.parse(readFileSync(join(root, "size-budget.json"), "utf8")) as {
    packages: Record<string, { platform?: string; skip?: string; nodeOnlyEntries?: string[] }>;
    entries: Record<string, { minGzip: number; minGzipWithDependencies: number }>;
  };
  const packageOf = (entry: string): string => entry.split("/").slice(0, 2).join("/");

  it("the size budget table is size-budget.json, entry for entry", () => {
    const expected = Object.entries(budget.entries).map(([entry, b]) => {
      const conf = budget.packages[packageOf(entry)];
      const platform = conf?.nodeOnlyEntries?.includes(entry) ? "node" : (conf?.platform ?? "?");
      return [entry, platform, String(b.minGzip), String(b.minGzipWithDependencies)];
    });
    expect(tableAfter("## Size budgets")).toEqual(expected);
  });

  it("the entries table lists every entry of every published package's exports", () => {
    const adapters = (names: string[]): string[] => names.map((a) => `packages/adapters/${a}`);
    const dirs = ["packages/engine", "packages/cli", ...adapters(["postgres"]), "packages/ui", ...adapters(["bullmq", "email", "webhook", "im"])];
    const expected: string[][] = [];
    for (const dir of dirs) {
      const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { name: string; exports: Record<string, unknown> };
      for (const [subpath, target] of Object.entries(manifest.exports)) {
        if (subpath.includes("*") || subpath.endsWith(".json")) continue;
        const entry = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
        const cjs = JSON.stringify(target).includes('"require"');
        const conf = budget.packages[manifest.name];
        const browser = conf?.platform === "browser" && !conf.nodeOnlyEntries?.includes(entry);
        expected.push([entry, "yes", cjs ? "yes" : "no", browser ? "yes" : "no"]);
      }
    }
    expect(tableAfter("## Entries")).toEqual(expected);
  });
});
