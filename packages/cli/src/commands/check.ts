/** `ruleflow check <file>...`: static analysis of definition files. */
import { formatIssue, isRuleflowError, resolveLocale, type Locale } from "@ruleflow/engine";
import { analyzeDefinition, type AnalysisResult, type Finding } from "@ruleflow/engine/analysis";
import { CliError, type Io, json, oneLine, readJson } from "../io.js";

export const checkUsage = "ruleflow check <file.json>... [--format text|json] [--strict] [--at <ISO time>] [--locale en|zh-CN]";

interface FileReport {
  file: string;
  results: AnalysisResult[];
  /** Why the file could not be analysed (it could not be read, or a document is not valid). */
  error?: { message: string; issues?: { path: (string | number)[]; message: string }[] | undefined } | undefined;
}

const LABEL: Record<Locale, { error: string; warning: string; info: string; witness: string; none: string; summary: (e: number, w: number, i: number, f: number) => string }> = {
  en: {
    error: "error",
    warning: "warning",
    info: "info",
    witness: "witness",
    none: "no findings",
    summary: (e, w, i, f) => `${e} error${e === 1 ? "" : "s"}, ${w} warning${w === 1 ? "" : "s"}, ${i} note${i === 1 ? "" : "s"} in ${f} file${f === 1 ? "" : "s"}`,
  },
  "zh-CN": {
    error: "错误",
    warning: "警告",
    info: "提示",
    witness: "示例事实",
    none: "没有发现问题",
    summary: (e, w, i, f) => `${f} 个文件：${e} 个错误，${w} 个警告，${i} 个提示`,
  },
};

function findingLines(f: Finding, locale: Locale): string[] {
  const lines = [`  ${LABEL[locale][f.severity].padEnd(7)} ${f.pathText || "(document)"}  ${f.code}: ${oneLine(f.message)}`];
  if (f.witness) {
    const facts = JSON.stringify(f.witness.facts);
    const extra = f.witness.winner ? `  (${f.witness.winner})` : f.witness.matches?.length ? `  (${f.witness.matches.join(", ")})` : "";
    lines.push(`          ${LABEL[locale].witness}: ${oneLine(facts)}${extra}${f.witness.partial ? " …" : ""}`);
  }
  return lines;
}

/**
 * Analyse every file: findings grouped by file with their severity, JSON
 * path, code, message and witness (the facts that show them). The files
 * given together are each other's `definitions` (a workflow's calendar).
 * Exit 1 when any finding is an error (with `--strict`, also a warning), or
 * when a file cannot be read or is not a valid definition.
 */
export function checkCommand(argv: string[], io: Io): number {
  const files: string[] = [];
  let format = "text";
  let strict = false;
  let at: string | undefined;
  let localeOption: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (flag: string): string | undefined => {
      if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
      if (i + 1 >= argv.length) throw new CliError(`${flag} needs a value\nusage: ${checkUsage}`);
      return argv[++i];
    };
    try {
      if (a === "--format" || a.startsWith("--format=")) format = value("--format")!;
      else if (a === "--at" || a.startsWith("--at=")) at = value("--at");
      else if (a === "--locale" || a.startsWith("--locale=")) localeOption = value("--locale");
      else if (a === "--strict") strict = true;
      else if (a.startsWith("--")) throw new CliError(`unknown option ${oneLine(a)}\nusage: ${checkUsage}`);
      else files.push(a);
    } catch (e) {
      io.err(`${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  }
  let locale: Locale;
  try {
    locale = resolveLocale(localeOption);
  } catch (e) {
    io.err(`${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
  if (format !== "text" && format !== "json") {
    io.err(`--format must be text or json, got ${oneLine(format)}\nusage: ${checkUsage}\n`);
    return 1;
  }
  if (files.length === 0) {
    io.err(`usage: ${checkUsage}\n`);
    return 1;
  }

  // Read every file first: together they are the definitions a workflow's calendar is looked up in.
  const loaded: { file: string; docs: unknown[] | undefined; error?: string }[] = files.map((file) => {
    try {
      const doc = readJson(file, io);
      return { file, docs: Array.isArray(doc) ? doc : [doc] };
    } catch (e) {
      return { file, docs: undefined, error: e instanceof CliError ? e.message : `${oneLine(file)}: ${oneLine(e instanceof Error ? e.message : String(e))}` };
    }
  });
  const definitions: Record<string, unknown> = {};
  for (const l of loaded) {
    for (const d of l.docs ?? []) {
      const id = typeof d === "object" && d !== null ? (d as { id?: unknown }).id : undefined;
      if (typeof id === "string" && !Object.hasOwn(definitions, id)) definitions[id] = d;
    }
  }

  const reports: FileReport[] = [];
  for (const l of loaded) {
    if (!l.docs) {
      reports.push({ file: l.file, results: [], error: { message: l.error! } });
      continue;
    }
    const report: FileReport = { file: l.file, results: [] };
    for (const doc of l.docs) {
      try {
        report.results.push(analyzeDefinition(doc, { at, locale, definitions }));
      } catch (e) {
        if (isRuleflowError(e, "VALIDATION_ERROR")) {
          report.error = { message: oneLine(e.message.split("\n")[0]!), issues: e.issues.map((i) => ({ path: i.path, message: formatIssue(i) })) };
        } else if (isRuleflowError(e)) {
          io.err(`${oneLine(e.message)}\n`);
          return 1;
        } else throw e;
        break;
      }
    }
    reports.push(report);
  }

  const all = reports.flatMap((r) => r.results.flatMap((x) => x.findings));
  const count = (s: Finding["severity"]) => all.filter((f) => f.severity === s).length;
  const errors = count("error");
  const warnings = count("warning");
  const infos = count("info");
  const broken = reports.some((r) => r.error);

  if (format === "json") {
    io.out(json({ files: reports, summary: { errors, warnings, infos, files: reports.length } }));
  } else {
    const lines: string[] = [];
    for (const r of reports) {
      lines.push(oneLine(r.file));
      if (r.error) {
        lines.push(`  ${LABEL[locale].error.padEnd(7)} ${oneLine(r.error.message)}`);
        for (const i of r.error.issues ?? []) lines.push(`          ${oneLine(i.message)}`);
      }
      for (const result of r.results) {
        if (r.results.length > 1) lines.push(` ${result.kind} ${oneLine(result.id)}${result.version === undefined ? "" : ` v${result.version}`}`);
        if (result.findings.length === 0) lines.push(`  ${LABEL[locale].none}`);
        for (const f of result.findings) lines.push(...findingLines(f, locale));
      }
    }
    lines.push(LABEL[locale].summary(errors, warnings, infos, reports.length));
    io.out(`${lines.join("\n")}\n`);
  }
  return errors > 0 || broken || (strict && warnings > 0) ? 1 : 0;
}
