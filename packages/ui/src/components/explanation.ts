/**
 * `<rf-explanation>`: any Ruleflow result as a readable tree. See
 * docs/ui/explanation.md.
 *
 * @packageDocumentation
 */
import { css, html, nothing, type TemplateResult } from "lit";
import { RfElement, defineElement } from "../shared/base.js";
import { themeStyles } from "../shared/theme.js";
import { explain, explanationTranslator, navigate, visibleItems, type ExplNode, type Explanation } from "./explanation/model.js";

export { resultKind } from "./explanation/model.js";
export type { ResultKind, ExplNode, Explanation } from "./explanation/model.js";

/**
 * A read-only view of one result as a tree: a rule set or decision table
 * result (`DecisionResult`, evaluated with `{ trace: true }`), a promotion
 * evaluation (`PromotionResult`, with its near-miss hints), a rollout
 * assignment (`RolloutResult`), a rebate statement line (`StatementLine` or
 * `AdjustmentLine`) or a rebate order preview (`RebateQuote`). Which one is
 * told by shape (see {@link resultKind}).
 *
 * Every condition shows its actual and expected values and passes or fails
 * (a colour, an icon and a word); the rule, row or variant that decided is
 * highlighted; warnings are shown in the locale (the engine's catalogue
 * messages are re-localised). The tree follows the WAI-ARIA tree pattern:
 * one Tab stop, arrow keys, Home/End, Enter/Space to expand and collapse.
 *
 * @example
 * ```html
 * <rf-explanation locale="zh-CN"></rf-explanation>
 * <script type="module">
 *   import "@ruleflow/ui/explanation";
 *   document.querySelector("rf-explanation").result = ruleSet.evaluate(facts, { trace: true });
 * </script>
 * ```
 */
export class RfExplanation extends RfElement {
  static override properties = {
    ...RfElement.properties,
    result: { attribute: false },
    collapsed: { state: true },
    active: { state: true },
  };

  static override styles = [
    themeStyles,
    css`
      :host {
        padding: 4px 0;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: var(--_space);
        margin-bottom: var(--_space);
      }
      h2 {
        font-size: 15px;
        margin: 0;
      }
      .at {
        color: var(--_muted);
        font-size: 12px;
      }
      .summary {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--_space);
        padding: calc(var(--_space) * 0.75) var(--_space);
        border-radius: var(--_radius);
        background: var(--_surface);
        border: 1px solid var(--_border);
        margin-bottom: var(--_space);
        font-weight: 600;
      }
      .summary .value {
        font-family: var(--_mono);
        font-weight: 400;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      [role="group"] {
        padding-left: calc(var(--_space) * 2.5);
        border-left: 1px dotted var(--_border);
        margin-left: calc(var(--_space) * 1.25);
      }
      .item {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 4px var(--_space);
        padding: 3px var(--_space);
        border-radius: calc(var(--_radius) - 2px);
        border: 1px solid transparent;
        cursor: default;
      }
      [role="treeitem"]:focus {
        outline: none;
      }
      [role="treeitem"]:focus-visible > .item {
        outline: 2px solid var(--_accent);
        outline-offset: -1px;
      }
      .decided > .item {
        background: color-mix(in srgb, var(--_accent) 10%, var(--_bg));
        border-color: var(--_accent);
      }
      .twisty {
        display: inline-block;
        width: 1em;
        color: var(--_muted);
        text-align: center;
      }
      .status {
        font-size: 12px;
        font-weight: 600;
        white-space: nowrap;
        border-radius: 999px;
        padding: 0 6px;
        border: 1px solid currentColor;
        background: var(--_bg);
      }
      .pass {
        color: var(--_pass);
      }
      .fail {
        color: var(--_fail);
      }
      .title {
        font-weight: 500;
      }
      .verdict,
      .note {
        color: var(--_muted);
        font-size: 13px;
      }
      .note.hint {
        color: var(--_warn);
        font-weight: 600;
      }
      .badge {
        font-size: 12px;
        font-weight: 600;
        color: var(--_accent);
      }
      .values {
        display: inline-flex;
        flex-wrap: wrap;
        gap: 2px var(--_space);
        font-size: 13px;
      }
      .values .name {
        color: var(--_muted);
      }
      .values code {
        font-family: var(--_mono);
        background: var(--_surface);
        border-radius: 3px;
        padding: 0 3px;
      }
      .warn > .item {
        color: var(--_warn);
      }
      .warn-icon {
        font-weight: 700;
      }
    `,
  ];

  /** The result to explain (see the class description for the kinds it knows). */
  declare result: unknown;
  /** Ids of collapsed items. */
  declare private collapsed: ReadonlySet<string>;
  /** The item with the tree's one Tab stop. */
  declare private active: string | undefined;

  private explained: { result: unknown; locale: string; value: Explanation } | undefined = undefined;

  constructor() {
    super();
    this.result = undefined;
    this.collapsed = new Set();
    this.active = undefined;
  }

  /** The explanation of the current result in the current locale (cached). */
  get explanation(): Explanation {
    if (!this.explained || this.explained.result !== this.result || this.explained.locale !== this.uiLocale) {
      this.explained = { result: this.result, locale: this.uiLocale, value: explain(this.result, this.uiLocale) };
    }
    return this.explained.value;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (changed.has("result")) {
      this.collapsed = new Set();
      this.active = undefined;
    }
  }

  override render(): TemplateResult {
    const t = explanationTranslator(this.uiLocale);
    if (this.result === undefined) return html``;
    const e = this.explanation;
    const result = this.result;
    const at = typeof result === "object" && result !== null && "at" in result && typeof result.at === "string" ? result.at : undefined;
    const items = visibleItems(e.tree, this.collapsed);
    const active = items.some((i) => i.id === this.active) ? this.active : items[0]?.id;
    const headingId = "rf-expl-heading";
    return html`<section aria-labelledby=${headingId}>
      <header>
        <h2 id=${headingId}>${e.heading}</h2>
        ${at ? html`<span class="at">${t("at", { at })}</span>` : nothing}
      </header>
      <div class="summary" role="status">
        ${e.summary.status ? this.renderStatus(e.summary.status) : nothing}<span>${e.summary.text}</span>${e.summary.value !== undefined
          ? html`<span class="value">${e.summary.value}</span>`
          : nothing}
      </div>
      ${e.tree.length
        ? html`<ul role="tree" aria-labelledby=${headingId} @keydown=${this.onKey}>
            ${e.tree.map((n, i) => this.renderItem(n, 1, i, e.tree.length, active))}
          </ul>`
        : nothing}
    </section>`;
  }

  private renderStatus(status: "pass" | "fail"): TemplateResult {
    const t = explanationTranslator(this.uiLocale);
    return html`<span class="status ${status}">${status === "pass" ? "✓" : "✗"} ${t(status)}</span>`;
  }

  private renderItem(n: ExplNode, level: number, index: number, count: number, active: string | undefined): TemplateResult {
    const t = explanationTranslator(this.uiLocale);
    const expandable = n.children.length > 0;
    const expanded = expandable && !this.collapsed.has(n.id);
    const classes = [n.decided ? "decided" : "", n.tone === "warn" ? "warn" : ""].join(" ");
    return html`<li
      role="treeitem"
      class=${classes}
      data-id=${n.id}
      data-path=${n.path ?? nothing}
      data-status=${n.status ?? nothing}
      aria-level=${level}
      aria-setsize=${count}
      aria-posinset=${index + 1}
      aria-expanded=${expandable ? String(expanded) : nothing}
      tabindex=${n.id === active ? "0" : "-1"}
      @click=${(ev: Event) => this.onClick(ev, n.id, expandable)}
    >
      <div class="item">
        <span class="twisty" aria-hidden="true">${expandable ? (expanded ? "▾" : "▸") : ""}</span>
        ${n.status ? this.renderStatus(n.status) : nothing} ${n.tone === "warn" ? html`<span class="warn-icon" aria-hidden="true">⚠</span>` : nothing}
        <span class="title">${n.title}</span>
        ${n.decided && (n.status !== undefined || n.verdict) ? html`<span class="badge">★ ${t("decided")}</span>` : nothing}
        ${n.verdict && !n.decided ? html`<span class="verdict">${n.verdict}</span>` : nothing}
        ${n.values?.length
          ? html`<span class="values"
              >${n.values.map((v) =>
                n.values!.length === 1 && v.name === n.title ? html`<code>${v.value}</code>` : html`<span><span class="name">${v.name}:</span> <code>${v.value}</code></span>`,
              )}</span
            >`
          : nothing}
        ${n.note ? html`<span class="note ${n.status === "fail" && n.values ? "hint" : ""}">${n.note}</span>` : nothing}
      </div>
      ${expanded
        ? html`<ul role="group">
            ${n.children.map((c, i) => this.renderItem(c, level + 1, i, n.children.length, active))}
          </ul>`
        : nothing}
    </li>`;
  }

  private onClick(ev: Event, id: string, expandable: boolean): void {
    ev.stopPropagation();
    this.active = id;
    if (expandable) this.toggle(id);
    this.focusActive();
  }

  private toggle(id: string): void {
    const next = new Set(this.collapsed);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.collapsed = next;
  }

  private onKey = (ev: KeyboardEvent): void => {
    const items = visibleItems(this.explanation.tree, this.collapsed);
    const current = (ev.target as HTMLElement).closest?.("[role=treeitem]")?.getAttribute("data-id") ?? this.active ?? items[0]?.id;
    if (current === undefined) return;
    const move = navigate(items, current, ev.key);
    if (!move) return;
    ev.preventDefault();
    if (move.toggle) this.toggle(move.toggle);
    this.active = move.active;
    this.focusActive();
  };

  private focusActive(): void {
    void this.updateComplete.then(() => {
      const el = this.renderRoot.querySelector<HTMLElement>(`[role=treeitem][data-id="${CSS.escape(this.active ?? "")}"]`);
      el?.focus();
    });
  }
}

defineElement("rf-explanation", RfExplanation);

declare global {
  interface HTMLElementTagNameMap {
    "rf-explanation": RfExplanation;
  }
}
