/**
 * The shape of a function an expression may call. The catalogues
 * (functions.ts, time-functions.ts, calendar-functions.ts,
 * decimal-functions.ts) all build on it, so none of them imports another's
 * table to name it.
 */
import type { MessageParams } from "../i18n/catalogue.js";
import type { ExpressionKey } from "../i18n/messages/expressions.js";

/** A lambda argument (`o => o.amount`) as the function receives it. */
export type Lambda = (item: unknown) => unknown;

/** Describes one callable function. */
export interface FunctionSpec {
  /** Fewest arguments accepted. */
  readonly minArgs: number;
  /** Most arguments accepted (`Infinity` for variadic). */
  readonly maxArgs: number;
  /** Argument positions where a lambda (`x => ...`) is accepted. */
  readonly lambdaArgs?: readonly number[];
  /** One-line description for docs and error hints. */
  readonly doc: string;
  /** The implementation. Lambda arguments arrive as {@link Lambda}. */
  readonly call: (args: unknown[]) => unknown;
  /**
   * Called when a call is compiled: a message when the function cannot be
   * used here (a working-day function in a definition without a calendar).
   */
  readonly checkContext?: (() => { readonly key: ExpressionKey; readonly params: MessageParams } | undefined) | undefined;
}
