/** Messages of condition checks: the literal value an operator expects. */
import { defineCatalogue } from "../catalogue.js";

export const conditionMessages = defineCatalogue(
  "conditions",
  {
    invalidValue: "{problem}, got {got}",
    invalidValueNothing: "{problem}, got nothing",
    expectsArray: '"{op}" expects an array of values, such as ["A", "B"]',
    betweenOrder: '"between" expects [low, high] with low <= high',
    betweenPair: '"between" expects [low, high] of two numbers or two dates',
    existsValue: '"exists" expects true, false or no value',
    expectsString: '"{op}" expects a string',
    expectsDate: '"{op}" expects an ISO-8601 date such as "2026-03-01" or "2026-03-01T00:00:00+08:00"',
    expectsDuration: '"withinLast" expects an ISO-8601 duration such as "P90D" or "PT3H"',
    expectsOrderable: '"{op}" expects a number, a string or a date',
    needsValue: '"{op}" needs a value',
  },
  {
    invalidValue: "{problem}，实际为 {got}",
    invalidValueNothing: "{problem}，但未填写",
    expectsArray: '"{op}" 需要一个值数组，例如 ["A", "B"]',
    betweenOrder: '"between" 需要 [下限, 上限]，且下限 <= 上限',
    betweenPair: '"between" 需要 [下限, 上限]，两端同为数字或同为日期',
    existsValue: '"exists" 的值只能是 true、false 或不填',
    expectsString: '"{op}" 需要一个字符串',
    expectsDate: '"{op}" 需要 ISO-8601 日期，例如 "2026-03-01" 或 "2026-03-01T00:00:00+08:00"',
    expectsDuration: '"withinLast" 需要 ISO-8601 时长，例如 "P90D" 或 "PT3H"',
    expectsOrderable: '"{op}" 需要数字、字符串或日期',
    needsValue: '"{op}" 需要一个值',
  },
);

/** A key of the conditions catalogue. */
export type ConditionKey = keyof (typeof conditionMessages)["messages"]["en"];
