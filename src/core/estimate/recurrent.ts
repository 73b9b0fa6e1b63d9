// simpleRNN, LSTM and GRU unrolled over the sequence: moments forward step by step, the squared
// gradient backward through time (the recurrent kernel multiplies it once per step; LSTM's cell
// and GRU's update gate add the paths that carry it unchanged).
import { charge } from '../budget';
import { activationMoments } from './activations';
import { weightStats, constantValue, type WeightStats } from './initializers';
import { readActivation, type Activation } from './nonlinear';
import type { KernelTerm, LayerContext, NodeResult, StateOutput } from './transfer';
import type { Signal } from './signal';

interface Gate {
  /** E[a] of the gate output. */
  mean: number;
  /** E[a²] of the gate output. */
  second: number;
  /** Mean over units of the squared per-unit mean: the part the same at every step and sample. */
  unitMeanSq: number;
  /** E[a'(z)²]. */
  deriv: number;
}

/**
 * A gate's moments from its weighted inputs: `q` the E[z²] that varies over samples and steps,
 * `unitQ` the part fixed per unit (a unit's share of the input's and state's means), plus its bias.
 */
function gate(act: Activation, b: Bias, q: number, unitQ = 0): Gate {
  const unitVar = Math.max(unitQ, 0) + b.spread;
  const batchVar = Math.max(q, 0);
  if (act.name === 'linear') return { mean: b.shift, second: batchVar + unitVar + b.shift * b.shift, unitMeanSq: unitVar + b.shift * b.shift, deriv: 1 };
  const mo = activationMoments(act.name, act.params, b.shift, unitVar, batchVar);
  return { mean: mo.mean, second: mo.second, unitMeanSq: mo.unitMeanSq, deriv: mo.derivSecond };
}

/**
 * The recurrence has reached its fixed point (to a millionth, far below the estimate's own
 * error): every later step repeats this one, so long sequences need no more quadratures.
 */
function settled(xs: number[], t: number): boolean {
  return t >= 2 && Math.abs(xs[t - 1] - xs[t - 2]) <= 1e-6 * Math.abs(xs[t - 1]);
}

/**
 * Time steps unrolled at most. The recurrence settles long before (see `settled`); what the
 * gradient does over more steps is what it does over these, and the work stays bounded.
 */
export const MAX_STEPS_UNROLLED = 100_000;

interface RecurrentSetup {
  /** Steps unrolled: the sequence length, at most MAX_STEPS_UNROLLED. */
  steps: number;
  /** The sequence length, for the output shape. */
  length: number;
  features: number;
  units: number;
  w: WeightStats;
  u: WeightStats;
  act: Activation;
  recAct: Activation;
  returnSequences: boolean;
  kernelCount: number;
  recurrentCount: number;
}

function setup(ctx: LayerContext, inp: Signal, gates: number): RecurrentSetup {
  let shape = inp.shape;
  if (shape.length !== 2) {
    shape = [shape.length > 2 ? shape[0] : 16, shape[shape.length - 1] ?? 16];
    ctx.assumptions.push(`recurrent input should be [time, features]; assumed [${shape.join(', ')}]`);
  }
  const [length, features] = shape;
  const steps = Math.min(length, MAX_STEPS_UNROLLED);
  if (steps < length) ctx.assumptions.push(`a sequence of ${length} steps is estimated over its last ${steps}`);
  // Forward once and backward once per way the gradient arrives (at most three).
  charge(4 * steps);
  const units = ctx.cfg.count('units', 16);
  const kernelShape = [features, gates * units];
  const recurrentShape = [units, gates * units];
  const w = weightStats(ctx.cfg.value('kernelInitializer'), kernelShape, 'glorotNormal');
  const u = weightStats(ctx.cfg.value('recurrentInitializer'), recurrentShape, 'orthogonal');
  for (const s of [w, u]) if (s.assumption) ctx.assumptions.push(s.assumption);
  return {
    steps,
    length,
    features,
    units,
    w,
    u,
    act: readActivation(ctx.cfg.value('activation') ?? 'tanh', ctx.assumptions),
    recAct: readActivation(ctx.cfg.value('recurrentActivation') ?? 'hardSigmoid', ctx.assumptions),
    returnSequences: ctx.cfg.bool('returnSequences', false),
    kernelCount: features * gates * units,
    recurrentCount: units * gates * units,
  };
}

interface Bias {
  /** The value of a constant bias, else 0. */
  shift: number;
  /** E[b²] of a random bias (PyTorch's U(±1/√hidden)), else 0: it widens every gate's pre-activation. */
  spread: number;
}

const NO_BIAS: Bias = { shift: 0, spread: 0 };

function bias(ctx: LayerContext, units: number): Bias {
  if (!ctx.cfg.bool('useBias', true)) return NO_BIAS;
  const spec = ctx.cfg.value('biasInitializer') ?? 'zeros';
  const shift = constantValue(spec);
  if (shift !== undefined) return { shift, spread: 0 };
  const stats = weightStats(spec, [units], 'zeros');
  if (stats.assumption) ctx.assumptions.push(`bias: ${stats.assumption}`);
  return { shift: 0, spread: stats.secondMoment };
}

/** States whose per-unit part is not followed (taken as none). */
const withoutMeans = (m: number[]): States => ({ m, p: m.map(() => 0) });

/** Second moments of a recurrence's states, step by step (index 0: the initial state). */
interface States {
  /** E[h²] (for an LSTM, also E[c²] in `cell`). */
  m: number[];
  /** The per-unit part of it (Signal's p): what every step and sample share. */
  p: number[];
}

/** Shape and second moments of the output this node takes (the sequence, the last state, or a returned state). */
function output(ctx: LayerContext, s: RecurrentSetup, hs: States, cell?: States): Signal {
  const index = ctx.outputIndex ?? 0;
  const last = (xs: number[]) => xs[xs.length - 1];
  if (index > 0) {
    const states = index === 2 && cell ? cell : hs;
    return { shape: [s.units], m: last(states.m), p: last(states.p), g: 0 };
  }
  const mean = (xs: number[]) => (s.returnSequences ? xs.slice(1).reduce((a, b) => a + b, 0) / s.steps : last(xs));
  return { shape: s.returnSequences ? [s.length, s.units] : [s.units], m: mean(hs.m), p: mean(hs.p), g: 0 };
}

interface Unrolled {
  /** E[δ_x²] summed over steps, per unit E[δ_out²]. */
  inputDelta: number;
  kernel: number;
  recurrent: number;
  /** Geometric mean of the per-step factor on the state gradient. */
  stepFactor: number;
  /** E[δ²] reaching the initial state h₀ (and c₀ for LSTM), per unit E[δ_out²]. */
  initial: number[];
}

/** Where the gradient enters the unrolled recurrence at step t (1-based): the hidden state, or the LSTM cell. */
interface Arrival {
  h: (t: number) => number;
  c: (t: number) => number;
}

/** The backward pass through the unrolled steps for one way the gradient arrives. */
type Backward = (arrival: Arrival) => Unrolled;

function zeroAt(): number {
  return 0;
}

function lastStep(s: RecurrentSetup): (t: number) => number {
  return (t) => (t === s.steps ? 1 : 0);
}

/** Gradient arriving from the node's own output: every step of a sequence, else the last h (or c, output 2 of an LSTM). */
function outputArrival(ctx: LayerContext, s: RecurrentSetup, hasCell: boolean): Arrival {
  const index = ctx.outputIndex ?? 0;
  if (index === 2 && hasCell) return { h: zeroAt, c: lastStep(s) };
  if (index > 0 || !s.returnSequences) return { h: lastStep(s), c: zeroAt };
  return { h: () => 1, c: zeroAt };
}

function kernelTerms(ctx: LayerContext, s: RecurrentSetup, r: Unrolled): KernelTerm[] {
  return [
    { count: s.kernelCount, perDelta: ctx.batch * r.kernel },
    { count: s.recurrentCount, perDelta: ctx.batch * r.recurrent },
  ];
}

/** Multipliers for the sequence input, then each initial state the node was given. */
function backwardList(ctx: LayerContext, s: RecurrentSetup, r: Unrolled): number[] {
  return [r.inputDelta / s.steps, ...(ctx.initialState ?? []).map((_, k) => r.initial[k] ?? 0)];
}

/**
 * The node's own output (by outputIndex), plus the returned states h_T (and c_T) that a
 * consumer may take by index (`const [, h, c] = lstm.apply(x)`): a gradient reaching them
 * enters the recurrence at the last step and, like any other, flows back to the inputs.
 */
function finish(ctx: LayerContext, s: RecurrentSetup, hs: States, back: Backward, cell?: States): NodeResult {
  const r = back(outputArrival(ctx, s, cell !== undefined));
  const state = (arrival: Arrival, of: States): StateOutput => {
    const u = back(arrival);
    return { out: { shape: [s.units], m: of.m[of.m.length - 1], p: of.p[of.p.length - 1], g: 0 }, backward: backwardList(ctx, s, u), kernels: kernelTerms(ctx, s, u) };
  };
  const result: NodeResult = { out: output(ctx, s, hs, cell), backward: backwardList(ctx, s, r), kernels: kernelTerms(ctx, s, r), backwardFactor: r.stepFactor };
  // tfjs returns the states only with returnState.
  if (!ctx.cfg.bool('returnState', false)) return result;
  const states: StateOutput[] = [state({ h: lastStep(s), c: zeroAt }, hs)];
  if (cell) states.push(state({ h: zeroAt, c: lastStep(s) }, cell));
  return { ...result, stateOutputs: [undefined, ...states] };
}

/** Second moments of the initial states a node was given (`initialState: [h, c]`), else zeros. */
function initialMoments(ctx: LayerContext): number[] {
  return [ctx.initialState?.[0]?.m ?? 0, ctx.initialState?.[1]?.m ?? 0];
}

export function simpleRnn(ctx: LayerContext, inp: Signal): NodeResult {
  const s = setup(ctx, inp, 1);
  const b = bias(ctx, s.units);
  const hs = [initialMoments(ctx)[0]];
  const derivs: number[] = [];
  for (let t = 1; t <= s.steps; t++) {
    if (settled(hs, t)) {
      hs.push(hs[t - 1]);
      derivs.push(derivs[t - 2]);
      continue;
    }
    const q = s.features * s.w.secondMoment * inp.m + s.units * s.u.secondMoment * hs[t - 1];
    const a = gate(s.act, b, q);
    hs.push(a.second);
    derivs.push(a.deriv);
  }
  const back: Backward = (arrival) => {
    let dh = 0;
    const r: Unrolled = { inputDelta: 0, kernel: 0, recurrent: 0, stepFactor: 0, initial: [] };
    let logFactor = 0;
    for (let t = s.steps; t >= 1; t--) {
      dh += arrival.h(t);
      const dz = derivs[t - 1] * dh;
      r.inputDelta += s.units * s.w.secondMoment * dz;
      r.kernel += inp.m * dz;
      r.recurrent += hs[t - 1] * dz;
      const step = s.units * s.u.secondMoment * derivs[t - 1];
      logFactor += Math.log(Math.max(step, 1e-300));
      dh = step * dh;
    }
    r.stepFactor = Math.exp(logFactor / s.steps);
    r.initial = [dh];
    return r;
  };
  return finish(ctx, s, withoutMeans(hs), back);
}

export function lstm(ctx: LayerContext, inp: Signal): NodeResult {
  const s = setup(ctx, inp, 4);
  const b = bias(ctx, s.units);
  const forgetBias: Bias = { ...b, shift: b.shift + (ctx.cfg.bool('unitForgetBias', false) ? 1 : 0) };
  const [h0, c0] = initialMoments(ctx);
  const hs = [h0];
  const cs = [c0];
  // The per-unit parts: a unit's bias is the same at every step, so its share of the cell adds
  // up over the steps (c̄ = f̄ c̄ + ī ḡ) instead of fading as the varying part does.
  const hp = [0];
  const cp = [0];
  /** E[c̄ ḡ]: how the cell's per-unit part follows the candidate's. */
  let cellCandidate = 0;
  const w2 = s.features * s.w.secondMoment;
  const u2 = s.units * s.u.secondMoment;
  const gatesAt = (q: number, unitQ: number) => {
    // The input and output gates see the same statistics at initialisation.
    const io = gate(s.recAct, b, q, unitQ);
    return { i: io, f: gate(s.recAct, forgetBias, q, unitQ), c: gate(s.act, b, q, unitQ), o: io };
  };
  const steps: { i: Gate; f: Gate; c: Gate; o: Gate; tanhC: Gate }[] = [];
  for (let t = 1; t <= s.steps; t++) {
    const same = settled(hs, t);
    if (same && settled(cs, t)) {
      hs.push(hs[t - 1]);
      cs.push(cs[t - 1]);
      hp.push(hp[t - 1]);
      cp.push(cp[t - 1]);
      steps.push(steps[t - 2]);
      continue;
    }
    // The gates depend on h alone.
    const g = same ? steps[t - 2] : gatesAt(w2 * (inp.m - inp.p) + u2 * (hs[t - 1] - hp[t - 1]), w2 * inp.p + u2 * hp[t - 1]);
    const cross = 2 * g.f.mean * g.i.mean * cellCandidate;
    const mc = g.f.second * cs[t - 1] + g.i.second * g.c.second + cross;
    const pc = Math.min(g.f.mean * g.f.mean * cp[t - 1] + g.i.mean * g.i.mean * g.c.unitMeanSq + cross, mc);
    cellCandidate = g.f.mean * cellCandidate + g.i.mean * g.c.unitMeanSq;
    const tanhC = gate(s.act, NO_BIAS, mc - pc, pc);
    cs.push(mc);
    cp.push(pc);
    hs.push(g.o.second * tanhC.second);
    hp.push(g.o.unitMeanSq * tanhC.unitMeanSq);
    steps.push({ i: g.i, f: g.f, c: g.c, o: g.o, tanhC });
  }
  const back: Backward = (arrival) => {
    let dh = 0;
    let dc = 0;
    let logFactor = 0;
    const r: Unrolled = { inputDelta: 0, kernel: 0, recurrent: 0, stepFactor: 0, initial: [] };
    for (let t = s.steps; t >= 1; t--) {
      const g = steps[t - 1];
      dh += arrival.h(t);
      dc += arrival.c(t) + dh * g.o.second * g.tanhC.deriv;
      const dzo = dh * g.tanhC.second * g.o.deriv;
      const dzf = dc * cs[t - 1] * g.f.deriv;
      const dzi = dc * g.c.second * g.i.deriv;
      const dzc = dc * g.i.second * g.c.deriv;
      const sum = dzo + dzf + dzi + dzc;
      r.inputDelta += s.units * s.w.secondMoment * sum;
      r.kernel += (inp.m * sum) / 4;
      r.recurrent += (hs[t - 1] * sum) / 4;
      const before = dh + dc;
      dh = s.units * s.u.secondMoment * sum;
      // The cell's gradient reaches the previous cell through the forget gate alone.
      dc = dc * g.f.second;
      logFactor += Math.log(Math.max((dh + dc) / Math.max(before, 1e-300), 1e-300));
    }
    r.stepFactor = Math.exp(logFactor / s.steps);
    r.initial = [dh, dc];
    return r;
  };
  return finish(ctx, s, { m: hs, p: hp }, back, { m: cs, p: cp });
}

/** E[(1 − a)²] of a gate. */
function oneMinus(a: Gate): number {
  return Math.max(1 - 2 * a.mean + a.second, 0);
}

/** tfjs GRU (reset before the recurrent product): h = z·h₋₁ + (1 − z)·act(W x + U (r·h₋₁)). */
export function gru(ctx: LayerContext, inp: Signal): NodeResult {
  const s = setup(ctx, inp, 3);
  const b = bias(ctx, s.units);
  const hs = [initialMoments(ctx)[0]];
  const steps: { z: Gate; r: Gate; hh: Gate }[] = [];
  for (let t = 1; t <= s.steps; t++) {
    if (settled(hs, t)) {
      hs.push(hs[t - 1]);
      steps.push(steps[t - 2]);
      continue;
    }
    const fromX = s.features * s.w.secondMoment * inp.m;
    const q = fromX + s.units * s.u.secondMoment * hs[t - 1];
    // The update and reset gates see the same statistics at initialisation.
    const z = gate(s.recAct, b, q);
    const r = z;
    const hh = gate(s.act, b, fromX + s.units * s.u.secondMoment * r.second * hs[t - 1]);
    hs.push(z.second * hs[t - 1] + oneMinus(z) * hh.second);
    steps.push({ z, r, hh });
  }
  const us = s.units * s.u.secondMoment;
  const back: Backward = (arrival) => {
    let dh = 0;
    let logFactor = 0;
    const res: Unrolled = { inputDelta: 0, kernel: 0, recurrent: 0, stepFactor: 0, initial: [] };
    for (let t = s.steps; t >= 1; t--) {
      const { z, r, hh } = steps[t - 1];
      dh += arrival.h(t);
      const dzh = dh * oneMinus(z) * hh.deriv;
      const dzz = dh * (hs[t - 1] + hh.second) * z.deriv;
      const dzr = us * dzh * hs[t - 1] * r.deriv;
      res.inputDelta += s.units * s.w.secondMoment * (dzh + dzz + dzr);
      res.kernel += (inp.m * (dzh + dzz + dzr)) / 3;
      res.recurrent += (hs[t - 1] * (dzz + dzr) + r.second * hs[t - 1] * dzh) / 3;
      const next = dh * z.second + us * (dzz + dzr) + us * dzh * r.second;
      logFactor += Math.log(Math.max(next / Math.max(dh, 1e-300), 1e-300));
      dh = next;
    }
    res.stepFactor = Math.exp(logFactor / s.steps);
    res.initial = [dh];
    return res;
  };
  return finish(ctx, s, withoutMeans(hs), back);
}
