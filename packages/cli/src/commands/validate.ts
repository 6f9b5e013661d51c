/** `ruleflow validate <file>...` */
import { formatIssue, isRuleflowError, resolveLocale, validateDefinition, type Issue, type Locale } from "@ruleflow/engine";
import { CliError, type Io, oneLine, readJson } from "../io.js";

export const validateUsage = "ruleflow validate <file.json>... [--locale en|zh-CN]";

function issuesOf(doc: unknown, locale: Locale): Issue[] {
  const docs = Array.isArray(doc) ? doc : [doc];
  const issues: Issue[] = [];
  docs.forEach((d, i) => {
    const r = validateDefinition(d, { locale });
    if (!r.ok) for (const issue of r.issues) issues.push(Array.isArray(doc) ? { ...issue, path: [i, ...issue.path] } : issue);
  });
  return issues;
}

/**
 * Validate every file; print `file: path: message` per problem, each on one
 * line (control characters escaped). A file that cannot be read or checked is
 * reported and the next file is still checked. Exit 0 when all are valid.
 * `--locale zh-CN` writes the messages in Simplified Chinese (paths, codes and
 * the `ok` verdict stay as they are). Only the flag sets the language: the
 * output does not change with the environment, so scripts reading it are safe.
 */
export function validateCommand(argv: string[], io: Io): number {
  const args: string[] = [];
  let localeOption: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--locale") {
      if (i + 1 >= argv.length) {
        io.err(`--locale needs a value (en or zh-CN)\nusage: ${validateUsage}\n`);
        return 1;
      }
      localeOption = argv[++i];
    } else if (a.startsWith("--locale=")) localeOption = a.slice("--locale=".length);
    else args.push(a);
  }
  let locale: Locale;
  try {
    locale = resolveLocale(localeOption);
  } catch (e) {
    io.err(`${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
  if (args.length === 0) {
    io.err(`usage: ${validateUsage}\n`);
    return 1;
  }
  let failed = false;
  for (const file of args) {
    const name = oneLine(file);
    let issues: Issue[];
    try {
      issues = issuesOf(readJson(file, io), locale);
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
