/**
 * Writes data/renewal-pilot.events.jsonl, the synthetic events of the
 * three-campus renewal pilot (see src/rollout-data.ts for what they contain).
 * A test checks that the committed file is what this produces.
 *
 * Run from the repository root: `npx tsx packages/examples/scripts/generate-rollout-data.ts`
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePilotEvents } from "../src/rollout-data.js";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "data", "renewal-pilot.events.jsonl");
const text = generatePilotEvents();
writeFileSync(out, text);
console.log(`wrote ${text.trimEnd().split("\n").length} events to data/renewal-pilot.events.jsonl`);
