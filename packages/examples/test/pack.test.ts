/**
 * The packages install from their tarballs into an app outside the workspace:
 * `pnpm pack:all` (scripts/pack.mjs) writes them, one `npm install` puts them in
 * a fresh project in the temp folder, and there an ES module, a CommonJS module,
 * the `ruleflow` command and `tsc --noEmit` (node16 ESM, node16 CommonJS,
 * bundler and node10 resolution) use every public entry, with types from the
 * shipped .d.ts.
 *
 * Slow (a build when stale, then an npm install from the registry); one install.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

/** The environment of a user's shell: without the npm_config_* settings pnpm exports to the scripts it runs (npm warns about them). */
const shellEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const MINUTES = 60_000;

/** The engine's entries, from its package.json "exports" (the root first, then every subpath). */
const ENGINE_ENTRIES = Object.keys(
  (JSON.parse(readFileSync(join(root, "packages", "engine", "package.json"), "utf8")) as { exports: Record<string, unknown> }).exports,
)
  .filter((k) => !k.includes("*") && !k.endsWith(".json"))
  .map((k) => (k === "." ? "@ruleflow/engine" : `@ruleflow/engine/${k.slice(2)}`));
/** Every other entry a publishable package exports. */
const ADAPTER_ENTRIES = ["@ruleflow/postgres", "@ruleflow/webhook", "@ruleflow/im", "@ruleflow/email", "@ruleflow/bullmq"];
const ENTRIES = [...ENGINE_ENTRIES, ...ADAPTER_ENTRIES];
// @ruleflow/ui is packed and installed too (its custom elements need a DOM: the browser suites and check:ship test it, not this Node app)
const PACKAGES = ["@ruleflow/engine", "@ruleflow/cli", "@ruleflow/postgres", "@ruleflow/webhook", "@ruleflow/im", "@ruleflow/email", "@ruleflow/bullmq", "@ruleflow/ui"];

/** Drivers an app brings itself for the adapters it uses (peer dependencies), pinned to what the workspace tests with. */
function workspaceVersion(name: string, from: string): string {
  return (JSON.parse(readFileSync(join(root, from, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}

const ruleSet = {
  kind: "ruleset",
  id: "contract-auto-approval",
  version: 1,
  facts: ["contract", "customer"],
  rules: [
    {
      id: "small-and-a-credit",
      when: { all: [{ fact: "contract.amount", op: "lt", value: 500000 }, { fact: "customer.creditRating", op: "eq", value: "A" }] },
      then: { decision: "auto-approve" },
    },
    { id: "otherwise", when: { all: [] }, then: { decision: "manual" } },
  ],
};

let app = "";
let tarballs: string[] = [];

function run(cmd: string, args: string[], cwd = app): { code: number; out: string; err: string } {
  const r = spawnSync(cmd, args, { cwd, env: shellEnv, encoding: "utf8", timeout: 5 * MINUTES, shell: process.platform === "win32" });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** `run`, without blocking: several can run at once. */
function runAsync(cmd: string, args: string[], cwd = app): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env: shellEnv, timeout: 5 * MINUTES, shell: process.platform === "win32" });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? -1, out, err }));
  });
}

describe("the packed packages in an app outside the workspace", () => {
  beforeAll(() => {
    const work = mkdtempSync(join(tmpdir(), "ruleflow-pack-"));
    expect(relative(realpathSync(root), realpathSync(work)).startsWith("..")).toBe(true);
    const out = join(work, "tarballs");
    tarballs = execFileSync(process.execPath, [join(root, "scripts", "pack.mjs"), "--out", out], { cwd: root, encoding: "utf8", timeout: 25 * MINUTES })
      .trim()
      .split("\n");
    app = join(work, "app");
    execFileSync(process.execPath, ["-e", `require("node:fs").mkdirSync(${JSON.stringify(app)})`]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "sales-app", version: "1.0.0", private: true }, null, 2));
    writeFileSync(join(app, "rules.json"), JSON.stringify(ruleSet, null, 2));
    const drivers = [
      `pg@${workspaceVersion("pg", "packages/adapters/postgres")}`,
      `@types/pg@${workspaceVersion("@types/pg", "packages/adapters/postgres")}`,
      `@electric-sql/pglite@${workspaceVersion("@electric-sql/pglite", "packages/adapters/postgres")}`,
      `nodemailer@${workspaceVersion("nodemailer", "packages/adapters/email")}`,
      `@types/nodemailer@${workspaceVersion("@types/nodemailer", "packages/adapters/email")}`,
      `bullmq@${workspaceVersion("bullmq", "packages/adapters/bullmq")}`,
      `ioredis@${workspaceVersion("ioredis", "packages/adapters/bullmq")}`,
      `@types/node@${workspaceVersion("@types/node", ".")}`,
    ];
    const r = run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs, ...drivers]);
    expect(r.code, r.err).toBe(0);
  }, 40 * MINUTES);

  it("pack:all wrote one tarball per publishable package, workspace: versions rewritten", () => {
    expect(tarballs.map((t) => basename(t)).sort()).toEqual(
      PACKAGES.map((p) => `${p.slice(1).replace("/", "-")}-0.1.0.tgz`).sort(),
    );
    for (const name of ["cli", "im", "postgres"]) {
      const manifest = JSON.parse(readFileSync(join(app, "node_modules", "@ruleflow", name, "package.json"), "utf8")) as Record<string, unknown>;
      expect(JSON.stringify(manifest)).not.toContain("workspace:");
    }
    // the installed engine is the tarball's, not a registry download
    const lock = JSON.parse(readFileSync(join(app, "package-lock.json"), "utf8")) as { packages: Record<string, { resolved?: string }> };
    expect(lock.packages["node_modules/@ruleflow/engine"]?.resolved).toMatch(/^file:.*ruleflow-engine-0\.1\.0\.tgz$/);
    expect(existsSync(join(app, "node_modules", "@ruleflow", "cli", "node_modules", "@ruleflow", "engine"))).toBe(false);
  });

  it("an ES module evaluates a rule and loads every entry", { timeout: 2 * MINUTES }, () => {
    writeFileSync(
      join(app, "app.mjs"),
      `import { readFileSync } from "node:fs";
import { createRegistry, createVirtualClock, explainDecision } from "@ruleflow/engine";
${ENTRIES.slice(1).map((e, i) => `import * as entry${i} from "${e}";`).join("\n")}
import { main } from "@ruleflow/cli";
const registry = createRegistry([JSON.parse(readFileSync("rules.json", "utf8"))]);
const result = registry.evaluate("contract-auto-approval", { contract: { amount: 380000 }, customer: { creditRating: "A" } }, { at: "2026-02-10T10:00:00+08:00", trace: true });
console.log(JSON.stringify({ output: result.output, version: result.version, explained: explainDecision(result).includes("small-and-a-credit"),
  clock: typeof createVirtualClock, cli: typeof main, entries: [${ENTRIES.slice(1).map((_, i) => `Object.keys(entry${i}).length`).join(", ")}] }));
`,
    );
    const r = run(process.execPath, ["app.mjs"]);
    expect(r.err).toBe("");
    const printed = JSON.parse(r.out) as { entries: number[] };
    expect(printed).toMatchObject({ output: { decision: "auto-approve" }, version: 1, explained: true, clock: "function", cli: "function" });
    expect(printed.entries).toHaveLength(ENTRIES.length - 1);
    for (const n of printed.entries) expect(n).toBeGreaterThan(0);
  });

  it("a CommonJS module evaluates a rule and requires every entry", { timeout: 2 * MINUTES }, () => {
    writeFileSync(
      join(app, "app.cjs"),
      `const { createRegistry, createVirtualClock, EvaluationError } = require("@ruleflow/engine");
const { getBuiltinCalendar } = require("@ruleflow/engine/calendar");
const entries = [${ENTRIES.slice(1).map((e) => `require("${e}")`).join(", ")}];
const registry = createRegistry([require("./rules.json")]);
const result = registry.evaluate("contract-auto-approval", { contract: { amount: 1250000 }, customer: { creditRating: "A" } }, { at: "2026-02-10T10:00:00+08:00" });
// an error thrown inside one entry is an instance of the class another entry exports (one copy, shared chunks)
let sharedClass = false;
try { getBuiltinCalendar("nowhere"); } catch (e) { sharedClass = e instanceof EvaluationError; }
console.log(JSON.stringify({ output: result.output, clock: typeof createVirtualClock, sharedClass, entries: entries.map((a) => Object.keys(a).length) }));
`,
    );
    const r = run(process.execPath, ["app.cjs"]);
    expect(r.err).toBe("");
    const printed = JSON.parse(r.out) as { entries: number[] };
    expect(printed).toMatchObject({ output: { decision: "manual" }, clock: "function", sharedClass: true });
    expect(printed.entries).toHaveLength(ENTRIES.length - 1);
    for (const n of printed.entries) expect(n).toBeGreaterThan(0);
  });

  it("the ruleflow command runs from the installed tarball", { timeout: 2 * MINUTES }, () => {
    const r = run("npx", ["--no", "ruleflow", "validate", "rules.json"]);
    expect(r.err).toBe("");
    expect(r.out).toBe("rules.json: ok\n");
    expect(r.code).toBe(0);
  });

  it("tsc --noEmit type-checks every public entry from the shipped declarations", async () => {
    // typed code: each import must have real types (a wrong use is an error), not `any`
    const uses = (cjs: boolean) => `${ENTRIES.map((e, i) => `import * as m${i} from "${e}";`).join("\n")}
${cjs ? "" : 'import { main } from "@ruleflow/cli";\nconst code: Promise<number> = main(["--help"]);\nvoid code;\n'}
const registry = m0.createRegistry([]);
const at: string = m0.formatIssue({ code: "invalid_type", path: ["rules", 0], message: "m" });
void registry; void at;
${ENTRIES.map((_, i) => `// @ts-expect-error the module is typed, so it is not a number\nconst wrong${i}: number = m${i};\nvoid wrong${i};`).join("\n")}
`;
    writeFileSync(join(app, "esm.mts"), uses(false));
    writeFileSync(join(app, "cjs.cts"), uses(true));
    writeFileSync(join(app, "bundled.ts"), uses(false));
    writeFileSync(join(app, "node10.ts"), uses(true));
    const base = { strict: true, noEmit: true, skipLibCheck: false, types: ["node"], target: "es2022", lib: ["es2022"] };
    writeFileSync(join(app, "tsconfig.node16.json"), JSON.stringify({ compilerOptions: { ...base, module: "node16", moduleResolution: "node16" }, files: ["esm.mts", "cjs.cts"] }));
    writeFileSync(join(app, "tsconfig.bundler.json"), JSON.stringify({ compilerOptions: { ...base, module: "esnext", moduleResolution: "bundler" }, files: ["bundled.ts"] }));
    // node10 ignores "exports": the engine's subpaths resolve through "typesVersions". esModuleInterop as
    // `tsc --init` writes it: zod's CommonJS declarations default-import their locales and need it
    writeFileSync(
      join(app, "tsconfig.node10.json"),
      JSON.stringify({ compilerOptions: { ...base, module: "commonjs", moduleResolution: "node10", esModuleInterop: true }, files: ["node10.ts"] }),
    );
    const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
    // the three projects are checked at once (each is one tsc process), then their results in turn
    const [bundler, node16, node10] = await Promise.all([
      runAsync(process.execPath, [tsc, "-p", "tsconfig.bundler.json"]),
      runAsync(process.execPath, [tsc, "-p", "tsconfig.node16.json", "--listFiles"]),
      runAsync(process.execPath, [tsc, "-p", "tsconfig.node10.json", "--listFiles"]),
    ]);
    expect(`${bundler.out}${bundler.err}`).toBe("");
    expect(bundler.code).toBe(0);
    // --listFiles: no errors, and the declarations came from the tarballs, not from the workspace's sources
    expect(node16.out.split("\n").filter((l) => l.includes("error TS"))).toEqual([]);
    expect(node16.code).toBe(0);
    expect(node16.out).toMatch(/node_modules\/@ruleflow\/engine\/dist\/index\.d\.ts/);
    expect(node16.out).toMatch(/node_modules\/@ruleflow\/engine\/dist\/index\.d\.cts/);
    expect(node16.out).toMatch(/node_modules\/@ruleflow\/engine\/dist\/testing\.d\.cts/);
    expect(node16.out).toMatch(/node_modules\/@ruleflow\/engine\/dist\/rules\.d\.cts/);
    expect(node16.out).not.toContain(join(root, "packages"));
    expect(node10.out.split("\n").filter((l) => l.includes("error TS"))).toEqual([]);
    expect(node10.code).toBe(0);
    expect(node10.out).toMatch(/node_modules\/@ruleflow\/engine\/dist\/rollouts\.d\.ts/);
  }, 15 * MINUTES);
});
