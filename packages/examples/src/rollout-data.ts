/**
 * Synthetic exposure and metric events for the three-campus renewal pilot
 * (definitions/renewal-incentive-pilot.rollout.json), as JSON Lines.
 *
 * Deterministic: a seeded PRNG draws every customer and outcome, and the
 * engine assigns each customer at the time their renewal falls due, so the
 * ramp (10% -> 50% -> 100%) shapes who is exposed. The truth built in:
 * renewal rate 30% with the current scheme and 37% with the new one (+7
 * points, +23%); 10% of renewals are refunded in both; contract value
 * averages 12,000 CNY (sd 3,000) in both.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileRollout, type RolloutDefinition } from "@ruleflow/engine";
import { seededRandom } from "@ruleflow/engine/testing";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MARCH_1 = Date.parse("2026-03-01T00:00:00+08:00");

/** ISO-8601 in China Standard Time, to the minute. */
function cst(ms: number): string {
  return `${new Date(ms + 8 * HOUR).toISOString().slice(0, 16)}:00+08:00`;
}

const CAMPUSES = [
  { id: "HZ-01", region: "zhejiang" },
  { id: "SH-03", region: "shanghai" },
  { id: "NJ-02", region: "jiangsu" },
];
const CUSTOMERS_PER_CAMPUS = 1000;
const RENEWAL_RATE: Record<string, number> = { control: 0.3, treatment: 0.37 };
const REFUND_RATE = 0.1;

/**
 * Generate the pilot's events.
 *
 * @param seed - PRNG seed; the committed file uses the default
 * @returns the events as JSON Lines text, in time order
 * @example
 * ```ts
 * writeFileSync("data/renewal-pilot.events.jsonl", generatePilotEvents());
 * ```
 */
export function generatePilotEvents(seed = 20260301): string {
  const rollout = compileRollout(JSON.parse(readFileSync(join(root, "definitions", "renewal-incentive-pilot.rollout.json"), "utf8")) as RolloutDefinition);
  const rand = seededRandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const lines: { ms: number; event: Record<string, unknown> }[] = [];
  for (const campus of CAMPUSES) {
    for (let n = 1; n <= CUSTOMERS_PER_CAMPUS; n++) {
      const customer = `C-${campus.id.replace("-", "")}-${String(n).padStart(4, "0")}`;
      // Renewal falls due in working hours, some day in March.
      const due = MARCH_1 + Math.floor(rand() * 31) * DAY + (9 + Math.floor(rand() * 9)) * HOUR + Math.floor(rand() * 60) * 60_000;
      const r = rollout.evaluate({ customer: { id: customer }, campus }, { at: cst(due) });
      if (!r.inExperiment) continue;
      lines.push({ ms: due, event: { type: "exposure", unit: customer, variant: r.variant, at: cst(due) } });
      if (rand() >= RENEWAL_RATE[r.variant]!) continue;
      const renewedAt = due + (1 + Math.floor(rand() * 14)) * DAY;
      const value = Math.max(2000, Math.round(12_000 + 3_000 * normal()));
      lines.push({ ms: renewedAt, event: { type: "metric", unit: customer, metric: "renewed", at: cst(renewedAt) } });
      lines.push({ ms: renewedAt, event: { type: "metric", unit: customer, metric: "contractValue", value, at: cst(renewedAt) } });
      if (rand() < REFUND_RATE) {
        const refundedAt = renewedAt + (1 + Math.floor(rand() * 20)) * DAY;
        lines.push({ ms: refundedAt, event: { type: "metric", unit: customer, metric: "refunded", at: cst(refundedAt) } });
      }
    }
  }
  lines.sort((a, b) => a.ms - b.ms || String(a.event["unit"]).localeCompare(String(b.event["unit"])));
  return lines.map((l) => JSON.stringify(l.event)).join("\n") + "\n";
}
