import type { Rule } from '../../core/rule';
import { culpritRange, explodingReasons, flowRule, vanishingReasons } from '../util/flow';
import { yoloVanishingRows } from './yoloPlainRows';

const generic = flowRule({
  id: 'vanishing-gradient',
  description: 'The estimate predicts the gradient reaching the first layers is vanishingly small.',
  thresholds: {
    vanishingDepthRatioLog10: { default: -3, description: 'flag when log10(first weighted layer gradient RMS / last one) is below this.' },
    vanishingFirstGradientLog10: { default: -6, description: 'flag when log10 of the first weighted layer gradient RMS is below this.' },
  },
  direction: 'vanishing',
  reasons: vanishingReasons,
  opposite: explodingReasons,
  pick: (groups) => groups,
  anchorRange: (layer) => culpritRange(layer, 'activation'),
  headline: (ctx, first) => `Vanishing gradient in ${ctx.model.name}: at ${first?.layer.name ?? 'the first weighted layer'}, `,
});

// YOLO YAML estimates are per row: the finding names the rows without batch norm instead of per-layer culprits.
export const vanishingGradient: Rule<'vanishingDepthRatioLog10' | 'vanishingFirstGradientLog10'> = { ...generic, check: (ctx) => (ctx.model.source === 'yaml' ? yoloVanishingRows(ctx) : generic.check(ctx)) };
