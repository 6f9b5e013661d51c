/**
 * The business steps of a scenario, on the scenario's virtual clock:
 * `evaluate` (any evaluable definition), `claim` and `release` (promotions,
 * against a claim store created for the run), `settle` (a rebate program; the
 * run's earlier statements of the program are its `previous`), `assign` (a
 * rollout, through a rollout controller with the scenario's clock) and
 * `report` (the rollout's experiment report). Each gives a result that the
 * step's `expect` matches as a subset, and a summary for the report.
 */
import { ArgumentError, ValidationError, type IssueCode } from "../core/errors.js";
import { catalogueIssue } from "../i18n/issues.js";
import { scenarioMessages } from "../i18n/messages/scenario.js";
import type { Clock } from "../core/clock.js";
import type { CompiledDefinition } from "../definitions.js";
import { createPromotionClaims, type ClaimOutcome } from "../promotions/claims.js";
import { createMemoryClaimStore } from "../promotions/memory-claim-store.js";
import { parseOrderLines } from "../rebates/order-lines.js";
import { settleRebates } from "../rebates/settle.js";
import type { RebateStatement } from "../rebates/statement.js";
import type { CompiledRebate } from "../rebates/program.js";
import type { DefinitionRegistry } from "../registry.js";
import { createRolloutController, type RolloutController } from "../rollouts/controller.js";
import { parseRolloutEventLines, parseRolloutEvents, type RolloutEvent } from "../rollouts/events.js";
import { createMemoryRolloutStore } from "../rollouts/memory-store.js";
import type { RolloutReport } from "../rollouts/report-types.js";
import type { RolloutResult } from "../rollouts/types.js";
import type { BusinessStep } from "../schema/scenario.js";
import { subsetMismatches } from "./subset.js";

/** The result of one business step, as the scenario report lists it under `results`. */
export type BusinessStepResult =
  | { step: number; kind: "evaluate"; at: string; definition: string; version: number; result: unknown }
  | { step: number; kind: "claim"; at: string; promotion: string; key: string; status: ClaimOutcome["status"]; value?: string | undefined; message?: string | undefined }
  | { step: number; kind: "release"; at: string; claim: string; status: string; amount?: string | undefined; message?: string | undefined }
  | {
      step: number;
      kind: "settle";
      at: string;
      program: string;
      period: string;
      sequence: number;
      versions: { version: number; lines: number; earned: string }[];
      totals: RebateStatement["totals"];
      accounts: { account: string; basis: string; earned: string; paid: string; due: string }[];
      adjustments: { key: string; period: string; type: string; due: string }[];
    }
  | { step: number; kind: "assign"; at: string; rollout: string; version: number; assignments: UnitAssignment[] }
  | {
      step: number;
      kind: "report";
      at: string;
      rollout: string;
      version: number;
      status: string;
      variants: { id: string; units: number }[];
      recommendation: string;
    };

/** One unit's assignment, as an `assign` step reports it. */
export interface UnitAssignment {
  unit: string | null;
  variant: string;
  inExperiment: boolean;
  reason: string;
}

/** What an `assign` step with `units` or `generate` gives its `expect`. */
export interface AssignmentCounts {
  /** Units assigned. */
  units: number;
  /** Units randomised into a variant (recorded as exposures). */
  inExperiment: number;
  /** Every unit's variant (units outside the experiment get the control's). */
  variants: Record<string, number>;
  /** In-experiment units per variant. */
  exposed: Record<string, number>;
  /** Units per reason (`assigned`, `sticky`, `not-targeted`, `not-ramped`, ...). */
  reasons: Record<string, number>;
  assignments: UnitAssignment[];
}

/** What running one business step gives. */
interface StepOutcome {
  ok: boolean;
  message?: string | undefined;
  result: BusinessStepResult;
}

/** Runs the business steps of one scenario run. @internal */
export interface BusinessSteps {
  run(step: BusinessStep, index: number): Promise<StepOutcome>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Whether a step is a business step. @internal */
export function isBusinessStep<S extends object>(step: S | BusinessStep): step is BusinessStep {
  return businessKindOf(step) !== undefined;
}

/** The kind of a business step, or undefined for a workflow step. @internal */
export function businessKindOf(step: object): BusinessStepResult["kind"] | undefined {
  for (const k of ["evaluate", "claim", "release", "settle", "assign", "report"] as const) if (k in step) return k;
  return undefined;
}

type MessageKey = keyof typeof scenarioMessages.messages.en;

function invalid(path: (string | number)[], key: MessageKey, params: Record<string, string>, code: IssueCode = "invalid_value"): ValidationError {
  return new ValidationError([catalogueIssue(scenarioMessages, key, path, params, code)], "scenario");
}

function expectOf(result: unknown, expected: unknown): { ok: boolean; message?: string } {
  if (expected === undefined) return { ok: true };
  const problems = subsetMismatches(expected, JSON.parse(JSON.stringify(result ?? null)));
  if (!problems.length) return { ok: true };
  const shown = problems.slice(0, 5).join("; ");
  return { ok: false, message: problems.length > 5 ? `${shown}; and ${problems.length - 5} more` : shown };
}

const fill = (value: unknown, n: string): unknown => {
  if (typeof value === "string") return value.replaceAll("{n}", n);
  if (Array.isArray(value)) return value.map((v) => fill(v, n));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, n)]));
  return value;
};

/**
 * Create the business-step runner of one scenario run.
 *
 * @param options - the run's registry and virtual clock, and how to read a file named in a step
 * @internal
 */
export function createBusinessSteps(options: { registry: DefinitionRegistry; clock: Pick<Clock, "now">; readFile?: ((path: string) => string) | undefined }): BusinessSteps {
  const { registry, clock } = options;
  const claims = createPromotionClaims({ store: createMemoryClaimStore() });
  const claimKeys = new Set<string>();
  const statements = new Map<string, RebateStatement[]>();
  let controller: RolloutController | undefined;
  const registered = new Map<string, number>();

  const read = (file: string, path: (string | number)[]): string => {
    if (!options.readFile) throw invalid(path, "fileNeedsReader", { file });
    try {
      return options.readFile(file);
    } catch (e) {
      throw invalid(path, "unreadableFile", { file, error: e instanceof Error ? e.message : String(e) });
    }
  };

  const definitionOf = <K extends CompiledDefinition["kind"]>(id: string, kind: K, path: (string | number)[]): Extract<CompiledDefinition, { kind: K }>[] => {
    const versions = registry.versions(id);
    if (!versions.length) throw invalid(path, "noDefinition", { kind, id, known: registry.ids().join(", ") || "-" }, "unknown_definition");
    if (versions[0]!.kind !== kind) throw invalid(path, "wrongKind", { id, actual: versions[0]!.kind, kind }, "unknown_definition");
    return versions as Extract<CompiledDefinition, { kind: K }>[];
  };

  // A rollout's versions reach the controller as they take effect on the virtual clock:
  // every version up to the one effective now, in order (a later version is an update).
  const rollouts = async (id: string, at: string, path: (string | number)[]): Promise<RolloutController> => {
    const versions = definitionOf(id, "rollout", path);
    controller ??= createRolloutController({ store: createMemoryRolloutStore(), clock });
    const effective = registry.resolve(id, at).version;
    for (const v of versions) {
      if (v.version > effective || v.version <= (registered.get(id) ?? 0)) continue;
      await controller.register(v.document, { actor: "scenario" });
      registered.set(id, v.version);
    }
    return controller;
  };

  const orderLines = (lines: string | Record<string, unknown>[], index: number): unknown[] => {
    if (typeof lines !== "string") return lines;
    try {
      return parseOrderLines(read(lines, ["steps", index, "lines"]), { source: lines });
    } catch (e) {
      if (e instanceof ArgumentError) throw invalid(["steps", index, "lines"], "badRecords", { error: e.message });
      throw e;
    }
  };

  const events = (input: string | Record<string, unknown>[], index: number): RolloutEvent[] => {
    const parsed = typeof input === "string" ? parseRolloutEventLines(read(input, ["steps", index, "events"])) : parseRolloutEvents(input);
    if (parsed.issues.length) {
      const where = typeof input === "string" ? `${input}: line ` : "events";
      const first = parsed.issues[0]!;
      const at = typeof input === "string" ? `${where}${String(first.path[0])}${first.path.length > 1 ? ` (${first.path.slice(1).join(".")})` : ""}` : `${where}[${first.path.join("][")}]`;
      throw invalid(["steps", index, "events"], "badRecords", { error: `${at}: ${first.message}${parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more problem(s))` : ""}` });
    }
    return parsed.events;
  };

  return {
    async run(step, i) {
      const at = iso(clock.now());
      if ("evaluate" in step) {
        if (!registry.versions(step.evaluate).length) {
          throw invalid(["steps", i, "evaluate"], "noDefinition", { kind: "definition", id: step.evaluate, known: registry.ids().join(", ") || "-" }, "unknown_definition");
        }
        const result = registry.evaluate(step.evaluate, step.facts, { at });
        const version = (result as { version?: unknown }).version;
        return { ...expectOf(result, step.expect), result: { step: i, kind: "evaluate", at, definition: step.evaluate, version: typeof version === "number" ? version : 0, result } };
      }
      if ("claim" in step) {
        definitionOf(step.claim, "promotion", ["steps", i, "claim"]);
        const promotion = registry.resolve(step.claim, at) as Extract<CompiledDefinition, { kind: "promotion" }>;
        const key = step.key ?? `step-${i}`;
        const outcome = await claims.claim(promotion, step.facts, { idempotencyKey: key, at });
        claimKeys.add(key);
        const value = outcome.status === "claimed" || outcome.status === "replayed" ? outcome.data.value : undefined;
        const message = "message" in outcome ? outcome.message : undefined;
        return {
          ...expectOf(outcome, step.expect),
          result: { step: i, kind: "claim", at, promotion: promotion.id, key, status: outcome.status, ...(value === undefined ? {} : { value }), ...(message === undefined ? {} : { message }) },
        };
      }
      if ("release" in step) {
        if (!claimKeys.has(step.release)) {
          throw invalid(["steps", i, "release"], "unknownClaim", { key: step.release, known: [...claimKeys].join(", ") || "-" });
        }
        const outcome = await claims.release(step.release, { at, reason: step.reason });
        return {
          ...expectOf(outcome, step.expect),
          result: {
            step: i,
            kind: "release",
            at,
            claim: step.release,
            status: outcome.status,
            ...(outcome.status === "released" ? { amount: outcome.released.amount } : {}),
            ...("message" in outcome ? { message: outcome.message } : {}),
          },
        };
      }
      if ("settle" in step) {
        const program: CompiledRebate[] = definitionOf(step.settle, "rebate", ["steps", i, "settle"]);
        const lines = orderLines(step.lines, i);
        const previous = statements.get(step.settle) ?? [];
        const statement = settleRebates({ program, lines, period: step.period, at, previous, definitions: registry, ...(step.priorBasis ? { priorBasis: step.priorBasis } : {}) });
        statements.set(step.settle, [...previous, statement]);
        return {
          ...expectOf(statement, step.expect),
          result: {
            step: i,
            kind: "settle",
            at,
            program: statement.program,
            period: statement.period,
            sequence: statement.sequence,
            versions: statement.versions.map((v) => ({ version: v.version, lines: v.lines, earned: v.earned })),
            totals: statement.totals,
            accounts: statement.accounts.map((a) => ({ account: a.account, basis: a.basis, earned: a.earned, paid: a.paid, due: a.due })),
            adjustments: statement.adjustments.map((a) => ({ key: a.key, period: a.period, type: a.type, due: a.due })),
          },
        };
      }
      if ("assign" in step) {
        const c = await rollouts(step.assign, at, ["steps", i, "assign"]);
        const many = step.units !== undefined || step.generate !== undefined;
        if (many === (step.facts !== undefined)) throw invalid(["steps", i], "assignUnits", {});
        const version = (await c.current(step.assign)).version;
        const one = (r: RolloutResult): UnitAssignment => ({ unit: r.unit, variant: r.variant, inExperiment: r.inExperiment, reason: r.explanation.reason });
        if (!many) {
          const r = await c.assign(step.assign, step.facts);
          return { ...expectOf(r, step.expect), result: { step: i, kind: "assign", at, rollout: step.assign, version: r.version, assignments: [one(r)] } };
        }
        const facts: unknown[] = [...(step.units ?? [])];
        for (const g of step.generate ?? []) for (let n = g.from; n < g.from + g.count; n++) facts.push(fill(g.facts, String(n).padStart(g.pad, "0")));
        const counts: AssignmentCounts = { units: 0, inExperiment: 0, variants: {}, exposed: {}, reasons: {}, assignments: [] };
        for (const f of facts) {
          const a = one(await c.assign(step.assign, f));
          counts.units++;
          counts.variants[a.variant] = (counts.variants[a.variant] ?? 0) + 1;
          counts.reasons[a.reason] = (counts.reasons[a.reason] ?? 0) + 1;
          if (a.inExperiment) {
            counts.inExperiment++;
            counts.exposed[a.variant] = (counts.exposed[a.variant] ?? 0) + 1;
          }
          counts.assignments.push(a);
        }
        return { ...expectOf(counts, step.expect), result: { step: i, kind: "assign", at, rollout: step.assign, version, assignments: counts.assignments } };
      }
      const c = await rollouts(step.report, at, ["steps", i, "report"]);
      const report: RolloutReport = await c.report(step.report, events(step.events, i));
      return {
        ...expectOf(report, step.expect),
        result: {
          step: i,
          kind: "report",
          at,
          rollout: report.rollout.id,
          version: report.rollout.version,
          status: report.rollout.status,
          variants: report.variants.map((v) => ({ id: v.id, units: v.units })),
          recommendation: report.recommendation.action,
        },
      };
    },
  };
}
