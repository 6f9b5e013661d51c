/** Completion from the engine's JSON Schemas (src/schema-complete.ts). */
import { toJsonSchemas } from "@ruleflow/engine";
import { describe, expect, it } from "vitest";
import { cursorContext, memberNames, valueChoices, valuePath, type Schema } from "../src/schema-complete.js";

const files = toJsonSchemas() as unknown as Record<string, Schema>;
const schemas: Record<string, Schema> = Object.fromEntries(Object.entries(files).map(([file, s]) => [file.replace(".schema.json", ""), s]));

describe("schema completion on the engine's own schemas", () => {
  it("offers the top-level members of each kind", () => {
    for (const kind of ["ruleset", "decision-table", "workflow", "promotion", "rebate", "rollout", "scenario", "calendar"]) {
      const names = memberNames(schemas[kind]!, []).map((m) => m.name);
      expect(names, kind).toContain("kind");
      expect(names, kind).toContain("id");
    }
  });

  it("offers a decision table's hit policies as values", () => {
    const choices = valueChoices(schemas["decision-table"]!, ["hitPolicy"]);
    expect(choices).toContain(JSON.stringify("first"));
    expect(choices).toContain(JSON.stringify("unique"));
  });

  it("finds the member names inside nested arrays of objects (a workflow's nodes)", () => {
    const names = memberNames(schemas.workflow!, ["nodes", "review"]).map((m) => m.name);
    expect(names).toContain("type");
  });
});

describe("cursorContext", () => {
  it("a member name in a nested object", () => {
    const text = `{ "kind": "ruleset", "rules": [ { "id": "a", "` ;
    const ctx = cursorContext(text, text.length)!;
    expect(ctx.expecting).toBe("key");
    expect(ctx.container).toEqual(["rules", 0]);
    expect(ctx.present).toContain("id");
    expect(ctx.from).toBe(text.length - 1);
  });

  it("a value after a colon", () => {
    const text = `{ "kind": "decision-table", "hitPolicy": "fi`;
    const ctx = cursorContext(text, text.length)!;
    expect(ctx).toMatchObject({ expecting: "value", key: "hitPolicy", container: [] });
    expect(valuePath(ctx, text, text.length)).toEqual(["hitPolicy"]);
    expect(text.slice(ctx.from)).toBe(`"fi`);
  });

  it("the index of an array element", () => {
    const text = `{ "rules": [ {}, { "a": [1, 2] }, `;
    const ctx = cursorContext(text, text.length)!;
    expect(ctx.container).toEqual(["rules"]);
    expect(valuePath(ctx, text, text.length)).toEqual(["rules", 2]);
  });

  it("braces and quotes inside strings do not count", () => {
    const text = `{ "a": "{[\\"", "b": { "c": "x]}" }, "`;
    const ctx = cursorContext(text, text.length)!;
    expect(ctx).toMatchObject({ expecting: "key", container: [] });
    expect(ctx.present).toEqual(["a", "b"]);
  });
});
