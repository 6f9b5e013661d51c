/** Messages of expression syntax and compile errors (ExpressionError), and how an issue places them in the source. */
import { ExpressionError } from "../../core/errors.js";
import { defineCatalogue, formatMessage, type MessageParams } from "../catalogue.js";

export const expressionMessages = defineCatalogue(
  "expressions",
  {
    // an expression problem as an issue: the message, then where it is
    atPosition: '{message} (at position {position} in "{source}")',
    // scanning
    unterminatedString: "unterminated string literal",
    tooDeep: "nesting deeper than {max} levels",
    unbalanced: 'unbalanced "{char}"',
    unbalancedAtEnd: 'unbalanced "(" or "["',
    forbiddenName: '"{name}" is not allowed in expressions',
    doubleEquals: '"{char}==" is not an operator; write "{char}=" to compare',
    semicolon: '";" is not allowed: an expression is a single formula',
    bang: '"!" is not an operator here; write "not x" for negation',
    pipe: '"|" is not an operator; write "or" for logical or',
    ampersand: '"&" is not an operator; write "and" for logical and',
    notPrecedence: '"not" binds tighter than comparisons: write not (a == b) to negate a comparison, or (not a) == b if that is what you mean',
    // parsing
    notAString: "an expression must be a string",
    tooLong: "expression is longer than {max} characters",
    empty: "expression is empty",
    endsEarly: "syntax error: the expression ends too early",
    unexpected: 'syntax error: unexpected "{token}"',
    syntax: "syntax error: {detail}",
    tooManyOperations: "expression nests deeper than {max} operations",
    incomplete: "incomplete expression",
    assignment: '"=" is not allowed here; write "==" to compare',
    namedCallsOnly: "only named functions can be called",
    unknownOperator: 'unknown operator "{op}"',
    unsupported: '"{type}" is not supported in Ruleflow expressions',
    singleFormula: "an expression must be a single formula",
    // compiling
    unknownFact: 'unknown fact "{fact}"',
    unknownFactSuggest: 'unknown fact "{fact}"; did you mean "{suggestion}"?',
    notFinite: "the number {value} is not finite; numbers must be below about 1.8e308",
    lambdaPlace: "a lambda ({param} => ...) is only allowed as an argument of an aggregate such as count or sum",
    unknownFunction: 'unknown function "{name}"',
    unknownFunctionSuggest: 'unknown function "{name}"; did you mean "{suggestion}"?',
    argsOne: "{name}() takes 1 argument, got {got}",
    argsExactly: "{name}() takes {count} arguments, got {got}",
    argsAtLeast: "{name}() takes at least {min} arguments, got {got}",
    argsBetween: "{name}() takes {min} to {max} arguments, got {got}",
    noLambda: "{name}() does not take a lambda as argument {index}",
    nowParam: '"now" cannot be a lambda parameter',
    calendarNotHere: '{name}() works in rule sets, decision tables and promotions that name a "calendar"; a {kind} can evaluate such a rule set and read its output',
    calendarRequired: '{name}() counts working days, so the {kind} must name a calendar: add "calendar": "cn-mainland" (or the id of a calendar definition) at its top level',
  },
  {
    atPosition: '{message}（位于 "{source}" 的位置 {position}）',
    unterminatedString: "字符串字面量缺少结束引号",
    tooDeep: "嵌套超过 {max} 层",
    unbalanced: '"{char}" 不成对',
    unbalancedAtEnd: '"(" 或 "[" 不成对',
    forbiddenName: '表达式中不能使用 "{name}"',
    doubleEquals: '"{char}==" 不是运算符；比较请写 "{char}="',
    semicolon: '不能使用 ";"：表达式只能是一个公式',
    bang: '"!" 在这里不是运算符；取反请写 "not x"',
    pipe: '"|" 不是运算符；逻辑或请写 "or"',
    ampersand: '"&" 不是运算符；逻辑与请写 "and"',
    notPrecedence: '"not" 的优先级高于比较运算：对比较取反请写 not (a == b)；如果本意如此，请写 (not a) == b',
    notAString: "表达式必须是字符串",
    tooLong: "表达式超过 {max} 个字符",
    empty: "表达式为空",
    endsEarly: "语法错误：表达式不完整，提前结束",
    unexpected: '语法错误：意外的 "{token}"',
    syntax: "语法错误：{detail}",
    tooManyOperations: "表达式嵌套超过 {max} 层运算",
    incomplete: "表达式不完整",
    assignment: '这里不能使用 "="；比较请写 "=="',
    namedCallsOnly: "只能调用具名函数",
    unknownOperator: '未知运算符 "{op}"',
    unsupported: 'Ruleflow 表达式不支持 "{type}"',
    singleFormula: "表达式只能是一个公式",
    unknownFact: '未知事实 "{fact}"',
    unknownFactSuggest: '未知事实 "{fact}"；是否想写 "{suggestion}"？',
    notFinite: "数字 {value} 不是有限值；数字必须小于约 1.8e308",
    lambdaPlace: "lambda（{param} => ...）只能作为 count、sum 等聚合函数的参数",
    unknownFunction: '未知函数 "{name}"',
    unknownFunctionSuggest: '未知函数 "{name}"；是否想写 "{suggestion}"？',
    argsOne: "{name}() 需要 1 个参数，实际为 {got} 个",
    argsExactly: "{name}() 需要 {count} 个参数，实际为 {got} 个",
    argsAtLeast: "{name}() 至少需要 {min} 个参数，实际为 {got} 个",
    argsBetween: "{name}() 需要 {min} 到 {max} 个参数，实际为 {got} 个",
    noLambda: "{name}() 的第 {index} 个参数不能是 lambda",
    nowParam: '"now" 不能用作 lambda 参数',
    calendarNotHere: '{name}() 只能用于指定了 "calendar" 的规则集、决策表和促销；{kind} 可以调用这样的规则集并读取其输出',
    calendarRequired: '{name}() 按工作日计算，因此该 {kind} 必须指定日历：请在顶层添加 "calendar": "cn-mainland" 或某个日历定义的 id',
  },
);

/** A key of the expression catalogue. */
export type ExpressionKey = keyof (typeof expressionMessages)["messages"]["en"];

/**
 * An ExpressionError whose message comes from the catalogue, so an issue made
 * from it can be written in another locale. @internal
 */
export function expressionError(key: ExpressionKey, params: MessageParams, source: string, position: number): ExpressionError {
  return new ExpressionError(formatMessage(expressionMessages, "en", key, params), source, position, { messageKey: `expressions.${key}`, params });
}

/**
 * The catalogue key and parameters of an expression problem with its position
 * (`{ messageKey, messageParams }`), when the error's message comes from the
 * catalogue and reads exactly as the error says. @internal
 */
export function expressionErrorKey(e: ExpressionError): { messageKey: string; messageParams: MessageParams } | undefined {
  const where = / \(at position \d+ in "([\s\S]*)"\)$/.exec(e.message);
  if (!e.messageKey?.startsWith("expressions.") || !where) return undefined;
  const messageParams: MessageParams = { ...e.params, "message@": e.messageKey, position: e.position, source: where[1]! };
  const message = formatMessage(expressionMessages, "en", e.messageKey.slice("expressions.".length) as ExpressionKey, e.params ?? {});
  const english = formatMessage(expressionMessages, "en", "atPosition", { message, position: e.position, source: where[1]! });
  return english === e.message ? { messageKey: "expressions.atPosition", messageParams } : undefined;
}
