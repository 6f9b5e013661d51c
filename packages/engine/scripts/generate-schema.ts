/**
 * Writes the JSON Schema of every definition kind to packages/engine/schema/.
 * Run `pnpm --filter @ruleflow/engine schema` after changing a zod schema;
 * a test fails while the committed files are stale.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toJsonSchemas } from "../src/json-schema.js";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "schema");
mkdirSync(out, { recursive: true });
for (const [file, schema] of Object.entries(toJsonSchemas())) {
  writeFileSync(join(out, file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schema/${file}`);
}
