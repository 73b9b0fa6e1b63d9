// The numbers behind the heatmap: one row per layer, one column per probe step plus the
// static estimate's "predicted" column, for the chosen metric. Pure (no DOM) so the
// webview, the PNG/CSV exports and the tests read the same values.
import type { ProbeLayerResult, ProbeModelResult } from '../../src/core/gradientResult';

export type MetricId = 'gradient' | 'activation' | 'relative';

export const METRICS: { id: MetricId; label: string; describe: string }[] = [
  { id: 'gradient', label: 'gradient RMS', describe: "RMS of the layer's kernel gradient" },
  { id: 'activation', label: 'activation RMS', describe: "RMS of the layer's output" },
  { id: 'relative', label: 'gradient relative to the output layer', describe: "kernel gradient RMS / the last weighted layer's" },
];

export interface Column {
  label: string;
  /** Probe step, or undefined for the predicted column. */
  step?: number;
}

export interface GridRow {
  layer: ProbeLayerResult;
  /** The estimate's entry for the same layer (same YAML row, else same name). */
  predicted?: ProbeLayerResult;
  /** Raw metric value per column; null where the layer has none (no kernel, not estimated). */
  values: (number | null)[];
}

export interface Grid {
  metric: MetricId;
  columns: Column[];
  rows: GridRow[];
}

function stepCount(model: ProbeModelResult): number {
  return Math.max(0, ...model.layers.map((l) => Math.max(l.activationRms.length, l.gradientRms?.length ?? 0)));
}

function matchPredicted(model: ProbeModelResult, estimate: ProbeModelResult | undefined): (ProbeLayerResult | undefined)[] {
  if (!estimate) return model.layers.map(() => undefined);
  const byRow = new Map(estimate.layers.filter((l) => l.row !== null).map((l) => [l.row, l]));
  const byName = new Map(estimate.layers.map((l) => [l.name, l]));
  return model.layers.map((l) => (l.row !== null ? byRow.get(l.row) : byName.get(l.name)));
}

/** The output layer's gradient RMS at each step: the last layer that has kernels. */
function outputGradients(layers: (ProbeLayerResult | undefined)[], steps: number): (number | null)[] {
  const weighted = layers.filter((l): l is ProbeLayerResult => !!l && l.gradientRms !== null);
  const last = weighted[weighted.length - 1];
  return Array.from({ length: steps }, (_, s) => (last ? stepValue(last.gradientRms, s) : null));
}

/**
 * A value of a per-step array. JSON writes NaN and ±Infinity as null, so a null inside
 * the array is a non-finite measurement (NaN here); past its end there is no value.
 */
export function stepValue(values: (number | null)[] | null, step: number): number | null {
  if (!values || step >= values.length) return null;
  return values[step] ?? NaN;
}

function raw(layer: ProbeLayerResult | undefined, step: number, metric: MetricId, reference: number | null): number | null {
  if (!layer) return null;
  if (metric === 'activation') return stepValue(layer.activationRms, step);
  const g = stepValue(layer.gradientRms, step);
  if (metric === 'gradient' || g === null) return g;
  return reference === null ? null : g / reference;
}

export function buildGrid(model: ProbeModelResult, estimate: ProbeModelResult | undefined, metric: MetricId): Grid {
  const steps = stepCount(model);
  const predicted = matchPredicted(model, estimate);
  const measuredRef = outputGradients(model.layers, steps);
  const predictedRef = outputGradients(predicted, 1)[0];
  const columns: Column[] = Array.from({ length: steps }, (_, s) => ({ label: `step ${s}`, step: s }));
  if (estimate) columns.push({ label: 'predicted' });
  const rows = model.layers.map((layer, i) => {
    const values = Array.from({ length: steps }, (_, s) => raw(layer, s, metric, measuredRef[s]));
    if (estimate) values.push(raw(predicted[i], 0, metric, predictedRef));
    return { layer, predicted: predicted[i], values };
  });
  return { metric, columns, rows };
}

/** log10 for colour and display; -Infinity for 0, NaN for NaN, null for no value. */
export function log10(v: number | null): number | null {
  return v === null ? null : Math.log10(v);
}

/** "10^-5.7" — how every number is shown to people (the contract reads decades). */
export function decade(log: number): string {
  if (Number.isNaN(log)) return 'NaN';
  if (!Number.isFinite(log)) return log < 0 ? '0' : '∞';
  return `10^${log.toFixed(1)}`;
}

/** Four significant digits; exponent notation outside [1e-3, 1e4) where zeros would blur. */
export function exact(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(3) : v.toPrecision(4);
}

/** Where the layer sits in its file, for the row label. */
export function place(layer: ProbeLayerResult): string {
  return layer.row !== null ? `row ${layer.row} · line ${layer.line}` : `line ${layer.line}`;
}

/** A legend tick: whole decades. */
export const tickLabel = (t: number): string => `10^${t}`;
