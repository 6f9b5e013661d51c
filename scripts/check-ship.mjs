#!/usr/bin/env node
/**
 * Checks on what we ship (docs/typescript.md), after building what is stale:
 *
 *   types   scripts/check-types-dist.mjs: type tests against the built dist/*.d.ts
 *           of every entry, node16 (ES module and CommonJS; with the DOM for ui) and bundler
 *   attw    scripts/check-attw.mjs: arethetypeswrong and publint on every packed tarball
 *   size    scripts/check-size.mjs: size budget per entry (size-budget.json), and
 *           no Node built-in in the browser packages' bundles (engine, ui); then
 *           scripts/studio-size.mjs: the studio's JavaScript (one in-memory vite
 *           build) against its budget, and no Node built-in in it
 *
 *   node scripts/check-ship.mjs                  all three
 *   node scripts/check-ship.mjs types size       some of them
 *   node scripts/check-ship.mjs --root <dir>     another workspace
 *
 * Every check runs even when an earlier one failed; exits 1 when any failed.
 * Ends with one line per check and a closing "N passed, N failed" line.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildIfStale } from "./build-if-stale.mjs";
import { checkAttw } from "./check-attw.mjs";
import { checkSize } from "./check-size.mjs";
import { checkTypesDist } from "./check-types-dist.mjs";
import { checkStudioSize } from "./studio-size.mjs";

const CHECKS = {
  types: (root) => checkTypesDist({ root, build: false }),
  attw: (root) => checkAttw({ root }),
  size: async (root) => {
    const entries = await checkSize({ root, build: false });
    // the studio, when the workspace has one (the fixtures of the tests do not)
    if (!existsSync(join(root, "packages", "studio", "package.json"))) return entries;
    const studio = await checkStudioSize({ root });
    return { code: entries.code || studio.code };
  },
};

/** Build what is stale, then run the named checks (all when none). Returns the exit code. */
export async function checkShip({ root, names = [], log = (line) => process.stdout.write(`${line}\n`) }) {
  const wanted = names.length ? names : Object.keys(CHECKS);
  const unknown = wanted.filter((n) => !(n in CHECKS));
  if (unknown.length) {
    log(`check-ship: unknown check ${unknown.join(", ")} (known: ${Object.keys(CHECKS).join(", ")})`);
    return 2;
  }
  if (buildIfStale({ root, log: (l) => process.stderr.write(`${l}\n`) }) !== 0) {
    log("check-ship: a package failed to build; nothing was checked");
    return 1;
  }
  const results = [];
  for (const name of wanted) {
    const started = Date.now();
    log(`\n== check-ship: ${name}`);
    let code;
    try {
      code = (await CHECKS[name](root)).code;
    } catch (e) {
      log(`check-ship: ${name} crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      code = 1;
    }
    results.push({ name, code, seconds: (Date.now() - started) / 1000 });
  }
  log("");
  for (const r of results) log(`check-ship: ${r.name.padEnd(5)} ${r.code === 0 ? "ok    " : "FAILED"} ${r.seconds.toFixed(1)} s`);
  const failed = results.filter((r) => r.code !== 0).length;
  log(`check-ship: ${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  let root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const names = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--root") root = resolve(args[++i] ?? ".");
    else names.push(args[i]);
  }
  process.exitCode = await checkShip({ root, names });
}
