import { css } from "lit";

/**
 * The form and table styles the rebate and rollout editors share (fieldsets,
 * labelled fields, row actions, tables of tiers, variants and ramp steps).
 * Each editor adds its own rules after these.
 */
export const policyFormStyles = css`
      .layout {
        display: grid;
        gap: calc(var(--_space) * 2);
        grid-template-columns: minmax(0, 1fr);
      }
      h2 {
        font-size: 16px;
        margin: 0 0 var(--_space);
      }
      legend {
        font-weight: 600;
        padding: 0 4px;
      }
      .field {
        display: flex;
        flex-direction: column;
        gap: 2px;
        min-width: 0;
      }
      .field > span,
      .label {
        font-size: 12px;
        color: var(--_muted);
      }
      .wide {
        grid-column: 1 / -1;
      }
      .summary {
        font-family: var(--_mono);
        font-size: 12px;
        padding: 3px 6px;
        background: var(--_surface);
        border-radius: calc(var(--_radius) - 2px);
        overflow-wrap: anywhere;
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        text-align: left;
        padding: 3px 4px;
        vertical-align: top;
        border-bottom: 1px solid var(--_border);
      }
      th {
        font-size: 12px;
        font-weight: 600;
        color: var(--_muted);
        background: var(--_surface);
      }
      td input {
        width: 100%;
      }
      .row-actions {
        display: flex;
        gap: 2px;
        white-space: nowrap;
      }
      .row-actions button {
        padding: 2px 6px;
      }
      .hint {
        font-size: 12px;
        color: var(--_muted);
      }
      .add {
        margin-top: 6px;
      }
      details {
        margin-top: 6px;
      }
      summary {
        cursor: pointer;
        font-size: 13px;
      }
`;
