/** Messages of the rollout checks made after the shape check (variants, slots, pilots, ramp, layer, guardrails). */
import { defineCatalogue } from "../catalogue.js";

export const rolloutMessages = defineCatalogue(
  "rollouts",
  {
    duplicateVariant: 'variant id "{id}" is used twice; give each variant its own id',
    noWeight: "at least one variant needs a weight above 0",
    missingSlots: "when one variant has slots, every variant needs them (or remove them all for the standard layout)",
    invalidSlot: "expected [from, to) with 0 <= from < to <= 1, got [{from}, {to}]",
    slotsWeight: "slots cover {length} of the bucket line but the weight gives a share of {share}; let the controller's reweight write slots, or remove them",
    overlappingSlots: "overlaps [{from}, {to}); a bucket can belong to one variant only",
    unknownVariant: 'unknown variant "{id}"; variants are {known}',
    missingWinner: 'status "promoted" needs "winner": the variant everyone gets',
    duplicatePilot: "unit {unit} is already on pilots[{first}]",
    duplicateSwitch: 'switch id "{id}" is used twice',
    unorderedRamp: "ramp steps must be in time order; this one is not after {previous}",
    invalidLayer: "expected layer.to above layer.from ({from}), got {to}",
    guardrailLimit: "give exactly one of maxIncrease (the metric must not rise more than this) or maxDecrease (must not fall more than this)",
  },
  {
    duplicateVariant: '变体 id "{id}" 重复使用；请为每个变体设置不同的 id',
    noWeight: "至少需要一个变体的权重大于 0",
    missingSlots: "只要有一个变体设置了 slots，所有变体都必须设置（或全部删除以使用标准布局）",
    invalidSlot: "应为 [from, to)，且 0 <= from < to <= 1，实际为 [{from}, {to}]",
    slotsWeight: "slots 覆盖了分桶区间的 {length}，但按权重应占 {share}；请由控制器的 reweight 写入 slots，或删除它们",
    overlappingSlots: "与 [{from}, {to}) 重叠；一个分桶只能属于一个变体",
    unknownVariant: '未知变体 "{id}"；已有的变体为 {known}',
    missingWinner: '状态为 "promoted" 时需要 "winner"：即所有人都将获得的变体',
    duplicatePilot: "单元 {unit} 已在 pilots[{first}] 中",
    duplicateSwitch: '开关 id "{id}" 重复使用',
    unorderedRamp: "放量步骤必须按时间顺序排列；这一步不晚于 {previous}",
    invalidLayer: "layer.to 应大于 layer.from（{from}），实际为 {to}",
    guardrailLimit: "maxIncrease（指标的上升不得超过此值）和 maxDecrease（指标的下降不得超过此值）必须且只能填写一个",
  },
);
