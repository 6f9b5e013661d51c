import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFINITION_KINDS, toJsonSchemas } from "../src/index.js";

const schemaDir = join(dirname(fileURLToPath(import.meta.url)), "..", "schema");
const examplesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "definitions");

type JsonSchema = { $ref?: string; $defs?: Record<string, JsonSchema>; properties?: Record<string, unknown>; required?: string[] };

function root(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace("#/$defs/", "");
  return schema.$defs![name]!;
}

describe("committed JSON Schema files", () => {
  it("are current with the zod schemas (run `pnpm --filter @ruleflow/engine schema` to refresh)", () => {
    const generated = toJsonSchemas();
    const committed = readdirSync(schemaDir).filter((f) => f.endsWith(".schema.json"));
    expect(committed.sort()).toEqual(Object.keys(generated).sort());
    for (const [file, schema] of Object.entries(generated)) {
      const onDisk: unknown = JSON.parse(readFileSync(join(schemaDir, file), "utf8"));
      expect(onDisk, `${file} is stale`).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it("has one schema per definition kind, each allowing $schema for editors", () => {
    const generated = toJsonSchemas() as Record<string, JsonSchema>;
    for (const kind of DEFINITION_KINDS) {
      const schema = root(generated[`${kind}.schema.json`]!);
      expect(schema.properties).toHaveProperty("$schema");
      expect(schema.properties).toHaveProperty("kind");
      expect(schema.required).toContain("id");
    }
  });

  it("is referenced by every example definition through a $schema that exists", () => {
    for (const file of readdirSync(examplesDir).filter((f) => f.endsWith(".json"))) {
      const doc = JSON.parse(readFileSync(join(examplesDir, file), "utf8")) as { $schema?: string; kind: string };
      expect(doc.$schema, file).toBe(`../../engine/schema/${doc.kind}.schema.json`);
    }
  });
});
