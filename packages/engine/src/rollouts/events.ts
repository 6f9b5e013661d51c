/**
 * The data a rollout report reads: exposure events (a unit saw a variant)
 * and metric events (a unit did something worth measuring). One JSON object
 * per event, so a JSON Lines file works as is.
 */
import { z } from "zod";
import { dateTimeSchema } from "../schema/common.js";
import { fromZodIssues } from "../schema/issues.js";
import type { Issue } from "../core/errors.js";

const unit = z.union([z.string().min(1), z.number()], { error: "expected the unit value (a string or a number)" }).transform(String);

/** An exposure: `unit` was assigned `variant` of rollout `rollout`. */
export const exposureEventSchema = z.strictObject({
  type: z.literal("exposure"),
  rollout: z.string().min(1).optional().meta({ description: "The rollout id; events of other rollouts are skipped." }),
  unit,
  variant: z.string().min(1),
  version: z.int().optional(),
  at: dateTimeSchema.optional(),
});

/** A metric event: `unit` produced `value` (default 1) of `metric`. */
export const metricEventSchema = z.strictObject({
  type: z.literal("metric"),
  rollout: z.string().min(1).optional(),
  unit,
  metric: z.string().min(1),
  value: z.number().default(1).meta({ description: "For rates, any value above 0 counts as a conversion; for means, values are summed per unit." }),
  at: dateTimeSchema.optional(),
});

/** Either kind of event. */
export const rolloutEventSchema = z.discriminatedUnion("type", [exposureEventSchema, metricEventSchema], {
  error: 'expected an event with "type": "exposure" or "metric"',
});

/** An event as written. */
export type RolloutEventInput = z.input<typeof rolloutEventSchema>;
/** An exposure after validation. */
export type ExposureEvent = z.output<typeof exposureEventSchema>;
/** A metric event after validation (value defaulted). */
export type MetricEvent = z.output<typeof metricEventSchema>;
/** Either kind, after validation. */
export type RolloutEvent = ExposureEvent | MetricEvent;

/**
 * Validate events, for example the lines of a JSON Lines file. Bad events are
 * reported with their position and skipped; good ones are returned.
 *
 * @param inputs - parsed JSON values, one per event
 * @returns the valid events and one issue per problem, paths starting with the event's index
 * @example
 * ```ts
 * const { events, issues } = parseRolloutEvents(text.split("\n").filter(Boolean).map((l) => JSON.parse(l)));
 * ```
 */
export function parseRolloutEvents(inputs: Iterable<unknown>): { events: RolloutEvent[]; issues: Issue[] } {
  const events: RolloutEvent[] = [];
  const issues: Issue[] = [];
  let i = 0;
  for (const input of inputs) {
    const r = rolloutEventSchema.safeParse(input, { reportInput: true });
    if (r.success) events.push(r.data);
    else issues.push(...fromZodIssues(r.error.issues, [i]));
    i++;
  }
  return { events, issues };
}

/**
 * Parse JSON Lines text into events: blank lines are skipped, each problem is
 * reported with its 1-based line number as the first path segment.
 *
 * @param text - the file's content
 * @returns the valid events and the problems found
 * @example
 * ```ts
 * parseRolloutEventLines('{"type":"exposure","unit":"C-1","variant":"control"}\n').events.length; // 1
 * ```
 */
export function parseRolloutEventLines(text: string): { events: RolloutEvent[]; issues: Issue[] } {
  const events: RolloutEvent[] = [];
  const issues: Issue[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      issues.push({ code: "invalid_json", path: [`line ${index + 1}`], message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    const r = parseRolloutEvents([value]);
    events.push(...r.events);
    for (const issue of r.issues) issues.push({ ...issue, path: [`line ${index + 1}`, ...issue.path.slice(1)] });
  });
  return { events, issues };
}
