/**
 * From a workflow document to the diagram's graph: one box per node with the
 * text it shows (type, name, approval mode and assignees, the escalation
 * ladder, ...), sized by estimate, and one edge per transition with its label
 * (decision routes with their value, branch conditions). Pure: tolerates
 * half-edited documents (a missing field shows nothing, an edge to a node that
 * does not exist is left out).
 */
import { parseDuration, type Duration } from "@ruleflow/engine/calendar";
import type { JsonPath } from "../../shared/base.js";
import { valueText } from "../../shared/json.js";
import { textWidth, wrapText } from "./geometry.js";
import type { DiagramT } from "./messages.js";

/** The node types of a workflow (docs/workflows.md). */
const NODE_TYPES = ["approval", "decision", "branch", "join", "task", "wait", "notify", "end"] as const;
/** One of {@link NODE_TYPES}. */
type NodeType = (typeof NODE_TYPES)[number];

/** One line of text inside a node box. */
interface NodeLine {
  text: string;
  /** `detail`: facts of the node; `escalation`: one step of its ladder; `status`: what an instance says (done, current, a due timer). */
  kind: "detail" | "escalation" | "status";
}

/** A node box before layout. */
export interface GraphNode {
  id: string;
  type: NodeType | "unknown";
  /** The header: the type and its mode (`Approval · all must approve`). */
  badge: string;
  /** The name (or the id when unnamed), wrapped. */
  title: string[];
  lines: NodeLine[];
  width: number;
  height: number;
}

/** How an edge leaves its node. */
type EdgeRole = "next" | "approve" | "reject" | "route" | "default" | "branch" | "error" | "timeout" | "start";

/** A transition. */
export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  role: EdgeRole;
  label: string;
  /** Where the target is written in the document (`nodes.x.routes.manual`). */
  path: JsonPath;
  /** For `route` edges: the route's value. */
  value?: string;
}

/** The diagram's graph. */
export interface DiagramGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The node the workflow starts at, when it exists. */
  start: string | undefined;
}

/** Font sizes and box metrics shared by the model and the renderer. */
export const METRICS = {
  badgeSize: 11,
  titleSize: 14,
  lineSize: 12,
  lineHeight: 16,
  titleLineHeight: 18,
  padX: 10,
  padY: 8,
  minWidth: 120,
  maxTextWidth: 240,
  labelSize: 11,
} as const;

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Text for an assignee or recipient spec (`role:legal`, or an expression). */
export function specText(v: unknown): string {
  if (typeof v === "string") return v;
  if (isRec(v) && typeof v.expr === "string") return `ƒ ${v.expr.trim()}`;
  return "?";
}

/** Text for a condition tree (`opportunity.amount gte 1000000 and ...`). */
export function conditionText(c: unknown): string {
  if (!isRec(c)) return "?";
  if (typeof c.label === "string" && c.label) return c.label;
  if (Array.isArray(c.all)) return c.all.map((x) => wrapIfGroup(x)).join(" and ");
  if (Array.isArray(c.any)) return c.any.map((x) => wrapIfGroup(x)).join(" or ");
  if ("not" in c) return `not ${wrapIfGroup(c.not)}`;
  if (typeof c.expr === "string") return c.expr;
  if (typeof c.fact === "string") return `${c.fact} ${String(c.op)}${c.value === undefined ? "" : ` ${JSON.stringify(c.value)}`}`;
  return "?";
}
const wrapIfGroup = (c: unknown): string => (isRec(c) && (Array.isArray(c.all) || Array.isArray(c.any)) ? `(${conditionText(c)})` : conditionText(c));

const UNITS: [keyof Duration, string][] = [
  ["years", "Y"],
  ["months", "M"],
  ["weeks", "W"],
  ["days", "D"],
];
const TIME_UNITS: [keyof Duration, string][] = [
  ["hours", "H"],
  ["minutes", "M"],
  ["seconds", "S"],
];

/** Component-wise sum of durations. */
function addDurations(a: Duration, b: Duration): Duration {
  return {
    years: a.years + b.years,
    months: a.months + b.months,
    weeks: a.weeks + b.weeks,
    days: a.days + b.days,
    hours: a.hours + b.hours,
    minutes: a.minutes + b.minutes,
    seconds: a.seconds + b.seconds,
  };
}

/** ISO-8601 text of a duration (`P2DT6H`); zero is `PT0S`. */
export function durationText(d: Duration): string {
  const date = UNITS.filter(([k]) => d[k]).map(([k, u]) => `${d[k]}${u}`).join("");
  const time = TIME_UNITS.filter(([k]) => d[k]).map(([k, u]) => `${d[k]}${u}`).join("");
  if (!date && !time) return "PT0S";
  return `P${date}${time ? `T${time}` : ""}`;
}

/**
 * The escalation ladder as lines: each step at its time counted from entering
 * the node (the steps' `after` added up: PT3H, PT3H, P2D give PT3H, PT6H,
 * P2DT6H), its action and target. A step whose `after` is not a duration
 * shows as written, and from there on each step shows `+after` (its own wait).
 */
export function ladderLines(steps: unknown, t: DiagramT): string[] {
  if (!Array.isArray(steps)) return [];
  let total: Duration | undefined = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
  return steps.map((s) => {
    const step = isRec(s) ? s : {};
    const after = str(step.after) ?? "?";
    const parsed = parseDuration(after);
    total = total && parsed ? addDurations(total, parsed) : undefined;
    const when = total ? durationText(total) : `+${after}`;
    const action = str(step.action);
    const parts = [`${when}${step.business === true ? ` (${t("businessShort")})` : ""}`, action && isAction(action) ? t(`action.${action}`) : (action ?? "?")];
    if (step.to !== undefined) parts.push(t("to", { who: specText(step.to) }));
    if (step.for !== undefined) parts.push(t("forSeats", { seats: Array.isArray(step.for) ? step.for.join(", ") : valueText(step.for) }));
    if (typeof step.repeat === "number" && step.repeat > 0) parts.push(t("repeat", { n: step.repeat }));
    return `↳ ${parts.join(" ")}`;
  });
}

const ACTIONS = ["remind", "escalate", "reassign", "auto-approve", "auto-reject", "notify"] as const;
const isAction = (a: string): a is (typeof ACTIONS)[number] => (ACTIONS as readonly string[]).includes(a);
const isType = (t: unknown): t is NodeType => typeof t === "string" && (NODE_TYPES as readonly string[]).includes(t);

/** The details a node shows under its name. */
function detailLines(n: Rec, t: DiagramT): NodeLine[] {
  const d = (text: string): NodeLine => ({ text, kind: "detail" });
  const out: NodeLine[] = [];
  const notifyLines = (): void => {
    if (Array.isArray(n.notify)) for (const x of n.notify) if (isRec(x)) out.push(d(`✉ ${t("notifyLine", { template: str(x.template) ?? "?", to: specText(x.to) })}`));
  };
  switch (n.type) {
    case "approval":
      if (Array.isArray(n.assignees)) out.push(d(`${t("assignees")}: ${n.assignees.map(specText).join(", ")}`));
      break;
    case "decision":
      if (typeof n.ruleset === "string") out.push(d(t("ruleset", { id: n.ruleset })));
      if (typeof n.table === "string") out.push(d(t("table", { id: n.table })));
      break;
    case "task":
      if (typeof n.handler === "string") out.push(d(t("handler", { name: n.handler })));
      if (typeof n.assignee === "string") out.push(d(`${t("assignee")}: ${n.assignee}`));
      if (isRec(n.retries)) out.push(d(t("retries", { max: String(n.retries.max), backoff: str(n.retries.backoff) ?? "PT1M" })));
      if (typeof n.timeout === "string") out.push(d(t("timeout", { d: n.timeout })));
      break;
    case "wait":
      if (typeof n.event === "string") out.push(d(t("waitEvent", { event: n.event })));
      if (typeof n.after === "string") out.push(d(`${t("waitAfter", { d: n.after })}${n.business === true ? ` (${t("businessShort")})` : ""}`));
      if (typeof n.until === "string") out.push(d(t("waitUntil", { expr: n.until })));
      break;
    case "notify":
      notifyLines();
      break;
    case "end":
      if (typeof n.outcome === "string") out.push(d(t("outcome", { outcome: n.outcome })));
      break;
  }
  for (const line of ladderLines(n.escalation, t)) out.push({ text: line, kind: "escalation" });
  if (n.type === "approval" || n.type === "end") notifyLines();
  return out;
}

function badgeOf(n: Rec, t: DiagramT): string {
  if (!isType(n.type)) return valueText(n.type) || "?";
  const type = t(`type.${n.type}`);
  if (n.type === "approval") {
    const mode = str(n.mode) ?? "sequential";
    return mode === "sequential" || mode === "all" || mode === "any" || mode === "vote" ? `${type} · ${t(`mode.${mode}`)}` : type;
  }
  if (n.type === "branch") {
    const mode = str(n.mode) ?? "exclusive";
    return mode === "exclusive" || mode === "parallel" || mode === "inclusive" ? `${type} · ${t(`branchMode.${mode}`)}` : type;
  }
  return type;
}

/** Wrap every line and size the box around them. */
function sized(id: string, type: GraphNode["type"], badge: string, name: string, lines: NodeLine[]): GraphNode {
  const m = METRICS;
  const title = wrapText(name, m.titleSize, m.maxTextWidth);
  const wrapped: NodeLine[] = lines.flatMap((l) => wrapText(l.text, m.lineSize, m.maxTextWidth).map((text) => ({ text, kind: l.kind })));
  // the badge shares its line with the type icon and a problem count
  const widest = Math.max(textWidth(badge, m.badgeSize) + 44, ...title.map((s) => textWidth(s, m.titleSize)), ...wrapped.map((l) => textWidth(l.text, m.lineSize)));
  const width = Math.ceil(Math.max(m.minWidth, widest + 2 * m.padX));
  const height = Math.ceil(m.padY * 2 + m.lineHeight + title.length * m.titleLineHeight + wrapped.length * m.lineHeight);
  return { id, type, badge, title, lines: wrapped, width, height };
}

/**
 * The graph of a workflow document (any shape: a broken document gives what
 * can be drawn). `status` adds lines at the bottom of nodes (an instance's
 * done / current marks and due timers), by node id.
 */
export function buildGraph(doc: unknown, t: DiagramT, status?: ReadonlyMap<string, readonly string[]>): DiagramGraph {
  const nodesRec = isRec(doc) && isRec(doc.nodes) ? doc.nodes : {};
  const ids = Object.keys(nodesRec);
  const nodes: GraphNode[] = ids.map((id) => {
    const n = isRec(nodesRec[id]) ? nodesRec[id] : {};
    const name = str(n.name) ?? id;
    const lines = [...detailLines(n, t), ...(status?.get(id) ?? []).map((text): NodeLine => ({ text, kind: "status" }))];
    return sized(id, isType(n.type) ? n.type : "unknown", badgeOf(n, t), name, lines);
  });
  const edges: GraphEdge[] = [];
  const add = (from: string, to: unknown, role: EdgeRole, label: string, path: JsonPath, value?: string): void => {
    if (typeof to !== "string" || !(to in nodesRec)) return;
    edges.push({ id: `${from}->${to}#${edges.length}`, from, to, role, label, path, ...(value !== undefined ? { value } : {}) });
  };
  for (const id of ids) {
    const n = isRec(nodesRec[id]) ? nodesRec[id] : {};
    const p = (...rest: (string | number)[]): JsonPath => ["nodes", id, ...rest];
    add(id, n.next, "next", "", p("next"));
    add(id, n.onApprove, "approve", t("edge.approve"), p("onApprove"));
    add(id, n.onReject, "reject", t("edge.reject"), p("onReject"));
    if (isRec(n.routes)) {
      const output = str(n.output) ?? "decision";
      for (const [value, to] of Object.entries(n.routes)) add(id, to, "route", t("route", { output, value }), p("routes", value), value);
    }
    if (Array.isArray(n.branches)) {
      n.branches.forEach((b, i) => {
        if (!isRec(b)) return;
        const label = b.when === undefined ? (n.mode === "parallel" ? "" : t("edge.branch", { n: i + 1 })) : conditionText(b.when);
        add(id, b.to, "branch", label, p("branches", i, "to"));
      });
    }
    add(id, n.default, "default", t("edge.default"), p("default"));
    add(id, n.onError, "error", t("edge.error"), p("onError"));
    add(id, n.onTimeout, "timeout", t("edge.timeout"), p("onTimeout"));
  }
  const start = isRec(doc) && typeof doc.start === "string" && doc.start in nodesRec ? doc.start : undefined;
  return { nodes, edges, start };
}
