/** The workflow kind: its spec for the generic path, and its typed compile function. */
import { workflowDefinitionTime } from "../calendar/definition-time.js";
import type { KindSpec } from "../core/kind.js";
import { compileKind, type KindOptions } from "../kinds/pipeline.js";
import { workflowSchema, type WorkflowDefinition } from "../schema/workflow.js";
import { compileWorkflowInto, type CompiledWorkflow } from "./compile.js";

/** The `workflow` kind. @internal */
export const workflowKind: KindSpec<"workflow", typeof workflowSchema, CompiledWorkflow> = {
  kind: "workflow",
  schema: workflowSchema,
  compile: compileWorkflowInto,
  time: workflowDefinitionTime,
  docs: { page: "docs/workflows.md" },
};

/**
 * Validate and compile a workflow document (`kind` may be omitted). Rule sets
 * and tables its decision nodes name, and a calendar it names that is not
 * built in, are found when it runs (load them beside it in the engine's
 * registry); compiling checks the workflow itself.
 *
 * @param input - a workflow document, usually parsed JSON
 * @param options - `locale`: the language of the error's heading and issues (default `en`)
 * @returns the compiled workflow (give its document, or the compiled workflow in a registry, to `createEngine`)
 * @throws {@link ValidationError} listing every problem with its JSON path
 * @example
 * ```ts
 * const wf = compileWorkflow({ id: "review", version: 1, start: "review",
 *   nodes: { review: { type: "approval", assignees: ["user:li"], onApprove: "done", onReject: "done" },
 *            done: { type: "end", outcome: "closed" } } });
 * wf.directorySpecs; // []: no role or manager to resolve
 * ```
 * @see docs/workflows.md
 */
export function compileWorkflow(input: WorkflowDefinition | Omit<WorkflowDefinition, "kind">, options?: KindOptions): CompiledWorkflow {
  return compileKind(workflowKind, input, options);
}
