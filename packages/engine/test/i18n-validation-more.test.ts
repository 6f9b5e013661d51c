import { describe, expect, it } from "vitest";
import { compileRebate, createRegistry, formatIssue, localizeIssues, runScenario, validateDefinition, ValidationError } from "../src/index.js";
import { compileRecurrence } from "../src/entries/calendar.js";
import { toMinorUnits } from "../src/entries/money.js";
import { invalidIssueLines, thrown } from "./helpers.js";

const zh = (doc: unknown): string[] => invalidIssueLines(doc, "zh-CN");
const en = (doc: unknown): string[] => invalidIssueLines(doc, "en");
/** The same issues in both locales: codes and paths agree, only the words change. */
const both = (doc: unknown): { en: string[]; zh: string[] } => {
  const e = validateDefinition(doc).issues;
  const z = validateDefinition(doc, { locale: "zh-CN" }).issues;
  expect(z.map((i) => [i.code, i.path])).toEqual(e.map((i) => [i.code, i.path]));
  return { en: e.map(formatIssue), zh: z.map(formatIssue) };
};

describe("calendar checks in zh-CN", () => {
  const calendar = (extra: object): unknown => ({ kind: "calendar", id: "c", version: 1, timeZone: "Asia/Shanghai", workingHours: [["09:00", "18:00"]], ...extra });

  it("writes required fields, dates listed twice, coverage and redundant make-up workdays in Chinese", () => {
    const doc = calendar({ coverage: { from: 2026, to: 2026 }, holidays: ["2026-10-01", "2026-10-01", "2027-01-01"], workdays: ["2026-10-01", "2026-10-12"] });
    expect(both(doc)).toEqual({
      en: [
        "holidays[1]: 2026-10-01 is listed twice; see holidays[0]",
        "holidays[2]: 2027-01-01 is outside coverage 2026-2026; widen coverage to include 2027 (and list all of that year's holidays and workdays)",
        "workdays[0]: 2026-10-01 cannot be both a holiday and a workday; see holidays[0]",
        "workdays[0]: 2026-10-01 is a Thursday, already a working day; workdays lists make-up working days on the weekend",
        "workdays[1]: 2026-10-12 is a Monday, already a working day; workdays lists make-up working days on the weekend",
      ],
      zh: [
        "holidays[1]: 2026-10-01 重复列出；见 holidays[0]",
        "holidays[2]: 2027-01-01 超出日历覆盖范围 2026-2026；请把覆盖范围扩大到 2027 年（并列出该年全部节假日和调休工作日）",
        "workdays[0]: 2026-10-01 不能既是节假日又是调休工作日；见 holidays[0]",
        "workdays[0]: 2026-10-01 是星期四，本来就是工作日；workdays 只列周末的调休工作日",
        "workdays[1]: 2026-10-12 是星期一，本来就是工作日；workdays 只列周末的调休工作日",
      ],
    });
  });

  it("says what a calendar without time zone or working hours needs, with and without extends", () => {
    expect(zh({ kind: "calendar", id: "c", version: 1 })).toEqual([
      'timeZone: 必填（应为 IANA 时区，例如 "Asia/Shanghai"；也可以写 "extends": "cn-mainland"，从内置日历开始）',
      'workingHours: 必填（应为工作时段，例如 [["09:00", "12:00"], ["13:30", "18:00"]]；也可以写 "extends": "cn-mainland"，从内置日历开始）',
    ]);
    expect(en({ kind: "calendar", id: "c", version: 1 })).toEqual([
      'timeZone: is required (expected an IANA time zone such as "Asia/Shanghai") (or "extends": "cn-mainland" to start from a built-in calendar)',
      'workingHours: is required (expected spans such as [["09:00", "12:00"], ["13:30", "18:00"]]) (or "extends": "cn-mainland" to start from a built-in calendar)',
    ]);
    // On top of cn-mainland, a weekday that is not one of its holidays is no make-up workday either.
    expect(both({ kind: "calendar", id: "c", version: 1, extends: "cn-mainland", workdays: ["2026-03-03"] })).toEqual({
      en: ["workdays[0]: 2026-03-03 is a Tuesday, already a working day; workdays lists make-up working days on the weekend or holidays of the extended calendar"],
      zh: ["workdays[0]: 2026-03-03 是星期二，本来就是工作日；workdays 只列周末或所继承日历节假日中的调休工作日"],
    });
  });

  it("a schedule on a calendar that is not built in names the built-in calendars", () => {
    const e = thrown(() => compileRecurrence({ every: "month", day: 1, at: "09:00", ifNotWorkday: "skip", calendar: "mars" } as never)) as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.issues.map(formatIssue)).toEqual([expect.stringMatching(/^calendar: calendar "mars" is not built in \(built-in: cn-mainland.*\); pass a compiled calendar$/)]);
    expect(localizeIssues(e.issues, "zh-CN").map(formatIssue)).toEqual([expect.stringMatching(/^calendar: 日历 "mars" 不是内置日历（内置日历：cn-mainland.*）；请传入已编译的日历$/)]);
  });
});

describe("rebate program checks in zh-CN", () => {
  const rebate = (extra: object): unknown => ({
    kind: "rebate",
    id: "distributor-rebate",
    version: 1,
    currency: "CNY",
    basis: { amount: "line.netAmount" },
    mode: "retroactive",
    tiers: [{ from: "0", rate: "0.02" }, { from: "1000000", rate: "0.035" }],
    ...extra,
  });

  it("writes tier problems (阶梯, 返利比例) in Chinese at each tier's path", () => {
    const doc = rebate({ tiers: [{ from: "0", rate: "-0.01" }, { from: "0.001", rate: "0.02" }, { from: "0", rate: "0.03" }] });
    expect(both(doc)).toEqual({
      en: [
        "tiers[0].rate: a rate cannot be negative, got -0.01",
        "tiers[1].from: 0.001 has more decimal places than the currency allows (2)",
        "tiers[1].from: tiers must go up: 0.001 is not above the previous tier's 0",
        "tiers[2].from: tiers must go up: 0 is not above the previous tier's 0.001",
      ],
      zh: [
        "tiers[0].rate: 返利比例不能为负数，实际为 -0.01",
        "tiers[1].from: 0.001 的小数位数超过币种允许的 2 位",
        "tiers[1].from: 阶梯必须逐级递增：0.001 不高于上一阶梯的起点 0",
        "tiers[2].from: 阶梯必须逐级递增：0 不高于上一阶梯的起点 0.001",
      ],
    });
    expect(both(rebate({ tierBy: "volume", basis: { amount: "line.netAmount", volume: "line.cases" }, tiers: [{ from: "-5", rate: "0.01" }] }))).toEqual({
      en: ["tiers[0].from: a volume tier cannot start below zero, got -5"],
      zh: ["tiers[0].from: 按数量计的阶梯起点不能小于零，实际为 -5"],
    });
  });

  it("writes rounding, volume basis, cap, line keys and breakdown problems in Chinese", () => {
    const doc = rebate({
      tierBy: "volume",
      rounding: { scale: 3 },
      cap: "100.005",
      lineKey: ["order.id", "line..no"],
      breakdown: ["customer.region", "customer.region"],
    });
    expect(both(doc)).toEqual({
      en: [
        "rounding.scale: CNY has 2 decimal places; rounding.scale can be at most 2",
        'basis.volume: tierBy "volume" needs basis.volume, e.g. "line.cases"',
        "cap: 100.005 has 3 decimal places; at most 2 are allowed",
        'lineKey[1]: "line..no" has an empty segment',
        'breakdown[1]: dimension "customer.region" appears twice',
      ],
      zh: [
        "rounding.scale: CNY 有 2 位小数；rounding.scale 最多为 2",
        'basis.volume: tierBy 为 "volume" 时需要 basis.volume，例如 "line.cases"',
        "cap: 100.005 有 3 位小数；最多允许 2 位",
        'lineKey[1]: "line..no" 中有空的路径段',
        'breakdown[1]: 维度 "customer.region" 重复出现',
      ],
    });
    const { currency: _, ...noCurrency } = rebate({ rounding: { scale: 3 } }) as Record<string, unknown>;
    expect(both(noCurrency)).toEqual({
      en: ["rounding.scale: amounts without a currency have 2 decimal places; rounding.scale can be at most 2"],
      zh: ["rounding.scale: 未指定币种的金额有 2 位小数；rounding.scale 最多为 2"],
    });
  });

  it("compileRebate refuses another kind with a catalogue issue", () => {
    const e = thrown(() => compileRebate({ kind: "ruleset", id: "r", version: 1, rules: [{ id: "a", then: {} }] } as never)) as ValidationError;
    expect(e.issues.map(formatIssue)).toEqual(['kind: expected "rebate", got "ruleset"']);
    expect(localizeIssues(e.issues, "zh-CN").map(formatIssue)).toEqual(['kind: 应为"rebate"，实际为 "ruleset"']);
  });
});

describe("amounts in zh-CN", () => {
  it("toMinorUnits keeps its English answers", () => {
    expect(toMinorUnits("0.125", 2)).toBe("0.125 has 3 decimal places; at most 2 are allowed");
    // eslint-disable-next-line no-loss-of-precision -- the point: this literal is not the amount written
    expect(toMinorUnits(99999999999999.99, 2)).toMatch(/^99999999999999\.98 has 16 significant digits; a JSON number keeps at most 15 exactly/);
    expect(toMinorUnits([], 2)).toBe('expected an amount such as "1234.50", got an array');
    expect(toMinorUnits(null, 2)).toBe("expected an amount, got nothing");
    expect(toMinorUnits("12,5", 2)).toBe('expected an amount such as "1234.50", got "12,5"');
    expect(toMinorUnits(Infinity, 2)).toBe("expected an amount, got Infinity");
    expect(toMinorUnits("12.50", 2)).toBe(1250n);
  });
});

describe("rollout unit checks in zh-CN", () => {
  const rollout = (extra: object): unknown => ({ kind: "rollout", id: "r", version: 1, unit: "customer.id", variants: [{ id: "a", value: "x", weight: 1 }, { id: "b", value: "y", weight: 1 }], ...extra });
  it("writes unknown and malformed unit facts in Chinese", () => {
    expect(both(rollout({ facts: ["order.amount", "order.region"] }))).toEqual({
      en: ['unit: unknown fact "customer.id"; declared facts are order.amount, order.region'],
      zh: ['unit: 未知事实 "customer.id"；已声明的事实为 order.amount、order.region'],
    });
    expect(both(rollout({ unit: "customer.ids[0]" }))).toEqual({
      en: ['unit: "customer.ids[0]" is not a fact path: write array items as a.b.0, or use an { "expr": ... } condition'],
      zh: ['unit: "customer.ids[0]" 不是事实路径：数组元素请写成 a.b.0，或使用 { "expr": ... } 条件'],
    });
  });
});

describe("registry and scenario checks in zh-CN", () => {
  const table = (version: number, extra: object = {}): unknown => ({ kind: "ruleset", id: "auto", version, rules: [{ id: "a", then: { x: version } }], ...extra });

  it("a changed document under a loaded version number, and an empty 生效期, are refused in Chinese", () => {
    const registry = createRegistry([table(1)], { locale: "zh-CN" });
    const e = thrown(() => registry.load({ ...(table(1) as object), rules: [{ id: "a", then: { x: 2 } }] })) as ValidationError;
    expect(e.message).toBe('定义无效：1 个问题\n  version: "auto" 的版本 1 已加载，但内容不同；请为修改设置新的版本号');
    const w = thrown(() => registry.load(table(2, { effective: { from: "2026-02-01T00:00:00+08:00", to: "2026-01-01T00:00:00+08:00" } }))) as ValidationError;
    expect(w.issues.map(formatIssue)).toEqual(["effective: 生效期的 effective.from 必须早于 effective.to"]);
    const english = createRegistry([table(1)]);
    expect((thrown(() => english.load({ ...(table(1) as object), rules: [{ id: "a", then: { x: 2 } }] })) as ValidationError).message).toBe(
      'Invalid definition: 1 problem\n  version: "auto" version 1 is already loaded with different content; give the change a new version number',
    );
  });

  it("a business-time step without a calendar is a catalogue issue", async () => {
    const workflow = { kind: "workflow", id: "wf", version: 1, start: "a", nodes: { a: { type: "end", outcome: "done" } } };
    const scenario = { kind: "scenario", id: "s", start: "2026-01-05T09:00:00+08:00", steps: [{ advance: "PT1H", business: true }] };
    const e = (await runScenario(scenario, [workflow]).catch((x: unknown) => x)) as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.issues.map(formatIssue)).toEqual(["steps[0].business: a business-time advance needs a calendar (scenario.calendar or a workflow's)"]);
    expect(localizeIssues(e.issues, "zh-CN").map(formatIssue)).toEqual(["steps[0].business: 按工作时间推进需要日历（scenario.calendar 或流程的日历）"]);
  });
});

describe("schedule checks in zh-CN", () => {
  it("writes a recurrence's missing fields in Chinese and keeps English", () => {
    const e = thrown(() => compileRecurrence({ every: "week", at: "09:00", ifNotWorkday: "skip", day: 5 } as never)) as ValidationError;
    expect(e.issues.map(formatIssue)).toEqual([
      'on: a weekly schedule needs "on", e.g. ["friday"]',
      'day: "day" is for monthly schedules; this one is every week',
      'calendar: a schedule needs a calendar for its time zone and working days: name one here or on the workflow (e.g. "cn-mainland")',
    ]);
    expect(localizeIssues(e.issues, "zh-CN").map(formatIssue)).toEqual([
      'on: 按周执行的计划需要 "on"，例如 ["friday"]',
      'day: "day" 只用于按月执行的计划；此计划为每周执行',
      'calendar: 计划需要日历来确定时区和工作日：请在此处或工作流上指定（例如 "cn-mainland"）',
    ]);
  });
});

describe("workflow trigger checks in zh-CN", () => {
  it("writes the trigger kind checks in Chinese with the same codes and paths", async () => {
    const { validateDefinition, formatIssue } = await import("../src/index.js");
    const doc = {
      kind: "workflow",
      id: "t",
      version: 1,
      calendar: "cn-mainland",
      triggers: [
        { on: "x", schedule: { every: "week", on: ["friday"], at: "16:00", ifNotWorkday: "skip" } },
        { schedule: { every: "week", on: ["friday"], at: "16:00", ifNotWorkday: "skip" }, when: { expr: "true" } },
      ],
      start: "done",
      nodes: { done: { type: "end", outcome: "done" } },
    };
    const en = validateDefinition(doc);
    const zh = validateDefinition(doc, { locale: "zh-CN" });
    expect(zh.issues.map((i) => [i.code, i.path])).toEqual(en.issues.map((i) => [i.code, i.path]));
    const enText = en.issues.map(formatIssue).join("\n");
    const zhText = zh.issues.map(formatIssue).join("\n");
    expect(enText).toContain('triggers[0].schedule: a trigger has either "on" or "schedule", not both: write two triggers');
    expect(enText).toContain("triggers[1].when: \"when\" filters domain events; a scheduled trigger has no event to test");
    expect(zhText).toContain('triggers[0].schedule: 一个触发器只能有 "on" 或 "schedule" 之一，不能同时出现：请拆成两个触发器');
    expect(zhText).toContain('triggers[1].when: "when" 用于筛选领域事件；定时触发器没有可判断的事件');
  });
});
