// Applying an activation to tensor statistics, and the order statistics max pooling needs.
import type { Value } from '../graph';
import { activationMoments, canonicalActivation, normalCdf } from './activations';
import { FINE, gaussianExpectations } from './quadrature';
import { batchVariance, type Signal } from './signal';

export interface Activation {
  name: string;
  params: Record<string, number>;
}

/** Pre-activation (or any tensor's) statistics; `pc` and `bv` as in Signal. */
export interface Moments {
  m: number;
  p: number;
  g: number;
  pc?: number;
  bv?: number;
}

/** Below this share of m the batch variance is carried on its own (Signal.bv). */
const TINY_BATCH_SHARE = 1e-6;

const MONOTONE = new Set(['relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh', 'softsign', 'softplus', 'linear', 'leakyReLU', 'cappedRelu']);

/** An activation config value (string, null, {className, config}) as the estimate models it. */
export function readActivation(v: Value | undefined, assumptions: string[]): Activation {
  if (v === undefined || v === null) return { name: 'linear', params: {} };
  let id: string | undefined;
  let params: Record<string, number> = {};
  if (typeof v === 'string') id = v;
  else if (typeof v === 'object' && !Array.isArray(v)) {
    const raw = typeof v.className === 'string' ? v.className : typeof v.name === 'string' ? v.name : undefined;
    id = raw;
    const config = v.config && typeof v.config === 'object' && !Array.isArray(v.config) ? v.config : v;
    params = Object.fromEntries(Object.entries(config).filter((e): e is [string, number] => typeof e[1] === 'number'));
  }
  const name = id === undefined ? undefined : canonicalActivation(id);
  if (!name) {
    assumptions.push(`activation ${id === undefined ? 'unknown' : `'${id}' not modelled`}; assumed linear`);
    return { name: 'linear', params: {} };
  }
  return { name, params };
}

export interface ActivationResult {
  out: Signal;
  /** E[φ'(z)²]: the factor on the squared gradient through the activation. */
  derivSecond: number;
  /** E[φ'(z)]²: the factor on the batch-shared part of the gradient. */
  derivMeanSq: number;
  /** E[φ⁴]/E[φ²]² and E[φ'⁴]/E[φ'²]²: relative spread of one unit's square (Gaussian z: 3). */
  kurtosis: number;
  derivKurtosis: number;
}

/** φ applied elementwise to a tensor with the given statistics; `axisSize` is the softmax axis length. */
export function applyActivation(act: Activation, pre: Moments, shape: number[], axisSize: number): ActivationResult {
  if (act.name === 'linear') return { out: { shape, m: pre.m, p: pre.p, g: pre.g, pc: pre.pc, bv: pre.bv }, derivSecond: 1, derivMeanSq: 1, kurtosis: 3, derivKurtosis: 1 };
  const spread = Math.max(pre.m - pre.g * pre.g, 0);
  const n = Math.max(axisSize, 1);
  if (act.name === 'softmax') {
    const s = softmax(n, spread);
    return { out: { ...s.out, shape }, derivSecond: s.derivSecond, derivMeanSq: 0, kurtosis: 3, derivKurtosis: 1 };
  }
  if (act.name === 'logSoftmax') {
    const shift = Math.log(n) + spread / 2;
    return { out: { shape, m: spread + shift * shift, p: shift * shift, g: -shift }, derivSecond: 1, derivMeanSq: 1, kurtosis: 3, derivKurtosis: 1 };
  }
  const unitVar = Math.max(pre.p - pre.g * pre.g, 0);
  const batchVar = batchVariance(pre);
  const mo = activationMoments(act.name, act.params, pre.g, unitVar, batchVar);
  const out: Signal = { shape, m: mo.second, p: Math.min(mo.unitMeanSq, mo.second), g: mo.mean };
  // A batch spread this small maps through φ to first order: Var_batch φ(z) = E[φ'²] · Var_batch z.
  if (pre.bv !== undefined || batchVar < TINY_BATCH_SHARE * pre.m) out.bv = mo.derivSecond * batchVar;
  if (pre.pc !== undefined && pre.pc < pre.p) {
    // A channel's mean over batch and positions: the positions' own offsets count as spread.
    const channel = activationMoments(act.name, act.params, pre.g, Math.max(pre.pc - pre.g * pre.g, 0), Math.max(pre.m - pre.pc, 0));
    out.pc = Math.min(channel.unitMeanSq, out.p);
  }
  if (MONOTONE.has(act.name)) out.pre = { m: pre.m, p: pre.p, g: pre.g, pc: pre.pc, bv: pre.bv, activation: act.name, params: act.params };
  return {
    out,
    derivSecond: mo.derivSecond,
    derivMeanSq: mo.derivMean * mo.derivMean,
    kurtosis: ratio(mo.fourth, mo.second),
    derivKurtosis: ratio(mo.derivFourth, mo.derivSecond),
  };
}

/** E[x⁴]/E[x²]², 1 where there is no spread. */
const ratio = (fourth: number, second: number): number => (second > 0 ? fourth / (second * second) : 1);

/**
 * Softmax over n logits of variance v: s₁ = sigmoid(z₁ − ln R) with R = Σ_{j>1} e^{z_j}, and R
 * taken as lognormal with its exact mean and variance (Fenton–Wilkinson), so s₁ is a sigmoid of a
 * Gaussian. The Jacobian diag(s) − s sᵀ gives E[s²(1 − s)²], plus the same spread over the others.
 */
function softmax(n: number, v: number): { out: Signal; derivSecond: number } {
  if (n <= 1) return { out: { shape: [], m: 1, p: 1, g: 1 }, derivSecond: 0 };
  const spreadR = Math.log1p(Math.expm1(Math.min(v, 50)) / (n - 1));
  const matched = Math.log(n - 1) + v / 2 - spreadR / 2;
  // With widely spread logits R is its largest term, and e^{v/2} (the mean of e^z, carried by
  // draws n − 1 samples never make) overstates it: ln R ≤ max z + ln(n − 1) is then the tighter
  // bound, and ln R spreads like that maximum. Else the tails underflow the gradient to exactly 0.
  const max = maxOfNormals(n - 1);
  const bound = Math.sqrt(v) * max.mean + Math.log(n - 1);
  const [meanLogR, varLogR] = bound < matched ? [bound, v * Math.max(max.second - max.mean * max.mean, 0)] : [matched, spreadR];
  const mo = activationMoments('sigmoid', {}, -meanLogR, 0, v + varLogR);
  return { out: { shape: [], m: mo.second, p: 1 / (n * n), g: 1 / n }, derivSecond: (mo.derivSecond * n) / (n - 1) };
}

const maxima = new Map<number, { mean: number; second: number }>();

/** E[M] and E[M²] for M the largest of k independent standard normals (memoised: every softmax head and max pool asks). */
function maxOfNormals(k: number): { mean: number; second: number } {
  let known = maxima.get(k);
  if (!known) maxima.set(k, (known = maxOfNormalsAt(k)));
  return known;
}

function maxOfNormalsAt(k: number): { mean: number; second: number } {
  if (k <= 1) return { mean: 0, second: 1 };
  if (k > 512) {
    const a = Math.sqrt(2 * Math.log(k));
    const mean = a - (Math.log(Math.log(k)) + Math.log(4 * Math.PI)) / (2 * a);
    return { mean, second: mean * mean + 1 / (2 * Math.log(k)) };
  }
  const density = (x: number): number => k * normalCdf(x) ** (k - 1);
  const [mean, second] = gaussianExpectations(
    (x, out) => {
      out[0] = x * density(x);
      out[1] = x * x * density(x);
    },
    2,
    0,
    1,
    { ...FINE, nodes: 64 },
  );
  return { mean, second };
}

export interface MaxResult {
  out: Signal;
  /**
   * E[φ'²] at the selected (largest) elements over E[φ'²] at all of them: the gradient only
   * reaches the winners, which for relu are almost always active and for sigmoid more saturated.
   */
  derivRatio: number;
}

/**
 * The statistics of a max over k neighbouring elements of a tensor. Units keep their own mean;
 * the batch part is taken as Gaussian. A monotone activation commutes with the max, so when the
 * tensor is φ(z) the max is taken on z and φ applied after.
 */
export function maxOf(s: Signal, k: number, shape: number[]): MaxResult {
  const base: Moments = s.pre ?? s;
  const std = Math.sqrt(batchVariance(base));
  const mo = maxOfNormals(k);
  const shift = 2 * base.g * std * mo.mean + std * std * mo.mean * mo.mean;
  const shifted: Moments = {
    g: base.g + std * mo.mean,
    p: base.p + shift,
    m: base.p + 2 * base.g * std * mo.mean + std * std * mo.second,
  };
  // Channel means only mean something where positions remain.
  if (base.pc !== undefined && shape.length >= 2) shifted.pc = base.pc + shift;
  if (!s.pre) return { out: { shape, ...shifted }, derivRatio: 1 };
  const act = { name: s.pre.activation, params: s.pre.params };
  const winners = applyActivation(act, shifted, shape, 1);
  const all = applyActivation(act, base, shape, 1).derivSecond;
  return { out: winners.out, derivRatio: all > 0 ? winners.derivSecond / all : 1 };
}
