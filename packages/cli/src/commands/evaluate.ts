/** `ruleflow evaluate <definition.json> --facts <facts.json> [--at <ISO time>]` */
import { parseArgs } from "node:util";
import { isRuleflowError } from "@ruleflow/engine";
import { createPromotionSet } from "@ruleflow/engine/promotions";
import { CliError, errorMessage, type Io, json, readJson } from "../io.js";
import { readDefinitions, registryOf } from "../registry.js";

export const evaluateUsage =
  "ruleflow evaluate <definition.json> --facts <facts.json|-> [--at <ISO time>] [--id <id>] [--no-trace] [--locale en|zh-CN]";

/**
 * Evaluate a definition (or a file holding an array of versions) against
 * facts and print one JSON object: the decision, the id and version that
 * decided, and the trace. `--locale zh-CN` writes promotion near-miss hints
 * in Chinese (`还差 3 箱即可达标`).
 */
export function evaluateCommand(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      facts: { type: "string" },
      at: { type: "string" },
      id: { type: "string" },
      "no-trace": { type: "boolean" },
      locale: { type: "string" },
    },
  });
  if (positionals.length !== 1 || !values.facts) throw new CliError(`usage: ${evaluateUsage}`);
  const file = positionals[0]!;
  const docs = readDefinitions(file, io);
  const facts = readJson(values.facts, io);
  const registry = registryOf(docs, file);
  const ids = registry.ids();
  const at = values.at ?? new Date().toISOString();
  // Several promotions and no --id: evaluate them together, with stacking.
  if (!values.id && ids.length > 1 && ids.every((i) => registry.versions(i)[0]!.kind === "promotion")) {
    try {
      io.out(json(createPromotionSet(docs).evaluate(facts, { at, trace: !values["no-trace"], locale: values.locale })));
      return 0;
    } catch (e) {
      if (isRuleflowError(e)) throw new CliError(errorMessage(e));
      throw e;
    }
  }
  const id = values.id ?? (ids.length === 1 ? ids[0]! : undefined);
  if (!id) throw new CliError(`${file} holds several definitions (${ids.join(", ")}); choose one with --id`);
  try {
    const result = registry.evaluate(id, facts, { at, trace: !values["no-trace"], locale: values.locale });
    io.out(json(result));
    return 0;
  } catch (e) {
    if (isRuleflowError(e)) throw new CliError(errorMessage(e));
    throw e;
  }
}
