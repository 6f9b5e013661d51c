import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { parseInstant } from "../src/expr/values.js";
import { isoUtc } from "../src/rebates/assemble.js";
import { orderInstant } from "../src/rebates/lines.js";

// Settlement reads and writes a time per order line, so both have fast paths; these check them against the general ones.
describe("order times", () => {
  test.prop([fc.date({ min: new Date("1000-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }), fc.integer({ min: -14 * 60, max: 14 * 60 })])(
    "the fast order-time parser agrees with parseInstant",
    (d, off) => {
      const iso = d.toISOString().slice(0, 19);
      const sign = off < 0 ? "-" : "+";
      const a = Math.abs(off);
      for (const s of [`${iso}Z`, `${iso}${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`]) {
        expect(orderInstant(s)).toBe(parseInstant(s));
      }
    },
  );

  test.prop([fc.constantFrom("2026-02-30T10:00:00+08:00", "2026-13-01T00:00:00Z", "2026-02-10", "2026-02-10T10:00:00.123+08:00", "x".repeat(25), "2026-02-10T25:00:00Z")])(
    "odd shapes fall back to the general parser",
    (s) => {
      expect(orderInstant(s)).toBe(parseInstant(s));
    },
  );

  test.prop([fc.integer({ min: Date.parse("0100-01-01T00:00:00Z"), max: Date.parse("9999-12-31T23:59:59Z") })])("isoUtc matches Date#toISOString", (ms) => {
    expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
  });
});
