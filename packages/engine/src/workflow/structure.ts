/**
 * The shape of a workflow graph: reference checks, and the split of nodes
 * into scopes: the top level, and one region per branch of each parallel or
 * inclusive branch (the nodes between the branch and its join), which become
 * xstate parallel regions.
 */
import type { Issue } from "../core/errors.js";
import { catalogueIssue } from "../i18n/issues.js";
import { workflowMessages as M } from "../i18n/messages/workflow.js";
import type { WorkflowDocument, WorkflowNode } from "../schema/workflow.js";

/** Nodes of one scope, and the parallel branches opened in it. */
export interface Scope {
  readonly nodes: string[];
  /** Branch node id -> one scope per branch. */
  readonly parallels: Map<string, Scope[]>;
}

type Target = { to: string; path: (string | number)[] };

/** Every node a node can move to, with the JSON path of the reference. */
function targetsOf(id: string, node: WorkflowNode): Target[] {
  const p = (...rest: (string | number)[]): (string | number)[] => ["nodes", id, ...rest];
  switch (node.type) {
    case "approval":
      return [
        { to: node.onApprove, path: p("onApprove") },
        { to: node.onReject, path: p("onReject") },
      ];
    case "decision":
      return [
        ...Object.entries(node.routes).map(([k, to]) => ({ to, path: p("routes", k) })),
        ...(node.default ? [{ to: node.default, path: p("default") }] : []),
      ];
    case "branch":
      return [
        ...node.branches.map((b, i) => ({ to: b.to, path: p("branches", i, "to") })),
        ...(node.default ? [{ to: node.default, path: p("default") }] : []),
        ...(node.join ? [{ to: node.join, path: p("join") }] : []),
      ];
    case "join":
    case "notify":
      return [{ to: node.next, path: p("next") }];
    case "task":
      return [{ to: node.next, path: p("next") }, ...(node.onError ? [{ to: node.onError, path: p("onError") }] : [])];
    case "wait":
      return [{ to: node.next, path: p("next") }, ...(node.onTimeout ? [{ to: node.onTimeout, path: p("onTimeout") }] : [])];
    case "end":
      return [];
  }
}

function isParallel(node: WorkflowNode): node is Extract<WorkflowNode, { type: "branch" }> {
  return node.type === "branch" && node.mode !== "exclusive";
}

/**
 * Entry nodes of a parallel / inclusive branch's regions: one per branch, and
 * one more for `default`, the region taken when no branch condition holds.
 */
export function regionEntries(node: Extract<WorkflowNode, { type: "branch" }>): string[] {
  return [...node.branches.map((b) => b.to), ...(node.default ? [node.default] : [])];
}

const BRANCH_LABEL = /^branch (\d+) of "(.*)"$/s;

/** A node reached from two regions (`prev` and `label` are "the top level" or `branch i of "id"`). */
function sharedNodeIssue(node: string, prev: string, label: string): Issue {
  const [, branch = "", parallel = ""] = BRANCH_LABEL.exec(label) ?? [];
  const before = BRANCH_LABEL.exec(prev);
  return before
    ? catalogueIssue(M, "sharedBranches", ["nodes", node], { node, prevBranch: before[1]!, prevParallel: before[2]!, branch, parallel }, "shared_node")
    : catalogueIssue(M, "sharedTop", ["nodes", node], { node, branch, parallel }, "shared_node");
}

/**
 * Check references and build the scope tree. Problems go to `issues`.
 */
export function analyseStructure(doc: WorkflowDocument, issues: Issue[]): Scope {
  const nodes = doc.nodes;
  const has = (id: string): boolean => Object.hasOwn(nodes, id);
  if (!has(doc.start)) issues.push(catalogueIssue(M, "unknownStart", ["start"], { node: doc.start, "nodes[]": JSON.stringify(Object.keys(nodes)) }, "unknown_node"));
  for (const [id, node] of Object.entries(nodes)) {
    for (const t of targetsOf(id, node)) {
      if (!has(t.to)) issues.push(catalogueIssue(M, "unknownNode", t.path, { node: t.to }, "unknown_node"));
    }
    if (isParallel(node)) {
      if (!node.join) issues.push(catalogueIssue(M, "missingJoin", ["nodes", id, "join"], { mode: String(node.mode) }, "missing_join"));
      else if (has(node.join) && nodes[node.join]!.type !== "join") {
        issues.push(catalogueIssue(M, "notAJoin", ["nodes", id, "join"], { node: node.join, type: nodes[node.join]!.type }, "invalid_join"));
      }
    }
  }
  if (issues.length) return { nodes: [], parallels: new Map() };

  const owner = new Map<string, string>();
  const build = (entry: string[], stop: Set<string>, label: string): Scope => {
    const scope: Scope = { nodes: [], parallels: new Map() };
    const queue = [...entry];
    while (queue.length) {
      const id = queue.shift()!;
      if (stop.has(id) || scope.nodes.includes(id)) continue;
      const node = nodes[id]!;
      if (node.type === "end") continue;
      const prev = owner.get(id);
      if (prev !== undefined && prev !== label) {
        issues.push(sharedNodeIssue(id, prev, label));
        continue;
      }
      owner.set(id, label);
      scope.nodes.push(id);
      if (isParallel(node)) {
        const join = node.join!;
        const inner = new Set([...stop, join, ...scope.nodes]);
        scope.parallels.set(
          id,
          regionEntries(node).map((to, i) => build([to], inner, `branch ${i} of "${id}"`)),
        );
        queue.push(join);
      } else {
        for (const t of targetsOf(id, node)) queue.push(t.to);
      }
    }
    return scope;
  };
  // First the top level without entering regions, so reject-back edges from
  // inside a region to an earlier top-level node do not pull it into the region.
  const topOnly = (): Set<string> => {
    const seen = new Set<string>();
    const queue = [doc.start];
    while (queue.length) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const node = nodes[id]!;
      if (isParallel(node)) queue.push(node.join!);
      else for (const t of targetsOf(id, node)) queue.push(t.to);
    }
    return seen;
  };
  const top = topOnly();
  for (const id of top) if (nodes[id]!.type !== "end") owner.set(id, "the top level");
  const root: Scope = { nodes: [...top].filter((id) => nodes[id]!.type !== "end"), parallels: new Map() };
  for (const id of root.nodes) {
    const node = nodes[id]!;
    if (isParallel(node)) {
      const stop = new Set([...top, node.join!]);
      root.parallels.set(id, regionEntries(node).map((to, i) => build([to], stop, `branch ${i} of "${id}"`)));
    }
  }
  return root;
}

/**
 * For each node inside parallel regions, the regions it sits in, outermost
 * first, as `branchId#index`. Top-level nodes have an empty path.
 */
export function regionPaths(scope: Scope, prefix: readonly string[] = [], out = new Map<string, readonly string[]>()): Map<string, readonly string[]> {
  for (const n of scope.nodes) out.set(n, prefix);
  for (const [branch, regions] of scope.parallels) regions.forEach((region, i) => regionPaths(region, [...prefix, `${branch}#${i}`], out));
  return out;
}

/** Whether two nodes run side by side: in different regions of one parallel / inclusive branch. */
export function inSiblingRegions(paths: ReadonlyMap<string, readonly string[]>, a: string, b: string): boolean {
  const pa = paths.get(a) ?? [];
  const pb = paths.get(b) ?? [];
  for (let k = 0; k < Math.min(pa.length, pb.length); k++) {
    if (pa[k] === pb[k]) continue;
    return pa[k]!.split("#")[0] === pb[k]!.split("#")[0];
  }
  return false;
}
