/**
 * Loading definition files, the same way in every command: a file holds one
 * document or an array of them (the versions of a definition, or several
 * definitions); a refused document is reported on one line, naming the file,
 * the first problem and how many more `ruleflow validate` would list.
 */
import { createRegistry, formatIssue, ValidationError, type DefinitionRegistry } from "@ruleflow/engine";
import { CliError, type Io, readJson } from "./io.js";

/**
 * The documents of one definition file (`-` for standard input).
 *
 * @param file - the file name
 * @param io - standard input, for `-`
 * @returns the file's documents: its array, or its one document in an array
 * @throws CliError when the file cannot be read or is not JSON
 */
export function readDefinitions(file: string, io: Io): unknown[] {
  const doc = readJson(file, io);
  return Array.isArray(doc) ? doc : [doc];
}

/**
 * The one-line error for definitions the engine refused.
 *
 * @param file - the file (or files) they came from
 * @param e - the engine's refusal
 * @returns `file: invalid definition: <first problem> (and N more; run ruleflow validate file)`
 */
export function invalidDefinition(file: string, e: ValidationError): CliError {
  const [first] = e.issues;
  const more = e.issues.length > 1 ? ` (and ${e.issues.length - 1} more; run ruleflow validate ${file})` : "";
  return new CliError(`${file}: invalid definition: ${first ? formatIssue(first) : e.message}${more}`);
}

/**
 * Build the registry of documents read with {@link readDefinitions}.
 *
 * @param documents - the documents, in file order
 * @param source - the file (or files, comma-separated) they came from, for the error
 * @returns the registry
 * @throws CliError when the engine refuses a document (see {@link invalidDefinition})
 */
export function registryOf(documents: readonly unknown[], source: string): DefinitionRegistry {
  try {
    return createRegistry(documents);
  } catch (e) {
    if (e instanceof ValidationError) throw invalidDefinition(source, e);
    throw e;
  }
}

/**
 * Read definition files and build one registry of everything in them.
 *
 * @param files - the files, in order (each one document or an array)
 * @param io - standard input, for `-`
 * @returns the registry and the documents it was built from, in file order
 * @throws CliError for a file that cannot be read, or documents the engine refuses (see {@link invalidDefinition})
 * @example
 * ```ts
 * const { registry } = loadRegistry(["pilot.rollout.json"], io);
 * ```
 */
export function loadRegistry(files: readonly string[], io: Io): { registry: DefinitionRegistry; documents: unknown[] } {
  const documents = files.flatMap((file) => readDefinitions(file, io));
  return { registry: registryOf(documents, files.join(", ")), documents };
}
