/**
 * The packages install from their tarballs into an app outside the workspace:
 * `pnpm pack:all` (scripts/pack.mjs) writes them, one `npm install` puts them in
 * a fresh project in the temp folder, and there an ES module, a CommonJS module,
 * the `ruleflow` command and `tsc --noEmit` (node16 ESM, node16 CommonJS and
 * bundler resolution) use every public entry, with types from the shipped .d.ts.
 *
 * Slow (a build when stale, then an npm install from the registry); one install.
 */
import { execFileSync, spawnSync } from "node:child_process";
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

/** Every publishable package and the entries it exports. */
const ENTRIES = [
  "@ruleflow/engine",
  "@ruleflow/engine/testing",
  "@ruleflow/postgres",
  "@ruleflow/webhook",
  "@ruleflow/im",
  "@ruleflow/email",
  "@ruleflow/bullmq",
];
const PACKAGES = ["@ruleflow/engine", "@ruleflow/cli", "@ruleflow/postgres", "@ruleflow/webhook", "@ruleflow/im", "@ruleflow/email", "@ruleflow/bullmq"];

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
import { createRegistry, explainDecision } from "@ruleflow/engine";
import { createVirtualClock } from "@ruleflow/engine/testing";
${ENTRIES.slice(2).map((e, i) => `import * as adapter${i} from "${e}";`).join("\n")}
import { main } from "@ruleflow/cli";
const registry = createRegistry([JSON.parse(readFileSync("rules.json", "utf8"))]);
const result = registry.evaluate("contract-auto-approval", { contract: { amount: 380000 }, customer: { creditRating: "A" } }, { at: "2026-02-10T10:00:00+08:00", trace: true });
console.log(JSON.stringify({ output: result.output, version: result.version, explained: explainDecision(result).includes("small-and-a-credit"),
  clock: typeof createVirtualClock, cli: typeof main, adapters: [${ENTRIES.slice(2).map((_, i) => `Object.keys(adapter${i}).length`).join(", ")}] }));
`,
    );
    const r = run(process.execPath, ["app.mjs"]);
    expect(r.err).toBe("");
    const printed = JSON.parse(r.out) as { adapters: number[] };
    expect(printed).toMatchObject({ output: { decision: "auto-approve" }, version: 1, explained: true, clock: "function", cli: "function" });
    for (const n of printed.adapters) expect(n).toBeGreaterThan(0);
  });

  it("a CommonJS module evaluates a rule and requires every entry", { timeout: 2 * MINUTES }, () => {
    writeFileSync(
      join(app, "app.cjs"),
      `const { createRegistry } = require("@ruleflow/engine");
const { createVirtualClock } = require("@ruleflow/engine/testing");
const adapters = [${ENTRIES.slice(2).map((e) => `require("${e}")`).join(", ")}];
const registry = createRegistry([require("./rules.json")]);
const result = registry.evaluate("contract-auto-approval", { contract: { amount: 1250000 }, customer: { creditRating: "A" } }, { at: "2026-02-10T10:00:00+08:00" });
console.log(JSON.stringify({ output: result.output, clock: typeof createVirtualClock, adapters: adapters.map((a) => Object.keys(a).length) }));
`,
    );
    const r = run(process.execPath, ["app.cjs"]);
    expect(r.err).toBe("");
    const printed = JSON.parse(r.out) as { adapters: number[] };
    expect(printed).toMatchObject({ output: { decision: "manual" }, clock: "function" });
    for (const n of printed.adapters) expect(n).toBeGreaterThan(0);
  });

  it("the ruleflow command runs from the installed tarball", { timeout: 2 * MINUTES }, () => {
    const r = run("npx", ["--no", "ruleflow", "validate", "rules.json"]);
    expect(r.err).toBe("");
    expect(r.out).toBe("rules.json: ok\n");
    expect(r.code).toBe(0);
  });

  it("tsc --noEmit type-checks every public entry from the shipped declarations", () => {
    // typed code: each import must have real types (a wrong use is an error), not `any`
    const uses = (cjs: boolean) => `${ENTRIES.map((e, i) => `import * as m${i} from "${e}";`).join("\n")}
${cjs ? "" : 'import { main } from "@ruleflow/cli";\nconst code: Promise<number> = main(["--help"]);\nvoid code;\n'}
const registry = m0.createRegistry([]);
const at: string = m0.formatIssue({ code: "x", path: ["rules", 0], message: "m" });
void registry; void at;
${ENTRIES.map((_, i) => `// @ts-expect-error the module is typed, so it is not a number\nconst wrong${i}: number = m${i};\nvoid wrong${i};`).join("\n")}
`;
    writeFileSync(join(app, "esm.mts"), uses(false));
    writeFileSync(join(app, "cjs.cts"), uses(true));
    writeFileSync(join(app, "bundled.ts"), uses(false));
    const base = { strict: true, noEmit: true, skipLibCheck: false, types: ["node"], target: "es2022", lib: ["es2022"] };
    writeFileSync(join(app, "tsconfig.node16.json"), JSON.stringify({ compilerOptions: { ...base, module: "node16", moduleResolution: "node16" }, files: ["esm.mts", "cjs.cts"] }));
    writeFileSync(join(app, "tsconfig.bundler.json"), JSON.stringify({ compilerOptions: { ...base, module: "esnext", moduleResolution: "bundler" }, files: ["bundled.ts"] }));
    const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
    const bundler = run(process.execPath, [tsc, "-p", "tsconfig.bundler.json"]);
    expect(`${bundler.out}${bundler.err}`).toBe("");
    expect(bundler.code).toBe(0);
    // --listFiles: no errors, and the declarations came from the tarballs, not from the workspace's sources
    const node16 = run(process.execPath, [tsc, "-p", "tsconfig.node16.json", "--listFiles"]);
    expect(node16.out.split("\n").filter((l) => l.includes("error TS"))).toEqual([]);
    expect(node16.code).toBe(0);
    expect(node16.out).toMatch(/node_modules\/@ruleflow\/engine\/dist\/index\.d\.ts/);
    expect(node16.out).toMatch(/node_modules\/@ruleflow\/engine\/dist\/index\.d\.cts/);
    expect(node16.out).toMatch(/node_modules\/@ruleflow\/engine\/dist\/testing\.d\.cts/);
    expect(node16.out).not.toContain(join(root, "packages"));
  }, 15 * MINUTES);
});
