// Layers with kernels: dense, convolutions (plain, transposed, depthwise, separable), embedding.
// Each is a linear stage z = W·a + b followed by an activation; moments go forward, and the
// backward pass is linear in the squared output gradient, so every transfer returns multipliers.
import { charge } from '../budget';
import { constantValue, weightStats, type WeightStats } from './initializers';
import { activationFunction } from './activations';
import { applyActivation, readActivation, type Activation, type Moments } from './nonlinear';
import { settle, tieThrough, type Tie } from './tie';
import { batchVariance, channelVariance, leadingSize, size, withChannels, type Signal } from './signal';
import type { LayerContext, NodeResult } from './transfer';

/**
 * Pre-activation moments of z = Σ_fan w·a for weights `w`. `channelShare` (Σ_t f_t² / Σ_t f_t
 * over taps t valid at a share f_t of the output positions) is what of the per-position means
 * survives as a channel's mean over positions: below 1 where padding or strides leave taps out.
 */
function linearMoments(inp: Moments, w: WeightStats, fan: number, channelShare = 1): Moments {
  if (w.constant) {
    // Every unit sums the same inputs with the same weight: the means add coherently.
    const c = w.value ?? 0;
    const v = batchVariance(inp);
    const p = c * c * (fan * fan * inp.g * inp.g + fan * Math.max(inp.p - inp.g * inp.g, 0));
    const z: Moments = { g: c * fan * inp.g, p, m: p + c * c * fan * v };
    if (inp.bv !== undefined) z.bv = c * c * fan * v;
    return z;
  }
  if (w.identityGain !== undefined) {
    // z = gain · a unit by unit: a mean shared by every unit (softplus, sigmoid) stays shared,
    // where random weights would scatter it into offsets of either sign.
    const k = w.identityGain * w.identityGain;
    const z: Moments = { g: w.identityGain * inp.g, p: k * inp.p, m: k * inp.m };
    if (inp.pc !== undefined) z.pc = k * inp.pc;
    if (inp.bv !== undefined) z.bv = k * inp.bv;
    return z;
  }
  const z: Moments = { g: 0, p: fan * w.secondMoment * inp.p, m: fan * w.secondMoment * inp.m };
  if (inp.pc !== undefined || channelShare < 1) z.pc = fan * w.secondMoment * (inp.pc ?? inp.p) * channelShare;
  if (inp.bv !== undefined) z.bv = fan * w.secondMoment * inp.bv;
  return z;
}

/** Adds a bias initialised by `spec` (a constant shifts every unit; a random one spreads them). */
function addBias(z: Moments, ctx: LayerContext, units: number): Moments {
  if (!ctx.cfg.bool('useBias', true)) return z;
  const spec = ctx.cfg.value('biasInitializer');
  const b = constantValue(spec ?? 'zeros');
  if (b !== undefined) {
    const shift = 2 * z.g * b + b * b;
    return shifted(z, z.g + b, shift);
  }
  const stats = weightStats(spec, [units], 'zeros');
  if (stats.assumption) ctx.assumptions.push(`bias: ${stats.assumption}`);
  // One bias per channel: it shifts the channel mean as much as each unit's.
  const spread = stats.secondMoment;
  return shifted(z, z.g, spread);
}

/** `z` with mean `g` and `shift` added to its second moments (pc only where tracked). */
function shifted(z: Moments, g: number, shift: number): Moments {
  const out: Moments = { g, p: z.p + shift, m: z.m + shift, bv: z.bv };
  if (z.pc !== undefined) out.pc = z.pc + shift;
  return out;
}

function kernelStats(ctx: LayerContext, key: string, shape: number[], fallback: string): WeightStats {
  const stats = weightStats(ctx.cfg.value(key), shape, fallback);
  if (stats.assumption) ctx.assumptions.push(`${key}: ${stats.assumption}`);
  if (stats.constant) ctx.assumptions.push(`${key} ${stats.description}: every unit of the layer computes the same value`);
  return stats;
}

interface Stage {
  /** Kernel shape as tfjs creates it (for fans and the element count). */
  kernelShape: number[];
  initKey: string;
  initDefault: string;
  /** Inputs summed per output element (valid taps × input channels). */
  fwdFan: number;
  /** Output elements each input element feeds (valid taps × output channels). */
  bwdFan: number;
  /** Terms one kernel weight's gradient sums per sample (positions where its tap is valid). */
  perTap: number;
  /** Dense layers on flat inputs: the width, for the finite-width correction. */
  width?: number;
  /** Convolutions: see linearMoments. */
  channelShare?: number;
}

/**
 * A finite layer's squared norm fluctuates from draw to draw (relative variance (κ − 1)/n over
 * n units, Hanin 2018), and a single probe run sees a typical draw: exp E[ln] = mean · e^{−var/2}.
 * Narrow deep relu stacks lose decades this way; at width 64 it is a few hundredths per layer.
 * Forward: the n outputs' squares, z Gaussian across units (κ of φ(z)). Backward: the same
 * count for φ'(z)·δ with δ Gaussian across units (3κ'); the χ² of Wᵀ is that Gaussianity, so
 * it is not counted twice. For relu both give 5/n, as Jᵀ and J have the same statistics.
 */
function widthFactors(units: number | undefined, kurtosis: number, derivKurtosis: number): { forward: number; backward: number } {
  if (!units) return { forward: 1, backward: 1 };
  return {
    forward: Math.exp(-(kurtosis - 1) / (2 * units)),
    backward: Math.exp(-(3 * derivKurtosis - 1) / (2 * units)),
  };
}

/** Activations that output exact zeros for negative inputs. */
const ZEROING = new Set(['relu', 'relu6', 'cappedRelu', 'thresholdedReLU']);

/**
 * Behind a relu stack the inputs are non-negative and nearly aligned, so each unit of a
 * narrow relu layer is off for every sample with probability ≈ 1/2; all n at once (2⁻ⁿ)
 * cuts the gradient to exactly 0. The expected squared gradient keeps the surviving share.
 */
function survival(width: number | undefined, inp: Signal, activation: string): number {
  if (!width || !ZEROING.has(activation) || !inp.pre || !ZEROING.has(inp.pre.activation)) return 1;
  return 1 - 2 ** -width;
}

/** A linear stage, its bias and activation. `axisSize` is the softmax axis (the units). */
function weightedLayer(ctx: LayerContext, inp: Signal, stage: Stage, outShape: number[], units: number): NodeResult {
  const w = kernelStats(ctx, stage.initKey, stage.kernelShape, stage.initDefault);
  const pre = addBias(linearMoments(inp, w, stage.fwdFan, stage.channelShare), ctx, units);
  const act = readActivation(ctx.cfg.value('activation'), ctx.assumptions);
  const activated = applyActivation(act, pre, outShape, units);
  const { derivSecond, derivMeanSq } = activated;
  // An identity kernel draws nothing: no draw-to-draw fluctuation, and no unit newly cut off.
  const width = w.identityGain === undefined ? stage.width : undefined;
  const typical = widthFactors(width, activated.kurtosis, activated.derivKurtosis);
  // Spelled out rather than spread: this runs for every weighted layer.
  const { shape, m, p, g, pc, bv, pre: before } = activated.out;
  const out: Signal = { shape, m: m * typical.forward, p: p * typical.forward, g, pc, bv, pre: before };
  if (out.pc !== undefined) out.pc *= typical.forward;
  if (out.bv !== undefined) out.bv *= typical.forward;
  const tie = w.identityGain === undefined ? undefined : identityTie(ctx, inp, w.identityGain, act, w.identityGain ** 2 * derivSecond);
  settle(out, tie, ctx.batch * size(outShape));
  const through = typical.backward * survival(width, inp, act.name);
  const backward = stage.bwdFan * w.secondMoment * derivSecond * through;
  const terms = ctx.batch * stage.perTap;
  const linear = act.name === 'linear';
  return {
    out,
    backward: [backward],
    backwardShared: [stage.bwdFan * w.secondMoment * derivMeanSq * through],
    kernels: [
      {
        count: size(stage.kernelShape),
        perDelta: terms * inp.m * derivSecond,
        perShared: terms * terms * inp.p * derivMeanSq,
        // Each input channel's mean meets a gradient that sums to zero over batch and positions
        // (batch normalisation's centring): only its spread over both counts.
        perDeltaCentred: linear ? terms * channelVariance(inp) : undefined,
      },
    ],
    centring: linear ? 'keeps' : undefined,
    preActivationVariance: Math.max(pre.m - pre.g * pre.g, 0),
    // The mean-field χ of the theory; the typical-value corrections stay out of it.
    backwardFactor: stage.bwdFan * w.secondMoment * derivSecond,
  };
}

/** An identity kernel with a constant bias keeps the output a function of the input unit by unit: φ(gain·x + b). */
function identityTie(ctx: LayerContext, inp: Signal, gain: number, act: Activation, chi: number): Tie | undefined {
  const fn = activationFunction(act.name, act.params);
  const b = ctx.cfg.bool('useBias', true) ? constantValue(ctx.cfg.value('biasInitializer') ?? 'zeros') : 0;
  if (!fn || b === undefined) return undefined;
  return tieThrough(inp, (x) => fn.f(gain * x + b), (x) => gain * fn.df(gain * x + b), chi);
}

export function dense(ctx: LayerContext, inp: Signal): NodeResult {
  const n = inp.shape[inp.shape.length - 1] ?? 1;
  const units = ctx.cfg.count('units', 16);
  const outShape = withChannels(inp.shape, units);
  const stage: Stage = {
    kernelShape: [n, units],
    initKey: 'kernelInitializer',
    initDefault: 'glorotNormal',
    fwdFan: n,
    bwdFan: units,
    perTap: leadingSize(inp.shape),
    // Positions sharing the weights average the fluctuation away; flat inputs keep it.
    width: inp.shape.length === 1 ? units : undefined,
  };
  return weightedLayer(ctx, inp, stage, outShape, units);
}

export interface AxisGeometry {
  outLen: number;
  /** (input position, output position) pairs joined by a valid tap. */
  pairs: number;
  /** Σ_t f_t² / Σ_t f_t for f_t the share of output positions tap t reaches (1 without borders). */
  tapShare: number;
}

/**
 * Output length and the taps that land inside the input. `padding` is tfjs's 'same' / 'valid'
 * or, from YOLO YAML, PyTorch's explicit number of zero pixels on each side.
 */
export function convAxis(len: number, k: number, stride: number, dilation: number, padding: string | number): AxisGeometry {
  const span = (k - 1) * dilation + 1;
  let outLen: number;
  let padBefore: number;
  if (typeof padding === 'number') {
    outLen = Math.floor((len + 2 * padding - span) / stride) + 1;
    padBefore = padding;
  } else if (padding === 'same') {
    outLen = Math.ceil(len / stride);
    padBefore = Math.floor(Math.max((outLen - 1) * stride + span - len, 0) / 2);
  } else {
    outLen = Math.ceil((len - span + 1) / stride);
    padBefore = 0;
  }
  outLen = Math.max(outLen, 0);
  return { outLen, ...tapTotals(outLen, stride, padBefore, k, dilation, len, outLen) };
}

/** Taps counted one by one; beyond this, an even sample of them stands for all (the counts are piecewise linear in t). */
const MAX_TAPS_COUNTED = 4096;

/**
 * Over taps t < k, with c_t the positions o < count where 0 ≤ o·stride − offset + t·step < len:
 * the (position, tap) pairs Σ c_t and the share Σ c_t² / (outLen · Σ c_t). Closed form per tap,
 * so huge inputs cost nothing; huge kernels are sampled, so the work is bounded by construction.
 */
function tapTotals(
  count: number,
  stride: number,
  offset: number,
  k: number,
  step: number,
  len: number,
  outLen: number,
): { pairs: number; tapShare: number } {
  const samples = Math.min(k, MAX_TAPS_COUNTED);
  charge(samples);
  const weight = k / samples;
  let total = 0;
  let squares = 0;
  for (let j = 0; j < samples; j++) {
    const t = samples === k ? j : Math.floor((j * k) / samples);
    const lo = Math.max(Math.ceil((offset - t * step) / stride), 0);
    const hi = Math.min(Math.ceil((len + offset - t * step) / stride) - 1, count - 1);
    const c = Math.max(hi - lo + 1, 0);
    total += c * weight;
    squares += c * c * weight;
  }
  return { pairs: total, tapShare: total > 0 && outLen > 0 ? squares / (outLen * total) : 1 };
}

/** Transposed convolution: each input position spreads over k outputs; 'same' crops to len·stride, a number crops that many. */
function transposedAxis(len: number, k: number, stride: number, padding: string | number): AxisGeometry {
  const full = (len - 1) * stride + Math.max(k, stride);
  const outLen = typeof padding === 'number' ? full - 2 * padding : padding === 'same' ? len * stride : full;
  const cropBefore = typeof padding === 'number' ? padding : Math.floor(Math.max(full - outLen, 0) / 2);
  const clipped = Math.max(outLen, 0);
  // Each (input position, tap) pair lands on its own output position.
  return { outLen: clipped, ...tapTotals(len, stride, cropBefore, k, 1, clipped, clipped) };
}

interface ConvShape {
  spatial: number[];
  channels: number;
  channelsFirst: boolean;
}

function convInput(ctx: LayerContext, inp: Signal, rank: number): ConvShape {
  const channelsFirst = ctx.cfg.string('dataFormat', 'channelsLast') === 'channelsFirst';
  let shape = inp.shape;
  if (shape.length !== rank + 1) {
    const fixed = [...shape, 16, 16, 16, 16].slice(0, rank + 1);
    ctx.assumptions.push(`input of rank ${shape.length + 1} where ${rank + 2} is expected; assumed shape [${fixed.join(', ')}]`);
    shape = fixed;
  }
  return channelsFirst
    ? { spatial: shape.slice(1), channels: shape[0], channelsFirst }
    : { spatial: shape.slice(0, -1), channels: shape[shape.length - 1], channelsFirst };
}

function convOutShape(c: ConvShape, spatial: number[], channels: number): number[] {
  return c.channelsFirst ? [channels, ...spatial] : [...spatial, channels];
}

/** 'same' / 'valid', or per-axis pixel counts (PyTorch padding from YOLO YAML). */
export function paddingOf(ctx: LayerContext, rank: number): (string | number)[] {
  const v = ctx.cfg.value('padding');
  if (typeof v === 'number' || Array.isArray(v)) return ctx.cfg.tuple('padding', rank, 0, 0);
  return new Array<string>(rank).fill(ctx.cfg.string('padding', 'valid'));
}

interface ConvGeometry {
  outSpatial: number[];
  /** Π pairs/outLen: average valid taps per output position. */
  fwdTaps: number;
  /** Π pairs/len: average valid taps per input position. */
  bwdTaps: number;
  /** Π pairs/k: average valid positions per tap. */
  perTap: number;
  taps: number[];
  /** Π tapShare. */
  channelShare: number;
}

function convGeometry(ctx: LayerContext, c: ConvShape, transposed: boolean, kernelKey = 'kernelSize'): ConvGeometry {
  const rank = c.spatial.length;
  const k = ctx.cfg.tuple(kernelKey, rank, 3);
  const strides = ctx.cfg.tuple('strides', rank, 1);
  const dilation = ctx.cfg.tuple('dilationRate', rank, 1);
  const paddings = paddingOf(ctx, rank);
  const axes = c.spatial.map((len, i) => {
    const padding = paddings[i];
    return transposed ? transposedAxis(len, k[i], strides[i], padding) : convAxis(len, k[i], strides[i], dilation[i], padding);
  });
  if (axes.some((a) => a.outLen === 0)) ctx.assumptions.push('the kernel is larger than the input: the output is empty');
  const ratio = (f: (a: AxisGeometry, i: number) => number): number =>
    axes.reduce((acc, a, i) => acc * (f(a, i) > 0 ? a.pairs / f(a, i) : 0), 1);
  return {
    outSpatial: axes.map((a) => a.outLen),
    fwdTaps: ratio((a) => a.outLen),
    bwdTaps: ratio((_, i) => c.spatial[i]),
    perTap: ratio((_, i) => k[i]),
    taps: k,
    channelShare: axes.reduce((acc, a) => acc * a.tapShare, 1),
  };
}

/** conv1d/2d/3d and conv2d/3dTranspose. */
export function conv(ctx: LayerContext, inp: Signal, rank: number, transposed: boolean): NodeResult {
  const c = convInput(ctx, inp, rank);
  const filters = ctx.cfg.count('filters', 16);
  const geo = convGeometry(ctx, c, transposed);
  // YOLO YAML: PyTorch groups; each output sees inChannels/groups channels.
  const groups = Math.max(ctx.cfg.number('groups', 1), 1);
  const perGroupIn = c.channels / groups;
  // tfjs stores transposed kernels as [...k, filters, inChannels]; its fans follow that layout.
  const kernelShape = transposed ? [...geo.taps, filters, c.channels] : [...geo.taps, perGroupIn, filters];
  const stage: Stage = {
    kernelShape,
    initKey: 'kernelInitializer',
    initDefault: 'glorotNormal',
    fwdFan: geo.fwdTaps * perGroupIn,
    bwdFan: (geo.bwdTaps * filters) / groups,
    perTap: geo.perTap,
    channelShare: geo.channelShare,
  };
  return weightedLayer(ctx, inp, stage, convOutShape(c, geo.outSpatial, filters), filters);
}

/** depthwiseConv2d: one kernel per input channel (tfjs still counts all channels in the fans). */
export function depthwise(ctx: LayerContext, inp: Signal): NodeResult {
  const c = convInput(ctx, inp, 2);
  const dm = ctx.cfg.count('depthMultiplier', 1);
  const geo = convGeometry(ctx, c, false);
  const stage: Stage = {
    kernelShape: [...geo.taps, c.channels, dm],
    initKey: 'depthwiseInitializer',
    initDefault: 'glorotNormal',
    fwdFan: geo.fwdTaps,
    bwdFan: geo.bwdTaps * dm,
    perTap: geo.perTap,
    channelShare: geo.channelShare,
  };
  return weightedLayer(ctx, inp, stage, convOutShape(c, geo.outSpatial, c.channels * dm), c.channels * dm);
}

/** separableConv2d: a linear depthwise stage, then a 1×1 pointwise stage with bias and activation. */
export function separable(ctx: LayerContext, inp: Signal): NodeResult {
  const c = convInput(ctx, inp, 2);
  const dm = ctx.cfg.count('depthMultiplier', 1);
  const filters = ctx.cfg.count('filters', 16);
  const geo = convGeometry(ctx, c, false);
  const depthShape = [...geo.taps, c.channels, dm];
  const wd = kernelStats(ctx, 'depthwiseInitializer', depthShape, 'glorotUniform');
  const mid: Signal = { shape: convOutShape(c, geo.outSpatial, c.channels * dm), ...linearMoments(inp, wd, geo.fwdTaps, geo.channelShare) };
  const pointShape = [1, 1, c.channels * dm, filters];
  const point: Stage = {
    kernelShape: pointShape,
    initKey: 'pointwiseInitializer',
    initDefault: 'glorotUniform',
    fwdFan: c.channels * dm,
    bwdFan: filters,
    perTap: size(geo.outSpatial),
  };
  const r = weightedLayer(ctx, mid, point, convOutShape(c, geo.outSpatial, filters), filters);
  const midDelta = r.backward[0];
  const midShared = r.backwardShared?.[0] ?? midDelta;
  const depthBackward = geo.bwdTaps * dm * wd.secondMoment;
  const terms = ctx.batch * geo.perTap;
  return {
    ...r,
    backward: [midDelta * depthBackward],
    backwardShared: [midShared * depthBackward],
    backwardFactor: midDelta * depthBackward,
    kernels: [{ count: size(depthShape), perDelta: terms * inp.m * midDelta, perShared: terms * terms * inp.p * midShared }, ...r.kernels],
  };
}

/** embedding: a table lookup; each row's gradient sums the samples that picked it. */
export function embedding(ctx: LayerContext, inp: Signal): NodeResult {
  // Unknown: 16, as the probe draws indices from (the contract's unknown dimension).
  const inputDim = ctx.cfg.count('inputDim', 16);
  const outputDim = ctx.cfg.count('outputDim', 16);
  const w = kernelStats(ctx, 'embeddingsInitializer', [inputDim, outputDim], 'randomUniform');
  const g = w.constant ? (w.value ?? 0) : 0;
  return {
    out: { shape: [...inp.shape, outputDim], m: w.secondMoment, p: g * g, g },
    backward: [0],
    kernels: [{ count: inputDim * outputDim, perDelta: (ctx.batch * size(inp.shape)) / inputDim }],
    backwardFactor: 0,
  };
}
