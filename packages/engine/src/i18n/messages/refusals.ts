/** Refusal reasons: why the engine did not apply an action to a workflow instance (ActionNotAllowedError). */
import type { MessageParams } from "../catalogue.js";
import { defineCatalogue } from "../catalogue.js";

export const refusalMessages = defineCatalogue(
  "refusals",
  {
    heading: "{actor} may not {action} instance \"{instance}\": {reason}",
    // operations in words ({op@} parameters)
    op_approve: "approve",
    op_reject: "reject",
    op_delegate: "delegate",
    op_transfer: "transfer",
    op_addSigner: "addSigner",
    op_removeSigner: "removeSigner",
    op_withdraw: "withdraw",
    op_resubmit: "resubmit",
    op_remind: "remind",
    op_cc: "cc",
    op_cancel: "cancel",
    // malformed events
    needsActor: "the event needs an actor",
    onBehalfOf: '"onBehalfOf" must be the user whose seat the actor acts for, e.g. "user:chen"',
    needsTo: '{op} needs "to": the user to hand over to',
    position: 'position must be "before", "after" or "parallel"',
    removeSignerUser: 'removeSigner needs "user"',
    notApprovalOperation: '"{type}" is not an approval operation',
    // where a rejection goes
    notApprovalNode: '"{node}" is not an approval node',
    noPrevious:
      'there is no earlier approver or step to send it back to; reject with "to": "initiator" to return it to the initiator, or without "to" to reject',
    noNodeToReject: 'no node "{to}" to reject back to',
    notVisited: '"{to}" was not visited before this step, so the request cannot go back to it',
    parallelReject: '"{to}" runs in parallel with "{node}", not before it; reject back to a node before the branch',
    // which step, who may act
    notActiveStep: '"{node}" is not an active approval step (active: {active})',
    notActiveStepNone: '"{node}" is not an active approval step (active: none)',
    noApprovalWaiting: "no approval step is waiting",
    alreadyDecided: "this approval step is already decided",
    notApprover: "they are not a current approver of this step (nor a delegate of one)",
    notApproverCovered:
      "they are not a current approver of this step (nor a delegate of one); their escalation covers {covered} and none of those seats is waiting for a decision now",
    notForSeat: "they may not act for {seat}: that seat is not waiting now, or they are neither its delegate nor an escalation target covering it",
    notForSeatCovered:
      "they may not act for {seat}: that seat is not waiting now, or they are neither its delegate nor an escalation target covering it (their escalation covers {covered})",
    onlyApproverHandsOver: "only a current approver can {op} their approval",
    notToThemselves: "cannot {op} to themselves",
    alreadyApprover: "{user} is already an approver of this step",
    noSigner: "no signer to add",
    onlyAddSigners: "only a current approver or the initiator can add signers",
    alreadyPending: "{user} is already a pending approver",
    notPending: "{user} is not a pending approver",
    onlyRemover: "only the initiator or whoever added the signer can remove them",
    lastPending: "cannot remove the last pending approver",
    notAccepted: "the approval step did not accept it",
    // other operations
    cannotWithdraw: "the instance cannot be withdrawn now",
    onlyInitiatorWithdraws: "only the initiator ({initiator}) can withdraw",
    onlyInitiatorResubmits: "only the initiator ({initiator}) can resubmit",
    nothingReturned: "nothing was returned to the initiator",
    onlyInitiatorReminds: "only the initiator ({initiator}) can send reminders",
    onlyParticipantsCc: "only the initiator or an approver can copy others in",
    ccNeedsTo: 'cc needs "to": a non-empty list of users',
    noWaitStep: "no wait step is waiting for this event",
    staleTask: "the task result is stale (the task was retried, timed out or left)",
    unknownOperation: '"{type}" is not an operation this workflow understands',
    unknownOperationActive: '"{type}" is not an operation this workflow understands (active: {active})',
    unknownOperationReturned: '"{type}" is not an operation this workflow understands (active: {active}, returned to the initiator)',
  },
  {
    heading: "{actor} 无权对实例 \"{instance}\" 执行{action}：{reason}",
    op_approve: "审批通过",
    op_reject: "驳回",
    op_delegate: "委托",
    op_transfer: "转交",
    op_addSigner: "加签",
    op_removeSigner: "减签",
    op_withdraw: "撤回",
    op_resubmit: "重新提交",
    op_remind: "催办",
    op_cc: "抄送",
    op_cancel: "取消",
    needsActor: "事件缺少操作人（actor）",
    onBehalfOf: '"onBehalfOf" 应为操作人所代为处理的席位用户，例如 "user:chen"',
    needsTo: '{op}需要 "to"：接手的用户',
    position: 'position 必须为 "before"、"after" 或 "parallel"',
    removeSignerUser: '减签需要 "user"',
    notApprovalOperation: '"{type}" 不是审批操作',
    notApprovalNode: '"{node}" 不是审批节点',
    noPrevious:
      '没有更早的审批人或步骤可以退回；如需退回发起人，请使用 "to": "initiator" 驳回，或不填 "to" 直接驳回',
    noNodeToReject: '没有可退回的节点 "{to}"',
    notVisited: '"{to}" 在此步骤之前未经过，申请无法退回到该节点',
    parallelReject: '"{to}" 与 "{node}" 并行执行，并不在其之前；请退回到分支之前的节点',
    notActiveStep: '"{node}" 不是进行中的审批步骤（进行中：{active}）',
    notActiveStepNone: '"{node}" 不是进行中的审批步骤（当前没有进行中的步骤）',
    noApprovalWaiting: "当前没有等待处理的审批步骤",
    alreadyDecided: "该审批步骤已有审批结果",
    notApprover: "该用户不是此步骤的当前审批人（也不是审批人的委托人）",
    notApproverCovered: "该用户不是此步骤的当前审批人（也不是审批人的委托人）；其升级处理覆盖 {covered}，但这些席位目前都不在等待审批",
    notForSeat: "该用户无权代 {seat} 处理：该席位当前不在等待审批，或该用户既不是其委托人，也不是覆盖该席位的升级处理人",
    notForSeatCovered: "该用户无权代 {seat} 处理：该席位当前不在等待审批，或该用户既不是其委托人，也不是覆盖该席位的升级处理人（其升级处理覆盖 {covered}）",
    onlyApproverHandsOver: "只有当前审批人才能{op}自己的审批",
    notToThemselves: "不能{op}给自己",
    alreadyApprover: "{user} 已经是此步骤的审批人",
    noSigner: "没有要加签的人",
    onlyAddSigners: "只有当前审批人或发起人才能加签",
    alreadyPending: "{user} 已经是待审批人",
    notPending: "{user} 不是待审批人",
    onlyRemover: "只有发起人或加签人本人才能减签",
    lastPending: "不能移除最后一位待审批人",
    notAccepted: "审批步骤未接受该操作",
    cannotWithdraw: "该实例当前无法撤回",
    onlyInitiatorWithdraws: "只有发起人（{initiator}）才能撤回",
    onlyInitiatorResubmits: "只有发起人（{initiator}）才能重新提交",
    nothingReturned: "没有退回给发起人的申请",
    onlyInitiatorReminds: "只有发起人（{initiator}）才能催办",
    onlyParticipantsCc: "只有发起人或审批人才能抄送他人",
    ccNeedsTo: '抄送需要 "to"：非空的用户列表',
    noWaitStep: "没有等待此事件的等待步骤",
    staleTask: "任务结果已过期（任务已重试、已超时，或流程已离开该步骤）",
    unknownOperation: '"{type}" 不是此工作流支持的操作',
    unknownOperationActive: '"{type}" 不是此工作流支持的操作（进行中：{active}）',
    unknownOperationReturned: '"{type}" 不是此工作流支持的操作（进行中：{active}，已退回发起人）',
  },
);

/** A key of the refusal catalogue. */
export type RefusalKey = keyof (typeof refusalMessages)["messages"]["en"];

/** Why an action is refused: a refusal message and its parameters, rendered in the engine's locale. */
export interface RefusalReason {
  readonly key: RefusalKey;
  readonly params?: MessageParams;
}

/** Build a refusal reason. @internal */
export function refusal(key: RefusalKey, params?: MessageParams): RefusalReason {
  return params ? { key, params } : { key };
}
