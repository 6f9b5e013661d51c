/**
 * Workflow versions ready to run: each loaded version's xstate machine and
 * the environment its nodes evaluate in (definitions, calendar), built once
 * per engine and kept.
 */
import type { AnyStateMachine } from "xstate";
import { WorkflowError } from "../core/errors.js";
import type { DefinitionRegistry } from "../registry.js";
import type { CompiledWorkflow } from "../workflow/compile.js";
import { buildMachine } from "../workflow/machine.js";
import type { NodeEnv } from "../workflow/node-entry.js";
import { resolveCalendarFor } from "./calendars.js";

/** A workflow version ready to run: its machine and what its nodes need. */
export interface RunnableWorkflow {
  readonly workflow: CompiledWorkflow;
  readonly machine: AnyStateMachine;
  readonly env: NodeEnv;
}

/**
 * Finds the runnable form of a stored instance's workflow version.
 * @throws {@link WorkflowError} when that version is not loaded
 */
export type WorkflowLookup = (definitionId: string, version: number) => RunnableWorkflow;

/** The runnable workflows of one registry, built on first use. */
export interface RunnableWorkflows {
  /** The runnable form of a compiled workflow. */
  of(workflow: CompiledWorkflow): RunnableWorkflow;
  /** The runnable form of a loaded version, by id and version. */
  readonly lookup: WorkflowLookup;
}

/** Build (lazily, once each) the runnable workflows of `registry`. */
export function runnableWorkflows(registry: DefinitionRegistry): RunnableWorkflows {
  const built = new Map<string, RunnableWorkflow>();
  const of = (workflow: CompiledWorkflow): RunnableWorkflow => {
    const key = `${workflow.id}@${workflow.version}`;
    let r = built.get(key);
    if (!r) {
      const env: NodeEnv = { doc: workflow.document, parts: workflow.parts, definitions: registry, calendar: resolveCalendarFor(workflow.document.calendar, registry) };
      r = { workflow, machine: buildMachine(env, workflow.scope), env };
      built.set(key, r);
    }
    return r;
  };
  const lookup: WorkflowLookup = (id, version) => {
    const def = registry.versions(id).find((d) => d.version === version);
    if (!def || def.kind !== "workflow") throw new WorkflowError(`workflow "${id}" version ${version} is not loaded; load every version that has running instances`);
    return of(def);
  };
  return { of, lookup };
}
