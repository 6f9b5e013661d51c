/**
 * From a scenario report (the engine's `runScenario` result) to what the
 * timeline draws: events by instance, notifications by recipient, timers
 * classified as reminders or SLA breaches, and the calendar for business
 * time. Pure.
 */
import { compileCalendar, type ScenarioReport } from "@ruleflow/engine";
import { BUILTIN_CALENDAR_IDS, getBuiltinCalendar, type BusinessCalendar, type BuiltinCalendarId } from "@ruleflow/engine/calendar";

/** What a timeline event is. */
export type EventKind = "notification" | "timer" | "breach";

/** One thing that happened, at a time. */
export interface TimelineEvent {
  at: number;
  kind: EventKind;
  /** The instance's name in the report (the scenario's alias when it gave one). */
  instance: string;
  /** A notification's template; a timer's key (`esc:countersign`). */
  name: string;
  /** A notification's `to` spec. */
  to?: string;
  /** A notification's resolved recipients. */
  recipients: string[];
  /** For timers: the node and, for escalations, the step's action (`remind`, `escalate`, ...). */
  node?: string;
  action?: string;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/** The escalation actions that mean a deadline was missed (an SLA breach): everything but reminders and notices. */
const BREACH_ACTIONS = new Set(["escalate", "reassign", "auto-approve", "auto-reject"]);

/** The workflow document with this id among `definitions` (the newest version). */
function workflowOf(definitions: readonly unknown[], id: string): Rec | undefined {
  let best: Rec | undefined;
  for (const d of definitions) {
    if (isRec(d) && d.kind === "workflow" && d.id === id && (!best || Number(d.version) > Number(best.version))) best = d;
  }
  return best;
}

/**
 * Classify a fired timer with the workflow's definition: the n-th firing of
 * `esc:<node>` is the n-th entry of the node's ladder with each `remind`
 * counted `1 + repeat` times; an escalation that escalates, reassigns or
 * decides is an SLA breach, as is a wait's timeout (`wait:<node>` on a wait
 * for an event). Without the definition a timer stays a timer.
 */
function classifyTimer(workflow: Rec | undefined, key: string, occurrence: number): { kind: EventKind; node?: string; action?: string } {
  const colon = key.indexOf(":");
  const prefix = colon < 0 ? key : key.slice(0, colon);
  const node = colon < 0 ? undefined : key.slice(colon + 1);
  const spec = node && workflow && isRec(workflow.nodes) && isRec(workflow.nodes[node]) ? workflow.nodes[node] : undefined;
  if (prefix === "esc" && spec && Array.isArray(spec.escalation)) {
    const firings = spec.escalation.flatMap((s) => (isRec(s) ? Array<Rec>(1 + (s.action === "remind" && typeof s.repeat === "number" ? s.repeat : 0)).fill(s) : []));
    const step = firings[occurrence];
    const action = typeof step?.action === "string" ? step.action : undefined;
    return { kind: action && BREACH_ACTIONS.has(action) ? "breach" : "timer", ...(node ? { node } : {}), ...(action ? { action } : {}) };
  }
  if (prefix === "wait" && spec && typeof spec.event === "string") return { kind: "breach", ...(node ? { node } : {}), action: "timeout" };
  return { kind: "timer", ...(node ? { node } : {}) };
}

/** Every notification and fired timer of a report as events, in time order (stable). */
export function eventsOf(report: ScenarioReport, definitions: readonly unknown[] = []): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const n of report.notifications) {
    events.push({ at: Date.parse(n.at), kind: "notification", instance: n.instance, name: n.template, to: n.to, recipients: [...n.recipients] });
  }
  const seen = new Map<string, number>();
  for (const t of report.timers) {
    const k = `${t.instance}\u0000${t.key}`;
    const occurrence = seen.get(k) ?? 0;
    seen.set(k, occurrence + 1);
    const workflowId = report.instances[t.instance]?.workflow;
    const c = classifyTimer(workflowId ? workflowOf(definitions, workflowId) : undefined, t.key, occurrence);
    events.push({ at: Date.parse(t.at), instance: t.instance, name: t.key, recipients: [], ...c });
  }
  return events.map((e, i) => [e, i] as const).sort((a, b) => a[0].at - b[0].at || a[1] - b[1]).map(([e]) => e);
}

/** The instances of a report in the order they first appear (report order, then events). */
export function instancesOf(report: ScenarioReport, events: readonly TimelineEvent[]): string[] {
  const out = new Set(Object.keys(report.instances));
  for (const e of events) out.add(e.instance);
  return [...out].sort((a, b) => firstAt(events, a) - firstAt(events, b));
}
const firstAt = (events: readonly TimelineEvent[], instance: string): number => events.find((e) => e.instance === instance)?.at ?? Infinity;

/** Notification events by recipient (each recipient of a notification gets it), recipients sorted. */
export function byRecipient(events: readonly TimelineEvent[]): Map<string, TimelineEvent[]> {
  const out = new Map<string, TimelineEvent[]>();
  for (const e of events) {
    if (e.kind !== "notification") continue;
    for (const r of e.recipients.length ? e.recipients : [e.to ?? "?"]) out.set(r, [...(out.get(r) ?? []), e]);
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The calendar for business time: the one given, else the `calendar` of the
 * first workflow of the report's instances found in `definitions` (a
 * calendar document among `definitions`, or a built-in calendar). The report
 * itself does not name a calendar, so without definitions there is none.
 */
export function calendarFor(report: ScenarioReport, definitions: readonly unknown[] = [], given?: BusinessCalendar | string): BusinessCalendar | undefined {
  const resolve = (id: string): BusinessCalendar | undefined => {
    const doc = definitions.find((d) => isRec(d) && d.kind === "calendar" && d.id === id);
    if (doc) return compileCalendar(doc as Parameters<typeof compileCalendar>[0]);
    return (BUILTIN_CALENDAR_IDS as readonly string[]).includes(id) ? getBuiltinCalendar(id as BuiltinCalendarId) : undefined;
  };
  if (given !== undefined) return typeof given === "string" ? resolve(given) : given;
  for (const inst of Object.values(report.instances)) {
    const wf = workflowOf(definitions, inst.workflow);
    if (wf && typeof wf.calendar === "string") return resolve(wf.calendar);
  }
  return undefined;
}
