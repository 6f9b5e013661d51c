/**
 * `<rf-json-editor>`: the studio's JSON view, CodeMirror 6 with completion
 * from the engine's JSON Schema of the document's kind and the engine's own
 * validation as inline errors (each issue under the text its JSON path names;
 * a syntax error where the text stops being JSON).
 *
 * Properties: `text` (set to replace the text; the cursor stays where it was
 * when it fits), `schema` (a JSON Schema, optional), `check` (text -> issues,
 * run after each change), `label` (the accessible name). Dispatches `input`
 * with `detail: { text }` on every change typed in the editor.
 */
import { autocompletion, closeBrackets, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { bracketMatching, foldGutter, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { forceLinting, linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine } from "@codemirror/view";
import { rangeOf, scanJson } from "./json-locate.js";
import { cursorContext, memberNames, valueChoices, valuePath, type Schema } from "./schema-complete.js";

/** An issue as the engine reports it. */
export interface TextIssue {
  path: (string | number)[];
  message: string;
  severity?: "error" | "warning";
}

/** The diagnostics for a text: a syntax error where it stops being JSON, else `check`'s issues at their paths. */
function diagnosticsFor(text: string, check: ((value: unknown) => TextIssue[]) | undefined): Diagnostic[] {
  const { located, errorAt } = scanJson(text);
  if (errorAt !== undefined) {
    const from = Math.min(errorAt, text.length);
    return [{ from, to: Math.min(from + 1, text.length), severity: "error", message: from >= text.length ? "The text ends before the JSON document does." : `Not JSON here: unexpected ${JSON.stringify(text[from])}.` }];
  }
  if (!check) return [];
  return check(JSON.parse(text)).map((issue) => {
    const r = rangeOf(located, issue.path);
    const where = issue.path.length ? issue.path.map((s, i) => (typeof s === "number" ? `[${s}]` : i ? `.${s}` : s)).join("") : "document";
    return { from: r.from, to: Math.max(r.to, r.from), severity: issue.severity ?? "error", message: `${where}: ${issue.message}` };
  });
}

/** CodeMirror completions from a schema at the cursor. */
function schemaCompletions(schema: Schema, context: CompletionContext): CompletionResult | null {
  const text = context.state.doc.toString();
  const ctx = cursorContext(text, context.pos);
  if (!ctx) return null;
  if (!context.explicit && context.pos === ctx.from && !/["\w]$/.test(text.slice(0, context.pos))) return null;
  if (ctx.expecting === "key") {
    const options = memberNames(schema, ctx.container)
      .filter((m) => !ctx.present.includes(m.name))
      .map((m) => ({ label: JSON.stringify(m.name), apply: `${JSON.stringify(m.name)}: `, type: "property", ...(m.description ? { info: m.description } : {}) }));
    return options.length ? { from: ctx.from, options, validFor: /^"?[\w$-]*"?$/ } : null;
  }
  const options = valueChoices(schema, valuePath(ctx, text, context.pos)).map((v) => ({ label: v, type: "enum" }));
  return options.length ? { from: ctx.from, options, validFor: /^"?[\w$ .:-]*"?$/ } : null;
}

/** The studio's JSON editor element. */
export class RfJsonEditor extends HTMLElement {
  #view: EditorView | undefined;
  #text = "";
  #schema: Schema | undefined;
  #check: ((value: unknown) => TextIssue[]) | undefined;
  #applying = false;

  /** The accessible name of the editor. */
  get label(): string {
    return this.getAttribute("label") ?? "JSON";
  }
  set label(v: string) {
    this.setAttribute("label", v);
  }

  get text(): string {
    return this.#view ? this.#view.state.doc.toString() : this.#text;
  }
  set text(value: string) {
    this.#text = value;
    const view = this.#view;
    if (!view || view.state.doc.toString() === value) return;
    const head = Math.min(view.state.selection.main.head, value.length);
    this.#applying = true;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value }, selection: { anchor: head } });
    this.#applying = false;
  }

  get schema(): Schema | undefined {
    return this.#schema;
  }
  set schema(s: Schema | undefined) {
    this.#schema = s;
  }

  get check(): ((value: unknown) => TextIssue[]) | undefined {
    return this.#check;
  }
  set check(fn: ((value: unknown) => TextIssue[]) | undefined) {
    this.#check = fn;
    if (this.#view) forceLinting(this.#view);
  }

  /** The CodeMirror view (for tests and hosts that want more). */
  get view(): EditorView | undefined {
    return this.#view;
  }

  connectedCallback(): void {
    if (this.#view) return;
    this.style.display = "block";
    const readOnly = this.hasAttribute("readonly");
    this.#view = new EditorView({
      parent: this,
      state: EditorState.create({
        doc: this.#text,
        extensions: [
          lineNumbers(),
          foldGutter(),
          lintGutter(),
          history(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap]),
          json(),
          EditorState.readOnly.of(readOnly),
          EditorView.contentAttributes.of({ "aria-label": this.label }),
          autocompletion({ override: [(c) => (this.#schema ? schemaCompletions(this.#schema, c) : null)] }),
          linter((view) => diagnosticsFor(view.state.doc.toString(), this.#check), { delay: 250 }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !this.#applying) {
              this.#text = u.state.doc.toString();
              this.dispatchEvent(new CustomEvent("input", { detail: { text: this.#text }, bubbles: true, composed: true }));
            }
          }),
          EditorView.theme({
            "&": { border: "1px solid var(--rf-color-border, #d1d9e0)", borderRadius: "6px", fontSize: "13px", maxHeight: "70vh" },
            ".cm-scroller": { overflow: "auto", fontFamily: "ui-monospace, Menlo, Consolas, 'Noto Sans Mono CJK SC', monospace" },
          }),
        ],
      }),
    });
  }

  disconnectedCallback(): void {
    this.#view?.destroy();
    this.#view = undefined;
  }
}

if (!customElements.get("rf-json-editor")) customElements.define("rf-json-editor", RfJsonEditor);

declare global {
  interface HTMLElementTagNameMap {
    "rf-json-editor": RfJsonEditor;
  }
}
