/** Messages of amounts read from documents and data (`toMinorUnits`): what is not an exact amount at the currency's scale. */
import { defineCatalogue } from "../catalogue.js";

export const moneyMessages = defineCatalogue(
  "money",
  {
    notFinite: "expected an amount, got {value}",
    tooManyDigits:
      '{text} has {digits} significant digits; a JSON number keeps at most {max} exactly, so it may not be the amount that was written: write it as a decimal string such as "1234.50"',
    nothing: "expected an amount, got nothing",
    notAmount: 'expected an amount such as "1234.50", got {got}',
    tooManyDecimals: "{text} has {places} decimal places; at most {scale} are allowed",
  },
  {
    notFinite: "应为金额，实际为 {value}",
    tooManyDigits: '{text} 有 {digits} 位有效数字；JSON 数字最多只能精确保存 {max} 位，可能已不是原来写的金额：请写成小数字符串，例如 "1234.50"',
    nothing: "应为金额，实际为空",
    notAmount: '应为金额，例如 "1234.50"，实际为 {got}',
    tooManyDecimals: "{text} 有 {places} 位小数；最多允许 {scale} 位",
  },
);
