/**
 * The commerce part of the demo: a promotion check for one store order (what
 * applies, what is skipped and why, what the customer nearly qualified for)
 * and February's distributor rebate statement, with a mid-month policy change
 * and a January return clawed back.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRegistry, type CompiledRebate, type DefinitionRegistry } from "@ruleflow/engine";
import { createPromotionSet, explainPromotions } from "@ruleflow/engine/promotions";
import { explainStatement, settleRebates, type RebateStatement } from "@ruleflow/engine/rebates";
import { loadDefinitions, loadFacts } from "./definitions.js";

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "..", "data");

/**
 * Order lines shipped under `data/` (JSON Lines), parsed.
 *
 * @param name - file name without `.jsonl`, e.g. `orders-2026-02`
 * @returns one fact object per order line
 * @example
 * ```ts
 * loadOrders("orders-2026-01").length; // 8
 * ```
 */
function loadOrders(name: string): unknown[] {
  return readFileSync(join(dataDir, `${name}.jsonl`), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as unknown);
}

/**
 * Settle the example distributor rebate for January (as of 5 February) and
 * February (as of 5 March, January's statement as the previous one).
 *
 * @param registry - a registry holding the example definitions (default: a new one)
 * @returns both statements
 * @example
 * ```ts
 * settleExampleRebates().february.totals.payable; // "223611.91"
 * ```
 */
export function settleExampleRebates(registry: DefinitionRegistry = createRegistry(loadDefinitions())): { january: RebateStatement; february: RebateStatement } {
  const program = registry.versions("distributor-rebate") as CompiledRebate[];
  const january = settleRebates({ program, lines: loadOrders("orders-2026-01"), period: "2026-01", definitions: registry });
  const february = settleRebates({ program, lines: loadOrders("orders-2026-02"), period: "2026-02", previous: [january], definitions: registry });
  return { january, february };
}

/**
 * Print the promotion check and the monthly rebate statement. Every date is
 * fixed, so the output is the same on every run.
 *
 * @param out - where each line goes
 * @returns nothing; everything goes to `out`
 * @example
 * ```ts
 * runCommerceDemo((line) => console.log(line));
 * ```
 */
export function runCommerceDemo(out: (line: string) => void): void {
  const registry = createRegistry(loadDefinitions());
  const promotions = registry.ids().flatMap((id) => registry.versions(id).filter((d) => d.kind === "promotion"));
  const at = "2026-02-10T10:00:00+08:00";
  out("## Promotion check: store SH-PD-0217, a new customer's first order, 62 cases for 48,000.00");
  out(explainPromotions(createPromotionSet(promotions).evaluate(loadFacts("store-order"), { at })));
  out("");
  const { january, february } = settleExampleRebates(registry);
  out("## Monthly rebate statement: distributor-rebate, February 2026");
  out(`January was settled on ${january.settledAt} (payable ${january.totals.payable}); one January line was returned in February.`);
  out(explainStatement(february));
  out("");
}
