import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { allocateUnits, distribute } from "../src/money/allocate.js";
import { formatMinorUnits, toMinorUnits } from "../src/money/amount.js";
import { divideRounded, floorDivide, ROUNDING_MODES } from "../src/money/rounding.js";
import { periodContaining, parsePeriod, type Period } from "../src/money/period.js";

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

describe("rounding properties", () => {
  test.prop([fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.constantFrom(...ROUNDING_MODES)])(
    "the rounded quotient is within one unit, on the side the mode says",
    (n, d, mode) => {
      const q = divideRounded(n, d, mode);
      const diff = n - q * d; // exact quotient minus q, times d
      expect(abs(diff) < d).toBe(true);
      if (mode === "down") expect(abs(q * d) <= abs(n)).toBe(true);
      if (mode === "up") expect(abs(q * d) >= abs(n)).toBe(true);
      if (mode === "half-up" || mode === "half-even") expect(abs(diff) * 2n <= d).toBe(true);
      if (mode === "half-even" && abs(diff) * 2n === d) expect(q % 2n).toBe(0n);
      expect(divideRounded(-n, d, mode === "half-even" ? "half-even" : mode)).toBe(-q);
    },
  );

  test.prop([fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 9n })])("floorDivide is the floor", (n, d) => {
    const f = floorDivide(n, d);
    expect(f * d <= n && n < (f + 1n) * d).toBe(true);
  });
});

describe("amount text round-trips", () => {
  test.prop([fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.integer({ min: 0, max: 4 })])("format then parse gives the same minor units", (minor, scale) => {
    expect(toMinorUnits(formatMinorUnits(minor, scale), scale)).toBe(minor);
  });

  test.prop([fc.boolean(), fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 99 })])("numbers with cents parse to the cents they print as", (neg, units, cents) => {
    const text = `${neg ? "-" : ""}${units}.${String(cents).padStart(2, "0")}`;
    const minor = toMinorUnits(Number(text), 2) as bigint;
    expect(minor).toBe(toMinorUnits(text, 2));
  });
});

describe("allocation properties", () => {
  const weights = fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 40 });

  test.prop([fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), weights])("parts always sum to the total, each within one unit of its share", (total, ws) => {
    const parts = allocateUnits(total, ws);
    expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
    const sum = ws.reduce((a, b) => a + b, 0n);
    ws.forEach((w, i) => {
      // |part * sum - w * total| < sum  (floor or ceiling of the exact share)
      if (sum > 0n) expect(abs(parts[i]! * sum - w * total) < sum).toBe(true);
    });
  });

  test.prop([fc.array(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), { minLength: 1, maxLength: 40 }), fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.constantFrom(...ROUNDING_MODES)])(
    "distributing the rounded total of exact shares gives each share its floor or ceiling",
    (nums, den, mode) => {
      const total = divideRounded(nums.reduce((a, b) => a + b, 0n), den, mode);
      const parts = distribute(nums, den, total);
      expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
      nums.forEach((n, i) => {
        const f = floorDivide(n, den);
        expect(parts[i] === f || parts[i] === f + 1n).toBe(true);
      });
    },
  );
});

describe("period properties", () => {
  const zones = ["UTC", "+08:00", "-05:30", "Asia/Shanghai", "America/New_York", "Europe/Berlin"];
  test.prop([fc.integer({ min: Date.parse("2000-01-01"), max: Date.parse("2060-01-01") }), fc.constantFrom("day", "week", "month", "quarter", "year" as const), fc.constantFrom(...zones)])(
    "an instant lies in its period, and the period's key names the same period",
    (ms, unit, zone) => {
      const p = periodContaining(ms, unit, zone);
      expect(p.start <= ms && ms < p.end).toBe(true);
      const again = parsePeriod(p.key, zone) as Period;
      expect(again).toEqual(p);
      expect(periodContaining(p.end, unit, zone).start).toBe(p.end);
    },
  );
});
