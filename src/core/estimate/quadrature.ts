// Expectations under a normal distribution. Gauss–Hermite quadrature for narrow ones:
// E[f(Z)] ≈ Σ weights[i] · f(nodes[i]), Z ~ N(0, 1).
// Nodes are the roots of the n-th Hermite function, found by scanning for sign changes and
// polishing with Newton's method; the orthonormal recurrence keeps every value finite.

export interface Quadrature {
  nodes: number[];
  weights: number[];
}

/** Orthonormal Hermite functions ψ_{n-1}(x), ψ_n(x) (physicists' convention). */
function hermiteFunctions(n: number, x: number): [number, number] {
  let prev = 0;
  let cur = Math.PI ** -0.25 * Math.exp((-x * x) / 2);
  for (let k = 0; k < n; k++) {
    const next = Math.sqrt(2 / (k + 1)) * x * cur - Math.sqrt(k / (k + 1)) * prev;
    prev = cur;
    cur = next;
  }
  return [prev, cur];
}

function polishRoot(n: number, lo: number, hi: number): number {
  // Bisection to a narrow bracket, then Newton steps on ψ_n (ψ_n' = √(2n) ψ_{n-1} − x ψ_n).
  let a = lo;
  let b = hi;
  const fa = hermiteFunctions(n, a)[1];
  for (let i = 0; i < 30; i++) {
    const mid = (a + b) / 2;
    if (Math.sign(hermiteFunctions(n, mid)[1]) === Math.sign(fa)) a = mid;
    else b = mid;
  }
  let x = (a + b) / 2;
  for (let i = 0; i < 3; i++) {
    const [pm1, p] = hermiteFunctions(n, x);
    const dp = Math.sqrt(2 * n) * pm1 - x * p;
    if (dp === 0) break;
    x -= p / dp;
  }
  return x;
}

const cache = new Map<number, Quadrature>();

/** n-point rule for the standard normal (probabilists' weight). */
export function gaussHermite(n: number): Quadrature {
  const hit = cache.get(n);
  if (hit) return hit;
  const limit = Math.sqrt(2 * n + 1) + 0.5;
  // Neighbouring roots are at least ~π/√(2n+1) apart: a step of a tenth of that brackets each one.
  const step = Math.PI / Math.sqrt(2 * n + 1) / 10;
  const roots: number[] = [];
  let x0 = -limit;
  let f0 = hermiteFunctions(n, x0)[1];
  for (let x1 = x0 + step; x1 <= limit + step; x1 += step) {
    const f1 = hermiteFunctions(n, x1)[1];
    if (f1 === 0 || Math.sign(f1) !== Math.sign(f0)) roots.push(f1 === 0 ? x1 : polishRoot(n, x0, x1));
    x0 = x1;
    f0 = f1 === 0 ? hermiteFunctions(n, x1 + step / 2)[1] : f1;
  }
  if (roots.length !== n) throw new Error(`Gauss–Hermite: found ${roots.length} of ${n} roots`);
  // Physicists' weight w = e^{-x²} / (n ψ_{n-1}(x)²); change of variable z = √2 x, divided by √π.
  const nodes = roots.map((r) => Math.SQRT2 * r);
  const weights = roots.map((r) => {
    const pm1 = hermiteFunctions(n, r)[0];
    return Math.exp(-r * r) / (n * pm1 * pm1) / Math.sqrt(Math.PI);
  });
  const rule = { nodes, weights };
  cache.set(n, rule);
  return rule;
}

/**
 * Activations change shape within |x| ≲ 12 (sigmoid's knee, relu6's cap, hardSigmoid's
 * clip); outside they are smooth. Gauss–Hermite with a wide Gaussian samples that region
 * too coarsely (sigmoid' at q = 100 comes out 2.5× too small), so wide Gaussians are
 * integrated by composite Simpson: fine steps in x across the features, coarse outside.
 */
const WIDE_STD = 1.5;
const FEATURE_LIMIT = 12;
const Z_LIMIT = 9;

/** Writes the integrand's components at x into `out` (no allocation in the hot loop). */
export type VectorIntegrand = (x: number, out: Float64Array) => void;

/** Composite Simpson over z of f(mean + std·z)·N(z), added into `acc`. */
function simpson(f: VectorIntegrand, mean: number, std: number, a: number, b: number, step: number, acc: Float64Array, buf: Float64Array): void {
  if (b <= a) return;
  const n = 2 * Math.max(1, Math.ceil((b - a) / step / 2));
  const h = (b - a) / n;
  // Endpoints nudged inside the panel: at a kink the panel's own one-sided limit counts.
  const nudge = 1e-9 * (b - a);
  const add = (z: number, w: number): void => {
    f(mean + std * z, buf);
    const scale = (w * h * Math.exp((-z * z) / 2)) / (3 * Math.sqrt(2 * Math.PI));
    for (let j = 0; j < acc.length; j++) acc[j] += scale * buf[j];
  };
  add(a + nudge, 1);
  add(b - nudge, 1);
  for (let i = 1; i < n; i++) add(a + i * h, i % 2 ? 4 : 2);
}

function wideExpectations(f: VectorIntegrand, size: number, mean: number, std: number, xStep: number, coarse: number): Float64Array {
  const acc = new Float64Array(size);
  const buf = new Float64Array(size);
  const lo = Math.max(-Z_LIMIT, (-FEATURE_LIMIT - mean) / std);
  const hi = Math.min(Z_LIMIT, (FEATURE_LIMIT - mean) / std);
  if (hi <= lo) {
    simpson(f, mean, std, -Z_LIMIT, Z_LIMIT, coarse, acc, buf);
    return acc;
  }
  // Most kinks sit at x = 0 (relu, elu, leaky relu): make it a panel edge.
  const zero = Math.min(Math.max(-mean / std, lo), hi);
  const fine = xStep / std;
  simpson(f, mean, std, -Z_LIMIT, lo, coarse, acc, buf);
  simpson(f, mean, std, lo, zero, fine, acc, buf);
  simpson(f, mean, std, zero, hi, fine, acc, buf);
  simpson(f, mean, std, hi, Z_LIMIT, coarse, acc, buf);
  return acc;
}

export interface Resolution {
  /** Gauss–Hermite nodes for narrow Gaussians. */
  nodes: number;
  /** Simpson steps for wide ones: in x across the activations' features, in z outside them. */
  xStep: number;
  zStep: number;
}

export const FINE: Resolution = { nodes: 48, xStep: 0.1, zStep: 0.1 };

/** E[f(μ + σZ)] for every component of a vector-valued f, Z ~ N(0, 1). */
export function gaussianExpectations(f: VectorIntegrand, size: number, mean: number, std: number, resolution: Resolution = FINE): Float64Array {
  if (std > WIDE_STD) return wideExpectations(f, size, mean, std, resolution.xStep, resolution.zStep);
  const { nodes, weights } = gaussHermite(resolution.nodes);
  const acc = new Float64Array(size);
  const buf = new Float64Array(size);
  for (let i = 0; i < nodes.length; i++) {
    f(mean + std * nodes[i], buf);
    for (let j = 0; j < size; j++) acc[j] += weights[i] * buf[j];
  }
  return acc;
}

/** E[f(μ + σZ)], Z ~ N(0, 1). */
export function gaussianExpectation(f: (x: number) => number, mean: number, std: number, resolution: Resolution = FINE): number {
  return gaussianExpectations((x, out) => {
    out[0] = f(x);
  }, 1, mean, std, resolution)[0];
}
