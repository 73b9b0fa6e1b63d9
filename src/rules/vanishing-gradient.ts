import { culpritRange, explodingReasons, flowRule, vanishingReasons } from './flow';

export const vanishingGradient = flowRule({
  id: 'vanishing-gradient',
  description: 'The estimate predicts the gradient reaching the first layers is vanishingly small.',
  direction: 'vanishing',
  reasons: vanishingReasons,
  opposite: explodingReasons,
  pick: (groups) => groups,
  anchorRange: (layer) => culpritRange(layer, 'activation'),
  headline: (ctx, first) => `Vanishing gradient in ${ctx.model.name}: at ${first?.layer.name ?? 'the first weighted layer'}, `,
});
