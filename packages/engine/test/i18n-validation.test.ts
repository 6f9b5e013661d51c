import { describe, expect, it } from "vitest";
import { compileDefinition, createRegistry, formatIssue, localizeIssues, validateDefinition, ValidationError } from "../src/index.js";
import { invalidIssueLines, thrown } from "./helpers.js";

const zh = (doc: unknown): string[] => invalidIssueLines(doc, "zh-CN");
const en = (doc: unknown): string[] => invalidIssueLines(doc, "en");

const ruleset = (rules: unknown[]): unknown => ({ kind: "ruleset", id: "r", version: 1, rules });

describe("validation messages in zh-CN", () => {
  it("writes zod shape problems in Chinese, with the same paths and codes", () => {
    const doc = ruleset([{ id: "a", when: { all: [{ fact: "order.amount", op: "bogus", value: 1 }] }, then: { x: 1 }, colour: "red" }]);
    expect(zh(doc)).toEqual([
      expect.stringMatching(/^rules\[0\]\.when\.all\[0\]\.op: 应为 eq、ne、gt、.*之一，实际为 "bogus"$/),
      "rules[0].colour: 未知字段；请检查拼写或删除",
    ]);
    const zhIssues = validateDefinition(doc, { locale: "zh" }).issues;
    expect(zhIssues.map((i) => [i.code, i.path])).toEqual(validateDefinition(doc).issues.map((i) => [i.code, i.path]));
  });

  it("keeps the English messages as they were", () => {
    expect(en(ruleset([{ id: "a", when: { fact: "x", op: "bogus", value: 1 }, then: {} }]))[0]).toMatch(/^rules\[0\]\.when\.op: expected one of eq, ne, gt, .*, got "bogus"$/);
    expect(en({ kind: "ruleset", id: "r", version: 1, rules: [] })).toEqual(["rules: a rule set needs at least one rule, got an array"]);
    expect(en({ kind: "nope" })).toEqual(["kind: expected one of ruleset, decision-table, promotion, rebate, rollout, calendar, workflow, scenario, test-suite, got \"nope\""]);
    expect(en([])).toEqual(["(root): expected a definition object, got an array"]);
  });

  it("writes required fields, types, bounds and the schemas' own messages in Chinese", () => {
    expect(zh({ kind: "ruleset", version: 1, rules: [] })).toEqual(["id: 必填（应为字符串）", "rules: 规则集至少需要一条规则，实际为 数组"]);
    expect(zh({ kind: "ruleset", id: "r", version: "2", rules: [{ id: "a", then: {} }] })).toEqual(["version: 应为数字，实际为 \"2\""]);
    expect(zh({ kind: "nope" })).toEqual(['kind: 应为 ruleset、decision-table、promotion、rebate、rollout、calendar、workflow、scenario、test-suite 之一，实际为 "nope"']);
    expect(zh({})).toEqual(["kind: 应为 ruleset、decision-table、promotion、rebate、rollout、calendar、workflow、scenario、test-suite 之一，实际为 空"]);
    expect(zh("x")).toEqual(["(root): 应为定义对象，实际为 string"]);
  });

  it("writes nesting and name problems in Chinese", () => {
    let when: unknown = { fact: "a", op: "eq", value: 1 };
    for (let i = 0; i < 40; i++) when = { all: [when] };
    expect(zh(ruleset([{ id: "a", when, then: {} }]))[0]).toMatch(/: 嵌套超过 64 层（对象和数组）；请展平/);
    expect(zh(JSON.parse('{"kind":"ruleset","id":"r","version":1,"rules":[{"id":"a","then":{},"__proto__":{}}]}'))).toEqual([
      'rules[0].__proto__: "__proto__" 不能用作定义中的名称',
    ]);
  });

  it("compileDefinition throws a ValidationError with a Chinese heading and issues", () => {
    const e = thrown(() => compileDefinition({ kind: "ruleset", id: "auto", version: 1, rules: [] }, { locale: "zh-CN" })) as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message).toBe('定义 "auto" 无效：1 个问题\n  rules: 规则集至少需要一条规则，实际为 数组');
    const e2 = thrown(() => compileDefinition({ kind: "ruleset", id: "auto", version: 1, rules: [] })) as ValidationError;
    expect(e2.message).toBe('Invalid definition "auto": 1 problem\n  rules: a rule set needs at least one rule, got an array');
  });

  it("createRegistry takes a locale for the documents it loads", () => {
    const e = thrown(() => createRegistry([{ kind: "ruleset", id: "auto", version: 1, rules: [] }], { locale: "zh-CN" })) as ValidationError;
    expect(e.message).toBe("定义无效：1 个问题\n  rules: 规则集至少需要一条规则，实际为 数组");
    expect(() => createRegistry([], { locale: "fr" })).toThrow(/locale: expected one of en, zh-CN, got "fr"/);
  });

  it("refuses an unknown locale instead of answering in English", () => {
    expect(() => validateDefinition({ kind: "ruleset" }, { locale: "de" })).toThrow(/locale: expected one of en, zh-CN/);
  });

  it("localizeIssues re-renders issues validated in English", () => {
    const r = validateDefinition({ kind: "ruleset", id: "r", version: 1, rules: [] });
    expect(localizeIssues(r.issues, "zh-CN").map(formatIssue)).toEqual(["rules: 规则集至少需要一条规则，实际为 数组"]);
  });
});

describe("schema messages are catalogued", () => {
  it("every static error text of the schemas (but workflow and schedule) has a zh-CN message", async () => {
    const { readFileSync, readdirSync } = await import("node:fs");
    const { schemaMessages } = await import("../src/i18n/messages/schema.js");
    const english = new Set(Object.values(schemaMessages.messages.en));
    const dir = new URL("../src/schema/", import.meta.url);
    const missing: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "workflow.ts" && f !== "schedule.ts")) {
      const source = readFileSync(new URL(file, dir), "utf8");
      for (const m of source.matchAll(/error:\s*(?:\n\s*)?("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/g)) {
        const text = m[1]!.startsWith("'") ? m[1]!.slice(1, -1).replace(/\\'/g, "'") : (JSON.parse(m[1]!) as string);
        if (!english.has(text)) missing.push(`${file}: ${text}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("recognises messages with values, and words inside them", () => {
    expect(zh({ kind: "rollout", id: "r", version: 1, unit: "customer.id", variants: [{ id: "a", value: "x" }, { id: "b", value: "y" }], holdout: { percent: 150 } })).toContain(
      "holdout.percent: 留出比例应在 0 到 100 之间，实际为 150",
    );
    expect(en({ kind: "rollout", id: "r", version: 1, unit: "customer.id", variants: [{ id: "a", value: "x" }, { id: "b", value: "y" }], holdout: { percent: 150 } })).toContain(
      "holdout.percent: expected a holdout percent from 0 to 100, got 150",
    );
    expect(zh({ kind: "calendar", id: "c", version: 1, timeZone: "Asia/Shanghai", workingHours: [["18:00", "09:00"]] })).toContain(
      'workingHours[0]: 时段的结束必须晚于开始，实际为 18:00-09:00；时段不能跨越午夜：请拆成 ["18:00", "24:00"] 和 ["00:00", "09:00"]',
    );
  });
});

describe("rollout checks in zh-CN", () => {
  const rollout = (extra: object): unknown => ({ kind: "rollout", id: "r", version: 1, unit: "customer.id", variants: [{ id: "a", value: "x", weight: 1 }, { id: "a", value: "y", weight: 1 }], ...extra });
  it("writes the meaning checks in Chinese and keeps English", () => {
    expect(zh(rollout({ control: "zz" }))).toEqual(['variants[1].id: 变体 id "a" 重复使用；请为每个变体设置不同的 id', 'control: 未知变体 "zz"；已有的变体为 a']);
    expect(en(rollout({ control: "zz" }))).toEqual(['variants[1].id: variant id "a" is used twice; give each variant its own id', 'control: unknown variant "zz"; variants are a']);
  });
});
