/** The JSON locator the studio's editor marks issues with (src/json-locate.ts). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locateAll, locateAt, rangeOf, scanJson } from "../src/json-locate.js";

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x)),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    tie("array"),
    tie("object"),
  ),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(fc.string({ maxLength: 5 }), tie("value"), { maxKeys: 4 }),
})).value;

const at = (doc: unknown, path: (string | number)[]): unknown => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], doc);

describe("locateAll", () => {
  it("every located value's text parses to the value at its path, for any JSON and any indentation", () => {
    fc.assert(
      fc.property(json, fc.constantFrom(0, 1, 2, 4, "\t"), (doc, indent) => {
        const text = JSON.stringify(doc, null, indent);
        const located = locateAll(text);
        expect(located[0]!.path).toEqual([]);
        for (const l of located) {
          expect(JSON.parse(text.slice(l.from, l.to))).toEqual(at(doc, l.path));
          if (l.keyFrom !== undefined) expect(JSON.parse(text.slice(l.keyFrom, l.keyTo))).toBe(l.path.at(-1));
        }
      }),
    );
  });

  it("finds every path of the document", () => {
    fc.assert(
      fc.property(json, (doc) => {
        const paths: string[] = [];
        const walk = (v: unknown, p: (string | number)[]) => {
          paths.push(JSON.stringify(p));
          if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
          else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
        };
        walk(doc, []);
        // JSON objects with a duplicate key cannot come from stringify, so the sets are equal
        expect(new Set(locateAll(JSON.stringify(doc, null, 2)).map((l) => JSON.stringify(l.path)))).toEqual(new Set(paths));
      }),
    );
  });

  it("never throws on a cut-off document and keeps what it read", () => {
    fc.assert(
      fc.property(json, fc.nat(), (doc, cut) => {
        const text = JSON.stringify(doc, null, 2);
        const part = text.slice(0, cut % (text.length + 1));
        const located = locateAll(part);
        for (const l of located) {
          expect(l.from).toBeLessThanOrEqual(l.to);
          expect(l.to).toBeLessThanOrEqual(part.length);
        }
      }),
    );
  });
});

describe("scanJson", () => {
  it("reports an error exactly when JSON.parse refuses the text", () => {
    fc.assert(
      fc.property(json, fc.nat(), fc.constantFrom("", "x", "]", "}", ",", " ", "\"", "1"), (doc, cut, junk) => {
        const full = JSON.stringify(doc, null, 1);
        const n = cut % (full.length + 1);
        const text = full.slice(0, n) + junk + full.slice(n);
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const { errorAt } = scanJson(text);
        expect(errorAt === undefined).toBe(parses);
        if (errorAt !== undefined) expect(errorAt).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe("rangeOf and locateAt", () => {
  const text = `{\n  "kind": "decision-table",\n  "rules": [\n    { "id": "a", "tier": ">= 5" },\n    { "id": "b" }\n  ]\n}`;
  const located = locateAll(text);

  it("an issue on a present value marks its key and value", () => {
    const r = rangeOf(located, ["rules", 0, "tier"]);
    expect(text.slice(r.from, r.to)).toBe(`"tier": ">= 5"`);
    expect(r.exact).toBe(true);
  });

  it("an issue on a missing member marks the opening brace of its object", () => {
    const r = rangeOf(located, ["rules", 1, "tier"]);
    expect(text.slice(r.from, r.to)).toBe("{");
    expect(r.from).toBe(text.indexOf(`{ "id": "b"`));
    expect(r.exact).toBe(false);
  });

  it("the innermost value at the cursor", () => {
    expect(locateAt(located, text.indexOf(">= 5"))?.path).toEqual(["rules", 0, "tier"]);
    expect(locateAt(located, text.indexOf(`"b"`))?.path).toEqual(["rules", 1, "id"]);
  });
});
