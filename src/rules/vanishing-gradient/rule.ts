import type { Rule } from '../../core/rule';
import { culpritRange, explodingReasons, flowRule, vanishingReasons } from '../util/flow';
import { yoloVanishingRows } from './yoloPlainRows';

const generic = flowRule({
  id: 'vanishing-gradient',
  description: 'The estimate predicts the gradient reaching the first layers is vanishingly small.',
  summary: 'depth ratio below 10^{vanishingDepthRatioLog10} or first-layer gradient RMS below 10^{vanishingFirstGradientLog10}; information within {estimateUncertaintyDecades} decades of them (YOLO YAML: on the rows without batch norm, fix `nn.Conv2d` → `Conv`)',
  thresholds: {
    vanishingDepthRatioLog10: { default: -3, description: 'flag when log10(first weighted layer gradient RMS / last one) is below this.' },
    vanishingFirstGradientLog10: { default: -6, description: 'flag when log10 of the first weighted layer gradient RMS is below this.' },
    estimateUncertaintyDecades: {
      default: 0.5,
      description:
        "the estimate's uncertainty: a vanishing or exploding finding whose figures all lie within this many decades of their thresholds is information (the probe decides), and structural rules warn only when the gradient across them falls this far past vanishingDepthRatioLog10. 90% of calibration and held-out depth ratios are estimated within 0.5 decades of the probe's.",
    },
  },
  direction: 'vanishing',
  reasons: vanishingReasons,
  opposite: explodingReasons,
  pick: (groups) => groups,
  anchorRange: (layer) => culpritRange(layer, 'activation'),
  headline: (ctx, first) => `Vanishing gradient in ${ctx.model.name}: at ${first?.layer.name ?? 'the first weighted layer'}, `,
});

// YOLO YAML estimates are per row: the finding names the rows without batch norm instead of per-layer culprits.
export const vanishingGradient: Rule<'vanishingDepthRatioLog10' | 'vanishingFirstGradientLog10' | 'estimateUncertaintyDecades'> = { ...generic, check: (ctx) => (ctx.model.source === 'yaml' ? yoloVanishingRows(ctx) : generic.check(ctx)) };
