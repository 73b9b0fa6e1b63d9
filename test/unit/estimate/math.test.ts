import { strict as assert } from 'assert';
import { activationMoments, fractionAbove, normalTail } from '../../../src/core/estimate/activations';
import { computeFans, TRUNCATED_NORMAL_FACTOR, weightStats } from '../../../src/core/estimate/initializers';
import { FINE, gaussHermite, gaussianExpectation } from '../../../src/core/estimate/quadrature';

/** E[f(Z)] by Simpson's rule on [-12, 12]: an independent check of the quadrature. */
function simpson(f: (x: number) => number, std: number): number {
  const n = 20000;
  const a = -12;
  const h = 24 / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const z = a + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    sum += w * f(std * z) * Math.exp((-z * z) / 2);
  }
  return (sum * h) / 3 / Math.sqrt(2 * Math.PI);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('estimate: Gauss–Hermite quadrature', () => {
  for (const n of [40, 48, 64]) {
    it(`${n} nodes integrate the normal's moments exactly`, () => {
      const rule = gaussHermite(n);
      assert.equal(rule.nodes.length, n);
      assert.ok(Math.abs(rule.weights.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      assert.ok(Math.abs(gaussianExpectation((x) => x * x, 0, 1, { ...FINE, nodes: n }) - 1) < 1e-12);
      assert.ok(Math.abs(gaussianExpectation((x) => x ** 4, 0, 1, { ...FINE, nodes: n }) - 3) < 1e-10);
      assert.ok(Math.abs(gaussianExpectation((x) => x ** 6, 0, 1, { ...FINE, nodes: n }) - 15) < 1e-9);
    });
  }
});

describe('estimate: activation moments', () => {
  it('relu: E[φ²] = q/2 and E[φ′²] = 1/2', () => {
    const m = activationMoments('relu', {}, 0, 0, 3);
    assert.ok(Math.abs(m.second - 1.5) < 1e-9);
    assert.ok(Math.abs(m.derivSecond - 0.5) < 1e-9);
  });

  it('does not depend on what was asked before: a neighbour in the same memo bucket leaves relu at q = 1 with E[φ²] = 1/2', () => {
    // 1.0001 and 1 share a bucket of relative width 2^-12; the moments are those of its own value.
    activationMoments('relu', {}, 0, 0, 1.0001);
    assert.ok(Math.abs(activationMoments('relu', {}, 0, 0, 1).second - 0.5) < 1e-9);
  });

  it('sigmoid and tanh agree with direct integration, also for wide pre-activations', () => {
    for (const q of [0.1, 1, 10, 100, 1e4]) {
      const s = activationMoments('sigmoid', {}, 0, 0, q);
      const ds = (x: number): number => sigmoid(x) * (1 - sigmoid(x));
      assert.ok(Math.abs(s.second - simpson((x) => sigmoid(x) ** 2, Math.sqrt(q))) < 1e-6);
      assert.ok(Math.abs(s.derivSecond - simpson((x) => ds(x) ** 2, Math.sqrt(q))) < 1e-6);
      const t = activationMoments('tanh', {}, 0, 0, q);
      assert.ok(Math.abs(t.derivSecond - simpson((x) => (1 - Math.tanh(x) ** 2) ** 2, Math.sqrt(q))) < 1e-4);
    }
  });

  it("sigmoid's derivative is at most 1/4, so E[φ′²] ≤ 1/16", () => {
    assert.ok(activationMoments('sigmoid', {}, 0, 0, 1).derivSecond < 1 / 16);
  });

  it('tfjs hardSigmoid has slope 0.2 inside ±2.5', () => {
    assert.ok(Math.abs(activationMoments('hardSigmoid', {}, 0, 0, 1e-6).derivSecond - 0.04) < 1e-12);
  });

  it('selu keeps unit variance at q = 1 (its fixed point)', () => {
    assert.ok(Math.abs(activationMoments('selu', {}, 0, 0, 1).second - 1) < 1e-3);
  });
});

describe('estimate: how much of a Gaussian an activation lifts above θ', () => {
  it('normalTail keeps its relative accuracy far out, where 1 − Φ cancels', () => {
    // Q(x) = erfc(x/√2)/2: Q(2) = 0.0227501, Q(5) = 2.86652e-7, Q(10) = 7.61985e-24.
    for (const [x, q] of [[0, 0.5], [2, 0.0227501319], [5, 2.8665157e-7], [10, 7.6198530e-24], [-2, 0.9772498681]]) {
      assert.ok(Math.abs(normalTail(x) / q - 1) < 1e-6, `Q(${x}) = ${normalTail(x)}, not ${q}`);
    }
  });

  it("asks the activation's input: tanh(z) > 0.9 where z > atanh 0.9; a sigmoid or hardSigmoid never exceeds 1", () => {
    assert.ok(Math.abs(fractionAbove('tanh', {}, 0, 1, 0.9) - normalTail(Math.atanh(0.9))) < 1e-9);
    assert.equal(fractionAbove('sigmoid', {}, 0, 100, 1), 0);
    assert.equal(fractionAbove('hardSigmoid', {}, 3, 1, 1), 0);
    assert.equal(fractionAbove('relu', {}, 0, 1, -0.5), 1);
    // Unbounded: the crossing is found however far out it is.
    assert.ok(Math.abs(fractionAbove('linear', {}, 0, 1e6, 100) - normalTail(0.1)) < 1e-9);
    assert.equal(fractionAbove('linear', {}, 2, 0, 1), 1);
  });
});

describe('estimate: tfjs initialiser variances', () => {
  it('fans as tfjs computes them: conv kernels count the receptive field', () => {
    assert.deepEqual(computeFans([64, 10]), { fanIn: 64, fanOut: 10 });
    assert.deepEqual(computeFans([3, 3, 16, 32]), { fanIn: 144, fanOut: 288 });
  });

  it('glorotNormal is a truncated normal without correction (≈ 0.774 / fanAvg)', () => {
    const s = weightStats({ name: 'glorotNormal' }, [64, 64], 'glorotNormal');
    assert.ok(Math.abs(s.secondMoment - TRUNCATED_NORMAL_FACTOR / 64) < 1e-12);
    assert.ok(Math.abs(TRUNCATED_NORMAL_FACTOR - 0.774) < 1e-3);
  });

  it('uniform variants are exact', () => {
    assert.equal(weightStats('heUniform', [32, 8], 'glorotNormal').secondMoment, 2 / 32);
    assert.equal(weightStats('GlorotUniform', [32, 8], 'glorotNormal').secondMoment, 1 / 20);
  });

  it("varianceScaling draws uniform for distribution 'truncatedNormal' (only 'normal' truncates)", () => {
    const spec = { name: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' };
    assert.equal(weightStats(spec, [50, 10], 'glorotNormal').secondMoment, 2 / 50);
  });

  it('the `value || default` quirk: minval 0 becomes -0.05, stddev 0 becomes 0.05', () => {
    const u = weightStats({ name: 'randomUniform', minval: 0, maxval: 0.05 }, [4, 4], 'glorotNormal');
    assert.ok(Math.abs(u.secondMoment - 0.1 ** 2 / 12) < 1e-15);
    const n = weightStats({ name: 'randomNormal', stddev: 0 }, [4, 4], 'glorotNormal');
    assert.ok(Math.abs(n.secondMoment - 0.0025) < 1e-15);
  });

  it('orthogonal: gain² spread over the larger side', () => {
    assert.equal(weightStats({ name: 'orthogonal', gain: 2 }, [16, 64], 'glorotNormal').secondMoment, 4 / 64);
  });

  it('constant initialisers are flagged', () => {
    const z = weightStats('zeros', [8, 8], 'glorotNormal');
    assert.equal(z.secondMoment, 0);
    assert.equal(z.constant, true);
  });

  it('an unknown initialiser falls back to the default and says so', () => {
    const s = weightStats({ name: 'myInit' }, [64, 64], 'glorotNormal');
    assert.match(s.assumption ?? '', /unknown initialiser 'myInit'; assumed tfjs default glorotNormal/);
  });
});
