import { strict as assert } from 'assert';
import { estimateModel } from '../../../src/core/estimate/estimate';
import { extractTfjs } from '../../../src/core/tfjs/extract';

// Models written as tfjs code, read by the real front end. The expected numbers were
// measured with `gradlint probe --backend cpu` (seed 0) on the same code.
const CODE = `
import * as tf from '@tensorflow/tfjs';

export function buildModel() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 64, activation: 'sigmoid', inputShape: [64] }));
  for (let i = 0; i < 7; i++) model.add(tf.layers.dense({ units: 64, activation: 'sigmoid' }));
  model.add(tf.layers.dense({ units: 10 }));
  return model;
}

const input = tf.input({ shape: [32] });
let x = tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: 'heNormal' }).apply(input);
for (let i = 0; i < 4; i++) {
  const h = tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: 'heNormal' }).apply(x);
  const n = tf.layers.batchNormalization().apply(h);
  x = tf.layers.add().apply([x, n]);
}
const out = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(x);
export const resnet = tf.model({ inputs: input, outputs: out });
`;

describe('estimate: models read from tfjs code', () => {
  const models = extractTfjs('models.js', CODE).models;
  const byName = (name: string) => {
    const m = models.find((x) => x.name === name);
    assert.ok(m, `model ${name} not extracted (found ${models.map((x) => x.name).join(', ')})`);
    return estimateModel(m);
  };

  it('8 sigmoid layers: the contract reference (−5.7 decades, first layer 10^−7.0)', () => {
    const e = byName('buildModel');
    assert.ok(Math.abs((e.depthRatioLog10 ?? 0) + 5.7) <= 0.3, `ratio ${e.depthRatioLog10}`);
    assert.ok(Math.abs((e.firstGradientRmsLog10 ?? 0) + 7.0) <= 0.3, `first ${e.firstGradientRmsLog10}`);
    assert.equal(e.layers.length, 9);
  });

  it('a batch-normalised residual net with a softmax head: within 0.4 decade of the probe', () => {
    const e = byName('resnet');
    assert.deepEqual(
      e.layers.map((l) => l.layer.kind).filter((k) => k !== 'dense'),
      ['batchNormalization', 'add', 'batchNormalization', 'add', 'batchNormalization', 'add', 'batchNormalization', 'add'],
    );
    assert.ok(Math.abs((e.firstGradientRmsLog10 ?? 0) + 1.4) <= 0.4, `first ${e.firstGradientRmsLog10}`);
    assert.ok(Math.abs((e.depthRatioLog10 ?? 0) + 0.3) <= 0.4, `ratio ${e.depthRatioLog10}`);
  });
});
