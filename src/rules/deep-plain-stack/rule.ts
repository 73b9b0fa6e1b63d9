import type { Rule } from '../../core/rule';
import { docsUrl, layerNames, pow10, relatedLayer } from '../util/format';
import { isWeighted, viewOf } from '../util/graphView';
import { yoloShortcutFindings } from './yoloShortcuts';

const id = 'deep-plain-stack';

export const deepPlainStack: Rule = {
  id,
  defaultSeverity: 'info',
  description: 'Many weighted layers on one path with no skip connection (a warning when very deep).',
  docsUrl: docsUrl(id),
  thresholds: {
    deepPlainStackLayers: { default: 12, description: 'weighted layers on one path without a skip connection (information).' },
    deepPlainStackWarningLayers: { default: 20, description: 'from this many layers the finding is a warning.' },
  },
  check(ctx) {
    const view = viewOf(ctx);
    const t = ctx.thresholds;
    if (view.count(isWeighted) < t.deepPlainStackLayers) return [];
    // Skips only help if the gradient can take them: count the layers on its shortest way back.
    const path = view.longestPlainRun();
    if (path.length < t.deepPlainStackLayers) return [];
    // YOLO YAML: a run through rows with the shortcut off is reported on their shortcut argument.
    const yaml = ctx.model.source === 'yaml' ? yoloShortcutFindings(ctx) : undefined;
    if (yaml) return yaml;
    const layers = path.map((n) => view.layerOf(n));
    const first = view.estimateOf(layers[0])?.gradientRms;
    const last = view.estimateOf(layers[layers.length - 1])?.gradientRms;
    const ratio =
      first && last ? `; the estimate puts the gradient at ${layers[0].name} at ${pow10(Math.log10(first / last))} of ${layers[layers.length - 1].name}'s` : '';
    return [
      {
        range: layers[0].range,
        message: `${path.length} weighted layers on one path without a skip connection (${layerNames(layers)}; information from ${t.deepPlainStackLayers}, a warning from ${t.deepPlainStackWarningLayers})${ratio}.`,
        related: layers.map((l, i) => relatedLayer(l, `${l.name}: weighted layer ${i + 1} of ${path.length}`)),
        fixes: () => [],
        severity: path.length >= t.deepPlainStackWarningLayers ? 'warning' : 'info',
      },
    ];
  },
};
