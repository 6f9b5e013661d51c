#!/usr/bin/env node
/**
 * Write an installable tarball of every publishable workspace package.
 *
 *   node scripts/pack.mjs                 into dist/tarballs/ (git-ignored)
 *   node scripts/pack.mjs --out <dir>     into another folder
 *
 * Builds what is stale first (scripts/build-if-stale.mjs), then runs one
 * `pnpm -r pack` over the packages that are not private: pnpm rewrites `workspace:*` and
 * `workspace:^` dependencies to the packages' versions, so the tarballs install
 * anywhere (see docs/install.md). Earlier Ruleflow tarballs in the folder are
 * removed first. Every tarball is checked: its package.json must name no
 * `workspace:` version and every file its package.json points at must be inside.
 * Prints one tarball path per line on standard output.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildIfStale, workspacePackages } from "./build-if-stale.mjs";

const PNPM = "pnpm@10.34.9";

/** The files in a .tgz as path -> content (a minimal ustar reader: npm tarballs hold regular files only). */
export function readTarball(file) {
  const data = gunzipSync(readFileSync(file));
  const files = new Map();
  let offset = 0;
  let longName = null;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, length) => header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = data.subarray(offset + 512, offset + 512 + size);
    longName = null;
    if (type === "L") longName = body.toString("utf8").replace(/\0.*$/s, "");
    else if (type === "0" || type === "") files.set(name, body);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Problems with one packed tarball: leftover workspace: versions, declared files that are not inside. */
export function checkTarball(file) {
  const files = readTarball(file);
  const raw = files.get("package/package.json");
  if (!raw) return ["no package/package.json inside"];
  const manifest = JSON.parse(raw.toString("utf8"));
  const problems = [];
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
      if (String(spec).startsWith("workspace:")) problems.push(`${field}.${name} is still "${spec}"`);
    }
  }
  const declared = [];
  const walk = (v) => {
    if (typeof v === "string") declared.push(v);
    else if (v && typeof v === "object") for (const x of Object.values(v)) walk(x);
  };
  walk([manifest.main, manifest.module, manifest.types, manifest.exports, manifest.bin]);
  for (const p of new Set(declared)) {
    if (p.includes("*")) continue;
    if (!files.has(`package/${p.replace(/^\.\//, "")}`)) problems.push(`package.json points at ${p}, which is not in the tarball`);
  }
  return problems;
}

function runPnpm(args, cwd) {
  const execpath = process.env.npm_execpath;
  const viaPnpm = execpath && /pnpm/.test(execpath);
  const r = viaPnpm
    ? spawnSync(process.execPath, [execpath, ...args], { cwd, encoding: "utf8" })
    : spawnSync("npx", ["--yes", PNPM, ...args], { cwd, encoding: "utf8", shell: process.platform === "win32" });
  return r;
}

/** Build what is stale, pack every publishable package into `out`, check each tarball. Returns the tarball paths. */
export function packAll({ root, out, log = (line) => process.stderr.write(`${line}\n`) }) {
  if (buildIfStale({ root, log }) !== 0) throw new Error("a package failed to build; nothing was packed");
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (/^ruleflow-.*\.tgz$/.test(f)) rmSync(join(out, f));
  const published = workspacePackages(root).filter((pkg) => !pkg.manifest.private);
  if (!published.length) return [];
  // one pnpm process packs them all (a filter per package; about 2 s instead of one process of 1-2 s each)
  const filters = published.flatMap((pkg) => ["--filter", `./${relative(root, pkg.dir).split(sep).join("/")}`]);
  const r = runPnpm(["-r", ...filters, "pack", "--pack-destination", out], root);
  if (r.status !== 0) throw new Error(`pnpm pack failed:\n${r.stdout}${r.stderr}`);
  const tarballs = [];
  for (const pkg of published) {
    // pnpm's name for a tarball: the scope's "@" dropped, "/" as "-", then the version
    const name = `${pkg.manifest.name.replace(/^@/, "").replace("/", "-")}-${pkg.manifest.version}.tgz`;
    const file = join(out, name);
    if (!existsSync(file)) throw new Error(`pnpm pack wrote no ${name} for ${pkg.name}:\n${r.stdout}${r.stderr}`);
    const problems = checkTarball(file);
    if (problems.length) throw new Error(`${name}:\n  ${problems.join("\n  ")}`);
    tarballs.push(file);
  }
  return tarballs;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const args = process.argv.slice(2);
  const i = args.indexOf("--out");
  const out = i >= 0 && args[i + 1] ? resolve(args[i + 1]) : join(root, "dist", "tarballs");
  try {
    for (const file of packAll({ root, out })) process.stdout.write(`${file}\n`);
  } catch (e) {
    process.stderr.write(`pack: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
