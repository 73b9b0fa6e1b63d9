// The transfer for every layer kind: normalisation, merges, noise, pooling, reshaping, activation
// layers and wrappers here; kernels in weighted.ts, recurrences in recurrent.ts.
import type { Layer } from '../graph';
import { canonicalKind } from '../layerDefaults';
import { activationFunction, fractionAbove } from './activations';
import { constantValue, weightStats } from './initializers';
import { applyActivation, maxOf, readActivation, type Activation } from './nonlinear';
import { gru, lstm, simpleRnn } from './recurrent';
import type { LayerContext, NodeResult, TiedBackward, Transfer } from './transfer';
import { batchVariance, channelVariance, ConfigReader, leadingSize, size, type Signal } from './signal';
import { conv, convAxis, dense, depthwise, embedding, paddingOf, separable } from './weighted';
import { scaledMerge, settle, tiedPair, tieThrough, tieWithMask } from './tie';

const FLOAT32_EPSILON = 2 ** -23;

/** A transfer that keeps the statistics and passes the gradient through unchanged. */
function passThrough(inp: Signal, shape = inp.shape): NodeResult {
  // Reshaped, positions and channels are no longer what they were: channel means are the units' again.
  const out = shape === inp.shape ? { ...inp } : { ...inp, shape, pc: undefined };
  return { out, backward: [1], kernels: [], centring: 'keeps' };
}

/** Marks a linear step whose backward pass keeps a zero batch sum of the gradient (on the fresh result: no copy). */
function keeps(r: NodeResult): NodeResult {
  r.centring = 'keeps';
  return r;
}

function scaled(inp: Signal, factor: number, backward: number): NodeResult {
  return { out: { shape: inp.shape, m: inp.m * factor, p: inp.p, g: inp.g, pc: inp.pc }, backward: [backward], kernels: [] };
}

/** x ↦ scale·x + shift unit by unit (a normalisation at initialisation, its statistics taken as every unit's). */
const affineTie = (inp: Signal, scale: number, shift: number, chi: number) => tieThrough(inp, (x) => scale * x + shift, () => scale, chi);

/** Unit means spread below this share of the batch variance count as equal (batch normalisation as one map). */
const UNIT_OFFSET_SHARE = 1e-3;

/** γ² for a normalisation's scale initialiser (gamma), β for its centre (beta). */
function affine(ctx: LayerContext): { gamma2: number; beta: number } {
  const scale = ctx.cfg.bool('scale', true);
  const center = ctx.cfg.bool('center', true);
  const gammaSpec = ctx.cfg.value('gammaInitializer') ?? 'ones';
  const gamma2 = scale ? weightStats(gammaSpec, [1], 'ones').secondMoment : 1;
  const beta = center ? (constantValue(ctx.cfg.value('betaInitializer') ?? 'zeros') ?? 0) : 0;
  return { gamma2, beta };
}

/** Training-mode batch normalisation: divides by the batch standard deviation forward and backward. */
const batchNorm: Transfer = (ctx, [inp]) => {
  const eps = Math.max(ctx.cfg.number('epsilon', 1e-3), 1e-12);
  const { gamma2, beta } = affine(ctx);
  // Statistics per channel over batch and positions: the positions' own offsets count as spread.
  // tfjs holds the values in float32: their rounding (ε|x| apart, ε = 2⁻²³) is a spread too, and
  // it is what batch norm amplifies where the true one is smaller.
  const v = Math.max(channelVariance(inp), (inp.m * FLOAT32_EPSILON ** 2) / 12);
  // Over the N values of a channel in the batch: dividing by the sample variance gives
  // E[1/σ̂²] = N/((N − 3)σ²), and the backward projection keeps (N − 2)/N of the gradient.
  const n = ctx.batch * leadingSize(inp.shape);
  const sampling = n > 3 ? (n - 2) / (n - 3) : 1;
  const factor = (gamma2 / (v + eps)) * sampling;
  const positional = inp.pc === undefined ? undefined : (gamma2 * Math.max(inp.p - inp.pc, 0)) / (v + eps);
  const out: Signal = { shape: inp.shape, m: gamma2 * (v / (v + eps)) + beta * beta, p: (positional ?? 0) + beta * beta, g: beta };
  if (positional !== undefined) out.pc = beta * beta;
  if (inp.bv !== undefined) out.bv = (gamma2 * Math.max(v - Math.max(inp.p - (inp.pc ?? inp.p), 0), 0)) / (v + eps);
  // The same map for every unit only where units do not differ in their means (each is centred on its own).
  if (inp.p - inp.g * inp.g <= UNIT_OFFSET_SHARE * v) {
    settle(out, affineTie(inp, Math.sqrt(gamma2 / (v + eps)), beta - inp.g * Math.sqrt(gamma2 / (v + eps)), factor), ctx.batch * size(inp.shape));
  }
  return {
    out,
    backward: [factor],
    // Subtracting the batch mean of the gradient removes its shared part.
    backwardShared: [0],
    kernels: [],
    centring: 'creates',
    backwardFactor: factor,
  };
};

/** Layer normalisation: divides by each sample's spread over its features. */
const layerNorm: Transfer = (ctx, [inp]) => {
  const eps = Math.max(ctx.cfg.number('epsilon', 1e-3), 1e-12);
  const { gamma2, beta } = affine(ctx);
  const v = Math.max(inp.m - inp.g * inp.g, 0);
  const factor = gamma2 / (v + eps);
  const unitSpread = Math.max(inp.p - inp.g * inp.g, 0) * factor;
  const out: Signal = { shape: inp.shape, m: gamma2 * (v / (v + eps)) + beta * beta, p: unitSpread + beta * beta, g: beta };
  if (inp.pc !== undefined) out.pc = Math.max(inp.pc - inp.g * inp.g, 0) * factor + beta * beta;
  if (inp.bv !== undefined) out.bv = inp.bv * factor;
  settle(out, affineTie(inp, Math.sqrt(factor), beta - inp.g * Math.sqrt(factor), factor), ctx.batch * size(inp.shape));
  return {
    out,
    backward: [factor],
    kernels: [],
    backwardFactor: factor,
  };
};

/** Sum of independent tensors: variances add, shared means add coherently. */
function sum(inputs: Signal[]): Signal {
  // One pass over the inputs, each total summed in input order.
  let g = 0, gg = 0, m = 0, p = 0, pc = 0, bv = 0;
  let anyPc = false, anyBv = false;
  for (const s of inputs) {
    g += s.g;
    gg += s.g * s.g;
    m += s.m;
    p += s.p;
    pc += s.pc ?? s.p;
    bv += batchVariance(s);
    anyPc ||= s.pc !== undefined;
    anyBv ||= s.bv !== undefined;
  }
  const cross = g * g - gg;
  const out: Signal = { shape: inputs[0].shape, m: m + cross, p: p + cross, g };
  if (anyPc) out.pc = pc + cross;
  if (anyBv) out.bv = bv;
  return out;
}

/**
 * The sum of two inputs that are functions of one tensor unit by unit (x + f(x)): the cross term
 * E[ab] in place of the product of their means, and the correction to the gradient the two paths
 * bring back to where they split (see tie.ts).
 */
function tiedSum(ctx: LayerContext, inputs: Signal[]): { out: Signal; tiedBackward?: TiedBackward } {
  const out = sum(inputs);
  const tied = inputs.length === 2 ? tiedPair(inputs[0], inputs[1], ctx.batch * size(out.shape)) : undefined;
  if (!tied) return { out };
  const shift = 2 * (tied.cross - inputs[0].g * inputs[1].g);
  out.m = Math.max(out.m + shift, 0);
  out.p = Math.min(out.p, out.m);
  if (out.bv !== undefined) out.bv = Math.max(out.bv + shift, 0);
  out.tie = tied.tie(false);
  return { out, ...(tied.split ? { tiedBackward: { source: tied.split, factor: tied.sumBackwardExcess } } : {}) };
}

const add: Transfer = (ctx, inputs) => {
  // Spelled out rather than spread: every residual block runs this.
  const { out, tiedBackward } = tiedSum(ctx, inputs);
  const result: NodeResult = { out, backward: new Array<number>(inputs.length).fill(1), kernels: [], centring: 'keeps' };
  if (tiedBackward) result.tiedBackward = tiedBackward;
  return result;
};

const average: Transfer = (ctx, inputs) => {
  const k = inputs.length;
  const { out: s, tiedBackward } = tiedSum(ctx, inputs);
  const tracked = { ...(s.pc === undefined ? {} : { pc: s.pc / (k * k) }), ...(s.bv === undefined ? {} : { bv: s.bv / (k * k) }) };
  const shared = tiedBackward && { source: tiedBackward.source, factor: tiedBackward.factor / (k * k) };
  const out: Signal = { shape: s.shape, m: s.m / (k * k), p: s.p / (k * k), g: s.g / k, ...tracked };
  if (s.tie) out.tie = scaledMerge(s.tie, 1 / k);
  return keeps({
    out,
    backward: inputs.map(() => 1 / (k * k)),
    kernels: [],
    ...(shared ? { tiedBackward: shared } : {}),
  });
};

function axisOf(axis: number, rank: number): number {
  // Merge-layer axes count the batch dimension: -1 is the last, 1 the first non-batch one.
  return axis < 0 ? rank + axis : axis - 1;
}

const concatenate: Transfer = (ctx, inputs) => {
  const rank = inputs[0].shape.length;
  const axis = Math.min(Math.max(axisOf(ctx.cfg.number('axis', -1), rank), 0), Math.max(rank - 1, 0));
  const shape = [...inputs[0].shape];
  shape[axis] = inputs.reduce((a, s) => a + (s.shape[axis] ?? 0), 0);
  const weights = inputs.map((s) => size(s.shape));
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const mix = (f: (s: Signal) => number): number => inputs.reduce((a, s, i) => a + (f(s) * weights[i]) / total, 0);
  const tracked = {
    ...(inputs.some((s) => s.pc !== undefined) ? { pc: mix((s) => s.pc ?? s.p) } : {}),
    ...(inputs.some((s) => s.bv !== undefined) ? { bv: mix(batchVariance) } : {}),
  };
  return keeps({ out: { shape, m: mix((s) => s.m), p: mix((s) => s.p), g: mix((s) => s.g), ...tracked }, backward: inputs.map(() => 1), kernels: [] });
};

const multiply: Transfer = (ctx, inputs) => {
  // The output has the shape of the largest input: the others are broadcast over it.
  const shape = inputs.reduce((a, s) => (size(s.shape) > size(a) ? s.shape : a), inputs[0].shape);
  const prod = (f: (s: Signal) => number): number => inputs.reduce((a, s) => a * f(s), 1);
  const out: Signal = { shape, m: prod((s) => s.m), p: prod((s) => s.p), g: prod((s) => s.g) };
  // x ⊙ f(x): E[a²b²] and E[ab] over the chain's root, and the correction to the gradient its two paths bring back.
  const tied = inputs.length === 2 ? tiedPair(inputs[0], inputs[1], ctx.batch * size(shape)) : undefined;
  if (tied) {
    out.m = tied.productSecond;
    out.g = tied.cross;
    out.p = Math.min(Math.max(out.p, out.g * out.g), out.m);
    out.tie = tied.tie(true);
  }
  return {
    out,
    ...(tied?.split ? { tiedBackward: { source: tied.split, factor: tied.productBackwardExcess } } : {}),
    backward: inputs.map((x, k) => {
      const others = (f: (s: Signal) => number): number => inputs.reduce((a, s, j) => (j === k ? a : a * f(s)), 1);
      // An input broadcast over r positions (a squeeze-excitation gate of 1×1×C on H×W×C) gets
      // the gradient summed over them. That gradient is taken as the same at every position (as
      // it is upstream of global pooling, where such networks end): r terms add their squares,
      // and the channel means of the other inputs add coherently over the r(r − 1) pairs.
      const r = size(shape) / Math.max(size(x.shape), 1);
      return r * others((s) => s.m) + r * (r - 1) * others((s) => s.pc ?? s.p);
    }),
    kernels: [],
  };
};

/** maximum/minimum of k tensors: the largest of k draws; the gradient goes to one of them. */
function extreme(sign: 1 | -1): Transfer {
  return (_ctx, inputs) => {
    const k = inputs.length;
    const avg = (f: (s: Signal) => number): number => inputs.reduce((a, s) => a + f(s), 0) / k;
    const pooled: Signal = { shape: inputs[0].shape, m: avg((s) => s.m), p: avg((s) => s.p), g: sign * avg((s) => s.g) };
    const { out } = maxOf(pooled, k, pooled.shape);
    return { out: { ...out, g: sign * out.g }, backward: inputs.map(() => 1 / k), kernels: [] };
  };
}

const dot: Transfer = (ctx, inputs) => {
  const [a, b] = inputs;
  const axesValue = ctx.cfg.value('axes');
  const axes = Array.isArray(axesValue) ? axesValue : [axesValue ?? -1, axesValue ?? -1];
  const ia = axisOf(typeof axes[0] === 'number' ? axes[0] : -1, a.shape.length);
  const ib = axisOf(typeof axes[1] === 'number' ? axes[1] : -1, (b ?? a).shape.length);
  const n = a.shape[ia] ?? 1;
  const rest = [...a.shape.filter((_, i) => i !== ia), ...(b ?? a).shape.filter((_, i) => i !== ib)];
  const shape = rest.length ? rest : [1];
  const mb = (b ?? a).m;
  if (ctx.cfg.bool('normalize', false)) {
    // Cosine of two random n-vectors: second moment 1/n.
    return { out: { shape, m: 1 / n, p: 0, g: 0 }, backward: [1 / (n * a.m), 1 / (n * mb)], kernels: [] };
  }
  return { out: { shape, m: n * a.m * mb, p: 0, g: 0 }, backward: [mb, a.m], kernels: [] };
};

/** Inverted dropout in training mode scales kept units by 1/(1 − rate), forward and backward. */
const dropout: Transfer = (ctx, [inp]) => {
  const rate = Math.min(Math.max(ctx.cfg.number('rate', 0), 0), 1);
  if (rate >= 1) return { out: { shape: inp.shape, m: 0, p: 0, g: 0 }, backward: [0], kernels: [] };
  // The mask averages to 1 − rate over the batch, so the shared part of the gradient passes unscaled.
  const result = scaled(inp, 1 / (1 - rate), 1 / (1 - rate));
  settle(result.out, tieWithMask(inp, 1 / (1 - rate)), ctx.batch * size(inp.shape));
  result.backwardShared = [1];
  return result;
};

const gaussianNoise: Transfer = (ctx, [inp]) => {
  const std = ctx.cfg.number('stddev', 0);
  const bv = inp.bv === undefined ? undefined : inp.bv + std * std;
  return keeps({ out: { ...inp, pre: undefined, m: inp.m + std * std, bv }, backward: [1], kernels: [] });
};

interface Pool {
  spatial: number[];
  channels: number;
  outSpatial: number[];
  window: number;
}

function poolGeometry(ctx: LayerContext, inp: Signal, rank: number): Pool {
  let shape = inp.shape;
  if (shape.length !== rank + 1) {
    shape = [...shape, 16, 16, 16, 16].slice(0, rank + 1);
    ctx.assumptions.push(`pooling input assumed [${shape.join(', ')}]`);
  }
  const pool = ctx.cfg.tuple('poolSize', rank, 2);
  const stridesValue = ctx.cfg.value('strides');
  const strides = stridesValue === undefined || stridesValue === null ? pool : ctx.cfg.tuple('strides', rank, 2);
  const padding = paddingOf(ctx, rank);
  const spatial = shape.slice(0, -1);
  return {
    spatial,
    channels: shape[shape.length - 1],
    outSpatial: spatial.map((len, i) => convAxis(len, pool[i], strides[i], 1, padding[i]).outLen),
    window: pool.reduce((a, b) => a * b, 1),
  };
}

function maxPool(rank: number): Transfer {
  return (ctx, [inp]) => {
    const geo = poolGeometry(ctx, inp, rank);
    const shape = [...geo.outSpatial, geo.channels];
    // Each window's gradient goes to its largest element.
    const { out, derivRatio } = maxOf(inp, geo.window, shape);
    return keeps({ out, backward: [(derivRatio * size(geo.outSpatial)) / size(geo.spatial)], kernels: [] });
  };
}

/** A local window mean: the batch spread shrinks, the per-position means stay, channel means too. */
function meanOver(inp: Signal, window: number, shape: number[]): Signal {
  const bv = inp.bv === undefined ? undefined : inp.bv / window;
  return { shape, m: inp.p + batchVariance(inp) / window, p: inp.p, g: inp.g, pc: inp.pc, bv };
}

function avgPool(rank: number): Transfer {
  return (ctx, [inp]) => {
    const geo = poolGeometry(ctx, inp, rank);
    const backward = size(geo.outSpatial) / (size(geo.spatial) * geo.window);
    return keeps({ out: meanOver(inp, geo.window, [...geo.outSpatial, geo.channels]), backward: [backward], kernels: [] });
  };
}

function globalPool(kind: 'max' | 'avg'): Transfer {
  return (_ctx, [inp]) => {
    const channels = inp.shape[inp.shape.length - 1] ?? 1;
    const positions = leadingSize(inp.shape);
    if (kind === 'max') {
      const { out, derivRatio } = maxOf(inp, positions, [channels]);
      return keeps({ out, backward: [derivRatio / positions], kernels: [] });
    }
    // The mean over all positions: each channel's output mean is the channel mean.
    const pc = inp.pc ?? inp.p;
    const out: Signal = { shape: [channels], m: pc + batchVariance(inp) / positions, p: pc, g: inp.g };
    if (inp.bv !== undefined) out.bv = inp.bv / positions;
    return keeps({ out, backward: [1 / (positions * positions)], kernels: [] });
  };
}

const flatten: Transfer = (_ctx, [inp]) => passThrough(inp, [size(inp.shape)]);

const reshape: Transfer = (ctx, [inp]) => {
  const target = ctx.cfg.value('targetShape');
  if (!Array.isArray(target) || !target.every((x) => typeof x === 'number' || x === null)) {
    ctx.assumptions.push('targetShape unknown; assumed a flat output');
    return passThrough(inp, [size(inp.shape)]);
  }
  const dims = target.map((x) => (typeof x === 'number' && x > 0 ? x : -1));
  const known = dims.filter((x) => x > 0).reduce((a, b) => a * b, 1);
  return passThrough(inp, dims.map((x) => (x > 0 ? x : Math.max(Math.round(size(inp.shape) / known), 1))));
};

const permute: Transfer = (ctx, [inp]) => {
  const dims = ctx.cfg.value('dims');
  if (!Array.isArray(dims)) return passThrough(inp);
  return passThrough(inp, dims.map((d) => (typeof d === 'number' ? (inp.shape[d - 1] ?? 1) : 1)));
};

const repeatVector: Transfer = (ctx, [inp]) => {
  const n = ctx.cfg.count('n', 16);
  return keeps({ out: { ...inp, shape: [n, ...inp.shape] }, backward: [n], kernels: [] });
};

const upSampling2d: Transfer = (ctx, [inp]) => {
  const f = ctx.cfg.tuple('size', 2, 2);
  const shape = inp.shape.map((d, i) => (i < 2 && inp.shape.length === 3 ? d * f[i] : d));
  // Each input element is copied f₀·f₁ times; their gradients add.
  return keeps({ out: { ...inp, shape }, backward: [f[0] * f[1]], kernels: [] });
};

/** Per-axis (before, after) amounts of a padding or cropping config: n, [a, b] or [[t, b], [l, r]]. */
function margins(v: unknown, fallback: number): [number, number][] {
  if (typeof v === 'number') return [[v, v], [v, v]];
  if (Array.isArray(v) && v.length === 2) {
    return v.map((x): [number, number] =>
      typeof x === 'number' ? [x, x] : Array.isArray(x) && typeof x[0] === 'number' && typeof x[1] === 'number' ? [x[0], x[1]] : [fallback, fallback],
    );
  }
  return [[fallback, fallback], [fallback, fallback]];
}

function resize(inp: Signal, shape: number[], keptFraction: number): NodeResult {
  // Padding adds zeros (diluting the second moment); cropping drops elements (and their gradients).
  const ratio = size(inp.shape) / Math.max(size(shape), 1);
  const dilute = Math.min(ratio, 1);
  return {
    // The added zeros also pull each channel's mean toward 0.
    out: { shape, m: inp.m * dilute, p: inp.p * dilute, g: inp.g * dilute, pc: (inp.pc ?? inp.p) * dilute * dilute },
    backward: [keptFraction],
    kernels: [],
  };
}

const zeroPadding2d: Transfer = (ctx, [inp]) => {
  const pads = margins(ctx.cfg.value('padding'), 1);
  const shape = inp.shape.map((d, i) => (i < 2 ? d + pads[i][0] + pads[i][1] : d));
  return keeps(resize(inp, shape, 1));
};

const cropping2D: Transfer = (ctx, [inp]) => {
  const crops = margins(ctx.cfg.value('cropping'), 0);
  const shape = inp.shape.map((d, i) => (i < 2 ? Math.max(d - crops[i][0] - crops[i][1], 0) : d));
  return resize(inp, shape, size(shape) / Math.max(size(inp.shape), 1));
};

const rescaling: Transfer = (ctx, [inp]) => {
  const scale = ctx.cfg.number('scale', 1);
  const offset = ctx.cfg.number('offset', 0);
  const shift = 2 * scale * offset * inp.g + offset * offset;
  return keeps({
    out: { shape: inp.shape, m: scale * scale * inp.m + shift, p: scale * scale * inp.p + shift, g: scale * inp.g + offset },
    backward: [scale * scale],
    kernels: [],
  });
};

function activationLayer(pick: (ctx: LayerContext) => Activation): Transfer {
  return (ctx, [inp]) => {
    const act = pick(ctx);
    const r = applyActivation(act, inp, inp.shape, inp.shape[inp.shape.length - 1] ?? 1);
    const fn = activationFunction(act.name, act.params);
    if (fn) settle(r.out, tieThrough(inp, fn.f, fn.df, r.derivSecond), ctx.batch * size(inp.shape));
    const result: NodeResult = { out: r.out, backward: [r.derivSecond], backwardShared: [r.derivMeanSq], kernels: [], backwardFactor: r.derivSecond };
    return act.name === 'linear' ? keeps(result) : result;
  };
}

/**
 * Expected draws above θ below which a thresholdedReLU passes nothing: then a run sees none
 * with 99% probability (Poisson). Lower than the median's ln 2, because real inputs have
 * heavier tails than the Gaussian stand-in (held-out models: 265 of 291 within a decade, 261
 * at ln 2, 244 without this cut).
 */
const THRESHOLD_NONE_PASS = 0.01;

/**
 * thresholdedReLU keeps the entries above θ. When almost surely none of the batch gets there,
 * output and gradient are exactly 0 — not the far tail of the Gaussian expectation (10^-10 for
 * θ seven spreads out). A unit whose entries hardly vary over the batch is one draw, not one
 * per sample.
 */
const thresholdedReLU: Transfer = (ctx, inputs) => {
  const theta = ctx.cfg.number('theta', 1);
  const [inp] = inputs;
  // Behind a monotone activation the question goes to its Gaussian input.
  const source = inp.pre ?? { ...inp, activation: 'linear', params: {} };
  const unitVar = Math.max(source.p - source.g * source.g, 0);
  const batchVar = batchVariance(source);
  const batchShare = unitVar + batchVar > 0 ? batchVar / (unitVar + batchVar) : 0;
  const draws = size(inp.shape) * (1 + (ctx.batch - 1) * batchShare);
  const expected = draws * fractionAbove(source.activation, source.params, source.g, unitVar + batchVar, theta);
  if (expected < THRESHOLD_NONE_PASS) {
    ctx.assumptions.push(`about ${expected.toPrecision(2)} draws of the batch above θ = ${theta}: output and gradient taken as 0`);
    return { out: { shape: inp.shape, m: 0, p: 0, g: 0 }, backward: [0], backwardShared: [0], kernels: [], backwardFactor: 0 };
  }
  return activationLayer(() => ({ name: 'thresholdedReLU', params: { theta } }))(ctx, inputs);
};

const softmaxLayer: Transfer = (ctx, [inp]) => {
  // tfjs's Softmax layer defaults to axis 1 (counting the batch), not −1.
  const axis = axisOf(ctx.cfg.number('axis', 1), inp.shape.length);
  const r = applyActivation({ name: 'softmax', params: {} }, inp, inp.shape, inp.shape[axis] ?? 1);
  return { out: r.out, backward: [r.derivSecond], backwardShared: [r.derivMeanSq], kernels: [], backwardFactor: r.derivSecond };
};

/** An activation layer's own numeric settings (YOLO's leakyReLU alpha) parameterise its function. */
function withLayerParams(ctx: LayerContext, act: Activation): Activation {
  const alpha = ctx.cfg.value('alpha');
  return typeof alpha === 'number' ? { ...act, params: { ...act.params, alpha } } : act;
}

function preluActivation(ctx: LayerContext): Activation {
  const a = constantValue(ctx.cfg.value('alphaInitializer') ?? 'zeros');
  if (a === undefined) ctx.assumptions.push('prelu alpha initialiser not constant; assumed 0 (relu)');
  return { name: 'leakyReLU', params: { alpha: a ?? 0 } };
}

function reluLayer(ctx: LayerContext): Activation {
  const max = ctx.cfg.value('maxValue');
  return typeof max === 'number' ? { name: 'cappedRelu', params: { maxValue: max } } : { name: 'relu', params: {} };
}

/** timeDistributed: the wrapped layer applied at every step, as if the steps were more samples. */
const timeDistributed: Transfer = (ctx, [inp]) => {
  const inner = wrappedContext(ctx);
  if (!inner) return opaque(ctx, [inp]);
  const steps = inp.shape[0] ?? 1;
  const r = transferFor(inner.layer.kind)({ ...inner, batch: ctx.batch * steps }, [{ ...inp, shape: inp.shape.slice(1) }]);
  return { ...r, out: { ...r.out, shape: [steps, ...r.out.shape] } };
};

/** bidirectional: two copies of the recurrence; both directions' gradients reach the input. */
const bidirectional: Transfer = (ctx, [inp]) => {
  const inner = wrappedContext(ctx);
  if (!inner) return opaque(ctx, [inp]);
  const r = transferFor(inner.layer.kind)(inner, [inp]);
  const mode = ctx.cfg.string('mergeMode', 'concat');
  const kernels = (scale: number) => [...r.kernels, ...r.kernels].map((k) => ({ count: k.count, perDelta: k.perDelta * scale }));
  const out = r.out;
  // χ per time step is the recurrence's own: each direction runs the same one.
  const stepFactor = r.backwardFactor === undefined ? {} : { backwardFactor: r.backwardFactor };
  switch (mode) {
    case 'sum':
      return { out: { ...out, m: 2 * out.m }, backward: [2 * r.backward[0]], kernels: kernels(1), ...stepFactor };
    case 'ave':
      return { out: { ...out, m: out.m / 2 }, backward: [r.backward[0] / 2], kernels: kernels(1 / 4), ...stepFactor };
    case 'mul':
      return { out: { ...out, m: out.m * out.m }, backward: [2 * r.backward[0] * out.m], kernels: kernels(out.m), ...stepFactor };
    default: {
      const shape = [...out.shape];
      shape[shape.length - 1] *= 2;
      return { out: { ...out, shape }, backward: [2 * r.backward[0]], kernels: kernels(1), ...stepFactor };
    }
  }
};

function wrappedContext(ctx: LayerContext): LayerContext | undefined {
  const layer: Layer | undefined = ctx.layer.wrapped;
  if (!layer) {
    ctx.assumptions.push('wrapped layer unknown; treated as identity');
    return undefined;
  }
  return { ...ctx, layer, cfg: new ConfigReader(layer, ctx.assumptions) };
}

// YOLO-specific kinds (src/core/yaml/KINDS.md).

/** slice: a channel range of one tensor; the other channels get no gradient from it. */
const slice: Transfer = (ctx, [inp]) => {
  const channels = inp.shape[inp.shape.length - 1] ?? 1;
  const width = Math.min(ctx.cfg.count('size', channels), channels);
  return keeps({ out: { ...inp, shape: [...inp.shape.slice(0, -1), width] }, backward: [width / channels], kernels: [] });
};

/**
 * Softmax attention over n positions mixes the values: with logits of variance s² each output
 * is a weighted mean of about n·e^{-s²} values. Gradients reach the values with the same
 * weights; the part through the logits is neglected.
 */
function attentionMix(inp: Signal, positions: number, logitVar: number, valueChannels: number, channels: number, shape: number[]): NodeResult {
  const share = Math.min(Math.exp(Math.min(logitVar, 50)) / Math.max(positions, 1), 1);
  return {
    out: { shape, m: inp.p + batchVariance(inp) * share, p: inp.p, g: inp.g },
    backward: [(share * valueChannels) / channels],
    kernels: [],
  };
}

function attention(area: boolean, valuesOnly: boolean): Transfer {
  return (ctx, [inp]) => {
    const heads = ctx.cfg.count('numHeads', 1);
    const channels = inp.shape[inp.shape.length - 1] ?? 1;
    const keyDim = area ? channels / (3 * heads) : ctx.cfg.number('keyDim', 16);
    const headDim = area ? channels / (3 * heads) : ctx.cfg.number('headDim', 16);
    const valueChannels = heads * headDim;
    const shape = [...inp.shape.slice(0, -1), valueChannels];
    if (valuesOnly) return { out: { ...inp, shape }, backward: [valueChannels / channels], kernels: [] };
    const positions = size(inp.shape.slice(0, -1)) / (area ? Math.max(ctx.cfg.number('area', 1), 1) : 1);
    const scale = ctx.cfg.number('scale', 1 / Math.sqrt(keyDim));
    const logitVar = keyDim * inp.m * inp.m * scale * scale;
    return attentionMix(inp, positions, logitVar, valueChannels, channels, shape);
  };
}

/** x·γ with a per-channel γ initialised to initValue. */
const scaleLayer: Transfer = (ctx, [inp]) => {
  const gamma = ctx.cfg.number('initValue', 1);
  const pc = inp.pc === undefined ? undefined : inp.pc * gamma * gamma;
  return keeps(scaled({ ...inp, p: inp.p * gamma * gamma, g: inp.g * gamma, pc }, gamma * gamma, gamma * gamma));
};

/** resize [x, like]: x brought to like's height and width by nearest neighbours. */
const resizeLike: Transfer = (_ctx, [x, like]) => {
  const target = like ?? x;
  const shape = [...target.shape.slice(0, -1), x.shape[x.shape.length - 1] ?? 1];
  // Each input element is copied (or dropped) size(out)/size(in) times on average; copies' gradients add.
  return keeps({ out: { ...x, shape, pre: undefined }, backward: [size(shape) / Math.max(size(x.shape), 1), 0], kernels: [] });
};

/**
 * spaceToDepth / depthToSpace: the same values rearranged between positions and channels;
 * statistics and gradients are unchanged, only the shape moves.
 */
const blocksToChannels =
  (toChannels: boolean): Transfer =>
  (ctx, [inp]) => {
    const block = ctx.cfg.count('blockSize', 2);
    if (inp.shape.length !== 3) return passThrough(inp);
    const [h, w, c] = inp.shape;
    const shape = toChannels ? [Math.floor(h / block), Math.floor(w / block), c * block * block] : [h * block, w * block, Math.floor(c / (block * block))];
    return passThrough(inp, shape);
  };

const opaque: Transfer = (ctx, inputs) => {
  const what = ctx.layer.kind === 'opaque' ? 'custom layer' : `layer kind '${ctx.layer.kind}' not modelled`;
  ctx.assumptions.push(`${what}: assumed identity (statistics and gradient pass through unchanged)`);
  const r = passThrough(inputs[0]);
  return { ...r, backward: inputs.map(() => 1) };
};

const identity: Transfer = (_ctx, [inp]) => passThrough(inp);

const TRANSFERS: Record<string, Transfer> = {
  dense: (c, [x]) => dense(c, x),
  conv1d: (c, [x]) => conv(c, x, 1, false),
  conv2d: (c, [x]) => conv(c, x, 2, false),
  conv3d: (c, [x]) => conv(c, x, 3, false),
  conv2dTranspose: (c, [x]) => conv(c, x, 2, true),
  conv3dTranspose: (c, [x]) => conv(c, x, 3, true),
  depthwiseConv2d: (c, [x]) => depthwise(c, x),
  separableConv2d: (c, [x]) => separable(c, x),
  embedding: (c, [x]) => embedding(c, x),
  simpleRNN: (c, [x]) => simpleRnn(c, x),
  lstm: (c, [x]) => lstm(c, x),
  gru: (c, [x]) => gru(c, x),
  batchNormalization: batchNorm,
  layerNormalization: layerNorm,
  add,
  average,
  concatenate,
  multiply,
  maximum: extreme(1),
  minimum: extreme(-1),
  dot,
  dropout,
  spatialDropout1d: dropout,
  gaussianDropout: dropout,
  gaussianNoise,
  maxPooling1d: maxPool(1),
  maxPooling2d: maxPool(2),
  maxPooling3d: maxPool(3),
  averagePooling1d: avgPool(1),
  averagePooling2d: avgPool(2),
  averagePooling3d: avgPool(3),
  globalAveragePooling1d: globalPool('avg'),
  globalAveragePooling2d: globalPool('avg'),
  globalMaxPooling1d: globalPool('max'),
  globalMaxPooling2d: globalPool('max'),
  flatten,
  reshape,
  permute,
  repeatVector,
  upSampling2d: upSampling2d,
  zeroPadding2d,
  cropping2D,
  rescaling,
  activation: activationLayer((c) => withLayerParams(c, readActivation(c.cfg.value('activation'), c.assumptions))),
  leakyReLU: activationLayer((c) => ({ name: 'leakyReLU', params: { alpha: c.cfg.number('alpha', 0.3) } })),
  elu: activationLayer((c) => ({ name: 'elu', params: { alpha: c.cfg.number('alpha', 1) } })),
  thresholdedReLU,
  reLU: activationLayer(reluLayer),
  prelu: activationLayer(preluActivation),
  softmax: softmaxLayer,
  timeDistributed,
  bidirectional,
  slice,
  attention: attention(false, false),
  attentionValues: attention(false, true),
  areaAttention: attention(true, false),
  areaAttentionValues: attention(true, true),
  scale: scaleLayer,
  resize: resizeLike,
  spaceToDepth: blocksToChannels(true),
  depthToSpace: blocksToChannels(false),
  // Inference-time no-ops, or layers that keep the statistics by design.
  masking: identity,
  alphaDropout: identity,
};

const TRANSFER_MAP = new Map(Object.entries(TRANSFERS));

/** The transfer for a layer kind; tfjs's alias factory names (avgPool2d, ...) map to their layers. */
export function transferFor(kind: string): Transfer {
  const alias = TRANSFER_MAP.has(kind) ? kind : canonicalKind(kind);
  return (alias !== undefined ? TRANSFER_MAP.get(alias) : undefined) ?? opaque;
}
