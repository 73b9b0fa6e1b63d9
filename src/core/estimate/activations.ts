// Activation functions and their Gaussian moments: E[φ(z)], E[φ(z)²], E[φ'(z)²] for
// z ~ N(mean, q), by Gauss–Hermite quadrature, memoised per (activation, mean, q).
import { gaussianExpectations } from './quadrature';

export interface ActivationFn {
  f: (x: number) => number;
  df: (x: number) => number;
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const softplus = (x: number): number => (x > 30 ? x : x < -30 ? Math.exp(x) : Math.log1p(Math.exp(x)));
const relu6 = (x: number): number => Math.min(Math.max(x, 0), 6);
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** erf with |error| < 1.5e-7 (Abramowitz & Stegun 7.1.26). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}
export const normalCdf = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));

/**
 * P(Z > x) for Z ~ N(0, 1), accurate in the far tail too (where 1 − Φ(x) cancels to noise):
 * the Chebyshev fit of erfc with fractional error below 1.2e-7 (Numerical Recipes, erfcc).
 */
export function normalTail(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const upper = 0.5 * t * Math.exp(-z * z + poly);
  return x >= 0 ? upper : 1 - upper;
}
const normalPdf = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);

const GELU_C = Math.sqrt(2 / Math.PI);

function fixed(f: (x: number) => number, df: (x: number) => number): ActivationFn {
  return { f, df };
}

/** The tfjs activations, keyed by their identifiers, plus YOLO's silu / hardswish and the advanced-activation layers. */
const ACTIVATIONS: Record<string, (p: Record<string, number>) => ActivationFn> = {
  linear: () => fixed((x) => x, () => 1),
  relu: () => fixed((x) => Math.max(x, 0), (x) => (x > 0 ? 1 : 0)),
  relu6: () => fixed(relu6, (x) => (x > 0 && x < 6 ? 1 : 0)),
  elu: (p) => {
    const a = p.alpha ?? 1;
    return fixed((x) => (x > 0 ? x : a * Math.expm1(x)), (x) => (x > 0 ? 1 : a * Math.exp(x)));
  },
  selu: () =>
    fixed(
      (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
      (x) => SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
    ),
  sigmoid: () => fixed(sigmoid, (x) => sigmoid(x) * (1 - sigmoid(x))),
  // tfjs: clip(0.2 x + 0.5, 0, 1).
  hardSigmoid: () => fixed((x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1), (x) => (Math.abs(x) < 2.5 ? 0.2 : 0)),
  tanh: () => fixed(Math.tanh, (x) => 1 - Math.tanh(x) ** 2),
  softsign: () => fixed((x) => x / (1 + Math.abs(x)), (x) => 1 / (1 + Math.abs(x)) ** 2),
  softplus: () => fixed(softplus, sigmoid),
  swish: () => fixed((x) => x * sigmoid(x), (x) => sigmoid(x) * (1 + x * (1 - sigmoid(x)))),
  mish: () =>
    fixed(
      (x) => x * Math.tanh(softplus(x)),
      (x) => {
        const t = Math.tanh(softplus(x));
        return t + x * (1 - t * t) * sigmoid(x);
      },
    ),
  gelu: () => fixed((x) => x * normalCdf(x), (x) => normalCdf(x) + x * normalPdf(x)),
  gelu_new: () =>
    fixed(
      (x) => 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x ** 3))),
      (x) => {
        const t = Math.tanh(GELU_C * (x + 0.044715 * x ** 3));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x);
      },
    ),
  hardSwish: () => fixed((x) => (x * relu6(x + 3)) / 6, (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6)),
  leakyReLU: (p) => {
    const a = p.alpha ?? 0.3;
    return fixed((x) => (x > 0 ? x : a * x), (x) => (x > 0 ? 1 : a));
  },
  thresholdedReLU: (p) => {
    const t = p.theta ?? 1;
    return fixed((x) => (x > t ? x : 0), (x) => (x > t ? 1 : 0));
  },
  // reLU layer with maxValue.
  cappedRelu: (p) => {
    const c = p.maxValue ?? Infinity;
    return fixed((x) => Math.min(Math.max(x, 0), c), (x) => (x > 0 && x < c ? 1 : 0));
  },
};

const ALIASES: Record<string, string> = {
  silu: 'swish',
  hardswish: 'hardSwish',
  hard_sigmoid: 'hardSigmoid',
  hardsigmoid: 'hardSigmoid',
  gelunew: 'gelu_new',
  leakyrelu: 'leakyReLU',
  gelu_tanh: 'gelu_new',
};

/** The canonical name of an activation identifier, or undefined when it is not one we model. */
export function canonicalActivation(name: string): string | undefined {
  if (Object.hasOwn(ACTIVATIONS, name) || name === 'softmax' || name === 'logSoftmax') return name;
  // Own keys only: a name like 'constructor' must not find Object.prototype's.
  const alias = (Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined) ?? (Object.hasOwn(ALIASES, name.toLowerCase()) ? ALIASES[name.toLowerCase()] : undefined);
  if (alias) return alias;
  const ci = Object.keys(ACTIVATIONS).find((k) => k.toLowerCase() === name.toLowerCase());
  return ci;
}

export interface ActivationMoments {
  /** E[φ(z)] */
  mean: number;
  /** E[φ(z)²] */
  second: number;
  /** E[φ'(z)²] */
  derivSecond: number;
  /** E[φ'(z)]: what a gradient component shared by the whole batch keeps. */
  derivMean: number;
  /** E[φ(z)⁴] and E[φ'(z)⁴]: how much a finite layer's squared norm fluctuates. */
  fourth: number;
  derivFourth: number;
  /** E_c[(E_ξ φ(c + sξ))²]: the squared per-unit mean when units have their own offsets c (Mehler's formula). */
  unitMeanSq: number;
}

const HERMITE_TERMS = 24;
const ROOTS = Array.from({ length: HERMITE_TERMS + 2 }, (_, k) => Math.sqrt(k));

/**
 * E[φ(u)φ(w)] for (u, w) jointly Gaussian with correlation ρ (Mehler): Σ_k a_k² ρ^k over φ's
 * Hermite coefficients a_k. What the first terms leave of E[φ²] (Parseval) is added at ρ^{K+1}.
 */
function correlated(coefficients: number[], second: number, rho: number): number {
  let sum = 0;
  let captured = 0;
  let power = 1;
  for (const a of coefficients) {
    sum += a * a * power;
    captured += a * a;
    power *= rho;
  }
  return sum + Math.max(second - captured, 0) * power;
}

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
/** Which 32-bit half of a float64 holds its sign, exponent and top mantissa bits. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * A number's bucket of relative width 2⁻¹² (about four significant digits), as a 24-bit code:
 * the float's sign, exponent and top 12 mantissa bits. Similar layers share one quadrature,
 * and the error stays far below the estimate's. Bit reads, as this runs for every layer.
 */
function roundCode(x: number): number {
  float[0] = x;
  return words[HIGH_WORD] >>> 8;
}

/**
 * The value a bucket's moments are computed at: x with only the bits roundCode keeps (0, 1,
 * 0.5 stay exact). Computing at the first member met instead would make a result depend on
 * which files were linted before.
 */
function bucketValue(x: number): number {
  float[0] = x;
  words[HIGH_WORD] &= 0xffffff00;
  words[1 - HIGH_WORD] = 0;
  return float[0];
}

/** Most activations have no parameters; this runs on every layer and recurrent step, so no JSON. */
function paramsKey(name: string, params: Record<string, number>): string {
  let key = name;
  for (const k in params) key += `|${k}=${params[k]}`;
  return key;
}

/**
 * Memo per activation, then per (mean, unit variance) and batch variance: number-keyed maps,
 * as this lookup runs for every layer and recurrent step. Codes are below 2²⁴.
 */
const memo = new Map<string, Map<number, Map<number, ActivationMoments>>>();

function memoSlot(name: string, params: Record<string, number>, mean: number, unitVar: number): Map<number, ActivationMoments> {
  const activation = paramsKey(name, params);
  let byActivation = memo.get(activation);
  if (!byActivation) memo.set(activation, (byActivation = new Map()));
  const key = roundCode(mean) * 2 ** 24 + roundCode(unitVar);
  let slot = byActivation.get(key);
  if (!slot) byActivation.set(key, (slot = new Map()));
  return slot;
}

/**
 * Moments of φ(z) for z = mean + c + s·ξ: c ~ N(0, unitVar) differs per unit (fixed over
 * the batch), ξ ~ N(0, 1) varies over the batch with s² = batchVar.
 */
export function activationMoments(
  name: string,
  params: Record<string, number>,
  mean: number,
  unitVar: number,
  batchVar: number,
): ActivationMoments {
  const slot = memoSlot(name, params, mean, unitVar);
  const key = roundCode(batchVar);
  const hit = slot.get(key);
  if (hit) return hit;
  mean = bucketValue(mean);
  unitVar = bucketValue(unitVar);
  batchVar = bucketValue(batchVar);
  const act = ACTIVATIONS[name](params);
  const std = Math.sqrt(Math.max(unitVar + batchVar, 0));
  // One pass: the moments, and (when units differ) φ's coefficients on the normalised Hermite polynomials h_k(z).
  const rho = std > 0 ? Math.min(Math.max(unitVar, 0) / (std * std), 1) : 0;
  const terms = rho > 1e-9 ? HERMITE_TERMS + 1 : 0;
  const values = gaussianExpectations(
    (x, out) => {
      const y = act.f(x);
      const d = act.df(x);
      out[0] = y;
      out[1] = y * y;
      out[2] = d;
      out[3] = d * d;
      out[4] = y ** 4;
      out[5] = d ** 4;
      const z = std > 0 ? (x - mean) / std : 0;
      let prev = 0;
      let h = 1;
      for (let k = 0; k < terms; k++) {
        out[6 + k] = y * h;
        const next = (z * h - ROOTS[k] * prev) / ROOTS[k + 1];
        prev = h;
        h = next;
      }
    },
    6 + terms,
    mean,
    std,
  );
  const [first, second, derivMean, derivSecond, fourth, derivFourth] = values;
  const unitMeanSq = terms > 0 ? correlated(Array.from(values.subarray(6)), second, rho) : first * first;
  const result = { mean: first, second, derivSecond, derivMean, fourth, derivFourth, unitMeanSq };
  slot.set(key, result);
  return result;
}

/**
 * Where a non-decreasing φ first exceeds θ: +∞ when it never does (it levels off at or below
 * θ, as a sigmoid at 1), −∞ when it always does. Brackets by doubling, then bisects.
 */
function crossing(f: (x: number) => number, theta: number): number {
  let hi = 1;
  while (!(f(hi) > theta)) {
    if (f(2 * hi) === f(hi) || hi > 1e300) return Infinity;
    hi *= 2;
  }
  let lo = -1;
  while (f(lo) > theta) {
    if (f(2 * lo) === f(lo) || lo < -1e300) return -Infinity;
    lo *= 2;
  }
  for (let i = 0; i < 100 && hi - lo > 1e-12 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > theta) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * P(φ(z) > θ) for z ~ N(mean, variance) and a non-decreasing φ: φ(z) > θ exactly where z is
 * above the point where φ crosses θ. 0 where φ never exceeds θ, as a sigmoid never exceeds 1,
 * where a Gaussian stand-in for φ(z) would put a tail.
 */
export function fractionAbove(name: string, params: Record<string, number>, mean: number, variance: number, theta: number): number {
  const c = crossing(ACTIVATIONS[name](params).f, theta);
  const sd = Math.sqrt(Math.max(variance, 0));
  if (sd === 0 || !Number.isFinite(c)) return mean > c ? 1 : 0;
  return normalTail((c - mean) / sd);
}

/** The function and derivative of a modelled activation (not softmax or logSoftmax, which act across units). */
export function activationFunction(name: string, params: Record<string, number>): ActivationFn | undefined {
  return Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name](params) : undefined;
}

/** Whether the activation is modelled (softmax and logSoftmax are handled by the caller). */
export function isModelledActivation(name: string): boolean {
  return Object.hasOwn(ACTIVATIONS, name);
}
