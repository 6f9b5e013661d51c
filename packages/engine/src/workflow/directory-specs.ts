/**
 * Directory specs computed from instance data (`{ "expr": "\"manager-of:\" +
 * opportunity.owner" }`, an assignee expression giving `role:compliance`)
 * are not known when the instance starts. Transitions stay pure and
 * synchronous: a transition that meets such a spec notes it in
 * `context.unresolved`; these helpers look the noted specs up through the
 * Directory and run the transition again from the same snapshot with them,
 * so the committed state has the right people and remembers the answers.
 */
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from "xstate";
import type { WorkflowContext, WorkflowEvent, WorkflowInput } from "./context.js";

/** Looks a spec up in the Directory port. */
export type SpecResolver = (spec: string) => Promise<readonly string[]> | readonly string[];

/** Enough rounds for a transition whose path depends on who was resolved; more means a spec keeps changing. */
const MAX_ROUNDS = 5;

async function lookUp(specs: readonly string[], initiator: string, resolve: SpecResolver): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const spec of specs) out[spec] = [...(await resolve(spec === "manager-of:initiator" ? `manager-of:${initiator}` : spec))];
  return out;
}

function missing(snapshot: AnyMachineSnapshot): string[] {
  return (snapshot.context as WorkflowContext).unresolved ?? [];
}

function forget(snapshot: AnyMachineSnapshot): AnyMachineSnapshot {
  delete (snapshot.context as WorkflowContext).unresolved;
  return snapshot;
}

/**
 * `transition(machine, stored, event)`, resolving specs computed from data.
 * Returns the snapshot the transition ran from (its directory completed) and
 * the next snapshot; they are the same object when the event changed nothing.
 * @internal
 */
export async function transitionResolving(
  machine: AnyStateMachine,
  stored: { value: unknown; context: unknown },
  event: WorkflowEvent,
  resolve: SpecResolver,
): Promise<[AnyMachineSnapshot, AnyMachineSnapshot]> {
  let context = stored.context as WorkflowContext;
  for (let round = 0; ; round++) {
    const snapshot = machine.resolveState({ value: stored.value as never, context: context as never });
    const [next] = transition(machine, snapshot, event as never);
    const specs = next === snapshot ? [] : missing(next);
    if (specs.length === 0 || round === MAX_ROUNDS) return [snapshot, next === snapshot ? next : forget(next)];
    context = { ...context, directory: { ...context.directory, ...(await lookUp(specs, context.initiator, resolve)) } };
  }
}

/**
 * `initialTransition(machine, input)`, resolving specs computed from data.
 * @internal
 */
export async function initialTransitionResolving(machine: AnyStateMachine, input: WorkflowInput, resolve: SpecResolver): Promise<AnyMachineSnapshot> {
  let directory = input.directory;
  for (let round = 0; ; round++) {
    const [snapshot] = initialTransition(machine, { ...input, directory } as never);
    const specs = missing(snapshot);
    if (specs.length === 0 || round === MAX_ROUNDS) return forget(snapshot);
    directory = { ...directory, ...(await lookUp(specs, input.initiator, resolve)) };
  }
}
