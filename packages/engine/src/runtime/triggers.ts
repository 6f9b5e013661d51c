/** Domain-event triggers: `contract.signed` starts the workflows that ask for it. */
import type { DefinitionRegistry } from "../registry.js";
import { WorkflowError } from "../core/errors.js";
import type { CompiledWorkflow } from "../workflow/compile.js";
import { isDirectorySpec } from "../workflow/context.js";

/**
 * The initiator a trigger gives an instance: as written, or computed from the
 * event (`{ "expr": "event.data.opportunity.owner" }`), which must give one user id.
 * @throws {@link WorkflowError} naming the trigger when it gives anything else
 */
export function triggerInitiator(wf: CompiledWorkflow, index: number, facts: Record<string, unknown>, at: string): string {
  const spec = wf.document.triggers?.[index]?.initiator ?? "system";
  if (typeof spec === "string") return spec;
  const value = wf.parts.expressions.get(`triggers.${index}.initiator`)!.evaluate(facts, { at });
  if (typeof value === "string" && value !== "" && !/\s/.test(value) && !isDirectorySpec(value) && value !== "initiator") return value;
  throw new WorkflowError(
    `workflow "${wf.id}" triggers[${index}].initiator gave ${value === undefined ? "nothing" : JSON.stringify(value)}; expected a user id such as "user:li" (one person starts an instance: not a role or manager-of spec)`,
  );
}

/** Start every workflow (version effective at `at`) whose trigger matches the event. */
export async function runTriggers(
  registry: DefinitionRegistry,
  event: { type: string; data?: Record<string, unknown> | undefined; id?: string | undefined },
  at: number,
  start: (workflowId: string, options: { input: Record<string, unknown>; initiator: string; id?: string | undefined }) => Promise<{ id: string } | undefined>,
): Promise<string[]> {
  const iso = new Date(at).toISOString();
  const started: string[] = [];
  // every start is worked out first, so a trigger that cannot say who starts it refuses the event before anything starts
  const planned: { workflowId: string; options: { input: Record<string, unknown>; initiator: string; id?: string | undefined } }[] = [];
  const data = event.data ?? {};
  const facts = { ...data, event: { type: event.type, data } };
  for (const id of registry.ids()) {
    let wf: CompiledWorkflow;
    try {
      const def = registry.resolve(id, iso);
      if (def.kind !== "workflow") continue;
      wf = def;
    } catch {
      continue;
    }
    const triggers = wf.document.triggers ?? [];
    for (let i = 0; i < triggers.length; i++) {
      const t = triggers[i]!;
      if (t.on !== event.type) continue;
      const cond = wf.parts.conditions.get(`triggers.${i}.when`);
      if (cond && !cond.test(facts, { at: iso })) continue;
      let input: Record<string, unknown> = data;
      if (t.input) {
        input = {};
        for (const [k, v] of Object.entries(t.input)) {
          input[k] = typeof v === "object" && v !== null && !Array.isArray(v) && "expr" in v ? wf.parts.expressions.get(`triggers.${i}.input.${k}`)!.evaluate(facts, { at: iso }) : v;
        }
      }
      const id = event.id === undefined ? undefined : `${wf.id}:${event.id}${triggers.length > 1 ? `:${i}` : ""}`;
      planned.push({ workflowId: wf.id, options: { input, initiator: triggerInitiator(wf, i, facts, iso), id } });
    }
  }
  for (const p of planned) {
    const view = await start(p.workflowId, p.options);
    if (view) started.push(view.id);
  }
  return started;
}
