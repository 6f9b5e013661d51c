/**
 * Workflow documents -> compiled workflows: graph checks, every expression
 * and condition compiled once, and the assignee specs to resolve when an
 * instance starts. The xstate machine itself is built per engine (it closes
 * over the engine's definitions and calendar).
 */
import { compileNode, expressionIssue, toCompiledCondition, type CompiledCondition } from "../conditions/compile.js";
import { formatPath } from "../core/errors.js";
import { compileExpression, type CompiledExpression } from "../expr/compile.js";
import type { Condition } from "../schema/condition.js";
import type { WorkflowDocument } from "../schema/workflow.js";
import type { CompiledParts } from "./node-entry.js";
import { analyseStructure, type Scope } from "./structure.js";
import { checkTriggerKind } from "../schema/schedule.js";
import { catalogueIssue } from "../i18n/issues.js";
import { workflowMessages } from "../i18n/messages/workflow.js";
import type { CompileContext } from "../core/context.js";

/** A validated, compiled workflow definition. */
export interface CompiledWorkflow {
  readonly kind: "workflow";
  readonly id: string;
  readonly version: number;
  readonly document: WorkflowDocument;
  /** @internal */
  readonly scope: Scope;
  /** @internal */
  readonly parts: CompiledParts;
  /** Assignee and recipient specs that need the Directory (`role:x`, `manager-of:initiator`, ...). */
  readonly directorySpecs: readonly string[];
}

/** Fact roots a workflow adds to its input: always known, whether or not `facts` lists them. */
const WORKFLOW_ROOTS = ["input", "initiator", "results", "event", "schedule"] as const;

const needsDirectory = (spec: string): boolean => spec.startsWith("role:") || spec.startsWith("manager-of:");

/** The source of an input value written `{ "expr": "..." }` (the schema allows no other object with `expr`), else `undefined`. */
const expressionSource = (v: unknown): string | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) && "expr" in v && typeof v.expr === "string" ? v.expr : undefined;

function conditionFrom(cond: Condition, ctx: CompileContext, path: (string | number)[]): CompiledCondition {
  return toCompiledCondition(compileNode(cond, ctx, path));
}

/**
 * Compile a validated workflow document; problems go to `ctx.issues`.
 * @internal
 */
export function compileWorkflowInto(doc: WorkflowDocument, ctx: CompileContext): CompiledWorkflow {
  const scope = analyseStructure(doc, ctx.issues);
  const expressions = new Map<string, CompiledExpression>();
  const conditions = new Map<string, CompiledCondition>();
  const specs = new Set<string>();
  // Declared facts name the instance input; the roots every workflow adds are always known (docs/workflows.md).
  const factsCtx: CompileContext = { ...ctx, knownFacts: ctx.knownFacts ? new Set([...ctx.knownFacts, ...WORKFLOW_ROOTS]) : undefined };
  const expr = (source: string, key: string, path: (string | number)[]): void => {
    try {
      expressions.set(key, compileExpression(source, { knownFacts: factsCtx.knownFacts, where: formatPath(path) }));
    } catch (e) {
      ctx.issues.push(expressionIssue(e, path));
    }
  };
  const spec = (s: string): void => {
    if (needsDirectory(s)) specs.add(s);
  };
  // a recipient is a spec, or an expression whose specs resolve when the step runs
  const recipient = (to: string | { expr: string }, key: string, path: (string | number)[]): void => {
    if (typeof to === "string") spec(to);
    else expr(to.expr, key, path);
  };

  for (const [id, node] of Object.entries(doc.nodes)) {
    const p = (...rest: (string | number)[]): (string | number)[] => ["nodes", id, ...rest];
    switch (node.type) {
      case "approval": {
        node.assignees.forEach((a, i) => (typeof a === "string" ? spec(a) : expr(a.expr, `nodes.${id}.assignees.${i}`, p("assignees", i, "expr"))));
        if (typeof node.fallback === "object") {
          node.fallback.assignees.forEach((a, i) =>
            typeof a === "string" ? spec(a) : expr(a.expr, `nodes.${id}.fallback.assignees.${i}`, p("fallback", "assignees", i, "expr")),
          );
        }
        if (node.vote?.weights) Object.keys(node.vote.weights).forEach(spec);
        node.notify?.forEach((n, i) => recipient(n.to, `nodes.${id}.notify.${i}.to`, p("notify", i, "to", "expr")));
        break;
      }
      case "decision":
        break;
      case "branch":
        node.branches.forEach((b, i) => {
          if (b.when) conditions.set(`nodes.${id}.branches.${i}.when`, conditionFrom(b.when, factsCtx, p("branches", i, "when")));
        });
        break;
      case "task":
        for (const [k, v] of Object.entries(node.input ?? {})) {
          const source = expressionSource(v);
          if (source !== undefined) expr(source, `nodes.${id}.input.${k}`, p("input", k, "expr"));
        }
        if (node.assignee) spec(node.assignee);
        if (node.retries && node.retries.max > 0 && !node.retries.backoff) ctx.issues.push(catalogueIssue(workflowMessages, "retriesBackoff", p("retries"), {}, "invalid_retries"));
        break;
      case "wait":
        if (node.match) expr(node.match, `nodes.${id}.match`, p("match"));
        if (node.until) expr(node.until, `nodes.${id}.until`, p("until"));
        break;
      case "notify":
      case "end":
        node.notify?.forEach((n, i) => recipient(n.to, `nodes.${id}.notify.${i}.to`, p("notify", i, "to", "expr")));
        break;
      case "join":
        break;
    }
    if (node.type === "approval" || node.type === "task" || node.type === "wait") {
      // (missing targets and calendars are reported with the shape: schema/workflow-checks.ts)
      node.escalation?.forEach((s, i) => {
        if (s.to) recipient(s.to, `nodes.${id}.escalation.${i}.to`, p("escalation", i, "to", "expr"));
        for (const f of s.for === undefined ? [] : typeof s.for === "string" ? [s.for] : s.for) spec(f);
      });
    }
  }
  doc.triggers?.forEach((t, i) => {
    if (typeof t.initiator === "object") expr(t.initiator.expr, `triggers.${i}.initiator`, ["triggers", i, "initiator", "expr"]);
    checkTriggerKind(doc.triggers!, i, doc.calendar, ctx.issues); // scheduled triggers: docs/schedules.md
    if (t.when) conditions.set(`triggers.${i}.when`, conditionFrom(t.when, factsCtx, ["triggers", i, "when"]));
    for (const [k, v] of Object.entries(t.input ?? {})) {
      const source = expressionSource(v);
      if (source !== undefined) expr(source, `triggers.${i}.input.${k}`, ["triggers", i, "input", k, "expr"]);
    }
  });
  return {
    kind: "workflow",
    id: doc.id,
    version: doc.version,
    document: doc,
    scope,
    parts: { expressions, conditions },
    directorySpecs: [...specs],
  };
}
