/**
 * Coverage of a suite: per definition its rules (rule sets), rows (tables),
 * tiers and modifiers (rebates), benefits (promotions), variants (rollouts),
 * nodes, edges and escalation steps (workflows), and which cases reached each.
 *
 * What "reached" means:
 * - a rule or row: it is in the result's `matched` (it decided; under `first`
 *   only the winner);
 * - a tier: the tier the account reached (incremental ladders: every band up
 *   to it); a modifier: it applied to a line;
 * - a benefit: the promotion was eligible, so every benefit was computed;
 * - a variant: the unit got it;
 * - a workflow node: an instance entered it (its audit, results, approvals or
 *   state); an edge: an instance entered both ends and, from a decision,
 *   branch or approval, the recorded route or outcome names it; an escalation
 *   step: its timer fired (an audit record of it).
 */
import { formatPath } from "../../core/errors.js";
import type { CompiledDefinition } from "../../definitions.js";
import type { AuditRecord } from "../../runtime/ports.js";
import type { InstanceView } from "../../runtime/records.js";
import type { WorkflowDocument } from "../../schema/workflow.js";

/** What a coverage item is. */
export type CoverageItemKind = "rule" | "row" | "tier" | "modifier" | "benefit" | "variant" | "node" | "edge" | "escalation";

/** One thing of a definition that a case can reach. */
export interface CoverageItem {
  kind: CoverageItemKind;
  /** Its JSON path in the definition (`rules[2]`, `tiers[1]`, `nodes.countersign.escalation[0]`). */
  path: string;
  /** Its id or name, or `from → to` for an edge. */
  label: string;
  reached: boolean;
  /** The cases that reached it, in suite order. */
  cases: string[];
}

/** The coverage of one definition version. */
export interface DefinitionCoverage {
  id: string;
  version: number;
  kind: string;
  items: CoverageItem[];
  reached: number;
  total: number;
  /** `reached / total` in percent, rounded down to one decimal (100 when there is nothing to reach). */
  percent: number;
}

/** The coverage of a suite. */
export interface CoverageReport {
  /** Every definition version a case tested, in the order cases first named them. */
  definitions: DefinitionCoverage[];
  reached: number;
  total: number;
  /** Over every item of every definition, rounded down to one decimal (100 when there is nothing to reach). */
  percent: number;
  /** Definitions of the suite of a coverable kind that no case tested (not counted in the percentages). */
  untested: { id: string; version: number; kind: string }[];
}

/** Percent rounded down to one decimal; 100 for an empty set. */
function percentOf(reached: number, total: number): number {
  return total === 0 ? 100 : Math.floor((reached * 1000) / total) / 10;
}

type Item = Omit<CoverageItem, "reached" | "cases">;

/** The kinds whose definitions have coverage items. */
const COVERABLE_KINDS: ReadonlySet<string> = new Set(["ruleset", "decision-table", "promotion", "rebate", "rollout", "workflow"]);

/** The edges leaving a workflow node: path, target and what picks it. */
function workflowEdges(doc: WorkflowDocument): { from: string; to: string; path: (string | number)[]; pick: { route?: string; outcome?: string; branch?: number } }[] {
  const out: ReturnType<typeof workflowEdges> = [];
  for (const [id, node] of Object.entries(doc.nodes)) {
    const base = ["nodes", id];
    switch (node.type) {
      case "decision":
        for (const [key, to] of Object.entries(node.routes)) out.push({ from: id, to, path: [...base, "routes", key], pick: { route: to } });
        if (node.default) out.push({ from: id, to: node.default, path: [...base, "default"], pick: { route: node.default } });
        break;
      case "approval":
        out.push({ from: id, to: node.onApprove, path: [...base, "onApprove"], pick: { outcome: "approved" } });
        out.push({ from: id, to: node.onReject, path: [...base, "onReject"], pick: { outcome: "rejected" } });
        break;
      case "branch":
        node.branches.forEach((b, i) => out.push({ from: id, to: b.to, path: [...base, "branches", i], pick: node.mode === "exclusive" ? { route: b.to } : { branch: i } }));
        if (node.default) out.push({ from: id, to: node.default, path: [...base, "default"], pick: node.mode === "exclusive" ? { route: node.default } : { branch: node.branches.length } });
        break;
      case "task":
        out.push({ from: id, to: node.next, path: [...base, "next"], pick: {} });
        if (node.onError) out.push({ from: id, to: node.onError, path: [...base, "onError"], pick: {} });
        break;
      case "wait":
        out.push({ from: id, to: node.next, path: [...base, "next"], pick: {} });
        if (node.onTimeout) out.push({ from: id, to: node.onTimeout, path: [...base, "onTimeout"], pick: {} });
        break;
      case "join":
      case "notify":
        out.push({ from: id, to: node.next, path: [...base, "next"], pick: {} });
        break;
      case "end":
        break;
    }
  }
  return out;
}

/** Everything of a definition a case can reach; none for kinds without coverage. */
function coverageItemsOf(def: CompiledDefinition): Item[] {
  const doc = def.document as Record<string, unknown>;
  switch (def.kind) {
    case "ruleset":
    case "decision-table": {
      const kind = def.kind === "ruleset" ? "rule" : "row";
      return (doc["rules"] as { id?: string }[]).map((r, i) => ({ kind, path: `rules[${i}]`, label: r.id ?? `row-${i + 1}` }));
    }
    case "promotion": {
      const b = doc["benefit"] as { type: string } | { type: string }[];
      return Array.isArray(b) ? b.map((x, i) => ({ kind: "benefit", path: `benefit[${i}]`, label: x.type })) : [{ kind: "benefit", path: "benefit", label: b.type }];
    }
    case "rebate": {
      const tiers = (doc["tiers"] as { name?: string; from: string }[]).map((t, i): Item => ({ kind: "tier", path: `tiers[${i}]`, label: t.name ?? `from ${t.from}` }));
      const mods = ((doc["modifiers"] as { name?: string }[] | undefined) ?? []).map((m, i): Item => ({ kind: "modifier", path: `modifiers[${i}]`, label: m.name ?? `modifiers[${i}]` }));
      return [...tiers, ...mods];
    }
    case "rollout":
      return (doc["variants"] as { id: string }[]).map((v, i) => ({ kind: "variant", path: `variants[${i}]`, label: v.id }));
    case "workflow": {
      const wf = def.document;
      const nodes = Object.keys(wf.nodes).map((id): Item => ({ kind: "node", path: formatPath(["nodes", id]), label: id }));
      const edges = workflowEdges(wf).map((e): Item => ({ kind: "edge", path: formatPath(e.path), label: `${e.from} → ${e.to}` }));
      const steps = Object.entries(wf.nodes).flatMap(([id, node]) =>
        "escalation" in node && node.escalation
          ? node.escalation.map((s, i): Item => ({ kind: "escalation", path: formatPath(["nodes", id, "escalation", i]), label: `${id}: ${s.action}` }))
          : [],
      );
      return [...nodes, ...edges, ...steps];
    }
    default:
      return [];
  }
}

/** Every string in a state value: node ids are the leaves and the parallel regions' parents. */
function idsIn(value: unknown, out: Set<string>): void {
  if (typeof value === "string") out.add(value);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      idsIn(v, out);
    }
  }
}

/** What one workflow instance reached: item paths (see the module comment), and its node path in order. */
export function workflowReach(doc: WorkflowDocument, view: InstanceView, audit: readonly AuditRecord[]): { paths: Set<string>; route: string[] } {
  const seen = new Set<string>();
  const escalations = new Set<string>();
  for (const a of audit) {
    if (a.before) idsIn(a.before.value, seen);
    idsIn(a.after.value, seen);
    const ev = a.event;
    if (ev["type"] === "timer" && typeof ev["key"] === "string" && ev["key"].startsWith("esc:") && typeof ev["node"] === "string" && typeof ev["step"] === "number") {
      escalations.add(formatPath(["nodes", ev["node"], "escalation", ev["step"]]));
    }
  }
  idsIn(view.state, seen);
  for (const id of Object.keys(view.results)) seen.add(id);
  for (const id of Object.keys(view.approvals)) seen.add(id);
  const nodes = [...seen].filter((id) => Object.hasOwn(doc.nodes, id));
  const paths = new Set<string>([...nodes.map((id) => formatPath(["nodes", id])), ...escalations]);
  const active = new Set(view.status === "running" ? view.activeNodes : []);
  const taken: ReturnType<typeof workflowEdges> = [];
  for (const e of workflowEdges(doc)) {
    if (!seen.has(e.from) || !seen.has(e.to) || active.has(e.from)) continue;
    const result = view.results[e.from] as { route?: unknown; outcome?: unknown; branches?: unknown } | null | undefined;
    if (e.pick.route !== undefined && result?.route !== e.pick.route) continue;
    if (e.pick.outcome !== undefined && result?.outcome !== e.pick.outcome) continue;
    if (e.pick.branch !== undefined && !(Array.isArray(result?.branches) && result.branches[e.pick.branch] === true)) continue;
    paths.add(formatPath(e.path));
    taken.push(e);
  }
  // the route: from the start along taken edges, each node once
  const route: string[] = [];
  const visit = (id: string): void => {
    if (route.includes(id) || !seen.has(id)) return;
    route.push(id);
    for (const e of taken) if (e.from === id) visit(e.to);
  };
  visit(doc.start);
  for (const id of nodes) if (!route.includes(id)) route.push(id);
  return { paths, route };
}

/** Collects what each case reached, per definition version. */
export class CoverageTracker {
  private readonly order: string[] = [];
  private readonly defs = new Map<string, { def: CompiledDefinition; reached: Map<string, string[]> }>();

  private entry(def: CompiledDefinition): { def: CompiledDefinition; reached: Map<string, string[]> } {
    const key = `${def.id}@${def.version}`;
    let e = this.defs.get(key);
    if (!e) {
      e = { def, reached: new Map() };
      this.defs.set(key, e);
      this.order.push(key);
    }
    return e;
  }

  /** A case tested `def` (it counts even if nothing in it was reached). */
  target(def: CompiledDefinition): void {
    if (COVERABLE_KINDS.has(def.kind)) this.entry(def);
  }

  /** Case `name` reached the item at `path` of `def`. */
  reach(def: CompiledDefinition, path: string, name: string): void {
    if (!COVERABLE_KINDS.has(def.kind)) return;
    const list = this.entry(def).reached;
    const cases = list.get(path) ?? [];
    if (!cases.includes(name)) cases.push(name);
    list.set(path, cases);
  }

  /** The report, with `all` the suite's definitions (for `untested`). */
  report(all: readonly CompiledDefinition[]): CoverageReport {
    const definitions = this.order.map((key): DefinitionCoverage => {
      const { def, reached } = this.defs.get(key)!;
      const items = coverageItemsOf(def).map((it): CoverageItem => ({ ...it, reached: reached.has(it.path), cases: reached.get(it.path) ?? [] }));
      const n = items.filter((i) => i.reached).length;
      return { id: def.id, version: def.version, kind: def.kind, items, reached: n, total: items.length, percent: percentOf(n, items.length) };
    });
    const reached = definitions.reduce((s, d) => s + d.reached, 0);
    const total = definitions.reduce((s, d) => s + d.total, 0);
    const tested = new Set(definitions.map((d) => d.id));
    const untested = all.filter((d) => COVERABLE_KINDS.has(d.kind) && !tested.has(d.id)).map((d) => ({ id: d.id, version: d.version, kind: d.kind }));
    return { definitions, reached, total, percent: percentOf(reached, total), untested };
  }
}

/**
 * Several suites' coverage as one: an item is reached when any suite reached
 * it (its cases are listed as `suite › case` when `names` are given), and a
 * definition is untested only when no suite tested it.
 *
 * @param coverages - each suite's `report.coverage`
 * @param names - each suite's id, in the same order (to tell cases of different suites apart)
 */
export function mergeCoverage(coverages: readonly CoverageReport[], names?: readonly string[]): CoverageReport {
  const byKey = new Map<string, DefinitionCoverage>();
  coverages.forEach((c, k) => {
    const prefix = names?.[k] === undefined ? "" : `${names[k]} › `;
    for (const d of c.definitions) {
      const key = `${d.id}@${d.version}`;
      const into = byKey.get(key);
      if (!into) {
        byKey.set(key, { ...d, items: d.items.map((i) => ({ ...i, cases: i.cases.map((n) => prefix + n) })) });
        continue;
      }
      into.items = into.items.map((i) => {
        const other = d.items.find((o) => o.path === i.path);
        return other ? { ...i, reached: i.reached || other.reached, cases: [...i.cases, ...other.cases.map((n) => prefix + n)] } : i;
      });
    }
  });
  const definitions = [...byKey.values()].map((d) => {
    const reached = d.items.filter((i) => i.reached).length;
    return { ...d, reached, total: d.items.length, percent: percentOf(reached, d.items.length) };
  });
  const reached = definitions.reduce((s, d) => s + d.reached, 0);
  const total = definitions.reduce((s, d) => s + d.total, 0);
  const tested = new Set(definitions.map((d) => d.id));
  const untested: CoverageReport["untested"] = [];
  for (const c of coverages) for (const u of c.untested) if (!tested.has(u.id) && !untested.some((x) => x.id === u.id && x.version === u.version)) untested.push(u);
  return { definitions, reached, total, percent: percentOf(reached, total), untested };
}
