import { culpritRange, explodingReasons, flowRule, vanishingReasons } from '../util/flow';

export const explodingGradient = flowRule({
  id: 'exploding-gradient',
  description: 'The estimate predicts gradients or activations that blow up (normalisation-aware).',
  direction: 'exploding',
  reasons: explodingReasons,
  opposite: vanishingReasons,
  // Swapping activations does not tame weights that are too large: initializers and normalisation do.
  pick: ([, initializers, normalization]) => [initializers, normalization],
  anchorRange: (layer) => culpritRange(layer, 'initializer'),
  headline: (ctx) => `Exploding gradient in ${ctx.model.name}: `,
});
