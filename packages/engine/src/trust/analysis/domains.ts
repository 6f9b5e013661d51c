/**
 * Promotions, rebates, workflows and calendars: the checks that need no
 * search over inputs, plus the condition checks of rules.ts.
 * @internal
 */
import { DAY_MS } from "../../core/local-date.js";
import { BUILTIN_CALENDARS } from "../../calendar/cn-mainland.js";
import type { PromotionDocument } from "../../schema/promotion.js";
import type { RebateDocument } from "../../schema/rebate.js";
import type { WorkflowDocument, WorkflowNode } from "../../schema/workflow.js";
import { formatDecimal } from "../../core/decimal.js";
import { cmpExact, exactOf, type Exact } from "./sets.js";
import { ConditionSet, describeFormula, formulaOf } from "./rules.js";
import type { Report } from "./report.js";
import type { AnalysisCoverage } from "./types.js";

type Path = (string | number)[];

function mulExact(a: Exact, b: Exact): Exact {
  return { u: a.u * b.u, s: a.s + b.s };
}

function addExact(a: Exact, b: Exact): Exact {
  const s = Math.max(a.s, b.s);
  return { u: a.u * 10n ** BigInt(s - a.s) + b.u * 10n ** BigInt(s - b.s), s };
}

/** Promotions: an eligibility that never holds; budgets smaller than the least one claim pays. */
export function analyzePromotion(doc: PromotionDocument, report: Report): AnalysisCoverage {
  const set = new ConditionSet([formulaOf(doc.eligibility, ["eligibility"])], report);
  const bad = set.impossible(0);
  if (bad) report.add("contradictory-eligibility", "error", bad.path, "contradictoryEligibility", { what: describeFormula(bad) });

  // The least value one claim takes from a budget: the fixed benefits (subsidies, gifts of a fixed
  // quantity with a unit cost); discounts and points depend on the order and count as 0.
  const benefits = Array.isArray(doc.benefit) ? doc.benefit : [doc.benefit];
  let least: Exact = { u: 0n, s: 0 };
  for (const b of benefits) {
    let v: Exact | undefined;
    if (b.type === "subsidy") v = exactOf(b.amount);
    else if (b.type === "gift" && typeof b.quantity === "number" && b.unitCost !== undefined) {
      const c = exactOf(b.unitCost);
      v = c ? mulExact({ u: BigInt(b.quantity), s: 0 }, c) : undefined;
    }
    if (v) least = addExact(least, v);
  }
  if (least.u > 0n) {
    const budgets: { path: Path; amount: string; limit: string }[] = [];
    const l = doc.limits;
    if (l?.budget !== undefined) {
      budgets.push(typeof l.budget === "string" ? { path: ["limits", "budget"], amount: l.budget, limit: "limits.budget" } : { path: ["limits", "budget", "amount"], amount: l.budget.amount, limit: "limits.budget" });
    }
    if (l?.perStore?.budget !== undefined) budgets.push({ path: ["limits", "perStore", "budget"], amount: l.perStore.budget, limit: "limits.perStore" });
    if (l?.perCustomer?.budget !== undefined) budgets.push({ path: ["limits", "perCustomer", "budget"], amount: l.perCustomer.budget, limit: "limits.perCustomer" });
    l?.per?.forEach((p, i) => {
      if (p.budget !== undefined) budgets.push({ path: ["limits", "per", i, "budget"], amount: p.budget, limit: p.name ?? `limits.per[${i}]` });
    });
    for (const b of budgets) {
      const amount = exactOf(b.amount);
      if (amount && cmpExact(amount, least) < 0) {
        report.add("budget-below-benefit", "error", b.path, "budgetBelowBenefit", { budget: b.amount, limit: b.limit, benefit: formatDecimal({ units: least.u, scale: least.s }) });
      }
    }
  }
  return { complete: set.exact(0), inputsNotAnalysed: [], notAnalysed: [...report.notAnalysed] };
}

/** Rebates: tier rates that fall as tiers rise; modifiers (and a basis filter) that never hold. */
export function analyzeRebate(doc: RebateDocument, report: Report): AnalysisCoverage {
  const tiers = doc.tiers.map((t, i) => ({ t, i, from: exactOf(t.from), rate: exactOf(t.rate) })).filter((x) => x.from && x.rate);
  tiers.sort((a, b) => cmpExact(a.from!, b.from!) || a.i - b.i);
  for (let k = 1; k < tiers.length; k++) {
    const prev = tiers[k - 1]!;
    const cur = tiers[k]!;
    if (cmpExact(cur.rate!, prev.rate!) < 0) {
      report.add("tier-rate-falls", "warning", ["tiers", cur.i, "rate"], "tierRateFalls", {
        tier: cur.t.name ?? `tiers[${cur.i}]`,
        from: cur.t.from,
        rate: cur.t.rate,
        prevTier: prev.t.name ?? `tiers[${prev.i}]`,
        prevRate: prev.t.rate,
      });
    }
  }
  const modifiers = doc.modifiers ?? [];
  const formulas = [formulaOf(doc.basis.where, ["basis", "where"]), ...modifiers.map((m, i) => formulaOf(m.when, ["modifiers", i, "when"]))];
  const set = new ConditionSet(formulas, report);
  const where = set.impossible(0);
  if (where) report.add("never-holds", "error", where.path, "neverHolds", { what: describeFormula(where) });
  modifiers.forEach((m, i) => {
    const bad = set.impossible(i + 1);
    if (bad) report.add("modifier-never-applies", "warning", bad.path, "modifierNeverApplies", { name: m.name ?? `modifiers[${i}]`, what: describeFormula(bad) }, { related: [["modifiers", i]] });
  });
  return { complete: formulas.every((_, i) => set.exact(i)), inputsNotAnalysed: [], notAnalysed: [...report.notAnalysed] };
}

/** The nodes a node can go to next. */
function successors(node: WorkflowNode): string[] {
  switch (node.type) {
    case "approval":
      return [node.onApprove, node.onReject];
    case "decision":
      return [...Object.values(node.routes), ...(node.default ? [node.default] : [])];
    case "branch":
      return [...node.branches.map((b) => b.to), ...(node.default ? [node.default] : []), ...(node.join ? [node.join] : [])];
    case "join":
    case "notify":
      return [node.next];
    case "task":
      return [node.next, ...(node.onError ? [node.onError] : [])];
    case "wait":
      return [node.next, ...(node.onTimeout ? [node.onTimeout] : [])];
    case "end":
      return [];
  }
}

/** A directory of who holds each role, when the caller knows it. */
export interface Directory {
  /** Role name -> user ids. A role absent here or with no users resolves to no one. */
  roles?: Readonly<Record<string, readonly string[]>> | undefined;
}

/** Workflows: unreachable nodes, nodes with no path to an end, approvals to no one, escalation past a deciding step. */
export function analyzeWorkflow(doc: WorkflowDocument, report: Report, directory: Directory | undefined): AnalysisCoverage {
  const ids = Object.keys(doc.nodes);
  const next = new Map(ids.map((id) => [id, successors(doc.nodes[id]!).filter((n) => Object.hasOwn(doc.nodes, n))]));
  const reached = new Set<string>();
  const stack = Object.hasOwn(doc.nodes, doc.start) ? [doc.start] : [];
  while (stack.length) {
    const id = stack.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    stack.push(...next.get(id)!);
  }
  // Nodes that reach an end: fixpoint backwards.
  const ends = new Set(ids.filter((id) => doc.nodes[id]!.type === "end"));
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of ids) {
      if (!ends.has(id) && next.get(id)!.some((n) => ends.has(n))) {
        ends.add(id);
        changed = true;
      }
    }
  }
  for (const id of ids) {
    if (!reached.has(id)) report.add("unreachable-node", "warning", ["nodes", id], "unreachableNode", { node: id, start: doc.start });
    else if (!ends.has(id)) report.add("no-path-to-end", "error", ["nodes", id], "noPathToEnd", { node: id });
  }
  for (const id of ids) {
    const node = doc.nodes[id]!;
    if (node.type === "approval") {
      if (node.assignees.length === 0) {
        const fb = node.fallback;
        if (fb === "fail") report.add("no-approver", "error", ["nodes", id, "assignees"], "noApproverFail", { node: id });
        else if (typeof fb === "string") report.add("no-approver", "warning", ["nodes", id, "assignees"], "noApproverFallback", { node: id, fallback: fb });
      } else if (directory?.roles) {
        node.assignees.forEach((a, i) => {
          if (typeof a !== "string" || !a.startsWith("role:")) return;
          const role = a.slice(5);
          const members = Object.hasOwn(directory.roles!, role) ? directory.roles![role]! : [];
          if (members.length === 0) report.add("no-approver", "warning", ["nodes", id, "assignees", i], "noApproverRole", { node: id, role });
        });
      }
    }
    if ((node.type === "approval" || node.type === "task" || node.type === "wait") && node.escalation) {
      const decider = node.escalation.findIndex((s) => s.action === "auto-approve" || s.action === "auto-reject");
      if (decider >= 0) {
        for (let j = decider + 1; j < node.escalation.length; j++) {
          report.add("escalation-after-decision", "warning", ["nodes", id, "escalation", j], "escalationAfterDecision", {
            step: `escalation[${j}]`,
            decider: `escalation[${decider}]`,
            action: node.escalation[decider]!.action,
          });
        }
      }
    }
  }
  return { complete: true, inputsNotAnalysed: [], notAnalysed: [...report.notAnalysed] };
}

/** The last year of holiday data of a calendar document (following `extends` to a built-in one). */
function coverageEnd(doc: unknown): { to: number; timeZone: string | undefined } | undefined {
  if (typeof doc !== "object" || doc === null) return undefined;
  const d = doc as { coverage?: { to?: unknown }; extends?: unknown; timeZone?: unknown };
  const base = typeof d.extends === "string" && Object.hasOwn(BUILTIN_CALENDARS, d.extends) ? (BUILTIN_CALENDARS as Record<string, { coverage?: { to: number }; timeZone?: string }>)[d.extends] : undefined;
  const to = typeof d.coverage?.to === "number" ? d.coverage.to : base?.coverage?.to;
  if (to === undefined) return undefined;
  return { to, timeZone: typeof d.timeZone === "string" ? d.timeZone : base?.timeZone };
}

/** Calendar data that ends within 60 days of `atMs` (or before it). */
export function checkCalendarEnd(report: Report, path: Path, calendar: string, doc: unknown, atMs: number): void {
  const c = coverageEnd(doc);
  if (!c) return;
  const endMs = Date.UTC(c.to + 1, 0, 1); // the data holds through 31 December of `to`
  const end = `${c.to}-12-31`;
  const at = new Date(atMs).toISOString();
  if (endMs <= atMs) report.add("calendar-ends-soon", "error", path, "calendarEnded", { calendar, end, at });
  else {
    const days = Math.floor((endMs - atMs) / DAY_MS);
    if (days < 60) report.add("calendar-ends-soon", "warning", path, "calendarEndsSoon", { calendar, end, days, at });
  }
}

/** The built-in calendar document of an id, if it is one. */
export function builtinCalendar(id: string): unknown {
  return Object.hasOwn(BUILTIN_CALENDARS, id) ? (BUILTIN_CALENDARS as Record<string, unknown>)[id] : undefined;
}
