/**
 * `<rf-rebate-editor>`: edits a rebate program (kind `rebate`): basis, period,
 * the tier ladder (add, remove, reorder; bounds and rates), retroactive or
 * incremental payout, modifiers, cap and rounding, with a live chart of what
 * one account earns against its basis under the current tiers, retroactive
 * beside incremental, computed exactly as settlement computes it.
 */
import { css, html, nothing, type TemplateResult } from "lit";
import { REBATE_MODES, REBATE_PERIODS, TIER_MEASURES, type RebateDefinition } from "@ruleflow/engine/rebates";
import { currencyScale, ROUNDING_MODES, toMinorUnits } from "@ruleflow/engine/money";
import { defineElement, RfEditorElement, type JsonPath } from "../shared/base.js";
import { COMMON, defineMessages, translator } from "../shared/i18n.js";
import { valueText } from "../shared/json.js";
import { themeStyles } from "../shared/theme.js";
import { policyFormStyles } from "./policy-editors/form-styles.js";
import { conditionSummary, formatAmountLabel, formatExactAmount, fractionToPercent, IssuePlacer, restIssues, rowButton, withoutItem } from "./policy-editors/kit.js";
import { chartGeometry, renderChart } from "./rebate-editor/chart.js";
import { earningsCurve, type EarningsCurve } from "./rebate-editor/earnings.js";

export type { RebateDefinition } from "@ruleflow/engine/rebates";

const MESSAGES = defineMessages({
  en: {
    editor: "Rebate program",
    program: "Program",
    id: "Id",
    version: "Version {v}",
    period: "Settlement period",
    month: "Month",
    quarter: "Quarter",
    year: "Year",
    settleOnDay: "Settle on day",
    currency: "Currency",
    cap: "Cap per account and period",
    roundingScale: "Rounding: decimal places",
    roundingMode: "Rounding mode",
    account: "Account (whose purchases reach a tier)",
    basis: "Basis",
    basisAmount: "Amount of a line",
    basisVolume: "Volume of a line",
    basisWhere: "Only lines where",
    everyLine: "every line",
    exclude: "Statuses that never count (comma separated)",
    tierBy: "Tiers measured on",
    amount: "Amount",
    volume: "Volume",
    growth: "Growth over the prior period",
    payout: "How tiers pay",
    retroactive: "Retroactive",
    retroactiveHint: "the whole basis at the reached tier's rate",
    incremental: "Incremental",
    incrementalHint: "each band at its own rate",
    tiers: "Tiers",
    tier: "Tier {n}",
    tierName: "Name",
    from: "From (inclusive)",
    rate: "Rate (fraction)",
    actions: "Actions",
    addTier: "Add tier",
    removeTier: "Remove tier {n}",
    moveTierUp: "Move tier {n} up",
    moveTierDown: "Move tier {n} down",
    tierNameOf: "Name of tier {n}",
    fromOf: "Lower bound of tier {n}",
    rateOf: "Rate of tier {n}",
    modifiers: "Modifiers",
    noModifiers: "No modifiers: every line earns the tier rate.",
    modifier: "Modifier {n}",
    modifierName: "Name of modifier {n}",
    modifierWhen: "Applies to",
    modifierOp: "Operation of modifier {n}",
    multiply: "Multiply the rate by",
    add: "Add to the rate",
    modifierValue: "Value of modifier {n}",
    tableValue: "table {table}, column {output}",
    addModifier: "Add modifier",
    removeModifier: "Remove modifier {n}",
    chart: "Earnings against basis",
    chartTitle: "What one account earns in a period against its basis, retroactive and incremental",
    chartDesc: "Two lines over basis from 0 to {max}: retroactive reaches {retro} and incremental {inc} at the right end. Modifiers are not included.",
    chartNote: "Before modifiers; rounded and capped as settlement does.",
    chartVolume: "The chart is drawn for tiers measured on amount; these tiers are measured on {measure}.",
    chartWaiting: "Fix the tiers to see the chart.",
    xAxis: "Basis ({currency})",
    yAxis: "Rebate ({currency})",
    capLine: "cap",
    legend: "Legend",
    table: "The chart's values at the tier bounds",
    basisCol: "Basis",
    tierCol: "Tier",
    belowFirst: "below the first tier",
    otherIssues: "Other problems",
  },
  "zh-CN": {
    editor: "返利方案",
    program: "方案",
    id: "编号",
    version: "第 {v} 版",
    period: "结算周期",
    month: "月",
    quarter: "季度",
    year: "年",
    settleOnDay: "结算日",
    currency: "币种",
    cap: "每个账户每期返利上限",
    roundingScale: "舍入：保留小数位",
    roundingMode: "舍入方式",
    account: "账户（按谁的进货额计算档位）",
    basis: "计返基数",
    basisAmount: "每行金额",
    basisVolume: "每行数量",
    basisWhere: "仅计入满足条件的行",
    everyLine: "所有行",
    exclude: "不计入的状态（用逗号分隔）",
    tierBy: "档位依据",
    amount: "金额",
    volume: "数量",
    growth: "比上期增长",
    payout: "计返方式",
    retroactive: "全额累进",
    retroactiveHint: "达到某档后，全部基数按该档比例计返",
    incremental: "超额累进",
    incrementalHint: "每一段按各自档位的比例计返",
    tiers: "档位",
    tier: "第 {n} 档",
    tierName: "名称",
    from: "起点（含）",
    rate: "返利比例（小数）",
    actions: "操作",
    addTier: "添加档位",
    removeTier: "删除第 {n} 档",
    moveTierUp: "第 {n} 档上移",
    moveTierDown: "第 {n} 档下移",
    tierNameOf: "第 {n} 档名称",
    fromOf: "第 {n} 档起点",
    rateOf: "第 {n} 档返利比例",
    modifiers: "比例调整",
    noModifiers: "没有比例调整：每行按档位比例计返。",
    modifier: "调整 {n}",
    modifierName: "调整 {n} 的名称",
    modifierWhen: "适用于",
    modifierOp: "调整 {n} 的方式",
    multiply: "比例乘以",
    add: "比例加上",
    modifierValue: "调整 {n} 的数值",
    tableValue: "决策表 {table} 的 {output} 列",
    addModifier: "添加调整",
    removeModifier: "删除调整 {n}",
    chart: "返利随基数变化",
    chartTitle: "一个账户一期的返利随计返基数的变化：全额累进与超额累进",
    chartDesc: "基数从 0 到 {max} 的两条折线：最右端全额累进为 {retro}，超额累进为 {inc}。未计入比例调整。",
    chartNote: "未计入比例调整；按结算规则舍入并封顶。",
    chartVolume: "图表按金额档位绘制；当前档位依据为{measure}。",
    chartWaiting: "请先修正档位，图表才能显示。",
    xAxis: "计返基数（{currency}）",
    yAxis: "返利（{currency}）",
    capLine: "上限",
    legend: "图例",
    table: "各档位边界处的数值",
    basisCol: "基数",
    tierCol: "档位",
    belowFirst: "低于第一档",
    otherIssues: "其他问题",
  },
});

type Doc = RebateDefinition & Record<string, unknown>;
type Tier = { from: string; rate: string; name?: string };
type Modifier = { name?: string; when?: unknown; multiply?: unknown; add?: unknown };

/**
 * `<rf-rebate-editor>`: the rebate program editor.
 *
 * - `definition` (property): the rebate document; every edit dispatches
 *   `change` with `detail: { definition, issues }` (the engine's issues).
 * - `readonly` (attribute): shows the program, no edits.
 * - `locale` (attribute): `en` or `zh-CN`.
 *
 * The chart shows, for the current tiers, what one account earns in a period
 * at each basis, retroactive and incremental, exactly as settlement computes
 * it before modifiers (rounded once, then capped).
 *
 * @fires change - `CustomEvent<ChangeDetail<RebateDefinition>>` after every edit
 * @cssprop --rf-chart-retroactive - colour of the retroactive line (default: the accent)
 * @cssprop --rf-chart-incremental - colour of the incremental line (default: the pass colour)
 */
export class RfRebateEditor extends RfEditorElement<Doc> {
  static override styles = [
    themeStyles,
    policyFormStyles,
    css`
      :host {
        container-type: inline-size;
        --_retro: var(--rf-chart-retroactive, var(--_accent));
        --_inc: var(--rf-chart-incremental, var(--_pass));
      }
      @container (min-width: 880px) {
        .layout {
          grid-template-columns: minmax(0, 1.05fr) minmax(0, 1fr);
        }
      }
      h3 {
        font-size: 14px;
        margin: 0 0 4px;
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        margin: 0 0 var(--_space);
        padding: var(--_space);
        min-width: 0;
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
        gap: 6px var(--_space);
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space);
        align-items: end;
        margin-bottom: var(--_space);
      }
      .head .field:first-child {
        flex: 1 1 260px;
      }
      td.num,
      th.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .pct {
        font-size: 12px;
        color: var(--_muted);
      }
      .modes {
        display: flex;
        flex-wrap: wrap;
        gap: 4px calc(var(--_space) * 2);
      }
      .modes label {
        display: flex;
        gap: 6px;
        align-items: baseline;
      }
      .modifier {
        display: grid;
        grid-template-columns: minmax(0, 1.2fr) minmax(0, 1.2fr) minmax(0, 1fr) auto;
        gap: 6px;
        align-items: start;
        padding: 6px 0;
        border-bottom: 1px solid var(--_border);
      }
      .modifier input,
      .modifier select {
        width: 100%;
      }
      .modifier .when {
        grid-column: 1 / -1;
        display: flex;
        gap: 6px;
        align-items: baseline;
      }
      .modifier .when .summary {
        flex: 1;
      }
      .chart-box {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space);
      }
      .chart {
        width: 100%;
        height: auto;
        display: block;
      }
      .chart text {
        font-size: 11px;
        fill: var(--_muted);
        font-family: var(--_font);
      }
      .chart .axis-title {
        font-size: 12px;
        fill: var(--_text);
      }
      .chart .axis line {
        stroke: var(--_text);
      }
      .chart .grid line {
        stroke: var(--_border);
        stroke-dasharray: 2 3;
      }
      .chart .bounds line {
        stroke: var(--_border);
      }
      .chart .cap line {
        stroke: var(--_fail);
        stroke-dasharray: 6 4;
      }
      .chart .cap text {
        fill: var(--_fail);
      }
      .series {
        fill: none;
        stroke-width: 2.5;
        stroke-linejoin: round;
      }
      .series.retroactive {
        stroke: var(--_retro);
      }
      .series.incremental {
        stroke: var(--_inc);
        stroke-dasharray: 7 4;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 4px calc(var(--_space) * 2);
        margin: 0 0 4px;
        padding: 0;
        list-style: none;
        font-size: 13px;
      }
      .legend li {
        display: flex;
        align-items: center;
        gap: 6px;
      }
      .swatch {
        width: 22px;
        height: 0;
        border-top: 3px solid var(--_retro);
      }
      .swatch.inc {
        border-top: 3px dashed var(--_inc);
      }
      .rest-issues {
        margin-top: var(--_space);
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
    const t = this.t;
    const placer = new IssuePlacer(this.issues);
    const main = html`<div class="layout" role="group" aria-label=${t("editor")}>
      <div>
        ${this.renderHead(doc, placer)} ${this.renderTiers(doc, placer)} ${this.renderModifiers(doc, placer)} ${this.renderProgram(doc, placer)}
        ${this.renderBasis(doc, placer)}
      </div>
      <div>${this.renderChart(doc)}</div>
    </div>`;
    return html`${main}${restIssues(placer.rest(), t("otherIssues"))}`;
  }

  // -- pieces -----------------------------------------------------------------

  private text(path: JsonPath, label: string, value: unknown, placer: IssuePlacer, opts: { mono?: boolean; optional?: boolean; cls?: string; inputmode?: string } = {}): TemplateResult {
    const f = placer.field(path);
    return html`<label class="field ${opts.cls ?? ""}"
      ><span>${label}</span
      ><input
        class=${opts.mono ? "rf-mono" : ""}
        .value=${valueText(value)}
        inputmode=${opts.inputmode ?? nothing}
        ?disabled=${this.readonly}
        aria-invalid=${f.invalid}
        aria-describedby=${f.describedBy}
        @change=${(e: Event) => {
          const v = (e.target as HTMLInputElement).value;
          this.edit(path, opts.optional && v.trim() === "" ? undefined : v);
        }}
      />${f.message}</label
    >`;
  }

  private select(path: JsonPath, label: string, value: unknown, options: readonly { value: string; text: string }[], placer: IssuePlacer, opts: { optional?: boolean } = {}): TemplateResult {
    const f = placer.field(path);
    return html`<label class="field"
      ><span>${label}</span
      ><select
        ?disabled=${this.readonly}
        aria-invalid=${f.invalid}
        aria-describedby=${f.describedBy}
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.edit(path, opts.optional && v === "" ? undefined : v);
        }}
      >
        ${opts.optional ? html`<option value="" ?selected=${value === undefined}>${this.c("none")}</option>` : nothing}
        ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.text}</option>`)}</select
      >${f.message}</label
    >`;
  }

  private renderHead(doc: Doc, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    return html`<div class="head">
      ${this.text(["name"], this.c("name"), doc.name, placer, { optional: true })} ${this.text(["id"], t("id"), doc.id, placer, { mono: true })}
      <span class="rf-muted">${t("version", { v: String(doc.version) })}</span>
    </div>`;
  }

  private renderProgram(doc: Doc, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const periods = REBATE_PERIODS.map((p) => ({ value: p, text: t(p) }));
    return html`<fieldset>
      <legend>${t("program")}</legend>
      <div class="fields">
        ${this.select(["period"], t("period"), doc.period ?? "month", periods, placer)}
        ${this.numberField(["settleOnDay"], t("settleOnDay"), doc.settleOnDay, placer, { min: 1, max: 28 })}
        ${this.text(["currency"], t("currency"), doc.currency, placer, { optional: true, mono: true })}
        ${this.text(["cap"], t("cap"), doc.cap, placer, { optional: true, inputmode: "decimal" })}
        ${this.numberField(["rounding", "scale"], t("roundingScale"), doc.rounding?.scale, placer, { min: 0, max: 6 })}
        ${this.select(
          ["rounding", "mode"],
          t("roundingMode"),
          doc.rounding?.mode ?? "half-even",
          ROUNDING_MODES.map((m) => ({ value: m, text: m })),
          placer,
        )}
        ${this.text(["account"], t("account"), doc.account, placer, { optional: true, mono: true, cls: "wide" })}
      </div>
    </fieldset>`;
  }

  private numberField(path: JsonPath, label: string, value: number | undefined, placer: IssuePlacer, range: { min: number; max: number }): TemplateResult {
    const f = placer.field(path);
    return html`<label class="field"
      ><span>${label}</span
      ><input
        type="number"
        min=${range.min}
        max=${range.max}
        step="1"
        .value=${value === undefined ? "" : String(value)}
        ?disabled=${this.readonly}
        aria-invalid=${f.invalid}
        aria-describedby=${f.describedBy}
        @change=${(e: Event) => {
          const raw = (e.target as HTMLInputElement).value.trim();
          this.edit(path, raw === "" ? undefined : Number(raw));
        }}
      />${f.message}</label
    >`;
  }

  private renderBasis(doc: Doc, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const basis = doc.basis ?? {};
    const tierBy = doc.tierBy ?? "amount";
    const where = placer.field(["basis", "where"], { under: true });
    return html`<fieldset>
      <legend>${t("basis")}</legend>
      <div class="fields">
        ${this.select(["tierBy"], t("tierBy"), tierBy, TIER_MEASURES.map((m) => ({ value: m, text: t(m) })), placer)}
        ${this.text(["basis", "amount"], t("basisAmount"), basis.amount, placer, { mono: true })}
        ${tierBy === "volume" || basis.volume !== undefined ? this.text(["basis", "volume"], t("basisVolume"), basis.volume, placer, { mono: true, optional: true }) : nothing}
        <div class="field wide">
          <span class="label" id="where-label">${t("basisWhere")}</span>
          <div class="summary" aria-labelledby="where-label" role="note" aria-describedby=${where.describedBy}>
            ${basis.where === undefined ? t("everyLine") : conditionSummary(basis.where, this.uiLocale)}
          </div>
          ${where.message}
        </div>
        ${this.excludeField(basis.exclude ?? [], placer)}
      </div>
    </fieldset>`;
  }

  private excludeField(exclude: readonly string[], placer: IssuePlacer): TemplateResult {
    const f = placer.field(["basis", "exclude"], { under: true });
    return html`<label class="field wide"
      ><span>${this.t("exclude")}</span
      ><input
        .value=${exclude.join(", ")}
        ?disabled=${this.readonly}
        aria-invalid=${f.invalid}
        aria-describedby=${f.describedBy}
        @change=${(e: Event) => {
          const list = (e.target as HTMLInputElement).value
            .split(/[,，]/)
            .map((s) => s.trim())
            .filter(Boolean);
          this.edit(["basis", "exclude"], list.length ? list : undefined);
        }}
      />${f.message}</label
    >`;
  }

  private renderTiers(doc: Doc, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const tiers = (Array.isArray(doc.tiers) ? doc.tiers : []) as Tier[];
    const mode = doc.mode ?? "retroactive";
    const modeIssues = placer.field(["mode"]);
    const listIssues = placer.field(["tiers"]);
    return html`<fieldset>
      <legend>${t("tiers")}</legend>
      <div class="modes" role="radiogroup" aria-label=${t("payout")} aria-describedby=${modeIssues.describedBy}>
        ${REBATE_MODES.map(
          (m) =>
            html`<label
              ><input type="radio" name="mode" value=${m} .checked=${mode === m} ?disabled=${this.readonly} @change=${() => this.edit(["mode"], m)} /><span
                ><strong>${t(m)}</strong> <span class="hint">${t(m === "retroactive" ? "retroactiveHint" : "incrementalHint")}</span></span
              ></label
            >`,
        )}
      </div>
      ${modeIssues.message}
      <table aria-describedby=${listIssues.describedBy}>
        <caption class="rf-visually-hidden">
          ${t("tiers")}
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">${t("tierName")}</th>
            <th scope="col">${t("from")}</th>
            <th scope="col">${t("rate")}</th>
            <th scope="col"><span class="rf-visually-hidden">${t("actions")}</span></th>
          </tr>
        </thead>
        <tbody>
          ${tiers.map((tier, i) => this.renderTier(tier, i, tiers, placer))}
        </tbody>
      </table>
      ${listIssues.message}
      <button class="add" type="button" ?disabled=${this.readonly} @click=${() => this.addTier(tiers)}>+ ${t("addTier")}</button>
    </fieldset>`;
  }

  private renderTier(tier: Tier, i: number, tiers: Tier[], placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const n = String(i + 1);
    const row = placer.field(["tiers", i]);
    const cell = (key: "name" | "from" | "rate", label: string, opts: { inputmode?: string; optional?: boolean }): TemplateResult => {
      const f = placer.field(["tiers", i, key]);
      const value = tier?.[key];
      return html`<input
          aria-label=${label}
          class=${key === "name" ? "" : "rf-mono"}
          inputmode=${opts.inputmode ?? nothing}
          .value=${value === undefined ? "" : String(value)}
          ?disabled=${this.readonly}
          aria-invalid=${f.invalid}
          aria-describedby=${f.describedBy}
          @change=${(e: Event) => {
            const v = (e.target as HTMLInputElement).value.trim();
            this.edit(["tiers", i, key], opts.optional && v === "" ? undefined : v);
          }}
        />${f.message}`;
    };
    const pct = typeof tier?.rate === "string" ? fractionToPercent(tier.rate) : undefined;
    const fromMinor = this.amountTiers && typeof tier?.from === "string" && /^\d+(\.\d+)?$/.test(tier.from) ? toMinorUnits(tier.from, this.moneyScale) : undefined;
    const fromHint = typeof fromMinor === "bigint" && fromMinor >= 10000n * 10n ** BigInt(this.moneyScale) ? formatAmountLabel(fromMinor, this.moneyScale, this.uiLocale) : undefined;
    return html`<tr aria-describedby=${row.describedBy}>
      <th scope="row">${n}</th>
      <td>${cell("name", t("tierNameOf", { n }), { optional: true })}</td>
      <td>${cell("from", t("fromOf", { n }), { inputmode: "decimal" })}${fromHint ? html`<div class="pct">= ${fromHint}</div>` : nothing}</td>
      <td>${cell("rate", t("rateOf", { n }), { inputmode: "decimal" })}${pct ? html`<div class="pct">= ${pct}</div>` : nothing}${row.message}</td>
      <td>
        <div class="row-actions">
          ${rowButton("↑", t("moveTierUp", { n }), this.readonly || i === 0, () => void this.moveTier(tiers, i, -1))}
          ${rowButton("↓", t("moveTierDown", { n }), this.readonly || i === tiers.length - 1, () => void this.moveTier(tiers, i, 1))}
          ${rowButton("✕", t("removeTier", { n }), this.readonly || tiers.length <= 1, () => this.removeTier(tiers, i))}
        </div>
      </td>
    </tr>`;
  }

  private renderModifiers(doc: Doc, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const mods = (Array.isArray(doc.modifiers) ? doc.modifiers : []) as Modifier[];
    return html`<fieldset>
      <legend>${t("modifiers")}</legend>
      ${mods.length === 0 ? html`<div class="hint">${t("noModifiers")}</div>` : nothing}
      ${mods.map((m, i) => this.renderModifier(m, i, mods, placer))}
      <button class="add" type="button" ?disabled=${this.readonly} @click=${() => this.edit(["modifiers"], [...mods, { name: "", multiply: "1" }])}>+ ${t("addModifier")}</button>
    </fieldset>`;
  }

  private renderModifier(m: Modifier, i: number, mods: Modifier[], placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const n = String(i + 1);
    const op: "multiply" | "add" = m.add !== undefined && m.multiply === undefined ? "add" : "multiply";
    const value = m[op];
    const nameF = placer.field(["modifiers", i, "name"]);
    const whenF = placer.field(["modifiers", i, "when"], { under: true });
    const valueF = placer.field(["modifiers", i, op], { under: true });
    const rowF = placer.field(["modifiers", i]);
    const isTable = value !== null && typeof value === "object";
    return html`<div class="modifier" role="group" aria-label=${t("modifier", { n })}>
      <div>
        <input
          aria-label=${t("modifierName", { n })}
          .value=${m.name ?? ""}
          ?disabled=${this.readonly}
          aria-invalid=${nameF.invalid}
          aria-describedby=${nameF.describedBy}
          @change=${(e: Event) => {
            const v = (e.target as HTMLInputElement).value;
            this.edit(["modifiers", i, "name"], v === "" ? undefined : v);
          }}
        />${nameF.message}
      </div>
      <select
        aria-label=${t("modifierOp", { n })}
        ?disabled=${this.readonly}
        @change=${(e: Event) => {
          const next = (e.target as HTMLSelectElement).value as "multiply" | "add";
          const { multiply: _m, add: _a, ...rest } = m;
          this.edit(["modifiers", i], { ...rest, [next]: value });
        }}
      >
        <option value="multiply" ?selected=${op === "multiply"}>${t("multiply")}</option>
        <option value="add" ?selected=${op === "add"}>${t("add")}</option>
      </select>
      <div>
        ${isTable
          ? html`<div class="summary" role="note" aria-label=${t("modifierValue", { n })} aria-describedby=${valueF.describedBy}>
              ${t("tableValue", { table: String((value as { table?: unknown }).table), output: String((value as { output?: unknown }).output) })}
            </div>`
          : html`<input
              class="rf-mono"
              inputmode="decimal"
              aria-label=${t("modifierValue", { n })}
              .value=${valueText(value)}
              ?disabled=${this.readonly}
              aria-invalid=${valueF.invalid}
              aria-describedby=${valueF.describedBy}
              @change=${(e: Event) => this.edit(["modifiers", i, op], (e.target as HTMLInputElement).value.trim())}
            />`}
        ${valueF.message}${rowF.message}
      </div>
      ${rowButton("✕", t("removeModifier", { n }), this.readonly, () => this.edit(["modifiers"], withoutItem(mods, i, true)))}
      <div class="when">
        <span class="label" id=${`when-${i}`}>${t("modifierWhen")}</span>
        <div class="summary" role="note" aria-labelledby=${`when-${i}`} aria-describedby=${whenF.describedBy}>
          ${m.when === undefined ? t("everyLine") : conditionSummary(m.when, this.uiLocale)}
        </div>
        ${whenF.message}
      </div>
    </div>`;
  }

  private renderChart(doc: Doc): TemplateResult {
    const t = this.t;
    const tierBy = doc.tierBy ?? "amount";
    const tiers = (Array.isArray(doc.tiers) ? doc.tiers : []) as Tier[];
    let body: TemplateResult;
    if (tierBy !== "amount") {
      body = html`<p class="hint">${t("chartVolume", { measure: t(tierBy) })}</p>`;
    } else {
      const curve = earningsCurve({ tiers, currency: doc.currency, rounding: doc.rounding, cap: doc.cap });
      body = "problem" in curve ? html`<p class="hint" role="status">${t("chartWaiting")}</p>` : this.renderCurve(curve, tiers, doc);
    }
    return html`<section class="chart-box" aria-labelledby="chart-heading">
      <h2 id="chart-heading">${t("chart")}</h2>
      ${body}
    </section>`;
  }

  private renderCurve(curve: EarningsCurve, tiers: Tier[], doc: Doc): TemplateResult {
    const t = this.t;
    const locale = this.uiLocale;
    const scale = curve.ladder.scale;
    const g = chartGeometry(
      curve,
      locale,
      tiers.map((x) => x.name),
    );
    const last = curve.points[curve.points.length - 1]!;
    const money = (v: bigint): string => formatExactAmount(v, scale);
    const currency = doc.currency ?? "—";
    const rows = curve.ladder.froms.flatMap((f) => (f > 0n ? [f - 1n, f] : [f]));
    rows.push(curve.maxBasis);
    const at = (b: bigint) => curve.points.find((p) => p.basis === b)!;
    return html`<ul class="legend" aria-label=${t("legend")}>
        <li><span class="swatch" aria-hidden="true"></span>${t("retroactive")}</li>
        <li><span class="swatch inc" aria-hidden="true"></span>${t("incremental")}</li>
      </ul>
      ${renderChart(g, {
        title: t("chartTitle"),
        description: t("chartDesc", { max: money(curve.maxBasis), retro: money(last.retroactive), inc: money(last.incremental) }),
        xAxis: t("xAxis", { currency }),
        yAxis: t("yAxis", { currency }),
        cap: t("capLine"),
      })}
      <div class="hint">${t("chartNote")}</div>
      <details>
        <summary>${t("table")}</summary>
        <table class="values">
          <thead>
            <tr>
              <th scope="col" class="num">${t("basisCol")}</th>
              <th scope="col">${t("tierCol")}</th>
              <th scope="col" class="num">${t("retroactive")}</th>
              <th scope="col" class="num">${t("incremental")}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map((b) => {
              const p = at(b);
              const tierName = p.tier < 0 ? t("belowFirst") : (tiers[p.tier]?.name ?? t("tier", { n: String(p.tier + 1) }));
              return html`<tr>
                <td class="num">${money(p.basis)}</td>
                <td>${tierName}</td>
                <td class="num">${money(p.retroactive)}</td>
                <td class="num">${money(p.incremental)}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </details>`;
  }

  private get amountTiers(): boolean {
    return (this.definition?.tierBy ?? "amount") === "amount";
  }

  private get moneyScale(): number {
    const c = this.definition?.currency;
    return (typeof c === "string" ? currencyScale(c) : 2) ?? 2;
  }

  // -- edits --------------------------------------------------------------------

  private addTier(tiers: Tier[]): void {
    const top = tiers[tiers.length - 1];
    const from = top && /^\d+$/.test(top.from) ? (BigInt(top.from) > 0n ? BigInt(top.from) * 2n : 1_000_000n).toString() : "";
    this.edit(["tiers"], [...tiers, { from, rate: top?.rate ?? "0.01" }]);
  }

  private removeTier(tiers: Tier[], i: number): void {
    this.edit(["tiers"], withoutItem(tiers, i));
  }

  private async moveTier(tiers: Tier[], i: number, by: -1 | 1): Promise<void> {
    const j = i + by;
    if (j < 0 || j >= tiers.length) return;
    const next = [...tiers];
    [next[i], next[j]] = [next[j]!, next[i]!];
    this.edit(["tiers"], next);
    // keep the focus on the moved tier's button
    await this.updateComplete;
    const buttons = this.renderRoot.querySelectorAll<HTMLButtonElement>(`tbody tr:nth-child(${j + 1}) .row-actions button`);
    const target = buttons[by < 0 ? 0 : 1];
    (target && !target.disabled ? target : buttons[by < 0 ? 1 : 0])?.focus();
  }
}

defineElement("rf-rebate-editor", RfRebateEditor);

declare global {
  interface HTMLElementTagNameMap {
    "rf-rebate-editor": RfRebateEditor;
  }
}
