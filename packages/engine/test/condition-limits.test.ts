import { describe, expect, it } from "vitest";
import { compileCondition, ValidationError, type Condition } from "../src/index.js";
import { conditionSchema, CONDITION_OPERATORS, MAX_DOCUMENT_DEPTH } from "../src/entries/rules.js";

const leaf: Condition = { fact: "a", op: "eq", value: 1 };
const allChain = (n: number): Condition => {
  let c: Condition = leaf;
  for (let i = 0; i < n; i++) c = { all: [c] };
  return c;
};
const notChain = (n: number): Condition => {
  let c: Condition = leaf;
  for (let i = 0; i < n; i++) c = { not: c };
  return c;
};

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error("expected a ValidationError");
}

describe("deep conditions are refused with a path, never a stack overflow", () => {
  it.each([
    ["all", 800, allChain],
    ["not", 1_400, notChain],
    ["not", 5_000, notChain],
    ["all", 100_000, allChain],
  ] as const)("compileCondition: %s chain of %i levels", (_, n, chain) => {
    const e = validationError(() => compileCondition(chain(n)));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]!.code).toBe("too_deep");
    expect(e.issues[0]!.path.length).toBe(MAX_DOCUMENT_DEPTH);
    expect(e.message).toMatch(/(all\[0\]\.|not\.)+.*nested more than 64 levels deep/);
  });

  it.each([
    ["all", 800, allChain],
    ["not", 5_000, notChain],
  ] as const)("conditionSchema.safeParse: %s chain of %i levels", (_, n, chain) => {
    const r = conditionSchema.safeParse(chain(n));
    expect(r.success).toBe(false);
    expect(r.error!.issues).toHaveLength(1);
    expect(r.error!.issues[0]!.message).toMatch(/nested more than 64 levels deep/);
    expect(r.error!.issues[0]!.path.length).toBe(MAX_DOCUMENT_DEPTH);
  });

  it("conditions within the limit still compile and parse", () => {
    const ok = notChain(MAX_DOCUMENT_DEPTH - 2);
    expect(conditionSchema.safeParse(ok).success).toBe(true);
    expect(compileCondition(ok).test({ a: 1 })).toBe(MAX_DOCUMENT_DEPTH % 2 === 0);
    expect(compileCondition(allChain(20)).test({ a: 1 })).toBe(true);
  });
});

describe("compileCondition checks the shape of its input", () => {
  it("an unknown operator is a validation error naming the path and the allowed operators", () => {
    const e = validationError(() => compileCondition({ fact: "x", op: "neq", value: 1 } as unknown as Condition));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]!.path).toEqual(["op"]);
    for (const op of CONDITION_OPERATORS) expect(e.issues[0]!.message).toContain(op);
  });

  it("a nested unknown operator names its path", () => {
    const e = validationError(() => compileCondition({ all: [leaf, { not: { fact: "x", op: "neq", value: 1 } }] } as unknown as Condition));
    expect(e.issues.map((i) => i.path)).toEqual([["all", 1, "not", "op"]]);
    expect(e.message).toContain("all[1].not.op");
  });
});
