// The hover on a layer call or YAML row: the static estimate at that layer, as log10 numbers
// a person can compare with the probe and with the output layer.
import type { LayerEstimate, ModelEstimate } from '../core/estimate/types';

const log10 = (v: number): string => {
  if (v === 0) return '-∞';
  const l = Math.log10(v);
  return (l >= 0 ? '+' : '') + l.toFixed(2);
};

const contains = (e: LayerEstimate, offset: number): boolean => e.layer.range.start <= offset && offset <= e.layer.range.end;

/** The estimate of the innermost layer (or YAML row) whose construction holds `offset`. */
export function layerAt(estimates: ModelEstimate[], offset: number): { model: ModelEstimate; layer: LayerEstimate } | undefined {
  let best: { model: ModelEstimate; layer: LayerEstimate } | undefined;
  for (const model of estimates) {
    for (const layer of model.layers) {
      if (!contains(layer, offset)) continue;
      const size = layer.layer.range.end - layer.layer.range.start;
      if (!best || size < best.layer.layer.range.end - best.layer.layer.range.start) best = { model, layer };
    }
  }
  return best;
}

/** The last layer with a kernel: the "output layer" every gradient is compared with. */
function outputLayer(model: ModelEstimate): LayerEstimate | undefined {
  return [...model.layers].reverse().find((l) => l.gradientRms !== null && l.gradientRms > 0);
}

/** Markdown for the hover; undefined when `offset` is on no layer. */
export function hoverMarkdown(estimates: ModelEstimate[], offset: number): string | undefined {
  const hit = layerAt(estimates, offset);
  if (!hit) return undefined;
  const { model, layer } = hit;
  const name = layer.layer.row !== undefined ? `row ${layer.layer.row} · ${layer.layer.name}` : layer.layer.name;
  const lines = [
    `**gradlint** · \`${name}\` (${layer.layer.kind}) in model \`${model.model.name}\``,
    '',
    'Predicted at initialisation (log10):',
    '',
    '| | log10 |',
    '|---|---:|',
    `| activation RMS | ${log10(layer.activationRms)} |`,
  ];
  if (layer.gradientRms !== null) lines.push(`| kernel gradient RMS | ${log10(layer.gradientRms)} |`);
  if (layer.backwardFactor !== undefined) lines.push(`| per-layer factor χ | ${log10(layer.backwardFactor)} |`);
  const out = outputLayer(model);
  if (out && layer.gradientRms !== null && layer.gradientRms > 0) {
    const rel = Math.log10(layer.gradientRms / out.gradientRms!);
    lines.push(
      '',
      out === layer
        ? 'This is the output layer: the other layers are compared with it.'
        : `Gradient relative to the output layer \`${out.layer.name}\`: 10^${rel >= 0 ? '+' : ''}${rel.toFixed(2)}.`,
    );
  }
  const assumptions = [...layer.assumptions];
  if (assumptions.length) lines.push('', `Assumed: ${assumptions.join('; ')}.`);
  return lines.join('\n');
}
