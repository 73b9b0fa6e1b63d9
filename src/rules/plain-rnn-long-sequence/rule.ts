import type { Layer, Value } from '../../core/graph';
import { activationMoments, canonicalActivation, isModelledActivation } from '../../core/estimate/activations';
import { renameLayerFactory, setLayerConfig } from '../../core/fixes/edits';
import type { Fix } from '../../core/diagnostic';
import type { Finding, Rule, RuleContext } from '../../core/rule';
import { coreLayer, viewOf } from '../util/graphView';
import { inputSteps } from '../util/shapes';
import { isFix } from '../util/remedies';
import { harmfulLossLog10 } from '../util/flow';
import { docsUrl, fixed, pow10, relatedLayer } from '../util/format';

/** The thresholds this rule owns (and its helpers read). */
type Names = 'plainRnnMaxSteps';

const id = 'plain-rnn-long-sequence';

/** Gain² of the recurrent initializer: orthogonal matrices keep norms, times their gain. */
function recurrentGainSquared(spec: Value | undefined): number {
  if (spec && typeof spec === 'object' && !Array.isArray(spec) && spec.name === 'orthogonal' && typeof spec.gain === 'number') {
    return spec.gain * spec.gain;
  }
  return 1;
}

/**
 * χ per time step: the estimate's, from the recurrence unrolled at the variance its inputs and
 * state really reach (a simpleRNN fed small inputs stays in tanh's linear range, χ ≈ gain²);
 * else g² E[φ'(z)²] at unit pre-activation variance.
 */
function chiPerStep(ctx: RuleContext<Names>, outer: Layer, layer: Layer): number | undefined {
  const unrolled = viewOf(ctx).estimateOf(outer)?.backwardFactor;
  if (unrolled !== undefined && Number.isFinite(unrolled)) return unrolled;
  const raw = typeof layer.config.activation === 'string' ? layer.config.activation : 'tanh';
  const activation = canonicalActivation(raw);
  if (!activation || !isModelledActivation(activation)) return undefined;
  const q = viewOf(ctx).estimateOf(layer)?.preActivationVariance ?? 1;
  return recurrentGainSquared(layer.config.recurrentInitializer) * activationMoments(activation, {}, 0, 0, q).derivSecond;
}

function replaceWith(ctx: RuleContext<Names>, layer: Layer, factory: 'lstm' | 'gru', preferred: boolean): Fix | undefined {
  const rename = renameLayerFactory(ctx.source, layer, factory);
  if (!rename) return undefined;
  // The LSTM gets the forget-gate bias tfjs leaves off, so the fix leaves no new hint behind.
  const extra = factory === 'lstm' ? setLayerConfig(ctx.source, layer, { unitForgetBias: 'true' }) : [];
  if (!extra) return undefined;
  return { title: `Replace simpleRNN with ${factory}`, edits: [...rename, ...extra], preferred };
}

export const plainRnnLongSequence: Rule<Names> = {
  id,
  defaultSeverity: 'warning',
  description: 'A simpleRNN over a long (or unknown) number of time steps: its gradient decays geometrically through time (a warning when the estimate has it fall past the flow threshold, then over any number of steps).',
  summary: 'simpleRNN over more than {plainRnnMaxSteps} (or an unknown number of) time steps (information unless the estimated gradient through the sequence falls below 10^{vanishingDepthRatioLog10-estimateUncertaintyDecades}, a warning then also over fewer steps)',
  docsUrl: docsUrl(id),
  thresholds: {
    plainRnnMaxSteps: { default: 20, description: 'most time steps a simpleRNN may run over without information.' },
  },
  check(ctx) {
    const limit = ctx.thresholds.plainRnnMaxSteps;
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const view = viewOf(ctx);
    for (const node of view.nodes) {
      const outer = view.layerOf(node);
      const layer = coreLayer(outer);
      if (layer.kind !== 'simpleRNN' || seen.has(layer.id)) continue;
      seen.add(layer.id);
      const steps = inputSteps(view, node);
      const chi = chiPerStep(ctx, outer, layer);
      const perStep = chi !== undefined ? `χ ≈ ${fixed(chi)} per step` : 'χ per step unknown';
      const decadesOver = (t: number): number | undefined => (chi !== undefined ? (t * Math.log10(chi)) / 2 : undefined);
      const loss = (t: number) => (chi !== undefined ? pow10(decadesOver(t) as number) : 'an unknown fraction');
      // Many steps alone are information; a warning where the estimate has the gradient from the
      // last step fall past the flow threshold by the first.
      const through = steps !== undefined ? decadesOver(steps) : undefined;
      const harmful = through !== undefined && through < harmfulLossLog10(ctx.thresholds);
      // Few steps are nothing to say, unless χ per step is so small that even they lose the gradient
      // (a sigmoid recurrence: χ ≤ gain²/16).
      if (steps !== undefined && steps <= limit && !harmful) continue;
      const many = steps !== undefined && steps <= limit ? `information alone from ${limit + 1}` : `threshold ${limit}`;
      const message =
        steps !== undefined
          ? `${layer.name} runs over ${steps} time steps (${many}): the gradient from the last step reaches the first at ≈ ${loss(steps)} (${perStep}).`
          : `${layer.name} runs over an unknown number of time steps (threshold ${limit}): at ${perStep}, ${limit} steps already bring the gradient from the last step to ${loss(limit)} at the first.`;
      const fixes = () => {
        const made = [replaceWith(ctx, layer, 'lstm', true), replaceWith(ctx, layer, 'gru', false)].filter(isFix);
        if (made.length && !made.some((f) => f.preferred)) made[0].preferred = true;
        return made;
      };
      findings.push({
        range: layer.range,
        message: `${message} ${harmful ? 'This is' : 'A warning when that is'} below ${pow10(harmfulLossLog10(ctx.thresholds))} (vanishing-gradient's threshold less the estimate's uncertainty). LSTM and GRU gates keep an additive path through time (Hochreiter & Schmidhuber 1997).`,
        related: [relatedLayer(layer, `${layer.name}: simpleRNN, ${steps ?? 'unknown'} time steps, ${perStep}`)],
        fixes,
        severity: harmful ? undefined : 'info',
      });
    }
    return findings;
  },
};
