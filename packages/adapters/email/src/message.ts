/** Email templates per notification template name: subject, text and HTML, rendered with the engine's safe templates. */
import type { Notification } from "@ruleflow/engine";
import { compileTemplate, escapeHtml, type CompiledTemplate } from "@ruleflow/engine/workflow";

/**
 * How one notification template reads as an email. Each field is a
 * template: `{{instanceId}}`, `{{data.input.customer.name}}`, `{{time}}`.
 * Values in `html` are HTML-escaped (`{{{path}}}` inserts raw HTML).
 */
export interface EmailTemplate {
  subject: string;
  /** The plain-text body. At least one of `text` and `html`. */
  text?: string | undefined;
  /** The HTML body. */
  html?: string | undefined;
}

/** The email for template names with no entry and no `defaultTemplate`. */
export const BUILTIN_EMAIL_TEMPLATE: EmailTemplate = {
  subject: "[Ruleflow] {{template}}: {{data.definitionId}} {{instanceId}}",
  text: "{{template}} for workflow instance {{instanceId}} ({{data.definitionId}}) at {{time}}.",
};

/** A rendered email. */
export interface RenderedEmail {
  readonly subject: string;
  readonly text?: string | undefined;
  readonly html?: string | undefined;
}

interface Compiled {
  readonly subject: CompiledTemplate;
  readonly text?: CompiledTemplate | undefined;
  readonly html?: CompiledTemplate | undefined;
}

function compile(name: string, t: EmailTemplate): Compiled {
  if (t.text === undefined && t.html === undefined) throw new TypeError(`email template "${name}" has neither text nor html; give it at least one`);
  return {
    subject: compileTemplate(t.subject),
    text: t.text === undefined ? undefined : compileTemplate(t.text),
    html: t.html === undefined ? undefined : compileTemplate(t.html, { escape: escapeHtml }),
  };
}

/** Compiles every template up front, so a bad one fails at start-up; returns the renderer. */
export function createEmailRenderer(templates: Readonly<Record<string, EmailTemplate>>, fallback: EmailTemplate): (n: Notification) => RenderedEmail {
  const compiled = new Map(Object.entries(templates).map(([name, t]) => [name, compile(name, t)]));
  const fallbackCompiled = compile("(default)", fallback);
  return (n) => {
    const c = compiled.get(n.template) ?? fallbackCompiled;
    const ctx = { ...n, time: new Date(n.at).toISOString() };
    // a header cannot hold a line break; a value with one must not start a new header
    const subject = c.subject(ctx).replace(/[\r\n]+/g, " ").trim();
    return { subject, text: c.text?.(ctx), html: c.html?.(ctx) };
  };
}
