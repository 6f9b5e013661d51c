/** Domain-event triggers: `contract.signed` starts the workflows that ask for it. */
import type { DefinitionRegistry } from "../decisions/registry.js";
import type { CompiledWorkflow } from "../workflow/compile.js";

/** Start every workflow (version effective at `at`) whose trigger matches the event. */
export async function runTriggers(
  registry: DefinitionRegistry,
  event: { type: string; data?: Record<string, unknown> | undefined; id?: string | undefined },
  at: number,
  start: (workflowId: string, options: { input: Record<string, unknown>; initiator: string; id?: string | undefined }) => Promise<{ id: string } | undefined>,
): Promise<string[]> {
  const iso = new Date(at).toISOString();
  const started: string[] = [];
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
      const view = await start(wf.id, { input, initiator: t.initiator, id });
      if (view) started.push(view.id);
    }
  }
  return started;
}
