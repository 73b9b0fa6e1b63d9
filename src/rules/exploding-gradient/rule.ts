import { culpritRange, explodingReasons, flowRule, vanishingReasons } from '../util/flow';

export const explodingGradient = flowRule({
  id: 'exploding-gradient',
  description: 'The estimate predicts gradients or activations that blow up (normalisation-aware).',
  summary: 'depth ratio above 10^{explodingDepthRatioLog10} (not alone in normalised nets), first-layer gradient RMS above 10^{explodingFirstGradientLog10} or an activation RMS above 10^{explodingActivationLog10}; information within {estimateUncertaintyDecades} decades of them',
  thresholds: {
    explodingDepthRatioLog10: {
      default: 5,
      description:
        'flag when the depth ratio (log10) is above this. Not used alone for normalised networks, whose batch normalisation amplifies gradients toward the input by design.',
    },
    explodingFirstGradientLog10: { default: 3, description: 'flag when log10 of the first weighted layer gradient RMS is above this.' },
    explodingActivationLog10: { default: 3, description: 'flag when log10 of any layer output RMS is above this.' },
  },
  direction: 'exploding',
  reasons: explodingReasons,
  opposite: vanishingReasons,
  // Swapping activations does not tame weights that are too large: initializers and normalisation do.
  pick: ([, initializers, normalization]) => [initializers, normalization],
  anchorRange: (layer) => culpritRange(layer, 'initializer'),
  headline: (ctx) => `Exploding gradient in ${ctx.model.name}: `,
});
