/**
 * Several versions of each definition, chosen by effective date: evaluation
 * at time T uses the version whose window `[from, to)` contains T; when
 * windows overlap, the highest version wins.
 */
import { resolveLocale, type Locale } from "./i18n/locale.js";
import { catalogueIssue, localizeIssue } from "./i18n/issues.js";
import { registryMessages } from "./i18n/messages/registry.js";
import { compileDefinition, type CompiledDefinition, type EvaluationResult } from "./definitions.js";
import {
  ArgumentError,
  NoEffectiveVersionError,
  UnknownDefinitionError,
  ValidationError,
  type Issue,
} from "./core/errors.js";
import { resolveNow } from "./expr/compile.js";
import { parseInstant, valuesEqual } from "./expr/values.js";
import type { EvaluateDefinitionOptions } from "./core/context.js";

/** A loaded version with its effective window in epoch ms. */
interface Entry {
  readonly definition: CompiledDefinition;
  readonly from: number;
  readonly to: number;
}

/** Versioned definitions, resolved by effective date. */
export interface DefinitionRegistry {
  /**
   * Validate, compile and add one document. Re-loading an identical
   * id+version is a no-op; a different document under the same id+version is
   * refused. Nothing is added when the document is invalid.
   * @throws {@link ValidationError}
   */
  load(document: unknown): CompiledDefinition;
  /**
   * Load several documents all-or-nothing: when any is invalid, none is
   * added and the error lists every problem, paths prefixed with `[index]`.
   * @throws {@link ValidationError}
   */
  loadAll(documents: readonly unknown[]): CompiledDefinition[];
  /** The version of `id` effective at `at` (default: now). @throws {@link NoEffectiveVersionError} */
  resolve(id: string, at?: string | Date): CompiledDefinition;
  /** Every loaded version of `id`, lowest first. */
  versions(id: string): CompiledDefinition[];
  /** Every loaded id. */
  ids(): string[];
  /**
   * Evaluate definition `id` (rule set, decision table, or any other
   * evaluable kind) at `options.at`. The result names the id and version that
   * decided. Definitions that refer to others by id resolve them here, at the
   * same time.
   */
  evaluate(id: string, facts: unknown, options?: EvaluateDefinitionOptions): EvaluationResult;
}

function windowOf(def: CompiledDefinition): { from: number; to: number } {
  const eff = (def.document as { effective?: { from?: string | undefined; to?: string | undefined } | undefined }).effective;
  return {
    from: eff?.from ? parseInstant(eff.from)! : -Infinity,
    to: eff?.to ? parseInstant(eff.to)! : Infinity,
  };
}

const fmt = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : ms < 0 ? "the beginning" : "forever");

/**
 * Create a registry, optionally pre-loaded (all-or-nothing).
 *
 * @example
 * ```ts
 * const registry = createRegistry([autoApprovalV2, autoApprovalV3]);
 * registry.evaluate("contract-auto-approval", facts, { at: "2026-02-01T00:00:00+08:00" }).version; // 3
 * ```
 * @param options - `locale`: the language of validation messages when loading (default `en`)
 */
export function createRegistry(documents: readonly unknown[] = [], options: { locale?: Locale | (string & {}) | undefined } = {}): DefinitionRegistry {
  const locale = resolveLocale(options.locale);
  const byId = new Map<string, Entry[]>();
  const subjectOf = (id: string): string => (locale === "zh-CN" ? `定义 "${id}" ` : `definition "${id}"`);

  const check = (def: CompiledDefinition, staged: Map<string, Entry[]>): Entry | "same" => {
    const list = [...(byId.get(def.id) ?? []), ...(staged.get(def.id) ?? [])];
    const existing = list.find((e) => e.definition.version === def.version);
    if (existing) {
      if (valuesEqual(JSON.parse(JSON.stringify(existing.definition.document)), JSON.parse(JSON.stringify(def.document)))) return "same";
      throw new ValidationError([localizeIssue(catalogueIssue(registryMessages, "duplicateVersion", ["version"], { id: def.id, version: def.version }, "duplicate_version"), locale)], subjectOf(def.id), locale);
    }
    const w = windowOf(def);
    if (w.from >= w.to) {
      throw new ValidationError([localizeIssue(catalogueIssue(registryMessages, "invalidWindow", ["effective"], {}, "invalid_window"), locale)], subjectOf(def.id), locale);
    }
    return { definition: def, ...w };
  };

  const add = (target: Map<string, Entry[]>, e: Entry): void => {
    const list = target.get(e.definition.id) ?? [];
    list.push(e);
    list.sort((a, b) => a.definition.version - b.definition.version);
    target.set(e.definition.id, list);
  };

  const registry: DefinitionRegistry = {
    load(document) {
      return registry.loadAll([document])[0]!;
    },
    loadAll(docs) {
      const issues: Issue[] = [];
      const staged = new Map<string, Entry[]>();
      const out: CompiledDefinition[] = [];
      docs.forEach((doc, i) => {
        try {
          const def = compileDefinition(doc, { locale });
          const entry = check(def, staged);
          if (entry !== "same") add(staged, entry);
          out.push(def);
        } catch (e) {
          if (e instanceof ValidationError) {
            for (const issue of e.issues) issues.push(docs.length > 1 ? { ...issue, path: [i, ...issue.path] } : issue);
          } else throw e;
        }
      });
      if (issues.length) throw new ValidationError(issues, locale === "zh-CN" ? "定义" : docs.length > 1 ? "definitions" : "definition", locale);
      for (const list of staged.values()) for (const e of list) add(byId, e);
      return out;
    },
    resolve(id, at) {
      const list = byId.get(id);
      if (!list) throw new UnknownDefinitionError(id, [...byId.keys()]);
      const iso = resolveNow(at);
      const t = parseInstant(iso)!;
      let best: Entry | undefined;
      for (const e of list) if (e.from <= t && t < e.to && (!best || e.definition.version > best.definition.version)) best = e;
      if (best) return best.definition;
      const windows = list.map((e) => `v${e.definition.version} [${fmt(e.from)}, ${fmt(e.to)})`).join("; ");
      throw new NoEffectiveVersionError(id, iso, `loaded versions cover ${windows}`);
    },
    versions(id) {
      return (byId.get(id) ?? []).map((e) => e.definition);
    },
    ids() {
      return [...byId.keys()];
    },
    evaluate(id, facts, options) {
      const at = resolveNow(options?.at);
      const def = registry.resolve(id, at);
      if (!("evaluate" in def) || typeof def.evaluate !== "function") {
        throw new ArgumentError("id", `"${id}" is a ${(def as { kind: string }).kind}, which is not evaluated against facts`);
      }
      return def.evaluate(facts, { ...options, at, definitions: registry });
    },
  };
  registry.loadAll(documents);
  return registry;
}
