import type { GraphNode, Layer } from '../../core/graph';
import type { Rule } from '../../core/rule';
import { activationOf, coreLayer, isWeighted, SKIP_MERGES, viewOf } from '../util/graphView';
import { directFix, isFix } from '../util/remedies';
import { docsUrl, fixed, layerNames, relatedLayer } from '../util/format';

const id = 'narrow-deep-relu';
const RELU_LIKE = new Set(['relu', 'relu6', 'leakyReLU', 'prelu']);

export const narrowDeepRelu: Rule<'narrowReluSum' | 'narrowReluHarmSum'> = {
  id,
  defaultSeverity: 'warning',
  description: 'A relu stack too narrow for its depth: Σ 1/width above 1 makes gradients at initialisation erratic (Hanin 2018); a warning above 3, where they vanish in many initialisations.',
  summary: 'Σ 1/width over a relu stack above {narrowReluSum} (information up to {narrowReluHarmSum})',
  docsUrl: docsUrl(id),
  thresholds: {
    narrowReluSum: { default: 1, description: 'flag when the sum of 1/width over a relu stack is above this (Hanin 2018).' },
    narrowReluHarmSum: {
      default: 3,
      description:
        'a warning when the sum of 1/width is above this, information up to it. Measured with tfjs on He-initialised relu stacks of width 4, 8 and 16, nine initialisations each: the gradient vanishes in at most 1 of 9 at Σ 1/width ≤ 2, in 4 of 9 (width 4) and 0 of 9 (width 8) at 3, in 4–7 of 9 at 4.',
    },
  },
  check(ctx) {
    const view = viewOf(ctx);
    const t = ctx.thresholds;
    // Every run's Σ 1/width is part of the sum over all dense layers of known width.
    const all = view.nodes.reduce((s, node) => {
      const core = coreLayer(view.layerOf(node));
      return core.kind === 'dense' && typeof core.config.units === 'number' ? s + 1 / core.config.units : s;
    }, 0);
    if (all <= t.narrowReluSum) return [];
    // Batch normalisation after a layer ends the run: it re-centres each unit over the batch and
    // revives units the relu switched off. Layer normalisation does not: over a handful of
    // features it normalises each sample across the same few units, and the run goes on through it
    // (measured with tfjs, He-initialised width-4 relu layers, nine initialisations: vanishing in
    // 7 of 9 at 12 layers with layer normalisation after each, 9 of 9 at 24; 0 of 9 with batch normalisation).
    const reluActivation = (node: GraphNode, layer: Layer): string | undefined => {
      const effective = view.effectiveActivation(node);
      return effective === 'normalized' && coreLayer(view.normalizationAfter(node) as Layer).kind === 'layerNormalization' ? activationOf(layer) : effective;
    };
    const runs = view.runs((node, layer) => {
      if (SKIP_MERGES.has(layer.kind)) return 'reset';
      if (!isWeighted(layer)) return 'pass';
      const dense = coreLayer(layer).kind === 'dense' && typeof coreLayer(layer).config.units === 'number';
      return dense && RELU_LIKE.has(reluActivation(node, layer) ?? '') ? 'count' : 'reset';
    }, 2);
    return runs.flatMap((run) => {
      const layers = run.map((n) => coreLayer(view.layerOf(n)));
      const widths = layers.map((l) => l.config.units as number);
      const beta = widths.reduce((s, w) => s + 1 / w, 0);
      if (beta <= t.narrowReluSum) return [];
      // Widen every layer to a power of two that brings Σ 1/width under the threshold: n / target ≤ 0.8 · threshold,
      // in closed form (a doubling loop never ended from a width of 0).
      const needed = Math.max(widths.reduce((m, w) => Math.max(m, w), 1), layers.length / (t.narrowReluSum * 0.8));
      const target = t.narrowReluSum > 0 ? 2 ** Math.ceil(Math.log2(needed)) : Infinity;
      const widen = layers.filter((l) => (l.config.units as number) < target);
      return [
        {
          range: layers[0].props.units?.value ?? layers[0].range,
          message: `${layers.length} relu layers of width ${[...new Set(widths)].join('/')} in a row (${layerNames(layers)}): Σ 1/width = ${fixed(beta)} (threshold ${t.narrowReluSum}); at this depth-to-width ratio the gradient at initialisation fluctuates exponentially in Σ 1/width from one input to the next, and can vanish entirely (Hanin 2018). ${beta > t.narrowReluHarmSum ? 'Above' : 'A warning above'} Σ 1/width = ${t.narrowReluHarmSum}, where it vanishes in many initialisations.`,
          severity: beta > t.narrowReluHarmSum ? undefined : 'info',
          related: layers.map((l) => relatedLayer(l, `${l.name}: width ${l.config.units}`)),
          fixes: () => (!Number.isFinite(target) ? [] : [directFix(ctx, `Widen ${layerNames(widen)} to ${target} units`, widen.map((layer) => ({ layer, config: { units: target } })), true)].filter(isFix)),
        },
      ];
    });
  },
};
