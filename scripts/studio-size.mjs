#!/usr/bin/env node
/**
 * The studio's JavaScript: its gzip size against a budget, and no Node built-in in it.
 *
 *   node scripts/studio-size.mjs                  build the studio (in memory), report, compare with size-budget.json
 *   node scripts/studio-size.mjs --reset          rewrite the studio's budget as measured + headroom (say why in the commit)
 *   node scripts/studio-size.mjs --budget <file>  another budget file
 *   node scripts/studio-size.mjs --root <dir>     another workspace
 *   node scripts/studio-size.mjs --app <dir>      another Vite app folder, built with the studio's Vite (the tests use a tiny one)
 *
 * Runs the studio's own `vite build` (its vite.config.ts, so the engine and the
 * components come from their src/ as in `pnpm studio:build`) with `write: false`:
 * nothing is written, the emitted chunks are measured in memory. Each JavaScript
 * chunk is minified as Vite ships it and gzipped here (level 9); a browser
 * downloads each file on its own, so the sizes add up per file. Two totals:
 *
 * - initial: what opening the page downloads, the entry chunk and every chunk it
 *   imports statically, transitively;
 * - total: every chunk, including those loaded on demand by `import()` (elkjs,
 *   fetched when a workflow diagram is first laid out).
 *
 * Budgets: size-budget.json "studio": { initialGzip, totalGzip }, with the same
 * headroom as the package entries (scripts/check-size.mjs).
 *
 * No Node built-in, proved from the build itself, not from the text of the output:
 *
 * 1. a plugin that runs before Vite's own resolver sees every import specifier
 *    of every module in the graph (static, dynamic and CommonJS `require`,
 *    including modules whose code is later tree-shaken away); each one that
 *    names a Node built-in (`node:fs`, `fs`, `path/posix`...) is resolved as
 *    the build would resolve it, and it is a finding unless it resolved to a
 *    real file (a browser polyfill a package chose through its "browser" field);
 *    Vite's stand-in for built-ins (`__vite-browser-external`) counts as a
 *    built-in;
 * 2. the output: no chunk may contain a module whose id is Vite's stand-in,
 *    and every import a chunk keeps must be another emitted chunk (a bare
 *    specifier left in the output, `node:*` or anything else, would fail in a
 *    browser).
 *
 * Fails (exit 1) when a total is over budget or has no budget, or any built-in is found.
 */
import { Buffer } from "node:buffer";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { isNodeBuiltin } from "./ship-entries.mjs";

const BROWSER_EXTERNAL = "__vite-browser-external";

/** The studio's Vite (its devDependency), loaded from its folder. */
async function loadVite(studioDir) {
  const require = createRequire(join(studioDir, "package.json"));
  const manifestPath = require.resolve("vite/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const dot = manifest.exports?.["."];
  const entry = typeof dot === "string" ? dot : (dot?.import?.default ?? dot?.import ?? dot?.default);
  return import(pathToFileURL(join(dirname(manifestPath), entry)).href);
}

/**
 * A Vite plugin that records every import of a Node built-in the build
 * resolves. `found` receives "importer imports "specifier"" lines.
 */
export function builtinImportsPlugin(found, root) {
  const where = (id) => {
    if (!id) return "(entry)";
    const rel = relative(root, id.split("?")[0]);
    return rel && !rel.startsWith("..") ? rel : id;
  };
  return {
    name: "ruleflow:no-node-builtins",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (source.startsWith("\0") || !isNodeBuiltin(source)) return null;
      const r = await this.resolve(source, importer, { ...options, skipSelf: true });
      const toFile = r && !r.external && !r.id.includes(BROWSER_EXTERNAL) && !r.id.startsWith("\0") && r.id !== source;
      if (!toFile) found.push(`${where(importer)} imports "${source}"${r?.id.includes(BROWSER_EXTERNAL) ? " (Vite replaced it by an empty stand-in)" : ""}`);
      return null;
    },
  };
}

/** The chunks of a build's output, with sizes and whether the page loads them at once. */
export function chunkReport(output) {
  const chunks = output.filter((o) => o.type === "chunk");
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const initial = new Set();
  const visit = (c) => {
    if (initial.has(c.fileName)) return;
    initial.add(c.fileName);
    for (const dep of c.imports) if (byName.has(dep)) visit(byName.get(dep));
  };
  for (const c of chunks) if (c.isEntry) visit(c);
  const rows = chunks
    .map((c) => {
      const code = Buffer.from(c.code);
      return { file: c.fileName, min: code.length, gzip: gzipSync(code, { level: 9 }).length, initial: initial.has(c.fileName) };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzip - a.gzip);
  const problems = [];
  for (const c of chunks) {
    for (const id of c.moduleIds ?? Object.keys(c.modules ?? {})) {
      if (id.includes(BROWSER_EXTERNAL)) problems.push(`${c.fileName} holds ${id}: a Node built-in Vite replaced by an empty module`);
    }
    for (const spec of [...c.imports, ...c.dynamicImports]) {
      if (!byName.has(spec)) problems.push(`${c.fileName} imports "${spec}", which is not a chunk of the build${isNodeBuiltin(spec) ? " (a Node built-in)" : ""}`);
    }
  }
  const sum = (list) => list.reduce((n, r) => n + r.gzip, 0);
  const sumMin = (list) => list.reduce((n, r) => n + r.min, 0);
  const initialRows = rows.filter((r) => r.initial);
  return {
    rows,
    problems,
    initial: { min: sumMin(initialRows), gzip: sum(initialRows) },
    total: { min: sumMin(rows), gzip: sum(rows) },
  };
}

function kb(n) {
  return n === undefined ? "-" : `${(n / 1024).toFixed(1)} KiB`;
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" | ")} |`;
  return [line(rows[0]), `|${widths.map((w, i) => (i === 0 ? `${"-".repeat(w + 1)}-` : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

/**
 * Build the app in memory, measure its chunks and scan for Node built-ins.
 * Returns `{ code, report, builtins, problems }`; `log` receives the table and every problem.
 */
export async function checkStudioSize({
  root,
  appDir = join(root, "packages", "studio"),
  budgetFile = join(root, "size-budget.json"),
  reset = false,
  log = (line) => process.stdout.write(`${line}\n`),
}) {
  const { build } = await loadVite(join(root, "packages", "studio"));
  const builtins = [];
  const started = Date.now();
  let output;
  try {
    const result = await build({
      root: appDir,
      logLevel: "silent",
      plugins: [builtinImportsPlugin(builtins, root)],
      build: { write: false, sourcemap: false, reportCompressedSize: false },
    });
    output = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  } catch (e) {
    log(`studio-size: vite build of ${relative(root, appDir)} failed: ${e instanceof Error ? e.message : String(e)}`);
    return { code: 1, problems: ["build failed"] };
  }
  const seconds = (Date.now() - started) / 1000;
  const report = chunkReport(output);
  const problems = [];
  for (const b of builtins) problems.push(`the bundle reaches a Node built-in: ${b}`);
  problems.push(...report.problems);

  const budget = JSON.parse(readFileSync(budgetFile, "utf8"));
  const headroom = typeof budget.headroom === "number" ? budget.headroom : 0.12;
  let limit = budget.studio;
  if (reset) {
    const round = (n) => Math.ceil((n * (1 + headroom)) / 100) * 100;
    limit = { initialGzip: round(report.initial.gzip), totalGzip: round(report.total.gzip) };
    writeFileSync(budgetFile, `${JSON.stringify({ ...budget, studio: limit }, null, 2)}\n`);
    log(`studio-size: wrote the studio's budget: ${limit.initialGzip} B initial, ${limit.totalGzip} B total`);
  }
  if (!limit) problems.push(`no "studio" budget in ${relative(root, budgetFile)} (run node scripts/studio-size.mjs --reset to add one)`);
  for (const [key, label, measured] of [
    ["initialGzip", "initial JavaScript", report.initial.gzip],
    ["totalGzip", "total JavaScript", report.total.gzip],
  ]) {
    if (!limit) break;
    if (typeof limit[key] !== "number") problems.push(`the studio budget has no number "${key}"`);
    else if (measured > limit[key]) problems.push(`the studio's ${label} is ${measured} B gzipped, over its budget of ${limit[key]} B by ${measured - limit[key]} B`);
  }

  const rows = [["chunk", "loaded", "min", "min+gz", "budget"]];
  for (const r of report.rows) rows.push([r.file, r.initial ? "at once" : "on demand", kb(r.min), kb(r.gzip), ""]);
  rows.push(["initial (loaded at once)", "", kb(report.initial.min), kb(report.initial.gzip), kb(limit?.initialGzip)]);
  rows.push(["total", "", kb(report.total.min), kb(report.total.gzip), kb(limit?.totalGzip)]);
  log(`studio-size: vite build of ${relative(root, appDir)} in ${seconds.toFixed(1)} s`);
  log(table(rows));
  for (const p of problems) log(`studio-size: ${p}`);
  if (!problems.length) log("studio-size: the studio's JavaScript is within its budget and reaches no Node built-in");
  return { code: problems.length ? 1 : 0, report, builtins, problems };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  let root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  let budgetFile;
  let appDir;
  let reset = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--root") root = resolve(args[++i] ?? ".");
    else if (args[i] === "--budget") budgetFile = resolve(args[++i] ?? "");
    else if (args[i] === "--app") appDir = resolve(args[++i] ?? "");
    else if (args[i] === "--reset") reset = true;
    else {
      process.stderr.write(`studio-size: unknown argument ${args[i]}\n`);
      process.exit(2);
    }
  }
  const r = await checkStudioSize({ root, appDir, budgetFile: budgetFile ?? join(root, "size-budget.json"), reset });
  process.exitCode = r.code;
}
