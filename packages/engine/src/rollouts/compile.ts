/**
 * Rollout documents -> compiled assigners. Everything that does not depend
 * on the unit is done here once: condition closures, shares, live ranges per
 * ramp step, pilot lookup. Evaluating is then a few hash rounds and a scan of
 * a handful of ranges.
 */
import { compileNode, isKnownFact, makeScope } from "../conditions/compile.js";
import { parseInstant, splitPath } from "../expr/values.js";
import { catalogueIssue } from "../i18n/issues.js";
import { factPathIssue } from "../i18n/fact-path-issue.js";
import { factPathMessages } from "../i18n/messages/fact-paths.js";
import type { RolloutDocument } from "../schema/rollout.js";
import { createAssigner, type AssignPlan, type PlannedStep } from "./assign.js";
import { checkRollout } from "./check.js";
import { fmt, fmtRange } from "./explain.js";
import { liveRanges, type BucketRange } from "./layout.js";
import type { CompiledRollout, CompiledSwitch, CompiledVariant } from "./types.js";
import type { CompileContext } from "../core/context.js";

function compileUnitPath(doc: RolloutDocument, ctx: CompileContext): string[] {
  const segs = splitPath(doc.unit);
  if (typeof segs === "string") {
    ctx.issues.push(factPathIssue(segs, doc.unit, ["unit"]));
    return [];
  }
  if (!isKnownFact(ctx.knownFacts, segs)) {
    ctx.issues.push(catalogueIssue(factPathMessages, "unknownFact", ["unit"], { fact: doc.unit, "known[]": JSON.stringify([...ctx.knownFacts!]) }, "unknown_fact"));
  }
  return segs;
}

/** The ramp as epoch-ms steps, each with its live ranges and their labels. */
function compileRamp(doc: RolloutDocument, layout: { share: number; slots?: readonly (readonly [number, number])[] | undefined }[]): PlannedStep[] {
  const plan = (atMs: number, percent: number): PlannedStep => ({
    atMs,
    percent,
    percentText: fmt(percent),
    // Results share these range arrays, so they are frozen.
    ranges: (percent === 0 ? [] : liveRanges(layout, percent / 100)).map((r) => ({ ...r, range: Object.freeze([r.from, r.to]) as BucketRange, text: fmtRange([r.from, r.to]) })),
  });
  if (!doc.ramp) return [plan(-Infinity, 100)];
  return [plan(-Infinity, 0), ...doc.ramp.map((s) => plan(parseInstant(s.at)!, s.percent))];
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
  const steps = compileRamp(
    doc,
    doc.variants.map((v, i) => ({ share: variants[i]!.share, slots: v.slots })),
  );
  const pilots = new Map<string, { variant: CompiledVariant; label: string }>();
  (doc.pilots ?? []).forEach((p, i) => {
    const variant = byId.get(p.variant) ?? control;
    for (const u of p.units) pilots.set(String(u), { variant, label: p.label ?? `pilots[${i}]` });
  });
  const switchScopes: AssignPlan["switches"][number][] = [];
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
  const layer = doc.layer ? { id: doc.layer.id, seed: `ruleflow-layer:${doc.layer.id}`, range: Object.freeze([doc.layer.from / 100, doc.layer.to / 100]) as BucketRange } : undefined;

  const stepAt = (at: string | Date): PlannedStep => {
    const ms = makeScope(null, at).nowMs;
    let step = steps[0]!;
    for (let i = 1; i < steps.length && steps[i]!.atMs <= ms; i++) step = steps[i]!;
    return step;
  };
  const evaluate = createAssigner({
    id,
    version,
    status,
    unitFact: doc.unit,
    unitSegs,
    variants,
    control,
    winner,
    salt,
    steps,
    firstStep: doc.ramp?.[0]?.at,
    pilots,
    targeting,
    switches: switchScopes,
    holdout,
    layer,
    sticky: doc.sticky,
  });

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
      return stepAt(at).percent;
    },
    rangesAt(at) {
      return stepAt(at).ranges.map((r) => ({ variant: variants[r.variant]!.id, range: r.range }));
    },
  };
}
