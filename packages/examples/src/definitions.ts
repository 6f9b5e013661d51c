/** Loads the example definitions and sample facts shipped in this package. */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Every definition document under `definitions/`, parsed. */
export function loadDefinitions(): unknown[] {
  const dir = join(root, "definitions");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as unknown);
}

/** A sample facts file under `facts/`, parsed. */
export function loadFacts(name: string): unknown {
  return JSON.parse(readFileSync(join(root, "facts", `${name}.json`), "utf8")) as unknown;
}
