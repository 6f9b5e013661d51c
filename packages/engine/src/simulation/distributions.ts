/**
 * Draws for bulk simulation: counts per period, delays of simulated
 * approvers and input fields, from the distributions a `generate` step names.
 * Every draw takes its numbers from a seeded generator (`seededRandom`), and
 * only plain arithmetic and `Math.log`/`Math.exp`/`Math.cos`/`Math.sqrt`
 * are used, so the same seed gives the same draws on every run.
 */
import type { ChoiceSpec, DistributionSpec, FieldSpec } from "../schema/scenario.js";
import { fixedDurationMs } from "../schema/scenario.js";

/** A source of numbers in [0, 1). */
export type Random = () => number;

/** z of the 90th percentile of the standard normal distribution. */
const Z90 = 1.2815515655446004;

/** A parameter as a number: numbers as they are, durations in milliseconds. */
function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") return fixedDurationMs(v) ?? 0;
  return 0;
}

/** A standard normal draw (Box-Muller, cosine branch: two uniforms per draw). */
function standardNormal(random: Random): number {
  const u1 = 1 - random(); // (0, 1]: the logarithm is finite
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A Poisson draw: Knuth's product of uniforms up to a mean of 50, a rounded normal above. */
export function poisson(mean: number, random: Random): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * standardNormal(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

/**
 * Draw one value of a distribution. Parameters given as durations (`PT4H`)
 * are read in milliseconds, so the draw is milliseconds too.
 *
 * @param d - the distribution, as validated
 * @param random - the seeded generator to draw from
 * @returns the draw, clamped to the distribution's `min` and `max` when it has them
 */
export function draw(d: DistributionSpec, random: Random): number {
  let x: number;
  switch (d.distribution) {
    case "constant":
      return num(d.value);
    case "uniform":
      return num(d.min) + random() * (num(d.max) - num(d.min));
    case "triangular": {
      const [a, c, b] = [num(d.min), num(d.mode), num(d.max)];
      if (b === a) return a;
      const u = random();
      const f = (c - a) / (b - a);
      return u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
    }
    case "normal":
      x = num(d.mean) + num(d.sd) * standardNormal(random);
      break;
    case "lognormal": {
      const median = num(d.median);
      const sigma = d.sigma ?? Math.log(num(d.p90) / median) / Z90;
      x = median * Math.exp(sigma * standardNormal(random));
      break;
    }
    case "exponential":
      x = -num(d.mean) * Math.log(1 - random());
      break;
    case "poisson":
      return poisson(d.mean, random);
  }
  if ("min" in d && d.min !== undefined) x = Math.max(x, num(d.min));
  if ("max" in d && d.max !== undefined) x = Math.min(x, num(d.max));
  return x;
}

/** Draw a whole number >= 0: a count per period. */
export function drawCount(count: number | DistributionSpec, random: Random): number {
  if (typeof count === "number") return count;
  return Math.max(0, Math.round(draw(count, random)));
}

/** Draw a delay in milliseconds >= 0: a duration, or a distribution of durations. */
export function drawDelay(after: string | DistributionSpec, random: Random): number {
  if (typeof after === "string") return fixedDurationMs(after) ?? 0;
  return Math.max(0, Math.round(draw(after, random)));
}

/** Pick one value of a weighted choice. */
export function choose(spec: ChoiceSpec, random: Random): unknown {
  const options: [unknown, number][] = Array.isArray(spec.choice) ? spec.choice.map((o) => [o.value, o.weight]) : Object.entries(spec.choice);
  const total = options.reduce((a, [, w]) => a + w, 0);
  let u = random() * total;
  for (const [value, w] of options) {
    if (u < w) return value;
    u -= w;
  }
  // rounding left u at the total: the last option with a weight
  return [...options].reverse().find(([, w]) => w > 0)![0];
}

/**
 * Make one input field of the `n`-th generated instance.
 *
 * @param spec - the field's spec: a distribution (with `round`), a choice, a `value` or a `template`
 * @param n - the instance's number in its generator (1, 2...)
 * @param random - the instance's own seeded generator
 */
export function drawField(spec: FieldSpec, n: number, random: Random): unknown {
  if ("choice" in spec) return choose(spec, random);
  if ("value" in spec && !("distribution" in spec)) return structuredClone(spec.value);
  if ("template" in spec) return spec.template.replaceAll("{n}", String(n).padStart(spec.pad, "0"));
  const x = draw(spec, random);
  if (spec.round === undefined) return x;
  const f = 10 ** spec.round;
  return Math.round(x * f) / f;
}
