/**
 * `<rf-workflow-diagram>`: a workflow definition as an SVG diagram laid out by
 * elkjs, with an instance's progress on it, and (unless `readonly`) the
 * workflow editor: select a node to edit its properties in a side panel.
 */
import { css, html, nothing, svg, type PropertyValues, type TemplateResult } from "lit";
import type { Issue } from "@ruleflow/engine";
import type { WorkflowDefinition } from "@ruleflow/engine/workflow";
import { RfEditorElement, defineElement, getIn, pathText, type JsonPath } from "../shared/base.js";
import { isList, valueText } from "../shared/json.js";
import { COMMON, translator } from "../shared/i18n.js";
import { themeStyles } from "../shared/theme.js";
import { neighbourInDirection, pathData, type Direction } from "./workflow-diagram/geometry.js";
import { layoutGraph, type DiagramLayout, type PlacedEdge, type PlacedNode } from "./workflow-diagram/layout.js";
import { DIAGRAM_MESSAGES, type DiagramT } from "./workflow-diagram/messages.js";
import { METRICS, buildGraph, conditionText, specText, type DiagramGraph } from "./workflow-diagram/model.js";
import { overlayOf, spanText, type DiagramInstance, type Overlay } from "./workflow-diagram/overlay.js";

export type { DiagramInstance, PathState, DueTimer } from "./workflow-diagram/overlay.js";

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

const APPROVAL_MODES = ["sequential", "all", "any", "vote"] as const;
const BRANCH_MODES = ["exclusive", "parallel", "inclusive"] as const;
const ACTIONS = ["remind", "escalate", "reassign", "auto-approve", "auto-reject", "notify"] as const;

/** A DOM id fragment for a JSON path. */
const idFor = (path: JsonPath): string => `p-${path.map((s) => String(s).replace(/[^\w-]/g, "_")).join("--")}`;

/**
 * The workflow diagram and editor.
 *
 * - `definition` (property): the workflow document (JSON).
 * - `readonly` (attribute): a diagram only; nodes are not selectable and nothing dispatches `change`.
 * - `locale` (attribute): `en` or `zh-CN`.
 * - `instance` (property): a {@link DiagramInstance} (the engine's InstanceView, its audit and pending timers) to show done, current and untaken paths and due timers.
 * - `selected` (property / `selected` attribute): the id of the node whose properties the side panel edits.
 *
 * Events: `change` (`detail: { definition, issues }`) on every edit;
 * `node-select` (`detail: { node }`) when a node is selected or the panel closed (`node: undefined`).
 *
 * @example
 * ```html
 * <rf-workflow-diagram locale="zh-CN"></rf-workflow-diagram>
 * <script type="module">
 *   import "@ruleflow/ui/workflow-diagram";
 *   const el = document.querySelector("rf-workflow-diagram");
 *   el.definition = workflowJson;
 *   el.addEventListener("change", (e) => save(e.detail.definition));
 * </script>
 * ```
 */
export class RfWorkflowDiagram extends RfEditorElement<WorkflowDefinition> {
  static override properties = {
    ...RfEditorElement.properties,
    instance: { attribute: false },
    selected: { type: String, reflect: true },
    layout: { state: true },
  };

  static override styles = [
    themeStyles,
    css`
      .wrap {
        display: flex;
        gap: calc(var(--_space) * 2);
        align-items: flex-start;
      }
      .canvas {
        flex: 1 1 auto;
        min-width: 0;
        overflow: auto;
      }
      svg {
        display: block;
        font-family: var(--_font);
        max-width: 100%;
        height: auto;
      }
      .hint {
        margin: 0 0 var(--_space);
        color: var(--_muted);
        font-size: 12px;
      }
      .legend {
        display: flex;
        gap: calc(var(--_space) * 2);
        margin: 0 0 var(--_space);
        padding: 0;
        list-style: none;
        font-size: 12px;
        color: var(--_muted);
      }
      .node {
        cursor: default;
      }
      :host(:not([readonly])) .node {
        cursor: pointer;
      }
      .node:focus {
        outline: none;
      }
      .node:focus-visible .box {
        stroke: var(--_accent);
        stroke-width: 3;
      }
      .box {
        fill: var(--_bg);
        stroke: var(--_border);
        stroke-width: 1.5;
      }
      .band {
        fill: var(--_surface);
      }
      .node--approval .band {
        fill: color-mix(in srgb, var(--_accent) 14%, var(--_bg));
      }
      .node--decision .band,
      .node--branch .band,
      .node--join .band {
        fill: color-mix(in srgb, var(--_warn) 14%, var(--_bg));
      }
      .node--task .band,
      .node--wait .band {
        fill: color-mix(in srgb, var(--_muted) 14%, var(--_bg));
      }
      .node--notify .band {
        fill: color-mix(in srgb, var(--_pass) 10%, var(--_bg));
      }
      .node--end .band {
        fill: color-mix(in srgb, var(--_text) 10%, var(--_bg));
      }
      .node--end .box {
        stroke-width: 2.5;
      }
      .icon {
        fill: var(--_text);
        stroke: none;
      }
      .icon-outline {
        fill: none;
        stroke: var(--_text);
        stroke-width: 1.3;
      }
      .badge {
        font-size: ${METRICS.badgeSize}px;
        fill: var(--_muted);
        font-weight: 600;
      }
      .title {
        font-size: ${METRICS.titleSize}px;
        font-weight: 600;
        fill: var(--_text);
      }
      .line {
        font-size: ${METRICS.lineSize}px;
        fill: var(--_text);
      }
      .line--escalation {
        fill: var(--_warn);
      }
      .line--status {
        font-weight: 600;
      }
      .state--done .box {
        stroke: var(--_pass);
        stroke-width: 2.5;
      }
      .state--done .line--status {
        fill: var(--_pass);
      }
      .state--current .box {
        stroke: var(--_accent);
        stroke-width: 4;
      }
      .state--current .line--status {
        fill: var(--_accent);
      }
      .state--untaken .box {
        stroke-dasharray: 6 4;
      }
      .state--untaken .title,
      .state--untaken .line {
        fill: var(--_muted);
      }
      .selected .box {
        stroke: var(--_accent);
        stroke-width: 3;
        fill: color-mix(in srgb, var(--_accent) 6%, var(--_bg));
      }
      .invalid .box {
        stroke: var(--_fail);
        stroke-width: 3;
      }
      .problem {
        fill: var(--_fail);
        font-size: 12px;
        font-weight: 600;
      }
      .edge path {
        fill: none;
        stroke: var(--_muted);
        stroke-width: 1.5;
      }
      .edge--done path {
        stroke: var(--_pass);
        stroke-width: 3;
      }
      .edge--untaken path {
        stroke-dasharray: 5 4;
        opacity: 0.75;
      }
      .edge--reject path,
      .edge--error path,
      .edge--timeout path {
        stroke-dasharray: 2 3;
      }
      .edge--done.edge--reject path,
      .edge--done.edge--error path,
      .edge--done.edge--timeout path {
        stroke-dasharray: none;
      }
      .edge-label rect {
        fill: var(--_bg);
        stroke: var(--_border);
      }
      .edge-label text {
        font-size: ${METRICS.labelSize}px;
        fill: var(--_text);
      }
      .arrow {
        fill: var(--_muted);
      }
      .arrow--done {
        fill: var(--_pass);
      }
      .start-marker circle {
        fill: var(--_text);
      }
      .start-marker text {
        font-size: 11px;
        fill: var(--_muted);
      }
      .panel {
        flex: 0 0 340px;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_bg);
        padding: calc(var(--_space) * 1.5);
        max-height: 80vh;
        overflow: auto;
      }
      .panel h2 {
        font-size: 15px;
        margin: 0 0 var(--_space);
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: var(--_space);
      }
      .panel h2:focus {
        outline: none;
      }
      .panel h3 {
        font-size: 13px;
        margin: calc(var(--_space) * 1.5) 0 calc(var(--_space) / 2);
      }
      .field {
        display: grid;
        gap: 2px;
        margin-bottom: var(--_space);
      }
      .field > label,
      .field > .label {
        font-size: 12px;
        color: var(--_muted);
      }
      .check {
        display: flex;
        gap: 6px;
        align-items: center;
        font-size: 12px;
      }
      .row {
        display: flex;
        gap: 4px;
        align-items: center;
      }
      .row > input {
        flex: 1 1 auto;
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) - 2px);
        margin: 0 0 var(--_space);
        padding: var(--_space);
      }
      legend {
        font-size: 12px;
        font-weight: 600;
        padding: 0 4px;
      }
      .step-grid {
        display: grid;
        align-items: start;
        grid-template-columns: 1fr 1fr;
        gap: 4px 8px;
      }
      .step-grid .field {
        margin: 0;
      }
      .doc-issues {
        margin: 0 0 var(--_space);
      }
    `,
  ];

  /** The instance to overlay: its view, audit and pending timers. */
  declare instance: DiagramInstance | undefined;
  /** The node whose properties the side panel shows (edit mode only). */
  declare selected: string | undefined;
  /** The current layout (internal). */
  declare protected layout: DiagramLayout | undefined;

  private graph: DiagramGraph | undefined;
  private overlay: Overlay | undefined;
  private layoutFor: unknown[] = [];
  private layoutPromise: Promise<void> = Promise.resolve();
  private layoutSeq = 0;
  private focusAfterRender: string | undefined;

  constructor() {
    super();
    this.instance = undefined;
    this.selected = undefined;
    this.layout = undefined;
  }

  /** Resolves once the diagram for the current definition, instance and locale is laid out and rendered. */
  get layoutComplete(): Promise<void> {
    return this.updateComplete.then(() => this.layoutPromise).then(() => this.updateComplete.then(() => undefined));
  }

  private get t(): DiagramT {
    return translator(DIAGRAM_MESSAGES, this.uiLocale);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const key = [this.definition, this.instance, this.uiLocale];
    if (key.some((k, i) => k !== this.layoutFor[i])) {
      this.layoutFor = key;
      this.relayout();
    }
  }

  /** Build the graph (with the instance's status lines) and lay it out. */
  private relayout(): void {
    const t = this.t;
    const plain = buildGraph(this.definition, t);
    let status: Map<string, string[]> | undefined;
    this.overlay = undefined;
    if (this.instance) {
      const overlay = overlayOf(plain, this.instance);
      this.overlay = overlay;
      status = new Map();
      for (const [id, state] of overlay.nodes) {
        if (state === "untaken") continue;
        status.set(id, [state === "done" ? `✓ ${t("state.done")}` : `▶ ${t("state.current")}`]);
      }
      for (const timer of overlay.timers) {
        const what = this.timerText(timer.node, timer.kind, timer.step);
        const left = timer.dueAt - overlay.now;
        const text = left >= 0 ? t("dueIn", { what, d: spanText(left, this.uiLocale) }) : t("overdue", { what, d: spanText(-left, this.uiLocale) });
        status.set(timer.node, [...(status.get(timer.node) ?? []), text]);
      }
    }
    const graph = status ? buildGraph(this.definition, t, status) : plain;
    this.graph = graph;
    const seq = ++this.layoutSeq;
    this.layoutPromise = layoutGraph(graph).then((layout) => {
      if (seq === this.layoutSeq) this.layout = layout;
    });
  }

  private timerText(node: string, kind: string, step: number | undefined): string {
    const t = this.t;
    if (kind === "esc" && step !== undefined) {
      const action = getIn(this.definition, ["nodes", node, "escalation", step, "action"]);
      const a = typeof action === "string" && (ACTIONS as readonly string[]).includes(action) ? t(`action.${action as (typeof ACTIONS)[number]}`) : valueText(action) || "?";
      return t("timer.esc", { n: step + 1, action: a });
    }
    if (kind === "wait") return t("timer.wait");
    return t("timer.task");
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.focusAfterRender !== undefined) {
      const target = this.focusAfterRender;
      this.focusAfterRender = undefined;
      const el = target === "#panel" ? this.renderRoot.querySelector<HTMLElement>(".panel h2") : this.nodeElement(target);
      el?.focus();
    }
  }

  private nodeElement(id: string): SVGGElement | null {
    return [...this.renderRoot.querySelectorAll<SVGGElement>("g.node")].find((g) => g.dataset.nodeId === id) ?? null;
  }

  /** Select a node (or none) and tell the host. */
  private select(id: string | undefined, focus?: string): void {
    if (this.readonly) return;
    this.selected = id;
    if (focus !== undefined) this.focusAfterRender = focus;
    this.dispatchEvent(new CustomEvent("node-select", { detail: { node: id }, bubbles: true, composed: true }));
  }

  private onNodeKey(e: KeyboardEvent, node: PlacedNode): void {
    const dirs: Record<string, Direction> = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right" };
    const dir = dirs[e.key];
    if (dir && this.layout) {
      e.preventDefault();
      const others = this.layout.nodes.filter((n) => n.id !== node.id).map((n) => ({ key: n.id, rect: n }));
      const next = neighbourInDirection(node, others, dir);
      if (next !== undefined) this.nodeElement(next)?.focus();
      return;
    }
    if (!this.readonly && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      this.select(node.id, "#panel");
    }
  }

  override render(): TemplateResult {
    const t = this.t;
    const c = translator(COMMON, this.uiLocale);
    const name = isRec(this.definition) && typeof this.definition.name === "string" ? this.definition.name : valueText((this.definition as Rec | undefined)?.id);
    const docIssues = this.issues.filter((i) => !(i.path[0] === "nodes" && typeof i.path[1] === "string" && this.graph?.nodes.some((n) => n.id === i.path[1])));
    const selectedNode = !this.readonly && this.selected !== undefined && isRec(getIn(this.definition, ["nodes", this.selected])) ? this.selected : undefined;
    return html`<div class="wrap">
      <div class="canvas">
        <p class="hint">${this.readonly ? c("readonly") : t("selectHint")}</p>
        ${this.overlay
          ? html`<ul class="legend" aria-label=${t("legend")}>
              <li>${t("legendDone")}</li>
              <li>${t("legendCurrent")}</li>
              <li>${t("legendUntaken")}</li>
            </ul>`
          : nothing}
        ${docIssues.length
          ? html`<div class="doc-issues" role="group" aria-label=${t("documentProblems")}>
              <ul class="rf-issues">
                ${docIssues.map((i) => html`<li class="rf-issue" data-path=${pathText(i.path)}>${pathText(i.path)}: ${i.message}</li>`)}
              </ul>
            </div>`
          : nothing}
        ${this.layout ? this.renderSvg(this.layout, name) : nothing}
      </div>
      ${selectedNode !== undefined ? this.renderPanel(selectedNode) : nothing}
    </div>`;
  }

  private renderSvg(layout: DiagramLayout, name: string): TemplateResult {
    const t = this.t;
    return html`<svg
      role="group"
      aria-label=${t("diagram", { name })}
      viewBox="0 0 ${layout.width} ${layout.height}"
      width=${layout.width}
      height=${layout.height}
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path class="arrow" d="M0 0 L10 5 L0 10 z"></path>
        </marker>
        <marker id="arrow-done" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path class="arrow arrow--done" d="M0 0 L10 5 L0 10 z"></path>
        </marker>
      </defs>
      ${layout.start ? this.renderStart(layout.start) : nothing} ${layout.edges.map((e) => this.renderEdge(e))} ${layout.nodes.map((n) => this.renderNode(n))}
    </svg>`;
  }

  private renderStart(start: NonNullable<DiagramLayout["start"]>): TemplateResult {
    const r = start.rect;
    const done = this.overlay?.edges.get("start") === "done";
    return svg`<g class="start-marker edge ${done ? "edge--done" : ""}" aria-hidden="true">
      <circle cx=${r.x + r.width / 2} cy=${r.y + r.height / 2} r=${r.width / 2 - 2}></circle>
      <text x=${r.x + r.width + 6} y=${r.y + r.height / 2 + 4}>${this.t("start")}</text>
      <path d=${pathData(start.points)} marker-end=${done ? "url(#arrow-done)" : "url(#arrow)"}></path>
    </g>`;
  }

  private renderEdge(e: PlacedEdge): TemplateResult {
    const state = this.overlay?.edges.get(e.id);
    const lb = e.labelBox;
    return svg`<g class="edge edge--${e.role} ${state ? `edge--${state}` : ""}" aria-hidden="true" data-from=${e.from} data-to=${e.to}>
      <path d=${pathData(e.points)} marker-end=${state === "done" ? "url(#arrow-done)" : "url(#arrow)"}></path>
      ${lb
        ? svg`<g class="edge-label"><rect x=${lb.x} y=${lb.y} width=${lb.width} height=${lb.height} rx="3"></rect>
            <text x=${lb.x + 4} y=${lb.y + lb.height - 5}>${e.label}</text></g>`
        : nothing}
    </g>`;
  }

  /**
   * What the name of a node leaves out: its state (when no status line says
   * it), where each transition goes, and how many problems it has. The name
   * itself is the box's visible text (`aria-labelledby`), so the name a
   * speech-input user reads off the screen works.
   */
  private nodeDescription(n: PlacedNode, problems: Issue[]): string {
    const t = this.t;
    const parts: string[] = [];
    const state = this.overlay?.nodes.get(n.id);
    if (state === "untaken") parts.push(t("state.untaken"));
    const out = this.graph?.edges.filter((e) => e.from === n.id) ?? [];
    for (const e of out) parts.push(`${e.label || t("edge.next")} → ${this.labelOf(e.to)}`);
    if (problems.length) parts.push(t("problems", { n: problems.length }));
    return parts.join("; ");
  }

  private labelOf(id: string): string {
    const name = getIn(this.definition, ["nodes", id, "name"]);
    return typeof name === "string" && name ? name : id;
  }

  private renderNode(n: PlacedNode): TemplateResult {
    const m = METRICS;
    const state = this.overlay?.nodes.get(n.id);
    const problems = this.issuesUnder(["nodes", n.id]);
    const selected = !this.readonly && this.selected === n.id;
    const key = idFor([n.id]);
    const ids: string[] = [`${key}-badge`];
    let y = m.padY + m.lineHeight - 4;
    const badgeY = y;
    y += 4;
    const titles = n.title.map((line, i) => {
      y += m.titleLineHeight;
      ids.push(`${key}-title${i}`);
      // the space between texts keeps wrapped words apart in the computed text (as in the name)
      return svg`<text class="title" id=${`${key}-title${i}`} x=${m.padX} y=${y - 4}>${line}</text> `;
    });
    const lines = n.lines.map((l, i) => {
      y += m.lineHeight;
      ids.push(`${key}-line${i}`);
      return svg`<text class="line line--${l.kind}" id=${`${key}-line${i}`} x=${m.padX} y=${y - 4}>${l.text}</text> `;
    });
    const classes = ["node", `node--${n.type}`, state ? `state--${state}` : "", selected ? "selected" : "", problems.length ? "invalid" : ""].join(" ");
    const description = this.nodeDescription(n, problems);
    return svg`<g
      class=${classes}
      data-node-id=${n.id}
      data-state=${state ?? nothing}
      transform="translate(${n.x} ${n.y})"
      role=${this.readonly ? "img" : "button"}
      tabindex=${this.readonly ? nothing : "0"}
      aria-labelledby=${ids.join(" ")}
      aria-describedby=${description ? `${key}-desc` : nothing}
      aria-pressed=${this.readonly ? nothing : selected ? "true" : "false"}
      aria-invalid=${problems.length ? "true" : nothing}
      @click=${() => this.select(n.id)}
      @keydown=${(e: KeyboardEvent) => this.onNodeKey(e, n)}
    >
      ${description ? svg`<desc id=${`${key}-desc`}>${description}</desc>` : nothing}
      <rect class="box" width=${n.width} height=${n.height} rx=${n.type === "end" ? 14 : 6}></rect>
      <path class="band" d="M1 ${m.padY + m.lineHeight} V${n.type === "end" ? 14 : 6} Q1 1 ${n.type === "end" ? 14 : 6} 1 H${n.width - (n.type === "end" ? 14 : 6)} Q${n.width - 1} 1 ${n.width - 1} ${n.type === "end" ? 14 : 6} V${m.padY + m.lineHeight} Z"></path>
      ${this.typeIcon(n.type, n.width - m.padX - 6, badgeY - 4)}
      <text class="badge" id=${`${key}-badge`} x=${m.padX} y=${badgeY}>${n.badge}</text>
      ${titles} ${lines}
      ${problems.length ? svg`<text class="problem" x=${n.width - m.padX - 16} y=${badgeY} text-anchor="end" aria-hidden="true">⚠ ${problems.length}</text>` : nothing}
    </g>`;
  }

  /** A small shape per node type (beside the type's name, so colour is never the only cue). */
  private typeIcon(type: PlacedNode["type"], cx: number, cy: number): TemplateResult {
    switch (type) {
      case "approval":
        return svg`<g class="icon-outline"><circle cx=${cx} cy=${cy - 2} r="2.5"></circle><path d="M${cx - 5} ${cy + 5} Q${cx} ${cy - 1} ${cx + 5} ${cy + 5}"></path></g>`;
      case "decision":
        return svg`<path class="icon-outline" d="M${cx} ${cy - 6} L${cx + 6} ${cy} L${cx} ${cy + 6} L${cx - 6} ${cy} Z"></path>`;
      case "branch":
        return svg`<path class="icon-outline" d="M${cx} ${cy + 6} V${cy} L${cx - 5} ${cy - 6} M${cx} ${cy} L${cx + 5} ${cy - 6}"></path>`;
      case "join":
        return svg`<path class="icon-outline" d="M${cx - 5} ${cy - 6} L${cx} ${cy} L${cx + 5} ${cy - 6} M${cx} ${cy} V${cy + 6}"></path>`;
      case "task":
        return svg`<rect class="icon-outline" x=${cx - 5} y=${cy - 5} width="10" height="10"></rect>`;
      case "wait":
        return svg`<g class="icon-outline"><circle cx=${cx} cy=${cy} r="5.5"></circle><path d="M${cx} ${cy - 3} V${cy} H${cx + 3}"></path></g>`;
      case "notify":
        return svg`<g class="icon-outline"><rect x=${cx - 6} y=${cy - 4} width="12" height="8"></rect><path d="M${cx - 6} ${cy - 4} L${cx} ${cy + 1} L${cx + 6} ${cy - 4}"></path></g>`;
      case "end":
        return svg`<g><circle class="icon-outline" cx=${cx} cy=${cy} r="5.5"></circle><circle class="icon" cx=${cx} cy=${cy} r="3"></circle></g>`;
      default:
        return svg``;
    }
  }

  // ---------------------------------------------------------------- the panel

  private rendered = new Set<string>();

  /** The issues at a path as a list (with the id `aria-describedby` names), remembering the path as shown. */
  private issueList(path: JsonPath): TemplateResult | typeof nothing {
    this.rendered.add(JSON.stringify(path));
    const issues = this.issuesAt(path);
    if (!issues.length) return nothing;
    return html`<ul class="rf-issues" id=${idFor(path)}>
      ${issues.map((i) => html`<li class="rf-issue" data-path=${pathText(i.path)}>${i.message}</li>`)}
    </ul>`;
  }

  private invalid(path: JsonPath): { invalid: "true" | undefined; describedBy: string | undefined } {
    const has = this.issuesAt(path).length > 0;
    return { invalid: has ? "true" : undefined, describedBy: has ? idFor(path) : undefined };
  }

  private textField(label: string, path: JsonPath, options: { optional?: boolean; mono?: boolean } = {}): TemplateResult {
    const value = getIn(this.definition, path);
    const id = `${idFor(path)}-input`;
    const { invalid, describedBy } = this.invalid(path);
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        class=${options.mono ? "rf-mono" : ""}
        .value=${typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value)}
        aria-invalid=${invalid ?? nothing}
        aria-describedby=${describedBy ?? nothing}
        @change=${(e: Event) => {
          const v = (e.target as HTMLInputElement).value;
          this.edit(path, options.optional && v.trim() === "" ? undefined : v);
        }}
      />
      ${this.issueList(path)}
    </div>`;
  }

  private selectField(label: string, path: JsonPath, choices: readonly (readonly [string, string])[], options: { optional?: boolean; fallback?: string } = {}): TemplateResult {
    const raw = getIn(this.definition, path);
    const value = typeof raw === "string" ? raw : (options.fallback ?? "");
    const id = `${idFor(path)}-input`;
    const { invalid, describedBy } = this.invalid(path);
    const all = [...choices];
    if (value && !all.some(([v]) => v === value)) all.push([value, value]);
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <select
        id=${id}
        aria-invalid=${invalid ?? nothing}
        aria-describedby=${describedBy ?? nothing}
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.edit(path, options.optional && v === "" ? undefined : v);
        }}
      >
        ${options.optional ? html`<option value="" ?selected=${value === ""}>${this.t("noDefault")}</option>` : nothing}
        ${all.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
      </select>
      ${this.issueList(path)}
    </div>`;
  }

  private checkField(label: string, path: JsonPath): TemplateResult {
    const value = getIn(this.definition, path) === true;
    const id = `${idFor(path)}-input`;
    const { invalid, describedBy } = this.invalid(path);
    return html`<div class="field">
      <span class="check"
        ><input
          type="checkbox"
          id=${id}
          .checked=${value}
          aria-invalid=${invalid ?? nothing}
          aria-describedby=${describedBy ?? nothing}
          @change=${(e: Event) => this.edit(path, (e.target as HTMLInputElement).checked)}
        /><label for=${id}>${label}</label></span
      >
      ${this.issueList(path)}
    </div>`;
  }

  private targets(): [string, string][] {
    const nodes = getIn(this.definition, ["nodes"]);
    return isRec(nodes) ? Object.keys(nodes).map((id) => [id, this.labelOf(id) === id ? id : `${this.labelOf(id)} (${id})`]) : [];
  }

  private renderPanel(id: string): TemplateResult {
    const t = this.t;
    const c = translator(COMMON, this.uiLocale);
    const base: JsonPath = ["nodes", id];
    const node = getIn(this.definition, base) as Rec;
    const targets = this.targets();
    this.rendered = new Set();
    const p = (...rest: (string | number)[]): JsonPath => [...base, ...rest];
    const type = typeof node.type === "string" ? node.type : "?";
    const body: (TemplateResult | typeof nothing)[] = [];
    body.push(this.textField(c("name"), p("name"), { optional: true }));
    switch (type) {
      case "approval":
        body.push(this.selectField(t("mode"), p("mode"), APPROVAL_MODES.map((m) => [m, t(`mode.${m}`)] as const), { fallback: "sequential" }));
        body.push(this.renderAssignees(p("assignees")));
        body.push(this.renderLadder(p("escalation")));
        body.push(this.selectField(t("onApprove"), p("onApprove"), targets));
        body.push(this.selectField(t("onReject"), p("onReject"), targets));
        body.push(this.renderNotify(p("notify")));
        break;
      case "decision": {
        body.push(this.textField(t("rulesetField"), p("ruleset"), { optional: true, mono: true }));
        body.push(this.textField(t("tableField"), p("table"), { optional: true, mono: true }));
        body.push(this.textField(t("outputField"), p("output"), { optional: true, mono: true }));
        const routes = isRec(node.routes) ? Object.keys(node.routes) : [];
        body.push(html`<fieldset>
          <legend>${t("routes")}</legend>
          ${routes.map((value) => this.selectField(t("routeTo", { value }), p("routes", value), targets))}
          ${this.selectField(t("defaultTo"), p("default"), targets, { optional: true })}
        </fieldset>`);
        break;
      }
      case "branch": {
        body.push(this.selectField(t("branchMode"), p("mode"), BRANCH_MODES.map((m) => [m, t(`branchMode.${m}`)] as const), { fallback: "exclusive" }));
        const branches = Array.isArray(node.branches) ? node.branches : [];
        body.push(html`<fieldset>
          <legend>${t("branches")}</legend>
          ${branches.map(
            (b, i) => html`${this.selectField(t("branchTo", { n: i + 1 }), p("branches", i, "to"), targets)}
              <p class="rf-muted rf-mono" style="margin:-4px 0 8px;font-size:12px">
                ${t("condition", { text: isRec(b) && b.when !== undefined ? conditionText(b.when) : t("always") })}
              </p>`,
          )}
          ${this.selectField(t("defaultTo"), p("default"), targets, { optional: true })}
        </fieldset>`);
        body.push(this.selectField(t("joinAt"), p("join"), targets, { optional: true }));
        break;
      }
      case "join":
        body.push(this.selectField(t("nextTo"), p("next"), targets));
        break;
      case "task":
        body.push(this.textField(t("handlerField"), p("handler"), { mono: true }));
        body.push(this.textField(t("assignee"), p("assignee"), { optional: true, mono: true }));
        body.push(this.textField(t("timeoutField"), p("timeout"), { optional: true, mono: true }));
        body.push(this.renderLadder(p("escalation")));
        body.push(this.selectField(t("nextTo"), p("next"), targets));
        body.push(this.selectField(t("onError"), p("onError"), targets, { optional: true }));
        break;
      case "wait":
        body.push(this.textField(t("eventField"), p("event"), { optional: true, mono: true }));
        body.push(this.textField(t("afterField"), p("after"), { optional: true, mono: true }));
        body.push(this.checkField(t("businessField"), p("business")));
        body.push(this.renderLadder(p("escalation")));
        body.push(this.selectField(t("nextTo"), p("next"), targets));
        body.push(this.selectField(t("onTimeout"), p("onTimeout"), targets, { optional: true }));
        break;
      case "notify":
        body.push(this.renderNotify(p("notify")));
        body.push(this.selectField(t("nextTo"), p("next"), targets));
        break;
      case "end":
        body.push(this.textField(t("outcomeField"), p("outcome"), { mono: true }));
        body.push(this.renderNotify(p("notify")));
        break;
    }
    // problems of this node that no field above shows
    const rest = this.issuesUnder(base).filter((i) => !this.rendered.has(JSON.stringify(i.path)));
    const title = t("panel", { name: this.labelOf(id) });
    return html`<section class="panel" aria-label=${title}>
      <h2 tabindex="-1">
        <span>${title}</span>
        <button type="button" @click=${() => this.select(undefined, id)}>${t("close")}</button>
      </h2>
      <p class="rf-muted" style="margin:0 0 8px;font-size:12px">${t("nodeId")}: <span class="rf-mono">${id}</span> · ${this.typeName(type)}</p>
      <div @keydown=${(e: KeyboardEvent) => e.key === "Escape" && this.select(undefined, id)}>${body}</div>
      ${rest.length
        ? html`<div role="group" aria-label=${t("nodeProblems")}>
            <h3>${t("nodeProblems")}</h3>
            <ul class="rf-issues">
              ${rest.map((i) => html`<li class="rf-issue" data-path=${pathText(i.path)}>${pathText(i.path.slice(2))}: ${i.message}</li>`)}
            </ul>
          </div>`
        : nothing}
    </section>`;
  }

  private typeName(type: string): string {
    return (["approval", "decision", "branch", "join", "task", "wait", "notify", "end"] as const).find((x) => x === type) ? this.t(`type.${type as "approval"}`) : type;
  }

  private renderAssignees(path: JsonPath): TemplateResult {
    const t = this.t;
    const list = getIn(this.definition, path);
    const items = isList(list) ? list : [];
    return html`<fieldset>
      <legend>${t("assignees")}</legend>
      ${items.map((a, i) => {
        const isExpr = isRec(a);
        const valuePath = isExpr ? [...path, i, "expr"] : [...path, i];
        const id = `${idFor(valuePath)}-input`;
        const { invalid, describedBy } = this.invalid(valuePath);
        const label = t("assigneeN", { n: i + 1 });
        this.rendered.add(JSON.stringify([...path, i]));
        return html`<div class="field">
          <label for=${id}>${isExpr ? `${label} (${t("exprAssignee", { expr: "" }).replace(/[:：]\s*$/, "")})` : label}</label>
          <div class="row">
            <input
              id=${id}
              class="rf-mono"
              .value=${isExpr ? valueText(a.expr) : valueText(a)}
              aria-invalid=${invalid ?? nothing}
              aria-describedby=${describedBy ?? nothing}
              @change=${(e: Event) => this.edit(valuePath, (e.target as HTMLInputElement).value)}
            />
            <button type="button" aria-label=${t("removeAssignee", { n: i + 1 })} @click=${() => this.edit(path, items.filter((_, j) => j !== i))}>
              ${translator(COMMON, this.uiLocale)("remove")}
            </button>
          </div>
          ${this.issueList(valuePath)} ${isExpr ? nothing : this.issueList([...path, i])}
        </div>`;
      })}
      ${this.issueList(path)}
      <button type="button" @click=${() => this.edit(path, [...items, ""])}>${t("addAssignee")}</button>
    </fieldset>`;
  }

  private renderLadder(path: JsonPath): TemplateResult {
    const t = this.t;
    const list = getIn(this.definition, path);
    const steps = isList(list) ? list : [];
    const business = typeof getIn(this.definition, ["calendar"]) === "string";
    return html`<fieldset>
      <legend>${t("escalation")}</legend>
      ${steps.map((s, i) => {
        const sp = [...path, i];
        const step = isRec(s) ? s : {};
        const n = i + 1;
        return html`<fieldset>
          <legend>${t("stepN", { n })}</legend>
          <div class="step-grid">
            ${this.textField(t("stepAfter", { n }), [...sp, "after"], { mono: true })}
            ${this.selectField(t("stepAction", { n }), [...sp, "action"], ACTIONS.map((a) => [a, t(`action.${a}`)] as const))}
            ${typeof step.to === "object" && step.to !== null ? this.textField(t("stepTo", { n }), [...sp, "to", "expr"], { mono: true }) : this.textField(t("stepTo", { n }), [...sp, "to"], { optional: true, mono: true })}
            ${this.checkField(t("stepBusiness", { n }), [...sp, "business"])}
          </div>
          ${this.issueList(sp)}
          <button type="button" @click=${() => this.edit(path, steps.length === 1 ? undefined : steps.filter((_, j) => j !== i))}>${t("removeStep", { n })}</button>
        </fieldset>`;
      })}
      ${this.issueList(path)}
      <button type="button" @click=${() => this.edit(path, [...steps, { after: "PT1H", ...(business ? { business: true } : {}), action: "remind" }])}>${t("addStep")}</button>
    </fieldset>`;
  }

  private renderNotify(path: JsonPath): TemplateResult | typeof nothing {
    const t = this.t;
    const list = getIn(this.definition, path);
    const items = isList(list) ? list : [];
    if (!items.length) return nothing;
    return html`<fieldset>
      <legend>${t("notifications")}</legend>
      ${items.map((x, i) => {
        const n = i + 1;
        const ip = [...path, i];
        const to = isRec(x) ? x.to : undefined;
        return html`${isRec(to) ? this.textField(`${t("notifyTo", { n })} (${specText(to).startsWith("ƒ") ? "ƒ" : ""})`, [...ip, "to", "expr"], { mono: true }) : this.textField(t("notifyTo", { n }), [...ip, "to"], { mono: true })}
        ${this.textField(t("notifyTemplate", { n }), [...ip, "template"], { mono: true })} ${this.issueList(ip)}`;
      })}
      ${this.issueList(path)}
    </fieldset>`;
  }
}

defineElement("rf-workflow-diagram", RfWorkflowDiagram);

declare global {
  interface HTMLElementTagNameMap {
    "rf-workflow-diagram": RfWorkflowDiagram;
  }
}
