/**
 * docs/quick-start.md runs as printed: every file block on the page is byte for
 * byte a file of packages/examples/src/quick-start/, every program there prints
 * exactly the output block the page shows, and the commands name what exists.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const src = join(root, "packages", "examples", "src");
const appDir = join(src, "quick-start");
const page = readFileSync(join(root, "docs", "quick-start.md"), "utf8");

/** The fenced block right after each `<!-- marker: name -->`, by name. */
function marked(marker: "file" | "output"): Map<string, { lang: string; text: string }> {
  const out = new Map<string, { lang: string; text: string }>();
  for (const m of page.matchAll(new RegExp(`<!-- ${marker}: ([^ ]+) -->\\n\`\`\`(\\w+)\\n([\\s\\S]*?)\`\`\`\\n`, "g"))) {
    expect(out.has(m[1]!), `${marker} ${m[1]} is marked once`).toBe(false);
    out.set(m[1]!, { lang: m[2]!, text: m[3]! });
  }
  return out;
}

const files = marked("file");
const outputs = marked("output");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [relative(src, join(dir, e.name)).split("\\").join("/")],
  );
}

/** Every fenced block of the page: its language and whether a file marker is the line before it. */
function fencedBlocks(): { lang: string; marked: boolean }[] {
  const lines = page.split("\n");
  const out: { lang: string; marked: boolean }[] = [];
  let inside = false;
  lines.forEach((line, i) => {
    if (!line.startsWith("```")) return;
    if (!inside) out.push({ lang: line.slice(3), marked: /^<!-- file: \S+ -->$/.test(lines[i - 1] ?? "") });
    inside = !inside;
  });
  return out;
}

describe("docs/quick-start.md: the code on the page is the example app", () => {
  it("shows every file of packages/examples/src/quick-start/, and nothing else", () => {
    expect([...files.keys()].sort()).toEqual(filesUnder(appDir).sort());
    expect(files.size).toBeGreaterThanOrEqual(7);
  });

  it.each([...files.keys()])("%s is byte for byte the file", (name) => {
    const block = files.get(name)!;
    expect(block.lang).toBe(name.endsWith(".json") ? "json" : "ts");
    expect(block.text).toBe(readFileSync(join(src, name), "utf8"));
  });

  it("every TypeScript and JSON block on the page is one of those files", () => {
    const code = fencedBlocks().filter((b) => b.lang === "ts" || b.lang === "json");
    expect(code.length).toBe(files.size);
    expect(code.every((b) => b.marked)).toBe(true);
  });

  it("every program on the page has its output shown, and is run as printed", () => {
    const programs = [...files.keys()].filter((n) => n.endsWith(".ts"));
    expect([...outputs.keys()].sort()).toEqual(programs.sort());
    const runs = [...page.matchAll(/^npx tsx (\S+)$/gm)].map((m) => `quick-start/${m[1]}`);
    expect(new Set(runs)).toEqual(new Set(programs));
  });
});

describe("docs/quick-start.md: the commands name what exists", () => {
  const shell = [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).join("");
  const manifest = JSON.parse(readFileSync(join(root, "packages", "engine", "package.json"), "utf8")) as { name: string; version: string };
  const rootScripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

  it("the engine is built by the stale-only build script and packed under the name the app installs", () => {
    expect(shell).toContain("node scripts/build-if-stale.mjs engine\n");
    expect(existsSync(join(root, "scripts", "build-if-stale.mjs"))).toBe(true);
    expect(shell).toContain("(cd packages/engine && npx --yes pnpm@10.34.9 pack --pack-destination ../../dist/tarballs)\n");
    expect(manifest.name).toBe("@ruleflow/engine");
    // pnpm pack names the tarball after the package: @ruleflow/engine 0.1.0 -> ruleflow-engine-0.1.0.tgz
    expect(shell).toContain(`npm install ../ruleflow/dist/tarballs/ruleflow-engine-${manifest.version}.tgz tsx\n`);
    expect(page).toContain(`dist/tarballs/ruleflow-engine-${manifest.version}.tgz`);
  });

  it("pack:all, named as the alternative, is a script of the workspace", () => {
    expect(page).toContain("npx --yes pnpm@10.34.9 pack:all");
    expect(rootScripts["pack:all"]).toBeDefined();
  });

  it("the app is an ES module package, as the programs' top-level await needs", () => {
    expect(shell).toContain("npm pkg set type=module\n");
  });
});

describe("docs/quick-start.md: each program prints what the page shows", () => {
  const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const printed = new Map<string, { stdout: string; stderr: string }>();

  beforeAll(async () => {
    const run = promisify(execFile);
    // run where the page runs them, in the app folder; another time zone than the examples' own, to show the output does not depend on it
    const env = { ...process.env, TZ: "America/Los_Angeles", NO_COLOR: "1" };
    await Promise.all(
      [...outputs.keys()].map(async (name) => {
        const { stdout, stderr } = await run(process.execPath, [tsx, relative("quick-start", name)], { cwd: appDir, env, timeout: 150_000 });
        printed.set(name, { stdout, stderr });
      }),
    );
  }, 180_000);

  it.each([...outputs.keys()])("%s", (name) => {
    const r = printed.get(name)!;
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(outputs.get(name)!.text);
  });
});
