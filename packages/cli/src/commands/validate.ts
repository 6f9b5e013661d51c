/** `ruleflow validate <file>...` */
import { formatIssue, isRuleflowError, validateDefinition, type Issue } from "@ruleflow/engine";
import { CliError, type Io, oneLine, readJson } from "../io.js";

export const validateUsage = "ruleflow validate <file.json>...";

function issuesOf(doc: unknown): Issue[] {
  const docs = Array.isArray(doc) ? doc : [doc];
  const issues: Issue[] = [];
  docs.forEach((d, i) => {
    const r = validateDefinition(d);
    if (!r.ok) for (const issue of r.issues) issues.push(Array.isArray(doc) ? { ...issue, path: [i, ...issue.path] } : issue);
  });
  return issues;
}

/**
 * Validate every file; print `file: path: message` per problem, each on one
 * line (control characters escaped). A file that cannot be read or checked is
 * reported and the next file is still checked. Exit 0 when all are valid.
 */
export function validateCommand(args: string[], io: Io): number {
  if (args.length === 0) {
    io.err(`usage: ${validateUsage}\n`);
    return 1;
  }
  let failed = false;
  for (const file of args) {
    const name = oneLine(file);
    let issues: Issue[];
    try {
      issues = issuesOf(readJson(file, io));
    } catch (e) {
      // One bad file must not hide the verdict on the others.
      failed = true;
      const message = e instanceof CliError ? e.message : `${name}: ${isRuleflowError(e) ? "" : "internal error: "}${oneLine(e instanceof Error ? e.message : String(e))}`;
      io.err(`${message}\n`);
      continue;
    }
    if (issues.length) {
      failed = true;
      for (const issue of issues) io.err(`${name}: ${oneLine(formatIssue(issue))}\n`);
    } else {
      io.out(`${name}: ok\n`);
    }
  }
  return failed ? 1 : 0;
}
