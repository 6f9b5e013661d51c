#!/usr/bin/env node
/**
 * Size budget of every shipped entry, and no Node built-in in the browser bundle.
 *
 *   node scripts/check-size.mjs                  build what is stale, measure, compare with size-budget.json
 *   node scripts/check-size.mjs --update         also write a budget for entries that have none (measured + headroom)
 *   node scripts/check-size.mjs --reset          rewrite every budget as measured + headroom (after a deliberate change
 *                                                of what an entry holds; say why in the commit)
 *   node scripts/check-size.mjs --budget <file>  another budget file (the tests use a tiny one)
 *   node scripts/check-size.mjs --root <dir>     another workspace (the tests use this)
 *   node scripts/check-size.mjs --no-build       measure dist/ as it is
 *
 * Each entry of a published package's "exports" (read from package.json, so a
 * new entry is measured as soon as it is declared) is bundled from its built
 * ESM file in dist/ with esbuild, minified, then gzipped (level 9). Two sizes:
 *
 * - own: the package's code alone; its dependencies, peer dependencies, the
 *   other @ruleflow packages and (on the node platform) Node built-ins are
 *   left as imports;
 * - with dependencies: what an app's bundle grows by when it has none of the
 *   package's dependencies yet (dependencies bundled; peers, other @ruleflow
 *   packages and Node built-ins still left out).
 *
 * Packages are bundled for the platform size-budget.json gives them: the
 * engine for "browser" (it runs in browsers; entries listed under its
 * "nodeOnlyEntries" are measured for node and skip the browser check), the
 * adapters for "node" (they talk to databases, SMTP and HTTP from a server).
 * Every browser entry must bundle with its dependencies without any Node
 * built-in: esbuild refuses to resolve `node:*`, `fs`, `crypto`... for the
 * browser, and the metafile is scanned for any such import left behind.
 *
 * Fails (exit 1) when an entry is over budget, has no budget, does not bundle,
 * or pulls a Node built-in into a browser bundle. Prints one table.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { buildIfStale } from "./build-if-stale.mjs";
import { entriesOf, inPackage, isNodeBuiltin, publishedPackages } from "./ship-entries.mjs";

const NODE_BUILTIN_PATTERNS = ["node:*"];

/** Names a bundle leaves as imports: each package name and its subpaths. */
function asExternal(names) {
  return names.flatMap((n) => [n, `${n}/*`]);
}

/** Bundle one file; returns sizes, the metafile and esbuild's errors (never throws on a failed build). */
async function bundle(file, { platform, external, root }) {
  try {
    const r = await esbuild.build({
      entryPoints: [file],
      absWorkingDir: root, // paths in the metafile and in errors are relative to the workspace
      bundle: true,
      minify: true,
      format: "esm",
      platform,
      target: "es2022",
      external,
      write: false,
      metafile: true,
      logLevel: "silent",
      legalComments: "none",
    });
    const code = r.outputFiles[0].contents;
    return { ok: true, min: code.length, gzip: gzipSync(code, { level: 9 }).length, metafile: r.metafile };
  } catch (e) {
    const errors = (e.errors ?? [{ text: String(e) }]).map((x) => {
      const where = x.location ? `${x.location.file}:${x.location.line}: ` : "";
      const notes = (x.notes ?? []).map((n) => n.text).filter(Boolean);
      return `${where}${x.text}${notes.length ? ` (${notes[0]})` : ""}`;
    });
    return { ok: false, errors };
  }
}

/** Node built-ins a browser bundle still imports, as "input -> specifier". */
export function builtinImports(metafile) {
  const found = [];
  for (const [input, info] of Object.entries(metafile.inputs)) {
    if (isNodeBuiltin(input)) found.push(`${input} is a Node built-in`);
    for (const imp of info.imports ?? []) {
      const spec = imp.original ?? imp.path;
      // a specifier that resolved to a file (a browser polyfill through a "browser" field) is not a built-in
      const resolvedToFile = !imp.external && imp.path !== spec;
      if (isNodeBuiltin(spec) && !resolvedToFile) found.push(`${input} imports "${spec}"`);
    }
  }
  return found;
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
 * Measure every entry and compare with the budget file. Returns
 * `{ code, rows, problems }`; `log` receives the table and every problem.
 */
export async function checkSize({ root, budgetFile = join(root, "size-budget.json"), update = false, reset = false, build = true, log = (line) => process.stdout.write(`${line}\n`) }) {
  if (build && buildIfStale({ root, log: (l) => process.stderr.write(`${l}\n`) }) !== 0) {
    log("check-size: a package failed to build");
    return { code: 1, rows: [], problems: ["build failed"] };
  }
  const budget = JSON.parse(readFileSync(budgetFile, "utf8"));
  const headroom = typeof budget.headroom === "number" ? budget.headroom : 0.12;
  budget.entries ??= {};
  const problems = [];
  const rows = [["entry", "platform", "own min", "own min+gz", "budget", "with deps min+gz", "budget"]];
  const measured = {};
  let changed = false;

  for (const pkg of publishedPackages(root)) {
    const conf = budget.packages?.[pkg.name];
    if (!conf) {
      problems.push(`${pkg.name}: not in ${relative(root, budgetFile)} "packages" (give it a platform, or "skip" with a reason)`);
      continue;
    }
    if (conf.skip) continue;
    const peers = Object.keys(pkg.manifest.peerDependencies ?? {});
    const deps = Object.keys(pkg.manifest.dependencies ?? {});
    const others = ["@ruleflow/*"];
    for (const entry of entriesOf(pkg.manifest)) {
      const js = entry.esm?.js ?? entry.cjs?.js;
      if (!js) {
        problems.push(`${entry.specifier}: no JavaScript file in "exports"`);
        continue;
      }
      const nodeOnly = (conf.nodeOnlyEntries ?? []).includes(entry.specifier);
      const platform = nodeOnly ? "node" : conf.platform;
      const builtins = platform === "browser" ? [] : NODE_BUILTIN_PATTERNS;
      const file = inPackage(pkg, js);
      const own = await bundle(file, { platform, root, external: [...asExternal([...deps, ...peers]), ...others, ...builtins] });
      const all = await bundle(file, { platform, root, external: [...asExternal(peers), ...others, ...builtins] });
      for (const [label, r] of [["own code", own], ["with its dependencies", all]]) {
        if (!r.ok) problems.push(`${entry.specifier} (${platform}, ${label}) does not bundle:\n    ${r.errors.join("\n    ")}`);
      }
      if (platform === "browser" && all.ok) {
        for (const hit of builtinImports(all.metafile)) problems.push(`${entry.specifier}: the browser bundle reaches a Node built-in: ${hit}`);
      }
      measured[entry.specifier] = { minGzip: own.gzip, minGzipWithDependencies: all.gzip };
      let limit = budget.entries[entry.specifier];
      if ((reset || (!limit && update)) && own.ok && all.ok) {
        limit = {
          minGzip: Math.ceil((own.gzip * (1 + headroom)) / 100) * 100,
          minGzipWithDependencies: Math.ceil((all.gzip * (1 + headroom)) / 100) * 100,
        };
        budget.entries[entry.specifier] = limit;
        changed = true;
        log(`check-size: wrote a budget for ${entry.specifier}: ${limit.minGzip} B own, ${limit.minGzipWithDependencies} B with dependencies`);
      }
      let status = "";
      if (!limit) {
        problems.push(
          `${entry.specifier}: no budget in ${relative(root, budgetFile)} (measured ${own.gzip ?? "?"} B own, ${all.gzip ?? "?"} B with dependencies; run node scripts/check-size.mjs --update to add one)`,
        );
        status = "no budget";
      } else {
        for (const [key, r, label] of [["minGzip", own, "own code"], ["minGzipWithDependencies", all, "with dependencies"]]) {
          if (typeof limit[key] !== "number") {
            problems.push(`${entry.specifier}: budget has no number "${key}"`);
          } else if (r.ok && r.gzip > limit[key]) {
            problems.push(`${entry.specifier}: ${label} is ${r.gzip} B minified+gzipped, over its budget of ${limit[key]} B by ${r.gzip - limit[key]} B`);
            status = "OVER";
          }
        }
      }
      rows.push([
        entry.specifier + (status ? ` (${status})` : ""),
        platform,
        kb(own.min),
        kb(own.gzip),
        kb(limit?.minGzip),
        kb(all.gzip),
        kb(limit?.minGzipWithDependencies),
      ]);
    }
  }
  const notes = [];
  for (const name of Object.keys(budget.entries)) {
    if (!(name in measured)) notes.push(`${name} has a budget but no package exports it: remove it from ${relative(root, budgetFile)}`);
  }
  if (changed) {
    // entries in package order, then each package's "exports" order; budgets of entries no longer exported stay last
    const ordered = Object.fromEntries([...Object.keys(measured), ...Object.keys(budget.entries)].filter((k) => k in budget.entries).map((k) => [k, budget.entries[k]]));
    writeFileSync(budgetFile, `${JSON.stringify({ ...budget, entries: ordered }, null, 2)}\n`);
  }
  log(table(rows));
  log("(own: the entry without its dependencies; with deps: dependencies bundled too. Peers, other @ruleflow packages and, on node, Node built-ins are never counted.)");
  for (const n of notes) log(`check-size: note: ${n}`);
  for (const p of problems) log(`check-size: ${p}`);
  if (!problems.length) log("check-size: every entry is within its budget; the browser entries reach no Node built-in");
  return { code: problems.length ? 1 : 0, rows, problems, measured };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  let root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  let budgetFile;
  let update = false;
  let reset = false;
  let build = true;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--root") root = resolve(args[++i] ?? ".");
    else if (args[i] === "--budget") budgetFile = resolve(args[++i] ?? "");
    else if (args[i] === "--update") update = true;
    else if (args[i] === "--reset") reset = true;
    else if (args[i] === "--no-build") build = false;
    else {
      process.stderr.write(`check-size: unknown argument ${args[i]}\n`);
      process.exit(2);
    }
  }
  const r = await checkSize({ root, budgetFile: budgetFile ?? join(root, "size-budget.json"), update, reset, build });
  process.exitCode = r.code;
}
