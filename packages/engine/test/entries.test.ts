/**
 * The public entries of @ruleflow/engine: every subpath in package.json
 * "exports" is built by tsup from a source file, each value is exported by
 * exactly one entry (so a CommonJS app never holds two copies of a class),
 * the root stays small, and numerical and hashing internals stay private.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");

interface Conditional {
  import: { types: string; default: string };
  require: { types: string; default: string };
}
const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as {
  exports: Record<string, Conditional | string>;
  typesVersions: Record<string, Record<string, string[]>>;
};

/** The code entries of "exports" ("." and "./x"), without wildcards and package.json. */
const subpaths = Object.keys(manifest.exports).filter((k) => !k.includes("*") && !k.endsWith(".json"));
const entryName = (subpath: string) => (subpath === "." ? "index" : subpath.slice(2));

/** tsup's `entry` object: bundle name to source file, read from tsup.config.ts. */
const tsupSource = readFileSync(join(pkgDir, "tsup.config.ts"), "utf8");
const entriesBlock = /const ENTRIES = \{([\s\S]*?)\};/.exec(tsupSource)?.[1] ?? "";
const tsupEntries = Object.fromEntries([...entriesBlock.matchAll(/(\w+): "([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));

/** Each entry's runtime values, loaded from its source file. */
async function valuesOf(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const subpath of subpaths) {
    const file = tsupEntries[entryName(subpath)];
    if (file === undefined) throw new Error(`no tsup entry for ${subpath}`);
    const mod = (await import(join(pkgDir, file))) as Record<string, unknown>;
    out.set(subpath, Object.keys(mod).sort());
  }
  return out;
}

/** Internals no entry may export: statistics and hashing helpers (tests import them from src). */
const PRIVATE = [
  "fnv1a32",
  "normalPdf",
  "normalCdf",
  "normalQuantile",
  "normalTwoSidedP",
  "studentTPdf",
  "studentTCdf",
  "studentTQuantile",
  "studentTTwoSidedP",
  "chiSquareCdf",
  "chiSquareSf",
  "logGamma",
  "gammaP",
  "gammaQ",
  "incompleteBeta",
  "twoProportionTest",
  "welchTest",
  "chiSquareGoodnessOfFit",
];

/** format* functions that format a value; any other text renderer is named explain*. */
const VALUE_FORMATTERS = ["formatIssue", "formatPath", "formatMoney", "formatMinorUnits"];

describe("package entries", () => {
  it("lists the root, the domain subpaths and /testing", () => {
    expect(subpaths).toEqual([".", "./rules", "./workflow", "./calendar", "./money", "./promotions", "./rebates", "./rollouts", "./analysis", "./backtest", "./simulation", "./testing"]);
  });

  it.each(subpaths)("%s has a tsup entry, a source file, dist targets in the same shape and node10 types", (subpath) => {
    const name = entryName(subpath);
    const file = tsupEntries[name];
    expect(file, `tsup.config.ts ENTRIES has no "${name}"`).toBeDefined();
    expect(existsSync(join(pkgDir, file!)), `${file} exists`).toBe(true);
    expect(manifest.exports[subpath]).toEqual({
      import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
      require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
    });
    if (subpath !== ".") expect(manifest.typesVersions["*"]?.[name]).toEqual([`./dist/${name}.d.ts`]);
  });

  it("every tsup entry is exported by package.json", () => {
    expect(Object.keys(tsupEntries).sort()).toEqual(subpaths.map(entryName).sort());
  });

  it("no value is exported by two entries", async () => {
    const owners = new Map<string, string[]>();
    for (const [subpath, values] of await valuesOf()) for (const v of values) owners.set(v, [...(owners.get(v) ?? []), subpath]);
    const duplicates = [...owners].filter(([, where]) => where.length > 1).map(([v, where]) => `${v}: ${where.join(", ")}`);
    expect(duplicates).toEqual([]);
  });

  it("the root exports between 40 and 60 values", async () => {
    const root = (await valuesOf()).get(".")!;
    expect(root.length).toBeGreaterThanOrEqual(40);
    expect(root.length).toBeLessThanOrEqual(60);
  });

  it("no entry exports statistics or hashing internals", async () => {
    const leaked = [...(await valuesOf())].flatMap(([subpath, values]) => values.filter((v) => PRIVATE.includes(v)).map((v) => `${subpath}: ${v}`));
    expect(leaked).toEqual([]);
  });

  it("one verb renders text: no describe*, and format* only for values", async () => {
    const names = [...(await valuesOf()).values()].flat();
    expect(names.filter((n) => /^describe[A-Z]/.test(n))).toEqual([]);
    expect(names.filter((n) => /^format[A-Z]/.test(n)).sort()).toEqual([...VALUE_FORMATTERS].sort());
  });
});
