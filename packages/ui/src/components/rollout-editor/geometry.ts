/**
 * Pure layout of the rollout editor's pictures: the split bar of the variant
 * weights, the ramp schedule's step chart, and the effect chart of a report.
 */

/** Each weight's share of the total (0..1); all zero (or not finite) when the total is not positive. */
export function splitShares(weights: readonly unknown[]): number[] {
  const ws = weights.map((w) => (typeof w === "number" && Number.isFinite(w) && w > 0 ? w : 0));
  const total = ws.reduce((a, b) => a + b, 0);
  return total > 0 ? ws.map((w) => w / total) : ws.map(() => 0);
}

/** A ramp step as the document writes it. */
export interface RampStep {
  at: string;
  percent: number;
}

/** Box of the ramp chart, in SVG user units. */
export const RAMP_BOX = { width: 420, height: 158, left: 40, right: 12, top: 18, bottom: 34 } as const;

/** The ramp's step line and its labels. */
export interface RampGeometry {
  /** `x,y ...` of the step line: 0% before the first step, each step holds until the next. */
  points: string;
  /** One dot per step, with the date text as written (`2026-03-08`). */
  steps: { x: number; y: number; label: string; percent: number }[];
  yTicks: { y: number; label: string }[];
}

const OFFSET = /(Z|[+-]\d\d:\d\d)$/;

/** Milliseconds of an ISO date-time with an offset, or undefined. */
export function instantOf(text: string): number | undefined {
  if (typeof text !== "string" || !OFFSET.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Lay out a ramp schedule, or undefined when a step's time cannot be read or
 * a percent is not a number from 0 to 100 (the engine reports those at their paths).
 * Steps out of order are drawn in time order.
 */
export function rampGeometry(steps: readonly RampStep[]): RampGeometry | undefined {
  if (steps.length === 0) return undefined;
  const parsed = steps.map((s) => ({ ms: instantOf(s.at), percent: s.percent, label: typeof s.at === "string" ? s.at.slice(0, 10) : "" }));
  if (parsed.some((p) => p.ms === undefined || typeof p.percent !== "number" || !(p.percent >= 0 && p.percent <= 100))) return undefined;
  const sorted = [...parsed].sort((a, b) => a.ms! - b.ms!);
  const first = sorted[0]!.ms!;
  const last = sorted[sorted.length - 1]!.ms!;
  const span = last - first;
  const pad = span > 0 ? span * 0.25 : 7 * 86_400_000;
  const x0 = first - (span > 0 ? span * 0.12 : pad / 2);
  const x1 = last + pad;
  const w = RAMP_BOX.width - RAMP_BOX.left - RAMP_BOX.right;
  const h = RAMP_BOX.height - RAMP_BOX.top - RAMP_BOX.bottom;
  const px = (ms: number): number => RAMP_BOX.left + ((ms - x0) / (x1 - x0)) * w;
  const py = (p: number): number => RAMP_BOX.top + h - (p / 100) * h;
  const pts: [number, number][] = [[px(x0), py(0)]];
  let current = 0;
  for (const s of sorted) {
    pts.push([px(s.ms!), py(current)]);
    pts.push([px(s.ms!), py(s.percent)]);
    current = s.percent;
  }
  pts.push([px(x1), py(current)]);
  return {
    points: pts.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(" "),
    steps: sorted.map((s) => ({ x: px(s.ms!), y: py(s.percent), label: s.label, percent: s.percent })),
    yTicks: [0, 50, 100].map((p) => ({ y: py(p), label: `${p}%` })),
  };
}

/** The ISO text `days` days after `at`, in the same offset (`2026-03-15T00:00:00+08:00`), or undefined. */
export function addDays(at: string, days: number): string | undefined {
  const ms = instantOf(at);
  const m = OFFSET.exec(at);
  if (ms === undefined || !m) return undefined;
  const off = m[1] === "Z" ? 0 : (m[1]!.startsWith("-") ? -1 : 1) * (Number(m[1]!.slice(1, 3)) * 60 + Number(m[1]!.slice(4, 6)));
  const local = new Date(ms + days * 86_400_000 + off * 60_000).toISOString().slice(0, 19);
  return `${local}${m[1]}`;
}

/** One row of the effect chart: an estimate and its interval. */
export interface EffectRow {
  estimate: number;
  ci: [number, number];
}

/** Box of the effect chart. */
export const EFFECT_BOX = { width: 520, left: 170, right: 24, top: 8, row: 32, bottom: 34 } as const;

/** The effect chart's axis: a symmetric-enough range that contains every interval and 0, with ticks. */
export interface EffectAxis {
  min: number;
  max: number;
  ticks: number[];
  /** x of a value. */
  x(v: number): number;
  height: number;
}

/** Lay out the axis of an effect chart with `rows` rows. */
export function effectAxis(rows: readonly EffectRow[]): EffectAxis {
  let lo = 0;
  let hi = 0;
  for (const r of rows) {
    for (const v of [r.estimate, r.ci[0], r.ci[1]]) {
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (hi - lo === 0) {
    lo = -0.1;
    hi = 0.1;
  }
  const raw = (hi - lo) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = min; v <= max + step / 1000; v += step) ticks.push(Math.abs(v) < step / 1000 ? 0 : v);
  const w = EFFECT_BOX.width - EFFECT_BOX.left - EFFECT_BOX.right;
  return {
    min,
    max,
    ticks,
    x: (v: number) => EFFECT_BOX.left + ((v - min) / (max - min)) * w,
    height: EFFECT_BOX.top + rows.length * EFFECT_BOX.row + EFFECT_BOX.bottom,
  };
}
