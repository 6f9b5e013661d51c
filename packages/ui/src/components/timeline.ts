/**
 * `<rf-timeline>`: a scenario report (`runScenario`'s result) along calendar
 * or business time: one lane per instance, notifications by recipient,
 * timers and SLA breaches as markers, and the same as tables.
 */
import { css, html, nothing, svg, type TemplateResult } from "lit";
import type { ScenarioReport } from "@ruleflow/engine";
import type { BusinessCalendar } from "@ruleflow/engine/calendar";
import { RfElement, defineElement } from "../shared/base.js";
import { defineMessages, translator } from "../shared/i18n.js";
import { themeStyles } from "../shared/theme.js";
import { ticks, timeAxis, timeLabel, type TimeAxis, type TimeScale } from "./timeline/axis.js";
import { byRecipient, calendarFor, eventsOf, instancesOf, type TimelineEvent } from "./timeline/model.js";

export type { TimeScale } from "./timeline/axis.js";
export type { TimelineEvent, EventKind } from "./timeline/model.js";

const MESSAGES = defineMessages({
  en: {
    title: "Scenario {id}",
    range: "{start} to {end} ({zone})",
    passed: "passed",
    failed: "failed",
    scale: "Time scale",
    calendar: "Calendar time",
    business: "Business time",
    noCalendar: "Business time needs the calendar of the scenario's workflows (set definitions or calendar); showing calendar time.",
    businessNote: "Business time on {calendar}: nights, weekends and holidays take no width.",
    noCoverage: "The calendar {calendar} has no holiday data for these dates; showing calendar time.",
    summary: "Timeline of scenario {id}: {instances} instances, {notifications} notifications, {timers} timers, {breaches} SLA breaches. The tables below list every event.",
    instances: "Instances",
    recipients: "Notifications by recipient",
    legend: "Legend",
    notification: "notification",
    timer: "timer",
    breach: "SLA breach",
    events: "Events",
    time: "Time",
    instance: "Instance",
    event: "Event",
    details: "Details",
    recipient: "Recipient",
    template: "Template",
    notifyDetail: "{template} to {to} ({recipients})",
    timerDetail: "{key}: {action}",
    timerPlain: "{key}",
    outcome: "{status}, {outcome}",
    noEvents: "No notifications or timers.",
    "action.remind": "reminder",
    "action.escalate": "escalated",
    "action.reassign": "reassigned",
    "action.auto-approve": "auto-approved",
    "action.auto-reject": "auto-rejected",
    "action.notify": "notice",
    "action.timeout": "timed out",
    failures: "Failed expectations",
    stepN: "step {n}",
  },
  "zh-CN": {
    title: "场景 {id}",
    range: "{start} 至 {end}（{zone}）",
    passed: "通过",
    failed: "未通过",
    scale: "时间刻度",
    calendar: "日历时间",
    business: "工作时间",
    noCalendar: "按工作时间显示需要场景中流程的日历（请设置 definitions 或 calendar），当前按日历时间显示。",
    businessNote: "按 {calendar} 的工作时间显示：夜间、周末和节假日不占宽度。",
    noCoverage: "日历 {calendar} 没有这些日期的节假日数据，当前按日历时间显示。",
    summary: "场景 {id} 的时间线：{instances} 个实例，{notifications} 条通知，{timers} 个定时器，{breaches} 次超时（SLA）。下方表格列出全部事件。",
    instances: "实例",
    recipients: "按收件人分组的通知",
    legend: "图例",
    notification: "通知",
    timer: "定时器",
    breach: "SLA 超时",
    events: "事件",
    time: "时间",
    instance: "实例",
    event: "事件",
    details: "详情",
    recipient: "收件人",
    template: "模板",
    notifyDetail: "{template} 发给 {to}（{recipients}）",
    timerDetail: "{key}：{action}",
    timerPlain: "{key}",
    outcome: "{status}，{outcome}",
    noEvents: "没有通知或定时器。",
    "action.remind": "提醒",
    "action.escalate": "已升级",
    "action.reassign": "已转交",
    "action.auto-approve": "自动通过",
    "action.auto-reject": "自动驳回",
    "action.notify": "通知",
    "action.timeout": "等待超时",
    failures: "未满足的预期",
    stepN: "第 {n} 步",
  },
});

type Key = keyof (typeof MESSAGES)["en"];
const ACTION_KEYS = ["remind", "escalate", "reassign", "auto-approve", "auto-reject", "notify", "timeout"] as const;

const WIDTH = 960;
const GUTTER = 190;
const AXIS_H = 34;
const LANE_H = 28;
const HEAD_H = 26;
const RIGHT = 16;

/**
 * The scenario timeline (read only).
 *
 * - `report` (property): a `ScenarioReport` from `runScenario`.
 * - `definitions` (property): the documents the scenario ran (workflows, calendars); used to find the calendar for business time and to tell reminders from SLA breaches.
 * - `calendar` (property): a `BusinessCalendar` or calendar id, instead of the workflows' calendar.
 * - `scale` (attribute): `calendar` (default) or `business`.
 * - `timeZone` (attribute `time-zone`): the zone of the time labels; default the calendar's, else the browser's.
 * - `locale` (attribute): `en` or `zh-CN`.
 *
 * Events: `scale-change` (`detail: { scale }`) when the user switches the scale.
 *
 * @example
 * ```html
 * <rf-timeline scale="business"></rf-timeline>
 * <script type="module">
 *   import "@ruleflow/ui/timeline";
 *   const el = document.querySelector("rf-timeline");
 *   el.definitions = [workflow, ruleset];
 *   el.report = await runScenario(scenario, el.definitions);
 * </script>
 * ```
 */
export class RfTimeline extends RfElement {
  static override properties = {
    ...RfElement.properties,
    report: { attribute: false },
    definitions: { attribute: false },
    calendar: { attribute: false },
    scale: { type: String, reflect: true },
    timeZone: { type: String, attribute: "time-zone" },
  };

  static override styles = [
    themeStyles,
    css`
      header {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space) calc(var(--_space) * 2);
        align-items: baseline;
        margin-bottom: var(--_space);
      }
      h2 {
        font-size: 16px;
        margin: 0;
      }
      .scale {
        display: inline-flex;
        gap: 0;
        margin-left: auto;
      }
      .scale button[aria-pressed="true"] {
        background: var(--_accent);
        border-color: var(--_accent);
        color: var(--_bg);
      }
      .note {
        margin: 0 0 var(--_space);
        font-size: 12px;
        color: var(--_muted);
      }
      svg {
        display: block;
        width: 100%;
        height: auto;
        font-family: var(--_font);
      }
      .tick line {
        stroke: var(--_border);
      }
      .tick.major line {
        stroke: color-mix(in srgb, var(--_muted) 45%, var(--_bg));
      }
      .tick text,
      .lane-label .sub {
        font-size: 11px;
        fill: var(--_muted);
      }
      .lane-label {
        font-size: 12px;
        fill: var(--_text);
      }
      .section {
        font-size: 12px;
        font-weight: 600;
        fill: var(--_text);
      }
      .lane-bg {
        fill: var(--_surface);
      }
      .span {
        stroke: var(--_muted);
        stroke-width: 3;
        stroke-linecap: round;
        opacity: 0.5;
      }
      .m-notification {
        fill: var(--_accent);
        stroke: var(--_bg);
      }
      .m-timer {
        fill: var(--_bg);
        stroke: var(--_warn);
        stroke-width: 2;
      }
      .m-breach {
        fill: var(--_fail);
        stroke: var(--_bg);
      }
      .legend {
        display: flex;
        gap: calc(var(--_space) * 2);
        list-style: none;
        padding: 0;
        margin: var(--_space) 0;
        font-size: 12px;
        color: var(--_muted);
      }
      .legend svg {
        display: inline-block;
        width: 14px;
        height: 14px;
        vertical-align: -2px;
        margin-right: 4px;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        margin-top: calc(var(--_space) * 1.5);
        font-size: 13px;
      }
      caption {
        text-align: left;
        font-weight: 600;
        padding-bottom: 4px;
      }
      th,
      td {
        text-align: left;
        padding: 3px 8px;
        border-bottom: 1px solid var(--_border);
        vertical-align: top;
      }
      thead th {
        background: var(--_surface);
      }
      tbody th[scope="rowgroup"] {
        background: var(--_surface);
      }
      tr.breach td {
        color: var(--_fail);
      }
      .time {
        white-space: nowrap;
        font-family: var(--_mono);
      }
    `,
  ];

  /** The scenario report to show. */
  declare report: ScenarioReport | undefined;
  /** The definitions the scenario ran (for its calendar and its escalation ladders). */
  declare definitions: readonly unknown[];
  /** A calendar (or calendar id) for business time, instead of the workflows' own. */
  declare calendar: BusinessCalendar | string | undefined;
  /** `calendar` (elapsed time) or `business` (working time only). */
  declare scale: TimeScale;
  /** The IANA zone of the time labels. */
  declare timeZone: string | undefined;

  constructor() {
    super();
    this.report = undefined;
    this.definitions = [];
    this.calendar = undefined;
    this.scale = "calendar";
    this.timeZone = undefined;
  }

  private get t(): (key: Key, params?: Record<string, string | number>) => string {
    return translator(MESSAGES, this.uiLocale);
  }

  private setScale(scale: TimeScale): void {
    if (scale === this.scale) return;
    this.scale = scale;
    this.dispatchEvent(new CustomEvent("scale-change", { detail: { scale }, bubbles: true, composed: true }));
  }

  private actionText(action: string | undefined): string {
    return action && (ACTION_KEYS as readonly string[]).includes(action) ? this.t(`action.${action as (typeof ACTION_KEYS)[number]}`) : (action ?? "");
  }

  private eventName(e: TimelineEvent): string {
    return e.kind === "notification" ? this.t("notification") : e.kind === "breach" ? this.t("breach") : this.t("timer");
  }

  private eventDetail(e: TimelineEvent): string {
    if (e.kind === "notification") return this.t("notifyDetail", { template: e.name, to: e.to ?? "", recipients: e.recipients.join(", ") });
    return e.action ? this.t("timerDetail", { key: e.name, action: this.actionText(e.action) }) : this.t("timerPlain", { key: e.name });
  }

  override render(): TemplateResult | typeof nothing {
    const report = this.report;
    if (!report) return nothing;
    const t = this.t;
    const calendar = calendarFor(report, this.definitions, this.calendar);
    const zone = this.timeZone ?? calendar?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const wantBusiness = this.scale === "business";
    const events = eventsOf(report, this.definitions);
    const instances = instancesOf(report, events);
    const recipients = byRecipient(events);
    const start = Date.parse(report.start);
    const end = Math.max(Date.parse(report.end), ...events.map((e) => e.at));
    // a calendar without holiday data for the report's years cannot measure business time
    let covered = calendar !== undefined;
    try {
      if (calendar && wantBusiness) calendar.businessTimeBetween(start, end);
    } catch {
      covered = false;
    }
    const scale: TimeScale = wantBusiness && calendar && covered ? "business" : "calendar";
    const axis = timeAxis(scale, start, end, GUTTER, WIDTH - GUTTER - RIGHT, scale === "business" ? calendar : undefined);
    const calendarName = calendar?.id ?? "";
    const counts = { timers: events.filter((e) => e.kind === "timer").length, breaches: events.filter((e) => e.kind === "breach").length };
    return html`<header>
        <h2>${t("title", { id: report.scenario })} · ${report.passed ? t("passed") : t("failed")}</h2>
        <span class="rf-muted">${t("range", { start: timeLabel(start, zone), end: timeLabel(end, zone), zone })}</span>
        <span class="scale" role="group" aria-label=${t("scale")}>
          <button type="button" aria-pressed=${scale === "calendar" ? "true" : "false"} @click=${() => this.setScale("calendar")}>${t("calendar")}</button>
          <button type="button" aria-pressed=${scale === "business" ? "true" : "false"} ?disabled=${!calendar} @click=${() => this.setScale("business")}>${t("business")}</button>
        </span>
      </header>
      ${wantBusiness && !calendar ? html`<p class="note" role="status">${t("noCalendar")}</p>` : nothing}
      ${wantBusiness && calendar && !covered ? html`<p class="note" role="status">${t("noCoverage", { calendar: calendar.id })}</p>` : nothing}
      ${scale === "business" ? html`<p class="note">${t("businessNote", { calendar: calendarName })}</p>` : nothing}
      ${this.renderChart(report, axis, zone, calendar, events, instances, recipients, counts)}
      <ul class="legend" aria-label=${t("legend")}>
        <li><svg viewBox="-7 -7 14 14" aria-hidden="true">${this.marker("notification", 0, 0)}</svg>${t("notification")}</li>
        <li><svg viewBox="-7 -7 14 14" aria-hidden="true">${this.marker("timer", 0, 0)}</svg>${t("timer")}</li>
        <li><svg viewBox="-7 -7 14 14" aria-hidden="true">${this.marker("breach", 0, 0)}</svg>${t("breach")}</li>
      </ul>
      ${this.renderEventTable(events, zone)} ${this.renderRecipientTable(recipients, zone)}
      ${report.failures.length
        ? html`<table class="failures">
            <caption>${t("failures")}</caption>
            <tbody>
              ${report.failures.map((f) => html`<tr><th scope="row">${t("stepN", { n: f.step + 1 })}</th><td>${f.message}</td></tr>`)}
            </tbody>
          </table>`
        : nothing}`;
  }

  private marker(kind: TimelineEvent["kind"], x: number, y: number): TemplateResult {
    if (kind === "notification") return svg`<circle class="m-notification" cx=${x} cy=${y} r="5"></circle>`;
    if (kind === "timer") return svg`<path class="m-timer" d="M${x} ${y - 6} L${x + 6} ${y} L${x} ${y + 6} L${x - 6} ${y} Z"></path>`;
    return svg`<path class="m-breach" d="M${x} ${y - 7} L${x + 7} ${y + 6} L${x - 7} ${y + 6} Z"></path>`;
  }

  private renderChart(
    report: ScenarioReport,
    axis: TimeAxis,
    zone: string,
    calendar: BusinessCalendar | undefined,
    events: TimelineEvent[],
    instances: string[],
    recipients: Map<string, TimelineEvent[]>,
    counts: { timers: number; breaches: number },
  ): TemplateResult {
    const t = this.t;
    let y = AXIS_H;
    const rows: TemplateResult[] = [];
    const lane = (label: string, sub: string, evs: TimelineEvent[], key: string, kindAttr: string): void => {
      const top = y;
      const mid = top + LANE_H / 2;
      const xs = evs.map((e) => axis.x(e.at));
      rows.push(svg`<g class="lane" data-lane=${key} data-kind=${kindAttr}>
        ${rows.length % 2 === 0 ? svg`<rect class="lane-bg" x="0" y=${top} width=${WIDTH} height=${LANE_H}></rect>` : nothing}
        <text class="lane-label" x="8" y=${mid + 4}>${label}${sub ? svg`<tspan class="sub" dx="6">${sub}</tspan>` : nothing}</text>
        ${xs.length > 1 ? svg`<line class="span" x1=${Math.min(...xs)} x2=${Math.max(...xs)} y1=${mid} y2=${mid}></line>` : nothing}
        ${evs.map((e) => svg`<g class="marker" data-kind=${e.kind} data-at=${new Date(e.at).toISOString()}>${this.marker(e.kind, axis.x(e.at), mid)}<title>${timeLabel(e.at, zone)} · ${this.eventName(e)} · ${this.eventDetail(e)}</title></g>`)}
      </g>`);
      y += LANE_H;
    };
    const section = (label: string): void => {
      rows.push(svg`<text class="section" x="8" y=${y + HEAD_H - 8}>${label}</text>`);
      y += HEAD_H;
    };
    section(t("instances"));
    for (const id of instances) {
      const info = report.instances[id];
      lane(id.length > 26 ? `${id.slice(0, 25)}…` : id, info ? (info.outcome ?? info.status) : "", events.filter((e) => e.instance === id), id, "instance");
    }
    section(t("recipients"));
    for (const [r, evs] of recipients) lane(r, "", evs, r, "recipient");
    const height = y + 8;
    const tks = ticks(axis, zone, calendar);
    return html`<svg
      role="img"
      aria-label=${t("summary", { id: report.scenario, instances: instances.length, notifications: report.notifications.length, timers: counts.timers, breaches: counts.breaches })}
      viewBox="0 0 ${WIDTH} ${height}"
    >
      ${rows}
      ${tks.map(
        (k) => svg`<g class="tick ${k.major ? "major" : ""}">
          <line x1=${axis.x(k.ms)} x2=${axis.x(k.ms)} y1=${AXIS_H - 6} y2=${height - 4}></line>
          <text x=${axis.x(k.ms)} y=${AXIS_H - 12} text-anchor="middle">${k.label}</text>
        </g>`,
      )}
    </svg>`;
  }

  private renderEventTable(events: TimelineEvent[], zone: string): TemplateResult {
    const t = this.t;
    return html`<table class="events">
      <caption>${t("events")}</caption>
      <thead>
        <tr>
          <th scope="col">${t("time")}</th>
          <th scope="col">${t("instance")}</th>
          <th scope="col">${t("event")}</th>
          <th scope="col">${t("details")}</th>
        </tr>
      </thead>
      <tbody>
        ${events.length === 0 ? html`<tr><td colspan="4">${t("noEvents")}</td></tr>` : nothing}
        ${events.map(
          (e) => html`<tr class=${e.kind} data-kind=${e.kind}>
            <td class="time">${timeLabel(e.at, zone)}</td>
            <td>${e.instance}</td>
            <td>${this.eventName(e)}</td>
            <td>${this.eventDetail(e)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderRecipientTable(recipients: Map<string, TimelineEvent[]>, zone: string): TemplateResult | typeof nothing {
    const t = this.t;
    if (recipients.size === 0) return nothing;
    return html`<table class="by-recipient">
      <caption>${t("recipients")}</caption>
      <thead>
        <tr>
          <th scope="col">${t("time")}</th>
          <th scope="col">${t("instance")}</th>
          <th scope="col">${t("template")}</th>
        </tr>
      </thead>
      ${[...recipients].map(
        ([r, evs]) => html`<tbody data-recipient=${r}>
          <tr>
            <th scope="rowgroup" colspan="3">${t("recipient")}: ${r}</th>
          </tr>
          ${evs.map(
            (e) => html`<tr>
              <td class="time">${timeLabel(e.at, zone)}</td>
              <td>${e.instance}</td>
              <td>${e.name}</td>
            </tr>`,
          )}
        </tbody>`,
      )}
    </table>`;
  }
}

defineElement("rf-timeline", RfTimeline);

declare global {
  interface HTMLElementTagNameMap {
    "rf-timeline": RfTimeline;
  }
}
