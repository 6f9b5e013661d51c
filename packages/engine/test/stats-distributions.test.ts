/**
 * The distributions against published table values (normal, Student's t and
 * chi-square critical values as printed in standard statistical tables and
 * reproduced by R's pnorm/qnorm/qt/qchisq), plus internal consistency.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { chiSquareCdf, chiSquareSf } from "../src/stats/chi-square.js";
import { gammaP, incompleteBeta, logGamma } from "../src/stats/special.js";
import { normalCdf, normalPdf, normalQuantile, normalTwoSidedP } from "../src/stats/normal.js";
import { studentTCdf, studentTPdf, studentTQuantile, studentTTwoSidedP } from "../src/stats/student-t.js";

const close = (actual: number, expected: number, relative = 1e-9) => {
  const tolerance = relative * Math.max(Math.abs(expected), expected === 0 ? 1 : 1e-300);
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
};

describe("special functions", () => {
  it("logGamma matches factorials and Γ(1/2) = √π", () => {
    for (let n = 1; n <= 20; n++) {
      let f = 1;
      for (let k = 2; k < n; k++) f *= k;
      close(logGamma(n), Math.log(f), 1e-13);
    }
    close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-13);
    close(logGamma(100), 359.1342053695754, 1e-14);
  });

  it("incomplete gamma and beta match closed forms", () => {
    close(gammaP(1, 2), 1 - Math.exp(-2), 1e-14);
    close(incompleteBeta(0.3, 1, 1), 0.3, 1e-14);
    close(incompleteBeta(0.5, 2, 2), 0.5, 1e-14);
    close(incompleteBeta(0.2, 2, 3), 1 - 0.8 ** 4 - 4 * 0.2 * 0.8 ** 3, 1e-13);
  });
});

describe("normal distribution", () => {
  it("matches table values of Φ", () => {
    close(normalCdf(0), 0.5);
    close(normalCdf(1), 0.8413447460685429);
    close(normalCdf(1.96), 0.9750021048517795);
    close(normalCdf(-3), 0.0013498980316301);
    close(normalCdf(-5), 2.866515718791939e-7, 1e-8);
    close(normalCdf(-8), 6.220960574271784e-16, 1e-8);
    close(normalPdf(0), 0.3989422804014327);
    close(normalTwoSidedP(1.96), 0.04999579029644087);
  });

  it("matches table values of the quantile", () => {
    close(normalQuantile(0.975), 1.959963984540054, 1e-13);
    close(normalQuantile(0.95), 1.6448536269514722, 1e-13);
    close(normalQuantile(0.995), 2.5758293035489004, 1e-13);
    close(normalQuantile(0.999), 3.090232306167813, 1e-12);
    close(normalQuantile(0.8), 0.8416212335729143, 1e-13);
    close(normalQuantile(1e-10), -6.361340902404056, 1e-12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  test.prop([fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true })], { seed: 31, numRuns: 300 })("quantile inverts the CDF", (p) => {
    close(normalCdf(normalQuantile(p)), p, 1e-9);
  });
});

describe("Student's t distribution", () => {
  // Two-sided 95% and 99% critical values (the 0.975 and 0.995 quantiles).
  const table: [number, number, number][] = [
    [1, 12.70620474, 63.65674116],
    [2, 4.30265273, 9.92484320],
    [3, 3.18244631, 5.84090931],
    [5, 2.57058184, 4.03214298],
    [10, 2.22813885, 3.16927267],
    [20, 2.08596345, 2.84533971],
    [30, 2.04227246, 2.74999565],
    [60, 2.00029782, 2.66028303],
    [120, 1.97993040, 2.61742114],
  ];

  it.each(table)("df %d: quantiles and CDF agree with the table", (df, q975, q995) => {
    close(studentTQuantile(0.975, df), q975, 1e-8);
    close(studentTQuantile(0.995, df), q995, 1e-8);
    close(studentTCdf(q975, df), 0.975, 1e-8);
    close(studentTTwoSidedP(q995, df), 0.01, 1e-6);
    close(studentTQuantile(0.025, df), -q975, 1e-8);
  });

  it("has the Cauchy density at df 1 and approaches the normal for large df", () => {
    close(studentTPdf(0, 1), 1 / Math.PI, 1e-13);
    close(studentTCdf(1, 1), 0.75, 1e-13);
    close(studentTQuantile(0.975, 1e6), 1.959966, 1e-6);
    close(studentTCdf(1.96, 1e9), normalCdf(1.96), 1e-12);
  });

  test.prop([fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.5, max: 5000, noNaN: true })], { seed: 32, numRuns: 300 })(
    "quantile inverts the CDF for fractional degrees of freedom too",
    (p, df) => {
      close(studentTCdf(studentTQuantile(p, df), df), p, 1e-9);
    },
  );
});

describe("chi-square distribution", () => {
  // Upper critical values: P(X >= x) = 0.05 and 0.001.
  const table: [number, number, number, number][] = [
    [1, 3.841458821, 10.82756617, 1e-7],
    [2, 5.991464547, 13.81551056, 1e-7],
    [5, 11.07049769, 20.51500565, 1e-7],
    [10, 18.30703805, 29.58829845, 1e-7],
    [99, 123.225, 148.23, 1e-4], // NIST table, 3 decimals
  ];

  it.each(table)("df %d: critical values have the tabled tail probabilities", (df, x05, x001, tolerance) => {
    close(chiSquareSf(x05, df), 0.05, tolerance);
    close(chiSquareCdf(x05, df), 0.95, tolerance);
    close(chiSquareSf(x001, df), 0.001, tolerance);
  });

  /** Odd degrees of freedom have a closed form: 2(1 - Φ(√x)) + 2φ(√x) Σ x^(r-1/2) / (1·3·...·(2r-1)). */
  const oddTail = (x: number, k: number): number => {
    const s = Math.sqrt(x);
    let term = s;
    let sum = k >= 3 ? term : 0;
    for (let r = 2; r <= (k - 1) / 2; r++) {
      term *= x / (2 * r - 1);
      sum += term;
    }
    return 2 * normalCdf(-s) + 2 * normalPdf(s) * sum;
  };

  test.prop([fc.integer({ min: 0, max: 60 }).map((n) => 2 * n + 1), fc.double({ min: 0.01, max: 300, noNaN: true })], { seed: 33, numRuns: 300 })(
    "agrees with the closed form for odd degrees of freedom",
    (k, x) => {
      close(chiSquareSf(x, k), oddTail(x, k), 1e-9);
    },
  );

  it("keeps tiny tails precise", () => {
    close(chiSquareSf(160, 1), 1.1314837902433036e-36, 1e-9);
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareCdf(-1, 3)).toBe(0);
  });
});
