/**
 * One compiled program version as settlement, quotes and line reading use it.
 * Its own module so those parts need not import the compiler (program.ts),
 * which imports them.
 */
import type { Evaluator, Scope } from "../expr/compile.js";
import type { DefinitionTime } from "../expr/time-context.js";
import type { RoundingMode } from "../money/rounding.js";
import type { RebateDocument } from "../schema/rebate.js";
import type { CompiledModifier } from "./modifiers.js";
import type { TierLadder } from "./tiers.js";

/** Everything settlement needs from one program version. @internal */
export interface RebateProgram {
  readonly id: string;
  readonly version: number;
  readonly document: RebateDocument;
  readonly currency: string | undefined;
  readonly scale: number;
  /** Rounding: mode, and the quantum in minor units (10 for whole dimes in CNY). */
  readonly mode: RoundingMode;
  readonly quantum: bigint;
  readonly cap: bigint | undefined;
  readonly from: number;
  readonly to: number;
  readonly ladder: TierLadder;
  readonly orderDate: Evaluator;
  readonly account: Evaluator | undefined;
  readonly lineKey: readonly (readonly string[])[];
  readonly amount: Evaluator;
  readonly volume: Evaluator | undefined;
  readonly status: Evaluator;
  readonly exclude: ReadonlySet<string>;
  readonly where: ((scope: Scope, nowMs: number) => boolean) | undefined;
  readonly modifiers: readonly CompiledModifier[];
  readonly dims: readonly { readonly name: string; readonly fn: Evaluator }[];
  /**
   * The program's time settings: order dates and the dates its conditions
   * compare, when written without an offset, are wall clocks in `timeZone`.
   */
  readonly time: DefinitionTime;
}
