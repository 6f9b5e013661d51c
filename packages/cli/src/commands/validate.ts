/** `ruleflow validate <file>...` */
import { formatIssue, validateDefinition, type Issue } from "@ruleflow/engine";
import { type Io, readJson } from "../io.js";

export const validateUsage = "ruleflow validate <file.json>...";

/** Validate every file; print `file: path: message` per problem. Exit 0 when all are valid. */
export function validateCommand(args: string[], io: Io): number {
  if (args.length === 0) {
    io.err(`usage: ${validateUsage}\n`);
    return 1;
  }
  let failed = false;
  for (const file of args) {
    let doc: unknown;
    try {
      doc = readJson(file, io);
    } catch (e) {
      io.err(`${(e as Error).message}\n`);
      failed = true;
      continue;
    }
    const docs = Array.isArray(doc) ? doc : [doc];
    const issues: Issue[] = [];
    docs.forEach((d, i) => {
      const r = validateDefinition(d);
      if (!r.ok) for (const issue of r.issues) issues.push(Array.isArray(doc) ? { ...issue, path: [i, ...issue.path] } : issue);
    });
    if (issues.length) {
      failed = true;
      for (const issue of issues) io.err(`${file}: ${formatIssue(issue)}\n`);
    } else {
      io.out(`${file}: ok\n`);
    }
  }
  return failed ? 1 : 0;
}
