/**
 * From raw events to per-variant summaries. Units are counted once, in the
 * variant of their first exposure. A unit exposed to two different variants
 * is a crossover: it is left out of every metric (its outcome cannot be
 * credited to one variant) and counted so the report can warn. A metric
 * event counts only from the unit's first exposure on, when both carry a
 * time: what a unit did before it saw the variant was not caused by it.
 */
import { parseInstant } from "../expr/values.js";
import type { MeanSample, RateSample } from "../stats/hypothesis-tests.js";
import type { RolloutEventInput } from "./events.js";

/** How the events were used. */
export interface DataSummary {
  /** Exposure events of this rollout. */
  exposures: number;
  /** Distinct units analysed (crossovers excluded). */
  units: number;
  /** Metric events that counted. */
  metricEvents: number;
  /** Units exposed to more than one variant: excluded. */
  crossoverUnits: number;
  /** Exposures naming a variant the rollout does not have: skipped. */
  unknownVariantExposures: number;
  /** Metric events of units never exposed, or of another rollout: skipped. */
  unmatchedMetricEvents: number;
  /** Metric events dated before the unit's first exposure: skipped. */
  preExposureMetricEvents: number;
}

/** Per-unit metric totals, grouped by variant. @internal */
export interface AggregatedData {
  summary: DataSummary;
  /** Units per variant, in variant order. */
  units: number[];
  /** Per variant, per metric: the totals of units that had the metric (others are 0). */
  totals: Map<string, number>[][];
}

interface UnitState {
  variant: number;
  at: number | undefined;
  crossover: boolean;
  totals: Map<string, number>;
}

/**
 * Aggregate events for one rollout.
 * @internal
 */
export function aggregateEvents(rolloutId: string, variantIds: readonly string[], events: Iterable<RolloutEventInput>): AggregatedData {
  const index = new Map(variantIds.map((id, i) => [id, i]));
  const units = new Map<string, UnitState>();
  const summary: DataSummary = { exposures: 0, units: 0, metricEvents: 0, crossoverUnits: 0, unknownVariantExposures: 0, unmatchedMetricEvents: 0, preExposureMetricEvents: 0 };
  const metrics: RolloutEventInput[] = [];
  for (const e of events) {
    if (e.rollout !== undefined && e.rollout !== rolloutId) {
      if (e.type === "metric") summary.unmatchedMetricEvents++;
      continue;
    }
    if (e.type === "metric") {
      metrics.push(e);
      continue;
    }
    summary.exposures++;
    const v = index.get(e.variant);
    if (v === undefined) {
      summary.unknownVariantExposures++;
      continue;
    }
    const at = e.at === undefined ? undefined : parseInstant(e.at);
    const unit = String(e.unit);
    const prev = units.get(unit);
    if (!prev) units.set(unit, { variant: v, at, crossover: false, totals: new Map() });
    else {
      if (prev.variant !== v) prev.crossover = true;
      if (at !== undefined && (prev.at === undefined || at < prev.at)) prev.at = at;
    }
  }
  // Metric events are applied after every exposure is known: a file need not be sorted.
  for (const e of metrics) {
    if (e.type !== "metric") continue;
    const u = units.get(String(e.unit));
    if (!u || u.crossover) {
      summary.unmatchedMetricEvents += u ? 0 : 1;
      continue;
    }
    const at = e.at === undefined ? undefined : parseInstant(e.at);
    if (at !== undefined && u.at !== undefined && at < u.at) {
      summary.preExposureMetricEvents++;
      continue;
    }
    summary.metricEvents++;
    u.totals.set(e.metric, (u.totals.get(e.metric) ?? 0) + (e.value ?? 1));
  }
  const counts = variantIds.map(() => 0);
  const totals: Map<string, number>[][] = variantIds.map(() => []);
  for (const u of units.values()) {
    if (u.crossover) {
      summary.crossoverUnits++;
      continue;
    }
    counts[u.variant]!++;
    totals[u.variant]!.push(u.totals);
  }
  summary.units = counts.reduce((a, b) => a + b, 0);
  return { summary, units: counts, totals };
}

/** A variant's rate sample for a metric: units with a total above 0 converted. @internal */
export function rateSample(units: number, totals: readonly Map<string, number>[], metric: string): RateSample {
  let conversions = 0;
  for (const t of totals) if ((t.get(metric) ?? 0) > 0) conversions++;
  return { units, conversions };
}

/** A variant's mean sample for a metric: per-unit totals, 0 for units without events. @internal */
export function meanSample(units: number, totals: readonly Map<string, number>[], metric: string): MeanSample {
  let sum = 0;
  for (const t of totals) sum += t.get(metric) ?? 0;
  const mean = units > 0 ? sum / units : 0;
  // Two passes: squared deviations from the mean, so large values keep their precision.
  let squares = 0;
  for (const t of totals) squares += ((t.get(metric) ?? 0) - mean) ** 2;
  squares += (units - totals.length) * mean * mean;
  const variance = units > 1 ? squares / (units - 1) : 0;
  return { units, mean, variance };
}
