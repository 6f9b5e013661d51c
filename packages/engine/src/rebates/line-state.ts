/** The shape of an order line as settlement sees it (shared by lines.ts and line-table.ts). */
import type { Decimal } from "../core/decimal.js";

/** One modifier applied to a line. @internal */
export interface LineModifier {
  name: string;
  op: "multiply" | "add";
  value: Decimal;
}

/** A line as settlement sees it. @internal */
export interface LineState {
  key: string;
  account: string;
  /** Order time, epoch ms. */
  date: number;
  version: number;
  /** Why the line does not count; undefined when it counts. */
  excluded: string | undefined;
  amount: bigint;
  volume: Decimal;
  mods: LineModifier[];
  dims: Record<string, unknown> | undefined;
}
