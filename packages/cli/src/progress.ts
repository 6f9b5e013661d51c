/**
 * A progress bar for long simulations, on standard error. Drawn only when
 * standard error is a terminal (or `--progress` asks for it), redrawn in
 * place with a carriage return at most every 100 ms, and erased at the end,
 * so piped output and logs never see it.
 */
import type { SimulationProgress } from "@ruleflow/engine/simulation";

/**
 * One line of the bar: `[########----------------------]  27% 2026-04-09  started 1,812  running 41`.
 *
 * @param p - where the simulation is
 * @param width - the bar's width in characters
 * @returns the line, without a line break
 */
export function renderProgressBar(p: SimulationProgress, width = 30): string {
  const share = Math.min(1, Math.max(0, p.fraction));
  const filled = Math.round(share * width);
  const phase = p.phase === "generating" ? "" : ` ${p.phase}`;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${p.at.slice(0, 10)}${phase}  started ${p.started.toLocaleString("en")}  running ${p.running.toLocaleString("en")}`;
}

/** A progress bar: `update` on each report, `done` at the end. */
export interface ProgressBar {
  update(p: SimulationProgress): void;
  done(): void;
}

/**
 * Create a progress bar that writes to `write` when `enabled` (otherwise it
 * does nothing at all).
 *
 * @param options - where to write, whether to draw, a clock (for tests) and the redraw interval
 */
export function createProgressBar(options: { write: (text: string) => void; enabled: boolean; now?: () => number; intervalMs?: number }): ProgressBar {
  if (!options.enabled) return { update() {}, done() {} };
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  let last = -Infinity;
  let width = 0;
  return {
    update(p) {
      const t = now();
      if (t - last < interval && p.phase !== "done") return;
      last = t;
      const line = renderProgressBar(p);
      options.write(`\r${line}${" ".repeat(Math.max(0, width - line.length))}`);
      width = Math.max(width, line.length);
    },
    done() {
      if (width > 0) options.write(`\r${" ".repeat(width)}\r`);
      width = 0;
    },
  };
}

/**
 * Whether to draw: `--progress` and `--no-progress` decide; otherwise only
 * when standard error is a terminal.
 */
export function progressEnabled(flag: boolean | undefined, stderrIsTTY: boolean | undefined): boolean {
  return flag ?? stderrIsTTY === true;
}
