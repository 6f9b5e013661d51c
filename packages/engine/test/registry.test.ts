import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  NoEffectiveVersionError,
  UnknownDefinitionError,
  ValidationError,
  createRegistry,
  isRuleflowError,
} from "../src/index.js";
import { isoWithOffset, ruleflowError } from "./helpers.js";

interface Window {
  from?: string;
  to?: string;
}

function version(v: number, window: Window = {}, decision = `v${v}`, id = "approval") {
  const effective = { ...(window.from ? { from: window.from } : {}), ...(window.to ? { to: window.to } : {}) };
  return {
    kind: "ruleset",
    id,
    version: v,
    ...(window.from || window.to ? { effective } : {}),
    rules: [{ id: "only", then: { decision } }],
  };
}

const JAN = "2026-01-01T00:00:00+08:00";
const FEB = "2026-02-01T00:00:00+08:00";
const MAR = "2026-03-01T00:00:00+08:00";
const APR = "2026-04-01T00:00:00+08:00";

describe("effective windows", () => {
  const registry = createRegistry([
    version(1, { from: JAN, to: FEB }),
    version(2, { from: FEB, to: MAR }),
    version(3, { from: "2026-02-10T00:00:00Z", to: "2026-02-20T00:00:00Z" }),
    version(4, { from: APR }),
  ]);

  it("picks the version whose [from, to) contains the time, and names it in the result", () => {
    const at = (t: string) => registry.evaluate("approval", {}, { at: t });
    expect(at(JAN)).toMatchObject({ id: "approval", version: 1, output: { decision: "v1" } });
    expect(at("2026-01-31T15:59:59Z")).toMatchObject({ version: 1 });
    expect(at("2026-01-31T16:00:00Z")).toMatchObject({ version: 2 });
    expect(at(FEB)).toMatchObject({ version: 2 });
    expect(at("2026-02-28T15:59:59.999Z")).toMatchObject({ version: 2 });
    expect(at(APR)).toMatchObject({ version: 4 });
    expect(at("2099-01-01T00:00:00Z")).toMatchObject({ version: 4 });
  });

  it("lets the highest version win where windows overlap", () => {
    expect(registry.evaluate("approval", {}, { at: "2026-02-10T00:00:00Z" }).version).toBe(3);
    expect(registry.evaluate("approval", {}, { at: "2026-02-19T23:59:59Z" }).version).toBe(3);
    expect(registry.evaluate("approval", {}, { at: "2026-02-20T00:00:00Z" }).version).toBe(2);
    expect(registry.resolve("approval", "2026-02-15T00:00:00+08:00").version).toBe(3);
  });

  it("refuses a time in a gap, naming the loaded windows", () => {
    for (const at of ["2025-12-31T15:59:59Z", MAR, "2026-03-31T23:59:59+08:00"]) {
      const e = ruleflowError<NoEffectiveVersionError>("NO_EFFECTIVE_VERSION", () => registry.evaluate("approval", {}, { at }));
      expect(e).toBeInstanceOf(NoEffectiveVersionError);
      expect(e.definitionId).toBe("approval");
      expect(e.at).toBe(new Date(at).toISOString());
      expect(e.message).toContain("v1 [2025-12-31T16:00:00.000Z, 2026-01-31T16:00:00.000Z)");
      expect(e.message).toContain("v4 [2026-03-31T16:00:00.000Z, forever)");
    }
  });

  it("lists versions lowest first and every loaded id", () => {
    expect(registry.versions("approval").map((d) => d.version)).toEqual([1, 2, 3, 4]);
    expect(registry.versions("nothing")).toEqual([]);
    expect(registry.ids()).toEqual(["approval"]);
  });

  it("refuses an unknown id, listing the loaded ones", () => {
    const e = ruleflowError<UnknownDefinitionError>("UNKNOWN_DEFINITION", () => registry.evaluate("aproval", {}));
    expect(e).toBeInstanceOf(UnknownDefinitionError);
    expect(e.definitionId).toBe("aproval");
    expect(e.message).toContain("approval");
  });

  it("uses the evaluation time both to choose the version and as now", () => {
    const r = createRegistry([
      { kind: "ruleset", id: "clock", version: 1, effective: { to: FEB }, rules: [{ id: "r", then: { now: { expr: "now" } } }] },
      { kind: "ruleset", id: "clock", version: 2, effective: { from: FEB }, rules: [{ id: "r", then: { now: { expr: "addDays(now, 1)" } } }] },
    ]);
    expect(r.evaluate("clock", {}, { at: JAN })).toMatchObject({ version: 1, at: new Date(JAN).toISOString(), output: { now: new Date(JAN).toISOString() } });
    expect(r.evaluate("clock", {}, { at: FEB }).output).toEqual({ now: new Date(Date.parse(FEB) + 86_400_000).toISOString() });
  });

  test.prop(
    [
      fc.array(
        fc.record({ from: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), length: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }) }),
        { minLength: 1, maxLength: 6 },
      ),
      fc.array(fc.integer({ min: -10, max: 170 }), { minLength: 1, maxLength: 10 }),
      fc.constantFrom(0, 480, -300),
    ],
    { seed: 71, numRuns: 150 },
  )("resolves like a scan for the highest version whose window contains the time", (windows, times, tz) => {
    const base = Date.parse("2026-01-01T00:00:00Z");
    const day = 86_400_000;
    const docs = windows.map((w, i) =>
      version(i + 1, {
        ...(w.from !== undefined ? { from: isoWithOffset(base + w.from * day, tz) } : {}),
        ...(w.length !== undefined ? { to: isoWithOffset(base + ((w.from ?? 0) + w.length) * day, tz) } : {}),
      }),
    );
    const registry = createRegistry(docs);
    for (const t of times) {
      const at = base + t * day;
      let expected: number | undefined;
      windows.forEach((w, i) => {
        const from = w.from === undefined ? -Infinity : base + w.from * day;
        const to = w.length === undefined ? Infinity : base + ((w.from ?? 0) + w.length) * day;
        if (from <= at && at < to) expected = i + 1;
      });
      const iso = new Date(at).toISOString();
      if (expected === undefined) expect(() => registry.resolve("approval", iso)).toThrow(NoEffectiveVersionError);
      else expect(registry.evaluate("approval", {}, { at: iso })).toMatchObject({ version: expected, output: { decision: `v${expected}` } });
    }
  });
});

describe("loading", () => {
  it("treats an identical reload as a no-op", () => {
    const registry = createRegistry([version(1)]);
    const again = registry.load(version(1));
    expect(again.version).toBe(1);
    expect(registry.versions("approval")).toHaveLength(1);
    // Defaults applied by validation do not make a document "different".
    registry.load({ ...version(1), hitPolicy: "first" });
    expect(registry.versions("approval")).toHaveLength(1);
  });

  it("refuses a changed document under an already loaded version", () => {
    const registry = createRegistry([version(1)]);
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () => registry.load(version(1, {}, "changed")));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.issues).toEqual([expect.objectContaining({ code: "duplicate_version", path: ["version"] })]);
    expect(e.issues[0]!.message).toContain("new version number");
    expect(registry.evaluate("approval", {}).output).toEqual({ decision: "v1" });
  });

  it("loadAll is all-or-nothing and prefixes every issue with the document's index", () => {
    const registry = createRegistry([version(1, { to: FEB })]);
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () =>
      registry.loadAll([
        version(2, { from: FEB }),
        version(1, {}, "different"),
        { kind: "ruleset", id: "other", version: 1, rules: [] },
        version(3, { from: MAR, to: FEB }),
        version(2, { from: FEB }, "twice in one batch"),
      ]),
    );
    expect(e.issues.map((i) => [i.path[0], i.code])).toEqual([
      [1, "duplicate_version"],
      [2, "too_small"],
      [3, "invalid_window"],
      [4, "duplicate_version"],
    ]);
    expect(registry.versions("approval").map((d) => d.version)).toEqual([1]);
    expect(registry.ids()).toEqual(["approval"]);
    expect(() => registry.evaluate("approval", {}, { at: MAR })).toThrow(NoEffectiveVersionError);
  });

  it("loadAll adds every document when all are valid", () => {
    const registry = createRegistry();
    const loaded = registry.loadAll([version(1, { to: FEB }), version(2, { from: FEB }), version(1, {}, "x", "other")]);
    expect(loaded.map((d) => `${d.id}@${d.version}`)).toEqual(["approval@1", "approval@2", "other@1"]);
    expect(registry.ids().sort()).toEqual(["approval", "other"]);
    expect(registry.evaluate("approval", {}, { at: MAR }).version).toBe(2);
  });

  it("createRegistry with an invalid document throws and nothing is half-loaded", () => {
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () => createRegistry([version(1), { kind: "nope" }]));
    expect(e.issues).toEqual([expect.objectContaining({ path: [1, "kind"] })]);
  });

  it("keeps decision tables and rule sets side by side", () => {
    const registry = createRegistry([
      version(1),
      {
        kind: "decision-table",
        id: "rate",
        version: 1,
        hitPolicy: "first",
        inputs: [{ id: "tier", expr: "tier" }],
        outputs: [{ id: "rate", type: "decimal" }],
        rules: [{ tier: '"A"', rate: "0.1" }, { tier: "-", rate: "0.05" }],
      },
    ]);
    expect(registry.evaluate("rate", { tier: "A" })).toMatchObject({ kind: "decision-table", id: "rate", version: 1, output: { rate: "0.1" } });
    expect(registry.evaluate("approval", {})).toMatchObject({ kind: "ruleset", id: "approval" });
  });

  it("surfaces only Ruleflow errors for junk input", () => {
    const registry = createRegistry();
    for (const junk of [null, 1, "x", [], {}, { kind: "ruleset" }, [version(1)]]) {
      let error: unknown;
      try {
        registry.load(junk);
      } catch (e) {
        error = e;
      }
      expect(isRuleflowError(error), JSON.stringify(junk)).toBe(true);
    }
    expect(registry.ids()).toEqual([]);
  });
});
