import { LitElement } from "lit";
import { validateDefinition, type Issue } from "@ruleflow/engine";
import { uiLocale, type UiLocale } from "./i18n.js";
import { themeStyles } from "./theme.js";

/** A JSON path as the engine reports it: `["rules", 2, "when"]`. */
export type JsonPath = readonly (string | number)[];

/** The detail of every editor's `change` event. */
export interface ChangeDetail<D = unknown> {
  /** The whole edited document (a new object; the previous one is never mutated). */
  definition: D;
  /** The engine's validation issues for it, in the component's locale; empty when valid. */
  issues: Issue[];
}

/** `a.b[2].c` style text for a path, as error messages name it. */
export function pathText(path: JsonPath): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || "(document)";
}

/** Whether `path` starts with `prefix`. */
export function pathStartsWith(path: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

/**
 * A copy of `doc` with the value at `path` replaced (`undefined` removes an
 * object key). Objects and arrays along the path are copied; nothing is mutated.
 */
export function setIn<T>(doc: T, path: JsonPath, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(doc)) {
    const copy: unknown[] = [...(doc as unknown[])];
    copy[head as number] = setIn(copy[head as number], rest, value);
    return copy as T;
  }
  const obj = doc && typeof doc === "object" ? { ...(doc as Record<string, unknown>) } : {};
  const next = setIn(obj[head as string], rest, value);
  if (next === undefined) delete obj[head as string];
  else obj[head as string] = next;
  return obj as T;
}

/** The value at `path` in `doc`, or undefined. */
export function getIn(doc: unknown, path: JsonPath): unknown {
  let cur = doc;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/**
 * What every Ruleflow element shares: `locale` (`en` or `zh-CN`) and the theme.
 * Subclasses add `static override styles = [themeStyles, css`...`]`.
 */
export class RfElement extends LitElement {
  static override properties = {
    locale: { type: String, reflect: true },
  };
  static override styles = [themeStyles];

  /** `en` (default) or `zh-CN`; any `zh*` tag means Simplified Chinese. */
  declare locale: string;

  constructor() {
    super();
    this.locale = "en";
  }

  /** The locale in effect. */
  protected get uiLocale(): UiLocale {
    return uiLocale(this.locale);
  }
}

/**
 * The base of every editor: a `definition` property (the JSON document),
 * `readonly`, the engine's validation run in the page, and a `change` event
 * (`detail: { definition, issues }`) on every edit. A subclass renders and
 * calls {@link RfEditorElement.edit} with a path and a value, or
 * {@link RfEditorElement.replace} with a whole new document.
 */
export class RfEditorElement<D = Record<string, unknown>> extends RfElement {
  static override properties = {
    ...RfElement.properties,
    definition: { attribute: false },
    readonly: { type: Boolean, reflect: true },
    issues: { attribute: false, state: true },
  };

  /** The JSON document being edited. Setting it re-validates. */
  declare definition: D | undefined;
  /** No edits: every control is disabled, nothing dispatches `change`. */
  declare readonly: boolean;
  /** The engine's issues for the current document (in this element's locale). */
  declare issues: Issue[];

  private validatedFor: unknown = undefined;
  private validatedLocale: string | undefined = undefined;

  constructor() {
    super();
    this.readonly = false;
    this.issues = [];
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (this.definition !== this.validatedFor || this.locale !== this.validatedLocale) {
      this.validatedFor = this.definition;
      this.validatedLocale = this.locale;
      this.issues = this.definition === undefined ? [] : this.validate(this.definition);
    }
  }

  /** The engine's issues for a document (override to validate a part, as the condition editor does). */
  protected validate(doc: D): Issue[] {
    const result = validateDefinition(doc, { locale: this.uiLocale });
    return result.ok ? [] : result.issues;
  }

  /** Issues whose path is exactly `path`. */
  protected issuesAt(path: JsonPath): Issue[] {
    return this.issues.filter((i) => i.path.length === path.length && pathStartsWith(i.path, path));
  }

  /** Issues at `path` or anywhere under it. */
  protected issuesUnder(path: JsonPath): Issue[] {
    return this.issues.filter((i) => pathStartsWith(i.path, path));
  }

  /** Set the value at `path` (undefined removes a key) and dispatch `change`. */
  protected edit(path: JsonPath, value: unknown): void {
    this.replace(setIn(this.definition, path, value) as D);
  }

  /** Replace the whole document and dispatch `change`. Ignored when `readonly`. */
  protected replace(next: D): void {
    if (this.readonly) return;
    this.definition = next;
    this.validatedFor = next;
    this.validatedLocale = this.locale;
    this.issues = this.validate(next);
    this.dispatchEvent(
      new CustomEvent<ChangeDetail<D>>("change", {
        detail: { definition: next, issues: this.issues },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

/** Define a custom element once (a second import of the same module, or two copies of the package, do not throw). */
export function defineElement(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}
