// What vanishing-gradient and exploding-gradient share: reading the estimate's verdict,
// finding the layers that cause it (their backward factor χ), and the fixes to try.

import { batchNormName } from '../../core/python/wording';
import type { Layer, ModelGraph, Range } from '../../core/graph';
import type { LayerEstimate, ModelEstimate } from '../../core/estimate/types';
import type { Rule, RuleContext } from '../../core/rule';
import { isFrozen } from '../../core/layerDefaults';
import { figuresOfEstimate, judge, type HealthReason, type HealthThresholds, type Judgement } from '../../core/judge';
import { activationOf, coreLayer, initializerName, isNormalization, isWeighted, SATURATING, viewOf } from './graphView';
import { fittingInitializer, healingFixes, setActivation, setInitializer, type Candidate } from './remedies';
import { docsUrl, fixed, layerNames, pow10, relatedLayer } from './format';

/** The judgement of the estimate under the thresholds in force (the one judge the heatmap uses too). */
export const judgeEstimate = (e: ModelEstimate, t: HealthThresholds): Judgement => judge(figuresOfEstimate(e), t);

/** A reason in words, with the predicted figure and its threshold. */
function describeReason(r: HealthReason, direction: 'vanishing' | 'exploding'): string {
  switch (r.figure) {
    case 'depthRatio':
      return direction === 'vanishing'
        ? `the first weighted layer's gradient RMS is predicted at ${pow10(r.valueLog10)} of the last one's (threshold ${pow10(r.thresholdLog10)})`
        : `the first weighted layer's gradient RMS is predicted at ${pow10(r.valueLog10)} times the last one's (threshold ${pow10(r.thresholdLog10)})`;
    case 'firstGradient':
      return direction === 'vanishing'
        ? `its gradient RMS is predicted at ${pow10(r.valueLog10)} (threshold ${pow10(r.thresholdLog10)})`
        : `the first weighted layer's gradient RMS is predicted at ${pow10(r.valueLog10)} (threshold ${pow10(r.thresholdLog10)})`;
    case 'activation':
      return `a layer output RMS reaches ${pow10(r.valueLog10)} (threshold ${pow10(r.thresholdLog10)})`;
    case 'nonFinite':
      return 'a predicted gradient or activation overflows';
  }
}

/**
 * A judgement the estimate makes clearly: some figure lies past its threshold by more than the
 * estimate's uncertainty (estimateUncertaintyDecades), or overflows. Closer than that the
 * estimate cannot tell which side the model is on, and only the probe can.
 */
export const clearOfUncertainty = (j: Judgement, t: HealthThresholds): boolean =>
  j.reasons.some((r) => r.figure === 'nonFinite' || Math.abs(r.valueLog10 - r.thresholdLog10) > t.estimateUncertaintyDecades);

/**
 * The loss (log10, negative) across a structure from which the estimate shows harm: the
 * vanishing-gradient threshold, less the estimate's uncertainty. Structural rules (a deep plain
 * stack, a saturating stack, a simple RNN over many steps) are information until the gradient
 * across them falls past it, so they warn exactly where the numbers do.
 */
export const harmfulLossLog10 = (t: HealthThresholds): number => t.vanishingDepthRatioLog10 - t.estimateUncertaintyDecades;

/** The growth (log10) across a structure from which the estimate shows harm: the exploding threshold plus the uncertainty. */
export const harmfulGrowthLog10 = (t: HealthThresholds): number => t.explodingDepthRatioLog10 + t.estimateUncertaintyDecades;

/** "a warning below 10^-3.5 (vanishing-gradient's 10^-3.0 less the estimate's uncertainty of 0.5 decades)". */
export const lossThresholdWords = (t: HealthThresholds): string =>
  `a warning below ${pow10(harmfulLossLog10(t))} (vanishing-gradient's ${pow10(t.vanishingDepthRatioLog10)} less the estimate's uncertainty of ${t.estimateUncertaintyDecades} decades)`;

/** Reasons (with the predicted figure and its threshold) the judgement calls the gradient vanishing. */
export function vanishingReasons(e: ModelEstimate, t: HealthThresholds): string[] {
  const j = judgeEstimate(e, t);
  return j.status === 'vanishing' ? j.reasons.map((r) => describeReason(r, 'vanishing')) : [];
}

/** Reasons the judgement calls the gradient exploding. */
export function explodingReasons(e: ModelEstimate, t: HealthThresholds): string[] {
  const j = judgeEstimate(e, t);
  return j.status === 'exploding' ? j.reasons.map((r) => describeReason(r, 'exploding')) : [];
}

/** The layers the model's figures are about: weighted and trainable. */
const weightedEstimates = (e: ModelEstimate): LayerEstimate[] => e.layers.filter((l) => l.gradientRms !== null && !isFrozen(l.layer));

/**
 * The layers whose backward factor shrinks (or grows) the gradient: where a fix must act.
 * Output layers are left out while others qualify: their width is the task's, not a choice.
 */
export function culprits(ctx: RuleContext, direction: 'vanishing' | 'exploding'): LayerEstimate[] {
  const found = ctx.estimate.layers.filter((l) => {
    // Frozen layers cause no findings: their weights are not the user's to change.
    if (isFrozen(l.layer)) return false;
    const chi = l.backwardFactor;
    if (chi === undefined || !Number.isFinite(chi)) return chi === Infinity && direction === 'exploding';
    return direction === 'vanishing' ? chi < 0.56 : chi > 1.8;
  });
  const outputs = new Set(ctx.model.outputs.map((id) => viewOf(ctx).node(id)?.layer));
  const inner = found.filter((l) => !outputs.has(l.layer.id));
  return inner.length ? inner : found;
}

/** A culprit described for a related location: "dense_3: χ ≈ 0.04 (sigmoid, glorotNormal)". */
export function describeCulprit(l: LayerEstimate): string {
  const core = coreLayer(l.layer);
  const parts = [activationOf(core), initializerName(core)].filter(Boolean).join(', ');
  return `${l.layer.name}: χ ≈ ${fixed(l.backwardFactor ?? NaN)} per layer${parts ? ` (${parts})` : ''}`;
}

/** Where a flow finding is shown: on the argument that causes it in the first culprit, else its call. */
export function culpritRange(layer: Layer, prefer: 'activation' | 'initializer'): Range {
  const core = coreLayer(layer);
  const activation = activationOf(core);
  const activationProp = activation && SATURATING.has(activation) ? core.props.activation : undefined;
  const initProp = core.props.kernelInitializer;
  const first = prefer === 'activation' ? activationProp ?? initProp : initProp ?? activationProp;
  return first?.value ?? layer.range;
}

/** The first and last weighted layers and the culprits, as related locations. */
export function flowRelated(e: ModelEstimate, found: LayerEstimate[]) {
  const weighted = weightedEstimates(e);
  const related = found.map((l) => relatedLayer(l.layer, describeCulprit(l)));
  const ends = [weighted[0], weighted[weighted.length - 1]].filter((l) => l && !found.includes(l));
  const endRelated = ends.map((l, i) =>
    relatedLayer(l.layer, `${l.layer.name}: ${i === 0 && l === weighted[0] ? 'first' : 'last'} weighted layer, gradient RMS ${pow10(Math.log10(l.gradientRms ?? 0))}`),
  );
  return [...related, ...endRelated];
}

/** "8 sigmoid layers, χ ≈ 0.04 per layer": the culprits in a few words. */
export function culpritSummary(found: LayerEstimate[]): string {
  if (!found.length) return '';
  const acts = [...new Set(found.map((l) => activationOf(l.layer)).filter(Boolean))];
  const chis = found.map((l) => l.backwardFactor ?? NaN).filter(Number.isFinite);
  const mean = chis.length ? Math.exp(chis.reduce((s, c) => s + Math.log(Math.max(c, 1e-300)), 0) / chis.length) : NaN;
  return `; ${found.length} ${acts.length === 1 ? `${acts[0]} ` : ''}layer${found.length > 1 ? 's' : ''} (${layerNames(found.map((l) => l.layer))}), χ ≈ ${fixed(mean)} per layer`;
}

const HEALING_ACTIVATIONS = ['relu', 'elu', 'gelu', 'selu'];

/** Candidate fixes for a flow finding, in order of preference: activations, initializers, normalisation. */
export function flowCandidates(ctx: RuleContext, found: LayerEstimate[]): Candidate[][] {
  const outputLayers = new Set(ctx.model.outputs.map((id) => viewOf(ctx).node(id)?.layer));
  const hidden = found.map((l) => l.layer).filter((l) => !outputLayers.has(l.id));
  const saturating = hidden.filter((l) => SATURATING.has(activationOf(l) ?? ''));
  const activationFixes = saturating.length
    ? HEALING_ACTIVATIONS.map((act) => ({
        // The initializer changes only on weighted layers (separate activation layers have none).
        title: `Use ${act}${saturating.some(isWeighted) ? ` (with ${fittingInitializer(act)})` : ''} in ${layerNames(saturating)}`,
        changes: saturating.map((l) => setActivation(l, act, isWeighted(l))),
      }))
    : [];
  const misfit = found
    .map((l) => l.layer)
    .filter((l) => isWeighted(l) && activationOf(l) !== undefined)
    .filter((l) => initializerName(coreLayer(l)) !== fittingInitializer(activationOf(l) as string));
  const initFix = misfit.length
    ? [{
        title: `Use ${[...new Set(misfit.map((l) => fittingInitializer(activationOf(l) as string)))].join('/')} in ${layerNames(misfit)}`,
        changes: misfit.map((l) => setInitializer(l, 'kernelInitializer', fittingInitializer(activationOf(l) as string))),
      }]
    : [];
  const normalizable = hidden.filter((l) => !isNormalization(l));
  const bnFix = normalizable.length
    ? [{ title: `Insert ${batchNormName(ctx.model.source, normalizable)} after ${layerNames(normalizable)}`, changes: normalizable.map((layer) => ({ layer, batchNormAfter: true })) }]
    : [];
  return [activationFixes, initFix, bnFix];
}

interface FlowRuleSpec<T extends keyof HealthThresholds> {
  id: string;
  description: string;
  summary: string;
  thresholds: Rule<T>['thresholds'];
  direction: 'vanishing' | 'exploding';
  /** The reasons of this verdict, and of the opposite one (a fix must not cross into it). */
  reasons: typeof vanishingReasons;
  opposite: typeof vanishingReasons;
  /** Which candidate groups to offer, from [activations, initializers, normalisation]. */
  pick(groups: Candidate[][]): Candidate[][];
  /** Where the finding sits, given its anchor layer. */
  anchorRange(layer: Layer): Range;
  headline(ctx: RuleContext, first: LayerEstimate | undefined): string;
}

/** vanishing-gradient and exploding-gradient: the estimate's verdict, its culprits and the fixes it shows healing. */
export function flowRule<T extends keyof HealthThresholds>(spec: FlowRuleSpec<T>): Rule<T> {
  return {
    id: spec.id,
    defaultSeverity: 'warning',
    description: spec.description,
    summary: spec.summary,
    docsUrl: docsUrl(spec.id),
    thresholds: spec.thresholds,
    check(ctx) {
      const e = ctx.estimate;
      const reasons = spec.reasons(e, ctx.thresholds);
      if (!reasons.length) return [];
      // Within the estimate's uncertainty of every threshold crossed: information, and the probe decides.
      const clear = clearOfUncertainty(judgeEstimate(e, ctx.thresholds), ctx.thresholds);
      const near = clear
        ? ''
        : ` (within the estimate's uncertainty of ${ctx.thresholds.estimateUncertaintyDecades} decades of the threshold: information, \`gradlint probe\` measures it)`;
      const found = culprits(ctx, spec.direction);
      const first = weightedEstimates(e)[0];
      const loudest = e.layers.reduce<LayerEstimate | undefined>((a, b) => (!a || b.activationRms > a.activationRms ? b : a), undefined);
      const anchor = found[0]?.layer ?? (spec.direction === 'vanishing' ? first : loudest)?.layer;
      const fixes = () =>
        healingFixes(ctx, spec.pick(flowCandidates(ctx, found)), (variant) =>
          spec.reasons(variant, ctx.thresholds).length || spec.opposite(variant, ctx.thresholds).length ? undefined : Math.abs(variant.depthRatioLog10 ?? 0),
        );
      return [
        {
          range: anchor ? spec.anchorRange(anchor) : ctx.model.range,
          message: `${spec.headline(ctx, first)}${reasons.join(', and ')}${culpritSummary(found)}${near}.`,
          related: flowRelated(e, found),
          fixes,
          severity: clear ? undefined : 'info',
        },
      ];
    },
  };
}
