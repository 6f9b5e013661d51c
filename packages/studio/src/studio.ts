/**
 * `<rf-studio>`: the Ruleflow Studio app. Open the examples or drop files;
 * edit each definition visually (the @ruleflow/ui component of its kind) or
 * as JSON (both views edit the same document); try it (evaluate against
 * sample facts, settle over an orders file, run a scenario on the virtual
 * clock) and read the explanation; compare two versions; export.
 */
import { LitElement, css, html, nothing, svg, type TemplateResult } from "lit";
import { toJsonSchemas, validateDefinition, type Issue } from "@ruleflow/engine";
import "@ruleflow/ui";
import { analyzeDefinition, type Finding } from "@ruleflow/engine/analysis";
import { diffJson, type Change } from "./diff.js";
import { exportText, isChanged, openDocument, withText, withValue, type StudioDocument } from "./documents.js";
import { EXAMPLE_DATA, EXAMPLE_DOCUMENTS, EXAMPLE_FACTS, EXAMPLE_ORDERS } from "./examples.js";
import "./json-editor.js";
import type { TextIssue } from "./json-editor.js";
import { MESSAGES, type StudioMessage } from "./messages.js";
import type { Schema } from "./schema-complete.js";
import { evaluateDocument, EVALUABLE_KINDS, identity, likelyPeriod, readOrderLines, runScenarioWith, scenarioFiles, settleDocument, type ScenarioRun, type Tried } from "./try.js";

type Tab = "visual" | "json" | "try" | "compare";
type Locale = "en" | "zh-CN";

const SCHEMAS: Record<string, Schema> = Object.fromEntries(
  Object.entries(toJsonSchemas() as unknown as Record<string, Schema>).map(([file, schema]) => [file.replace(/\.schema\.json$/, ""), schema]),
);

/** The @ruleflow/ui editor element of each kind that has one. */
const EDITORS: Record<string, string> = {
  "decision-table": "rf-decision-table-editor",
  workflow: "rf-workflow-diagram",
  promotion: "rf-promotion-editor",
  rebate: "rf-rebate-editor",
  rollout: "rf-rollout-editor",
};

interface TryState {
  factsText?: string | undefined;
  at?: string | undefined;
  result?: Tried<unknown> | undefined;
  orders?: { fileName: string; text: string } | undefined;
  period?: string | undefined;
  scenarioKey?: string | undefined;
  instanceAlias?: string | undefined;
  report?: Tried<unknown> | undefined;
}

/** The studio application element. */
export class RfStudio extends LitElement {
  static override properties = {
    locale: { type: String, reflect: true },
    docs: { state: true },
    selected: { state: true },
    tab: { state: true },
    tries: { state: true },
    compareKey: { state: true },
    notice: { state: true },
    dragging: { state: true },
    statementLine: { state: true },
  };

  declare locale: Locale;
  declare docs: StudioDocument[];
  declare selected: string | undefined;
  declare tab: Tab;
  declare tries: Record<string, TryState>;
  declare compareKey: string | undefined;
  declare notice: string | undefined;
  declare dragging: boolean;
  /** The statement line whose explanation shows. */
  declare statementLine: number | undefined;

  constructor() {
    super();
    const fromUrl = new URLSearchParams(location.search).get("lang");
    this.locale = fromUrl && /^zh/i.test(fromUrl) ? "zh-CN" : "en";
    const taken = new Set<string>();
    this.docs = EXAMPLE_DOCUMENTS.map((f) => {
      const d = openDocument(f.fileName, f.text, "example", taken);
      taken.add(d.key);
      return d;
    });
    this.selected = this.docs[0]?.key;
    this.tab = "visual";
    this.tries = {};
    this.compareKey = undefined;
    this.notice = undefined;
    this.dragging = false;
    this.statementLine = undefined;
  }

  private t(key: StudioMessage, params: Record<string, string | number> = {}): string {
    return MESSAGES[this.locale][key].replace(/\{(\w+)\}/g, (w, k: string) => (k in params ? String(params[k]) : w));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("dragover", this.onDragOver);
    window.addEventListener("dragleave", this.onDragLeave);
    window.addEventListener("drop", this.onDrop);
  }

  override disconnectedCallback(): void {
    window.removeEventListener("dragover", this.onDragOver);
    window.removeEventListener("dragleave", this.onDragLeave);
    window.removeEventListener("drop", this.onDrop);
    super.disconnectedCallback();
  }

  private onDragOver = (e: DragEvent): void => {
    e.preventDefault();
    this.dragging = true;
  };
  private onDragLeave = (): void => {
    this.dragging = false;
  };
  private onDrop = (e: DragEvent): void => {
    e.preventDefault();
    this.dragging = false;
    if (e.dataTransfer?.files.length) void this.openFiles([...e.dataTransfer.files]);
  };

  /** Open files: definitions and scenarios become documents; order files go to the selected rebate program's try panel. */
  async openFiles(files: File[]): Promise<void> {
    const notes: string[] = [];
    let opened = 0;
    let docs = this.docs;
    for (const file of files) {
      const text = await file.text();
      if (/\.(jsonl|csv)$/i.test(file.name)) {
        const target = this.current && identity(this.current.value).kind === "rebate" ? this.current : docs.find((d) => identity(d.value).kind === "rebate");
        if (target) {
          this.setTry(target.key, { orders: { fileName: file.name, text }, result: undefined });
          this.selected = target.key;
          this.tab = "try";
        }
        opened++;
        continue;
      }
      try {
        const doc = openDocument(file.name, text, "file", new Set(docs.map((d) => d.key)));
        docs = [...docs, doc];
        this.selected = doc.key;
        opened++;
      } catch (e) {
        // a file that is not JSON still opens, so it can be fixed in the JSON view
        const doc: StudioDocument = { key: file.name, fileName: file.name, source: "file", originalText: text, value: undefined, text };
        notes.push(this.t("skipped", { file: file.name, reason: (e as Error).message }));
        docs = [...docs, { ...doc, key: docs.some((d) => d.key === doc.key) ? `${doc.key} (${docs.length})` : doc.key }];
        this.selected = docs.at(-1)!.key;
        this.tab = "json";
      }
    }
    this.docs = docs;
    this.notice = [this.t("openedFiles", { n: opened }), ...notes].join(" · ");
  }

  private get current(): StudioDocument | undefined {
    return this.docs.find((d) => d.key === this.selected);
  }

  private replaceDoc(next: StudioDocument): void {
    this.docs = this.docs.map((d) => (d.key === next.key ? next : d));
  }

  /** The engine's static analysis of a valid document (overlaps, gaps, unreachable rows, ...), with the other open documents for calendars and tables. */
  private findingsOf(doc: StudioDocument, issues: readonly Issue[]): Finding[] {
    if (doc.value === undefined || issues.length) return [];
    const kind = identity(doc.value).kind;
    if (!kind || kind === "scenario" || kind === "test-suite") return [];
    try {
      const others: Record<string, unknown> = {};
      for (const d of this.docs) {
        const id = identity(d.value).id;
        if (d !== doc && id !== undefined && !(id in others)) others[id] = d.value;
      }
      return analyzeDefinition(doc.value, { locale: this.locale, definitions: others }).findings;
    } catch {
      return [];
    }
  }

  private issuesOf(doc: StudioDocument): Issue[] {
    if (doc.value === undefined) return [];
    const r = validateDefinition(doc.value, { locale: this.locale });
    return r.ok ? [] : r.issues;
  }

  private setTry(key: string, patch: Partial<TryState>): void {
    this.tries = { ...this.tries, [key]: { ...this.tries[key], ...patch } };
  }

  private download(doc: StudioDocument): void {
    const blob = new Blob([exportText(doc)], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = doc.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  static override styles = css`
    :host {
      display: grid;
      grid-template-columns: 260px 1fr;
      grid-template-rows: auto 1fr;
      height: 100vh;
      font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
      font-size: 14px;
      color: var(--rf-color-text, #1f2328);
    }
    header {
      grid-column: 1 / 3;
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 8px 16px;
      border-bottom: 1px solid #d1d9e0;
      background: #f6f8fa;
    }
    header h1 {
      font-size: 18px;
      margin: 0;
    }
    header p {
      margin: 0;
      color: #59636e;
      flex: 1;
    }
    nav {
      overflow: auto;
      border-right: 1px solid #d1d9e0;
      padding: 8px;
    }
    nav h2 {
      font-size: 12px;
      text-transform: uppercase;
      color: #59636e;
      margin: 12px 4px 4px;
    }
    nav ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    nav button {
      display: block;
      width: 100%;
      text-align: left;
      border: 0;
      background: none;
      padding: 4px 6px;
      border-radius: 6px;
      cursor: pointer;
      font: inherit;
      color: inherit;
    }
    nav button[aria-current="true"] {
      background: #ddf4ff;
      font-weight: 600;
    }
    nav .badge {
      font-size: 11px;
      color: #7d4e00;
      margin-left: 4px;
    }
    main {
      overflow: auto;
      padding: 12px 16px;
    }
    .docbar {
      display: flex;
      align-items: baseline;
      gap: 12px;
      flex-wrap: wrap;
    }
    .docbar h2 {
      margin: 0;
      font-size: 17px;
    }
    .status-ok {
      color: #1a7f37;
    }
    .status-bad {
      color: #cf222e;
    }
    [role="tablist"] {
      display: flex;
      gap: 4px;
      margin: 10px 0;
      border-bottom: 1px solid #d1d9e0;
    }
    [role="tab"] {
      border: 1px solid transparent;
      border-bottom: 0;
      background: none;
      padding: 6px 12px;
      border-radius: 6px 6px 0 0;
      cursor: pointer;
      font: inherit;
      color: inherit;
    }
    [role="tab"][aria-selected="true"] {
      border-color: #d1d9e0;
      background: white;
      margin-bottom: -1px;
      font-weight: 600;
    }
    button.action {
      font: inherit;
      padding: 4px 12px;
      border: 1px solid #d1d9e0;
      border-radius: 6px;
      background: #f6f8fa;
      cursor: pointer;
    }
    button.primary {
      background: #1f883d;
      color: white;
      border-color: #1a7f37;
    }
    .notice {
      font-size: 12px;
      color: #59636e;
    }
    .drop {
      position: fixed;
      inset: 0;
      background: rgb(9 105 218 / 12%);
      border: 3px dashed #0969da;
      display: grid;
      place-items: center;
      font-size: 20px;
      pointer-events: none;
    }
    .row {
      display: flex;
      gap: 12px;
      align-items: end;
      flex-wrap: wrap;
      margin: 8px 0;
    }
    label.field {
      display: flex;
      flex-direction: column;
      gap: 2px;
      font-size: 12px;
      color: #59636e;
    }
    input,
    select {
      font: inherit;
      padding: 3px 6px;
      border: 1px solid #d1d9e0;
      border-radius: 4px;
    }
    .error {
      color: #cf222e;
      white-space: pre-wrap;
    }
    .issues {
      margin: 8px 0;
      padding-left: 18px;
      color: #cf222e;
    }
    .two {
      display: grid;
      grid-template-columns: minmax(280px, 1fr) minmax(320px, 1.3fr);
      gap: 16px;
    }
    table.statement {
      border-collapse: collapse;
      font-variant-numeric: tabular-nums;
    }
    table.statement th,
    table.statement td {
      border-bottom: 1px solid #d1d9e0;
      padding: 3px 8px;
      text-align: right;
    }
    table.statement th:first-child,
    table.statement td:first-child {
      text-align: left;
    }
    .diff li {
      font-family: ui-monospace, Menlo, Consolas, monospace;
      margin: 2px 0;
    }
    .diff .added {
      color: #1a7f37;
    }
    .diff .removed {
      color: #cf222e;
    }
    button.link {
      border: 0;
      background: none;
      padding: 0;
      font: inherit;
      color: #0969da;
      cursor: pointer;
      text-align: left;
    }
    tr.selected td {
      background: #ddf4ff;
    }
    .findings {
      padding-left: 18px;
    }
    .finding--error strong {
      color: #cf222e;
    }
    .finding--warning strong {
      color: #7d4e00;
    }
    pre.output {
      background: #f6f8fa;
      padding: 8px;
      border-radius: 6px;
      overflow: auto;
    }
  `;

  override render(): TemplateResult {
    const groups = new Map<string, StudioDocument[]>();
    for (const d of this.docs) {
      const kind = identity(d.value).kind ?? "?";
      groups.set(kind, [...(groups.get(kind) ?? []), d]);
    }
    const doc = this.current;
    return html`
      <header>
        <h1>${this.t("title")}</h1>
        <p>${this.t("subtitle")}</p>
        <label class="field"
          >${this.t("language")}
          <select aria-label=${this.t("language")} @change=${(e: Event) => (this.locale = (e.target as HTMLSelectElement).value as Locale)}>
            <option value="en" ?selected=${this.locale === "en"}>English</option>
            <option value="zh-CN" ?selected=${this.locale === "zh-CN"}>简体中文</option>
          </select></label
        >
        <label class="action" style="cursor:pointer"
          >${this.t("open")}
          <input
            type="file"
            multiple
            accept=".json,.jsonl,.csv,application/json"
            style="display:none"
            @change=${(e: Event) => {
              const input = e.target as HTMLInputElement;
              void this.openFiles([...(input.files ?? [])]);
              input.value = "";
            }}
        /></label>
        <button class="action" ?disabled=${!this.docs.some((d) => d.value !== undefined && isChanged(d))} @click=${() => this.docs.filter((d) => d.value !== undefined && isChanged(d)).forEach((d) => this.download(d))}>
          ${this.t("exportAll")}
        </button>
      </header>
      <nav aria-label=${this.t("documents")}>
        <div class="notice" aria-live="polite">${this.notice ?? this.t("dropHere")}</div>
        ${[...groups].map(
          ([kind, docs]) => html`<h2>${kind}</h2>
            <ul>
              ${docs.map(
                (d) => html`<li>
                  <button aria-current=${d.key === this.selected ? "true" : "false"} @click=${() => (this.selected = d.key)}>
                    ${identity(d.value).name ?? d.fileName}${d.value !== undefined && isChanged(d) ? html`<span class="badge">● ${this.t("changed")}</span>` : nothing}
                    <div class="notice">${d.fileName}</div>
                  </button>
                </li>`,
              )}
            </ul>`,
        )}
      </nav>
      <main>${doc ? this.renderDoc(doc) : nothing}</main>
      ${this.dragging ? html`<div class="drop">${this.t("dropHere")}</div>` : nothing}
    `;
  }

  private renderDoc(doc: StudioDocument): TemplateResult {
    const issues = this.issuesOf(doc);
    const id = identity(doc.value);
    const tabs: Tab[] = ["visual", "json", "try", "compare"];
    return html`
      <div class="docbar">
        <h2>${id.name ?? doc.fileName}</h2>
        <span class="notice">${id.kind ?? ""} · ${id.id ?? ""}${id.version !== undefined ? ` v${id.version}` : ""} · ${doc.fileName}</span>
        <span role="status" class=${issues.length || doc.value === undefined ? "status-bad" : "status-ok"}
          >${doc.value === undefined ? this.t("notJson") : issues.length === 1 ? this.t("issuesOne") : issues.length ? this.t("issues", { n: issues.length }) : this.t("valid")}</span
        >
        <button class="action" @click=${() => this.download(doc)}>${this.t("export")}</button>
      </div>
      <div role="tablist" aria-label=${doc.fileName}>
        ${tabs.map(
          (tab) => html`<button role="tab" id=${`tab-${tab}`} aria-selected=${this.tab === tab ? "true" : "false"} aria-controls="panel" @click=${() => (this.tab = tab)}>${this.t(tab)}</button>`,
        )}
      </div>
      <section id="panel" role="tabpanel" aria-labelledby=${`tab-${this.tab}`}>
        ${this.tab === "visual" ? this.renderVisual(doc, issues) : this.tab === "json" ? this.renderJson(doc) : this.tab === "try" ? this.renderTry(doc) : this.renderCompare(doc)}
      </section>
    `;
  }

  private onVisualChange(doc: StudioDocument, e: Event): void {
    const detail = (e as CustomEvent<{ definition?: unknown }>).detail;
    if (!detail || detail.definition === undefined) return;
    e.stopPropagation();
    this.replaceDoc(withValue(doc, detail.definition));
    this.refreshTry(doc.key);
  }

  private renderVisual(doc: StudioDocument, issues: Issue[]): TemplateResult {
    if (doc.value === undefined) return html`<p class="error">${this.t("notJson")}</p>`;
    const kind = identity(doc.value).kind ?? "";
    const onChange = (e: Event) => this.onVisualChange(doc, e);
    const loc = this.locale;
    const findings = this.findingsOf(doc, issues);
    let editor: TemplateResult | undefined;
    switch (EDITORS[kind]) {
      case "rf-decision-table-editor":
        editor = html`<rf-decision-table-editor .definition=${doc.value} .findings=${findings} locale=${loc} @change=${onChange}></rf-decision-table-editor>`;
        break;
      case "rf-workflow-diagram":
        editor = html`<rf-workflow-diagram .definition=${doc.value} locale=${loc} @change=${onChange}></rf-workflow-diagram>`;
        break;
      case "rf-promotion-editor":
        editor = html`<rf-promotion-editor .definition=${doc.value} locale=${loc} @change=${onChange}></rf-promotion-editor>`;
        break;
      case "rf-rebate-editor":
        editor = html`<rf-rebate-editor .definition=${doc.value} locale=${loc} @change=${onChange}></rf-rebate-editor>`;
        break;
      case "rf-rollout-editor":
        editor = html`<rf-rollout-editor .definition=${doc.value} locale=${loc} @change=${onChange}></rf-rollout-editor>`;
        break;
    }
    if (kind === "ruleset") editor = this.renderRuleSet(doc, onChange);
    if (!editor)
      return html`<p>${this.t("noVisual")}</p>
        ${this.renderIssues(issues)}${this.renderFindings(findings)}`;
    return html`${editor}${kind === "decision-table" ? nothing : this.renderFindings(findings)}`;
  }

  /** A rule set: each rule's condition in a condition editor (the rule's outputs are edited as JSON). */
  private renderRuleSet(doc: StudioDocument, onChange: (e: Event) => void): TemplateResult {
    const rules = ((doc.value as { rules?: unknown[] }).rules ?? []) as { id?: string; when?: unknown; then?: unknown }[];
    return html`${rules.map(
      (rule, i) => html`<section aria-label=${`rule ${rule.id ?? i}`} style="margin-bottom:12px">
        <h3 style="margin:4px 0;font-size:15px">${rule.id ?? `#${i + 1}`} <span class="notice">→ ${JSON.stringify(rule.then)}</span></h3>
        ${rule.when === undefined
          ? html`<div class="notice">(always)</div>`
          : html`<rf-condition-editor .definition=${doc.value} .path=${["rules", i, "when"]} .facts=${(doc.value as { facts?: string[] }).facts ?? []} locale=${this.locale} @change=${onChange}></rf-condition-editor>`}
      </section>`,
    )}`;
  }

  /** What the static analysis found, each with its path and, where there is one, the facts that show it. */
  private renderFindings(findings: readonly Finding[]): TemplateResult | typeof nothing {
    if (!findings.length) return nothing;
    return html`<section aria-labelledby="findings-title">
      <h3 id="findings-title">${this.t("findings")}</h3>
      <ul class="findings">
        ${findings.map(
          (f) => html`<li class=${`finding finding--${f.severity}`}>
            <strong>${f.severity}</strong> <code>${f.pathText}</code>: ${f.message}
            ${f.witness ? html`<div class="notice">${this.t("witness")} <code>${JSON.stringify(f.witness.facts)}</code></div>` : nothing}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderIssues(issues: readonly Issue[]): TemplateResult | typeof nothing {
    if (!issues.length) return nothing;
    return html`<ul class="issues">
      ${issues.map((i) => html`<li><code>${i.path.join(".") || "(document)"}</code>: ${i.message}</li>`)}
    </ul>`;
  }

  private renderJson(doc: StudioDocument): TemplateResult {
    const kind = identity(doc.value).kind ?? "";
    const check = (value: unknown): TextIssue[] => {
      const r = validateDefinition(value, { locale: this.locale });
      return r.ok ? [] : r.issues.map((i) => ({ path: i.path, message: i.message }));
    };
    return html`<rf-json-editor
      label=${`${doc.fileName} JSON`}
      .text=${doc.text}
      .schema=${SCHEMAS[kind]}
      .check=${check}
      @input=${(e: CustomEvent<{ text: string }>) => {
        if (!e.detail || typeof e.detail.text !== "string") return;
        const { doc: next } = withText(doc, e.detail.text);
        this.replaceDoc(next);
        this.refreshTry(doc.key);
      }}
    ></rf-json-editor>`;
  }

  /** After an edit, redo the try that was showing, so the result follows the document. */
  private refreshTry(key: string): void {
    const state = this.tries[key];
    const doc = this.docs.find((d) => d.key === key);
    if (!state || !doc) return;
    if (state.result) this.runTry(doc);
  }

  private defaultFacts(doc: StudioDocument): string {
    const roots = ((doc.value as { facts?: unknown }).facts ?? []) as unknown[];
    const wanted = roots.filter((r): r is string => typeof r === "string").map((r) => r.split(".")[0]!);
    const inputs = ((doc.value as { inputs?: { expression?: string; fact?: string }[] }).inputs ?? []).map((i) => (i.fact ?? i.expression ?? "").split(/[.\s]/)[0]!);
    const roots2 = new Set([...wanted, ...inputs].filter(Boolean));
    const score = (text: string): number => {
      try {
        const keys = Object.keys(JSON.parse(text) as object);
        return keys.filter((k) => roots2.has(k)).length;
      } catch {
        return -1;
      }
    };
    const best = [...EXAMPLE_FACTS].sort((a, b) => score(b.text) - score(a.text))[0];
    return best && score(best.text) > 0 ? best.text : "{\n}\n";
  }

  private defaultAt(doc: StudioDocument): string {
    const from = (doc.value as { effective?: { from?: string } }).effective?.from;
    return from ?? new Date().toISOString();
  }

  private runTry(doc: StudioDocument): void {
    const kind = identity(doc.value).kind ?? "";
    const state = this.tries[doc.key] ?? {};
    const others = this.docs.filter((d) => d !== doc && d.value !== undefined).map((d) => d.value);
    if ((EVALUABLE_KINDS as readonly string[]).includes(kind)) {
      let facts: unknown;
      try {
        facts = JSON.parse(state.factsText ?? this.defaultFacts(doc));
      } catch (e) {
        this.setTry(doc.key, { result: { ok: false, error: `${this.t("facts")}: ${(e as Error).message}` } });
        return;
      }
      this.setTry(doc.key, { result: evaluateDocument(doc.value, others, facts, state.at ?? this.defaultAt(doc), this.locale) });
    } else if (kind === "rebate") {
      const orders = state.orders ?? EXAMPLE_ORDERS.find((o) => o.fileName.endsWith(".jsonl")) ?? EXAMPLE_ORDERS[0];
      if (!orders) return;
      try {
        const lines = readOrderLines(orders.fileName, orders.text);
        const period = state.period ?? likelyPeriod(lines) ?? "";
        this.setTry(doc.key, { orders, period, result: settleDocument(doc.value, others, lines, period) });
      } catch (e) {
        this.setTry(doc.key, { orders, result: { ok: false, error: (e as Error).message } });
      }
    }
  }

  private renderTry(doc: StudioDocument): TemplateResult {
    const kind = identity(doc.value).kind ?? "";
    if ((EVALUABLE_KINDS as readonly string[]).includes(kind)) return this.renderEvaluate(doc);
    if (kind === "rebate") return this.renderSettle(doc);
    if (kind === "workflow" || kind === "scenario") return this.renderScenario(doc);
    return html`<p>${this.t("notEvaluable")}</p>`;
  }

  private renderResultError(result: Tried<unknown> | undefined): TemplateResult | typeof nothing {
    return result && !result.ok ? html`<p class="error" role="alert">${this.t("error")}: ${result.error}</p>` : nothing;
  }

  private renderEvaluate(doc: StudioDocument): TemplateResult {
    const state = this.tries[doc.key] ?? {};
    const factsText = state.factsText ?? this.defaultFacts(doc);
    const result = state.result;
    const output = result?.ok ? (result.value as { output?: unknown }).output : undefined;
    return html`<div class="two">
      <div>
        <div class="row">
          <label class="field"
            >${this.t("factsFile")}
            <select
              @change=${(e: Event) => {
                const f = EXAMPLE_FACTS.find((x) => x.fileName === (e.target as HTMLSelectElement).value);
                if (f) this.setTry(doc.key, { factsText: f.text });
              }}
            >
              <option value="">—</option>
              ${EXAMPLE_FACTS.map((f) => html`<option value=${f.fileName}>${f.fileName}</option>`)}
            </select></label
          >
          <label class="field"
            >${this.t("at")}
            <input .value=${state.at ?? this.defaultAt(doc)} @change=${(e: Event) => this.setTry(doc.key, { at: (e.target as HTMLInputElement).value })} style="width:24em"
          /></label>
          <button class="action primary" @click=${() => this.runTry(doc)}>${this.t("evaluate")}</button>
        </div>
        <rf-json-editor label=${this.t("facts")} .text=${factsText} @input=${(e: CustomEvent<{ text: string }>) => e.detail?.text !== undefined && this.setTry(doc.key, { factsText: e.detail.text })}></rf-json-editor>
      </div>
      <div>
        ${this.renderResultError(result)}
        ${result?.ok
          ? html`<h3>${this.t("output")}</h3>
              <pre class="output" aria-label=${this.t("output")}>${JSON.stringify(output ?? result.value, null, 2)}</pre>
              <rf-explanation .result=${result.value} locale=${this.locale}></rf-explanation>`
          : nothing}
      </div>
    </div>`;
  }

  private renderSettle(doc: StudioDocument): TemplateResult {
    const state = this.tries[doc.key] ?? {};
    const orders = state.orders ?? EXAMPLE_ORDERS.find((o) => o.fileName.endsWith(".jsonl")) ?? EXAMPLE_ORDERS[0];
    const result = state.result as Tried<{ totals?: { due?: string }; lines: { account: string; basis: string; rate: string; amount: string; due: string; key: string }[]; accounts?: { account: string; due?: string }[] }> | undefined;
    return html`
      <div class="row">
        <label class="field"
          >${this.t("ordersFile")}
          <select
            @change=${(e: Event) => {
              const f = EXAMPLE_ORDERS.find((x) => x.fileName === (e.target as HTMLSelectElement).value);
              if (f) this.setTry(doc.key, { orders: f, period: undefined });
            }}
          >
            ${state.orders && !EXAMPLE_ORDERS.includes(state.orders) ? html`<option selected>${state.orders.fileName}</option>` : nothing}
            ${EXAMPLE_ORDERS.map((f) => html`<option value=${f.fileName} ?selected=${orders?.fileName === f.fileName}>${f.fileName}</option>`)}
          </select></label
        >
        <label class="field"
          >${this.t("period")}
          <input .value=${state.period ?? ""} placeholder="2026-02" @change=${(e: Event) => this.setTry(doc.key, { period: (e.target as HTMLInputElement).value })}
        /></label>
        <button class="action primary" @click=${() => this.runTry(doc)}>${this.t("settle")}</button>
      </div>
      <p class="notice">${this.t("dropHere")}</p>
      ${this.renderResultError(result)} ${result?.ok ? this.renderStatement(result.value) : nothing}
    `;
  }

  private renderStatement(statement: { totals?: { due?: string }; lines: { account: string; basis: string; rate: string; amount: string; due: string; key: string }[] }): TemplateResult {
    const byAccount = new Map<string, number>();
    for (const l of statement.lines) byAccount.set(l.account, (byAccount.get(l.account) ?? 0) + Number(l.due));
    const rows = [...byAccount].sort((a, b) => b[1] - a[1]);
    const max = Math.max(1, ...rows.map(([, v]) => Math.abs(v)));
    const barH = 22;
    const width = 520;
    return html`
      <h3>${this.t("statement")}: ${this.t("total")} <span data-total>${statement.totals?.due ?? ""}</span> · ${this.t("lines", { n: statement.lines.length })}</h3>
      <figure style="margin:0 0 12px">
        <svg role="img" aria-label=${this.t("payoutByAccount")} width=${width} height=${rows.length * barH + 8} viewBox=${`0 0 ${width} ${rows.length * barH + 8}`}>
          ${rows.map(([account, v], i) => {
            const w = (Math.abs(v) / max) * 300;
            return svg`<g transform=${`translate(0 ${i * barH + 4})`}>
              <text x="0" y="14" font-size="12">${account}</text>
              <rect x="140" y="2" width=${w} height="16" fill=${v < 0 ? "#cf222e" : "#1f883d"} rx="2"></rect>
              <text x=${146 + w} y="14" font-size="12">${v.toFixed(2)}</text>
            </g>`;
          })}
        </svg>
        <figcaption class="notice">${this.t("payoutByAccount")}</figcaption>
      </figure>
      <table class="statement">
        <thead>
          <tr>
            <th>${this.t("account")}</th>
            <th>${this.t("basis")}</th>
            <th>${this.t("rate")}</th>
            <th>${this.t("amount")}</th>
            <th>${this.t("due")}</th>
          </tr>
        </thead>
        <tbody>
          ${statement.lines.map(
            (l, i) =>
              html`<tr title=${l.key} class=${this.statementLine === i ? "selected" : ""}>
                <td><button class="link" aria-label=${`${this.t("why")} ${l.account} ${l.key}`} @click=${() => (this.statementLine = i)}>${l.account} · ${l.key}</button></td>
                <td>${l.basis}</td><td>${l.rate}</td><td>${l.amount}</td><td>${l.due}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${this.statementLine !== undefined && statement.lines[this.statementLine]
        ? html`<h3>${this.t("why")} ${statement.lines[this.statementLine]!.key}</h3>
            <rf-explanation .result=${statement.lines[this.statementLine]} locale=${this.locale}></rf-explanation>`
        : nothing}
    `;
  }

  private scenariosFor(doc: StudioDocument): StudioDocument[] {
    if (identity(doc.value).kind === "scenario") return [doc];
    return this.docs.filter((d) => identity(d.value).kind === "scenario" && scenarioFiles(d.value).includes(doc.fileName));
  }

  /** The open documents a scenario names (as edited), for the timeline's calendar. */
  private scenarioDefinitions(scenario: StudioDocument): unknown[] {
    const files = scenarioFiles(scenario.value);
    return this.docs.filter((d) => files.includes(d.fileName) && d.value !== undefined).map((d) => d.value);
  }

  private async runScenarioFor(doc: StudioDocument, scenario: StudioDocument): Promise<void> {
    const open = this.docs.filter((d) => d.value !== undefined).map((d) => ({ fileName: d.fileName, value: d.value }));
    const dropped = Object.values(this.tries).flatMap((t) => (t.orders ? [t.orders] : []));
    this.setTry(doc.key, { scenarioKey: scenario.key, report: await runScenarioWith(scenario.value, open, [...dropped, ...EXAMPLE_DATA]) });
  }

  private renderScenario(doc: StudioDocument): TemplateResult {
    const scenarios = this.scenariosFor(doc);
    if (!scenarios.length) return html`<p>${this.t("noScenario")}</p>`;
    const state = this.tries[doc.key] ?? {};
    const chosen = scenarios.find((s) => s.key === state.scenarioKey) ?? scenarios[0]!;
    const run = state.report as Tried<ScenarioRun> | undefined;
    const report: Tried<ScenarioRun["report"]> | undefined = run && (run.ok ? { ok: true, value: run.value.report } : run);
    const workflowDocs = this.docs.filter((d) => identity(d.value).kind === "workflow" && scenarioFiles(chosen.value).includes(d.fileName));
    return html`
      <div class="row">
        <label class="field"
          >${this.t("scenario")}
          <select @change=${(e: Event) => this.setTry(doc.key, { scenarioKey: (e.target as HTMLSelectElement).value, report: undefined })}>
            ${scenarios.map((s) => html`<option value=${s.key} ?selected=${s === chosen}>${s.fileName}</option>`)}
          </select></label
        >
        <button class="action primary" @click=${() => void this.runScenarioFor(doc, chosen)}>${this.t("run")}</button>
      </div>
      ${this.renderResultError(report)}
      ${report?.ok
        ? html`<p role="status" class=${report.value.passed ? "status-ok" : "status-bad"}>${report.value.passed ? this.t("passed") : report.value.failures.length === 1 ? this.t("failedStepsOne") : this.t("failedSteps", { n: report.value.failures.length })}</p>
            ${report.value.failures.length ? html`<ul class="issues">${report.value.failures.map((f) => html`<li>#${f.step}: ${f.message}</li>`)}</ul>` : nothing}
            <rf-timeline .report=${report.value} .definitions=${this.scenarioDefinitions(chosen)} locale=${this.locale}></rf-timeline>
            ${run?.ok ? this.renderRunDiagrams(run.value, workflowDocs, doc.key, state.instanceAlias) : nothing}`
        : nothing}
    `;
  }

  /** Each workflow of the run as a diagram, with the chosen instance's path on it. */
  private renderRunDiagrams(run: ScenarioRun, workflowDocs: StudioDocument[], key: string, alias: string | undefined): TemplateResult {
    const chosen = run.instances.find((i) => i.alias === alias) ?? run.instances[0];
    return html`${run.instances.length > 1
        ? html`<div class="row">
            <label class="field"
              >${this.t("instance")}
              <select @change=${(e: Event) => this.setTry(key, { instanceAlias: (e.target as HTMLSelectElement).value })}>
                ${run.instances.map((i) => html`<option value=${i.alias} ?selected=${i === chosen}>${i.alias} · ${i.view.definitionId} · ${i.view.status}${i.view.outcome ? ` (${i.view.outcome})` : ""}</option>`)}
              </select></label
            >
          </div>`
        : nothing}
      ${workflowDocs.map((w) => {
        const id = identity(w.value).id;
        const instance = chosen && chosen.view.definitionId === id ? { view: chosen.view, audit: chosen.audit, timers: chosen.timers, now: chosen.now } : undefined;
        return html`<rf-workflow-diagram readonly .definition=${w.value} .instance=${instance} locale=${this.locale}></rf-workflow-diagram>`;
      })}`;
  }

  private renderCompare(doc: StudioDocument): TemplateResult {
    const id = identity(doc.value).id;
    const candidates = this.docs.filter((d) => d !== doc && d.value !== undefined && identity(d.value).id === id);
    const other = this.compareKey ? this.docs.find((d) => d.key === this.compareKey && d !== doc) : undefined;
    const before: unknown = other ? other.value : JSON.parse(doc.originalText);
    const changes: Change[] = doc.value === undefined ? [] : diffJson(before, doc.value);
    const show = (v: unknown) => JSON.stringify(v);
    return html`
      <div class="row">
        <label class="field"
          >${this.t("compareWith")}
          <select @change=${(e: Event) => (this.compareKey = (e.target as HTMLSelectElement).value || undefined)}>
            <option value="">${doc.fileName} (${this.t("asOpened")})</option>
            ${candidates.map((c) => html`<option value=${c.key} ?selected=${c.key === this.compareKey}>${c.fileName} (v${identity(c.value).version ?? "?"})</option>`)}
          </select></label
        >
      </div>
      ${changes.length === 0
        ? html`<p>${this.t("noChanges")}</p>`
        : html`<ul class="diff" aria-label=${this.t("compare")}>
            ${changes.map((c) => {
              const path = c.path.map((s, i) => (typeof s === "number" ? `[${s}]` : i ? `.${s}` : s)).join("");
              if (c.kind === "added") return html`<li class="added">+ ${path} (${this.t("added")}): ${show(c.after)}</li>`;
              if (c.kind === "removed") return html`<li class="removed">− ${path} (${this.t("removed")}): ${show(c.before)}</li>`;
              if (c.kind === "moved") return html`<li>↕ ${path} (${this.t("moved")}): ${c.id} ${c.from} → ${c.to}</li>`;
              return html`<li>~ ${path} (${this.t("changedTo")}): ${show(c.before)} → ${show(c.after)}</li>`;
            })}
          </ul>`}
    `;
  }
}

if (!customElements.get("rf-studio")) customElements.define("rf-studio", RfStudio);

declare global {
  interface HTMLElementTagNameMap {
    "rf-studio": RfStudio;
  }
}
