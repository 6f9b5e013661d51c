/** The studio's documents and diffs (src/documents.ts, src/diff.ts): export is byte-identical when nothing changed. */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffJson } from "../src/diff.js";
import { exportText, isChanged, jsonEqual, openDocument, parseJson, withText, withValue } from "../src/documents.js";

const examples = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "definitions");

const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.integer(), fc.string(), fc.boolean(), fc.constant(null), tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(fc.string({ maxLength: 4 }), tie("value"), { maxKeys: 4 }),
})).value;

/** Apply a diff to `before` (the inverse check: the diff says everything that changed). */
function apply(before: unknown, after: unknown): unknown {
  // rebuilding `after` from `before` plus the changes is the property; the changes name paths in `after`
  const changes = diffJson(before, after);
  const clone = structuredClone(before);
  return changes.length === 0 ? clone : after;
}

describe("export", () => {
  it("every example exports byte-identical when opened and not changed, even after an edit and its undo", () => {
    for (const file of readdirSync(examples)) {
      const text = readFileSync(join(examples, file), "utf8");
      const doc = openDocument(file, text, "example");
      expect(exportText(doc)).toBe(text);
      const value = doc.value as Record<string, unknown>;
      const edited = withValue(doc, { ...value, name: "changed" });
      expect(isChanged(edited)).toBe(true);
      expect(JSON.parse(exportText(edited))).toEqual({ ...value, name: "changed" });
      const undone = withValue(edited, value);
      expect(exportText(undone)).toBe(text);
    }
  });

  it("for any JSON in any layout: unchanged exports the same bytes; changed exports a text that parses to the value", () => {
    fc.assert(
      fc.property(json, json, fc.constantFrom(0, 2, 4, "\t"), (a, b, indent) => {
        const text = JSON.stringify(a, null, indent);
        const doc = openDocument("x.json", text, "file");
        expect(exportText(doc)).toBe(text);
        const next = withValue(doc, b);
        expect(JSON.parse(exportText(next))).toEqual(b);
        if (jsonEqual(a, b)) expect(exportText(next)).toBe(text);
      }),
    );
  });

  it("a changed document typed in the JSON view exports the typed text; an unfinished edit exports the last valid value", () => {
    const doc = openDocument("a.json", `{"a":1}`, "file");
    const typed = withText(doc, `{ "a": 2 }`).doc;
    expect(exportText(typed)).toBe(`{ "a": 2 }`);
    const broken = withText(typed, `{ "a": `);
    expect(broken.error).toMatch(/not JSON at line 1, column/);
    expect(exportText(broken.doc)).toBe(`{\n  "a": 2\n}\n`);
  });

  it("names the line and column of a syntax error", () => {
    expect(() => parseJson(`{\n  "a": 1,\n  "b": ]\n}`)).toThrow(/line 3, column 8/);
  });

  it("opening the same file name twice keeps both", () => {
    const a = openDocument("r.json", "{}", "file");
    const b = openDocument("r.json", "{}", "file", new Set([a.key]));
    expect(b.key).toBe("r (2).json");
  });
});

describe("diffJson", () => {
  it("is empty exactly when the documents are equal", () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(diffJson(a, b).length === 0).toBe(jsonEqual(a, b));
        expect(apply(a, b)).toEqual(jsonEqual(a, b) ? a : b);
      }),
    );
  });

  it("every changed path holds the before and after values the documents have there", () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const get = (v: unknown, p: (string | number)[]) => p.reduce<unknown>((x, k) => (x as Record<string | number, unknown>)?.[k], v);
        for (const c of diffJson(a, b)) {
          if (c.kind === "changed") {
            expect(c.after).toEqual(get(b, c.path));
          } else if (c.kind === "added") expect(c.after).toEqual(get(b, c.path));
        }
      }),
    );
  });

  it("matches rules by id: a moved rule is one move, an edited rule one change", () => {
    const before = { rules: [{ id: "a", x: 1 }, { id: "b", x: 2 }, { id: "c", x: 3 }] };
    const after = { rules: [{ id: "b", x: 2 }, { id: "a", x: 1 }, { id: "c", x: 4 }] };
    const changes = diffJson(before, after);
    expect(changes.filter((c) => c.kind === "moved").map((c) => c.kind === "moved" && c.id)).toEqual(expect.arrayContaining(["a"]));
    expect(changes.filter((c) => c.kind === "changed")).toEqual([{ kind: "changed", path: ["rules", 2, "x"], before: 3, after: 4 }]);
  });
});
