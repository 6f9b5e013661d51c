/**
 * docs/api.md, the API map, against the code: every name in its tables is
 * exported by the entry its row names, every value each public entry of
 * @ruleflow/engine exports has a row, and every entry named is one the
 * package exports.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as root from "@ruleflow/engine";
import * as rules from "@ruleflow/engine/rules";
import * as workflow from "@ruleflow/engine/workflow";
import * as calendar from "@ruleflow/engine/calendar";
import * as money from "@ruleflow/engine/money";
import * as promotions from "@ruleflow/engine/promotions";
import * as rebates from "@ruleflow/engine/rebates";
import * as rollouts from "@ruleflow/engine/rollouts";
import * as analysis from "@ruleflow/engine/analysis";
import * as backtest from "@ruleflow/engine/backtest";
import * as simulation from "@ruleflow/engine/simulation";
import * as testing from "@ruleflow/engine/testing";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const page = readFileSync(join(repo, "docs", "api.md"), "utf8");
const manifest = JSON.parse(readFileSync(join(repo, "packages", "engine", "package.json"), "utf8")) as { exports: Record<string, unknown> };

/** Every public entry of the engine and what it exports at run time. */
const entries: Record<string, Record<string, unknown>> = {
  "@ruleflow/engine": root,
  "@ruleflow/engine/rules": rules,
  "@ruleflow/engine/workflow": workflow,
  "@ruleflow/engine/calendar": calendar,
  "@ruleflow/engine/money": money,
  "@ruleflow/engine/promotions": promotions,
  "@ruleflow/engine/rebates": rebates,
  "@ruleflow/engine/rollouts": rollouts,
  "@ruleflow/engine/analysis": analysis,
  "@ruleflow/engine/backtest": backtest,
  "@ruleflow/engine/simulation": simulation,
  "@ruleflow/engine/testing": testing,
};

interface Row {
  line: number;
  job: string;
  names: string[];
  entry: string;
}

/** The table rows `| job | `name` | `entry` |` of the page (header and separator rows excluded). */
const rows: Row[] = page.split("\n").flatMap((text, i) => {
  const m = /^\| (.+?) \| (.+?) \| `(@ruleflow\/[^`]+)` \|$/.exec(text);
  if (!m) return [];
  const names = [...m[2]!.matchAll(/`([^`]+)`/g)].map((n) => n[1]!);
  return [{ line: i + 1, job: m[1]!, names, entry: m[3]! }];
});

describe("docs/api.md: the API map", () => {
  it("has its tables, and every row of them is read", () => {
    expect(rows.length).toBeGreaterThanOrEqual(100);
    const tables = page.split("\n").filter((l) => l === "| to | use | from |").length;
    expect(tables).toBeGreaterThanOrEqual(12);
    // every table row was parsed: no row of a map table is silently skipped
    const tableRows = page.split("\n").filter((l) => l.startsWith("| ") && l !== "| to | use | from |" && !l.startsWith("| ---"));
    expect(tableRows.length).toBe(rows.length);
  });

  it("names, in each row, exported identifiers only (one line, one job)", () => {
    for (const row of rows) {
      expect(row.names.length, `docs/api.md:${row.line} names one value`).toBe(1);
      expect(row.names[0], `docs/api.md:${row.line}`).toMatch(/^[A-Za-z_$][\w$]*$/);
    }
  });

  it("imports each name from an entry the package exports", () => {
    for (const row of rows) {
      expect(Object.keys(entries), `docs/api.md:${row.line}: ${row.entry} is an entry`).toContain(row.entry);
      const subpath = row.entry === "@ruleflow/engine" ? "." : `./${row.entry.slice("@ruleflow/engine/".length)}`;
      expect(Object.keys(manifest.exports), `docs/api.md:${row.line}: packages/engine/package.json exports ${subpath}`).toContain(subpath);
    }
  });

  it("every name is exported by the entry its row says", () => {
    const wrong = rows.flatMap((row) =>
      row.names
        .filter((name) => !(name in entries[row.entry]!))
        .map((name) => {
          const actual = Object.keys(entries).filter((e) => name in entries[e]!);
          return `docs/api.md:${row.line}: ${name} is not exported by ${row.entry}${actual.length ? ` (it is by ${actual.join(", ")})` : " (nor by any entry)"}`;
        }),
    );
    expect(wrong).toEqual([]);
  });

  it("every value each entry exports has a row", () => {
    const listed = new Set(rows.flatMap((row) => row.names.map((n) => `${row.entry} ${n}`)));
    const missing = Object.entries(entries).flatMap(([entry, mod]) =>
      Object.keys(mod)
        .filter((name) => !listed.has(`${entry} ${name}`))
        .map((name) => `${entry} exports ${name}: add a row for it to docs/api.md`),
    );
    expect(missing).toEqual([]);
  });
});
