/**
 * Meaning checks of a workflow document that need no compiled parts: node
 * references, joins, escalation targets, business time without a calendar,
 * vote settings, decision and wait nodes. They run as part of the shape check
 * (a zod check that runs even when other fields are malformed), so one bad
 * duration does not hide a misspelled route: every problem is reported at once.
 * The input may be any JSON, so every field is looked at defensively.
 */
import type { Issue } from "../core/errors.js";
import { catalogueIssue } from "../i18n/issues.js";
import { workflowMessages as M } from "../i18n/messages/workflow.js";

type Path = (string | number)[];
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** The near miss of `name` among `names`, if any. */
function nearest(name: string, names: readonly string[]): string | undefined {
  let best = "";
  let score = Infinity;
  for (const n of names) {
    const d = distance(name.toLowerCase(), n.toLowerCase());
    if (d < score) [best, score] = [n, d];
  }
  return score <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Node references of a node-like object: `{ to, path }` for every string target. */
function references(id: string, node: Obj): { to: string; path: Path }[] {
  const out: { to: string; path: Path }[] = [];
  const ref = (value: unknown, ...rest: Path): void => {
    if (typeof value === "string") out.push({ to: value, path: ["nodes", id, ...rest] });
  };
  for (const key of ["onApprove", "onReject", "next", "onError", "onTimeout", "default", "join"]) ref(node[key], key);
  if (node["type"] === "decision" && isObj(node["routes"])) for (const [k, v] of Object.entries(node["routes"])) ref(v, "routes", k);
  if (node["type"] === "branch" && Array.isArray(node["branches"])) node["branches"].forEach((b, i) => isObj(b) && ref(b["to"], "branches", i, "to"));
  return out;
}

const LADDER_TYPES = new Set(["approval", "task", "wait"]);

/**
 * Every meaning problem of a (possibly malformed) workflow document that can
 * be found without compiling expressions.
 * @internal
 */
export function workflowDocumentIssues(doc: unknown): Issue[] {
  const issues: Issue[] = [];
  if (!isObj(doc) || !isObj(doc["nodes"])) return issues;
  const nodes = doc["nodes"];
  const ids = Object.keys(nodes);
  const has = (id: string): boolean => Object.hasOwn(nodes, id);
  const hasCalendar = typeof doc["calendar"] === "string" && doc["calendar"] !== "";
  const start = str(doc["start"]);
  if (start !== undefined && !has(start)) issues.push(catalogueIssue(M, "unknownStart", ["start"], { node: start, "nodes[]": JSON.stringify(ids) }, "unknown_node"));

  for (const [id, node] of Object.entries(nodes)) {
    if (!isObj(node)) continue;
    const p = (...rest: Path): Path => ["nodes", id, ...rest];
    const type = node["type"];
    for (const t of references(id, node)) {
      if (has(t.to)) continue;
      const suggestion = nearest(t.to, ids);
      issues.push(catalogueIssue(M, suggestion ? "unknownNodeSuggest" : "unknownNode", t.path, suggestion ? { node: t.to, suggestion } : { node: t.to }, "unknown_node"));
    }
    switch (type) {
      case "approval":
        if ((node["mode"] ?? "sequential") === "vote" && node["vote"] === undefined) {
          issues.push(catalogueIssue(M, "missingVote", p("vote"), {}, "missing_vote"));
        }
        break;
      case "decision":
        if ((node["ruleset"] === undefined) === (node["table"] === undefined)) {
          issues.push(catalogueIssue(M, "invalidDecision", p(), {}, "invalid_decision"));
        }
        break;
      case "branch": {
        const mode = node["mode"] ?? "exclusive";
        const join = str(node["join"]);
        if (mode === "exclusive" && join !== undefined) issues.push(catalogueIssue(M, "exclusiveJoin", p("join"), {}, "invalid_join"));
        if ((mode === "parallel" || mode === "inclusive") && node["join"] === undefined) {
          issues.push(catalogueIssue(M, "missingJoin", p("join"), { mode: String(mode) }, "missing_join"));
        }
        if (mode !== "exclusive" && join !== undefined && has(join) && isObj(nodes[join]) && nodes[join]["type"] !== "join") {
          issues.push(catalogueIssue(M, "notAJoin", p("join"), { node: join, type: String(nodes[join]["type"]) }, "invalid_join"));
        }
        break;
      }
      case "wait":
        if (node["event"] === undefined && node["after"] === undefined && node["until"] === undefined) {
          issues.push(catalogueIssue(M, "invalidWait", p(), {}, "invalid_wait"));
        }
        if (node["business"] === true && !hasCalendar) issues.push(catalogueIssue(M, "missingCalendar", p("business"), {}, "missing_calendar"));
        break;
    }
    if (LADDER_TYPES.has(String(type)) && Array.isArray(node["escalation"])) {
      node["escalation"].forEach((s, i) => {
        if (!isObj(s)) return;
        const action = s["action"];
        if ((action === "escalate" || action === "reassign") && s["to"] === undefined) {
          issues.push(catalogueIssue(M, "missingTarget", p("escalation", i, "to"), { action: String(action) }, "missing_target"));
        }
        if (s["for"] !== undefined && action !== "escalate" && action !== "reassign") {
          issues.push(catalogueIssue(M, "forOnlyEscalation", p("escalation", i, "for"), { action: String(action) }, "invalid_for"));
        }
        if (s["for"] !== undefined && type !== "approval") {
          issues.push(catalogueIssue(M, "forOnlyApproval", p("escalation", i, "for"), { type: String(type) }, "invalid_for"));
        }
        if (s["business"] === true && !hasCalendar) issues.push(catalogueIssue(M, "missingCalendar", p("escalation", i, "business"), {}, "missing_calendar"));
      });
    }
  }
  return issues;
}
