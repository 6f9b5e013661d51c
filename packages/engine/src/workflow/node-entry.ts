/**
 * What happens when an instance enters each kind of node: pure updates of
 * the context draft (state, results, effects). The machine wires them as
 * xstate entry actions.
 */
import { addDuration, parseDuration } from "../core/duration.js";
import { makeScope, type CompiledCondition } from "../conditions/compile.js";
import type { DecisionResult } from "../decisions/types.js";
import type { CompiledExpression } from "../expr/compile.js";
import { parseInstant } from "../expr/values.js";
import type { EscalationStep, NotifySpec, WorkflowDocument, WorkflowNode } from "../schema/workflow.js";
import { actionableUsers, enterApproval } from "./approval.js";
import { armTimer, factsOf, own, specsFromValue, usersOf, type WorkflowContext, type WorkflowEvent } from "./context.js";
import type { DefinitionLookup, LookedUpDefinition, EvaluationWarning } from "../core/context.js";

/** Adds durations in calendar or business time. */
export interface DurationCalculator {
  addDuration(ms: number, isoDuration: string, options: { business: boolean }): number;
}

/** Compiled expressions and conditions of a workflow, keyed by where they sit. */
export interface CompiledParts {
  readonly expressions: Map<string, CompiledExpression>;
  readonly conditions: Map<string, CompiledCondition>;
}

/** Everything node logic needs besides the context. */
export interface NodeEnv {
  readonly doc: WorkflowDocument;
  readonly parts: CompiledParts;
  readonly definitions: DefinitionLookup | undefined;
  readonly calendar: DurationCalculator | undefined;
}

/** Due time of a duration from `from`, on the calendar when business time is asked for. */
export function dueAfter(env: NodeEnv, from: number, iso: string, business: boolean): number {
  if (env.calendar) return env.calendar.addDuration(from, iso, { business });
  return addDuration(from, parseDuration(iso)!);
}

let lastMs = Number.NaN;
let lastIso = "";

/**
 * Epoch milliseconds as ISO-8601 UTC (`toISOString`). One transition formats
 * the same time many times (each notification, each evaluation): the last
 * one is kept.
 */
export function iso(ms: number): string {
  if (ms !== lastMs) {
    // throws for a time that is no time (NaN), as toISOString does
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}

/** A notification spec whose recipient is a spec string (`{ "expr" }` recipients resolved). */
export type PlainNotifySpec = Omit<NotifySpec, "to"> & { to: string };

/** Queue notifications for each spec. */
export function notify(draft: WorkflowContext, specs: readonly PlainNotifySpec[], data: Record<string, unknown>, extraUsers?: Record<string, string[]>): void {
  for (const spec of specs) {
    const recipients = extraUsers && Object.hasOwn(extraUsers, spec.to) ? extraUsers[spec.to]! : usersOf(draft, spec.to);
    own(draft, "effects").push({
      type: "notify",
      to: spec.to,
      recipients: [...recipients],
      template: spec.template,
      ...(spec.channel ? { channel: spec.channel } : {}),
      data: { instanceId: draft.instanceId, definitionId: draft.definitionId, initiator: draft.initiator, input: draft.input, ...data },
    });
  }
}

/** Queue an `approval-requested` message to users who can now act on `node`. */
export function requestApproval(draft: WorkflowContext, node: string, users: string[], at: number): void {
  if (users.length === 0) return;
  for (const user of users) {
    notify(draft, [{ to: user, template: "approval-requested" }], { node, at: iso(at) });
  }
}

/** Start (or continue) the escalation ladder of a node. */
export function armLadder(env: NodeEnv, draft: WorkflowContext, node: string, steps: readonly EscalationStep[], step: number, from: number, repeatsLeft?: number): void {
  const s = steps[step];
  if (!s) return;
  own(draft, "ladders")[node] = { step, repeatsLeft: repeatsLeft ?? s.repeat };
  armTimer(draft, `esc:${node}`, dueAfter(env, from, s.after, s.business), { node, step });
}

function escalationOf(node: WorkflowNode): readonly EscalationStep[] | undefined {
  return node.type === "approval" || node.type === "task" || node.type === "wait" ? node.escalation : undefined;
}

/** Record warnings of an evaluation on the transition (its audit record and `instance.warning`). */
function recordWarnings(draft: WorkflowContext, warnings: readonly EvaluationWarning[] | undefined): void {
  for (const warning of warnings ?? []) {
    if (!draft.effects.some((e) => e.type === "warning" && e.warning.path === warning.path && e.warning.message === warning.message)) own(draft, "effects").push({ type: "warning", warning });
  }
}

/** Evaluate the expression compiled under `key`, recording its warnings. */
function evaluate(env: NodeEnv, key: string, draft: WorkflowContext, at: number, extra?: Record<string, unknown>): unknown {
  const warnings: EvaluationWarning[] = [];
  const v = env.parts.expressions.get(key)!.evaluate(factsOf(draft, extra), { at: iso(at), warnings });
  recordWarnings(draft, warnings);
  return v;
}

/** Test the condition compiled under `key`, recording its warnings. */
function testCondition(env: NodeEnv, key: string, draft: WorkflowContext, at: number): boolean {
  const { scope, nowMs } = makeScope(factsOf(draft), iso(at));
  const passed = env.parts.conditions.get(key)!.run(scope, nowMs);
  recordWarnings(draft, scope.warnings);
  return passed;
}

/**
 * A recipient as a spec: a string stays as written; `{ "expr" }` is evaluated
 * on the instance data (compiled under `key`) and must give user ids or specs,
 * joined with `,` (a spec such as `manager-of:user:wu` then resolves through
 * the Directory). `where` names it in errors.
 */
export function recipientSpecs(env: NodeEnv, draft: WorkflowContext, to: NotifySpec["to"], key: string, where: string, at: number): string[] {
  return typeof to === "string" ? [to] : specsFromValue(evaluate(env, key, draft, at), where, false);
}

/** Queue the notifications of a definition's `notify` list (`base`: its key, e.g. `nodes.tell.notify`). */
function notifyFrom(env: NodeEnv, draft: WorkflowContext, specs: readonly NotifySpec[], base: string, data: Record<string, unknown>, at: number, extraUsers?: Record<string, string[]>): void {
  specs.forEach((spec, i) => {
    if (typeof spec.to === "string") return notify(draft, [{ ...spec, to: spec.to }], data, extraUsers);
    const specsOut = recipientSpecs(env, draft, spec.to, `${base}.${i}.to`, `${base}[${i}].to`, at);
    // an empty list is "nobody this time", said on purpose (null is a mistake and fails)
    if (specsOut.length === 0) return;
    const recipients = [...new Set(specsOut.flatMap((x) => usersOf(draft, x)))];
    notify(draft, [{ ...spec, to: specsOut.join(",") }], data, { [specsOut.join(",")]: recipients });
  });
}

function enterApprovalNode(env: NodeEnv, draft: WorkflowContext, id: string, node: Extract<WorkflowNode, { type: "approval" }>, at: number): void {
  const resolve = (list: typeof node.assignees, base: string): { user: string; seat: string }[] =>
    list.flatMap((a, i) => {
      if (typeof a === "string") return usersOf(draft, a).map((user) => ({ user, seat: a }));
      const where = `${base}[${i}].expr`;
      // null is no one (the fallback decides); anything but user ids or specs is a mistake
      const specs = specsFromValue(evaluate(env, `${base}.${i}`, draft, at), where, true);
      return specs.flatMap((x) => usersOf(draft, x).map((user) => ({ user, seat: x })));
    });
  let users = resolve(node.assignees, `nodes.${id}.assignees`);
  const fallback = node.fallback;
  if (users.length === 0 && typeof fallback === "object") users = resolve(fallback.assignees, `nodes.${id}.fallback.assignees`);
  const state = enterApproval({
    mode: node.mode,
    users,
    initiator: draft.initiator,
    approvedBefore: draft.approvedBy,
    selfApproval: node.selfApproval,
    repeatApproval: node.repeatApproval,
    weights: node.vote?.weights ? Object.fromEntries(Object.entries(node.vote.weights).flatMap(([spec, w]) => usersOf(draft, spec).map((u) => [u, w]))) : undefined,
    threshold: node.vote?.threshold,
    at,
  });
  if (state.slots.length === 0) {
    if (fallback === "auto-approve" || fallback === "auto-reject") state.outcome = fallback === "auto-approve" ? "approved" : "rejected";
    else {
      draft.error = `approval step "${id}" has no approvers: its assignees resolved to no one and its fallback is "fail"`;
      return;
    }
  }
  own(draft, "approvals")[id] = state;
  if (node.notify) notifyFrom(env, draft, node.notify, `nodes.${id}.notify`, { node: id, at: iso(at) }, at, { assignees: actionableUsers(state) });
  else requestApproval(draft, id, actionableUsers(state), at);
}

function enterDecisionNode(env: NodeEnv, draft: WorkflowContext, id: string, node: Extract<WorkflowNode, { type: "decision" }>, at: number): void {
  const defId = (node.ruleset ?? node.table)!;
  try {
    if (!env.definitions) throw new Error("the engine has no definitions to look up");
    const def: LookedUpDefinition & { evaluate?: (facts: unknown, options: { at: string }) => unknown } = env.definitions.resolve(defId, iso(at));
    if (typeof def.evaluate !== "function") throw new Error(`"${defId}" cannot be evaluated`);
    const result = def.evaluate(factsOf(draft), { at: iso(at) }) as DecisionResult;
    // the definition's own paths go into the message; the path is the node in this workflow
    recordWarnings(
      draft,
      result.warnings?.map((w) => ({ ...w, path: `nodes.${id}`, message: `${def.kind} "${result.id}" v${result.version}, ${w.path}: ${w.message}` })),
    );
    const out = result.output;
    const value = out && !Array.isArray(out) ? out[node.output] : undefined;
    const key = typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
    const to = key !== undefined && Object.hasOwn(node.routes, key) ? node.routes[key] : node.default;
    if (!to) throw new Error(`no route for ${node.output} = ${JSON.stringify(value ?? null)}; routes are ${Object.keys(node.routes).join(", ")}`);
    own(draft, "results")[id] = { definition: result.id, version: result.version, output: out, route: to };
  } catch (e) {
    draft.error = `decision "${id}" failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function enterBranchNode(env: NodeEnv, draft: WorkflowContext, id: string, node: Extract<WorkflowNode, { type: "branch" }>, at: number): void {
  if (node.mode !== "exclusive") {
    const taken = node.branches.map((b, i) => !b.when || testCondition(env, `nodes.${id}.branches.${i}.when`, draft, at));
    const none = !taken.includes(true);
    // As for an exclusive branch: no path at all is a mistake, unless a default catches it.
    if (none && !node.default) draft.error = `branch "${id}": no condition holds and there is no default`;
    own(draft, "results")[id] = { branches: node.default ? [...taken, none] : taken };
    return;
  }
  const i = node.branches.findIndex((b, k) => !b.when || testCondition(env, `nodes.${id}.branches.${k}.when`, draft, at));
  const to = i >= 0 ? node.branches[i]!.to : node.default;
  if (!to) draft.error = `branch "${id}": no condition holds and there is no default`;
  else own(draft, "results")[id] = { route: to };
}

/** Run a node's entry logic. */
export function enterNode(env: NodeEnv, draft: WorkflowContext, id: string, ev: WorkflowEvent): void {
  const node = env.doc.nodes[id]!;
  const at = ev.at;
  if (node.type !== "end") own(draft, "active").push(id);
  own(draft, "history").push(id);
  switch (node.type) {
    case "approval":
      enterApprovalNode(env, draft, id, node, at);
      break;
    case "decision":
      enterDecisionNode(env, draft, id, node, at);
      break;
    case "branch":
      enterBranchNode(env, draft, id, node, at);
      break;
    case "task": {
      const prev = draft.tasks[id];
      const generation = (prev?.generation ?? 0) + 1;
      const input: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node.input ?? {})) {
        input[k] = typeof v === "object" && v !== null && !Array.isArray(v) && "expr" in v ? evaluate(env, `nodes.${id}.input.${k}`, draft, at) : v;
      }
      own(draft, "tasks")[id] = { generation, attempt: 1, status: "running", input };
      own(draft, "effects").push({ type: "task", node: id, generation, attempt: 1, handler: node.handler, input });
      if (node.timeout) armTimer(draft, `task:${id}`, dueAfter(env, at, node.timeout, false), { node: id, purpose: "timeout", attempt: 1 });
      break;
    }
    case "wait": {
      own(draft, "waits")[id] = { status: "waiting" };
      let due: number | undefined;
      if (node.after) due = dueAfter(env, at, node.after, node.business);
      if (node.until) {
        const t = parseInstant(evaluate(env, `nodes.${id}.until`, draft, at));
        if (t === undefined) draft.error = `wait "${id}": "until" did not give an ISO-8601 time`;
        else due = due === undefined ? t : Math.min(due, t);
      }
      if (due !== undefined) armTimer(draft, `wait:${id}`, Math.max(due, at), { node: id });
      break;
    }
    case "notify":
      notifyFrom(env, draft, node.notify, `nodes.${id}.notify`, { node: id, at: iso(at) }, at);
      break;
    case "end":
      draft.outcome = node.outcome;
      if (node.notify) notifyFrom(env, draft, node.notify, `nodes.${id}.notify`, { node: id, outcome: node.outcome, at: iso(at) }, at);
      break;
    case "join":
      break;
  }
  const ladder = escalationOf(node);
  if (ladder && ladder.length > 0 && !draft.error) armLadder(env, draft, id, ladder, 0, at);
}
