// The banner: the probe's verdict in words and numbers. The decision is the core's `judge`,
// the one the static rules (vanishing-gradient, exploding-gradient) make, on the thresholds
// in force (settings gradlint.thresholds.*, defaults declared by those rules).
import type { ProbeModelResult } from '../../src/core/gradientResult';
import { figuresOfReport, judge, type HealthReason, type HealthThresholds, type ModelTraits } from '../../src/core/judge';
import { decade } from './grid';

export interface Verdict {
  status: 'vanishing' | 'exploding' | 'healthy' | 'unknown';
  /** One sentence per finding, the worst first; one sentence when healthy. */
  sentences: string[];
}

function nonFiniteSentence(layers: ProbeModelResult['layers']): string {
  for (const l of layers) {
    for (const [what, values] of [['gradient', l.gradientRms ?? []], ['activation', l.activationRms]] as const) {
      // JSON carries NaN and ±Infinity as null.
      const step = values.findIndex((v) => !Number.isFinite(v ?? NaN));
      if (step >= 0) return `Training diverged: ${l.name}'s ${what} RMS is not finite at step ${step}.`;
    }
  }
  return 'Training diverged.';
}

/** The verdict at step 0, where the contract defines the depth ratio; traits come from the model's graph when known. */
export function verdict(model: ProbeModelResult, estimate: ProbeModelResult | undefined, t: HealthThresholds, traits?: ModelTraits): Verdict {
  const weighted = model.layers.filter((l) => l.gradientRms !== null && l.gradientRms.length > 0);
  const first = weighted[0];
  if (!first || weighted.length < 1) return { status: 'unknown', sentences: ['No layer with kernel weights: there is no gradient to show.'] };
  const figures = figuresOfReport(model, traits);
  const ratio = figures.depthRatioLog10 ?? 0;
  const predicted = estimate?.depthRatioLog10 != null ? ` (predicted ${decade(estimate.depthRatioLog10)})` : '';
  const sentence = (r: HealthReason): string => {
    switch (r.figure) {
      case 'nonFinite':
        return nonFiniteSentence(model.layers);
      case 'depthRatio':
        return r.valueLog10 < r.thresholdLog10
          ? `Gradients vanish: ${first.name} receives ${decade(r.valueLog10)} of the output layer's gradient${predicted}.`
          : `Gradients explode: ${first.name} receives ${decade(r.valueLog10)} times the output layer's gradient${predicted}.`;
      case 'firstGradient':
        return `${first.name}'s gradient RMS is ${decade(r.valueLog10)}, ${r.valueLog10 < r.thresholdLog10 ? 'below' : 'above'} ${decade(r.thresholdLog10)}.`;
      case 'activation':
        return `Activations explode: ${figures.loudestLayer} outputs RMS ${decade(r.valueLog10)}, above ${decade(r.thresholdLog10)}.`;
    }
  };
  const j = judge(figures, t);
  if (j.status !== 'healthy') return { status: j.status, sentences: j.reasons.map(sentence) };
  return {
    status: 'healthy',
    sentences: [
      `Gradients flow: ${first.name} receives ${decade(ratio)} ${ratio < 0 ? 'of' : 'times'} the output layer's gradient${predicted}; ` +
        `the rules flag below ${decade(t.vanishingDepthRatioLog10)} or above ${decade(t.explodingDepthRatioLog10)}.`,
    ],
  };
}
