/**
 * What the workspace ships: the published packages and the entries each one
 * exports, read from its package.json "exports" (never a hard-coded list), so an
 * entry added there is checked by scripts/check-ship.mjs as soon as it appears.
 */
import { builtinModules } from "node:module";
import { join } from "node:path";
import { workspacePackages } from "./build-if-stale.mjs";

/** Every workspace package that is published (not `private`), dependencies first. */
export function publishedPackages(root) {
  return workspacePackages(root).filter((p) => !p.manifest.private);
}

/**
 * The file an export target resolves to under a set of conditions, following
 * Node's rules: strings win, arrays take the first hit, objects are read in key
 * order and "default" always matches. null when nothing matches.
 */
export function resolveTarget(target, conditions) {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const hit = resolveTarget(t, conditions);
      if (hit !== null) return hit;
    }
    return null;
  }
  if (target && typeof target === "object") {
    for (const [key, value] of Object.entries(target)) {
      if (key === "default" || conditions.includes(key)) {
        const hit = resolveTarget(value, conditions);
        if (hit !== null) return hit;
      }
    }
  }
  return null;
}

/** Whether any condition named `name` appears anywhere in an export target. */
function hasCondition(target, name) {
  if (Array.isArray(target)) return target.some((t) => hasCondition(t, name));
  if (target && typeof target === "object") return Object.entries(target).some(([k, v]) => k === name || hasCondition(v, name));
  return false;
}

/**
 * The code entries of a package: every key of "exports" except wildcard
 * patterns and JSON files (`./package.json`). A package with no "exports"
 * has one entry, ".", from "main"/"module"/"types".
 *
 * Each entry: `{ subpath, specifier, esm: { types, js } | null, cjs: { types, js } | null }`,
 * paths relative to the package folder ("./dist/index.js").
 */
export function entriesOf(manifest) {
  let exportsField = manifest.exports;
  if (exportsField === undefined) {
    exportsField = { ".": { types: manifest.types, import: manifest.module ?? manifest.main, default: manifest.main } };
  } else if (typeof exportsField === "string" || Array.isArray(exportsField) || !Object.keys(exportsField).every((k) => k.startsWith("."))) {
    exportsField = { ".": exportsField }; // sugar: the whole field is the "." target
  }
  const entries = [];
  for (const [subpath, target] of Object.entries(exportsField)) {
    if (subpath.includes("*") || subpath.endsWith(".json")) continue;
    const specifier = subpath === "." ? manifest.name : `${manifest.name}/${subpath.replace(/^\.\//, "")}`;
    const pick = (conditions) => {
      const js = resolveTarget(stripTypes(target), conditions);
      const types = resolveTarget(target, ["types", ...conditions]);
      return js === null && types === null ? null : { js, types };
    };
    const esm = pick(["import", "node"]);
    // A package whose entry has no "require" condition and whose default is ESM is ESM-only.
    const cjsJs = hasCondition(target, "require") || (typeof target === "string" && target.endsWith(".cjs")) ? pick(["require", "node"]) : null;
    entries.push({ subpath, specifier, esm, cjs: cjsJs });
  }
  return entries;
}

/** An export target without its "types" conditions (so resolving it gives the JavaScript file). */
function stripTypes(target) {
  if (Array.isArray(target)) return target.map(stripTypes);
  if (target && typeof target === "object") {
    return Object.fromEntries(Object.entries(target).filter(([k]) => k !== "types").map(([k, v]) => [k, stripTypes(v)]));
  }
  return target;
}

/** Whether an import specifier names a Node built-in module (`node:fs`, `fs`, `fs/promises`). */
export function isNodeBuiltin(specifier) {
  if (specifier.startsWith("node:")) return true;
  const bare = specifier.split("/")[0];
  return builtinModules.includes(specifier) || builtinModules.includes(bare);
}

/** Absolute path of a package-relative file ("./dist/index.js"). */
export function inPackage(pkg, file) {
  return join(pkg.dir, file.replace(/^\.\//, ""));
}
