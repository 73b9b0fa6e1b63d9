// The banner: the probe's verdict in words and numbers, on the same thresholds as the
// static rules (vanishing-gradient, exploding-gradient; settings gradlint.thresholds.*).
import type { ProbeLayerResult, ProbeModelResult } from '../../src/core/gradientResult';
import { decade, stepValue } from './grid';

export interface VerdictThresholds {
  vanishingDepthRatioLog10: number;
  explodingDepthRatioLog10: number;
  vanishingFirstGradientLog10: number;
  explodingFirstGradientLog10: number;
  explodingActivationLog10: number;
}

export const DEFAULT_THRESHOLDS: VerdictThresholds = {
  vanishingDepthRatioLog10: -3,
  explodingDepthRatioLog10: 5,
  vanishingFirstGradientLog10: -6,
  explodingFirstGradientLog10: 3,
  explodingActivationLog10: 3,
};

export interface Verdict {
  status: 'vanishing' | 'exploding' | 'healthy' | 'unknown';
  /** One sentence per finding, the worst first; one sentence when healthy. */
  sentences: string[];
}

function firstNonFinite(layers: ProbeLayerResult[]): string | undefined {
  for (const l of layers) {
    for (const [what, values] of [['gradient', l.gradientRms ?? []], ['activation', l.activationRms]] as const) {
      // JSON carries NaN and ±Infinity as null.
      const step = values.findIndex((v) => !Number.isFinite(v ?? NaN));
      if (step >= 0) return `Training diverged: ${l.name}'s ${what} RMS is not finite at step ${step}.`;
    }
  }
  return undefined;
}

/** The verdict at step 0, where the contract defines the depth ratio. */
export function verdict(model: ProbeModelResult, estimate: ProbeModelResult | undefined, t: VerdictThresholds): Verdict {
  const weighted = model.layers.filter((l) => l.gradientRms !== null && l.gradientRms.length > 0);
  const first = weighted[0];
  const last = weighted[weighted.length - 1];
  if (!first || !last) return { status: 'unknown', sentences: ['No layer with kernel weights: there is no gradient to show.'] };
  const firstLog = Math.log10(stepValue(first.gradientRms, 0)!);
  const ratio = model.depthRatioLog10 ?? firstLog - Math.log10(stepValue(last.gradientRms, 0)!);
  const predicted = estimate?.depthRatioLog10 != null ? ` (predicted ${decade(estimate.depthRatioLog10)})` : '';
  const vanish: string[] = [];
  const explode: string[] = [];
  if (ratio < t.vanishingDepthRatioLog10) {
    vanish.push(`Gradients vanish: ${first.name} receives ${decade(ratio)} of the output layer's gradient${predicted}.`);
  }
  if (firstLog < t.vanishingFirstGradientLog10) {
    vanish.push(`${first.name}'s gradient RMS is ${decade(firstLog)}, below ${decade(t.vanishingFirstGradientLog10)}.`);
  }
  if (ratio > t.explodingDepthRatioLog10) {
    explode.push(`Gradients explode: ${first.name} receives ${decade(ratio)} times the output layer's gradient${predicted}.`);
  }
  if (firstLog > t.explodingFirstGradientLog10) {
    explode.push(`${first.name}'s gradient RMS is ${decade(firstLog)}, above ${decade(t.explodingFirstGradientLog10)}.`);
  }
  const loudest = model.layers.reduce<{ layer?: ProbeLayerResult; log: number }>((best, l) => {
    const log = Math.log10(l.activationRms[0]);
    return log > best.log ? { layer: l, log } : best;
  }, { log: -Infinity });
  if (loudest.layer && loudest.log > t.explodingActivationLog10) {
    explode.push(`Activations explode: ${loudest.layer.name} outputs RMS ${decade(loudest.log)}, above ${decade(t.explodingActivationLog10)}.`);
  }
  const diverged = firstNonFinite(model.layers);
  if (diverged) explode.unshift(diverged);
  if (vanish.length) return { status: 'vanishing', sentences: [...vanish, ...explode] };
  if (explode.length) return { status: 'exploding', sentences: explode };
  return {
    status: 'healthy',
    sentences: [
      `Gradients flow: ${first.name} receives ${decade(ratio)} ${ratio < 0 ? 'of' : 'times'} the output layer's gradient${predicted}; ` +
        `the rules flag below ${decade(t.vanishingDepthRatioLog10)} or above ${decade(t.explodingDepthRatioLog10)}.`,
    ],
  };
}
