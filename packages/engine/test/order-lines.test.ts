/** Reading order lines from text (src/rebates/order-lines.ts): CSV, JSON Lines and JSON arrays, the same facts from each. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRuleflowError } from "@ruleflow/engine";
import { parseOrderLines } from "@ruleflow/engine/rebates";
import { csvToFacts, csvValue, parseCsv } from "../src/rebates/order-lines.js";

const data = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "data");

describe("CSV order lines", () => {
  it("parses quotes, doubled quotes and CRLF", () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n1,\n')).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["1", ""],
    ]);
  });

  it("any table of cells written as RFC 4180 CSV parses back to the same cells", () => {
    const quote = (c: string) => (/[",\r\n]/.test(c) || c === "" ? `"${c.replace(/"/g, '""')}"` : c);
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }).chain((n) => fc.array(fc.array(fc.string({ maxLength: 6 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 5 })), (rows) => {
        const text = rows.map((r) => r.map(quote).join(",")).join("\r\n");
        expect(parseCsv(text)).toEqual(rows);
      }),
    );
  });

  it("types cells: numbers stay exact, ids with leading zeros stay text", () => {
    expect([csvValue("125000.00"), csvValue("0.97"), csvValue("007"), csvValue("true"), csvValue(""), csvValue("1234567890123456.78")]).toEqual([
      125000,
      0.97,
      "007",
      true,
      undefined,
      "1234567890123456.78",
    ]);
    expect(csvToFacts(parseCsv("order.id,line.no\nSO-1,2\n"), "f.csv")).toEqual([{ order: { id: "SO-1" }, line: { no: 2 } }]);
    expect(() => csvToFacts(parseCsv("__proto__.x\n1\n"), "f.csv")).toThrow(/f.csv: column 1 "__proto__.x" is not a fact path/);
  });
});

describe("parseOrderLines", () => {
  it("reads the February orders to the same facts from CSV and JSON Lines (amounts as the CSV types them)", () => {
    const csv = parseOrderLines(readFileSync(join(data, "orders-2026-02.csv"), "utf8"), { source: "orders-2026-02.csv" });
    const jsonl = parseOrderLines(readFileSync(join(data, "orders-2026-02.jsonl"), "utf8"), { source: "orders-2026-02.jsonl" });
    expect(csv).toHaveLength(jsonl.length);
    const ids = (lines: unknown[]) => lines.map((l) => (l as { order: { id: string }; line: { no: number } }).order.id + "/" + (l as { line: { no: number } }).line.no);
    expect(ids(csv)).toEqual(ids(jsonl));
  });

  it("tells the format by the name, or by the content without one", () => {
    expect(parseOrderLines(`[{"a":1}]`)).toEqual([{ a: 1 }]);
    expect(parseOrderLines(`{"a":1}\n\n{"a":2}\n`)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseOrderLines("a.b\n3\n")).toEqual([{ a: { b: 3 } }]);
  });

  it("names the file and the line, row or column at fault, as an ArgumentError", () => {
    const cases: [string, string, RegExp][] = [
      ["o.jsonl", `{}\n{ nope`, /^o.jsonl:2: not valid JSON/],
      ["o.json", `{"a":1}`, /^o.json: expected an array of order lines/],
      ["o.csv", "a,b\n1\n", /^o.csv: row 2 has 1 cells, the header has 2/],
      ["o.csv", 'a\n"open\n', /^o.csv: a quoted cell is not closed/],
    ];
    for (const [source, text, message] of cases) {
      let caught: unknown;
      try {
        parseOrderLines(text, { source });
      } catch (e) {
        caught = e;
      }
      expect(isRuleflowError(caught, "INVALID_ARGUMENT"), source).toBe(true);
      expect((caught as Error).message).toMatch(message);
    }
  });
});
