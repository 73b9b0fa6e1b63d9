import { batchNormName } from '../../core/python/wording';
import type { Rule } from '../../core/rule';
import { isNormalization, isWeighted, viewOf } from '../util/graphView';
import { directFix, isFix } from '../util/remedies';
import { docsUrl, layerNames, pow10, relatedLayer } from '../util/format';

const id = 'missing-normalization';

export const missingNormalization: Rule<'missingNormalizationLayers'> = {
  id,
  defaultSeverity: 'info',
  description: 'Many weighted layers in a row with no batch or layer normalisation.',
  summary: '{missingNormalizationLayers}+ weighted layers in a row without batch or layer normalisation',
  docsUrl: docsUrl(id),
  thresholds: {
    missingNormalizationLayers: { default: 8, description: 'weighted layers in a row without batch or layer normalisation.' },
  },
  check(ctx) {
    const view = viewOf(ctx);
    const t = ctx.thresholds;
    if (view.count(isWeighted) < t.missingNormalizationLayers) return [];
    const runs = view.runs((_node, layer) => (isNormalization(layer) ? 'reset' : isWeighted(layer) ? 'count' : 'pass'), t.missingNormalizationLayers);
    return runs
      .filter((run) => run.length >= t.missingNormalizationLayers)
      .map((run) => {
        const layers = run.map((n) => view.layerOf(n));
        const rms = layers.map((l) => view.estimateOf(l)?.activationRms);
        const from = rms[0];
        const to = rms[rms.length - 1];
        const drift =
          from && to ? `; the estimate has their output RMS go from ${pow10(Math.log10(from))} at ${layers[0].name} to ${pow10(Math.log10(to))} at ${layers[layers.length - 1].name}` : '';
        const hidden = run.slice(0, -1).filter((n) => !view.isOutput(n)).map((n) => view.layerOf(n));
        return {
          range: layers[0].range,
          message: `${run.length} weighted layers in a row without batch or layer normalisation (${layerNames(layers)}; threshold ${t.missingNormalizationLayers})${drift}.`,
          related: layers.map((l, i) => relatedLayer(l, `${l.name}: weighted layer ${i + 1} of ${run.length}`)),
          fixes: () =>
            [directFix(ctx, `Insert ${batchNormName(ctx.model.source, hidden)} after ${layerNames(hidden)}`, hidden.map((layer) => ({ layer, batchNormAfter: true })), true)].filter(isFix),
        };
      });
  },
};
