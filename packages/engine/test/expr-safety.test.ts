/**
 * No expression may reach JavaScript internals: prototypes, constructors,
 * functions or host globals. Checked on a list of known attack strings and on
 * random expressions generated from a grammar full of dangerous names.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileExpression, isRuleflowError } from "../src/index.js";
import { BUILTIN_FUNCTIONS } from "../src/entries/rules.js";

const PROTOTYPES: readonly unknown[] = [
  Object.prototype,
  Array.prototype,
  Function.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
  Symbol.prototype,
  Date.prototype,
  RegExp.prototype,
  Error.prototype,
  Promise.prototype,
  Object.getPrototypeOf(function* () {}),
];

const DANGEROUS_NAMES = [
  "constructor",
  "__proto__",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "this",
  "globalThis",
  "global",
  "window",
  "self",
  "process",
  "require",
  "module",
  "exports",
  "import",
  "Function",
  "eval",
  "Object",
  "Array",
  "Reflect",
  "Proxy",
  "Symbol",
  "call",
  "apply",
  "bind",
  "length",
  "name",
  "arguments",
  "caller",
  "callee",
];

/** Facts that carry traps: functions, inherited values, an own "__proto__" key. */
function trapFacts(): Record<string, unknown> {
  const inherited = Object.create({ secret: "inherited", toString: () => "pwned" }) as Record<string, unknown>;
  inherited["own"] = 1;
  return {
    a: { b: 1, s: "text", list: [1, 2, 3] },
    k: "__proto__",
    c: "constructor",
    p: "prototype",
    t: "toString",
    names: DANGEROUS_NAMES,
    arr: [1, 2, 3],
    s: "string",
    n: 5,
    fn: () => "pwned",
    obj: { method: () => "pwned", cls: class {}, date: new Date(0) },
    inherited,
    parsed: JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}, "ok": 1}') as unknown,
    items: [{ f: () => 1 }, { name: "x" }],
  };
}

/** Every object reachable through the own properties of `root`. */
function reachable(root: unknown, into = new Set<object>()): Set<object> {
  if (root === null || (typeof root !== "object" && typeof root !== "function") || into.has(root)) return into;
  into.add(root);
  for (const key of Reflect.ownKeys(root)) {
    const d = Object.getOwnPropertyDescriptor(root, key);
    if (d && "value" in d) reachable(d.value, into);
  }
  return into;
}

/**
 * Walk a result: it is not a function, a symbol or a prototype (built-in, or
 * the hidden prototype of a fact object). Objects the expression built itself
 * (arrays, mapped values) are checked all the way down; objects handed in by
 * the host as facts are the host's own data and are only checked themselves.
 */
function assertInert(value: unknown, facts: unknown, depth = 0): void {
  if (depth > 50) return;
  expect(typeof value).not.toBe("function");
  expect(typeof value).not.toBe("symbol");
  expect(typeof value).not.toBe("bigint");
  if (value === null || typeof value !== "object") return;
  const factObjects = reachable(facts);
  const hidden = new Set<unknown>(PROTOTYPES);
  for (const o of factObjects) hidden.add(Object.getPrototypeOf(o));
  expect(hidden.has(value), "a prototype object escaped").toBe(false);
  if (factObjects.has(value)) return;
  const proto = Object.getPrototypeOf(value) as unknown;
  expect(proto === Object.prototype || proto === Array.prototype || proto === null, "an exotic object escaped").toBe(true);
  for (const v of Object.values(value)) assertInert(v, facts, depth + 1);
}

function run(source: string, facts: unknown = trapFacts()): { value?: unknown; error?: unknown } {
  try {
    const compiled = compileExpression(source);
    return { value: compiled.evaluate(facts, { at: "2026-03-01T00:00:00Z" }) };
  } catch (error) {
    return { error };
  }
}

function assertSafe(source: string): unknown {
  const before = Object.getOwnPropertyNames(Object.prototype).length;
  const facts = trapFacts();
  const r = run(source, facts);
  if ("error" in r) {
    expect(isRuleflowError(r.error), `${source} threw a non-Ruleflow error: ${String(r.error)}`).toBe(true);
  } else {
    assertInert(r.value, facts);
  }
  expect(Object.getOwnPropertyNames(Object.prototype).length).toBe(before);
  expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  return r.value;
}

describe("forbidden names", () => {
  it("rejects constructor, __proto__ and prototype anywhere outside a string at compile time", () => {
    for (const src of [
      "constructor",
      "a.constructor",
      "a.b.constructor.name",
      "__proto__",
      "a.__proto__",
      "a.__proto__.polluted",
      "prototype",
      "Function.prototype",
      "count(arr, x => x.constructor)",
      "a[0].constructor",
      'lower("x") + constructor',
      "constructor(1)",
    ]) {
      const r = run(src);
      expect(isRuleflowError(r.error), src).toBe(true);
      expect((r.error as Error).message, src).toContain("not allowed");
    }
  });

  it("gives null for forbidden and inherited keys reached dynamically", () => {
    const sources = [
      'a["constructor"]',
      'a["__proto__"]',
      'a["prototype"]',
      "a[k]",
      "a[c]",
      "a[p]",
      "a[t]",
      "arr[k]",
      "arr[c]",
      "s[c]",
      'a["con" + "structor"]',
      'a[lower("CONSTRUCTOR")]',
      'a["\\u0063onstructor"]',
      'a["__pro\\u0074o__"]',
      "parsed[k]",
      "parsed[k].polluted",
      "parsed[c]",
      'parsed["constructor"]["prototype"]',
      "inherited.secret",
      "inherited.toString",
      'inherited["toString"]',
      "fn",
      "obj.method",
      "obj.cls",
      'obj["method"]',
      "items[0].f",
      "(map(items, i => i.f))[0]",
      "(filter(names, x => x == c))[0][0]",
    ];
    for (const name of DANGEROUS_NAMES.filter((x) => x !== "constructor" && x !== "__proto__" && x !== "prototype")) {
      sources.push(`a.${name}`, `a["${name}"]`, `arr.${name === "length" ? "nope" : name}`, `s["${name}"]`, `n["${name}"]`, `fn["${name}"]`);
    }
    for (const src of sources) {
      expect(assertSafe(src), src).toBeNull();
    }
  });

  it("reads own data keys named like built-ins, because they are plain data", () => {
    expect(compileExpression("o.toString").evaluate({ o: { toString: "a string" } })).toBe("a string");
    expect(compileExpression("o.ok").evaluate(trapFacts()["parsed"] === undefined ? {} : { o: trapFacts()["parsed"] })).toBe(1);
    expect(compileExpression("arr.length").evaluate({ arr: [1, 2, 3] })).toBe(3);
  });

  it("never returns a lambda from min or max", () => {
    for (const src of ["max(missing, x => x)", "min(missing, x => x)", "max(n, x => x)", "min(null, x => x)"]) {
      const r = run(src, { n: null });
      if ("error" in r) expect(isRuleflowError(r.error)).toBe(true);
      else {
        expect(typeof r.value, src).not.toBe("function");
        expect(r.value).toBeNull();
      }
    }
    expect(run("max(1, x => x)").error).toBeDefined();
  });
});

describe("host globals and JavaScript functions", () => {
  it("treats global names as ordinary, absent facts", () => {
    for (const src of ["this", "globalThis", "global", "window", "self", "process", "require", "module", "Function", "eval", "Object", "Reflect", "Math", "JSON", "Date", "Symbol", "undefined", "NaN", "Infinity"]) {
      expect(assertSafe(src), src).toBeNull();
      expect(compileExpression(src).facts, src).toEqual([src]);
    }
    expect(assertSafe("process.env.HOME")).toBeNull();
    expect(assertSafe("globalThis.process.mainModule")).toBeNull();
  });

  it("cannot call anything but the built-in functions", () => {
    for (const src of [
      'Function("return process")()',
      'eval("1")',
      'require("fs")',
      "process.exit(1)",
      "toString()",
      "valueOf(1)",
      "hasOwnProperty(a)",
      "__defineGetter__(1, 2)",
      "a.toString()",
      "s.toUpperCase()",
      "arr.map(x => x)",
      "fn()",
      "obj.method()",
      "this.constructor.constructor(1)",
      "(fn)(1)",
      "[fn][0]()",
      "setTimeout(1)",
      "import(a)",
      "new Date()",
      "`template`",
      "a?.b",
      "{a: 1}",
      "x => x",
    ]) {
      const r = run(src);
      expect(isRuleflowError(r.error), `${src} should not compile`).toBe(true);
    }
  });

  it("has a function table without a prototype, frozen", () => {
    expect(Object.getPrototypeOf(BUILTIN_FUNCTIONS)).toBeNull();
    expect(Object.isFrozen(BUILTIN_FUNCTIONS)).toBe(true);
    expect("toString" in BUILTIN_FUNCTIONS).toBe(false);
  });

  it("does not accept unicode escapes or look-alikes as a way around the name check", () => {
    for (const src of ["\\u0063onstructor", "a.\\u0063onstructor", "a.constructo\\u0072", "a['\\x63onstructor']"]) {
      const r = run(src);
      if ("error" in r) expect(isRuleflowError(r.error), src).toBe(true);
      else assertInert(r.value, {});
    }
    // A full-width "ｃ" is a different name: just an absent fact.
    expect(assertSafe("a.ｃonstructor")).toBeNull();
  });

  it("does not mutate the facts it reads", () => {
    const facts = { orders: [{ amount: 2 }, { amount: 1 }], o: { x: 1 } };
    const snapshot = structuredClone(facts);
    for (const src of ["map(orders, o => o.amount)", "filter(orders, o => o.amount > 1)", "max(orders, o => o.amount)", "o.x = 2", "count(orders, o => o = 1)"]) {
      run(src, facts);
    }
    expect(facts).toEqual(snapshot);
  });
});

// ---- property: random expressions from a grammar seeded with dangerous names ----

const identifier = fc.constantFrom(
  ...DANGEROUS_NAMES,
  "a",
  "b",
  "k",
  "c",
  "p",
  "t",
  "s",
  "n",
  "arr",
  "fn",
  "obj",
  "items",
  "parsed",
  "inherited",
  "names",
  "now",
  "x",
  "true",
  "false",
  "null",
  "not",
  "in",
  "and",
  "or",
);
const functionName = fc.constantFrom(...Object.keys(BUILTIN_FUNCTIONS), "toString", "valueOf", "hasOwnProperty", "constructor", "Function", "eval", "require", "__proto__", "call", "apply", "bind");
const stringLiteral = fc.oneof(
  fc.constantFrom(...DANGEROUS_NAMES).map((s) => JSON.stringify(s)),
  fc.constantFrom('"\\u0063onstructor"', '"__pro\\u0074o__"', "'prototype'", '"\\\\"', '"=>"', '"a\\"b"', "''", '"2026-01-01T00:00:00+08:00"'),
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
);
const numberLiteral = fc.oneof(fc.integer({ min: -5, max: 100 }).map(String), fc.constantFrom("0.5", "1e3", "0x10", "-0"));
const junk = fc.constantFrom("=>", "(", ")", "[", "]", ",", ".", "?", ":", "'", '"', "\\", ";", "{", "}", "`", "$", "#", "@", "=", "==", "!", "&", "|", "/*", "*/", "\n");
const binaryOp = fc.constantFrom("+", "-", "*", "/", "%", "^", "==", "!=", "<", "<=", ">", ">=", " in ", " and ", " or ");

const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    identifier,
    stringLiteral,
    numberLiteral,
    fc.tuple(tie("expr"), identifier).map(([o, m]) => `${o}.${m}`),
    fc.tuple(tie("expr"), tie("expr")).map(([o, i]) => `${o}[${i}]`),
    fc.tuple(functionName, fc.array(tie("expr"), { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(", ")})`),
    fc.tuple(functionName, tie("expr"), identifier, tie("expr")).map(([f, a, x, body]) => `${f}(${a}, ${x} => ${body})`),
    fc.tuple(tie("expr"), binaryOp, tie("expr")).map(([l, op, r]) => `${l}${op}${r}`),
    fc.tuple(fc.constantFrom("-", "+", "not "), tie("expr")).map(([op, e]) => `${op}${e}`),
    fc.tuple(tie("expr"), tie("expr"), tie("expr")).map(([t, a, b]) => `${t} ? ${a} : ${b}`),
    fc.array(tie("expr"), { maxLength: 3 }).map((xs) => `[${xs.join(", ")}]`),
    tie("expr").map((e) => `(${e})`),
    fc.tuple(tie("expr"), junk, tie("expr")).map(([a, j, b]) => `${a}${j}${b}`),
  ),
}));

test.prop([expr], { seed: 20260301, numRuns: 2500 })(
  "random expressions never return a function or a prototype, and only throw RuleflowErrors",
  (source) => {
    assertSafe(source);
  },
);

test.prop([fc.string({ maxLength: 40 })], { seed: 99, numRuns: 1000 })("arbitrary text only ever fails with a RuleflowError", (source) => {
  assertSafe(source);
});
