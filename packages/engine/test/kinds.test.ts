/**
 * The kind registry: every kind is one spec, every spec's docs example
 * compiles, and each kind's own compile function is the generic path (the
 * same limits, shape and meaning checks, `kind` optional, another kind refused).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  compileCalendar,
  compileDecisionTable,
  compileDefinition,
  compilePromotion,
  compileRebate,
  compileRollout,
  compileRuleSet,
  compileScenario,
  compileTestSuite,
  compileWorkflow,
  definitionSchemas,
  DEFINITION_KINDS,
  formatIssue,
  isRuleflowError,
  validateDefinition,
  ValidationError,
} from "../src/index.js";
import { KIND_SPECS } from "../src/definitions.js";
import { compileKind, validateKind } from "../src/kinds/pipeline.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The first JSON example of `kind` on a docs page. */
function docsExample(page: string, kind: string): Record<string, unknown> {
  const markdown = readFileSync(join(repo, page), "utf8");
  for (const m of markdown.matchAll(/```json\n([\s\S]*?)```/g)) {
    let doc: unknown;
    try {
      doc = JSON.parse(m[1]!);
    } catch {
      continue;
    }
    if (typeof doc === "object" && doc !== null && (doc as { kind?: unknown }).kind === kind) return doc as Record<string, unknown>;
  }
  throw new Error(`${page} has no JSON example of kind "${kind}"`);
}

function without<T extends Record<string, unknown>>(doc: T, key: string): Record<string, unknown> {
  const { [key]: _omit, ...rest } = doc;
  return rest;
}

/** Each kind's own compile function, by kind. */
const WRAPPERS: Record<string, (input: never) => { kind: string; id: string }> = {
  ruleset: compileRuleSet,
  "decision-table": compileDecisionTable,
  promotion: compilePromotion,
  rebate: compileRebate,
  rollout: compileRollout,
  calendar: compileCalendar,
  workflow: compileWorkflow,
  scenario: compileScenario,
  "test-suite": compileTestSuite,
};

function thrown(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("the kind registry", () => {
  it("has one spec per kind, in the order DEFINITION_KINDS lists them, and definitionSchemas is their schemas", () => {
    expect(KIND_SPECS.map((s) => s.kind)).toEqual(DEFINITION_KINDS);
    expect(DEFINITION_KINDS).toEqual(["ruleset", "decision-table", "promotion", "rebate", "rollout", "calendar", "workflow", "scenario", "test-suite"]);
    expect(new Set(DEFINITION_KINDS).size).toBe(DEFINITION_KINDS.length);
    for (const spec of KIND_SPECS) expect(definitionSchemas[spec.kind]).toBe(spec.schema);
    expect(Object.keys(WRAPPERS).sort()).toEqual([...DEFINITION_KINDS].sort());
  });

  it.each(KIND_SPECS.map((s) => [s.kind, s] as const))("%s: the docs example on its page compiles through its spec, compileDefinition and its own function", (kind, spec) => {
    expect(spec.docs.page).toMatch(/^docs\/[\w-]+\.md$/);
    const example = docsExample(spec.docs.page, kind);
    const r = validateKind(spec, example);
    expect(r.issues.map(formatIssue)).toEqual([]);
    expect(r.definition).toMatchObject({ kind, id: example["id"] });
    expect(compileDefinition(example)).toMatchObject({ kind, id: example["id"] });
    expect(validateDefinition(example).ok).toBe(true);
    // the typed function: `kind` may be left out
    const compiled = WRAPPERS[kind]!(without(example, "kind") as never);
    expect(compiled).toMatchObject({ kind, id: example["id"] });
  });

  it.each(DEFINITION_KINDS.map((k) => [k] as const))("%s: its own function refuses a document of another kind at `kind`", (kind) => {
    const other = kind === "ruleset" ? "rollout" : "ruleset";
    const e = thrown(() => WRAPPERS[kind]!({ kind: other, id: "x", version: 1 } as never));
    expect(e.issues).toEqual([expect.objectContaining({ code: "invalid_kind", path: ["kind"], message: `expected "${kind}", got "${other}"` })]);
    expect(isRuleflowError(e, "VALIDATION_ERROR")).toBe(true);
  });

  it.each(DEFINITION_KINDS.map((k) => [k] as const))("%s: its own function applies the document limits (prototype-reaching keys, depth) before the shape", (kind) => {
    const doc = JSON.parse(`{"kind":"${kind}","id":"x","__proto__":{"polluted":true},"deep":${"[".repeat(80)}1${"]".repeat(80)}}`) as never;
    const e = thrown(() => WRAPPERS[kind]!(doc));
    expect(e.issues.map((i) => i.code)).toEqual(["forbidden_key", "too_deep"]);
    expect(e.issues[0]!.path).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("refuses input that is not a document object, in the caller's locale", () => {
    const spec = KIND_SPECS.find((s) => s.kind === "workflow")!;
    expect(validateKind(spec, [1, 2]).issues.map(formatIssue)).toEqual(["(root): expected a definition object, got an array"]);
    expect(() => compileKind(spec, null, { locale: "zh-CN" })).toThrow(/定义无效：1 个问题/);
  });
});

describe("compileCalendar takes the generic path", () => {
  it("refuses prototype-reaching keys at any depth, naming the calendar", () => {
    const doc = JSON.parse('{"id":"acme","timeZone":"Asia/Shanghai","holidays":["2026-03-06"],"workingHours":[["09:00","18:00"]],"notes":{"constructor":{"x":1}}}') as never;
    const e = thrown(() => compileCalendar(doc));
    expect(e.message).toMatch(/^Invalid calendar "acme": 1 problem/);
    expect(e.issues.map(formatIssue)).toEqual(['notes.constructor: "constructor" cannot be used as a name in a definition']);
  });

  it("refuses a document nested past the depth limit with the path where it was exceeded", () => {
    const doc = JSON.parse(`{"id":"acme","timeZone":"UTC","holidays":${"[".repeat(70)}"2026-03-06"${"]".repeat(70)}}`) as never;
    const e = thrown(() => compileCalendar(doc));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ code: "too_deep" });
    expect(e.issues[0]!.path.slice(0, 2)).toEqual(["holidays", 0]);
  });

  it("writes its messages in the caller's locale", () => {
    const e = thrown(() => compileCalendar({ id: "x", timeZone: "UTC", workingHours: [["18:00", "09:00"]] }, { locale: "zh-CN" }));
    expect(e.message).toMatch(/^定义 "x" 无效：1 个问题/);
  });
});

describe("compileWorkflow", () => {
  const example = docsExample("docs/workflows.md", "workflow");

  it("compiles a workflow document, kind optional, to what compileDefinition gives", () => {
    const wf = compileWorkflow(without(example, "kind") as never);
    const viaDefinition = compileDefinition(example);
    expect(wf.kind).toBe("workflow");
    expect(wf.id).toBe("customer-qualification");
    expect(wf.document).toEqual(viaDefinition.document);
    expect([...wf.directorySpecs].sort()).toEqual(["role:compliance", "role:compliance-lead", "role:legal", "role:marketing", "role:onboarding"]);
  });

  it("reports every problem with its path: shape and meaning together", () => {
    const e = thrown(() =>
      compileWorkflow({
        id: "broken",
        version: 1,
        start: "review",
        nodes: {
          review: { type: "approval", assignees: ["user:li"], onApprove: "done", onReject: "nowhere" },
          done: { type: "end", outcome: "ok" },
        },
      }),
    );
    expect(e.message).toMatch(/^Invalid definition "broken"/);
    expect(e.issues.length).toBeGreaterThan(0);
    expect(e.issues.some((i) => i.path.join(".") === "nodes.review.onReject")).toBe(true);
  });

  it("compiles in the workflow's time settings: calendar functions are refused in its expressions, as by compileDefinition", () => {
    const doc = {
      id: "calendar-in-expr",
      version: 1,
      calendar: "cn-mainland",
      start: "check",
      nodes: {
        check: { type: "branch" as const, branches: [{ when: { expr: "isWorkday(input.at)" }, to: "done" }], default: "done" },
        done: { type: "end" as const, outcome: "done" },
      },
    };
    const e = thrown(() => compileWorkflow(doc));
    const r = validateDefinition({ kind: "workflow", ...doc });
    expect(e.issues).toEqual(r.issues);
    expect(e.issues.map(formatIssue)).toEqual([expect.stringMatching(/^nodes\.check\.branches\[0\]\.when\.expr: .*isWorkday/)]);
  });
});

describe("compileScenario", () => {
  const example = docsExample("docs/simulation.md", "scenario");

  it("validates a scenario document, fills in its defaults, kind optional", () => {
    const s = compileScenario(without(example, "kind") as never);
    expect(s).toMatchObject({ kind: "scenario", id: "qualification-sla", version: 1 });
    expect(s.document.steps).toHaveLength((example["steps"] as unknown[]).length);
    expect(s.document.definitions).toEqual(example["definitions"]);
  });

  it("refuses a bad step with its path, naming the scenario", () => {
    const e = thrown(() => compileScenario({ id: "s", start: "2026-01-01T00:00:00Z", steps: [{ advance: "PT1H" }, { wait: "PT1H" }] } as never));
    expect(e.message).toMatch(/^Invalid scenario "s"/);
    expect(e.issues.every((i) => i.path[0] === "steps" && i.path[1] === 1)).toBe(true);
  });

  it("refuses a start without an offset", () => {
    const e = thrown(() => compileScenario({ id: "s", start: "2026-01-01T00:00:00", steps: [{ advance: "PT1H" }] }));
    expect(e.issues.map((i) => i.path.join("."))).toEqual(["start"]);
  });
});
