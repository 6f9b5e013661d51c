import { css } from "lit";

/**
 * The theme every component reads. A host restyles all of them by setting these
 * custom properties on any ancestor (or on the element):
 *
 * | property | default | used for |
 * |---|---|---|
 * | `--rf-font` | system UI fonts with CJK fallbacks | all text |
 * | `--rf-font-mono` | monospace | expressions, JSON, values |
 * | `--rf-color-text` | `#1f2328` | text |
 * | `--rf-color-muted` | `#59636e` | secondary text |
 * | `--rf-color-bg` | `#ffffff` | backgrounds |
 * | `--rf-color-surface` | `#f6f8fa` | headers, rows, cards |
 * | `--rf-color-border` | `#d1d9e0` | borders |
 * | `--rf-color-accent` | `#0969da` | focus, selection, current |
 * | `--rf-color-pass` | `#1a7f37` | passed, done |
 * | `--rf-color-fail` | `#cf222e` | failed, errors |
 * | `--rf-color-warn` | `#9a6700` | warnings, due timers |
 * | `--rf-radius` | `6px` | corners |
 * | `--rf-space` | `8px` | the spacing unit |
 */
export const themeStyles = css`
  :host {
    --_font: var(--rf-font, system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif);
    --_mono: var(--rf-font-mono, ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace);
    --_text: var(--rf-color-text, #1f2328);
    --_muted: var(--rf-color-muted, #59636e);
    --_bg: var(--rf-color-bg, #ffffff);
    --_surface: var(--rf-color-surface, #f6f8fa);
    --_border: var(--rf-color-border, #d1d9e0);
    --_accent: var(--rf-color-accent, #0969da);
    --_pass: var(--rf-color-pass, #1a7f37);
    --_fail: var(--rf-color-fail, #cf222e);
    --_warn: var(--rf-color-warn, #9a6700);
    --_radius: var(--rf-radius, 6px);
    --_space: var(--rf-space, 8px);
    display: block;
    font-family: var(--_font);
    font-size: 14px;
    line-height: 1.45;
    color: var(--_text);
    background: var(--_bg);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  input,
  select,
  textarea {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    padding: 3px 6px;
    background: var(--_bg);
    min-width: 0;
  }
  button {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    padding: 2px 8px;
    background: var(--_surface);
    cursor: pointer;
  }
  button:disabled {
    cursor: default;
    opacity: 0.5;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  [aria-invalid="true"] {
    border-color: var(--_fail);
    background: color-mix(in srgb, var(--_fail) 6%, var(--_bg));
  }
  .rf-issue {
    color: var(--_fail);
    font-size: 12px;
  }
  .rf-issues {
    margin: var(--_space) 0 0;
    padding: 0;
    list-style: none;
  }
  .rf-mono {
    font-family: var(--_mono);
  }
  .rf-muted {
    color: var(--_muted);
  }
  .rf-visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
