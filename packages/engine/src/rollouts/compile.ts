/**
 * Rollout documents -> compiled assigners. Everything that does not depend
 * on the unit is done here once: condition closures, shares, live ranges per
 * ramp step, pilot lookup. Evaluating is then a few hash rounds and a scan of
 * a handful of ranges.
 */
import { compileNode, isKnownFact, makeScope, type CompileContext, type ConditionTrace } from "../conditions/compile.js";
import { EvaluationError } from "../errors.js";
import type { Scope } from "../expr/compile.js";
import { parseInstant, readPath, splitPath } from "../expr/values.js";
import type { RolloutDocument } from "../schema/rollout.js";
import { checkRollout } from "./check.js";
import { firstFailure, MESSAGES, type MessageParts } from "./explain.js";
import { bucketOf, unitKey } from "./hash.js";
import { findRange, liveRanges, type BucketRange, type LiveRange } from "./layout.js";
import type { AssignmentExplanation, AssignmentReason, CompiledRollout, CompiledSwitch, CompiledVariant, RolloutResult } from "./types.js";

type Run = (scope: Scope, nowMs: number) => boolean;

function compileUnitPath(doc: RolloutDocument, ctx: CompileContext): string[] {
  const segs = splitPath(doc.unit);
  if (typeof segs === "string") {
    ctx.issues.push({ code: "invalid_fact", path: ["unit"], message: segs });
    return [];
  }
  if (!isKnownFact(ctx.knownFacts, segs)) {
    ctx.issues.push({ code: "unknown_fact", path: ["unit"], message: `unknown fact "${doc.unit}"; declared facts are ${[...ctx.knownFacts!].join(", ")}` });
  }
  return segs;
}

/** The ramp as epoch-ms steps, each with its live ranges. */
function compileRamp(doc: RolloutDocument, layout: { share: number; slots?: readonly (readonly [number, number])[] | undefined }[]) {
  const full = { atMs: -Infinity, percent: 100, ranges: liveRanges(layout, 1) };
  if (!doc.ramp) return { steps: [full], first: undefined as string | undefined };
  const steps = [{ atMs: -Infinity, percent: 0, ranges: [] as LiveRange[] }];
  for (const s of doc.ramp) steps.push({ atMs: parseInstant(s.at)!, percent: s.percent, ranges: liveRanges(layout, s.percent / 100) });
  return { steps, first: doc.ramp[0]?.at };
}

/**
 * Compile a validated rollout document; problems go to `ctx.issues`.
 * @internal
 */
export function compileRolloutInto(doc: RolloutDocument, ctx: CompileContext): CompiledRollout {
  checkRollout(doc, ctx.issues);
  const { id, version, status } = doc;
  const unitSegs = compileUnitPath(doc, ctx);
  const targeting = doc.targeting ? compileNode(doc.targeting, ctx, ["targeting"]) : undefined;
  // KPI conditions read KPI facts, not unit facts: no declared-facts check for them.
  const kpiCtx: CompileContext = { issues: ctx.issues, knownFacts: undefined };
  const total = doc.variants.reduce((s, v) => s + v.weight, 0);
  const variants: CompiledVariant[] = doc.variants.map((v, index) => ({ id: v.id, index, share: total > 0 ? v.weight / total : 0, value: v.value }));
  const byId = new Map(variants.map((v) => [v.id, v]));
  const control = byId.get(doc.control ?? "") ?? variants[0]!;
  const winner = byId.get(doc.winner ?? "") ?? control;
  const salt = doc.salt ?? id;
  const { steps, first } = compileRamp(
    doc,
    doc.variants.map((v, i) => ({ share: variants[i]!.share, slots: v.slots })),
  );
  const pilots = new Map<string, { variant: CompiledVariant; label: string }>();
  (doc.pilots ?? []).forEach((p, i) => {
    const variant = byId.get(p.variant) ?? control;
    for (const u of p.units) pilots.set(String(u), { variant, label: p.label ?? `pilots[${i}]` });
  });
  const switchScopes: { id: string; variant: CompiledVariant; run: Run | undefined }[] = [];
  const switches: CompiledSwitch[] = (doc.switches ?? []).map((s, i) => {
    const scope = s.scope ? compileNode(s.scope, ctx, ["switches", i, "scope"]) : undefined;
    const when = compileNode(s.when, kpiCtx, ["switches", i, "when"]);
    if (s.active) switchScopes.push({ id: s.id, variant: byId.get(s.variant) ?? control, run: scope?.run });
    return {
      id: s.id,
      variant: s.variant,
      active: s.active,
      check(kpis, options) {
        const { scope: sc, nowMs } = makeScope(kpis, options?.at);
        const trace = when.trace(sc, nowMs);
        return { passed: trace.passed, trace };
      },
    };
  });
  const holdout = doc.holdout ? { salt: doc.holdout.salt ?? `${salt}:holdout`, percent: doc.holdout.percent } : undefined;
  const layer = doc.layer ? { id: doc.layer.id, seed: `ruleflow-layer:${doc.layer.id}`, range: [doc.layer.from / 100, doc.layer.to / 100] as BucketRange } : undefined;

  const stepAt = (ms: number) => {
    let s = steps[0]!;
    for (let i = 1; i < steps.length && steps[i]!.atMs <= ms; i++) s = steps[i]!;
    return s;
  };

  const evaluate: CompiledRollout["evaluate"] = (facts, options) => {
    if (options?.at === undefined) {
      throw new EvaluationError(`rollout "${id}": pass the evaluation time as { at } (rollouts never read the clock; registry.evaluate and the rollout controller pass it for you)`);
    }
    const { scope, nowMs } = makeScope(facts, options.at);
    const step = stepAt(nowMs);
    const raw = unitSegs.length ? readPath(facts, unitSegs) : undefined;
    const unit = unitKey(raw) ?? null;
    const parts: MessageParts = { unitFact: doc.unit, unit, variant: control.id, version, coverage: step.percent };
    const explanation: AssignmentExplanation = { targeted: null, reason: "draft", message: "", coverage: step.percent };
    let bucket: number | null = null;
    let range: BucketRange | null = null;
    const done = (reason: AssignmentReason, variant: CompiledVariant, inExperiment = false): RolloutResult => {
      parts.variant = variant.id;
      parts.bucket = bucket ?? undefined;
      parts.range = range;
      explanation.reason = reason;
      explanation.message = MESSAGES[reason](parts);
      return { kind: "rollout", id, version, at: scope.now!, status, output: variant.value, variant: variant.id, inExperiment, unit, bucket, range, explanation };
    };

    if (status === "draft") return done("draft", control);
    if (status === "promoted") return done("promoted", winner);
    if (status === "rolled-back") return done("rolled-back", control);
    if (unit === null) {
      parts.detail = raw === undefined || raw === null ? "missing" : `${JSON.stringify(raw)} (not a non-empty string or a number)`;
      return done("no-unit", control);
    }
    const pilot = pilots.get(unit);
    if (!pilot) {
      if (targeting) {
        let trace: ConditionTrace | undefined;
        let passed: boolean;
        if (options.trace === true) {
          trace = targeting.trace(scope, nowMs);
          passed = trace.passed;
        } else {
          passed = targeting.run(scope, nowMs);
          if (!passed) trace = targeting.trace(scope, nowMs);
        }
        explanation.targeted = passed;
        if (trace) explanation.targeting = trace;
        if (!passed) {
          parts.detail = firstFailure(trace!);
          return done("not-targeted", control);
        }
      } else explanation.targeted = true;
    }
    for (const s of switchScopes) {
      if (s.run === undefined || s.run(scope, nowMs)) {
        explanation.switch = s.id;
        parts.detail = s.id;
        return done("switched", s.variant);
      }
    }
    if (pilot) {
      explanation.pilot = pilot.label;
      parts.detail = pilot.label;
      return done("pilot", pilot.variant);
    }
    if (holdout) {
      const b = bucketOf(holdout.salt, unit);
      const held = b < holdout.percent / 100;
      explanation.holdout = { bucket: b, percent: holdout.percent, held };
      if (held) {
        parts.detail = `bucket ${b} < ${holdout.percent}%`;
        return done("holdout", control);
      }
    }
    if (layer) {
      const b = bucketOf(layer.seed, unit);
      const inside = b >= layer.range[0] && b < layer.range[1];
      explanation.layer = { id: layer.id, bucket: b, range: layer.range, inside };
      if (!inside) {
        parts.detail = layer.id;
        return done("outside-layer", control);
      }
    }
    bucket = bucketOf(salt, unit);
    const sticky = options.sticky;
    if (doc.sticky && sticky && sticky.rolloutId === id && sticky.unit === unit && sticky.salt === salt) {
      const v = byId.get(sticky.variant);
      if (v && v.share > 0) {
        explanation.sticky = { variant: v.id, version: sticky.version };
        parts.detail = String(sticky.version);
        return done("sticky", v, true);
      }
    }
    const live = findRange(step.ranges, bucket);
    if (!live) {
      parts.detail = `it starts at ${first}`;
      return done("not-ramped", control);
    }
    range = [live.from, live.to];
    return done("assigned", variants[live.variant]!, true);
  };

  return {
    kind: "rollout",
    id,
    version,
    document: doc,
    variants,
    control: control.id,
    salt,
    switches,
    evaluate,
    coverageAt(at) {
      return stepAt(makeScope(null, at).nowMs).percent;
    },
    rangesAt(at) {
      return stepAt(makeScope(null, at).nowMs).ranges.map((r) => ({ variant: variants[r.variant]!.id, range: [r.from, r.to] as BucketRange }));
    },
  };
}
