/**
 * The shape of a definition kind. Each kind (rule set, decision table,
 * calendar, workflow, promotion, rebate, rollout, scenario) is one
 * {@link KindSpec} object in its own domain folder; `definitions.ts` lists
 * them, and one generic path (kinds/pipeline.ts) checks and compiles a
 * document of any of them: document limits (forbidden keys, depth), shape
 * (zod), meaning (the kind's compiler, collecting every problem), messages in
 * the caller's locale. JSON Schema for editors is generated from `schema`.
 *
 * Part of the leaf core: imports nothing else of the engine (zod types only).
 */
import type { z } from "zod";
import type { CompileContext, LookedUpDefinition } from "./context.js";
import type { Issue } from "./errors.js";

/**
 * The time settings a document is checked and compiled in: which zone its
 * dates without an offset are read in and which business calendar its
 * expressions use (see kinds/definition-time.ts and calendar/definition-time.ts).
 */
export interface DefinitionTimeScope {
  /** Run the shape check with the definition's calendar known (expressions check calendar functions). */
  parse<T>(f: () => T): T;
  /**
   * Compile the validated document `doc` in its time settings and bind its
   * `evaluate` to them; problems go to `issues`.
   */
  compile<T extends object>(doc: unknown, issues: Issue[], f: (doc: unknown) => T): T;
}

/**
 * One definition kind: everything the engine needs to check, compile,
 * describe and document its documents.
 *
 * @typeParam K - the `kind` value
 * @typeParam S - the zod schema of a document
 * @typeParam C - what compiling a document gives
 */
export interface KindSpec<K extends string = string, S extends z.ZodType = z.ZodType, C extends LookedUpDefinition = LookedUpDefinition> {
  /** The document's `kind` field. */
  readonly kind: K;
  /**
   * The document's shape. Its input side is also the kind's JSON Schema
   * (`schema/<kind>.schema.json`, see `toJsonSchemas`).
   */
  readonly schema: S;
  /**
   * Compile a document the schema accepted. Every problem goes to
   * `ctx.issues` (compiling goes on, so all are reported at once); the result
   * is only used when there were none.
   */
  compile(doc: z.output<S>, ctx: CompileContext): C;
  /**
   * The time settings of a document as written. Default: dates without an
   * offset are read as UTC and no business calendar is named.
   */
  readonly time?: ((input: unknown) => DefinitionTimeScope) | undefined;
  /**
   * The word an error's heading names a refused document with when it is
   * compiled through this kind's own function (`Invalid calendar "x": ...`).
   * Default `definition`.
   */
  readonly noun?: string | undefined;
  /** Where the kind is documented. */
  readonly docs: {
    /**
     * The docs page of the kind, relative to the repository root. Its first
     * JSON example of this kind is the kind's example document (a test
     * compiles it).
     */
    readonly page: string;
  };
}

/** What compiling a document of spec `S` gives. */
export type CompiledOf<S> = S extends KindSpec<string, z.ZodType, infer C> ? C : never;

/** A document of spec `S` as written (the input side of its schema). */
export type DocumentOf<S> = S extends KindSpec<string, infer Z, LookedUpDefinition> ? z.input<Z> : never;
