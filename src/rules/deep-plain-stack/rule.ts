import type { Rule } from '../../core/rule';
import { docsUrl, layerNames, pow10, relatedLayer } from '../util/format';
import type { GraphNode } from '../../core/graph';
import { isNormalization, isWeighted, viewOf, type GraphView } from '../util/graphView';
import { yoloShortcutFindings } from './yoloShortcuts';
import { harmfulGrowthLog10, harmfulLossLog10 } from '../util/flow';

const id = 'deep-plain-stack';

/** Every weighted layer of the run but the last is followed by a normalisation layer before the next one. */
function normalizedRun(view: GraphView, path: GraphNode[]): boolean {
  return path.slice(0, -1).every((node, i) => {
    const next = path[i + 1];
    for (let n: GraphNode | undefined = view.consumers(node.id)[0]; n && n !== next; n = view.consumers(n.id)[0]) {
      if (isNormalization(view.layerOf(n))) return true;
    }
    return false;
  });
}

/** The thresholds this rule owns; when it warns comes from the judgement's (every rule sees them). */
export type Names = 'deepPlainStackLayers' | 'deepPlainStackWarningLayers';

export const deepPlainStack: Rule<Names> = {
  id,
  defaultSeverity: 'info',
  description: 'Many weighted layers on one path with no skip connection (a warning when very deep and the estimate shows the gradient lost across it).',
  summary: '{deepPlainStackLayers}+ weighted layers on one path without a skip connection (warning from {deepPlainStackWarningLayers} where the estimate has the gradient fall below 10^{vanishingDepthRatioLog10-estimateUncertaintyDecades} across them, or unnormalised grow past 10^{explodingDepthRatioLog10+estimateUncertaintyDecades}; YOLO YAML: on shortcut arguments that are off, fix turns them on)',
  docsUrl: docsUrl(id),
  thresholds: {
    deepPlainStackLayers: { default: 12, description: 'weighted layers on one path without a skip connection (information).' },
    deepPlainStackWarningLayers: { default: 20, description: 'from this many layers the finding is a warning, when the estimate also shows the gradient falling (or growing) past the flow thresholds across the run.' },
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
    const decades = first && last ? Math.log10(first / last) : undefined;
    const ratio = decades !== undefined ? `; the estimate puts the gradient at ${layers[0].name} at ${pow10(decades)} of ${layers[layers.length - 1].name}'s` : '';
    // A deep plain stack is information; a warning when the estimate shows the gradient falling
    // (or, unnormalised, growing) past the flow thresholds across it. Batch-normalised stacks
    // (VGG, MobileNetV1) amplify toward the input by design, as the judge allows.
    const normalized = normalizedRun(view, path);
    const harmful =
      decades !== undefined && (decades < harmfulLossLog10(t) || (!normalized && decades > harmfulGrowthLog10(t)));
    const warn = path.length >= t.deepPlainStackWarningLayers && harmful;
    const bounds = `below ${pow10(harmfulLossLog10(t))}${normalized ? '' : ` or above ${pow10(harmfulGrowthLog10(t))}`}`;
    return [
      {
        range: layers[0].range,
        message: `${path.length} weighted layers on one path without a skip connection (${layerNames(layers)}; information from ${t.deepPlainStackLayers}; a warning from ${t.deepPlainStackWarningLayers} when the estimate has the gradient across them ${bounds})${ratio}.`,
        related: layers.map((l, i) => relatedLayer(l, `${l.name}: weighted layer ${i + 1} of ${path.length}`)),
        fixes: () => [],
        severity: warn ? 'warning' : 'info',
      },
    ];
  },
};
