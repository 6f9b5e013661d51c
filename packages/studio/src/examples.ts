/**
 * The examples the studio opens with: every definition, scenario, facts and
 * data file of packages/examples, as their exact texts (bundled at build time).
 */
const definitions = import.meta.glob<string>("../../examples/definitions/*.json", { query: "?raw", import: "default", eager: true });
const scenarios = import.meta.glob<string>("../../examples/scenarios/*.json", { query: "?raw", import: "default", eager: true });
const facts = import.meta.glob<string>("../../examples/facts/*.json", { query: "?raw", import: "default", eager: true });
const data = import.meta.glob<string>("../../examples/data/*.{jsonl,csv}", { query: "?raw", import: "default", eager: true });

const named = (files: Record<string, string>): { fileName: string; text: string }[] =>
  Object.entries(files)
    .map(([path, text]) => ({ fileName: path.split("/").pop()!, text }))
    .sort((a, b) => a.fileName.localeCompare(b.fileName));

/** Definition and scenario files, by file name. */
export const EXAMPLE_DOCUMENTS = [...named(definitions), ...named(scenarios)];
/** Sample facts files (one JSON object each). */
export const EXAMPLE_FACTS = named(facts);
/** Order-line files for rebate settlement (JSON Lines or CSV). */
export const EXAMPLE_ORDERS = named(data).filter((f) => f.fileName.startsWith("orders-"));
/** Every example data file (orders, histories, rollout events), for the files scenarios name. */
export const EXAMPLE_DATA = named(data);
