/**
 * `<rf-decision-table-editor>`: edit a `decision-table` definition as a grid.
 *
 * Rows are the table's rules, columns its rule ID, inputs, outputs and
 * description. Every cell is edited in place and checked by the engine's own
 * validation (the unary-test parser for input cells, the output types for
 * output cells) as you type; a problem shows in its cell with the engine's
 * message and path (`rules[2].paid: ...`). Rows and columns are added,
 * removed and moved with the buttons above the grid or the keyboard. Findings
 * of static analysis, when given, show on the row or cell whose path they name.
 *
 * @example
 * ```html
 * <rf-decision-table-editor locale="zh-CN"></rf-decision-table-editor>
 * <script type="module">
 *   import "@ruleflow/ui/decision-table-editor";
 *   const el = document.querySelector("rf-decision-table-editor");
 *   el.definition = await (await fetch("rebate-rate.decision-table.json")).json();
 *   el.addEventListener("change", (e) => console.log(e.detail.definition, e.detail.issues));
 * </script>
 * ```
 */
import { css, html, nothing, type TemplateResult } from "lit";
import { formatPath, type DecisionTableDefinition, type Issue } from "@ruleflow/engine";
import { COLLECT_AGGREGATIONS, OUTPUT_TYPES, TABLE_HIT_POLICIES } from "@ruleflow/engine/rules";
import { RfEditorElement, defineElement, pathStartsWith, setIn, type JsonPath } from "../shared/base.js";
import { COMMON, translator } from "../shared/i18n.js";
import { valueText } from "../shared/json.js";
import { themeStyles } from "../shared/theme.js";
import { MESSAGES, type MessageKey } from "./decision-table-editor/messages.js";
import {
  addColumn,
  allowedValuesText,
  gridColumnOf,
  gridColumns,
  inputCellText,
  insertRule,
  moveColumn,
  moveRule,
  outputCellText,
  parseAllowedValues,
  parseInputCell,
  parseOutputCell,
  parsePath,
  removeColumn,
  removeRule,
  renameColumn,
  ruleTarget,
  type ColumnGroup,
  type GridColumn,
  type TableDoc,
} from "./decision-table-editor/model.js";

export {
  gridColumns,
  inputCellText,
  outputCellText,
  parseInputCell,
  parseOutputCell,
  parsePath,
  type GridColumn,
  type TableDoc,
} from "./decision-table-editor/model.js";

/**
 * A finding of static analysis on a decision table (issue 12 produces them):
 * shown in the cell (`rules[2].paid`) or on the row (`rules[2]`) its path
 * names, or above the grid for any other path.
 */
export interface TableFinding {
  /** A stable machine-readable code, such as `overlap` or `unreachable`. */
  code: string;
  /** How serious: `error`, `warning` or `info`. */
  severity: "error" | "warning" | "info";
  /** The JSON path it names: segments (`["rules", 2, "paid"]`) or the engine's text (`rules[2].paid`). */
  path: JsonPath | string;
  /** A plain-language message, in the host's locale. */
  message: string;
  /** Facts that show the finding, when the analysis has them (not shown by the editor). */
  witness?: unknown;
}

interface PlacedFinding extends TableFinding {
  at: (string | number)[];
}

interface EditState {
  row: number;
  col: number;
  draft: string;
  /** The engine's issues for the draft, at the cell. */
  draftIssues: Issue[];
}

const GRID_ID = "grid";
const HELP_ID = "help";
const CURRENT_ID = "current";

/**
 * The decision table editor element. Properties: `definition`, `readonly`,
 * `locale` (from {@link RfEditorElement}) and `findings`. Events: `change`
 * with `detail: { definition, issues }` on every edit.
 */
export class RfDecisionTableEditor extends RfEditorElement<DecisionTableDefinition> {
  static override properties = {
    ...RfEditorElement.properties,
    findings: { attribute: false },
    curRow: { state: true },
    curCol: { state: true },
    editing: { state: true },
  };

  static override styles = [
    themeStyles,
    css`
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: var(--_space) calc(var(--_space) * 2);
        margin-bottom: var(--_space);
      }
      .title {
        margin: 0;
        font-size: 16px;
        font-weight: 600;
        flex: 1 1 auto;
      }
      .title .meta {
        display: block;
        font-size: 12px;
        font-weight: 400;
      }
      .field {
        display: flex;
        flex-direction: column;
        gap: 2px;
        font-size: 12px;
        color: var(--_muted);
      }
      .field > select,
      .field > input {
        font-size: 14px;
        color: var(--_text);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        margin: var(--_space) 0;
      }
      .actions .sep {
        width: var(--_space);
      }
      button[aria-disabled="true"] {
        opacity: 0.5;
        cursor: default;
      }
      .status {
        font-size: 12px;
        margin: 0 0 4px;
      }
      .scroll {
        overflow-x: auto;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        border-bottom: 1px solid var(--_border);
        border-right: 1px solid var(--_border);
        padding: 4px 8px;
        text-align: left;
        vertical-align: top;
        min-width: 4em;
      }
      th:last-child,
      td:last-child {
        border-right: 0;
      }
      tbody tr:last-child > * {
        border-bottom: 0;
      }
      thead th {
        background: var(--_surface);
        font-weight: 600;
        vertical-align: bottom;
        white-space: nowrap;
      }
      thead th.input {
        background: color-mix(in srgb, var(--_accent) 8%, var(--_bg));
      }
      thead th.output {
        background: color-mix(in srgb, var(--_pass) 8%, var(--_bg));
      }
      th.first-output,
      td.first-output {
        border-left: 3px double var(--_border);
      }
      .tag {
        display: block;
        font-size: 11px;
        font-weight: 400;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--_muted);
      }
      .sub {
        display: block;
        font-size: 12px;
        font-weight: 400;
        color: var(--_muted);
      }
      th.num {
        width: 2.5em;
        min-width: 2.5em;
        text-align: right;
        color: var(--_muted);
        font-weight: 400;
        background: var(--_surface);
      }
      td.cell {
        font-family: var(--_mono);
        font-size: 13px;
        white-space: nowrap;
        cursor: cell;
      }
      td.annotation {
        font-family: var(--_font);
        white-space: normal;
        min-width: 8em;
      }
      td.rid {
        font-family: var(--_mono);
        font-size: 12px;
      }
      td.cell[aria-invalid="true"] {
        background: color-mix(in srgb, var(--_fail) 7%, var(--_bg));
        box-shadow: inset 3px 0 0 var(--_fail);
      }
      [data-current] {
        background: color-mix(in srgb, var(--_accent) 10%, var(--_bg));
      }
      td:focus-visible,
      th:focus-visible {
        outline: 2px solid var(--_accent);
        outline-offset: -2px;
      }
      td.editing {
        padding: 2px;
      }
      td.editing input {
        width: 100%;
        min-width: 10em;
        font-family: var(--_mono);
        font-size: 13px;
      }
      .empty {
        color: var(--_muted);
      }
      .cell .rf-issue,
      .cell .finding,
      th .rf-issue {
        display: block;
        white-space: normal;
        font-family: var(--_font);
        max-width: 24em;
        min-width: 14em;
        margin-top: 2px;
        font-weight: 400;
      }
      .path {
        font-family: var(--_mono);
        font-weight: 600;
      }
      .finding {
        font-size: 12px;
      }
      .sev-error {
        color: var(--_fail);
      }
      .sev-warning {
        color: var(--_warn);
      }
      .sev-info {
        color: var(--_muted);
      }
      tr.has-error > th.num {
        box-shadow: inset 3px 0 0 var(--_fail);
      }
      tr.has-warning > th.num {
        box-shadow: inset 3px 0 0 var(--_warn);
      }
      .list {
        margin: 0 0 var(--_space);
        padding: 0;
        list-style: none;
      }
      .list li {
        font-size: 13px;
      }
      .list-title {
        font-size: 12px;
        font-weight: 600;
        margin: var(--_space) 0 2px;
      }
      fieldset.column {
        margin: var(--_space) 0 0;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space);
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(14em, 1fr));
        gap: var(--_space);
      }
      fieldset.column legend {
        font-weight: 600;
        padding: 0 4px;
      }
      fieldset.column .wide {
        grid-column: 1 / -1;
      }
      .field input.mono {
        font-family: var(--_mono);
      }
      dl.column {
        margin: var(--_space) 0 0;
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 2px var(--_space);
        font-size: 13px;
      }
      dl.column dt {
        color: var(--_muted);
      }
      dl.column dd {
        margin: 0;
      }
      .help {
        font-size: 12px;
        margin: var(--_space) 0 0;
      }
    `,
  ];

  /** Findings of static analysis to show on their rows and cells (see {@link TableFinding}). */
  declare findings: TableFinding[];
  /** The current cell's grid row: 0 is the heading row, 1.. the rules. */
  declare protected curRow: number;
  /** The current cell's grid column (see `gridColumns`). */
  declare protected curCol: number;
  /** The cell being edited, with its draft text. */
  declare protected editing: EditState | undefined;

  private focusAfterUpdate: "cell" | "editor" | "columnField" | undefined;

  constructor() {
    super();
    this.findings = [];
    this.curRow = 1;
    this.curCol = 2;
    this.editing = undefined;
  }

  private get t(): (key: MessageKey, params?: Record<string, string | number>) => string {
    return translator(MESSAGES, this.uiLocale);
  }

  private get common(): (key: keyof (typeof COMMON)["en"]) => string {
    return translator(COMMON, this.uiLocale);
  }

  private get doc(): TableDoc {
    return (this.definition ?? {}) as unknown as TableDoc;
  }

  private get rules(): Record<string, unknown>[] {
    const r = this.doc.rules;
    return Array.isArray(r) ? r : [];
  }

  private commitDoc(next: TableDoc): void {
    this.replace(next as unknown as DecisionTableDefinition);
  }

  // -------------------------------------------------------------------------
  // names

  private columnName(col: GridColumn | undefined): string {
    if (!col) return "";
    switch (col.kind) {
      case "num":
        return this.t("row");
      case "id":
        return this.t("ruleId");
      case "description":
        return this.t("description");
      case "input": {
        const c = this.doc.inputs?.[col.index];
        return String(c?.label || c?.id || "");
      }
      case "output": {
        const c = this.doc.outputs?.[col.index];
        return String(c?.label || c?.id || "");
      }
    }
  }

  private currentText(cols: GridColumn[]): string {
    const name = this.columnName(cols[this.curCol]);
    return this.curRow === 0 ? this.t("currentHeader", { column: name }) : this.t("currentCell", { row: this.curRow, column: name });
  }

  // -------------------------------------------------------------------------
  // issues and findings by place

  private placedFindings(): PlacedFinding[] {
    return (Array.isArray(this.findings) ? this.findings : []).map((f) => ({ ...f, at: parsePath(f.path) }));
  }

  /** Issues no control shows: they go to the list above the grid. */
  private unplacedIssues(cols: GridColumn[]): Issue[] {
    const cellKeys = new Set(cols.flatMap((c) => ("key" in c ? [c.key] : [])));
    const nIn = this.doc.inputs?.length ?? 0;
    const nOut = this.doc.outputs?.length ?? 0;
    return this.issues.filter((i) => {
      const p = i.path;
      if (p.length === 1 && (p[0] === "hitPolicy" || p[0] === "aggregation")) return false;
      if ((p[0] === "inputs" && typeof p[1] === "number" && p[1] < nIn) || (p[0] === "outputs" && typeof p[1] === "number" && p[1] < nOut)) return false;
      const target = ruleTarget(p);
      if (target && target.rule < this.rules.length && target.key !== undefined && cellKeys.has(target.key)) return false;
      return true;
    });
  }

  // -------------------------------------------------------------------------
  // rendering

  protected override render(): TemplateResult {
    const doc = this.doc;
    const cols = gridColumns(doc);
    this.clampCurrent(cols);
    const findings = this.placedFindings();
    const rowFindings = (r: number) => findings.filter((f) => { const tg = ruleTarget(f.at); return tg !== undefined && tg.rule === r && (tg.key === undefined || !cols.some((c) => "key" in c && c.key === tg.key)); });
    const tableFindings = findings.filter((f) => { const tg = ruleTarget(f.at); return tg === undefined || tg.rule >= this.rules.length; });
    const showFindingsColumn = this.rules.some((_, r) => rowFindings(r).length > 0);
    const unplaced = this.unplacedIssues(cols);
    const name = String(doc.name ?? doc.id ?? "");
    return html`
      <div class="head">
        <h2 class="title">
          ${name}
          <span class="meta rf-muted"><span class="rf-mono">${String(doc.id ?? "")}</span> · ${this.t("version", { version: String(doc.version ?? "") })}</span>
        </h2>
        ${this.renderHitPolicy()}
      </div>
      ${unplaced.length
        ? html`<ul class="list" aria-label=${this.common("issues")}>
            ${unplaced.map((i) => html`<li class="rf-issue" data-path=${formatPath(i.path)}><span class="path">${formatPath(i.path)}</span>: ${i.message}</li>`)}
          </ul>`
        : nothing}
      ${tableFindings.length
        ? html`<p class="list-title" id="table-findings-title">${this.t("tableFindings")}</p>
            <ul class="list" aria-labelledby="table-findings-title">
              ${tableFindings.map((f) => html`<li class="finding sev-${f.severity}" data-code=${f.code}>${this.findingText(f)}</li>`)}
            </ul>`
        : nothing}
      ${this.readonly ? nothing : this.renderActions(cols)}
      <p class="status rf-muted" id=${CURRENT_ID} aria-live="polite">${this.currentText(cols)}</p>
      <div class="scroll">
        <table
          role="grid"
          id=${GRID_ID}
          aria-label=${this.t("table", { name })}
          aria-describedby=${HELP_ID}
          aria-readonly=${this.readonly ? "true" : nothing}
          @keydown=${this.onGridKeydown}
          @focusin=${this.onGridFocusin}
          @dblclick=${this.onGridDblclick}
        >
          <thead>
            <tr role="row">
              ${cols.map((c, ci) => this.renderHeader(c, ci))}
              ${showFindingsColumn ? html`<th role="columnheader" class="annotation">${this.t("findings")}</th>` : nothing}
            </tr>
          </thead>
          <tbody>
            ${this.rules.map((rule, r) => this.renderRow(rule, r, cols, findings, showFindingsColumn ? rowFindings(r) : undefined))}
          </tbody>
        </table>
      </div>
      ${this.renderColumnPanel(cols)}
      <p class="help rf-muted" id=${HELP_ID}>${this.t(this.readonly ? "helpReadonly" : "help")}</p>
    `;
  }

  private findingText(f: TableFinding & { at: (string | number)[] }): TemplateResult {
    return html`<span class="path">${formatPath(f.at)}</span> ${this.t(`sev_${f.severity}` as MessageKey)} (${f.code}): ${f.message}`;
  }

  private renderHitPolicy(): TemplateResult {
    const doc = this.doc;
    const hp = typeof doc.hitPolicy === "string" ? doc.hitPolicy : "unique";
    const policies: string[] = [...TABLE_HIT_POLICIES];
    if (!policies.includes(hp)) policies.push(hp);
    const hpIssues = this.issuesUnder(["hitPolicy"]);
    const showAgg = hp === "collect" || doc.aggregation !== undefined;
    const agg = typeof doc.aggregation === "string" ? doc.aggregation : "";
    const aggs: string[] = [...COLLECT_AGGREGATIONS];
    if (agg && !aggs.includes(agg)) aggs.push(agg);
    const aggIssues = this.issuesUnder(["aggregation"]);
    const label = (p: string) => ((TABLE_HIT_POLICIES as readonly string[]).includes(p) ? `${this.t(`hp_${p}` as MessageKey)} (${p})` : p);
    const aggLabel = (a: string) => ((COLLECT_AGGREGATIONS as readonly string[]).includes(a) ? `${this.t(`agg_${a}` as MessageKey)} (${a})` : a);
    return html`
      <label class="field">
        ${this.t("hitPolicy")}
        <select
          ?disabled=${this.readonly}
          aria-invalid=${hpIssues.length ? "true" : nothing}
          aria-describedby=${hpIssues.length ? "hp-issues" : nothing}
          @change=${(e: Event) => this.edit(["hitPolicy"], (e.target as HTMLSelectElement).value)}
        >
          ${policies.map((p) => html`<option value=${p} ?selected=${p === hp}>${label(p)}</option>`)}
        </select>
        ${hpIssues.length ? html`<span class="rf-issue" id="hp-issues">${hpIssues.map((i) => i.message).join(" ")}</span>` : nothing}
      </label>
      ${showAgg
        ? html`<label class="field">
            ${this.t("aggregation")}
            <select
              ?disabled=${this.readonly}
              aria-invalid=${aggIssues.length ? "true" : nothing}
              aria-describedby=${aggIssues.length ? "agg-issues" : nothing}
              @change=${(e: Event) => this.edit(["aggregation"], (e.target as HTMLSelectElement).value || undefined)}
            >
              <option value="" ?selected=${agg === ""}>${this.t("aggregationNone")}</option>
              ${aggs.map((a) => html`<option value=${a} ?selected=${a === agg}>${aggLabel(a)}</option>`)}
            </select>
            ${aggIssues.length ? html`<span class="rf-issue" id="agg-issues">${aggIssues.map((i) => i.message).join(" ")}</span>` : nothing}
          </label>`
        : nothing}
    `;
  }

  private renderActions(cols: GridColumn[]): TemplateResult {
    const n = this.rules.length;
    const r = this.curRow - 1;
    const col = cols[this.curCol];
    const group: ColumnGroup | undefined = col?.kind === "input" ? "inputs" : col?.kind === "output" ? "outputs" : undefined;
    const groupLen = group ? (this.doc[group]?.length ?? 0) : 0;
    const ci = col && (col.kind === "input" || col.kind === "output") ? col.index : -1;
    const button = (key: MessageKey, enabled: boolean, action: () => void, name: string) => html`<button
      type="button"
      data-action=${name}
      aria-disabled=${enabled ? "false" : "true"}
      aria-describedby=${CURRENT_ID}
      @click=${() => {
        if (enabled) action();
      }}
    >
      ${this.t(key)}
    </button>`;
    return html`<div class="actions" role="group" aria-label=${this.t("actions")}>
      ${button("addRow", true, () => this.addRow(false), "add-row")}
      ${button("removeRow", r >= 0 && n > 1, () => this.removeRow(false), "remove-row")}
      ${button("moveRowUp", r > 0, () => this.moveRow(-1, false), "move-row-up")}
      ${button("moveRowDown", r >= 0 && r < n - 1, () => this.moveRow(1, false), "move-row-down")}
      <span class="sep" aria-hidden="true"></span>
      ${button("addInput", true, () => this.addColumn("inputs"), "add-input")}
      ${button("addOutput", true, () => this.addColumn("outputs"), "add-output")}
      ${button("removeColumn", group !== undefined && groupLen > 1, () => this.removeColumn(), "remove-column")}
      ${button("moveColumnLeft", group !== undefined && ci > 0, () => this.moveColumn(-1, false), "move-column-left")}
      ${button("moveColumnRight", group !== undefined && ci < groupLen - 1, () => this.moveColumn(1, false), "move-column-right")}
    </div>`;
  }

  private cellAttrs(row: number, col: number): { tabindex: string; current: boolean } {
    const current = row === this.curRow && col === this.curCol;
    return { tabindex: current ? "0" : "-1", current };
  }

  private renderHeader(col: GridColumn, ci: number): TemplateResult {
    const { tabindex, current } = this.cellAttrs(0, ci);
    const common = (cls: string, content: TemplateResult | string, issues: Issue[] = []) => html`<th
      role="columnheader"
      class=${cls}
      tabindex=${tabindex}
      data-r="0"
      data-c=${ci}
      ?data-current=${current}
      aria-describedby=${issues.length ? `h-${ci}-issues` : nothing}
    >
      ${content}
      ${issues.length ? html`<span class="rf-issue" id="h-${ci}-issues">${issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join(" ")}</span>` : nothing}
    </th>`;
    switch (col.kind) {
      case "num":
        return common("num", html`<span aria-hidden="true">#</span><span class="rf-visually-hidden">${this.t("row")}</span>`);
      case "id":
        return common("", this.t("ruleId"));
      case "description":
        return common("", this.t("description"));
      case "input": {
        const c = this.doc.inputs?.[col.index];
        return common(
          "input",
          html`<span class="tag">${this.t("input")}</span>${c?.label || c?.id}<span class="sub rf-mono">${c?.expr ?? ""}</span>`,
          this.issuesUnder(["inputs", col.index]),
        );
      }
      case "output": {
        const c = this.doc.outputs?.[col.index];
        const type = typeof c?.type === "string" ? c.type : "string";
        return common(
          col.index === 0 ? "output first-output" : "output",
          html`<span class="tag">${this.t("output")}</span>${c?.label || c?.id}<span class="sub"
              ><span class="rf-mono">${c?.label ? `${c.id} · ` : ""}</span>${(OUTPUT_TYPES as readonly string[]).includes(type) ? this.t(`type_${type}` as MessageKey) : type}</span
            >`,
          this.issuesUnder(["outputs", col.index]),
        );
      }
    }
  }

  private renderRow(rule: Record<string, unknown>, r: number, cols: GridColumn[], findings: PlacedFinding[], rowFindings: PlacedFinding[] | undefined): TemplateResult {
    const row = r + 1;
    const rowIssuesAll = this.issuesUnder(["rules", r]);
    const rowFindingsAll = findings.filter((f) => pathStartsWith(f.at, ["rules", r]));
    const worst = rowIssuesAll.length || rowFindingsAll.some((f) => f.severity === "error") ? "has-error" : rowFindingsAll.some((f) => f.severity === "warning") ? "has-warning" : "";
    return html`<tr role="row" class=${worst} data-rule=${r}>
      ${cols.map((c, ci) => this.renderCell(rule, r, row, c, ci, findings))}
      ${rowFindings
        ? html`<td role="gridcell" class="cell annotation" tabindex="-1" data-r=${row} data-c=${cols.length}>
            ${rowFindings.map((f) => html`<span class="finding sev-${f.severity}" data-code=${f.code}>${this.findingText(f)}</span>`)}
          </td>`
        : nothing}
    </tr>`;
  }

  private renderCell(rule: Record<string, unknown>, r: number, row: number, col: GridColumn, ci: number, findings: PlacedFinding[]): TemplateResult {
    const { tabindex, current } = this.cellAttrs(row, ci);
    if (col.kind === "num") {
      return html`<th role="rowheader" class="num" tabindex=${tabindex} data-r=${row} data-c=${ci} ?data-current=${current}>${row}</th>`;
    }
    const path = ["rules", r, col.key];
    const editing = this.editing && this.editing.row === row && this.editing.col === ci ? this.editing : undefined;
    const issues = editing ? editing.draftIssues : this.issuesUnder(path);
    const cellFindings = findings.filter((f) => pathStartsWith(f.at, path));
    const idBase = `c-${row}-${ci}`;
    const describedBy = [...issues.map((_, k) => `${idBase}-i${k}`), ...cellFindings.map((_, k) => `${idBase}-f${k}`)].join(" ");
    const value = rule?.[col.key];
    const text = this.cellText(col, value);
    const cls = `cell ${col.kind === "description" ? "annotation" : col.kind === "id" ? "rid" : ""} ${col.kind === "output" && col.index === 0 ? "first-output" : ""} ${editing ? "editing" : ""}`;
    const shown =
      value === undefined
        ? html`<span class="empty">${col.kind === "input" ? html`<span aria-hidden="true">-</span><span class="rf-visually-hidden">${this.t("any")}</span>` : col.kind === "output" ? this.t("noValue") : ""}</span>`
        : text;
    return html`<td
      role="gridcell"
      class=${cls}
      tabindex=${tabindex}
      data-r=${row}
      data-c=${ci}
      data-path=${formatPath(path)}
      ?data-current=${current}
      aria-invalid=${issues.length ? "true" : nothing}
      aria-describedby=${!editing && describedBy ? describedBy : nothing}
    >
      ${editing
        ? html`<input
            type="text"
            spellcheck="false"
            .value=${editing.draft}
            aria-label=${this.t("cellLabel", { row, column: this.columnName(col) })}
            aria-invalid=${issues.length ? "true" : nothing}
            aria-describedby=${describedBy || nothing}
            @input=${this.onEditorInput}
            @keydown=${this.onEditorKeydown}
            @blur=${this.onEditorBlur}
          />`
        : shown}
      ${issues.map((i, k) => html`<span class="rf-issue" id="${idBase}-i${k}" data-path=${formatPath(i.path)}><span class="path">${formatPath(i.path)}</span>: ${i.message}</span>`)}
      ${cellFindings.map((f, k) => html`<span class="finding sev-${f.severity}" id="${idBase}-f${k}" data-code=${f.code}>${this.t(`sev_${f.severity}` as MessageKey)} (${f.code}): ${f.message}</span>`)}
    </td>`;
  }

  private cellText(col: GridColumn, value: unknown): string {
    switch (col.kind) {
      case "input":
        return inputCellText(value);
      case "output":
        return outputCellText(value, this.doc.outputs?.[col.index]?.type);
      case "num":
        return "";
      default:
        return value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
    }
  }

  private renderColumnPanel(cols: GridColumn[]): TemplateResult | typeof nothing {
    const col = cols[this.curCol];
    if (!col || (col.kind !== "input" && col.kind !== "output")) return nothing;
    const group: ColumnGroup = col.kind === "input" ? "inputs" : "outputs";
    const i = col.index;
    const c = (this.doc[group]?.[i] ?? {}) as Record<string, unknown>;
    const name = valueText(c["label"]) || valueText(c["id"]);
    const legend = this.t(group === "inputs" ? "inputColumn" : "outputColumn", { name });
    const type = typeof c["type"] === "string" ? c["type"] : "string";
    const allowed = Array.isArray(c["allowedValues"]) ? (c["allowedValues"] as unknown[]) : undefined;
    if (this.readonly) {
      return html`<dl class="column" aria-label=${legend}>
        <dt>${this.t("columnId")}</dt><dd class="rf-mono">${valueText(c["id"])}</dd>
        <dt>${this.t("columnLabel")}</dt><dd>${valueText(c["label"])}</dd>
        ${group === "inputs"
          ? html`<dt>${this.t("expression")}</dt><dd class="rf-mono">${valueText(c["expr"])}</dd>`
          : html`<dt>${this.t("type")}</dt><dd>${type}</dd>
              ${allowed ? html`<dt>${this.t("allowedValues")}</dt><dd class="rf-mono">${allowedValuesText(allowed)}</dd>` : nothing}`}
      </dl>`;
    }
    const field = (key: string, label: string, value: string, onChange: (v: string) => void, opts: { mono?: boolean; wide?: boolean; issues: Issue[] }) => {
      const id = `col-${key}`;
      return html`<label class="field ${opts.wide ? "wide" : ""}">
        ${label}
        <input
          type="text"
          id=${id}
          data-field=${key}
          class=${opts.mono ? "mono" : ""}
          spellcheck="false"
          .value=${value}
          aria-invalid=${opts.issues.length ? "true" : nothing}
          aria-describedby=${opts.issues.length ? `${id}-issues` : nothing}
          @change=${(e: Event) => onChange((e.target as HTMLInputElement).value)}
        />
        ${opts.issues.length
          ? html`<span class="rf-issue" id="${id}-issues">${opts.issues.map((x) => html`<span class="path">${formatPath(x.path)}</span>: ${x.message} `)}</span>`
          : nothing}
      </label>`;
    };
    const typeIssues = this.issuesUnder([group, i, "type"]);
    return html`<fieldset class="column" data-group=${group} data-index=${i}>
      <legend>${legend}</legend>
      ${field("id", this.t("columnId"), valueText(c["id"]), (v) => this.commitDoc(renameColumn(this.doc, group, i, v.trim())), {
        mono: true,
        issues: this.issuesUnder([group, i, "id"]),
      })}
      ${field("label", this.t("columnLabel"), valueText(c["label"]), (v) => this.edit([group, i, "label"], v.trim() === "" ? undefined : v), {
        issues: this.issuesUnder([group, i, "label"]),
      })}
      ${group === "inputs"
        ? field("expr", this.t("expression"), valueText(c["expr"]), (v) => this.edit([group, i, "expr"], v), {
            mono: true,
            wide: true,
            issues: this.issuesUnder([group, i, "expr"]),
          })
        : html`<label class="field">
              ${this.t("type")}
              <select
                data-field="type"
                aria-invalid=${typeIssues.length ? "true" : nothing}
                aria-describedby=${typeIssues.length ? "col-type-issues" : nothing}
                @change=${(e: Event) => this.edit([group, i, "type"], (e.target as HTMLSelectElement).value)}
              >
                ${[...OUTPUT_TYPES, ...((OUTPUT_TYPES as readonly string[]).includes(type) ? [] : [type])].map(
                  (ty) => html`<option value=${ty} ?selected=${ty === type}>${(OUTPUT_TYPES as readonly string[]).includes(ty) ? this.t(`type_${ty}` as MessageKey) : ty} (${ty})</option>`,
                )}
              </select>
              ${typeIssues.length ? html`<span class="rf-issue" id="col-type-issues">${typeIssues.map((x) => x.message).join(" ")}</span>` : nothing}
            </label>
            ${field("allowedValues", this.t("allowedValues"), allowedValuesText(allowed), (v) => this.edit([group, i, "allowedValues"], parseAllowedValues(v)), {
              mono: true,
              issues: this.issuesUnder([group, i, "allowedValues"]),
            })}`}
      ${this.issuesAt([group, i]).map((x) => html`<span class="rf-issue wide"><span class="path">${formatPath(x.path)}</span>: ${x.message}</span>`)}
    </fieldset>`;
  }

  // -------------------------------------------------------------------------
  // focus

  private clampCurrent(cols: GridColumn[]): void {
    if (this.definition === undefined) return;
    const maxRow = this.rules.length;
    const maxCol = cols.length - 1 + (this.hasRowFindingsColumn(cols) ? 1 : 0);
    if (this.curRow > maxRow) this.curRow = maxRow;
    if (this.curRow < 0) this.curRow = 0;
    if (this.curCol > maxCol) this.curCol = maxCol;
    if (this.curCol < 0) this.curCol = 0;
  }

  private hasRowFindingsColumn(cols: GridColumn[]): boolean {
    const keys = new Set(cols.flatMap((c) => ("key" in c ? [c.key] : [])));
    return this.placedFindings().some((f) => {
      const tg = ruleTarget(f.at);
      return tg !== undefined && tg.rule < this.rules.length && (tg.key === undefined || !keys.has(tg.key));
    });
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    const what = this.focusAfterUpdate;
    this.focusAfterUpdate = undefined;
    const root = this.renderRoot as ShadowRoot;
    if (what === "cell") {
      root.querySelector<HTMLElement>(`[data-r="${this.curRow}"][data-c="${this.curCol}"]`)?.focus();
    } else if (what === "editor") {
      const input = root.querySelector<HTMLInputElement>("td.editing input");
      if (input) {
        input.focus();
        input.setSelectionRange(input.value.length, input.value.length);
      }
    } else if (what === "columnField") {
      const input = root.querySelector<HTMLInputElement>("fieldset.column input");
      input?.focus();
      input?.select();
    }
  }

  private moveTo(row: number, col: number): void {
    const cols = gridColumns(this.doc);
    const maxCol = cols.length - 1 + (this.hasRowFindingsColumn(cols) ? 1 : 0);
    this.curRow = Math.max(0, Math.min(this.rules.length, row));
    this.curCol = Math.max(0, Math.min(maxCol, col));
    this.focusAfterUpdate = "cell";
  }

  private onGridFocusin = (e: FocusEvent): void => {
    const cell = (e.target as HTMLElement).closest?.<HTMLElement>("[data-r]");
    if (!cell) return;
    const row = Number(cell.dataset["r"]);
    const col = Number(cell.dataset["c"]);
    if (row !== this.curRow || col !== this.curCol) {
      this.curRow = row;
      this.curCol = col;
    }
  };

  private onGridDblclick = (e: MouseEvent): void => {
    const cell = (e.target as HTMLElement).closest?.<HTMLElement>("[data-r]");
    if (!cell || this.editing) return;
    this.curRow = Number(cell.dataset["r"]);
    this.curCol = Number(cell.dataset["c"]);
    this.startEdit(undefined);
  };

  private onGridKeydown = (e: KeyboardEvent): void => {
    if ((e.target as HTMLElement).tagName === "INPUT") return;
    const { key, altKey, ctrlKey, metaKey } = e;
    const cols = gridColumns(this.doc);
    let handled = true;
    if (altKey && !ctrlKey && !metaKey) {
      if (key === "ArrowUp") this.moveRow(-1, true);
      else if (key === "ArrowDown") this.moveRow(1, true);
      else if (key === "ArrowLeft") this.moveColumn(-1, true);
      else if (key === "ArrowRight") this.moveColumn(1, true);
      else if (key === "Enter") this.addRow(true);
      else if (key === "Delete" || key === "Backspace") this.removeRow(true);
      else handled = false;
    } else if (key === "ArrowUp") this.moveTo(this.curRow - 1, this.curCol);
    else if (key === "ArrowDown") this.moveTo(this.curRow + 1, this.curCol);
    else if (key === "ArrowLeft") this.moveTo(this.curRow, this.curCol - 1);
    else if (key === "ArrowRight") this.moveTo(this.curRow, this.curCol + 1);
    else if (key === "Home") this.moveTo(ctrlKey ? 0 : this.curRow, 0);
    else if (key === "End") this.moveTo(ctrlKey ? this.rules.length : this.curRow, Number.MAX_SAFE_INTEGER);
    else if (key === "PageUp") this.moveTo(Math.min(this.curRow, 1), this.curCol);
    else if (key === "PageDown") this.moveTo(this.rules.length, this.curCol);
    else if (key === "Enter" || key === "F2") {
      const col = cols[this.curCol];
      if (this.curRow === 0 && col && (col.kind === "input" || col.kind === "output")) {
        if (!this.readonly) this.focusAfterUpdate = "columnField";
        this.requestUpdate();
      } else this.startEdit(undefined);
    } else if (key.length === 1 && !ctrlKey && !metaKey && key !== " ") this.startEdit(key);
    else handled = false;
    if (handled) e.preventDefault();
  };

  // -------------------------------------------------------------------------
  // cell editing

  private editableColumn(): GridColumn | undefined {
    if (this.readonly || this.curRow < 1) return undefined;
    const col = gridColumns(this.doc)[this.curCol];
    return col && col.kind !== "num" ? col : undefined;
  }

  private startEdit(initial: string | undefined): void {
    const col = this.editableColumn();
    if (!col || col.kind === "num") return;
    const value = this.rules[this.curRow - 1]?.[col.key];
    const draft = initial ?? (col.kind === "input" && value === undefined ? "" : this.cellText(col, value));
    this.editing = { row: this.curRow, col: this.curCol, draft, draftIssues: [] };
    if (initial !== undefined) this.editing = { ...this.editing, draftIssues: this.draftIssues(col, this.curRow - 1, initial) };
    else this.editing = { ...this.editing, draftIssues: this.issuesUnder(["rules", this.curRow - 1, col.key]) };
    this.focusAfterUpdate = "editor";
  }

  private parseDraft(col: GridColumn, text: string): unknown {
    switch (col.kind) {
      case "input":
        return parseInputCell(text);
      case "output":
        return parseOutputCell(text, this.doc.outputs?.[col.index]?.type);
      case "id":
        return text.trim() === "" ? undefined : text.trim();
      default:
        return text.trim() === "" ? undefined : text;
    }
  }

  /** The engine's issues at the cell if the draft were committed. */
  private draftIssues(col: GridColumn, r: number, text: string): Issue[] {
    if (!("key" in col) || this.definition === undefined) return [];
    const path: JsonPath = ["rules", r, col.key];
    const next = setIn(this.definition, path, this.parseDraft(col, text));
    return this.validate(next).filter((i) => pathStartsWith(i.path, path));
  }

  private onEditorInput = (e: Event): void => {
    if (!this.editing) return;
    const draft = (e.target as HTMLInputElement).value;
    const col = gridColumns(this.doc)[this.editing.col];
    this.editing = { ...this.editing, draft, draftIssues: col ? this.draftIssues(col, this.editing.row - 1, draft) : [] };
  };

  private onEditorKeydown = (e: KeyboardEvent): void => {
    if (e.key === "Enter") {
      e.preventDefault();
      e.stopPropagation();
      this.commitEdit(true);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      this.editing = undefined;
      this.focusAfterUpdate = "cell";
    }
  };

  private onEditorBlur = (): void => {
    if (this.editing) this.commitEdit(false);
  };

  private commitEdit(refocus: boolean): void {
    const ed = this.editing;
    if (!ed) return;
    this.editing = undefined;
    if (refocus) this.focusAfterUpdate = "cell";
    const col = gridColumns(this.doc)[ed.col];
    if (!col || !("key" in col)) return;
    const r = ed.row - 1;
    const current = this.rules[r]?.[col.key];
    const currentText = col.kind === "input" && current === undefined ? "" : this.cellText(col, current);
    if (ed.draft === currentText) return;
    const next = this.parseDraft(col, ed.draft);
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    this.edit(["rules", r, col.key], next);
  }

  // -------------------------------------------------------------------------
  // rows and columns

  private addRow(fromGrid: boolean): void {
    if (this.readonly) return;
    const at = this.curRow === 0 ? this.rules.length : this.curRow;
    this.commitDoc(insertRule(this.doc, at));
    this.curRow = at + 1;
    if (this.curCol < 2) this.curCol = 2;
    if (fromGrid) this.focusAfterUpdate = "cell";
  }

  private removeRow(fromGrid: boolean): void {
    const r = this.curRow - 1;
    if (this.readonly || r < 0 || this.rules.length <= 1) return;
    this.commitDoc(removeRule(this.doc, r));
    this.curRow = Math.min(this.curRow, this.rules.length);
    if (fromGrid) this.focusAfterUpdate = "cell";
  }

  private moveRow(delta: number, fromGrid: boolean): void {
    const r = this.curRow - 1;
    const to = r + delta;
    if (this.readonly || r < 0 || to < 0 || to >= this.rules.length) return;
    this.commitDoc(moveRule(this.doc, r, to));
    this.curRow = to + 1;
    if (fromGrid) this.focusAfterUpdate = "cell";
  }

  private currentGroup(): { group: ColumnGroup; index: number } | undefined {
    const col = gridColumns(this.doc)[this.curCol];
    if (col?.kind === "input") return { group: "inputs", index: col.index };
    if (col?.kind === "output") return { group: "outputs", index: col.index };
    return undefined;
  }

  private addColumn(group: ColumnGroup): void {
    if (this.readonly) return;
    const cur = this.currentGroup();
    const at = cur && cur.group === group ? cur.index + 1 : (this.doc[group]?.length ?? 0);
    const { doc, index } = addColumn(this.doc, group, at, group === "inputs" ? "input" : "output");
    this.commitDoc(doc);
    this.curCol = gridColumnOf(doc, group, index);
    this.focusAfterUpdate = "columnField";
  }

  private removeColumn(): void {
    const cur = this.currentGroup();
    if (this.readonly || !cur || (this.doc[cur.group]?.length ?? 0) <= 1) return;
    this.commitDoc(removeColumn(this.doc, cur.group, cur.index));
  }

  private moveColumn(delta: number, fromGrid: boolean): void {
    const cur = this.currentGroup();
    if (this.readonly || !cur) return;
    const to = cur.index + delta;
    if (to < 0 || to >= (this.doc[cur.group]?.length ?? 0)) return;
    const next = moveColumn(this.doc, cur.group, cur.index, to);
    this.commitDoc(next);
    this.curCol = gridColumnOf(next, cur.group, to);
    if (fromGrid) this.focusAfterUpdate = "cell";
  }
}


defineElement("rf-decision-table-editor", RfDecisionTableEditor);

declare global {
  interface HTMLElementTagNameMap {
    "rf-decision-table-editor": RfDecisionTableEditor;
  }
}
