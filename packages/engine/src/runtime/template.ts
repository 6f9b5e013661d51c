/**
 * Message templates for notifiers: `{{instanceId}}`,
 * `{{data.input.customer.name}}`. A template only looks values up by path;
 * it runs no code, calls nothing and never reaches prototypes, so business
 * users may write templates as freely as they write definitions.
 */
import { ValidationError } from "../core/errors.js";

/** Options of {@link compileTemplate} and {@link renderTemplate}. */
export interface TemplateOptions {
  /**
   * Applied to every `{{path}}` value (never to `{{{path}}}`), e.g.
   * {@link escapeHtml} for HTML email. Default: none.
   */
  readonly escape?: ((value: string) => string) | undefined;
  /** What a path that resolves to nothing renders as: `""` (default), or the placeholder itself with `"keep"`. */
  readonly missing?: "empty" | "keep" | undefined;
}

/** A compiled template: a function of its context. */
export type CompiledTemplate = (context: unknown) => string;

type Part = string | { readonly path: readonly string[]; readonly raw: boolean; readonly source: string };

const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);
const SEGMENT = /^[A-Za-z_$][\w$-]*$|^\d+$/;

function parse(source: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf("{{", i);
    if (open < 0) {
      parts.push(source.slice(i));
      break;
    }
    if (open > i) parts.push(source.slice(i, open));
    const raw = source.startsWith("{{{", open);
    const close = source.indexOf(raw ? "}}}" : "}}", open + (raw ? 3 : 2));
    if (close < 0) fail(source, open, `"${raw ? "{{{" : "{{"}" is never closed; add "${raw ? "}}}" : "}}"}" after the variable name`);
    const expr = source.slice(open + (raw ? 3 : 2), close).trim();
    const path = expr.split(".");
    if (expr === "" || !path.every((s) => SEGMENT.test(s))) {
      fail(source, open, `"${expr}" is not a variable path; write names joined by dots, like {{data.input.customer.name}}`);
    }
    const bad = path.find((s) => FORBIDDEN.has(s));
    if (bad) fail(source, open, `"${bad}" may not appear in a template path`);
    parts.push({ path, raw, source: source.slice(open, close + (raw ? 3 : 2)) });
    i = close + (raw ? 3 : 2);
  }
  return parts;
}

function fail(source: string, at: number, message: string): never {
  throw new ValidationError([{ code: "invalid_template", path: [], message: `${message} (at position ${at} in ${JSON.stringify(source.length > 60 ? `${source.slice(0, 57)}...` : source)})` }], "template");
}

function lookup(context: unknown, path: readonly string[]): unknown {
  let value = context;
  for (const segment of path) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function display(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return value.map(display).join(", ");
  return JSON.stringify(value) ?? "";
}

/**
 * Compile a template once, render it many times. `{{a.b}}` inserts the value
 * at that path (own properties only; array items by index, `{{recipients.0}}`),
 * escaped by `options.escape`; `{{{a.b}}}` inserts it unescaped. Strings and
 * numbers print as they are, arrays joined with `, `, objects as JSON, and a
 * missing value as nothing.
 *
 * @param source - the template text
 * @param options - escaping and missing-value behaviour
 * @returns a function of the context object
 * @throws {@link ValidationError} for an unclosed `{{` or a path that is not `name.name...`
 *
 * @example
 * ```ts
 * const subject = compileTemplate("Approval needed: {{data.input.customer.name}} ({{instanceId}})");
 * subject(notification); // "Approval needed: ACME Ltd (q-42)"
 * ```
 * @see docs/notifications.md
 */
export function compileTemplate(source: string, options: TemplateOptions = {}): CompiledTemplate {
  const parts = parse(source);
  const escape = options.escape ?? ((s: string) => s);
  const keep = options.missing === "keep";
  return (context) => {
    let out = "";
    for (const part of parts) {
      if (typeof part === "string") out += part;
      else {
        const value = lookup(context, part.path);
        if (value === undefined || value === null) out += keep ? part.source : "";
        else out += part.raw ? display(value) : escape(display(value));
      }
    }
    return out;
  };
}

/**
 * Render a template against a context in one go (see {@link compileTemplate}).
 *
 * @example
 * ```ts
 * renderTemplate("{{data.node}} is waiting for {{recipients}}", notification); // "countersign is waiting for user:chen, user:lu"
 * ```
 */
export function renderTemplate(source: string, context: unknown, options?: TemplateOptions): string {
  return compileTemplate(source, options)(context);
}

/** Escape `& < > " '` for HTML text and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
