/** Messages of the rebate program checks made after the shape check (rounding, tiers, volume basis, cap, line keys, breakdown). */
import { defineCatalogue } from "../catalogue.js";

export const rebateMessages = defineCatalogue(
  "rebates",
  {
    roundingScale: "{currency} has {scale} decimal places; rounding.scale can be at most {scale}",
    roundingScaleNoCurrency: "amounts without a currency have {scale} decimal places; rounding.scale can be at most {scale}",
    tierScale: "{from} has more decimal places than the currency allows ({scale})",
    tierBelowZero: "a {measure} tier cannot start below zero, got {from}",
    amount: "amount",
    volume: "volume",
    rateNegative: "a rate cannot be negative, got {rate}",
    tiersUp: "tiers must go up: {from} is not above the previous tier's {previous}",
    missingVolume: 'tierBy "volume" needs basis.volume, e.g. "line.cases"',
    duplicateDimension: 'dimension "{name}" appears twice',
  },
  {
    roundingScale: "{currency} 有 {scale} 位小数；rounding.scale 最多为 {scale}",
    roundingScaleNoCurrency: "未指定币种的金额有 {scale} 位小数；rounding.scale 最多为 {scale}",
    tierScale: "{from} 的小数位数超过币种允许的 {scale} 位",
    tierBelowZero: "按{measure}计的阶梯起点不能小于零，实际为 {from}",
    amount: "金额",
    volume: "数量",
    rateNegative: "返利比例不能为负数，实际为 {rate}",
    tiersUp: "阶梯必须逐级递增：{from} 不高于上一阶梯的起点 {previous}",
    missingVolume: 'tierBy 为 "volume" 时需要 basis.volume，例如 "line.cases"',
    duplicateDimension: '维度 "{name}" 重复出现',
  },
);
