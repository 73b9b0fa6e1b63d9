// The core's judgement of gradient health (issue 14.1): thresholds in, one status out.
import { strict as assert } from 'assert';
import { judge, type HealthFigures } from '../../src/core/judge';
import { DEFAULT_CONFIG, lint } from '../../src/lint/index';
import { figuresOfReport, healthThresholds, traitsOf } from '../../src/core/judge';

const T = healthThresholds(DEFAULT_CONFIG.thresholds);
const figures = (f: Partial<HealthFigures>): HealthFigures => ({
  depthRatioLog10: 0,
  firstGradientRmsLog10: -2,
  maxActivationRmsLog10: 0,
  nonFinite: false,
  traits: { normalized: false, squashingHead: false, zeroHead: false },
  ...f,
});

describe('judge', () => {
  it('never calls a model both vanishing and exploding: a huge first gradient with an even larger last one is exploding', () => {
    const j = judge(figures({ depthRatioLog10: -4, firstGradientRmsLog10: 5 }), T);
    assert.equal(j.status, 'exploding');
    assert.deepEqual(j.reasons.map((r) => r.figure), ['firstGradient']);
  });

  it('an activation past its threshold is exploding even when the ratio is small', () => {
    assert.equal(judge(figures({ depthRatioLog10: -5, maxActivationRmsLog10: 4 }), T).status, 'exploding');
  });

  it('a small ratio alone is vanishing; a tiny first gradient under a softmax head is not', () => {
    assert.equal(judge(figures({ depthRatioLog10: -4 }), T).status, 'vanishing');
    assert.equal(judge(figures({ firstGradientRmsLog10: -7, traits: { normalized: false, squashingHead: true, zeroHead: false } }), T).status, 'healthy');
    assert.equal(judge(figures({ firstGradientRmsLog10: -7 }), T).status, 'vanishing');
  });

  it('a large ratio is no explosion in a normalised network, and the thresholds are the ones given', () => {
    assert.equal(judge(figures({ depthRatioLog10: 6, traits: { normalized: true, squashingHead: false, zeroHead: false } }), T).status, 'healthy');
    assert.equal(judge(figures({ depthRatioLog10: 6 }), T).status, 'exploding');
    assert.equal(judge(figures({ depthRatioLog10: 6 }), { ...T, explodingDepthRatioLog10: 7 }).status, 'healthy');
  });
});

describe('judge: a measured model with a zero-initialised head', () => {
  const layer = (name: string, gradients: number[]) => ({ name, kind: 'dense', line: 1, row: null, gradientRms: gradients, activationRms: gradients.map(() => 1) });
  // Step 0: the head alone has a gradient; step 1: the body's gradients follow the head's first step.
  const report = {
    name: 'm',
    line: 1,
    depthRatioLog10: -Infinity,
    layers: [layer('dense_1', [0, 1e-5]), layer('dense_2', [0, 2e-5]), layer('dense_3', [0.1, 0.1])],
  };

  it('is judged at step 1 on the body: healthy', () => {
    assert.equal(judge(figuresOfReport(report, { normalized: false, squashingHead: false, zeroHead: true }), T).status, 'healthy');
  });

  it('without the trait, step 0 reads as vanishing', () => {
    assert.equal(judge(figuresOfReport(report), T).status, 'vanishing');
  });
});

describe('judge: the head of a model read from its source', () => {
  const headOf = (file: string, code: string) => traitsOf(lint(file, code).estimates[0]).squashingHead;

  it("a PyTorch head is squashing when an activation module follows its last Linear, as a Keras layer's own activation is", () => {
    const torch = (head: string) => `import torch.nn as nn\nnet = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1)${head})\n`;
    assert.equal(headOf('net.py', torch(', nn.Sigmoid()')), true);
    assert.equal(headOf('net.py', torch(', nn.Softmax(dim=1)')), true);
    assert.equal(headOf('net.py', torch('')), false);
    const keras = "from tensorflow import keras\nm = keras.Sequential([keras.layers.Dense(16, activation='relu', input_shape=(8,)), keras.layers.Dense(1, activation='sigmoid')])\n";
    assert.equal(headOf('m.py', keras), true);
  });

  it('a one-unit softmax head of PyTorch is not also reported as a vanishing gradient (softmax-single-unit says why)', () => {
    const ids = lint('net.py', 'import torch.nn as nn\nnet = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1), nn.Softmax(dim=1))\n').diagnostics.map((d) => d.ruleId);
    assert.deepEqual(ids, ['softmax-single-unit']);
  });
});

describe('judge: a zero-initialised head inside a nested model', () => {
  // ml5's FeatureExtractor: a Sequential of the features and a custom head whose last kernel is zeros.
  const code = [
    "const tf = require('@tensorflow/tfjs');",
    'const base = tf.sequential();',
    "base.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [32] }));",
    "base.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal' }));",
    'const head = tf.sequential();',
    "head.add(tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [64] }));",
    "head.add(tf.layers.dense({ units: 3, kernelInitializer: 'zeros', activation: 'softmax' }));",
    'const joint = tf.sequential();',
    'joint.add(base);',
    'joint.add(head);',
    '',
  ].join('\n');

  it('is found through the nested model, and the model is estimated at step 1, where the gradient flows', () => {
    const r = lint('joint.js', code);
    const joint = r.estimates.find((e) => e.model.name === 'joint')!;
    assert.equal(traitsOf(joint).zeroHead, true);
    assert.ok(joint.layers.every((l) => l.gradientRms === null || l.gradientRms > 0), 'every kernel gradient flows at step 1');
    assert.deepEqual(r.diagnostics.filter((d) => d.ruleId === 'vanishing-gradient').map((d) => d.message), []);
  });
});
