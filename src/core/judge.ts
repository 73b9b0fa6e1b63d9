// The one judgement of gradient health: vanishing, exploding or healthy, from a model's
// figures (estimated or measured at step 0) and the thresholds in force. The rules
// vanishing-gradient and exploding-gradient, the probe's diagnostics, the heatmap's banner
// and the benches all decide through `judge`, so they cannot disagree on the same figures.
// The thresholds' defaults are declared by those rules; the judge only receives them.
import type { Layer } from './graph';
import type { ProbeModelResult } from './gradientResult';
import type { ModelEstimate } from './estimate/types';
import { estimateToResult } from './estimate/report';
import { zeroHeads } from './estimate/zeroHeads';

/** The figures the judgement reads, all log10. */
export interface HealthFigures {
  /** First weighted layer's gradient RMS over the last one's; null without two weighted layers. */
  depthRatioLog10: number | null;
  firstGradientRmsLog10: number | null;
  maxActivationRmsLog10: number;
  /** A gradient or activation is NaN or infinite (a float32 overflow): the model diverged. */
  nonFinite: boolean;
  /** The layer the largest activation belongs to, for the words. */
  loudestLayer?: string;
  traits: ModelTraits;
}

/** What the figures alone do not say about the model but the judgement needs. */
export interface ModelTraits {
  /**
   * Batch or layer normalisation: it amplifies gradients toward the input by design
   * (healthy YOLO models reach depth ratios of 10^4), so a large ratio alone is no explosion.
   */
  normalized: boolean;
  /**
   * A softmax or sigmoid output layer: under the contract's squared-error loss it shrinks every
   * gradient at the head, which the cross-entropy such models train with does not; for these
   * models only the loss along the depth (the ratio) says the gradient vanishes.
   */
  squashingHead: boolean;
  /**
   * An output layer whose kernel starts at zero passes no gradient back at step 0, by design:
   * the model is judged at step 1 (the estimate's figures are step 1's already), on the depth
   * ratio of the body (up to the layer before the head).
   */
  zeroHead: boolean;
}

export interface HealthThresholds {
  vanishingDepthRatioLog10: number;
  vanishingFirstGradientLog10: number;
  explodingDepthRatioLog10: number;
  explodingFirstGradientLog10: number;
  explodingActivationLog10: number;
  /**
   * The estimate's uncertainty (decades): a judgement within it of every threshold crossed is
   * not clear, and structural rules warn only this far past the flow thresholds.
   */
  estimateUncertaintyDecades: number;
}

export type HealthStatus = 'vanishing' | 'exploding' | 'healthy';

/** One figure past one threshold. */
export interface HealthReason {
  figure: 'depthRatio' | 'firstGradient' | 'activation' | 'nonFinite';
  valueLog10: number;
  thresholdLog10: number;
}

export interface Judgement {
  status: HealthStatus;
  /** The figures past their thresholds in the direction of `status` (empty when healthy). */
  reasons: HealthReason[];
}

const NORMALIZATION = new Set(['batchNormalization', 'layerNormalization']);
const SQUASHING = new Set(['softmax', 'sigmoid']);
const core = (layer: Layer): Layer => (layer.wrapped ? core(layer.wrapped) : layer);

/**
 * Vanishing, exploding or healthy; never both. A blown-up first-layer gradient or activation
 * (or a non-finite figure) is an explosion, and then a small depth ratio only says the last
 * layer's gradient is even larger: it is not "vanishing".
 */
export function judge(f: HealthFigures, t: HealthThresholds): Judgement {
  const exploding: HealthReason[] = [];
  if (f.nonFinite) exploding.push({ figure: 'nonFinite', valueLog10: Infinity, thresholdLog10: Infinity });
  if (f.depthRatioLog10 !== null && f.depthRatioLog10 > t.explodingDepthRatioLog10 && !f.traits.normalized) {
    exploding.push({ figure: 'depthRatio', valueLog10: f.depthRatioLog10, thresholdLog10: t.explodingDepthRatioLog10 });
  }
  if (f.firstGradientRmsLog10 !== null && f.firstGradientRmsLog10 > t.explodingFirstGradientLog10) {
    exploding.push({ figure: 'firstGradient', valueLog10: f.firstGradientRmsLog10, thresholdLog10: t.explodingFirstGradientLog10 });
  }
  if (f.maxActivationRmsLog10 > t.explodingActivationLog10) {
    exploding.push({ figure: 'activation', valueLog10: f.maxActivationRmsLog10, thresholdLog10: t.explodingActivationLog10 });
  }
  if (exploding.length) return { status: 'exploding', reasons: exploding };
  const vanishing: HealthReason[] = [];
  if (f.depthRatioLog10 !== null && f.depthRatioLog10 < t.vanishingDepthRatioLog10) {
    vanishing.push({ figure: 'depthRatio', valueLog10: f.depthRatioLog10, thresholdLog10: t.vanishingDepthRatioLog10 });
  }
  // Under a squashing or a zero head the first gradient's size says more about the head than the depth.
  if (f.firstGradientRmsLog10 !== null && f.firstGradientRmsLog10 < t.vanishingFirstGradientLog10 && !f.traits.squashingHead && !f.traits.zeroHead) {
    vanishing.push({ figure: 'firstGradient', valueLog10: f.firstGradientRmsLog10, thresholdLog10: t.vanishingFirstGradientLog10 });
  }
  return vanishing.length ? { status: 'vanishing', reasons: vanishing } : { status: 'healthy', reasons: [] };
}

/**
 * The activation the last weighted layer's output goes through: its own, else that of an
 * activation layer after it (PyTorch's `nn.Linear(...), nn.Sigmoid()`, a tfjs softmax layer).
 */
function headActivation(e: ModelEstimate): string | undefined {
  // Plain loops from the end: this runs for every model of every lint.
  const layers = e.layers;
  let lastWeighted = layers.length - 1;
  while (lastWeighted >= 0 && layers[lastWeighted].gradientRms === null) lastWeighted--;
  if (lastWeighted < 0) return undefined;
  const own = core(layers[lastWeighted].layer).config.activation;
  if (typeof own === 'string' && own !== 'linear') return own;
  // The last activation layer after it.
  let after: Layer | undefined;
  for (let i = layers.length - 1; i > lastWeighted && !after; i--) {
    const l = layers[i].layer;
    if (l.kind === 'softmax' || l.kind === 'activation') after = l;
  }
  if (!after) return undefined;
  return after.kind === 'softmax' ? 'softmax' : typeof after.config.activation === 'string' ? after.config.activation : undefined;
}

/** The traits of an estimated model: its graph's normalisation and the activation its last weighted layer's output goes through. */
export function traitsOf(e: ModelEstimate): ModelTraits {
  const activation = headActivation(e);
  return {
    normalized: e.model.layers.some((l) => NORMALIZATION.has(core(l).kind)),
    squashingHead: activation !== undefined && SQUASHING.has(activation),
    zeroHead: zeroHeads(e.model).length > 0,
  };
}

/** Figures already read, by estimate: up to four rules judge each model's. */
const estimateFigures = new WeakMap<ModelEstimate, HealthFigures>();

/** The estimate's figures: read from its report, as a measurement's are, so both are judged alike. */
export function figuresOfEstimate(e: ModelEstimate): HealthFigures {
  let figures = estimateFigures.get(e);
  if (!figures) estimateFigures.set(e, (figures = figuresOfReport(estimateToResult(e), traitsOf(e))));
  return figures;
}

// JSON carries NaN and ±Infinity as null.
const finite = (v: number | null | undefined): boolean => Number.isFinite(v ?? NaN);

/**
 * A report's figures at step 0 (at step 1 for a zero-initialised head, when measured), from
 * the probe's measurement or the estimate in the contract's shape. Without traits (a report
 * alone) normalisation is read from the layer kinds.
 */
export function figuresOfReport(r: ProbeModelResult, known?: ModelTraits): HealthFigures {
  const traits = known ?? { normalized: r.layers.some((l) => NORMALIZATION.has(l.kind)), squashingHead: false, zeroHead: false };
  const weighted = r.layers.filter((l) => l.gradientRms !== null && l.gradientRms.length > 0);
  const step = traits.zeroHead && weighted.every((l) => (l.gradientRms?.length ?? 0) > 1) ? 1 : 0;
  const gradientLog = (l: ProbeModelResult['layers'][number] | undefined): number | null => {
    const v = l?.gradientRms?.[step];
    return v === undefined || v === null ? null : Math.log10(v);
  };
  // Behind a zero head every gradient scales with the head's first step: the depth ratio is the
  // body's own, up to the layer before the head.
  const body = traits.zeroHead ? weighted.slice(0, -1) : weighted;
  const firstLog = gradientLog(weighted[0]);
  const lastLog = gradientLog(body[body.length - 1]);
  const ratio =
    step === 0 && !traits.zeroHead && r.depthRatioLog10 !== null ? r.depthRatioLog10 : body.length > 1 && firstLog !== null && lastLog !== null ? firstLog - lastLog : null;
  let loudest: { name?: string; log: number } = { log: -Infinity };
  for (const l of r.layers) {
    const log = Math.log10(l.activationRms[step] ?? NaN);
    if (log > loudest.log) loudest = { name: l.name, log };
  }
  const nonFinite = r.layers.some((l) => !(l.gradientRms ?? []).every(finite) || !l.activationRms.every(finite));
  return { depthRatioLog10: ratio, firstGradientRmsLog10: firstLog, maxActivationRmsLog10: loudest.log, nonFinite, loudestLayer: loudest.name, traits };
}

/** The judgement's thresholds out of every threshold in force (the rules declare their defaults). */
export function healthThresholds(all: Readonly<Record<string, number>>): HealthThresholds {
  const pick = (name: keyof HealthThresholds): number => {
    const v = all[name];
    if (typeof v !== 'number') throw new Error(`threshold ${name} is not in force: the rules that declare it are missing`);
    return v;
  };
  return {
    vanishingDepthRatioLog10: pick('vanishingDepthRatioLog10'),
    vanishingFirstGradientLog10: pick('vanishingFirstGradientLog10'),
    explodingDepthRatioLog10: pick('explodingDepthRatioLog10'),
    explodingFirstGradientLog10: pick('explodingFirstGradientLog10'),
    explodingActivationLog10: pick('explodingActivationLog10'),
    estimateUncertaintyDecades: pick('estimateUncertaintyDecades'),
  };
}
