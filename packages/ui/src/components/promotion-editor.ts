/**
 * `<rf-promotion-editor>`: edits a promotion (kind `promotion`): name, period
 * (effective window, zone, currency), eligibility (an embedded
 * `<rf-condition-editor>`), benefits (gift, discount, points, subsidy), budget
 * and limits, dedupe, and the stacking group.
 */
import { css, html, nothing, type TemplateResult } from "lit";
import { PERIOD_UNITS } from "@ruleflow/engine/money";
import { STACKING_MODES, type PromotionDefinition } from "@ruleflow/engine/promotions";
import { defineElement, RfEditorElement, type ChangeDetail, type JsonPath } from "../shared/base.js";
import { COMMON, defineMessages, translator } from "../shared/i18n.js";
import { valueText } from "../shared/json.js";
import { themeStyles } from "../shared/theme.js";
import "./condition-editor.js";
import { IssuePlacer, restIssues, rowButton, withoutItem } from "./policy-editors/kit.js";

export type { PromotionDefinition } from "@ruleflow/engine/promotions";

const MESSAGES = defineMessages({
  en: {
    editor: "Promotion",
    id: "Id",
    version: "Version {v}",
    description: "Description",
    period: "Period",
    from: "From (inclusive)",
    to: "To (exclusive)",
    timeZone: "Time zone",
    currency: "Currency",
    eligibility: "Eligibility",
    benefits: "Benefits",
    benefit: "Benefit {n}",
    type: "Type of benefit {n}",
    gift: "Gift",
    discount: "Discount",
    points: "Points",
    subsidy: "Subsidy",
    sku: "SKU",
    quantity: "Quantity (number or expression)",
    unitCost: "Cost of one gift",
    discountBy: "Discount by",
    percent: "Percent off",
    amount: "Amount off",
    byPercent: "Percentage",
    byAmount: "Fixed amount",
    subsidyAmount: "Amount",
    of: "Of (expression)",
    cap: "At most",
    multiplier: "Points per unit",
    pointValue: "Value of one point",
    label: "Label",
    addBenefit: "Add benefit",
    removeBenefit: "Remove benefit {n}",
    limits: "Budget and limits",
    budget: "Total budget",
    uses: "Total claims",
    perStore: "Per store",
    perCustomer: "Per customer",
    count: "Count",
    limitBudget: "Budget",
    per: "Period",
    keyed: "Other limits",
    lifetime: "Lifetime",
    day: "Day",
    week: "Week",
    month: "Month",
    quarter: "Quarter",
    year: "Year",
    dedupe: "Dedupe",
    dedupeKey: "One active claim per (expression)",
    dedupePeriod: "Dedupe period",
    stacking: "Stacking",
    group: "Group",
    mode: "Mode",
    noMode: "stackable (default)",
    stackable: "Stackable (all apply)",
    exclusive: "Exclusive (top priority)",
    "best-of": "Best of (largest value)",
    priority: "Priority",
    otherIssues: "Other problems",
  },
  "zh-CN": {
    editor: "促销活动",
    id: "编号",
    version: "第 {v} 版",
    description: "说明",
    period: "活动时间",
    from: "开始（含）",
    to: "结束（不含）",
    timeZone: "时区",
    currency: "币种",
    eligibility: "参与条件",
    benefits: "优惠内容",
    benefit: "优惠 {n}",
    type: "优惠 {n} 的类型",
    gift: "赠品",
    discount: "折扣",
    points: "积分",
    subsidy: "补贴",
    sku: "商品编码",
    quantity: "数量（数字或表达式）",
    unitCost: "单个赠品成本",
    discountBy: "折扣方式",
    percent: "折扣百分比",
    amount: "减免金额",
    byPercent: "按百分比",
    byAmount: "按固定金额",
    subsidyAmount: "金额",
    of: "计算基数（表达式）",
    cap: "最多",
    multiplier: "每单位积分",
    pointValue: "每积分价值",
    label: "名称",
    addBenefit: "添加优惠",
    removeBenefit: "删除优惠 {n}",
    limits: "预算与限制",
    budget: "总预算",
    uses: "总领取次数",
    perStore: "每个门店",
    perCustomer: "每个客户",
    count: "次数",
    limitBudget: "预算",
    per: "周期",
    keyed: "其他限制",
    lifetime: "整个活动期",
    day: "每天",
    week: "每周",
    month: "每月",
    quarter: "每季度",
    year: "每年",
    dedupe: "防重复",
    dedupeKey: "同一值只能有一个有效领取（表达式）",
    dedupePeriod: "防重复周期",
    stacking: "叠加规则",
    group: "分组",
    mode: "方式",
    noMode: "可叠加（默认）",
    stackable: "可叠加（全部生效）",
    exclusive: "互斥（优先级最高）",
    "best-of": "择优（价值最高）",
    priority: "优先级",
    otherIssues: "其他问题",
  },
});

type Doc = PromotionDefinition & Record<string, unknown>;
type Obj = Record<string, unknown>;
type BenefitType = "gift" | "discount" | "points" | "subsidy";
const BENEFIT_TYPES: readonly BenefitType[] = ["gift", "discount", "points", "subsidy"];
const PERIODS = ["lifetime", ...PERIOD_UNITS] as const;

/** A fresh benefit of a type, keeping the label. */
function newBenefit(type: BenefitType, label: unknown): Obj {
  const base: Obj =
    type === "gift" ? { type, sku: "", quantity: 1 } : type === "discount" ? { type, percent: "5" } : type === "points" ? { type, multiplier: "1" } : { type, amount: "100.00" };
  return typeof label === "string" ? { ...base, label } : base;
}

/**
 * `<rf-promotion-editor>`: the promotion editor.
 *
 * - `definition` (property): the promotion document; every edit (including
 *   those made in the embedded condition editor) dispatches one `change` with
 *   `detail: { definition, issues }`.
 * - `readonly`, `locale` (attributes): as every editor; passed on to the
 *   embedded `<rf-condition-editor>`.
 *
 * @fires change - `CustomEvent<ChangeDetail<PromotionDefinition>>` after every edit
 */
export class RfPromotionEditor extends RfEditorElement<Doc> {
  static override styles = [
    themeStyles,
    css`
      :host {
        container-type: inline-size;
      }
      .layout {
        display: grid;
        gap: 0 calc(var(--_space) * 2);
        grid-template-columns: minmax(0, 1fr);
      }
      @container (min-width: 880px) {
        .layout {
          grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr);
        }
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        margin: 0 0 var(--_space);
        padding: var(--_space);
        min-width: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 4px;
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(170px, 1fr));
        gap: 6px var(--_space);
      }
      .field {
        display: flex;
        flex-direction: column;
        gap: 2px;
        min-width: 0;
      }
      .field > span {
        font-size: 12px;
        color: var(--_muted);
      }
      .wide {
        grid-column: 1 / -1;
      }
      .benefit {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 6px var(--_space) var(--_space);
        margin-bottom: var(--_space);
        background: var(--_surface);
      }
      .benefit-head {
        display: flex;
        gap: var(--_space);
        align-items: center;
        margin-bottom: 6px;
      }
      .benefit-head strong {
        flex: 1;
      }
      .limit {
        display: grid;
        grid-template-columns: 110px repeat(3, minmax(0, 1fr));
        gap: 6px;
        align-items: start;
        padding: 4px 0;
        border-bottom: 1px solid var(--_border);
      }
      .limit > .name {
        font-weight: 600;
        font-size: 13px;
        padding-top: 18px;
      }
      .limit input,
      .limit select {
        width: 100%;
      }
      .summary {
        font-family: var(--_mono);
        font-size: 12px;
        padding: 3px 6px;
        background: var(--_surface);
        border-radius: calc(var(--_radius) - 2px);
        overflow-wrap: anywhere;
      }
      .add {
        margin-top: 2px;
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
    // the condition editor shows every issue under eligibility itself
    placer.under(["eligibility"]);
    const main = html`<div class="layout" role="group" aria-label=${t("editor")}>
      <div>
        ${this.renderHead(doc, placer)}
        <fieldset>
          <legend>${t("eligibility")}</legend>
          <rf-condition-editor
            .definition=${doc}
            .path=${["eligibility"]}
            .locale=${this.locale}
            ?readonly=${this.readonly}
            @change=${(e: CustomEvent<ChangeDetail<Doc>>) => {
              e.stopPropagation();
              this.replace(e.detail.definition);
            }}
          ></rf-condition-editor>
        </fieldset>
      </div>
      <div>${this.renderBenefits(doc, placer)} ${this.renderLimits(doc, placer)} ${this.renderStacking(doc, placer)}</div>
    </div>`;
    return html`${main}${restIssues(placer.rest(), t("otherIssues"))}`;
  }

  // -- controls -------------------------------------------------------------------

  private input(
    path: JsonPath,
    label: string,
    value: unknown,
    placer: IssuePlacer,
    opts: { mono?: boolean; optional?: boolean; cls?: string; parse?: (raw: string) => unknown; inputmode?: string; type?: string } = {},
  ): TemplateResult {
    const f = placer.field(path);
    return html`<label class="field ${opts.cls ?? ""}"
      ><span>${label}</span
      ><input
        class=${opts.mono ? "rf-mono" : ""}
        type=${opts.type ?? "text"}
        inputmode=${opts.inputmode ?? nothing}
        .value=${valueText(value)}
        ?disabled=${this.readonly}
        aria-invalid=${f.invalid}
        aria-describedby=${f.describedBy}
        @change=${(e: Event) => {
          const raw = (e.target as HTMLInputElement).value;
          if (opts.optional && raw.trim() === "") this.edit(path, undefined);
          else this.edit(path, opts.parse ? opts.parse(raw) : raw);
        }}
      />${f.message}</label
    >`;
  }

  private select(path: JsonPath, label: string, value: unknown, options: readonly { value: string; text: string }[], placer: IssuePlacer, onChange?: (v: string) => void, opts: { aria?: string } = {}): TemplateResult {
    const f = placer.field(path);
    return html`<label class="field"
      ><span>${label}</span
      ><select
        ?disabled=${this.readonly}
        aria-label=${opts.aria ?? nothing}
        aria-invalid=${f.invalid}
        aria-describedby=${f.describedBy}
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          if (onChange) onChange(v);
          else this.edit(path, v === "" ? undefined : v);
        }}
      >
        ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.text}</option>`)}</select
      >${f.message}</label
    >`;
  }

  private periods(withNone = false): { value: string; text: string }[] {
    return [...(withNone ? [{ value: "", text: this.c("none") }] : []), ...PERIODS.map((p) => ({ value: p, text: this.t(p) }))];
  }

  private renderHead(doc: Doc, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const eff = (doc.effective ?? {}) as Obj;
    return html`<fieldset>
      <legend>${t("editor")} · ${t("version", { v: String(doc.version) })}</legend>
      <div class="fields">
        ${this.input(["name"], this.c("name"), doc.name, placer, { optional: true, cls: "wide" })} ${this.input(["id"], t("id"), doc.id, placer, { mono: true })}
        ${this.input(["currency"], t("currency"), doc.currency, placer, { mono: true, optional: true })}
        ${this.input(["description"], t("description"), doc.description, placer, { optional: true, cls: "wide" })}
      </div>
    </fieldset>
    <fieldset>
      <legend>${t("period")}</legend>
      <div class="fields">
        ${this.input(["effective", "from"], t("from"), eff.from, placer, { mono: true, optional: true })}
        ${this.input(["effective", "to"], t("to"), eff.to, placer, { mono: true, optional: true })}
        ${this.input(["timeZone"], t("timeZone"), doc.timeZone, placer, { mono: true, optional: true })}
      </div>
      ${placer.field(["effective"]).message}
    </fieldset>`;
  }

  // -- benefits -----------------------------------------------------------------

  private renderBenefits(doc: Doc, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const single = !Array.isArray(doc.benefit);
    const list = (single ? (doc.benefit === undefined ? [] : [doc.benefit]) : doc.benefit) as Obj[];
    const pathOf = (i: number): JsonPath => (single ? ["benefit"] : ["benefit", i]);
    const top = single ? undefined : placer.field(["benefit"]);
    return html`<fieldset>
      <legend>${t("benefits")}</legend>
      ${list.map((b, i) => this.renderBenefit(b, i, pathOf(i), list, single, placer))} ${top ? top.message : nothing}
      <button
        class="add"
        type="button"
        ?disabled=${this.readonly}
        @click=${() => this.edit(["benefit"], [...list, newBenefit("gift", undefined)])}
      >
        + ${t("addBenefit")}
      </button>
    </fieldset>`;
  }

  private renderBenefit(b: Obj, i: number, path: JsonPath, list: Obj[], single: boolean, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const n = String(i + 1);
    const type = (BENEFIT_TYPES as readonly string[]).includes(b?.type as string) ? (b.type as BenefitType) : "gift";
    const at = (k: string): JsonPath => [...path, k];
    const money = { mono: true, optional: true, inputmode: "decimal" };
    let fields: TemplateResult;
    if (type === "gift") {
      fields = html`${this.input(at("sku"), t("sku"), b.sku, placer, { mono: true })}
      ${this.input(at("quantity"), t("quantity"), b.quantity, placer, { mono: true, parse: (raw) => (/^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw) })}
      ${this.input(at("unitCost"), t("unitCost"), b.unitCost, placer, money)}`;
    } else if (type === "discount") {
      const by = b.amount !== undefined && b.percent === undefined ? "amount" : "percent";
      fields = html`${this.select(
        at("type"),
        t("discountBy"),
        by,
        [
          { value: "percent", text: t("byPercent") },
          { value: "amount", text: t("byAmount") },
        ],
        new IssuePlacer([]),
        (v) => {
          const { percent: _p, amount: _a, ...rest } = b;
          this.edit(path, { ...rest, [v]: v === "percent" ? "5" : "100.00" });
        },
      )}
      ${this.input(at(by), t(by), b[by], placer, { mono: true, inputmode: "decimal" })} ${this.input(at("of"), t("of"), b.of, placer, { mono: true, optional: true })}
      ${this.input(at("cap"), t("cap"), b.cap, placer, money)}`;
    } else if (type === "points") {
      fields = html`${this.input(at("multiplier"), t("multiplier"), b.multiplier, placer, { mono: true, inputmode: "decimal" })}
      ${this.input(at("of"), t("of"), b.of, placer, { mono: true, optional: true })} ${this.input(at("pointValue"), t("pointValue"), b.pointValue, placer, money)}`;
    } else {
      fields = html`${this.input(at("amount"), t("subsidyAmount"), b.amount, placer, { mono: true, inputmode: "decimal" })}`;
    }
    const whole = placer.field(path);
    return html`<div class="benefit" role="group" aria-label=${t("benefit", { n })} aria-describedby=${whole.describedBy}>
      <div class="benefit-head">
        <strong>${t("benefit", { n })}</strong>
        <select
          aria-label=${t("type", { n })}
          ?disabled=${this.readonly}
          @change=${(e: Event) => this.edit(path, newBenefit((e.target as HTMLSelectElement).value as BenefitType, b?.label))}
        >
          ${BENEFIT_TYPES.map((x) => html`<option value=${x} ?selected=${x === type}>${t(x)}</option>`)}
        </select>
        ${rowButton("✕", t("removeBenefit", { n }), this.readonly || list.length <= 1, () => {
          const next = withoutItem(list, i) ?? [];
          this.edit(["benefit"], next.length === 1 && single ? next[0] : next);
        })}
      </div>
      <div class="fields">${fields} ${this.input(at("label"), t("label"), b.label, placer, { optional: true })}</div>
      ${whole.message}
    </div>`;
  }

  // -- limits -------------------------------------------------------------------

  private renderLimits(doc: Doc, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const limits = (doc.limits ?? {}) as Obj;
    const setLimits = (key: string, value: unknown): void => {
      const next = { ...limits };
      if (value === undefined) delete next[key];
      else next[key] = value;
      this.edit(["limits"], Object.keys(next).length ? next : undefined);
    };
    // budget: "amount" (lifetime) or { amount, period }
    const budget = limits.budget;
    const bAmount = typeof budget === "object" && budget !== null ? (budget as Obj).amount : budget;
    const bPeriod = typeof budget === "object" && budget !== null ? (budget as Obj).period : "lifetime";
    const bPath: JsonPath = typeof budget === "object" && budget !== null ? ["limits", "budget", "amount"] : ["limits", "budget"];
    const writeBudget = (amount: unknown, period: unknown): void => {
      if (amount === undefined || amount === "") setLimits("budget", undefined);
      else setLimits("budget", period === "lifetime" || period === undefined ? amount : { amount, period });
    };
    const uses = limits.uses;
    const uCount = typeof uses === "object" && uses !== null ? (uses as Obj).count : uses;
    const uPeriod = typeof uses === "object" && uses !== null ? (uses as Obj).period : "lifetime";
    const uPath: JsonPath = typeof uses === "object" && uses !== null ? ["limits", "uses", "count"] : ["limits", "uses"];
    const writeUses = (count: unknown, period: unknown): void => {
      if (count === undefined) setLimits("uses", undefined);
      else setLimits("uses", period === "lifetime" || period === undefined ? count : { count, period });
    };
    const int = (raw: string): number | undefined => (raw.trim() === "" ? undefined : Number(raw));
    const f = (path: JsonPath) => placer.field(path);
    const bF = f(bPath);
    const uF = f(uPath);
    const perRow = (key: "perStore" | "perCustomer"): TemplateResult => {
      const l = (limits[key] ?? {}) as Obj;
      const write = (field: string, v: unknown): void => {
        const next = { ...l };
        if (v === undefined) delete next[field];
        else next[field] = v;
        setLimits(key, Object.keys(next).filter((k) => k !== "period").length ? next : undefined);
      };
      const cF = f(["limits", key, "count"]);
      const gF = f(["limits", key, "budget"]);
      const pF = f(["limits", key, "period"]);
      const rowF = f(["limits", key]);
      return html`<div class="limit" role="group" aria-label=${t(key)}>
        <div class="name">${t(key)}</div>
        <label class="field"
          ><span>${t("count")}</span
          ><input
            type="number"
            min="1"
            step="1"
            .value=${valueText(l.count)}
            ?disabled=${this.readonly}
            aria-invalid=${cF.invalid}
            aria-describedby=${cF.describedBy}
            @change=${(e: Event) => write("count", int((e.target as HTMLInputElement).value))}
          />${cF.message}${rowF.message}</label
        >
        <label class="field"
          ><span>${t("limitBudget")}</span
          ><input
            class="rf-mono"
            inputmode="decimal"
            .value=${valueText(l.budget)}
            ?disabled=${this.readonly}
            aria-invalid=${gF.invalid}
            aria-describedby=${gF.describedBy}
            @change=${(e: Event) => {
              const v = (e.target as HTMLInputElement).value.trim();
              write("budget", v === "" ? undefined : v);
            }}
          />${gF.message}</label
        >
        <label class="field"
          ><span>${t("per")}</span
          ><select
            ?disabled=${this.readonly}
            aria-invalid=${pF.invalid}
            aria-describedby=${pF.describedBy}
            @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              write("period", v === "lifetime" ? undefined : v);
            }}
          >
            ${PERIODS.map((p) => html`<option value=${p} ?selected=${p === (l.period ?? "lifetime")}>${t(p)}</option>`)}</select
          >${pF.message}</label
        >
      </div>`;
    };
    const keyed = Array.isArray(limits.per) ? (limits.per as Obj[]) : [];
    return html`<fieldset>
      <legend>${t("limits")}</legend>
      <div class="limit" role="group" aria-label=${t("budget")}>
        <div class="name">${t("budget")}</div>
        <label class="field"
          ><span>${t("limitBudget")}</span
          ><input
            class="rf-mono"
            inputmode="decimal"
            .value=${valueText(bAmount)}
            ?disabled=${this.readonly}
            aria-invalid=${bF.invalid}
            aria-describedby=${bF.describedBy}
            @change=${(e: Event) => writeBudget((e.target as HTMLInputElement).value.trim() || undefined, bPeriod)}
          />${bF.message}${bPath.length === 3 ? f(["limits", "budget"]).message : nothing}</label
        >
        <span></span>
        ${this.select(["limits", "budget", "period"], t("per"), bPeriod, this.periods(), placer, (v) => writeBudget(bAmount, v))}
      </div>
      <div class="limit" role="group" aria-label=${t("uses")}>
        <div class="name">${t("uses")}</div>
        <label class="field"
          ><span>${t("count")}</span
          ><input
            type="number"
            min="1"
            step="1"
            .value=${valueText(uCount)}
            ?disabled=${this.readonly}
            aria-invalid=${uF.invalid}
            aria-describedby=${uF.describedBy}
            @change=${(e: Event) => writeUses(int((e.target as HTMLInputElement).value), uPeriod)}
          />${uF.message}${uPath.length === 3 ? f(["limits", "uses"]).message : nothing}</label
        >
        <span></span>
        ${this.select(["limits", "uses", "period"], t("per"), uPeriod, this.periods(), placer, (v) => writeUses(uCount, v))}
      </div>
      ${perRow("perStore")} ${perRow("perCustomer")}
      ${keyed.length
        ? html`<div class="field" style="margin-top: 6px">
            <span>${t("keyed")}</span>
            ${keyed.map(
              (k, i) =>
                html`<div class="summary" data-path=${`limits.per[${i}]`}>
                  ${String(k.name ?? k.key)}: ${k.count !== undefined ? `${t("count")} ${valueText(k.count)}` : ""} ${k.budget !== undefined ? `${t("limitBudget")} ${valueText(k.budget)}` : ""}
                  (${t((k.period as (typeof PERIODS)[number]) ?? "lifetime")})
                </div>${placer.field(["limits", "per", i], { under: true }).message}`,
            )}
          </div>`
        : nothing}
      ${placer.field(["limits"]).message}
    </fieldset>
    <fieldset>
      <legend>${t("dedupe")}</legend>
      <div class="fields">
        ${this.input(["dedupeKey"], t("dedupeKey"), doc.dedupeKey, placer, { mono: true, optional: true })}
        ${this.select(["dedupePeriod"], t("dedupePeriod"), doc.dedupePeriod ?? "lifetime", this.periods(), placer, (v) => this.edit(["dedupePeriod"], v === "lifetime" && doc.dedupePeriod === undefined ? undefined : v))}
      </div>
    </fieldset>`;
  }

  private renderStacking(doc: Doc, placer: IssuePlacer): TemplateResult {
    const t = this.t;
    const s = (doc.stacking ?? {}) as Obj;
    const mode = (s.mode as string | undefined) ?? (s.exclusive === true ? "exclusive" : "");
    const write = (key: string, v: unknown): void => {
      const next = { ...s };
      if (v === undefined) delete next[key];
      else next[key] = v;
      if (key === "mode") delete next.exclusive;
      this.edit(["stacking"], Object.keys(next).length ? next : undefined);
    };
    return html`<fieldset>
      <legend>${t("stacking")}</legend>
      <div class="fields">
        ${this.input(["stacking", "group"], t("group"), s.group, placer, { optional: true })}
        ${this.select(
          ["stacking", "mode"],
          t("mode"),
          mode,
          [{ value: "", text: t("noMode") }, ...STACKING_MODES.map((m) => ({ value: m, text: t(m) }))],
          placer,
          (v) => write("mode", v === "" ? undefined : v),
        )}
        ${this.input(["stacking", "priority"], t("priority"), s.priority, placer, {
          optional: true,
          type: "number",
          parse: (raw) => Number(raw),
        })}
      </div>
      ${placer.field(["stacking", "exclusive"]).message} ${placer.field(["stacking"]).message}
    </fieldset>`;
  }
}

defineElement("rf-promotion-editor", RfPromotionEditor);

declare global {
  interface HTMLElementTagNameMap {
    "rf-promotion-editor": RfPromotionEditor;
  }
}
