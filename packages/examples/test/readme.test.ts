/**
 * The README's command-line examples run exactly as printed after the README's
 * set-up (install, then the demo, whose first step builds what the commands need).
 */
import { execSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The environment of a user's shell: without the npm_config_* settings pnpm exports to the scripts it runs (npm warns about them). */
const shellEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
import { beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Shell commands of every ```sh block, backslash-continued lines joined. */
function shellCommands(markdown: string): string[] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#")),
  );
}

const cliCommands = shellCommands(readme).filter((c) => /^(npx )?ruleflow /.test(c));
/** The demo script's first step: the stale-only build. */
const demoBuild = manifest.scripts.demo!.split(" && ")[0]!;

describe("README: the ruleflow commands", () => {
  beforeAll(() => {
    // what `npx --yes pnpm@10.34.9 demo` does before the demo itself (a no-op when nothing changed)
    execSync(demoBuild, { cwd: root, stdio: "pipe", timeout: 20 * 60_000 });
  }, 20 * 60_000);

  it("the set-up links the command and the demo builds it", () => {
    expect(readme).toContain("npx --yes pnpm@10.34.9 install && npx --yes pnpm@10.34.9 demo");
    expect(manifest.devDependencies["@ruleflow/cli"]).toBe("workspace:*"); // links node_modules/.bin/ruleflow
    expect(demoBuild).toMatch(/^node scripts\/build-if-stale\.mjs .*\bcli\b/);
    // run again with nothing changed: nothing is stale, so the demo starts without building
    const check = spawnSync("node", [...demoBuild.split(" ").slice(1), "--check"], { cwd: root, encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("there are commands to run, each through npx", () => {
    expect(cliCommands.map((c) => c.split(" ").slice(0, 3).join(" "))).toEqual([
      "npx ruleflow validate",
      "npx ruleflow evaluate",
      "npx ruleflow settle",
    ]);
  });

  it.each(cliCommands)("%s", (command) => {
    const r = spawnSync("bash", ["-c", command], { cwd: root, env: shellEnv, encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const sub = command.split(" ")[2];
    if (sub === "validate") {
      const lines = r.stdout.trim().split("\n");
      expect(lines.length).toBeGreaterThanOrEqual(10);
      for (const line of lines) expect(line).toMatch(/^packages\/examples\/definitions\/[^ ]+\.json: ok$/);
    } else if (sub === "evaluate") {
      expect(JSON.parse(r.stdout)).toMatchObject({ kind: "decision-table", id: "rebate-rate", at: "2026-02-10T02:00:00.000Z" });
    } else {
      expect(r.stdout).toMatch(/^Rebate statement distributor-rebate 2026-02 #1, CNY/);
    }
  });
});

describe("the linked ruleflow command before a build", () => {
  it("says how to build instead of failing obscurely", () => {
    const dir = mkdtempSync(join(tmpdir(), "ruleflow-bin-"));
    mkdirSync(join(dir, "bin"));
    copyFileSync(join(root, "packages", "cli", "bin", "ruleflow.js"), join(dir, "bin", "ruleflow.js"));
    copyFileSync(join(root, "packages", "cli", "package.json"), join(dir, "package.json")); // "type": "module"
    const r = spawnSync(process.execPath, [join(dir, "bin", "ruleflow.js"), "validate", "x.json"], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the command is not built yet (packages/cli/dist/cli.js is missing)");
    expect(r.stderr).toContain("npx --yes pnpm@10.34.9 demo");
  });
});
