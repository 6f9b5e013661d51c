/** Messages of evaluation warnings: comparisons that met a missing or null value and were therefore false. */
import { defineCatalogue } from "../catalogue.js";

export const warningMessages = defineCatalogue(
  "warnings",
  {
    conditionFalse: '{subject} {is}, so "{condition}" is false',
    tableInput: "input {input} {is}, so the comparisons in {cells} do not hold",
    tableCell: "input {input} {is}, so {test} does not hold",
    expressionCompare: 'expression "{source}" compared {left} with {right} using "{op}", so it is false',
    conditionMismatch: '{subject} is {value}, which is not a number, so "{condition}" can never hold',
    expressionMismatch: 'expression "{source}" compared {left} with {right} using "{op}": text that is not a number never equals a number',
    cellsAndMore: "{first} and {more} more",
    theValue: "the value",
    isMissing: "is missing",
    isValue: "is {value}",
    operandMissing: "missing",
    operandArray: "an array",
    operandObject: "an object",
  },
  {
    conditionFalse: '{subject} {is}，因此 "{condition}" 按不成立处理',
    tableInput: "输入 {input} {is}，因此 {cells} 中的比较均不成立",
    tableCell: "输入 {input} {is}，因此 {test} 不成立",
    expressionCompare: '表达式 "{source}" 用 "{op}" 比较 {left} 与 {right}，结果按不成立处理',
    conditionMismatch: '{subject} 为 {value}，不是数字，因此 "{condition}" 永远不会成立',
    expressionMismatch: '表达式 "{source}" 用 "{op}" 比较 {left} 与 {right}：非数字文本永远不等于数字',
    cellsAndMore: "{first} 及另外 {more} 处",
    theValue: "比较值",
    isMissing: "缺失",
    isValue: "为 {value}",
    operandMissing: "缺失值",
    operandArray: "数组",
    operandObject: "对象",
  },
);

/** A key of the warnings catalogue. */
export type WarningKey = keyof (typeof warningMessages)["messages"]["en"];
