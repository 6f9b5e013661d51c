/** Messages of workflow checks: node references, joins, branches, escalation ladders, retries. */
import { defineCatalogue } from "../catalogue.js";

export const workflowMessages = defineCatalogue(
  "workflow",
  {
    unknownStart: 'no node "{node}"; nodes are {nodes}',
    unknownNode: 'no node "{node}"',
    unknownNodeSuggest: 'no node "{node}"; did you mean "{suggestion}"?',
    missingVote: 'mode "vote" needs "vote": { "threshold": ... } (and optional weights)',
    invalidDecision: 'a decision node names exactly one of "ruleset" or "table"',
    exclusiveJoin: "an exclusive branch takes one path and has no join",
    missingJoin: 'a {mode} branch needs "join": the join node where its branches meet',
    notAJoin: '"{node}" is a {type} node, not a join',
    invalidWait: 'a wait node needs "event", "after" or "until"',
    missingCalendar: 'business time needs the workflow to name a "calendar" (e.g. "cn-mainland")',
    missingTarget: '"{action}" needs "to", e.g. "role:compliance-lead"',
    forOnlyEscalation: '"for" names the seats an escalate or reassign step covers; "{action}" takes no "for"',
    forOnlyApproval: '"for" names approval seats; a {type} node has none',
    retriesBackoff: "retries need a backoff duration",
    sharedTop:
      'node "{node}" is reached from the top level and from branch {branch} of "{parallel}"; each node inside a parallel branch must belong to that branch only',
    sharedBranches:
      'node "{node}" is reached from branch {prevBranch} of "{prevParallel}" and from branch {branch} of "{parallel}"; each node inside a parallel branch must belong to that branch only',
  },
  {
    unknownStart: '没有节点 "{node}"；现有节点为 {nodes}',
    unknownNode: '没有节点 "{node}"',
    unknownNodeSuggest: '没有节点 "{node}"；是否想写 "{suggestion}"？',
    missingVote: '"vote"（投票）模式需要填写 "vote": { "threshold": ... }（权重可选）',
    invalidDecision: '决策节点必须且只能指定 "ruleset" 或 "table" 其中之一',
    exclusiveJoin: "互斥分支只走一条路径，不需要汇聚节点（join）",
    missingJoin: '{mode} 分支需要 "join"：各分支汇合的汇聚节点',
    notAJoin: '"{node}" 是 {type} 节点，不是汇聚节点（join）',
    invalidWait: '等待节点需要 "event"、"after" 或 "until"',
    missingCalendar: '使用工作时间计时，需要在工作流中指定 "calendar"（例如 "cn-mainland"）',
    missingTarget: '"{action}" 需要 "to"，例如 "role:compliance-lead"',
    forOnlyEscalation: '"for" 指定升级（escalate）或改派（reassign）步骤覆盖的席位；"{action}" 不接受 "for"',
    forOnlyApproval: '"for" 指定审批席位；{type} 节点没有审批席位',
    retriesBackoff: "重试需要设置退避间隔（backoff）",
    sharedTop: '节点 "{node}" 既可从顶层流程到达，也可从 "{parallel}" 的第 {branch} 个分支到达；并行分支内的每个节点只能属于该分支',
    sharedBranches:
      '节点 "{node}" 既可从 "{prevParallel}" 的第 {prevBranch} 个分支到达，也可从 "{parallel}" 的第 {branch} 个分支到达；并行分支内的每个节点只能属于该分支',
  },
);
