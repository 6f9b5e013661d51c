/**
 * scripts/build-if-stale.mjs: the demo and the README's CLI commands build a
 * package only when what its build reads changed, so re-running the demo with
 * nothing changed rebuilds nothing. Runs the real script on a small workspace in
 * a temp folder whose "builds" record each run.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const script = join(root, "scripts", "build-if-stale.mjs");

/** A package whose build copies src/ into dist/index.js and appends its name to builds.log. */
function pkg(ws: string, folder: string, name: string, deps: Record<string, string> = {}, build?: string): void {
  const dir = join(ws, "packages", folder);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "index.ts"), `export const name = ${JSON.stringify(name)};\n`);
  writeFileSync(join(dir, "src", "index.test.ts"), "// a test file: not a build input\n");
  writeFileSync(
    join(dir, "build.cjs"),
    [
      'const fs = require("node:fs");',
      'fs.rmSync("dist", { recursive: true, force: true });',
      'fs.mkdirSync("dist");',
      'fs.writeFileSync("dist/index.js", fs.readFileSync("src/index.ts"));',
      `fs.appendFileSync(${JSON.stringify(join(ws, "builds.log"))}, ${JSON.stringify(name)} + "\\n");`,
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, version: "1.0.0", main: "./dist/index.js", scripts: { build: build ?? "node build.cjs" }, dependencies: deps }, null, 2),
  );
}

function workspace(): string {
  const ws = mkdtempSync(join(tmpdir(), "ruleflow-stale-"));
  // listed before its dependency on purpose: the script must order by dependencies, not by name
  pkg(ws, "app", "@t/app", { "@t/lib": "workspace:*" });
  pkg(ws, "lib", "@t/lib");
  writeFileSync(join(ws, "tsconfig.base.json"), "{}\n");
  return ws;
}

function run(ws: string, ...args: string[]): { code: number; err: string; built: string[] } {
  const log = join(ws, "builds.log");
  rmSync(log, { force: true });
  const r = spawnSync(process.execPath, [script, "--root", ws, ...args], { encoding: "utf8" });
  const built = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
  return { code: r.status ?? -1, err: r.stderr, built };
}

describe("build-if-stale", () => {
  it("builds everything once, dependencies first, then nothing while nothing changed", () => {
    const ws = workspace();
    const first = run(ws);
    expect(first.code).toBe(0);
    expect(first.built).toEqual(["@t/lib", "@t/app"]);
    expect(first.err).toContain("building @t/lib (dist/index.js is missing)");
    const second = run(ws);
    expect(second).toEqual({ code: 0, err: "", built: [] });
    expect(run(ws, "--check").code).toBe(0);
  });

  it("rebuilds only the package whose source content changed, and says why", () => {
    const ws = workspace();
    run(ws);
    writeFileSync(join(ws, "packages", "lib", "src", "index.ts"), "export const name = 2;\n");
    const check = run(ws, "--check");
    expect(check.code).toBe(1);
    expect(check.built).toEqual([]);
    expect(check.err).toContain("@t/lib: stale (packages/lib/src/index.ts changed)");
    const r = run(ws);
    expect(r.built).toEqual(["@t/lib"]);
    expect(readFileSync(join(ws, "packages", "lib", "dist", "index.js"), "utf8")).toBe("export const name = 2;\n");
  });

  it("ignores touched files with the same content and changed test files", () => {
    const ws = workspace();
    run(ws);
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(ws, "packages", "lib", "src", "index.ts"), future, future);
    writeFileSync(join(ws, "packages", "lib", "src", "index.test.ts"), "// edited\n");
    expect(run(ws).built).toEqual([]);
  });

  it("sees a new source file, a config change, a changed shared config and a reverted edit", () => {
    const ws = workspace();
    run(ws);
    writeFileSync(join(ws, "packages", "app", "src", "extra.ts"), "export {};\n");
    expect(run(ws).built).toEqual(["@t/app"]);
    writeFileSync(join(ws, "packages", "app", "tsup.config.ts"), "export default {};\n");
    expect(run(ws).built).toEqual(["@t/app"]);
    writeFileSync(join(ws, "tsconfig.base.json"), '{ "compilerOptions": {} }\n');
    expect(run(ws).built).toEqual(["@t/lib", "@t/app"]);
    // build an edit, then revert it: the dist holds the edit, so the revert must rebuild
    const src = join(ws, "packages", "lib", "src", "index.ts");
    const original = readFileSync(src, "utf8");
    writeFileSync(src, "export const name = 3;\n");
    expect(run(ws).built).toEqual(["@t/lib"]);
    writeFileSync(src, original);
    expect(run(ws).built).toEqual(["@t/lib"]);
    expect(readFileSync(join(ws, "packages", "lib", "dist", "index.js"), "utf8")).toBe(original);
  });

  it("rebuilds when dist/ was deleted or rewritten by another build", () => {
    const ws = workspace();
    run(ws);
    rmSync(join(ws, "packages", "lib", "dist"), { recursive: true });
    expect(run(ws, "lib").built).toEqual(["@t/lib"]);
    writeFileSync(join(ws, "packages", "lib", "dist", "index.js"), "// written by something else\n");
    const r = run(ws, "lib");
    expect(r.err).toContain("dist/ changed since the last build");
    expect(r.built).toEqual(["@t/lib"]);
  });

  it("builds a named package's workspace dependencies too, and only those", () => {
    const ws = workspace();
    expect(run(ws, "lib").built).toEqual(["@t/lib"]);
    rmSync(join(ws, "packages", "lib", "dist"), { recursive: true });
    expect(run(ws, "@t/app").built).toEqual(["@t/lib", "@t/app"]);
  });

  it("stops at a failing build with its output and a non-zero exit, and retries it next time", () => {
    const ws = workspace();
    pkg(ws, "lib", "@t/lib", {}, 'node -e "console.error(\'type error in src/index.ts\'); process.exit(2)"');
    const r = run(ws);
    expect(r.code).toBe(1);
    expect(r.err).toContain("type error in src/index.ts");
    expect(r.err).toContain("@t/lib failed to build");
    expect(r.built).toEqual([]); // app was not attempted after its dependency failed
    expect(run(ws).err).toContain("building @t/lib");
  });

  it("leaves a private app without declared dist/ outputs (the studio) to its own command, unless named", () => {
    const ws = workspace();
    pkg(ws, "studio", "@t/studio", { "@t/lib": "workspace:*" });
    const manifest = join(ws, "packages", "studio", "package.json");
    const { main: _main, ...rest } = JSON.parse(readFileSync(manifest, "utf8")) as Record<string, unknown>;
    writeFileSync(manifest, JSON.stringify({ ...rest, private: true }, null, 2));
    expect(run(ws).built.sort()).toEqual(["@t/app", "@t/lib"]);
    expect(run(ws, "studio").built).toEqual(["@t/studio"]);
  });

  it("refuses an unknown package name, listing the known ones", () => {
    const ws = workspace();
    const r = run(ws, "nope");
    expect(r.code).toBe(2);
    expect(r.err).toContain('no workspace package "nope" with a build script (known: lib, app)');
  });
});

describe("build-if-stale with several builds at once (--jobs)", () => {
  /** lib, and two packages that depend on it but not on each other; each build logs its start and end and takes `ms`. */
  function diamond(ms: number, failing?: string): string {
    const ws = workspace();
    pkg(ws, "web", "@t/web", { "@t/lib": "workspace:*" });
    for (const [folder, name] of [["lib", "@t/lib"], ["app", "@t/app"], ["web", "@t/web"]] as const) {
      const dir = join(ws, "packages", folder);
      const log = JSON.stringify(join(ws, "times.log"));
      writeFileSync(
        join(dir, "timed.cjs"),
        [
          'const fs = require("node:fs");',
          `fs.appendFileSync(${log}, "start ${name}\\n");`,
          `const t = Date.now() + ${ms}; while (Date.now() < t);`,
          name === failing ? `fs.appendFileSync(${log}, "fail ${name}\\n"); process.exit(3);` : "",
          `fs.appendFileSync(${log}, "end ${name}\\n");`,
        ].join("\n"),
      );
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { scripts: Record<string, string> };
      manifest.scripts["build"] = "node timed.cjs && node build.cjs";
      writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
    }
    return ws;
  }
  const times = (ws: string): string[] => readFileSync(join(ws, "times.log"), "utf8").trim().split("\n");

  it("builds the two packages that need only lib at the same time, after lib", () => {
    const ws = diamond(600);
    const r = run(ws, "--jobs", "2");
    expect(r.code).toBe(0);
    expect(r.built.sort()).toEqual(["@t/app", "@t/lib", "@t/web"]);
    const t = times(ws);
    expect(t.slice(0, 2)).toEqual(["start @t/lib", "end @t/lib"]);
    // both started before either ended
    expect(t.slice(2, 4).sort()).toEqual(["start @t/app", "start @t/web"]);
    expect(run(ws)).toEqual({ code: 0, err: "", built: [] });
  });

  it("one at a time with --jobs 1", () => {
    const ws = diamond(100);
    expect(run(ws, "--jobs", "1").code).toBe(0);
    const t = times(ws);
    for (let i = 0; i < t.length; i += 2) expect(t[i + 1]).toBe(t[i]!.replace("start", "end"));
  });

  it("a failing build starts nothing new, lets the running one finish, and exits 1", () => {
    const ws = diamond(300, "@t/app");
    const r = run(ws, "--jobs", "2");
    expect(r.code).toBe(1);
    expect(r.err).toContain("@t/app failed to build");
    expect(times(ws)).toContain("end @t/web"); // it was running: it finished and was recorded
    expect(run(ws, "--check").err).toContain("@t/app: stale");
    expect(run(ws, "--check").err).not.toContain("@t/web: stale");
  });

  it("a dependency that failed keeps its dependents from starting", () => {
    const ws = diamond(100, "@t/lib");
    const r = run(ws, "--jobs", "4");
    expect(r.code).toBe(1);
    expect(times(ws)).toEqual(["start @t/lib", "fail @t/lib"]);
  });
});

describe("build-if-stale run twice at once", () => {
  it("builds each package once: the second run waits for the first, then finds nothing stale", async () => {
    const ws = workspace();
    // a slow build, so the two runs overlap
    pkg(ws, "lib", "@t/lib", {}, 'node -e "const t = Date.now() + 1500; while (Date.now() < t);" && node build.cjs');
    const start = () =>
      new Promise<string>((done) => {
        const child = spawn(process.execPath, [script, "--root", ws], { stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("close", () => done(err));
      });
    const errs = await Promise.all([start(), start()]);
    expect(readFileSync(join(ws, "builds.log"), "utf8").trim().split("\n")).toEqual(["@t/lib", "@t/app"]);
    expect(errs.filter((e) => e.includes("waiting for another build"))).toHaveLength(1);
  });

  it("takes over a lock left by a process that died", () => {
    const ws = workspace();
    const lock = join(ws, "node_modules", ".cache", "ruleflow-build.lock");
    mkdirSync(lock, { recursive: true });
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    writeFileSync(join(lock, "pid"), dead);
    const r = run(ws);
    expect(r.code).toBe(0);
    expect(r.built).toEqual(["@t/lib", "@t/app"]);
    expect(existsSync(lock)).toBe(false);
  });
});
