import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileCalendar, DEFINITION_KINDS, formatIssue, runScenario, validateDefinition, type Issue } from "../src/index.js";
import { MAX_DOCUMENT_DEPTH } from "../src/entries/rules.js";

/** `{"all":[{"all":[ ... {"fact":"a","op":"eq","value":1} ... ]}]}` as JSON text, `levels` deep. */
function allChain(levels: number): string {
  return '{"all":['.repeat(levels) + '{"fact":"a","op":"eq","value":1}' + "]}".repeat(levels);
}
function notChain(levels: number): string {
  return '{"not":'.repeat(levels) + '{"fact":"a","op":"eq","value":1}' + "}".repeat(levels);
}
function arrayChain(levels: number): string {
  return "[".repeat(levels) + "1" + "]".repeat(levels);
}
function ruleset(when: string, then = "{}"): unknown {
  return JSON.parse(`{"kind":"ruleset","id":"deep","version":1,"rules":[{"id":"r","when":${when},"then":${then}}]}`);
}

function onlyDepthIssue(issues: Issue[]): Issue {
  expect(issues).toHaveLength(1);
  const [issue] = issues as [Issue];
  expect(issue.code).toBe("too_deep");
  return issue;
}

describe("document depth", () => {
  it.each([
    ["an all chain of 800 levels", () => ruleset(allChain(800)), ["rules", 0, "when", "all", 0, "all", 0]],
    ["a not chain of 1,400 levels", () => ruleset(notChain(1400)), ["rules", 0, "when", "not", "not"]],
    ["nested output arrays of 1,800 levels", () => ruleset('{"fact":"a","op":"exists"}', `{"x":${arrayChain(1800)}}`), ["rules", 0, "then", "x", 0, 0]],
    ["a chain of 100,000 levels", () => ruleset(allChain(100_000)), ["rules", 0, "when", "all", 0]],
  ] as const)("%s is refused with the path where the limit was exceeded, not a stack overflow", (_, make, prefix) => {
    const r = validateDefinition(make());
    expect(r.ok).toBe(false);
    const issue = onlyDepthIssue(r.issues);
    expect(issue.path.slice(0, prefix.length)).toEqual(prefix);
    // the path leads to the first value one level past the limit: the root object is level 1
    let v: unknown = make();
    for (const seg of issue.path) v = (v as Record<string | number, unknown>)[seg];
    expect(typeof v).toBe("object");
    expect(formatIssue(issue)).toContain(`more than ${MAX_DOCUMENT_DEPTH} levels`);
  });

  it("counts levels exactly: 64 nested containers pass the check, 65 do not", () => {
    // root object (1) > rules (2) > rule (3) > then (4) > the arrays of x (5...)
    const at = (containers: number) => ruleset('{"fact":"a","op":"exists"}', `{"x":${arrayChain(containers - 4)}}`);
    expect(validateDefinition(at(MAX_DOCUMENT_DEPTH)).ok).toBe(true);
    const r = validateDefinition(at(MAX_DOCUMENT_DEPTH + 1));
    const issue = onlyDepthIssue(r.issues);
    expect(issue.path).toHaveLength(MAX_DOCUMENT_DEPTH);
  });

  test.prop([fc.constantFrom(...DEFINITION_KINDS), fc.integer({ min: MAX_DOCUMENT_DEPTH, max: 3000 })], { numRuns: 60 })(
    "every kind refuses a too-deep document with one too_deep issue",
    (kind, depth) => {
      const doc = JSON.parse(`{"kind":"${kind}","id":"x","version":1,"anything":${arrayChain(depth)}}`) as unknown;
      const r = validateDefinition(doc);
      expect(r.ok).toBe(false);
      expect(onlyDepthIssue(r.issues).path[0]).toBe("anything");
    },
  );

  it("refuses a document that refers to itself, naming the cycle", () => {
    const rule: Record<string, unknown> = { id: "r", when: { fact: "a", op: "exists" } };
    rule["then"] = { self: rule };
    const r = validateDefinition({ kind: "ruleset", id: "x", version: 1, rules: [rule] });
    expect(r.ok).toBe(false);
    expect(r.issues).toMatchObject([{ code: "cyclic", path: ["rules", 0, "then", "self"], message: expect.stringContaining("refers back to rules[0]") }]);
  });

  it("compileCalendar and runScenario apply the same bound", async () => {
    const cal = JSON.parse(`{"id":"c","timeZone":"Asia/Shanghai","workingHours":${arrayChain(5000)}}`) as Parameters<typeof compileCalendar>[0];
    expect(() => compileCalendar(cal)).toThrow(/workingHours(\[0\])+: nested more than 64 levels/);
    const scenario = JSON.parse(`{"kind":"scenario","id":"s","start":"2026-01-01T00:00:00Z","steps":${arrayChain(5000)}}`) as unknown;
    await expect(runScenario(scenario, [])).rejects.toThrow(/steps(\[0\])+: nested more than 64 levels/);
  });
});

describe("prototype-reaching keys at any depth", () => {
  function protoAt(depth: number, key: string): unknown {
    // depth counts containers from the root object; the key sits in the innermost one
    return JSON.parse(`{"kind":"ruleset","id":"x","version":1,"rules":[{"id":"r","then":${'{"a":'.repeat(depth - 4)}{"${key}":1}${"}".repeat(depth - 4)}}]}`);
  }

  test.prop([fc.integer({ min: 4, max: 400 }), fc.constantFrom("__proto__", "constructor", "prototype")], { numRuns: 120 })(
    "are refused with their path, or the depth bound refuses first; never dropped",
    (depth, key) => {
      const r = validateDefinition(protoAt(depth, key));
      expect(r.ok).toBe(false);
      if (depth <= MAX_DOCUMENT_DEPTH) {
        expect(r.issues.map((i) => i.code)).toEqual(["forbidden_key"]);
        expect(r.issues[0]?.path).toEqual(["rules", 0, "then", ...Array<string>(depth - 4).fill("a"), key]);
      } else {
        expect(r.issues.map((i) => i.code)).toEqual(["too_deep"]);
      }
    },
  );

  it("are refused at levels 60 to 64, where they used to be dropped", () => {
    for (let depth = 60; depth <= MAX_DOCUMENT_DEPTH; depth++) {
      const r = validateDefinition(protoAt(depth, "__proto__"));
      expect(r.issues.map((i) => i.code)).toEqual(["forbidden_key"]);
    }
  });
});
