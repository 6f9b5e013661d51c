/** JSON Schema export of every definition kind (from each kind's spec), for editors and other tools. */
import { z } from "zod";
import { KIND_SPECS } from "./definitions.js";

/**
 * JSON Schema (draft 2020-12) for every definition kind, keyed by file name
 * (`ruleset.schema.json`, ...). The committed files under
 * `packages/engine/schema/` are generated from this.
 */
export function toJsonSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const { kind, schema } of KIND_SPECS) {
    const json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
    out[`${kind}.schema.json`] = { ...json, $id: `https://ruleflow.dev/schema/${kind}.schema.json` };
  }
  return out;
}
