/**
 * Fact paths named outside conditions (a rollout's unit, a rebate program's
 * line keys) are split by `splitPath`, which says in English why a path is
 * malformed; this turns that answer into a catalogue issue.
 */
import type { Issue } from "../core/errors.js";
import { catalogueIssue } from "./issues.js";
import { factPathMessages } from "./messages/fact-paths.js";

/**
 * The `invalid_fact` issue for a path `splitPath` refused with `problem`.
 * A problem this does not know stays as it is, in English.
 * @internal
 */
export function factPathIssue(problem: string, factPath: string, path: (string | number)[]): Issue {
  const code = "invalid_fact";
  const forbidden = /^"(.*)" cannot be read from facts$/s.exec(problem);
  const candidates = [
    catalogueIssue(factPathMessages, "empty", path, {}, code),
    catalogueIssue(factPathMessages, "emptySegment", path, { path: factPath }, code),
    catalogueIssue(factPathMessages, "notAPath", path, { path: factPath }, code),
    ...(forbidden ? [catalogueIssue(factPathMessages, "forbidden", path, { name: forbidden[1]! }, code)] : []),
  ];
  const known = candidates.find((c) => c.message === problem);
  if (known) return known;
  return { code, path, message: problem };
}
