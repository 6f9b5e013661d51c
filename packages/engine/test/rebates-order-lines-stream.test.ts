/**
 * createOrderLinesReader (text in pieces, as `ruleflow settle` reads a file in
 * chunks) against reading the whole text at once as parseOrderLines did
 * (parseCsv + csvToFacts, split JSON Lines): on random CSV and JSON Lines text
 * (quotes, doubled quotes, CR, LF and CRLF, blank lines, bad rows, bad JSON),
 * split at random places, the same facts or the same error.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { ArgumentError } from "../src/core/errors.js";
import { createOrderLinesReader, parseOrderLines, type OrderLinesFormat } from "../src/entries/rebates.js";
import { csvToFacts, parseCsv } from "../src/rebates/order-lines.js";

/** The whole-text reading, as parseOrderLines did it before it read in pieces. */
function wholeText(text: string, source: string, format: OrderLinesFormat): unknown[] {
  if (format === "csv") return csvToFacts(parseCsv(text, source), source);
  const out: unknown[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      out.push(JSON.parse(line));
    } catch (e) {
      throw new ArgumentError(`${source}:${i + 1}`, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return out;
}

function inPieces(text: string, cuts: number[], source: string, format: OrderLinesFormat): unknown[] {
  const out: unknown[] = [];
  const reader = createOrderLinesReader((f) => out.push(f), { source, format });
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)) {
    reader.write(text.slice(from, cut));
    from = cut;
  }
  reader.write(text.slice(from));
  reader.end();
  return out;
}

function outcome(f: () => unknown[]): { facts: unknown[] } | { error: string } {
  try {
    return { facts: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const cellArb = fc.constantFrom("SO-1", "12.50", "007", "true", "", '"q, x"', '"say ""hi"""', '"a\nb"', '"a\r\nb"', '""', 'x"y', " ");
const csvText = fc
  .tuple(
    fc.constantFrom("\ufeff", ""),
    fc.oneof(
      { weight: 5, arbitrary: fc.array(fc.constantFrom("order.id", "line.netAmount", "customer.id", "a.b.c", "x"), { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.array(fc.constantFrom("order.id", "bad..path", "__proto__.y"), { minLength: 1, maxLength: 3 }) },
    ),
    fc.array(fc.tuple(fc.array(cellArb, { minLength: 4, maxLength: 4 }), fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 1, -1), fc.constantFrom("", "", '"open')), { maxLength: 6 }),
    fc.array(fc.constantFrom("\n", "\r\n", "\r", "\n\n"), { minLength: 1, maxLength: 7 }),
    fc.boolean(),
  )
  .map(([bom, header, rows, ends, last]) => {
    // Rows as wide as the header mostly; now and then one cell more or less, or an unclosed quote.
    const body = rows.map(([cells, off, tail]) => cells.slice(0, Math.max(0, header.length + off)).join(",") + tail);
    const lines = [header.join(","), ...body];
    return bom + lines.map((l, i) => l + (i < lines.length - 1 || last ? ends[i % ends.length]! : "")).join("");
  });

const jsonlText = fc
  .array(fc.constantFrom('{"order":{"id":"SO-1"}}', "", "  ", '{"a":1}\r', "[1,2]", "3", "{ nope", '"text"', "null"), { maxLength: 8 })
  .chain((ls) => fc.tuple(fc.constant(ls), fc.constantFrom("\n", "\r\n"), fc.boolean()))
  .map(([ls, nl, last]) => ls.join(nl) + (last ? nl : ""));

describe("order lines read in pieces are the lines read whole", () => {
  test.prop([csvText, fc.array(fc.nat({ max: 400 }), { maxLength: 12 })], { numRuns: 600 })("CSV", (text, cuts) => {
    const whole = outcome(() => wholeText(text, "o.csv", "csv"));
    expect(outcome(() => inPieces(text, cuts, "o.csv", "csv"))).toEqual(whole);
    expect(outcome(() => parseOrderLines(text, { source: "o.csv" }))).toEqual(whole);
  });

  test.prop([jsonlText, fc.array(fc.nat(), { maxLength: 6 })], { numRuns: 300 })("JSON Lines", (text, cuts) => {
    const whole = outcome(() => wholeText(text, "o.jsonl", "jsonl"));
    expect(outcome(() => inPieces(text, cuts, "o.jsonl", "jsonl"))).toEqual(whole);
    expect(outcome(() => parseOrderLines(text, { source: "o.jsonl" }))).toEqual(whole);
  });
});
