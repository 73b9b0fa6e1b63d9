import type { Rule } from './types';
import { docsUrl } from './types';
import { culpritRange, culprits, culpritSummary, explodingReasons, flowCandidates, flowRelated, vanishingReasons } from './flow';
import { healingFixes } from './remedies';

const id = 'exploding-gradient';

export const explodingGradient: Rule = {
  id,
  defaultSeverity: 'warning',
  description: 'The estimate predicts gradients or activations that blow up (normalisation-aware).',
  docsUrl: docsUrl(id),
  check(ctx) {
    const e = ctx.estimate;
    const reasons = explodingReasons(e, ctx.thresholds);
    if (!reasons.length) return [];
    const found = culprits(e, 'exploding');
    const loudest = e.layers.reduce((a, b) => (b.activationRms > a.activationRms ? b : a), e.layers[0]);
    const anchor = found[0]?.layer ?? loudest?.layer;
    const fixes = () => {
      const [, initFix, bnFix] = flowCandidates(ctx, found);
      return healingFixes(ctx, [initFix, bnFix], (variant) =>
        explodingReasons(variant, ctx.thresholds).length || vanishingReasons(variant, ctx.thresholds).length
          ? undefined
          : Math.abs(variant.depthRatioLog10 ?? 0),
      );
    };
    return [
      {
        range: anchor ? culpritRange(anchor, 'initializer') : ctx.model.range,
        message: `Exploding gradient in ${ctx.model.name}: ${reasons.join(', and ')}${culpritSummary(found)}.`,
        related: flowRelated(e, found),
        fixes,
      },
    ];
  },
};
