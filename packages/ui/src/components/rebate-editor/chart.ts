/**
 * The earnings chart of the rebate editor: geometry (pure, testable) and its
 * SVG. Amounts are bigint minor units throughout; only pixel positions are
 * numbers.
 */
import { svg, type TemplateResult } from "lit";
import type { UiLocale } from "../../shared/i18n.js";
import { formatAmountLabel, ticksFor } from "../policy-editors/kit.js";
import type { EarningsCurve } from "./earnings.js";

/** Plot area and margins, in SVG user units. */
const CHART = { width: 520, height: 300, left: 78, right: 16, top: 14, bottom: 46 } as const;

/** Where everything goes. */
export interface ChartGeometry {
  /** `x,y x,y ...` for each series. */
  retroactive: string;
  incremental: string;
  /** Pixel positions of the points, parallel to the curve's points. */
  xs: number[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  /** Vertical lines at the tier bounds above 0. */
  bounds: { x: number; label: string }[];
  /** The cap's horizontal line, when the program has a cap within the axis. */
  cap: { y: number; label: string } | undefined;
  yMax: bigint;
}

/** A bigint fraction `n/d` of `span` pixels (exact until the final division). */
function scaleTo(n: bigint, d: bigint, span: number): number {
  if (d <= 0n) return 0;
  return (Number((n * 1_000_000n) / d) / 1_000_000) * span;
}

/** Lay the curve out in the chart's box. */
export function chartGeometry(curve: EarningsCurve, locale: UiLocale, tierNames: readonly (string | undefined)[] = []): ChartGeometry {
  const { ladder, points, maxBasis } = curve;
  const w = CHART.width - CHART.left - CHART.right;
  const h = CHART.height - CHART.top - CHART.bottom;
  const yTickValues = ticksFor(curve.maxEarnings > 0n ? curve.maxEarnings : ladder.quantum, 5);
  const yMax = yTickValues[yTickValues.length - 1]!;
  const xTickValues = ticksFor(maxBasis, 5).filter((v) => v <= maxBasis);
  const px = (b: bigint): number => CHART.left + scaleTo(b, maxBasis, w);
  const py = (e: bigint): number => CHART.top + h - scaleTo(e, yMax, h);
  const xs = points.map((p) => px(p.basis));
  const line = (key: "retroactive" | "incremental"): string => points.map((p, i) => `${xs[i]!.toFixed(2)},${py(p[key]).toFixed(2)}`).join(" ");
  const label = (v: bigint): string => formatAmountLabel(v, ladder.scale, locale);
  return {
    retroactive: line("retroactive"),
    incremental: line("incremental"),
    xs,
    xTicks: xTickValues.map((v) => ({ x: px(v), label: label(v) })),
    yTicks: yTickValues.map((v) => ({ y: py(v), label: label(v) })),
    bounds: ladder.froms.flatMap((f, i) => (f > 0n ? [{ x: px(f), label: tierNames[i] ?? `#${i + 1}` }] : [])),
    cap: ladder.cap !== undefined && ladder.cap <= yMax ? { y: py(ladder.cap), label: label(ladder.cap) } : undefined,
    yMax,
  };
}

/** Texts the SVG needs. */
export interface ChartTexts {
  title: string;
  description: string;
  xAxis: string;
  yAxis: string;
  cap: string;
}

/** The SVG of the chart (`role="img"`, titled and described). */
export function renderChart(g: ChartGeometry, t: ChartTexts): TemplateResult {
  const bottom = CHART.height - CHART.bottom;
  const right = CHART.width - CHART.right;
  return svg`<svg class="chart" viewBox="0 0 ${CHART.width} ${CHART.height}" role="img" aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMidYMid meet">
    <title id="chart-title">${t.title}</title>
    <desc id="chart-desc">${t.description}</desc>
    <g class="grid">
      ${g.yTicks.map((tk) => svg`<line x1=${CHART.left} x2=${right} y1=${tk.y} y2=${tk.y}></line>`)}
    </g>
    <g class="bounds">
      ${g.bounds.map((b) => svg`<line x1=${b.x} x2=${b.x} y1=${CHART.top} y2=${bottom}></line><text x=${b.x + 3} y=${CHART.top + 10}>${b.label}</text>`)}
    </g>
    ${g.cap ? svg`<g class="cap"><line x1=${CHART.left} x2=${right} y1=${g.cap.y} y2=${g.cap.y}></line><text x=${right - 2} y=${g.cap.y - 4} text-anchor="end">${t.cap} ${g.cap.label}</text></g>` : ""}
    <g class="axis">
      <line x1=${CHART.left} x2=${right} y1=${bottom} y2=${bottom}></line>
      <line x1=${CHART.left} x2=${CHART.left} y1=${CHART.top} y2=${bottom}></line>
      ${g.xTicks.map((tk) => svg`<line x1=${tk.x} x2=${tk.x} y1=${bottom} y2=${bottom + 4}></line><text x=${tk.x} y=${bottom + 16} text-anchor="middle">${tk.label}</text>`)}
      ${g.yTicks.map((tk) => svg`<text x=${CHART.left - 6} y=${tk.y + 4} text-anchor="end">${tk.label}</text>`)}
      <text class="axis-title" x=${CHART.left + (right - CHART.left) / 2} y=${CHART.height - 6} text-anchor="middle">${t.xAxis}</text>
      <text class="axis-title" transform="translate(12 ${CHART.top + (bottom - CHART.top) / 2}) rotate(-90)" text-anchor="middle">${t.yAxis}</text>
    </g>
    <polyline class="series retroactive" points=${g.retroactive}></polyline>
    <polyline class="series incremental" points=${g.incremental}></polyline>
  </svg>`;
}
