import type { Rule } from './types';
import { docsUrl } from './types';
import { culpritRange, culprits, culpritSummary, explodingReasons, flowCandidates, flowRelated, vanishingReasons } from './flow';
import { healingFixes } from './remedies';

const id = 'vanishing-gradient';

export const vanishingGradient: Rule = {
  id,
  defaultSeverity: 'warning',
  description: 'The estimate predicts the gradient reaching the first layers is vanishingly small.',
  docsUrl: docsUrl(id),
  check(ctx) {
    const e = ctx.estimate;
    const reasons = vanishingReasons(e, ctx.thresholds);
    if (!reasons.length) return [];
    const found = culprits(e, 'vanishing');
    const first = e.layers.find((l) => l.gradientRms !== null);
    const anchor = found[0]?.layer ?? first?.layer;
    const fixes = () =>
      healingFixes(ctx, flowCandidates(ctx, found), (variant) =>
        vanishingReasons(variant, ctx.thresholds).length || explodingReasons(variant, ctx.thresholds).length
          ? undefined
          : Math.abs(variant.depthRatioLog10 ?? 0),
      );
    return [
      {
        range: anchor ? culpritRange(anchor, 'activation') : ctx.model.range,
        message: `Vanishing gradient in ${ctx.model.name}: at ${first?.layer.name ?? 'the first weighted layer'}, ${reasons.join(', and ')}${culpritSummary(found)}.`,
        related: flowRelated(e, found),
        fixes,
      },
    ];
  },
};
