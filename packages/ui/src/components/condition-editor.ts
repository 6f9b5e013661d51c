/**
 * `<rf-condition-editor>`: edits one condition tree (all / any / not groups,
 * fact-operator-value rows, expression conditions), either a bare condition
 * or the condition at `path` inside a whole definition. See
 * docs/ui/condition-editor.md.
 *
 * @packageDocumentation
 */
import { css, html, nothing, type TemplateResult } from "lit";
import { compileCondition, isRuleflowError, localizeIssues, type Condition, type Issue } from "@ruleflow/engine";
import { RfEditorElement, defineElement, getIn, pathStartsWith, pathText, type JsonPath } from "../shared/base.js";
import { isList } from "../shared/json.js";
import { COMMON, defineMessages, translator } from "../shared/i18n.js";
import { themeStyles } from "../shared/theme.js";
import {
  GROUP_TYPES,
  OPERATORS,
  caretAt,
  childrenOf,
  coerceValue,
  convertScalar,
  displayKind,
  inputText,
  isFactRef,
  issuePosition,
  moveItem,
  newFactRow,
  nodeKind,
  parseInput,
  pathId,
  setGroupType,
  valueKinds,
  valueShape,
  type GroupType,
  type ValueKind,
} from "./condition-editor/model.js";


const MESSAGES = defineMessages({
  en: {
    editor: "Condition editor",
    condition: "Condition {n}",
    rootCondition: "Condition",
    expressionRow: "Condition {n} (expression)",
    groupType: "Group type",
    all: "All of these are true",
    any: "Any of these is true",
    not: "This is not true",
    fact: "Fact",
    operator: "Operator",
    valueType: "Value type",
    label: "Label",
    labelPlaceholder: "label (optional)",
    expression: "Expression",
    text: "Text",
    number: "Number",
    boolean: "Yes / no",
    factRef: "Another fact",
    yes: "yes (true)",
    no: "no (false)",
    present: "is present",
    missing: "is missing",
    from: "From",
    to: "To",
    item: "Item {n}",
    addItem: "Add item",
    removeItem: "Remove item {n}",
    addCondition: "Condition",
    addExpression: "Expression",
    addGroup: "Group",
    addConditionTo: "Add a condition to {group}",
    addExpressionTo: "Add an expression to {group}",
    addGroupTo: "Add a group to {group}",
    moveUpNamed: "Move {name} up",
    moveDownNamed: "Move {name} down",
    removeNamed: "Remove {name}",
    empty: "No condition yet.",
    addFirst: "Add a condition",
    notACondition: "Not a condition:",
    replaceWithCondition: "Replace with a condition",
    elsewhere: "{n} more problem(s) elsewhere in the document",
    lineColumn: "line {line}, column {column}",
    datePlaceholder: "2026-03-01",
    durationPlaceholder: "P30D",
    eq: "equals",
    ne: "does not equal",
    gt: "is greater than",
    gte: "is at least",
    lt: "is less than",
    lte: "is at most",
    in: "is one of",
    notIn: "is not one of",
    contains: "contains",
    notContains: "does not contain",
    between: "is between",
    exists: "exists",
    startsWith: "starts with",
    endsWith: "ends with",
    before: "is before",
    after: "is after",
    withinLast: "is within the last",
  },
  "zh-CN": {
    editor: "条件编辑器",
    condition: "条件 {n}",
    rootCondition: "条件",
    expressionRow: "条件 {n}（表达式）",
    groupType: "条件组类型",
    all: "以下全部满足",
    any: "以下任一满足",
    not: "以下不成立",
    fact: "字段",
    operator: "运算符",
    valueType: "值类型",
    label: "说明",
    labelPlaceholder: "说明（可选）",
    expression: "表达式",
    text: "文本",
    number: "数字",
    boolean: "是 / 否",
    factRef: "另一个字段",
    yes: "是（true）",
    no: "否（false）",
    present: "有值",
    missing: "无值",
    from: "从",
    to: "到",
    item: "第 {n} 项",
    addItem: "添加一项",
    removeItem: "删除第 {n} 项",
    addCondition: "条件",
    addExpression: "表达式",
    addGroup: "条件组",
    addConditionTo: "向{group}添加条件",
    addExpressionTo: "向{group}添加表达式",
    addGroupTo: "向{group}添加条件组",
    moveUpNamed: "上移{name}",
    moveDownNamed: "下移{name}",
    removeNamed: "删除{name}",
    empty: "还没有条件。",
    addFirst: "添加条件",
    notACondition: "不是有效的条件：",
    replaceWithCondition: "替换为条件",
    elsewhere: "文档其他位置还有 {n} 个问题",
    lineColumn: "第 {line} 行，第 {column} 列",
    datePlaceholder: "2026-03-01",
    durationPlaceholder: "P30D",
    eq: "等于",
    ne: "不等于",
    gt: "大于",
    gte: "大于等于",
    lt: "小于",
    lte: "小于等于",
    in: "属于",
    notIn: "不属于",
    contains: "包含",
    notContains: "不包含",
    between: "介于",
    exists: "存在",
    startsWith: "开头是",
    endsWith: "结尾是",
    before: "早于",
    after: "晚于",
    withinLast: "在最近时长内",
  },
});

type T = ReturnType<typeof translator<keyof (typeof MESSAGES)["en"]>>;
type Obj = Record<string, unknown>;

/** Where a child node sits in its parent group (for its move and remove buttons). */
interface Place {
  /** The path of the parent's list (`[..., "all"]`). */
  listPath: JsonPath;
  index: number;
  count: number;
}

/**
 * Edits one condition tree: `all` / `any` / `not` groups, fact rows (fact,
 * operator, a value typed by the operator: one value, a list for `in` /
 * `notIn`, two for `between`, present/missing for `exists`) and expression
 * rows whose syntax errors are marked at their position.
 *
 * **Two modes, one API.** `definition` is the JSON document and `path` the
 * JSON path of the condition inside it:
 * - `path` empty (the default): `definition` IS the condition. It is checked
 *   with the engine's `compileCondition`; the issues it throws become
 *   `issues`, with paths relative to the condition.
 * - `path` not empty (e.g. `["rules", 0, "when"]`, `["eligibility"]`):
 *   `definition` is a whole definition document, validated with the engine's
 *   `validateDefinition`; only the condition at `path` is shown and edited,
 *   and issue paths are the document's.
 *
 * Either way every edit dispatches `change` with `detail: { definition, issues }`:
 * the whole (new) document and all of its issues.
 *
 * @example
 * ```html
 * <rf-condition-editor locale="zh-CN"></rf-condition-editor>
 * <script type="module">
 *   import "@ruleflow/ui/condition-editor";
 *   const el = document.querySelector("rf-condition-editor");
 *   el.definition = ruleSet;            // a whole rule set
 *   el.path = ["rules", 0, "when"];     // edit its first rule's condition
 *   el.addEventListener("change", (e) => save(e.detail.definition, e.detail.issues));
 * </script>
 * ```
 */
export class RfConditionEditor extends RfEditorElement<unknown> {
  static override properties = {
    ...RfEditorElement.properties,
    path: { attribute: false },
    facts: { attribute: false },
  };

  static override styles = [
    themeStyles,
    css`
      .group {
        border: 1px solid var(--_border);
        border-left: 4px solid var(--_accent);
        border-radius: var(--_radius);
        padding: var(--_space);
        background: var(--_bg);
      }
      .group.not {
        border-left-color: var(--_warn);
      }
      .group > .head,
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: calc(var(--_space) * 0.75);
      }
      .children {
        list-style: none;
        margin: var(--_space) 0 0;
        padding: 0 0 0 calc(var(--_space) * 2);
        display: flex;
        flex-direction: column;
        gap: var(--_space);
      }
      .children > li {
        margin: 0;
      }
      .row {
        padding: calc(var(--_space) * 0.5) var(--_space);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
      }
      .num {
        min-width: 2.2em;
        color: var(--_muted);
        font-size: 12px;
        font-variant-numeric: tabular-nums;
      }
      .badge {
        font-family: var(--_mono);
        font-size: 12px;
        color: var(--_muted);
      }
      input.fact {
        width: 15em;
      }
      input.value {
        width: 9em;
      }
      .list input.value {
        width: 7em;
      }
      input.label {
        flex: 1 1 9em;
        min-width: 9em;
        max-width: 22em;
      }
      textarea.expr {
        flex: 1 1 24em;
        min-width: 16em;
        resize: vertical;
        font-family: var(--_mono);
      }
      .list {
        display: inline-flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px;
      }
      .item {
        display: inline-flex;
        align-items: center;
        gap: 2px;
      }
      .item input {
        width: 7em;
      }
      .actions {
        margin-left: auto;
        display: inline-flex;
        gap: 4px;
      }
      .icon {
        min-width: 2em;
      }
      .adders {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        margin-top: var(--_space);
        padding-left: calc(var(--_space) * 2);
      }
      .msgs {
        margin: 2px 0 0 calc(var(--_space) * 4);
      }
      .msgs .rf-issue {
        margin: 2px 0;
      }
      .where {
        font-weight: 600;
      }
      .caret {
        margin: 2px 0;
        padding: 2px 6px;
        border-radius: calc(var(--_radius) - 2px);
        background: var(--_surface);
        color: var(--_text);
        white-space: pre;
        overflow-x: auto;
        line-height: 1.5;
      }
      .caret .pad {
        visibility: hidden;
      }
      .caret .at {
        color: var(--_fail);
        font-weight: 700;
      }
      .caret mark {
        background: color-mix(in srgb, var(--_fail) 25%, transparent);
        color: inherit;
        border-radius: 2px;
        outline: 1px solid var(--_fail);
      }
      .empty,
      .elsewhere {
        color: var(--_muted);
      }
      .unknown code {
        font-family: var(--_mono);
        font-size: 12px;
      }
    `,
  ];

  /**
   * The JSON path of the condition inside `definition`. Empty (the default):
   * `definition` is the condition itself. Not empty: `definition` is a whole
   * definition document (validated with `validateDefinition`).
   */
  declare path: JsonPath;
  /**
   * Fact paths the fact inputs suggest (free text is still allowed). Default:
   * the definition's own `facts` list when it has one, plus the facts the
   * condition already uses.
   */
  declare facts: readonly string[] | undefined;

  private pendingFocus: { node: string; action?: string } | undefined = undefined;

  constructor() {
    super();
    this.path = [];
    this.facts = undefined;
  }

  private get t(): T {
    return translator(MESSAGES, this.uiLocale);
  }

  /** The shared words (COMMON). */
  private get c(): ReturnType<typeof translator<keyof (typeof COMMON)["en"]>> {
    return translator(COMMON, this.uiLocale);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (changed.has("path") && !changed.has("definition") && !changed.has("locale") && this.definition !== undefined) {
      this.issues = this.validate(this.definition);
    }
  }

  /**
   * A bare condition (`path` empty) is compiled with `compileCondition`: the
   * issues of the `ValidationError` it throws (or the position of an
   * `ExpressionError`) are returned in the element's locale. A document
   * (`path` not empty) is validated with `validateDefinition`.
   */
  protected override validate(doc: unknown): Issue[] {
    if (this.path.length > 0) return super.validate(doc);
    try {
      compileCondition(doc as Condition);
      return [];
    } catch (e) {
      if (isRuleflowError(e, "VALIDATION_ERROR")) return localizeIssues(e.issues, this.uiLocale);
      if (isRuleflowError(e, "EXPRESSION_ERROR")) return [{ code: "invalid_expression", path: [], message: e.message, params: { position: e.position } }];
      return [{ code: "invalid_value", path: [], message: e instanceof Error ? e.message : String(e) }];
    }
  }

  /** The facts the fact inputs suggest. */
  private suggestions(root: unknown): string[] {
    const out = new Set<string>();
    const declared = this.facts ?? (this.path.length > 0 ? getIn(this.definition, ["facts"]) : undefined);
    if (Array.isArray(declared)) for (const f of declared) if (typeof f === "string") out.add(f);
    const walk = (n: unknown, depth: number): void => {
      if (depth > 64 || n === null || typeof n !== "object") return;
      const kind = nodeKind(n);
      const o = n as Obj;
      if (kind === "fact") {
        if (typeof o.fact === "string" && o.fact) out.add(o.fact);
        if (isFactRef(o.value) && o.value.fact) out.add(o.value.fact);
      }
      const c = childrenOf(n);
      if (c?.key === "not") walk(c.child, depth + 1);
      else if (c) for (const child of c.list) walk(child, depth + 1);
    };
    walk(root, 0);
    return [...out];
  }

  override render(): TemplateResult {
    const t = this.t;
    const root = this.path.length > 0 ? getIn(this.definition, this.path) : this.definition;
    const facts = this.suggestions(root);
    const elsewhere = this.issues.filter((i) => !pathStartsWith(i.path, this.path));
    return html`<div class="editor" role="group" aria-label=${t("editor")}>
      ${root === undefined ? this.renderEmpty() : this.renderNode(root, this.path, "", undefined)}
      <datalist id="rf-facts">${facts.map((f) => html`<option value=${f}></option>`)}</datalist>
      ${elsewhere.length > 0 ? html`<p class="elsewhere" role="status">${t("elsewhere", { n: elsewhere.length })}</p>` : nothing}
    </div>`;
  }

  private renderEmpty(): TemplateResult {
    const t = this.t;
    return html`<div class="empty" data-node=${pathId(this.path)}>
      ${t("empty")}
      ${this.readonly ? nothing : html`<button type="button" @click=${() => this.change(this.path, { all: [newFactRow(this.suggestions(undefined))] }, [...this.path, "all", 0])}>
            + ${t("addFirst")}
          </button>`}
      ${this.renderMessages(this.issuesAt(this.path))}
    </div>`;
  }

  /** The name of a node for labels: "Condition 2.1", or "Condition" for the root. */
  private nameOf(num: string): string {
    return num ? this.t("condition", { n: num }) : this.t("rootCondition");
  }

  private renderNode(node: unknown, path: JsonPath, num: string, place: Place | undefined): TemplateResult {
    const kind = nodeKind(node);
    const onKey = place ? (e: KeyboardEvent) => this.moveKey(e, path, place) : undefined;
    if (kind === "all" || kind === "any" || kind === "not") return this.renderGroup(node as Obj, kind, path, num, place, onKey);
    // a leaf at the root: adding a sibling wraps both in an "all" group
    const adders = place === undefined && num === "" ? this.renderAdders(node, path, this.nameOf(num)) : nothing;
    if (kind === "expr") return html`${this.renderExpr(node as Obj, path, num, place, onKey)}${adders}`;
    if (kind === "fact") return html`${this.renderFact(node as Obj, path, num, place, onKey)}${adders}`;
    return this.renderUnknown(node, path, num, place);
  }

  private renderGroup(node: Obj, kind: GroupType, path: JsonPath, num: string, place: Place | undefined, onKey: ((e: KeyboardEvent) => void) | undefined): TemplateResult {
    const t = this.t;
    const name = this.nameOf(num);
    const ro = this.readonly;
    const c = childrenOf(node)!;
    const typePath = [...path, kind];
    const claimed: JsonPath[] = [[...path, "label"]];
    let body: TemplateResult;
    if (c.key === "not") {
      claimed.push([...path, "not"]);
      body = html`<div class="children">${this.renderNode(c.child, [...path, "not"], num ? `${num}.1` : "1", undefined)}</div>`;
    } else {
      c.list.forEach((_, i) => claimed.push([...path, c.key, i]));
      const listPath = [...path, c.key];
      body = html`<ol class="children">
        ${c.list.map(
          (child, i) => html`<li>${this.renderNode(child, [...listPath, i], num ? `${num}.${i + 1}` : String(i + 1), { listPath, index: i, count: c.list.length })}</li>`,
        )}
      </ol>`;
    }
    const own = this.issuesUnder(path).filter((i) => !claimed.some((p) => pathStartsWith(i.path, p)));
    const ownId = `${pathId(path)}-msg`;
    return html`<div class="group ${kind}" role="group" aria-label=${`${name}: ${t(kind)}`} data-node=${pathId(path)} @keydown=${onKey}>
      <div class="head">
        ${num ? html`<span class="num" aria-hidden="true">${num}</span>` : nothing}
        <select
          aria-label=${`${t("groupType")} (${name})`}
          data-field="group"
          ?disabled=${ro}
          aria-invalid=${own.length ? "true" : "false"}
          aria-describedby=${own.length ? ownId : nothing}
          @change=${(e: Event) => this.change(path, setGroupType(node, (e.target as HTMLSelectElement).value as GroupType))}
        >
          ${GROUP_TYPES.map((g) => html`<option value=${g} ?selected=${g === kind}>${t(g)}</option>`)}
        </select>
        ${this.renderLabel(node, path, name)} ${this.renderActions(name, place)}
      </div>
      ${this.renderMessages(own, ownId, typePath)} ${body} ${c.key === "not" ? nothing : this.renderAdders(node, path, name)}
    </div>`;
  }

  private renderAdders(node: unknown, path: JsonPath, name: string): TemplateResult | typeof nothing {
    if (this.readonly) return nothing;
    const t = this.t;
    const facts = this.suggestions(undefined);
    const add = (child: unknown) => () => this.addChild(node, path, child);
    return html`<div class="adders" role="group" aria-label=${t("addConditionTo", { group: name })}>
      <button type="button" data-action="add-fact" aria-label=${t("addConditionTo", { group: name })} @click=${add(newFactRow(facts))}>+ ${t("addCondition")}</button>
      <button type="button" data-action="add-expr" aria-label=${t("addExpressionTo", { group: name })} @click=${add({ expr: "" })}>+ ${t("addExpression")}</button>
      <button type="button" data-action="add-group" aria-label=${t("addGroupTo", { group: name })} @click=${add({ any: [newFactRow(facts)] })}>+ ${t("addGroup")}</button>
    </div>`;
  }

  private renderFact(node: Obj, path: JsonPath, num: string, place: Place | undefined, onKey: ((e: KeyboardEvent) => void) | undefined): TemplateResult {
    const t = this.t;
    const name = this.nameOf(num);
    const ro = this.readonly;
    const op = typeof node.op === "string" ? node.op : "";
    const factPath = [...path, "fact"];
    const opPath = [...path, "op"];
    const valuePath = [...path, "value"];
    const factIssues = this.issuesUnder(factPath);
    const opIssues = this.issuesUnder(opPath);
    const valueIssues = this.issuesUnder(valuePath);
    const claimed = [factPath, opPath, valuePath, [...path, "label"]];
    const own = this.issuesUnder(path).filter((i) => !claimed.some((p) => pathStartsWith(i.path, p)));
    return html`<div class="node" data-node=${pathId(path)} @keydown=${onKey}>
      <div class="row fact" role="group" aria-label=${name}>
        ${num ? html`<span class="num" aria-hidden="true">${num}</span>` : nothing}
        <input
          class="fact rf-mono"
          list="rf-facts"
          data-field="fact"
          aria-label=${`${t("fact")} (${name})`}
          placeholder="order.amount"
          .value=${inputText(node.fact)}
          ?disabled=${ro}
          aria-invalid=${factIssues.length ? "true" : "false"}
          aria-describedby=${factIssues.length ? `${pathId(factPath)}-msg` : nothing}
          @change=${(e: Event) => this.change(factPath, (e.target as HTMLInputElement).value.trim())}
        />
        <select
          data-field="op"
          aria-label=${`${t("operator")} (${name})`}
          ?disabled=${ro}
          aria-invalid=${opIssues.length ? "true" : "false"}
          aria-describedby=${opIssues.length ? `${pathId(opPath)}-msg` : nothing}
          @change=${(e: Event) => this.setOperator(node, path, (e.target as HTMLSelectElement).value)}
        >
          ${(OPERATORS as readonly string[]).includes(op) ? nothing : html`<option value=${op} selected>${op}</option>`}
          ${OPERATORS.map((o) => html`<option value=${o} ?selected=${o === op}>${t(o)}</option>`)}
        </select>
        ${this.renderValue(node, op, valuePath, name, valueIssues)} ${this.renderLabel(node, path, name)} ${this.renderActions(name, place)}
      </div>
      ${this.renderMessages(factIssues, `${pathId(factPath)}-msg`, factPath)} ${this.renderMessages(opIssues, `${pathId(opPath)}-msg`, opPath)}
      ${this.renderMessages(valueIssues, `${pathId(valuePath)}-msg`, valuePath)} ${this.renderMessages(own, `${pathId(path)}-msg`, path)}
    </div>`;
  }

  private renderValue(node: Obj, op: string, valuePath: JsonPath, name: string, issues: Issue[]): TemplateResult | typeof nothing {
    const t = this.t;
    const ro = this.readonly;
    const value = node.value;
    const shape = valueShape(op);
    const invalid = issues.length ? "true" : "false";
    const describedBy = issues.length ? `${pathId(valuePath)}-msg` : nothing;
    if (shape === "exists") {
      return html`<select
        data-field="value"
        aria-label=${`${this.c("value")} (${name})`}
        ?disabled=${ro}
        aria-invalid=${invalid}
        aria-describedby=${describedBy}
        @change=${(e: Event) => this.change(valuePath, (e.target as HTMLSelectElement).value === "missing" ? false : undefined)}
      >
        <option value="present" ?selected=${value !== false}>${t("present")}</option>
        <option value="missing" ?selected=${value === false}>${t("missing")}</option>
      </select>`;
    }
    const kinds = valueKinds(op);
    const kind = displayKind(op, value);
    const kindSelect =
      kinds.length > 1
        ? html`<select data-field="kind" aria-label=${`${t("valueType")} (${name})`} ?disabled=${ro} @change=${(e: Event) => this.setKind(node, op, valuePath, (e.target as HTMLSelectElement).value as ValueKind)}>
            ${kinds.map((k) => html`<option value=${k} ?selected=${k === kind}>${t(k === "fact" ? "factRef" : k)}</option>`)}
          </select>`
        : nothing;
    const placeholder = op === "before" || op === "after" ? t("datePlaceholder") : op === "withinLast" ? t("durationPlaceholder") : "";
    const one = (v: unknown, path: JsonPath, label: string, field: string, cls = "value"): TemplateResult => {
      if (kind === "boolean") {
        return html`<select data-field=${field} aria-label=${label} ?disabled=${ro} aria-invalid=${invalid} aria-describedby=${describedBy} @change=${(e: Event) => this.change(path, (e.target as HTMLSelectElement).value === "true")}>
          <option value="true" ?selected=${v === true}>${t("yes")}</option>
          <option value="false" ?selected=${v !== true}>${t("no")}</option>
        </select>`;
      }
      return html`<input
        class="${cls} ${kind === "fact" ? "rf-mono" : ""}"
        data-field=${field}
        type=${kind === "number" ? "number" : "text"}
        step=${kind === "number" ? "any" : nothing}
        list=${kind === "fact" ? "rf-facts" : nothing}
        placeholder=${kind === "fact" ? "order.amount" : placeholder}
        aria-label=${label}
        .value=${inputText(v)}
        ?disabled=${ro}
        aria-invalid=${invalid}
        aria-describedby=${describedBy}
        @change=${(e: Event) => {
          const parsed = parseInput(kind, (e.target as HTMLInputElement).value);
          this.change(path, path.length > valuePath.length && parsed === undefined ? null : parsed);
        }}
      />`;
    };
    if (shape === "scalar" || isFactRef(value)) {
      return html`${kindSelect}${one(value, valuePath, `${this.c("value")} (${name})`, "value")}`;
    }
    const items = isList(value) ? value : [];
    if (shape === "pair") {
      return html`${kindSelect}
        <span class="list">
          ${one(items[0], [...valuePath, 0], `${t("from")} (${name})`, "from")}<span aria-hidden="true">–</span>${one(items[1], [...valuePath, 1], `${t("to")} (${name})`, "to")}
        </span>`;
    }
    // list
    return html`${kindSelect}
      <span class="list" role="group" aria-label=${`${this.c("value")} (${name})`}>
        ${items.map(
          (v, i) => html`<span class="item"
            >${one(v, [...valuePath, i], `${t("item", { n: i + 1 })} (${name})`, `item-${i}`, "")}
            ${ro
              ? nothing
              : html`<button type="button" class="icon" data-action="remove-item" aria-label=${`${t("removeItem", { n: i + 1 })} (${name})`} @click=${() => this.change(valuePath, items.filter((_, j) => j !== i))}>
                  ×
                </button>`}</span
          >`,
        )}
        ${ro
          ? nothing
          : html`<button type="button" data-action="add-item" aria-label=${`${t("addItem")} (${name})`} @click=${() => this.change(valuePath, [...items, kind === "number" ? 0 : ""], [...valuePath, items.length])}>
              + ${t("addItem")}
            </button>`}
      </span>`;
  }

  private renderExpr(node: Obj, path: JsonPath, num: string, place: Place | undefined, onKey: ((e: KeyboardEvent) => void) | undefined): TemplateResult {
    const t = this.t;
    const name = this.nameOf(num);
    const exprPath = [...path, "expr"];
    const source = typeof node.expr === "string" ? node.expr : inputText(node.expr);
    const exprIssues = this.issuesUnder(exprPath);
    const claimed = [exprPath, [...path, "label"]];
    const own = this.issuesUnder(path).filter((i) => !claimed.some((p) => pathStartsWith(i.path, p)));
    const msgId = `${pathId(exprPath)}-msg`;
    return html`<div class="node" data-node=${pathId(path)} @keydown=${onKey}>
      <div class="row expr" role="group" aria-label=${num ? t("expressionRow", { n: num }) : name}>
        ${num ? html`<span class="num" aria-hidden="true">${num}</span>` : nothing}<span class="badge" aria-hidden="true">ƒx</span>
        <textarea
          class="expr"
          data-field="expr"
          rows=${Math.min(6, source.split("\n").length)}
          spellcheck="false"
          aria-label=${`${t("expression")} (${name})`}
          placeholder='order.amount > 50000 and customer.segment == "new"'
          .value=${source}
          ?disabled=${this.readonly}
          aria-invalid=${exprIssues.length ? "true" : "false"}
          aria-describedby=${exprIssues.length ? msgId : nothing}
          @change=${(e: Event) => this.change(exprPath, (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        ${this.renderLabel(node, path, name)} ${this.renderActions(name, place)}
      </div>
      ${exprIssues.length
        ? html`<div class="msgs" id=${msgId} data-path=${pathText(exprPath)}>
            ${exprIssues.map((i) => html`${this.renderCaret(source, i)}<p class="rf-issue">${i.message}</p>`)}
          </div>`
        : nothing}
      ${this.renderMessages(own, `${pathId(path)}-msg`, path)}
    </div>`;
  }

  /** The expression's line with the character at the issue's position marked and a caret under it. */
  private renderCaret(source: string, issue: Issue): TemplateResult | typeof nothing {
    const position = issuePosition(issue);
    if (position === undefined) return nothing;
    const place = caretAt(source, position);
    const before = place.lineText.slice(0, place.column);
    const at = place.lineText.slice(place.column, place.column + 1);
    const after = place.lineText.slice(place.column + 1);
    const multiline = source.includes("\n");
    return html`<div class="caret rf-mono" data-position=${position} aria-hidden="true"
      ><div>${before}<mark>${at || " "}</mark>${after}</div
      ><div><span class="pad">${before}</span><span class="at">^</span>${multiline
          ? html` <span class="rf-muted">${this.t("lineColumn", { line: place.line + 1, column: place.column + 1 })}</span>`
          : nothing}</div></div
    >`;
  }

  private renderUnknown(node: unknown, path: JsonPath, num: string, place: Place | undefined): TemplateResult {
    const t = this.t;
    const name = this.nameOf(num);
    const issues = this.issuesUnder(path);
    return html`<div class="node" data-node=${pathId(path)}>
      <div class="row unknown" role="group" aria-label=${name}>
        ${num ? html`<span class="num" aria-hidden="true">${num}</span>` : nothing}
        <span>${t("notACondition")}</span><code>${JSON.stringify(node) ?? String(node)}</code>
        ${this.readonly ? nothing : html`<button type="button" data-action="replace" @click=${() => this.change(path, newFactRow(this.suggestions(undefined)))}>${t("replaceWithCondition")}</button>`}
        ${this.renderActions(name, place)}
      </div>
      ${this.renderMessages(issues, `${pathId(path)}-msg`, path)}
    </div>`;
  }

  private renderLabel(node: Obj, path: JsonPath, name: string): TemplateResult | typeof nothing {
    const labelPath = [...path, "label"];
    const issues = this.issuesUnder(labelPath);
    if (this.readonly && node.label === undefined) return nothing;
    return html`<input
        class="label"
        data-field="label"
        aria-label=${`${this.t("label")} (${name})`}
        placeholder=${this.t("labelPlaceholder")}
        .value=${inputText(node.label)}
        ?disabled=${this.readonly}
        aria-invalid=${issues.length ? "true" : "false"}
        aria-describedby=${issues.length ? `${pathId(labelPath)}-msg` : nothing}
        @change=${(e: Event) => this.change(labelPath, (e.target as HTMLInputElement).value.trim() || undefined)}
      />${issues.length ? this.renderMessages(issues, `${pathId(labelPath)}-msg`, labelPath) : nothing}`;
  }

  private renderActions(name: string, place: Place | undefined): TemplateResult | typeof nothing {
    if (!place || this.readonly) return nothing;
    const t = this.t;
    const { index, count, listPath } = place;
    return html`<span class="actions">
      <button type="button" class="icon" data-action="up" aria-label=${t("moveUpNamed", { name })} ?disabled=${index === 0} @click=${() => this.move(place, index - 1, "up")}>↑</button>
      <button type="button" class="icon" data-action="down" aria-label=${t("moveDownNamed", { name })} ?disabled=${index === count - 1} @click=${() => this.move(place, index + 1, "down")}>
        ↓
      </button>
      <button
        type="button"
        class="icon"
        data-action="remove"
        aria-label=${t("removeNamed", { name })}
        @click=${() => {
          const list = getIn(this.definition, listPath) as unknown[];
          this.change(listPath, list.filter((_, i) => i !== index), count > 1 ? [...listPath, Math.min(index, count - 2)] : listPath.slice(0, -1));
        }}
      >
        ×
      </button>
    </span>`;
  }

  /** Issue messages for one place, with the id the control's `aria-describedby` names. */
  private renderMessages(issues: Issue[], id?: string, path?: JsonPath): TemplateResult | typeof nothing {
    if (issues.length === 0) return nothing;
    return html`<div class="msgs" id=${id ?? nothing} data-path=${path ? pathText(path) : nothing} role="note">
      ${issues.map((i) => html`<p class="rf-issue">${i.message}</p>`)}
    </div>`;
  }

  // ---- edits ----

  /** Set the value at `path` (absolute, in `definition`), then move focus to `focus` (a node path) once rendered. */
  private change(path: JsonPath, value: unknown, focus?: JsonPath, action?: string): void {
    if (this.readonly) return;
    if (focus) this.pendingFocus = { node: pathId(focus), ...(action ? { action } : {}) };
    this.edit(path, value);
  }

  private addChild(node: unknown, path: JsonPath, child: unknown): void {
    const c = childrenOf(node);
    if (c && c.key !== "not") this.change([...path, c.key, c.list.length], child, [...path, c.key, c.list.length]);
    else this.change(path, { all: [node, child] }, [...path, "all", 1]);
  }

  private setOperator(node: Obj, path: JsonPath, op: string): void {
    const next: Obj = { ...node, op };
    const value = coerceValue(op, node.value);
    if (value === undefined) delete next.value;
    else next.value = value;
    this.change(path, next);
  }

  private setKind(node: Obj, op: string, valuePath: JsonPath, kind: ValueKind): void {
    const shape = valueShape(op);
    const value = node.value;
    let next: unknown;
    if (kind === "fact") next = { fact: isFactRef(value) ? value.fact : Array.isArray(value) ? inputText(value[0]) : inputText(value) };
    else if (shape === "list" || shape === "pair") {
      const items: unknown[] = (isList(value) ? value : isFactRef(value) ? [value] : []).map((v) => convertScalar(v, kind) ?? null);
      if (shape === "pair") while (items.length < 2) items.push(kind === "number" ? 0 : "");
      next = items;
    } else next = convertScalar(value, kind);
    this.change(valuePath, next);
  }

  private move(place: Place, to: number, action: "up" | "down"): void {
    const list = getIn(this.definition, place.listPath) as unknown[];
    if (to < 0 || to >= list.length) return;
    const target = to === 0 && action === "up" ? "down" : to === list.length - 1 && action === "down" ? "up" : action;
    this.change(place.listPath, moveItem(list, place.index, to), [...place.listPath, to], target);
  }

  /** Alt+ArrowUp / Alt+ArrowDown on a child node moves it within its group. */
  private moveKey(e: KeyboardEvent, _path: JsonPath, place: Place): void {
    if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown") || this.readonly) return;
    e.preventDefault();
    e.stopPropagation();
    this.move(place, place.index + (e.key === "ArrowUp" ? -1 : 1), e.key === "ArrowUp" ? "up" : "down");
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    const focus = this.pendingFocus;
    if (!focus) return;
    this.pendingFocus = undefined;
    const el = this.renderRoot.querySelector(`[data-node="${focus.node}"]`);
    if (!el) return;
    const target =
      (focus.action ? el.querySelector<HTMLElement>(`[data-action="${focus.action}"]:not(:disabled)`) : null) ??
      el.querySelector<HTMLElement>("input:not(:disabled), select:not(:disabled), textarea:not(:disabled), button:not(:disabled)");
    target?.focus();
  }
}

defineElement("rf-condition-editor", RfConditionEditor);

declare global {
  interface HTMLElementTagNameMap {
    "rf-condition-editor": RfConditionEditor;
  }
}
