/** Messages of promotion and promotion set checks made when they are compiled: rounding, budgets, limits, stacking and currencies. */
import { defineCatalogue } from "../catalogue.js";

export const promotionCheckMessages = defineCatalogue(
  "promotionChecks",
  {
    roundingScale: "{currency} has {scale} decimal places; rounding.scale can be at most {scale}",
    roundingScaleNoCurrency: "amounts without a currency have {scale} decimal places; rounding.scale can be at most {scale}",
    budgetNeedsMoneyValue: 'the promotion has a budget, so every benefit needs a money value: add "{field}"',
    conflictingStacking: '"exclusive": {exclusive} contradicts "mode": "{mode}"; keep one of them',
    limitScale: "{text} has more decimal places than {currency} allow ({scale})",
    limitScaleNoCurrency: "{text} has more decimal places than amounts without a currency allow ({scale})",
    notAPromotion: "expected a promotion, got a {kind}",
    notPromotionKind: 'expected "promotion", got "{kind}"',
    groupModes: 'group "{group}" is {firstMode} in {first} but {mode} in {id}; every member of a group must use the same mode',
    mixedCurrency: "{id} is in {currency} but {first} is in {firstCurrency}; a set uses one currency",
    noCurrency: "no currency",
  },
  {
    roundingScale: "{currency} 的金额有 {scale} 位小数；rounding.scale 最多为 {scale}",
    roundingScaleNoCurrency: "未指定币种的金额有 {scale} 位小数；rounding.scale 最多为 {scale}",
    budgetNeedsMoneyValue: '此促销设置了预算，因此每项优惠都必须有金额价值：请添加 "{field}"',
    conflictingStacking: '"exclusive": {exclusive} 与 "mode": "{mode}" 相互矛盾；请只保留其一',
    limitScale: "{text} 的小数位数超过了 {currency} 允许的位数（{scale} 位）",
    limitScaleNoCurrency: "{text} 的小数位数超过了未指定币种的金额允许的位数（{scale} 位）",
    notAPromotion: "应为促销，实际为 {kind}",
    notPromotionKind: '应为 "promotion"，实际为 "{kind}"',
    groupModes: '叠加组 "{group}" 在 {first} 中为 {firstMode}，在 {id} 中却为 {mode}；同一组的所有成员必须使用相同的叠加方式',
    mixedCurrency: "{id} 的币种是 {currency}，而 {first} 的币种是 {firstCurrency}；一个促销集合只能使用一种币种",
    noCurrency: "未指定",
  },
);
