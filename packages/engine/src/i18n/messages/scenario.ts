/** Messages of scenario checks made while a scenario runs its steps. */
import { defineCatalogue } from "../catalogue.js";

export const scenarioMessages = defineCatalogue(
  "scenario",
  {
    missingCalendar: "a business-time advance needs a calendar (scenario.calendar or a workflow's)",
    noDefinition: 'no {kind} "{id}" among the scenario\'s definitions (loaded: {known})',
    wrongKind: '"{id}" is a {actual}, not a {kind}',
    fileNeedsReader: '"{file}" is a file: run the scenario with a readFile option (ruleflow simulate reads it relative to the scenario), or give the records inline',
    unreadableFile: 'cannot read "{file}": {error}',
    badRecords: "invalid records: {error}",
    unknownClaim: 'no claim "{key}" was made earlier in this scenario (claims: {known})',
    assignUnits: 'an assign step takes either "facts" (one unit) or "units" and/or "generate" (several units)',
  },
  {
    missingCalendar: "按工作时间推进需要日历（scenario.calendar 或流程的日历）",
    noDefinition: "场景的定义中没有 {kind} \"{id}\"（已加载：{known}）",
    wrongKind: "\"{id}\" 是 {actual}，不是 {kind}",
    fileNeedsReader: "\"{file}\" 是文件：运行场景时请提供 readFile 选项（ruleflow simulate 会相对场景文件读取），或直接内联记录",
    unreadableFile: "无法读取 \"{file}\"：{error}",
    badRecords: "记录无效：{error}",
    unknownClaim: "本场景此前没有键为 \"{key}\" 的领取（已有领取：{known}）",
    assignUnits: "assign 步骤只能给出 \"facts\"（一个单元），或 \"units\" 和/或 \"generate\"（多个单元）",
  },
);
