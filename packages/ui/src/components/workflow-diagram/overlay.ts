/**
 * What an instance says about the diagram: which nodes are done, current or
 * not taken, which transitions were taken, and which timers are due. Pure:
 * reads the engine's InstanceView, its audit records and its pending timers.
 */
import type { AuditRecord, InstanceView, TimerRecord } from "@ruleflow/engine/workflow";
import type { UiLocale } from "../../shared/i18n.js";
import type { DiagramGraph } from "./model.js";

/**
 * The `instance` property of the diagram: the engine's view of an instance,
 * with its audit (`engine.audit(id)`) and, to show due timers, its pending
 * timers (e.g. `storage.snapshot().timers` of a memory storage) and the time
 * to count from.
 */
export interface DiagramInstance {
  view: InstanceView;
  /** The instance's audit records, oldest first. Without them only the current nodes and the recorded results are known. */
  audit?: readonly AuditRecord[] | undefined;
  /** Pending timers (others' are ignored: only those whose `instanceId` is the view's id count). */
  timers?: readonly TimerRecord[] | undefined;
  /** "Now" for "due in" (epoch ms or ISO text); default: the view's `updatedAt`. */
  now?: number | string | undefined;
}

/** How a node or transition looks against an instance. */
export type PathState = "done" | "current" | "untaken";

/** A pending timer on a node. */
export interface DueTimer {
  node: string;
  /** `esc` (an escalation step), `wait` (a wait's timeout), `task` (a task's retry or timeout), or another key prefix. */
  kind: string;
  /** For `esc`: the step index. */
  step: number | undefined;
  dueAt: number;
}

/** The overlay of one instance on a graph. */
export interface Overlay {
  nodes: Map<string, PathState>;
  /** By edge id; the start marker's edge is `start`. */
  edges: Map<string, "done" | "untaken">;
  timers: DueTimer[];
  now: number;
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

/**
 * Mark the graph for an instance. A node is current when the instance is
 * waiting there, done when the audit, the results or the approvals show it
 * was entered (an end node reached is done), else not taken. A transition is
 * done when both its ends were entered; from a decision, only the route its
 * result names.
 */
export function overlayOf(graph: DiagramGraph, instance: DiagramInstance): Overlay {
  const { view } = instance;
  const known = new Set(graph.nodes.map((n) => n.id));
  const seen = new Set<string>();
  for (const a of instance.audit ?? []) {
    if (a.before) idsIn(a.before.value, seen);
    idsIn(a.after.value, seen);
  }
  idsIn(view.state, seen);
  for (const id of Object.keys(view.results ?? {})) seen.add(id);
  for (const id of Object.keys(view.approvals ?? {})) seen.add(id);
  const active = new Set(view.status === "running" ? view.activeNodes : []);
  for (const id of active) seen.add(id);
  const nodes = new Map<string, PathState>();
  for (const id of known) nodes.set(id, active.has(id) ? "current" : seen.has(id) ? "done" : "untaken");
  const edges = new Map<string, "done" | "untaken">();
  for (const e of graph.edges) {
    let taken = seen.has(e.from) && seen.has(e.to) && !active.has(e.from);
    const result = view.results?.[e.from];
    if (taken && (e.role === "route" || e.role === "default")) {
      const route = result && typeof result === "object" ? (result as { route?: unknown }).route : undefined;
      if (typeof route === "string") taken = route === e.to;
    }
    edges.set(e.id, taken ? "done" : "untaken");
  }
  if (graph.start !== undefined) edges.set("start", "done");
  const timers: DueTimer[] = (instance.timers ?? [])
    .filter((t) => t.instanceId === view.id)
    .map((t) => {
      const node = typeof t.event.node === "string" ? t.event.node : t.key.slice(t.key.indexOf(":") + 1);
      return { node, kind: t.key.slice(0, Math.max(0, t.key.indexOf(":"))), step: typeof t.event.step === "number" ? t.event.step : undefined, dueAt: t.dueAt };
    })
    .filter((t) => known.has(t.node))
    .sort((a, b) => a.dueAt - b.dueAt);
  const now = instance.now === undefined ? Date.parse(view.updatedAt) : typeof instance.now === "number" ? instance.now : Date.parse(instance.now);
  return { nodes, edges, timers, now };
}

/** A span of time for people: `2d 3h`, `2h 59m`, `45m` (zh-CN: `2天3小时`). Sub-minute spans round up to 1 minute. */
export function spanText(ms: number, locale: UiLocale): string {
  const minutes = Math.max(1, Math.ceil(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const units = locale === "zh-CN" ? ["天", "小时", "分钟"] : ["d", "h", "m"];
  const parts: string[] = [];
  if (d) parts.push(`${d}${units[0]}`);
  if (h) parts.push(`${h}${units[1]}`);
  if (m && !d) parts.push(`${m}${units[2]}`);
  return parts.join(locale === "zh-CN" ? "" : " ") || `0${units[2]}`;
}
