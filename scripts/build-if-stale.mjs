#!/usr/bin/env node
/**
 * Build workspace packages only when what their build reads has changed.
 *
 *   node scripts/build-if-stale.mjs                 every library with a build script (not private apps such as the studio)
 *   node scripts/build-if-stale.mjs engine cli      those packages (folder or package name)
 *   node scripts/build-if-stale.mjs --check         list what is stale, build nothing (exit 1 when any is)
 *   node scripts/build-if-stale.mjs --root <dir>    another workspace (the tests use this)
 *   node scripts/build-if-stale.mjs --jobs <n>      at most n builds at once (default: one per CPU core)
 *
 * A package is stale when it has never been built by this script, when any of
 * its build inputs changed content since (every file under src/ except tests,
 * package.json, tsconfig.json, tsup.config.ts and the local files that config
 * imports, the root tsconfig.base.json, the installed tsup and typescript
 * versions), or when its dist/ changed since (another build, a deletion) or is
 * missing a file package.json points at. Content hashes, not modification
 * times, decide: a checkout that only touches files rebuilds nothing, and
 * reverting an edit after a build is still seen.
 *
 * What was seen is kept in <package>/node_modules/.cache/ruleflow-build.json,
 * never in dist/, so packed tarballs stay clean. Packages build in dependency
 * order (workspace dependencies first), each with its own `build` script; from
 * the command line, packages that do not depend on each other build at once,
 * one per CPU core (after the engine, the CLI and the adapters). One run builds
 * at a time (a lock in node_modules/.cache, freed when its process dies); a run
 * that waited re-checks, so nothing is built twice.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { delimiter, dirname, join, relative, resolve, sep } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const STAMP = join("node_modules", ".cache", "ruleflow-build.json");
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

/** Every workspace package (packages/* and packages/adapters/*) that has a build script, dependencies first. */
export function workspacePackages(root) {
  const dirs = [];
  for (const parent of ["packages", join("packages", "adapters")]) {
    const abs = join(root, parent);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs).sort()) {
      const dir = join(abs, name);
      if (existsSync(join(dir, "package.json"))) dirs.push(dir);
    }
  }
  const all = dirs.map((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const deps = { ...manifest.peerDependencies, ...manifest.devDependencies, ...manifest.dependencies };
    const workspaceDeps = Object.entries(deps)
      .filter(([, spec]) => typeof spec === "string" && spec.startsWith("workspace:"))
      .map(([name]) => name);
    return { dir, name: manifest.name, short: relative(join(root, "packages"), dir).split(sep).pop(), manifest, workspaceDeps };
  });
  const byName = new Map(all.map((p) => [p.name, p]));
  const ordered = [];
  const state = new Map();
  const visit = (p, chain) => {
    if (state.get(p.name) === "done") return;
    if (state.get(p.name) === "visiting") throw new Error(`workspace dependency cycle: ${[...chain, p.name].join(" -> ")}`);
    state.set(p.name, "visiting");
    for (const dep of p.workspaceDeps) if (byName.has(dep)) visit(byName.get(dep), [...chain, p.name]);
    state.set(p.name, "done");
    ordered.push(p);
  };
  for (const p of all) visit(p, []);
  return ordered.filter((p) => typeof p.manifest.scripts?.build === "string");
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(abs));
    else if (entry.isFile()) out.push(abs);
  }
  return out;
}

/** Local files a tsup/ts config imports (`from "../tsup.adapter.js"`), resolved to their .ts source. */
function configImports(file) {
  const found = [];
  for (const m of readFileSync(file, "utf8").matchAll(/from\s+["'](\.{1,2}\/[^"']+)["']/g)) {
    const base = resolve(dirname(file), m[1]);
    const candidates = [base, base.replace(/\.js$/, ".ts"), base.replace(/\.mjs$/, ".mts"), `${base}.ts`];
    const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
    if (hit) found.push(hit, ...configImports(hit));
  }
  return found;
}

function toolVersion(pkgDir, tool) {
  try {
    const require = createRequire(join(pkgDir, "package.json"));
    return JSON.parse(readFileSync(require.resolve(`${tool}/package.json`), "utf8")).version;
  } catch {
    return "absent";
  }
}

/** The files a package's build reads, as root-relative path -> sha256 of the content, plus tool versions. */
export function buildInputs(root, pkg) {
  const files = listFiles(join(pkg.dir, "src")).filter((f) => !TEST_FILE.test(f));
  for (const name of ["package.json", "tsconfig.json", "tsup.config.ts", "tsup.config.js", "tsup.config.mjs"]) {
    const f = join(pkg.dir, name);
    if (existsSync(f)) {
      files.push(f);
      if (name.startsWith("tsup.config")) files.push(...configImports(f));
    }
  }
  const base = join(root, "tsconfig.base.json");
  if (existsSync(base)) files.push(base);
  const inputs = {};
  for (const f of [...new Set(files)].sort()) {
    inputs[relative(root, f).split(sep).join("/")] = createHash("sha256").update(readFileSync(f)).digest("hex");
  }
  inputs["tool:tsup"] = toolVersion(pkg.dir, "tsup");
  inputs["tool:typescript"] = toolVersion(pkg.dir, "typescript");
  return inputs;
}

/** A fingerprint of dist/ as it is now: every file's path, size and modification time. */
function distFingerprint(pkg) {
  const dist = join(pkg.dir, "dist");
  const hash = createHash("sha256");
  for (const f of listFiles(dist).sort()) {
    const s = statSync(f);
    hash.update(`${relative(dist, f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest("hex");
}

/** Files under dist/ that package.json points at (main, module, types, exports, bin). */
function declaredOutputs(pkg) {
  const paths = [];
  const walk = (v) => {
    if (typeof v === "string") paths.push(v);
    else if (v && typeof v === "object") for (const x of Object.values(v)) walk(x);
  };
  const m = pkg.manifest;
  walk([m.main, m.module, m.types, m.exports, m.bin]);
  return [...new Set(paths.filter((p) => /^(\.\/)?dist\//.test(p) && !p.includes("*")))].map((p) => join(pkg.dir, p));
}

/** Why the package must be built, or null when its dist/ is up to date. */
export function staleReason(root, pkg) {
  const missing = declaredOutputs(pkg).find((f) => !existsSync(f));
  if (missing) return `${relative(pkg.dir, missing)} is missing`;
  const stampFile = join(pkg.dir, STAMP);
  if (!existsSync(stampFile)) return "no record of an earlier build";
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, "utf8"));
  } catch {
    return "its build record is unreadable";
  }
  if (stamp.dist !== distFingerprint(pkg)) return "dist/ changed since the last build";
  const now = buildInputs(root, pkg);
  const before = stamp.inputs ?? {};
  for (const key of Object.keys(now)) {
    if (!(key in before)) return `${key} is new`;
    if (before[key] !== now[key]) return key.startsWith("tool:") ? `${key.slice(5)} changed version` : `${key} changed`;
  }
  const removed = Object.keys(before).find((key) => !(key in now));
  return removed ? `${removed} was removed` : null;
}

function buildEnv(root, pkg) {
  const bins = [join(pkg.dir, "node_modules", ".bin"), join(root, "node_modules", ".bin")];
  return { ...process.env, PATH: [...bins, process.env.PATH ?? ""].join(delimiter) };
}

function recordBuild(pkg, inputs) {
  mkdirSync(dirname(join(pkg.dir, STAMP)), { recursive: true });
  writeFileSync(join(pkg.dir, STAMP), `${JSON.stringify({ inputs, dist: distFingerprint(pkg) }, null, 1)}\n`);
}

function runBuild(root, pkg) {
  const inputs = buildInputs(root, pkg); // read before building: an edit during the build makes the next run rebuild
  const r = spawnSync(pkg.manifest.scripts.build, { cwd: pkg.dir, env: buildEnv(root, pkg), shell: true, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) return { ok: false, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
  recordBuild(pkg, inputs);
  return { ok: true };
}

/** runBuild without blocking, so that packages which do not depend on each other build at once. */
function runBuildAsync(root, pkg) {
  const inputs = buildInputs(root, pkg);
  return new Promise((done) => {
    const child = spawn(pkg.manifest.scripts.build, { cwd: pkg.dir, env: buildEnv(root, pkg), shell: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => (output += String(e)));
    child.on("close", (code) => {
      if (code !== 0) return done({ ok: false, output });
      recordBuild(pkg, inputs);
      done({ ok: true });
    });
  });
}

/**
 * Build the named packages (all when none) that are stale, in dependency order.
 * Dependencies of a named package are checked too. Returns the exit code.
 */
/** The named packages and their workspace dependencies (all when none are named), in dependency order; an exit code when a name is unknown. */
function selectPackages(root, names, log) {
  const packages = workspacePackages(root);
  const pick = (name) => packages.find((p) => p.name === name || p.short === name || p.name === `@ruleflow/${name}`);
  // With no names: the libraries. A private package that declares no dist/ output (the studio app)
  // is built by its own command; nothing builds from its dist/, so it is built only when named.
  if (!names.length) return packages.filter((p) => !(p.manifest.private === true && declaredOutputs(p).length === 0));
  const chosen = new Set();
  const add = (p) => {
    if (chosen.has(p.name)) return;
    chosen.add(p.name);
    for (const dep of p.workspaceDeps) if (pick(dep)) add(pick(dep));
  };
  for (const name of names) {
    const p = pick(name);
    if (!p) {
      log(`build-if-stale: no workspace package "${name}" with a build script (known: ${packages.map((x) => x.short).join(", ")})`);
      return 2;
    }
    add(p);
  }
  return packages.filter((p) => chosen.has(p.name));
}

export function buildIfStale({ root, names = [], check = false, log = (line) => process.stderr.write(`${line}\n`) }) {
  const wanted = selectPackages(root, names, log);
  if (typeof wanted === "number") return wanted;
  if (check) {
    let stale = 0;
    for (const pkg of wanted) {
      const reason = staleReason(root, pkg);
      if (reason === null) continue;
      stale++;
      log(`${pkg.name}: stale (${reason})`);
    }
    return stale > 0 ? 1 : 0;
  }
  if (wanted.every((pkg) => staleReason(root, pkg) === null)) return 0;
  // Something to build: one build at a time per workspace (tests and the demo may run this at once);
  // whoever waited re-checks, so what the other process built is not built again.
  const release = acquireLock(root, log);
  try {
    for (const pkg of wanted) {
      const reason = staleReason(root, pkg);
      if (reason === null) continue;
      log(`building ${pkg.name} (${reason})`);
      const r = runBuild(root, pkg);
      if (!r.ok) {
        log(r.output.trimEnd());
        log(`build-if-stale: ${pkg.name} failed to build`);
        return 1;
      }
    }
    return 0;
  } finally {
    release();
  }
}

/**
 * buildIfStale, with up to `jobs` builds at once (default: one per CPU core): a
 * package starts when the workspace dependencies it waits for have built. The
 * command line uses this; the same checks, lock, records and messages. When a
 * build fails, nothing new starts, the running builds finish, and the exit code is 1.
 */
export async function buildIfStaleParallel({ root, names = [], check = false, jobs = availableParallelism(), log = (line) => process.stderr.write(`${line}\n`) }) {
  const wanted = selectPackages(root, names, log);
  if (typeof wanted === "number") return wanted;
  if (check || jobs <= 1) return buildIfStale({ root, names, check, log });
  if (wanted.every((pkg) => staleReason(root, pkg) === null)) return 0;
  const release = acquireLock(root, log);
  try {
    const stale = new Map();
    for (const pkg of wanted) {
      const reason = staleReason(root, pkg);
      if (reason !== null) stale.set(pkg.name, { pkg, reason });
    }
    // A dependency that is not stale is built already; one that is stale must finish first.
    const done = new Set();
    const running = new Map();
    let failed = false;
    const ready = () =>
      [...stale.values()].filter(({ pkg }) => !running.has(pkg.name) && pkg.workspaceDeps.every((d) => !stale.has(d) || done.has(d)));
    while (stale.size > 0 && !failed) {
      for (const { pkg, reason } of ready()) {
        if (running.size >= jobs) break;
        log(`building ${pkg.name} (${reason})`);
        running.set(pkg.name, runBuildAsync(root, pkg).then((r) => ({ pkg, r })));
      }
      if (running.size === 0) break; // nothing can start: cannot happen with an acyclic graph
      const { pkg, r } = await Promise.race(running.values());
      running.delete(pkg.name);
      stale.delete(pkg.name);
      if (r.ok) done.add(pkg.name);
      else {
        failed = true;
        log(r.output.trimEnd());
        log(`build-if-stale: ${pkg.name} failed to build`);
      }
    }
    for (const { pkg, r } of await Promise.all(running.values())) {
      if (r.ok) continue;
      log(r.output.trimEnd());
      log(`build-if-stale: ${pkg.name} failed to build`);
    }
    return failed ? 1 : 0;
  } finally {
    release();
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/** Take the workspace's build lock (a directory: created atomically), waiting while a live process holds it. */
function acquireLock(root, log) {
  const lock = join(root, "node_modules", ".cache", "ruleflow-build.lock");
  mkdirSync(dirname(lock), { recursive: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(lock, "pid"), "utf8"));
    } catch {
      // just created, pid not written yet: wait
    }
    let abandoned = Number.isInteger(holder) && holder > 0 && !alive(holder); // its process died mid-build
    if (!Number.isInteger(holder)) {
      try {
        abandoned = statSync(lock).mtimeMs < Date.now() - 10_000; // created, but no pid written for 10 s
      } catch {
        continue; // released meanwhile
      }
    }
    if (abandoned) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!told && Number.isInteger(holder)) {
      log(`waiting for another build (process ${holder}) to finish`);
      told = true;
    }
    Atomics.wait(pause, 0, 0, 250);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  let root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const names = [];
  let check = false;
  let jobs;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--check") check = true;
    else if (args[i] === "--jobs") jobs = Math.max(1, Number(args[++i]) || 1);
    else if (args[i] === "--root") root = resolve(args[++i] ?? ".");
    else names.push(args[i]);
  }
  process.exitCode = await buildIfStaleParallel({ root, names, check, ...(jobs ? { jobs } : {}) });
}
