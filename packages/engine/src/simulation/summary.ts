/**
 * The summary of a bulk simulation, aggregated as the run goes: counts, and
 * for each node the durations of its visits in a growable array of numbers
 * (8 bytes a visit: 10,000 instances a year are a few hundred kilobytes).
 * Nothing is kept per instance once it has finished; no audit record or
 * notification is copied.
 */

/** Percentiles of durations, in hours (rounded to 0.01 h). */
export interface DurationStats {
  /** How many durations. */
  count: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

/** One node of a workflow in the summary. */
export interface NodeSummary {
  /** Visits that began (an instance entering the node). */
  entered: number;
  /** Visits that ended: the instance left the node (approved, rejected, timed out...). */
  decided: number;
  /** Visits still waiting at the end of the run. */
  open: number;
  /** Time to decision of the decided visits, in hours. */
  hours: DurationStats;
  /** The same in business hours, when a calendar applies. */
  businessHours?: DurationStats | undefined;
  /** How the visits ended: the event (`approve`, `reject`...) or, for a timer, the escalation action (`auto-reject`) or `timeout`. */
  exits: Record<string, number>;
  /** Visits during which at least one escalation timer fired. */
  escalated: number;
  /** With an SLA for the node: the limit and the visits that took longer (open ones included once past it). */
  sla?: { limit: string; business: boolean; breaches: number } | undefined;
}

/** One escalation step of a workflow and how often it fired. */
export interface EscalationSummary {
  node: string;
  /** The step's index in the node's `escalation` list. */
  step: number;
  action: string;
  /** The step's `to`, as written (a role, a user...), when it has one. */
  to?: string | undefined;
  /** The seats it covers (`for`), as written. */
  for?: string | undefined;
  fired: number;
}

/** One workflow in the summary. */
export interface WorkflowSummary {
  started: number;
  finished: number;
  running: number;
  /** Instances by status at the end (`completed`, `running`, `failed`...). */
  statuses: Record<string, number>;
  /** Finished instances by outcome (`approved`, `rejected`...). */
  outcomes: Record<string, number>;
  /** Start to finish of the finished instances, in hours. */
  cycleHours: DurationStats;
  cycleBusinessHours?: DurationStats | undefined;
  /** With an instance SLA: the limit and the instances that took longer (running ones included once past it). */
  sla?: { limit: string; business: boolean; breaches: number } | undefined;
  /** The nodes where instances waited (decision, branch and end nodes pass at once and are not listed). */
  nodes: Record<string, NodeSummary>;
  escalations: EscalationSummary[];
}

/** The summary a bulk simulation reports (`report.summary`). */
export interface SimulationSummary {
  /** The dates generated: the earliest `from` and the latest `until`. */
  from: string;
  until: string;
  /** When the summary was made: the virtual clock at the end of the run. */
  at: string;
  instances: {
    started: number;
    finished: number;
    running: number;
    /** Starts the engine refused (see `errors`). */
    failedToStart: number;
    statuses: Record<string, number>;
    outcomes: Record<string, number>;
  };
  workflows: Record<string, WorkflowSummary>;
  escalations: {
    fired: number;
    byAction: Record<string, number>;
    /** By the step's `to` (the role or user escalated to); reminders without `to` under `assignees`; auto-approve and auto-reject are not here. */
    byRole: Record<string, number>;
  };
  sla: {
    /** Node visits and instances that took longer than their SLA. */
    breaches: number;
    /** Node visits during which an escalation timer fired. */
    escalatedVisits: number;
  };
  notifications: {
    sent: number;
    /** Per user id the notification reached. */
    byRecipient: Record<string, number>;
    byTemplate: Record<string, number>;
  };
  /** What the simulated approvers did: acted (approve, reject), drew no action (idle), or acted after the request had moved on (refused). */
  actors: { approve: number; reject: number; idle: number; refused: number };
  /**
   * Errors of the run itself (a start the engine refused, an approver's action
   * that failed for another reason than the request having moved on): how
   * many, and the first ten messages. A `generate` step with errors fails.
   */
  errors: { count: number; first: string[] };
  /** The first ten instances that ended with status `failed`, each with the engine's reason (`statuses.failed` counts them all). */
  failures: string[];
}

/** A growable array of numbers. @internal */
export class Samples {
  #values = new Float64Array(16);
  #n = 0;

  get count(): number {
    return this.#n;
  }

  push(x: number): void {
    if (this.#n === this.#values.length) {
      const bigger = new Float64Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.#n++] = x;
  }

  /** Percentiles (nearest rank) of the values divided by `unit`, rounded to two decimals. */
  stats(unit: number): DurationStats {
    const n = this.#n;
    if (n === 0) return { count: 0, p50: 0, p90: 0, p99: 0, mean: 0, max: 0 };
    const sorted = this.#values.slice(0, n).sort();
    const r = (x: number): number => Math.round((x / unit) * 100) / 100;
    const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * n) - 1)]!;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sorted[i]!;
    return { count: n, p50: r(rank(50)), p90: r(rank(90)), p99: r(rank(99)), mean: r(sum / n), max: r(sorted[n - 1]!) };
  }
}

const HOUR = 3_600_000;

/** Add one to a count in a record. */
function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

/** A copy of a record with its keys sorted (reports list keys in order). */
function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]!]));
}

interface NodeAggregate {
  entered: number;
  decided: number;
  wall: Samples;
  business: Samples | undefined;
  exits: Record<string, number>;
  escalated: number;
  sla: { limit: string; business: boolean } | undefined;
  breaches: number;
}

interface WorkflowAggregate {
  started: number;
  finished: number;
  statuses: Record<string, number>;
  outcomes: Record<string, number>;
  cycleWall: Samples;
  cycleBusiness: Samples | undefined;
  sla: { limit: string; business: boolean } | undefined;
  breaches: number;
  nodes: Map<string, NodeAggregate>;
  escalations: Map<string, EscalationSummary>;
}

/** A visit still open at the end of the run, as the summary counts it. @internal */
export interface OpenVisit {
  workflow: string;
  node: string;
  /** Whether it is past its SLA by the end of the run. */
  breached: boolean;
}

/** The streaming aggregate behind {@link SimulationSummary}. @internal */
export class SummaryCollector {
  readonly #workflows = new Map<string, WorkflowAggregate>();
  #from = "";
  #until = "";
  #failedToStart = 0;
  readonly #escalationsByAction: Record<string, number> = {};
  readonly #escalationsByRole: Record<string, number> = {};
  #escalationsFired = 0;
  #escalatedVisits = 0;
  #notifications = 0;
  readonly #byRecipient: Record<string, number> = {};
  readonly #byTemplate: Record<string, number> = {};
  readonly actors = { approve: 0, reject: 0, idle: 0, refused: 0 };
  #errors = 0;
  readonly #firstErrors: string[] = [];
  readonly #failures: string[] = [];

  /** Widen the window the summary covers. */
  window(from: string, until: string): void {
    if (!this.#from || from < this.#from) this.#from = from;
    if (!this.#until || until > this.#until) this.#until = until;
  }

  #workflow(id: string, withBusiness: boolean): WorkflowAggregate {
    let w = this.#workflows.get(id);
    if (!w) {
      w = {
        started: 0,
        finished: 0,
        statuses: {},
        outcomes: {},
        cycleWall: new Samples(),
        cycleBusiness: withBusiness ? new Samples() : undefined,
        sla: undefined,
        breaches: 0,
        nodes: new Map(),
        escalations: new Map(),
      };
      this.#workflows.set(id, w);
    }
    return w;
  }

  #node(w: WorkflowAggregate, node: string, withBusiness: boolean): NodeAggregate {
    let n = w.nodes.get(node);
    if (!n) {
      n = { entered: 0, decided: 0, wall: new Samples(), business: withBusiness ? new Samples() : undefined, exits: {}, escalated: 0, sla: undefined, breaches: 0 };
      w.nodes.set(node, n);
    }
    return n;
  }

  /** Declare a workflow (and its SLAs) before its first instance, so it is listed even when nothing starts. */
  declare(workflow: string, options: { business: boolean; sla?: { nodes: Record<string, string>; instance?: string | undefined; business: boolean } | undefined }): void {
    const w = this.#workflow(workflow, options.business);
    if (options.sla?.instance !== undefined) w.sla = { limit: options.sla.instance, business: options.sla.business };
    for (const [node, limit] of Object.entries(options.sla?.nodes ?? {})) this.#node(w, node, options.business).sla = { limit, business: options.sla!.business };
  }

  started(workflow: string): void {
    this.#workflow(workflow, false).started++;
  }

  /** An instance ended with status `failed`: the first messages are kept with the errors' (it is not itself an error of the run). */
  failed(message: string): void {
    if (this.#failures.length < 10) this.#failures.push(message);
  }

  failedToStart(message: string): void {
    this.#failedToStart++;
    this.error(message);
  }

  error(message: string): void {
    this.#errors++;
    if (this.#firstErrors.length < 10) this.#firstErrors.push(message);
  }

  /** How many errors so far. */
  get errorCount(): number {
    return this.#errors;
  }

  /** The errors after the first `before`: how many, and up to three of their messages (those among the first ten kept). */
  errorsSince(before: number): { count: number; first: string[] } {
    return { count: this.#errors - before, first: this.#firstErrors.slice(before, before + 3) };
  }

  entered(workflow: string, node: string, business: boolean): void {
    this.#node(this.#workflow(workflow, business), node, business).entered++;
  }

  /** A visit ended after `wallMs` (and `businessMs` of working time), how, whether it escalated and breached. */
  decided(workflow: string, node: string, visit: { wallMs: number; businessMs?: number | undefined; exit: string; escalated: boolean; breached: boolean }): void {
    const n = this.#node(this.#workflow(workflow, visit.businessMs !== undefined), node, visit.businessMs !== undefined);
    n.decided++;
    n.wall.push(visit.wallMs);
    if (visit.businessMs !== undefined) (n.business ??= new Samples()).push(visit.businessMs);
    bump(n.exits, visit.exit);
    if (visit.escalated) {
      n.escalated++;
      this.#escalatedVisits++;
    }
    if (visit.breached) n.breaches++;
  }

  /** An escalation step fired. */
  escalation(workflow: string, e: Omit<EscalationSummary, "fired">): void {
    const w = this.#workflow(workflow, false);
    const key = `${e.node}\u0000${e.step}`;
    const row = w.escalations.get(key) ?? { ...e, fired: 0 };
    row.fired++;
    w.escalations.set(key, row);
    this.#escalationsFired++;
    bump(this.#escalationsByAction, e.action);
    if (e.to !== undefined) bump(this.#escalationsByRole, e.to);
    else if (e.action === "remind") bump(this.#escalationsByRole, "assignees");
  }

  /** An instance finished after `wallMs`. */
  finished(workflow: string, status: string, outcome: string | undefined, cycle: { wallMs: number; businessMs?: number | undefined; breached: boolean }): void {
    const w = this.#workflow(workflow, cycle.businessMs !== undefined);
    w.finished++;
    bump(w.statuses, status);
    if (outcome !== undefined) bump(w.outcomes, outcome);
    w.cycleWall.push(cycle.wallMs);
    if (cycle.businessMs !== undefined) (w.cycleBusiness ??= new Samples()).push(cycle.businessMs);
    if (cycle.breached) w.breaches++;
  }

  notification(template: string, recipients: readonly string[]): void {
    this.#notifications++;
    bump(this.#byTemplate, template);
    for (const r of recipients) bump(this.#byRecipient, r);
  }

  /**
   * The summary as of `at`, counting the visits and instances still open.
   *
   * @param at - the virtual time (ISO) the summary is made at
   * @param open - the visits still waiting, and for each running instance its workflow and whether it is past its SLA
   */
  summary(at: string, open: { visits: readonly OpenVisit[]; running: readonly { workflow: string; breached: boolean }[] }): SimulationSummary {
    const openVisits = new Map<string, { count: number; breached: number }>();
    for (const v of open.visits) {
      const key = `${v.workflow}\u0000${v.node}`;
      const o = openVisits.get(key) ?? { count: 0, breached: 0 };
      o.count++;
      if (v.breached) o.breached++;
      openVisits.set(key, o);
    }
    const runningBy = new Map<string, { count: number; breached: number }>();
    for (const r of open.running) {
      const o = runningBy.get(r.workflow) ?? { count: 0, breached: 0 };
      o.count++;
      if (r.breached) o.breached++;
      runningBy.set(r.workflow, o);
    }
    let breaches = 0;
    const workflows: Record<string, WorkflowSummary> = {};
    const statuses: Record<string, number> = {};
    const outcomes: Record<string, number> = {};
    let started = 0;
    let finished = 0;
    for (const id of [...this.#workflows.keys()].sort()) {
      const w = this.#workflows.get(id)!;
      const running = runningBy.get(id) ?? { count: 0, breached: 0 };
      const wStatuses: Record<string, number> = { ...w.statuses };
      if (running.count) bump(wStatuses, "running", running.count);
      const nodes: Record<string, NodeSummary> = {};
      for (const name of [...w.nodes.keys()].sort()) {
        const n = w.nodes.get(name)!;
        const o = openVisits.get(`${id}\u0000${name}`) ?? { count: 0, breached: 0 };
        const nodeBreaches = n.breaches + o.breached;
        if (n.sla) breaches += nodeBreaches;
        nodes[name] = {
          entered: n.entered,
          decided: n.decided,
          open: o.count,
          hours: n.wall.stats(HOUR),
          ...(n.business ? { businessHours: n.business.stats(HOUR) } : {}),
          exits: sorted(n.exits),
          escalated: n.escalated,
          ...(n.sla ? { sla: { ...n.sla, breaches: nodeBreaches } } : {}),
        };
      }
      const wBreaches = w.breaches + running.breached;
      if (w.sla) breaches += wBreaches;
      workflows[id] = {
        started: w.started,
        finished: w.finished,
        running: running.count,
        statuses: sorted(wStatuses),
        outcomes: sorted(w.outcomes),
        cycleHours: w.cycleWall.stats(HOUR),
        ...(w.cycleBusiness ? { cycleBusinessHours: w.cycleBusiness.stats(HOUR) } : {}),
        ...(w.sla ? { sla: { ...w.sla, breaches: wBreaches } } : {}),
        nodes,
        escalations: [...w.escalations.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : a.step - b.step)),
      };
      started += w.started;
      finished += w.finished;
      for (const [k, v] of Object.entries(wStatuses)) bump(statuses, k, v);
      for (const [k, v] of Object.entries(w.outcomes)) bump(outcomes, k, v);
    }
    return {
      from: this.#from,
      until: this.#until,
      at,
      instances: { started, finished, running: open.running.length, failedToStart: this.#failedToStart, statuses: sorted(statuses), outcomes: sorted(outcomes) },
      workflows,
      escalations: { fired: this.#escalationsFired, byAction: sorted(this.#escalationsByAction), byRole: sorted(this.#escalationsByRole) },
      sla: { breaches, escalatedVisits: this.#escalatedVisits },
      notifications: { sent: this.#notifications, byRecipient: sorted(this.#byRecipient), byTemplate: sorted(this.#byTemplate) },
      actors: { ...this.actors },
      errors: { count: this.#errors, first: [...this.#firstErrors] },
      failures: [...this.#failures],
    };
  }
}
