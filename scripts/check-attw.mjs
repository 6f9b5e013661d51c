#!/usr/bin/env node
/**
 * arethetypeswrong and publint on what ships: every published package, packed into a
 * tarball as it would be published (scripts/pack.mjs), then checked by
 * @arethetypeswrong/cli for every entry of its "exports" under node10,
 * node16 (from CommonJS and from ES modules) and bundler resolution.
 *
 *   node scripts/check-attw.mjs                 build what is stale, pack, check
 *   node scripts/check-attw.mjs --root <dir>    another workspace (the tests use this)
 *
 * Profiles (docs/typescript.md):
 * - a package with CommonJS entries (a "require" condition) is checked with
 *   the "strict" profile: node10 too. node10 does not read "exports", so each
 *   subpath entry ("./testing") needs a "typesVersions" mapping; that is checked
 *   first, with the exact mapping to add when one is missing.
 * - a package without any ("@ruleflow/cli") is ES-module-only by design and
 *   is checked with the "esm-only" profile: node16 from ES modules and bundler.
 *
 * publint then lints the same tarball (read in this process, not packed again):
 * any message, even a suggestion, is a problem.
 *
 * Fails (exit 1) when any package has a problem. @types packages are not
 * looked up (--no-definitely-typed): nothing here is fetched from a registry.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { packAll, readTarball } from "./pack.mjs";
import { entriesOf } from "./ship-entries.mjs";

const require = createRequire(import.meta.url); // the workspace's attw, also for --root

/** "strict" for a package that ships CommonJS entries, "esm-only" for one that does not. */
export function profileOf(manifest) {
  return entriesOf(manifest).some((e) => e.cjs) ? "strict" : "esm-only";
}

/**
 * Subpath entries that node10 resolution cannot find: a "strict" package needs
 * `typesVersions["*"][subpath]` pointing at the entry's declarations. Returns
 * one problem per missing or wrong mapping, with the mapping to write.
 */
export function typesVersionsProblems(manifest) {
  if (profileOf(manifest) !== "strict") return [];
  const problems = [];
  const map = manifest.typesVersions?.["*"] ?? {};
  for (const e of entriesOf(manifest)) {
    if (e.subpath === ".") continue;
    const key = e.subpath.replace(/^\.\//, "");
    const want = e.esm?.types ?? e.cjs?.types;
    const have = map[key];
    const wantNames = [e.cjs?.types, e.esm?.types].filter(Boolean).map((p) => p.replace(/^\.\//, ""));
    if (!Array.isArray(have) || !have.some((p) => wantNames.includes(String(p).replace(/^\.\//, "")))) {
      problems.push(
        `${e.specifier}: node10 resolution (TypeScript's "moduleResolution": "node") does not read "exports"; add to ${manifest.name}'s package.json: "typesVersions": { "*": { ${JSON.stringify(key)}: [${JSON.stringify(want)}] } }`,
      );
    }
  }
  return problems;
}

/**
 * publint on one tarball, read in this process (no second pack): every message of
 * any level is a problem (publint's --strict, with suggestions too), printed as publint words it.
 */
async function publintProblems(tarball) {
  const data = readFileSync(tarball);
  const { messages, pkg } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }, level: "suggestion", strict: true });
  return messages.map((m) => `${pkg.name}: publint ${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`);
}

/** Pack every published package into a temp folder, run attw and publint on each tarball. Resolves with `{ code, problems }`. */
export async function checkAttw({ root, log = (line) => process.stdout.write(`${line}\n`) }) {
  const out = mkdtempSync(join(tmpdir(), "ruleflow-attw-"));
  const problems = [];
  try {
    let tarballs;
    try {
      tarballs = packAll({ root, out, log: (l) => process.stderr.write(`${l}\n`) });
    } catch (e) {
      problems.push(`packing failed: ${e instanceof Error ? e.message : String(e)}`);
      return { code: 1, problems };
    }
    const attw = join(dirname(require.resolve("@arethetypeswrong/cli/package.json")), "dist", "index.js");
    for (const tarball of tarballs) {
      const manifest = JSON.parse(readTarball(tarball).get("package/package.json").toString("utf8"));
      const profile = profileOf(manifest);
      for (const p of typesVersionsProblems(manifest)) problems.push(p);
      const r = spawnSync(process.execPath, [attw, tarball, "--profile", profile, "--no-definitely-typed", "--format", "table-flipped", "--no-color"], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, FORCE_COLOR: "0" },
      });
      log(`${manifest.name} (${basename(tarball)}, profile ${profile})`);
      log(`${r.stdout ?? ""}${r.stderr ?? ""}`.trimEnd().replace(/^/gm, "  "));
      if (r.status !== 0) problems.push(`${manifest.name}: arethetypeswrong found problems (profile ${profile}; see the table above)`);
      const linted = await publintProblems(tarball);
      log(`  publint: ${linted.length ? `${linted.length} messages` : "all good"}`);
      problems.push(...linted);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  for (const p of problems) log(`check-attw: ${p}`);
  if (!problems.length) log("check-attw: no problems in any package");
  return { code: problems.length ? 1 : 0, problems };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  let root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--root") root = resolve(args[++i] ?? ".");
    else {
      process.stderr.write(`check-attw: unknown argument ${args[i]}\n`);
      process.exit(2);
    }
  }
  process.exitCode = (await checkAttw({ root })).code;
}
