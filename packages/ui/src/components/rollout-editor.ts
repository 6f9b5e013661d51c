/**
 * `<rf-rollout-editor>`: edits a rollout (kind `rollout`, a gray release or an
 * A/B experiment): status, unit, variants and their weights (with a bar of the
 * split), the ramp schedule (with a step chart), targeting and holdout. Given a
 * `report` (the engine's `analyzeRollout` result) it shows each treatment's
 * effect against control with its confidence interval, as a chart and a table.
 */
import { css, html, nothing, svg, type TemplateResult } from "lit";
import { ROLLOUT_STATUSES, type RolloutDefinition, type RolloutReport } from "@ruleflow/engine/rollouts";
import { defineElement, RfEditorElement, type JsonPath } from "../shared/base.js";
import { COMMON, defineMessages, translator, type UiLocale } from "../shared/i18n.js";
import { valueText } from "../shared/json.js";
import { themeStyles } from "../shared/theme.js";
import { policyFormStyles } from "./policy-editors/form-styles.js";
import { conditionSummary, IssuePlacer, restIssues, rowButton, withoutItem } from "./policy-editors/kit.js";
import { addDays, EFFECT_BOX, effectAxis, RAMP_BOX, rampGeometry, splitShares, type EffectRow, type RampStep } from "./rollout-editor/geometry.js";

export type { RolloutDefinition, RolloutReport } from "@ruleflow/engine/rollouts";

const MESSAGES = defineMessages({
  en: {
    editor: "Rollout",
    id: "Id",
    version: "Version {v}",
    status: "Status",
    draft: "Draft",
    running: "Running",
    promoted: "Promoted",
    "rolled-back": "Rolled back",
    winner: "Winner",
    unit: "Unit (fact randomised on)",
    control: "Control variant",
    firstVariant: "the first variant",
    variants: "Variants",
    variantId: "Id of variant {n}",
    variantLabel: "Label of variant {n}",
    variantWeight: "Weight of variant {n}",
    variantValue: "Value",
    idCol: "Id",
    labelCol: "Label",
    weightCol: "Weight",
    shareCol: "Share",
    valueCol: "Value",
    addVariant: "Add variant",
    removeVariant: "Remove variant {n}",
    moveVariantUp: "Move variant {n} up",
    moveVariantDown: "Move variant {n} down",
    split: "Split of units between variants",
    noSplit: "No variant has a weight above 0.",
    ramp: "Ramp schedule",
    noRamp: "No ramp: every targeted unit is in from the start.",
    stepAt: "Time of step {n}",
    stepPercent: "Percent of step {n}",
    atCol: "From",
    percentCol: "Percent in",
    addStep: "Add step",
    removeStep: "Remove step {n}",
    rampChart: "Ramp: {steps}",
    rampWaiting: "Fix the steps to see the chart.",
    targeting: "Targeting",
    everyone: "every unit",
    holdout: "Holdout percent",
    report: "Experiment report",
    recommendation: "Recommendation",
    effects: "Effect against control, with {conf} confidence intervals",
    effectsChart: "Each treatment's relative effect against control on each metric, with its confidence interval",
    effectAxis: "Relative change against control",
    metric: "Metric",
    role: "Role",
    primary: "primary",
    secondary: "secondary",
    guardrail: "guardrail",
    variant: "Variant",
    controlValue: "Control",
    treatmentValue: "Treatment",
    absolute: "Difference",
    relative: "Relative",
    interval: "Interval",
    pValue: "p",
    significant: "Significant",
    yes: "yes",
    no: "no",
    noRelative: "no relative effect (control is 0)",
    units: "{n} units",
    tableAlt: "The report as a table",
    "action-keep-running": "keep running",
    "action-promote": "promote {variant}",
    "action-roll-back": "roll back to {variant}",
    "action-inconclusive": "inconclusive",
    "action-investigate": "investigate",
    otherIssues: "Other problems",
  },
  "zh-CN": {
    editor: "灰度发布",
    id: "编号",
    version: "第 {v} 版",
    status: "状态",
    draft: "草稿",
    running: "进行中",
    promoted: "已全量",
    "rolled-back": "已回滚",
    winner: "胜出方案",
    unit: "分流单位（按哪个事实随机分组）",
    control: "对照组",
    firstVariant: "第一个方案",
    variants: "方案",
    variantId: "方案 {n} 的编号",
    variantLabel: "方案 {n} 的名称",
    variantWeight: "方案 {n} 的权重",
    variantValue: "取值",
    idCol: "编号",
    labelCol: "名称",
    weightCol: "权重",
    shareCol: "占比",
    valueCol: "取值",
    addVariant: "添加方案",
    removeVariant: "删除方案 {n}",
    moveVariantUp: "方案 {n} 上移",
    moveVariantDown: "方案 {n} 下移",
    split: "各方案的流量分配",
    noSplit: "没有权重大于 0 的方案。",
    ramp: "放量计划",
    noRamp: "没有放量计划：所有目标单位从一开始全部进入。",
    stepAt: "第 {n} 步的时间",
    stepPercent: "第 {n} 步的比例",
    atCol: "开始时间",
    percentCol: "进入比例",
    addStep: "添加一步",
    removeStep: "删除第 {n} 步",
    rampChart: "放量计划：{steps}",
    rampWaiting: "请先修正放量步骤，图表才能显示。",
    targeting: "目标范围",
    everyone: "所有单位",
    holdout: "保留组比例",
    report: "实验报告",
    recommendation: "建议",
    effects: "相对对照组的效果（{conf} 置信区间）",
    effectsChart: "各实验组在各指标上相对对照组的变化及其置信区间",
    effectAxis: "相对对照组的变化",
    metric: "指标",
    role: "类型",
    primary: "主要指标",
    secondary: "次要指标",
    guardrail: "护栏指标",
    variant: "方案",
    controlValue: "对照组",
    treatmentValue: "实验组",
    absolute: "差值",
    relative: "相对变化",
    interval: "置信区间",
    pValue: "p 值",
    significant: "显著",
    yes: "是",
    no: "否",
    noRelative: "无相对变化（对照组为 0）",
    units: "{n} 个单位",
    tableAlt: "以表格查看报告",
    "action-keep-running": "继续实验",
    "action-promote": "全量发布 {variant}",
    "action-roll-back": "回滚到 {variant}",
    "action-inconclusive": "结果尚不明确",
    "action-investigate": "需要排查数据",
    otherIssues: "其他问题",
  },
});

type Doc = RolloutDefinition & Record<string, unknown>;
type Variant = { id: string; weight: number; value: unknown; label?: string };

const PALETTE = ["var(--_accent)", "var(--_pass)", "var(--_warn)", "#8250df", "#bf3989", "#1b7c83"];

function pct(v: number, locale: UiLocale, digits = 1): string {
  return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: "auto" }).format(v);
}
function signedPct(v: number, locale: UiLocale, digits = 1): string {
  return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: "exceptZero" }).format(v);
}
function num(v: number, locale: UiLocale, digits = 2, signed = false): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: signed ? "exceptZero" : "auto" }).format(v);
}

/**
 * `<rf-rollout-editor>`: the rollout editor and experiment report.
 *
 * - `definition` (property): the rollout document; every edit dispatches
 *   `change` with `detail: { definition, issues }`.
 * - `report` (property): a `RolloutReport` from `analyzeRollout`; when set, the
 *   effect of each treatment against control is shown with its confidence
 *   interval (an SVG chart and a table).
 * - `readonly`, `locale` (attributes): as every editor.
 *
 * @fires change - `CustomEvent<ChangeDetail<RolloutDefinition>>` after every edit
 */
export class RfRolloutEditor extends RfEditorElement<Doc> {
  static override properties = {
    ...RfEditorElement.properties,
    report: { attribute: false },
  };

  /** The experiment report to show (`analyzeRollout(compileRollout(definition), events)`), or undefined. */
  declare report: RolloutReport | undefined;

  constructor() {
    super();
    this.report = undefined;
  }

  static override styles = [
    themeStyles,
    policyFormStyles,
    css`
      :host {
        container-type: inline-size;
      }
      @container (min-width: 880px) {
        .layout {
          grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr);
        }
      }
      fieldset,
      .box {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        margin: 0 0 var(--_space);
        padding: var(--_space);
        min-width: 0;
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
        gap: 6px var(--_space);
        margin-bottom: var(--_space);
      }
      .num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .value {
        font-family: var(--_mono);
        font-size: 11px;
        color: var(--_muted);
        overflow-wrap: anywhere;
        max-width: 220px;
      }
      .bar {
        display: flex;
        height: 26px;
        border-radius: calc(var(--_radius) - 2px);
        overflow: hidden;
        border: 1px solid var(--_border);
        margin: 6px 0 var(--_space);
      }
      .seg {
        display: flex;
        align-items: center;
        justify-content: center;
        color: #fff;
        font-size: 12px;
        white-space: nowrap;
        overflow: hidden;
        min-width: 0;
      }
      svg {
        width: 100%;
        height: auto;
        display: block;
      }
      svg text {
        font-size: 11px;
        fill: var(--_muted);
        font-family: var(--_font);
      }
      svg .axis line,
      svg .axis path {
        stroke: var(--_text);
      }
      svg .grid line {
        stroke: var(--_border);
        stroke-dasharray: 2 3;
      }
      .step-line {
        fill: none;
        stroke: var(--_accent);
        stroke-width: 2.5;
      }
      .step-dot {
        fill: var(--_accent);
      }
      .zero {
        stroke: var(--_text);
      }
      .ci {
        stroke-width: 3;
      }
      .ci.better,
      .dot.better {
        stroke: var(--_pass);
        fill: var(--_pass);
      }
      .ci.worse,
      .dot.worse {
        stroke: var(--_fail);
        fill: var(--_fail);
      }
      .ci.neutral,
      .dot.neutral {
        stroke: var(--_muted);
        fill: var(--_muted);
      }
      .row-label {
        fill: var(--_text) !important;
        font-size: 12px !important;
      }
      .rec {
        padding: 6px var(--_space);
        border-left: 4px solid var(--_accent);
        background: var(--_surface);
        margin-bottom: var(--_space);
      }
      .report-table td,
      .report-table th {
        font-size: 12px;
      }
    `,
  ];

  private get t() {
    return translator(MESSAGES, this.uiLocale);
  }
  private get c() {
    return translator(COMMON, this.uiLocale);
  }

  override render(): TemplateResult {
    const doc = this.definition;
    if (!doc || typeof doc !== "object") return html``;
    const placer = new IssuePlacer(this.issues);
    const variants = (Array.isArray(doc.variants) ? doc.variants : []) as Variant[];
    const main = html`<div class="layout" role="group" aria-label=${this.t("editor")}>
      <div>${this.renderHead(doc, variants, placer)} ${this.renderVariants(variants, placer)} ${this.renderTargeting(doc, placer)}</div>
      <div>${this.renderRamp(doc, placer)} ${this.report ? this.renderReport(this.report) : nothing}</div>
    </div>`;
    return html`${main}${restIssues(placer.rest(), this.t("otherIssues"))}`;
  }

  // -- fields -------------------------------------------------------------------

  private input(path: JsonPath, label: string, value: unknown, placer: IssuePlacer, opts: { mono?: boolean; optional?: boolean; number?: boolean; cls?: string; bare?: boolean } = {}): TemplateResult {
    const f = placer.field(path);
    const control = html`<input
        class=${opts.mono ? "rf-mono" : ""}
        type=${opts.number ? "number" : "text"}
        step=${opts.number ? "any" : nothing}
        aria-label=${opts.bare ? label : nothing}
        .value=${valueText(value)}
        ?disabled=${this.readonly}
        aria-invalid=${f.invalid}
        aria-describedby=${f.describedBy}
        @change=${(e: Event) => {
          const raw = (e.target as HTMLInputElement).value;
          if (opts.optional && raw.trim() === "") this.edit(path, undefined);
          else this.edit(path, opts.number ? (raw.trim() === "" ? undefined : Number(raw)) : raw);
        }}
      />${f.message}`;
    return opts.bare ? control : html`<label class="field ${opts.cls ?? ""}"><span>${label}</span>${control}</label>`;
  }

  private renderHead(doc: Doc, variants: Variant[], placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const status = doc.status ?? "running";
    const statusF = placer.field(["status"]);
    const controlF = placer.field(["control"]);
    const ids = variants.map((v) => v?.id).filter((id): id is string => typeof id === "string");
    return html`<div class="fields">
      ${this.input(["name"], this.c("name"), doc.name, placer, { optional: true, cls: "wide" })} ${this.input(["id"], t("id"), doc.id, placer, { mono: true })}
      <label class="field"
        ><span>${t("status")} · ${t("version", { v: String(doc.version) })}</span
        ><select
          ?disabled=${this.readonly}
          aria-invalid=${statusF.invalid}
          aria-describedby=${statusF.describedBy}
          @change=${(e: Event) => this.edit(["status"], (e.target as HTMLSelectElement).value)}
        >
          ${ROLLOUT_STATUSES.map((s) => html`<option value=${s} ?selected=${s === status}>${t(s)}</option>`)}</select
        >${statusF.message}</label
      >
      ${status === "promoted" || doc.winner !== undefined ? this.idSelect(["winner"], t("winner"), doc.winner, ids, placer) : nothing}
      ${this.input(["unit"], t("unit"), doc.unit, placer, { mono: true })}
      <label class="field"
        ><span>${t("control")}</span
        ><select
          ?disabled=${this.readonly}
          aria-invalid=${controlF.invalid}
          aria-describedby=${controlF.describedBy}
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.edit(["control"], v === "" ? undefined : v);
          }}
        >
          <option value="" ?selected=${doc.control === undefined}>${t("firstVariant")}</option>
          ${ids.map((id) => html`<option value=${id} ?selected=${id === doc.control}>${id}</option>`)}</select
        >${controlF.message}</label
      >
    </div>`;
  }

  private idSelect(path: JsonPath, label: string, value: unknown, ids: string[], placer: IssuePlacer): TemplateResult {
    const f = placer.field(path);
    return html`<label class="field"
      ><span>${label}</span
      ><select
        ?disabled=${this.readonly}
        aria-invalid=${f.invalid}
        aria-describedby=${f.describedBy}
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.edit(path, v === "" ? undefined : v);
        }}
      >
        <option value="" ?selected=${value === undefined}>${this.c("none")}</option>
        ${ids.map((id) => html`<option value=${id} ?selected=${id === value}>${id}</option>`)}</select
      >${f.message}</label
    >`;
  }

  private renderVariants(variants: Variant[], placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const shares = splitShares(variants.map((v) => v?.weight));
    const listF = placer.field(["variants"]);
    const locale = this.uiLocale;
    const splitText = variants.map((v, i) => `${v?.id}: ${pct(shares[i]!, locale)}`).join(", ");
    return html`<fieldset>
      <legend>${t("variants")}</legend>
      ${shares.some((s) => s > 0)
        ? html`<div class="bar" role="img" aria-label=${`${t("split")}: ${splitText}`}>
            ${variants.map((v, i) =>
              shares[i]! > 0
                ? html`<div class="seg" style="flex: ${shares[i]} 1 0; background: ${PALETTE[i % PALETTE.length]}">${v.id} ${pct(shares[i]!, locale, 0)}</div>`
                : nothing,
            )}
          </div>`
        : html`<p class="hint">${t("noSplit")}</p>`}
      <table aria-describedby=${listF.describedBy}>
        <caption class="rf-visually-hidden">
          ${t("variants")}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t("idCol")}</th>
            <th scope="col">${t("labelCol")}</th>
            <th scope="col">${t("weightCol")}</th>
            <th scope="col" class="num">${t("shareCol")}</th>
            <th scope="col">${t("valueCol")}</th>
            <th scope="col"><span class="rf-visually-hidden">${this.c("remove")}</span></th>
          </tr>
        </thead>
        <tbody>
          ${variants.map((v, i) => {
            const n = String(i + 1);
            const rowF = placer.field(["variants", i]);
            return html`<tr aria-describedby=${rowF.describedBy}>
              <td>${this.input(["variants", i, "id"], t("variantId", { n }), v?.id, placer, { mono: true, bare: true })}</td>
              <td>${this.input(["variants", i, "label"], t("variantLabel", { n }), v?.label, placer, { optional: true, bare: true })}</td>
              <td style="width: 80px">${this.input(["variants", i, "weight"], t("variantWeight", { n }), v?.weight, placer, { number: true, bare: true })}</td>
              <td class="num">${pct(shares[i]!, locale)}</td>
              <td><div class="value">${JSON.stringify(v?.value)}</div>${placer.field(["variants", i, "value"], { under: true }).message}${rowF.message}</td>
              <td>
                <div class="row-actions">
                  ${rowButton("↑", t("moveVariantUp", { n }), this.readonly || i === 0, () => void this.move(["variants"], variants, i, -1))}
                  ${rowButton("↓", t("moveVariantDown", { n }), this.readonly || i === variants.length - 1, () => void this.move(["variants"], variants, i, 1))}
                  ${rowButton("✕", t("removeVariant", { n }), this.readonly, () => this.edit(["variants"], withoutItem(variants, i)))}
                </div>
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${listF.message}
      <button class="add" type="button" ?disabled=${this.readonly} @click=${() => this.addVariant(variants)}>+ ${t("addVariant")}</button>
    </fieldset>`;
  }

  private renderTargeting(doc: Doc, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const f = placer.field(["targeting"], { under: true });
    return html`<fieldset>
      <legend>${t("targeting")}</legend>
      <div class="summary" role="note" aria-label=${t("targeting")} aria-describedby=${f.describedBy}>
        ${doc.targeting === undefined ? t("everyone") : conditionSummary(doc.targeting, this.uiLocale)}
      </div>
      ${f.message}
      <div class="fields" style="margin-top: 6px">${this.input(["holdout", "percent"], t("holdout"), doc.holdout?.percent, placer, { number: true, optional: true })}</div>
    </fieldset>`;
  }

  private renderRamp(doc: Doc, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const ramp = (Array.isArray(doc.ramp) ? doc.ramp : []) as RampStep[];
    const g = ramp.length ? rampGeometry(ramp) : undefined;
    const listF = placer.field(["ramp"]);
    const stepsText = ramp.map((s) => `${s.at} ${s.percent}%`).join(", ");
    return html`<fieldset>
      <legend>${t("ramp")}</legend>
      ${ramp.length === 0 ? html`<p class="hint">${t("noRamp")}</p>` : nothing}
      ${ramp.length && !g ? html`<p class="hint" role="status">${t("rampWaiting")}</p>` : nothing}
      ${g
        ? svg`<svg viewBox="0 0 ${RAMP_BOX.width} ${RAMP_BOX.height}" role="img" aria-label=${t("rampChart", { steps: stepsText })}>
            <g class="grid">${g.yTicks.map((tk) => svg`<line x1=${RAMP_BOX.left} x2=${RAMP_BOX.width - RAMP_BOX.right} y1=${tk.y} y2=${tk.y}></line>`)}</g>
            <g class="axis">
              <line x1=${RAMP_BOX.left} x2=${RAMP_BOX.width - RAMP_BOX.right} y1=${RAMP_BOX.height - RAMP_BOX.bottom} y2=${RAMP_BOX.height - RAMP_BOX.bottom}></line>
              ${g.yTicks.map((tk) => svg`<text x=${RAMP_BOX.left - 5} y=${tk.y + 4} text-anchor="end">${tk.label}</text>`)}
              ${g.steps.map((s, i) => svg`<text x=${s.x} y=${RAMP_BOX.height - RAMP_BOX.bottom + (i % 2 ? 28 : 15)} text-anchor="middle">${s.label}</text>`)}
            </g>
            <polyline class="step-line" points=${g.points}></polyline>
            ${g.steps.map((s) => svg`<circle class="step-dot" cx=${s.x} cy=${s.y} r="3.5"></circle><text x=${s.x + 5} y=${s.y - 6}>${s.percent}%</text>`)}
          </svg>`
        : nothing}
      ${ramp.length
        ? html`<table aria-describedby=${listF.describedBy}>
            <caption class="rf-visually-hidden">
              ${t("ramp")}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t("atCol")}</th>
                <th scope="col">${t("percentCol")}</th>
                <th scope="col"><span class="rf-visually-hidden">${this.c("remove")}</span></th>
              </tr>
            </thead>
            <tbody>
              ${ramp.map((s, i) => {
                const n = String(i + 1);
                return html`<tr>
                  <td>${this.input(["ramp", i, "at"], t("stepAt", { n }), s?.at, placer, { mono: true, bare: true })}${placer.field(["ramp", i]).message}</td>
                  <td style="width: 90px">${this.input(["ramp", i, "percent"], t("stepPercent", { n }), s?.percent, placer, { number: true, bare: true })}</td>
                  <td>
                    ${rowButton("✕", t("removeStep", { n }), this.readonly, () => this.edit(["ramp"], withoutItem(ramp, i, true)))}
                  </td>
                </tr>`;
              })}
            </tbody>
          </table>`
        : nothing}
      ${listF.message}
      <button class="add" type="button" ?disabled=${this.readonly} @click=${() => this.addStep(ramp)}>+ ${t("addStep")}</button>
    </fieldset>`;
  }

  // -- report -------------------------------------------------------------------

  private renderReport(report: RolloutReport): TemplateResult {
    const t = this.t;
    const locale = this.uiLocale;
    const rows: { label: string; sub: string; row: EffectRow | undefined; cls: string }[] = [];
    let confidence = 0.95;
    for (const m of report.metrics) {
      for (const c of m.comparisons) {
        confidence = c.confidence;
        const cls = !c.significant || c.better === null ? "neutral" : c.better ? "better" : "worse";
        rows.push({ label: m.metric, sub: `${c.variant} · ${t(m.role)}`, row: c.relative ? { estimate: c.relative.estimate, ci: c.relative.ci } : undefined, cls });
      }
    }
    const axis = effectAxis(rows.flatMap((r) => (r.row ? [r.row] : [])));
    const bottom = axis.height - EFFECT_BOX.bottom;
    const value = (m: RolloutReport["metrics"][number], variant: string): string => {
      const v = m.variants.find((x) => x.variant === variant);
      if (!v) return "—";
      return m.type === "rate" ? `${pct(v.rate ?? 0, locale)} (${v.conversions}/${v.units})` : `${num(v.mean ?? 0, locale)} (${t("units", { n: String(v.units) })})`;
    };
    const confText = pct(confidence, locale, 0);
    return html`<section class="box" aria-labelledby="report-heading">
      <h2 id="report-heading">${t("report")}</h2>
      <div class="rec">
        <strong>${t("recommendation")}: ${t(`action-${report.recommendation.action}` as const, { variant: report.recommendation.variant ?? "" })}</strong>
        ${locale === "en" ? html`<div>${report.recommendation.summary}</div>` : nothing}
      </div>
      <div class="label">${t("effects", { conf: confText })}</div>
      <svg viewBox="0 0 ${EFFECT_BOX.width} ${axis.height}" role="img" aria-label=${t("effectsChart")}>
        <g class="grid">${axis.ticks.map((v) => svg`<line x1=${axis.x(v)} x2=${axis.x(v)} y1=${EFFECT_BOX.top} y2=${bottom}></line>`)}</g>
        <line class="zero" x1=${axis.x(0)} x2=${axis.x(0)} y1=${EFFECT_BOX.top} y2=${bottom}></line>
        <g class="axis">
          <line x1=${EFFECT_BOX.left} x2=${EFFECT_BOX.width - EFFECT_BOX.right} y1=${bottom} y2=${bottom}></line>
          ${axis.ticks.map((v) => svg`<text x=${axis.x(v)} y=${bottom + 14} text-anchor="middle">${signedPct(v, locale, 0)}</text>`)}
          <text x=${EFFECT_BOX.left + (EFFECT_BOX.width - EFFECT_BOX.left - EFFECT_BOX.right) / 2} y=${axis.height - 4} text-anchor="middle" class="row-label">${t("effectAxis")}</text>
        </g>
        ${rows.map((r, i) => {
          const y = EFFECT_BOX.top + i * EFFECT_BOX.row + EFFECT_BOX.row / 2;
          const label = svg`<text class="row-label" x=${EFFECT_BOX.left - 8} y=${y} text-anchor="end">${r.label}</text><text x=${EFFECT_BOX.left - 8} y=${y + 12} text-anchor="end">${r.sub}</text>`;
          if (!r.row) return svg`${label}<text x=${EFFECT_BOX.left + 4} y=${y + 4}>${t("noRelative")}</text>`;
          return svg`${label}
            <line class="ci ${r.cls}" x1=${axis.x(r.row.ci[0])} x2=${axis.x(r.row.ci[1])} y1=${y} y2=${y}></line>
            <line class="ci ${r.cls}" x1=${axis.x(r.row.ci[0])} x2=${axis.x(r.row.ci[0])} y1=${y - 5} y2=${y + 5}></line>
            <line class="ci ${r.cls}" x1=${axis.x(r.row.ci[1])} x2=${axis.x(r.row.ci[1])} y1=${y - 5} y2=${y + 5}></line>
            <circle class="dot ${r.cls}" cx=${axis.x(r.row.estimate)} cy=${y} r="5"></circle>`;
        })}
      </svg>
      <details>
        <summary>${t("tableAlt")}</summary>
        <table class="report-table">
          <thead>
            <tr>
              <th scope="col">${t("metric")}</th>
              <th scope="col">${t("variant")}</th>
              <th scope="col" class="num">${t("controlValue")}</th>
              <th scope="col" class="num">${t("treatmentValue")}</th>
              <th scope="col" class="num">${t("relative")}</th>
              <th scope="col" class="num">${t("interval")}</th>
              <th scope="col" class="num">${t("pValue")}</th>
              <th scope="col">${t("significant")}</th>
            </tr>
          </thead>
          <tbody>
            ${report.metrics.flatMap((m) =>
              m.comparisons.map(
                (c) =>
                  html`<tr>
                    <th scope="row">${m.metric} <span class="hint">(${t(m.role)})</span></th>
                    <td>${c.variant}</td>
                    <td class="num">${value(m, c.control)}</td>
                    <td class="num">${value(m, c.variant)}</td>
                    <td class="num">${c.relative ? signedPct(c.relative.estimate, locale) : "—"}</td>
                    <td class="num">${c.relative ? `${signedPct(c.relative.ci[0], locale)} … ${signedPct(c.relative.ci[1], locale)}` : "—"}</td>
                    <td class="num">${num(c.pValue, locale, c.pValue < 0.01 ? 4 : 2)}</td>
                    <td>${c.significant ? t("yes") : t("no")}</td>
                  </tr>`,
              ),
            )}
          </tbody>
        </table>
      </details>
    </section>`;
  }

  // -- edits --------------------------------------------------------------------

  private addVariant(variants: Variant[]): void {
    const ids = new Set(variants.map((v) => v?.id));
    let n = variants.length + 1;
    while (ids.has(`variant-${n}`)) n++;
    this.edit(["variants"], [...variants, { id: `variant-${n}`, weight: 0, value: null }]);
  }

  private addStep(ramp: RampStep[]): void {
    const last = ramp[ramp.length - 1];
    const at = last ? (addDays(last.at, 7) ?? "") : "";
    this.edit(["ramp"], [...ramp, { at, percent: 100 }]);
  }

  private async move<T>(path: JsonPath, list: T[], i: number, by: -1 | 1): Promise<void> {
    const j = i + by;
    if (j < 0 || j >= list.length) return;
    const next = [...list];
    [next[i], next[j]] = [next[j]!, next[i]!];
    this.edit(path, next);
    await this.updateComplete;
    const buttons = this.renderRoot.querySelectorAll<HTMLButtonElement>(`fieldset:first-of-type tbody tr:nth-child(${j + 1}) .row-actions button`);
    const target = buttons[by < 0 ? 0 : 1];
    (target && !target.disabled ? target : buttons[by < 0 ? 1 : 0])?.focus();
  }
}

defineElement("rf-rollout-editor", RfRolloutEditor);

declare global {
  interface HTMLElementTagNameMap {
    "rf-rollout-editor": RfRolloutEditor;
  }
}
