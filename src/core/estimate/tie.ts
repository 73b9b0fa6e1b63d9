// Tensors that are functions, unit by unit, of an earlier tensor, and merges of such tensors.
// Behind identity kernels, activations, dropout and normalisation a branch f(x) is a function of
// x in each unit, so x + f(x) and x ⊙ f(x) are not sums and products of independent tensors:
// x + 0.76·x has second moment 1.76²·m, not (1 + 0.76²)·m, and x ⊙ relu(x) has
// E[x²·relu(x)²] = 3m²/2, not m²/2. Repeated over blocks, that decides between a signal that
// explodes and one that dies. Sums and products of such tensors are no Gaussians (products grow
// heavy tails): behind a merge, moments are taken over the chain's first tensor (the root),
// through the whole map from it.
import { charge } from '../budget';
import type { Signal } from './signal';

/** A map of one unit's value: writes f(x) and f'(x) into out[0], out[1]. */
export type UnitMap = (x: number, out: Float64Array) => void;

/** One layer of a chain: its input, its function of one unit, and what the graph's backward pass multiplies by. */
interface Step {
  input: Signal;
  f: (x: number) => number;
  df: (x: number) => number;
  /** The layer's backward multiplier of the squared gradient (its χ). */
  chi: number;
  /** A dropout mask's second moment (1 for a function): it scales the gradient's square as the values'. */
  mask: number;
}

export interface Tie {
  /** The chain's first tensor (no such function of another, as the model's input) and the map from it. */
  root: Signal;
  map: UnitMap;
  /** Layers since the root: chains longer than MAX_CHAIN end (bounded work per merge). */
  length: number;
  /** A tied merge lies between the root and this tensor: its values are no Gaussian's. */
  merged: boolean;
  /** The layers since the last merge (or the root): where a later merge's two paths back may split. */
  steps: Step[];
  /**
   * The part of the second moment the map does not hold: a dropout mask's noise, of mean zero
   * and independent of everything, as a merge right behind the mask sees it.
   */
  extra: number;
}

const MAX_CHAIN = 64;

const IDENTITY: UnitMap = (x, out) => {
  out[0] = x;
  out[1] = 1;
};

const fresh = (s: Signal): Tie => ({ root: s, map: IDENTITY, length: 0, merged: false, steps: [], extra: 0 });

/**
 * Remembers the last point: a merge's map evaluates both inputs' maps, which share the chain
 * before them, so without it the work would double with every merge.
 */
function remembered(map: UnitMap): UnitMap {
  let lastX = NaN;
  // Made on the first call: most maps are never evaluated (no tied merge follows).
  let last: Float64Array | undefined;
  return (x, out) => {
    last ??= new Float64Array(2);
    if (x !== lastX) {
      map(x, last);
      lastX = x;
    }
    out[0] = last[0];
    out[1] = last[1];
  };
}

function then(inner: UnitMap, f: (x: number) => number, df: (x: number) => number): UnitMap {
  return remembered((x, out) => {
    inner(x, out);
    const y = out[0];
    const dy = out[1];
    out[0] = f(y);
    out[1] = df(y) * dy;
  });
}

/**
 * φ applied unit by unit to `inp`, by a layer whose backward pass multiplies the squared
 * gradient by `chi`; undefined where the chain grew too long.
 */
export function tieThrough(inp: Signal, f: (x: number) => number, df: (x: number) => number, chi: number): Tie | undefined {
  // A mask's values are no function of the root (dropout zeroes some and doubles others): a map
  // of them starts again there. Only a merge right behind the mask still meets the root's map.
  const t = inp.tie && inp.tie.extra === 0 ? inp.tie : fresh(inp);
  if (t.length >= MAX_CHAIN) return undefined;
  const step: Step = { input: inp, f, df, chi, mask: 1 };
  return { root: t.root, map: then(t.map, f, df), length: t.length + 1, merged: t.merged, steps: [...t.steps, step], extra: 0 };
}

/** `inp` times a mask of mean 1 and second moment `gain` (inverted dropout): the map stays, the noise is extra. */
export function tieWithMask(inp: Signal, gain: number): Tie {
  const t = inp.tie ?? fresh(inp);
  const step: Step = { input: inp, f: (x) => x, df: () => 1, chi: gain, mask: gain };
  // Spelled out rather than spread: every dropout layer runs this.
  return { root: t.root, map: t.map, length: t.length, merged: t.merged, steps: [...t.steps, step], extra: t.extra + (gain - 1) * inp.m };
}

/** A merged tensor's tie scaled by `factor` (an average): still a function of the root, and where later paths split. */
export function scaledMerge(t: Tie, factor: number): Tie {
  return { ...t, map: then(t.map, (x) => factor * x, () => factor), steps: [], extra: t.extra * factor * factor };
}

const sameShape = (a: number[], b: number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Points per unit of z: the maps have kinks anywhere (relu6 after a normalisation), so Simpson, not Gauss–Hermite. */
const STEPS_PER_Z = 25;

/**
 * E[f(x)] for every component of f, x the root's values taken as Gaussian with its mean and
 * spread, up to the largest of the batch's `draws` values: heavy tails beyond what a batch draws
 * are not in its statistics.
 */
function overRoot(root: Signal, draws: number, length: number, size: number, f: (x: number, acc: Float64Array, weight: number) => void): Float64Array {
  const spread = Math.sqrt(Math.max(root.m - root.g * root.g, 0));
  const zMax = Math.sqrt(2 * Math.log(Math.max(draws, 2)));
  const n = 2 * Math.ceil(zMax * STEPS_PER_Z);
  // A unit of work per ten layers evaluated at a point.
  charge(Math.ceil(((n + 1) * (length + 1)) / 10));
  const h = (2 * zMax) / n;
  const acc = new Float64Array(size);
  let total = 0;
  for (let i = 0; i <= n; i++) {
    const z = -zMax + i * h;
    const w = (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp((-z * z) / 2);
    total += w;
    f(root.g + spread * z, acc, w);
  }
  return acc.map((v) => v / total);
}

/**
 * A layer's output that is a function of the root unit by unit behind a tied merge: its mean
 * and second moment are the map's over the root, not a Gaussian stand-in's for its input, which
 * misses the heavy tails of sums and products of correlated tensors. Along a plain chain from the
 * root the layers' own Gaussian moments, with their unit and batch structure, stay the account
 * (as calibrated). The share of the spread that lies between units stays as computed.
 */
export function settle(out: Signal, tie: Tie | undefined, draws: number): void {
  if (!tie) return;
  out.tie = tie;
  if (!tie.merged) return;
  const value = new Float64Array(2);
  const [mean, second] = overRoot(tie.root, draws, tie.length, 2, (x, acc, w) => {
    tie.map(x, value);
    acc[0] += w * value[0];
    acc[1] += w * value[0] * value[0];
  });
  const spread = Math.max(out.m - out.g * out.g, 0);
  const unitShare = spread > 0 ? Math.min(Math.max(out.p - out.g * out.g, 0) / spread, 1) : 0;
  const m = second + tie.extra;
  const newSpread = Math.max(m - mean * mean, 0);
  out.m = m;
  out.g = mean;
  out.p = mean * mean + unitShare * newSpread;
  if (out.pc !== undefined) out.pc = Math.min(out.pc, out.p);
  if (out.bv !== undefined) out.bv = (1 - unitShare) * newSpread;
}

/** The tensors a tie's steps pass through since the last merge, then the tensor itself. */
const pathOf = (s: Signal, t: Tie): Signal[] => [...t.steps.map((step) => step.input), s];

/** Applies steps to a value and its derivative in place. */
function run(steps: Step[], x: number, out: Float64Array): void {
  let y = x;
  let dy = 1;
  for (const step of steps) {
    dy *= step.df(y);
    y = step.f(y);
  }
  out[0] = y;
  out[1] = dy;
}

/** Moments of two inputs of a merge that are functions of one tensor. */
export interface TiedPair {
  /** E[a·b], E[a²·b²]. */
  cross: number;
  productSecond: number;
  /**
   * Where the two paths back split (the last tensor both chains pass through since the last
   * merge; absent when they meet only further back), and what the gradient reaching it through
   * both paths is beyond what the graph's backward pass gives them one by one (the products of
   * their layers' χ, as if independent), per squared output gradient: E[(a' + b')²] for a sum,
   * E[(a'b + ab')²] for a product, with a' the derivative along each unit's own chain (the χ's of
   * one unit's layers are correlated: a unit positive behind one selu stays positive behind the next).
   */
  split?: Signal;
  sumBackwardExcess: number;
  productBackwardExcess: number;
  /** The merged tensor's tie: a sum or product of the two maps from the root. */
  tie: (product: boolean) => Tie | undefined;
}

/**
 * When both inputs of a two-input merge are functions of one tensor unit by unit (one may be
 * that tensor), their joint moments over the root (see overRoot), a mask's extra taken as
 * independent noise. Each input is rescaled to its own second moment, so where the maps miss
 * something the inputs keep their size and only how they combine changes.
 */
export function tiedPair(a: Signal, b: Signal, draws: number): TiedPair | undefined {
  // Most merges join tensors of different roots: that is decided before anything is made.
  const root = a.tie?.root ?? a;
  if (root !== (b.tie?.root ?? b) || !sameShape(a.shape, b.shape) || !sameShape(a.shape, root.shape)) return undefined;
  const ta = a.tie ?? fresh(a);
  const tb = b.tie ?? fresh(b);
  // The two chains since the last merge share a first stretch; the last tensor of it is where they split.
  const [pa, pb] = [pathOf(a, ta), pathOf(b, tb)];
  let common = -1;
  while (common + 1 < Math.min(pa.length, pb.length) && pa[common + 1] === pb[common + 1]) common++;
  const split = common >= 0 ? pa[common] : undefined;
  const [stepsA, stepsB] = [ta.steps.slice(common), tb.steps.slice(common)];
  const toSplit = split?.tie?.map ?? IDENTITY;
  const va = new Float64Array(2);
  const vb = new Float64Array(2);
  const s = new Float64Array(2);
  const moments = overRoot(root, draws, 2 * Math.max(ta.length, tb.length), 8, (x, acc, w) => {
    ta.map(x, va);
    tb.map(x, vb);
    const [fa, fb] = [va[0], vb[0]];
    acc[0] += w * fa * fa;
    acc[1] += w * fb * fb;
    acc[2] += w * fa * fb;
    acc[3] += w * fa * fa * fb * fb;
    if (!split) return;
    toSplit(x, s);
    run(stepsA, s[0], va);
    run(stepsB, s[0], vb);
    acc[4] += w * va[1] * va[1];
    acc[5] += w * vb[1] * vb[1];
    acc[6] += w * va[1] * vb[1];
    acc[7] += w * (va[1] * vb[0] + va[0] * vb[1]) ** 2;
  });
  const [ea, eb, eab, eaabb, eDaDa, eDbDb, eDaDb, eProductBack] = moments;
  if (!(ea > 0 && eb > 0)) return undefined;
  const [xa, xb] = [ta.extra, tb.extra];
  // Each input's own size over its map's and extra's: 1 where they hold it all.
  const ra = a.m / (ea + xa);
  const rb = b.m / (eb + xb);
  const productSecond = eaabb + xa * eb + xb * ea + xa * xb;
  const merged = (product: boolean): Tie | undefined => {
    const length = Math.max(ta.length, tb.length) + 1;
    if (length > MAX_CHAIN) return undefined;
    const [ua, ub] = [new Float64Array(2), new Float64Array(2)];
    const map: UnitMap = (x, value) => {
      ta.map(x, ua);
      tb.map(x, ub);
      value[0] = product ? ua[0] * ub[0] : ua[0] + ub[0];
      value[1] = product ? ua[1] * ub[0] + ua[0] * ub[1] : ua[1] + ub[1];
    };
    const extra = product ? productSecond - eaabb : xa + xb;
    // The gradient's paths split again at the merged tensor: no steps since it.
    return { root, map: remembered(map), length, merged: true, steps: [], extra };
  };
  const product = (steps: Step[], f: (s: Step) => number): number => steps.reduce((acc, step) => acc * f(step), 1);
  const [chiA, chiB] = [product(stepsA, (x) => x.chi), product(stepsB, (x) => x.chi)];
  const [maskA, maskB] = [product(stepsA, (x) => x.mask), product(stepsB, (x) => x.mask)];
  return {
    cross: eab * Math.sqrt(ra * rb),
    productSecond: productSecond * ra * rb,
    split,
    sumBackwardExcess: eDaDa * maskA + eDbDb * maskB + 2 * eDaDb - chiA - chiB,
    productBackwardExcess: eProductBack * maskA * maskB - chiA * b.m - chiB * a.m,
    tie: merged,
  };
}
