import { strict as assert } from 'assert';
import { estimateModel } from '../../../src/core/estimate/estimate';
import { extractTfjs } from '../../../src/core/tfjs/extract';
import { extractModelJson } from '../../../src/core/modeljson/extract';
import * as tf from '@tensorflow/tfjs';

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

// Encoder–decoder: the encoder's returned states start the decoder, so its only gradient comes
// back through them. Measured with tfjs (cpu, batch 16, x and t ~ N(0, 1), seeds 1, 11, 21):
// LSTM encoder 10^−4.24, −4.26, −4.07, decoder −3.48, −3.42, −3.61; GRU encoder −3.84, −3.83.
const SEQ2SEQ = `
import * as tf from '@tensorflow/tfjs';

const source = tf.input({ shape: [12, 6] });
const [, hidden, cell] = tf.layers.lstm({ units: 8, returnState: true }).apply(source);
const target = tf.input({ shape: [10, 5] });
const decoded = tf.layers.lstm({ units: 8, returnSequences: true }).apply(target, { initialState: [hidden, cell] });
const head = tf.layers.dense({ units: 5, activation: 'softmax' }).apply(decoded);
export const lstmPair = tf.model({ inputs: [source, target], outputs: head });

const gruSource = tf.input({ shape: [12, 6] });
const [, gruState] = tf.layers.gru({ units: 8, returnState: true }).apply(gruSource);
const gruTarget = tf.input({ shape: [10, 5] });
const gruDecoded = tf.layers.gru({ units: 8, returnSequences: true }).apply([gruTarget, gruState]);
const gruHead = tf.layers.dense({ units: 5, activation: 'softmax' }).apply(gruDecoded);
export const gruPair = tf.model({ inputs: [gruSource, gruTarget], outputs: gruHead });
`;

describe('estimate: gradient through the initial state of a recurrent layer', () => {
  const models = extractTfjs('seq2seq.js', SEQ2SEQ).models;
  const gradients = (name: string): number[] => {
    const m = models.find((x) => x.name === name);
    assert.ok(m, `model ${name} not extracted (found ${models.map((x) => x.name).join(', ')})`);
    return estimateModel(m).layers.map((l) => Math.log10(l.gradientRms ?? 0));
  };

  it('an LSTM encoder feeding initialState [h, c] gets the measured gradient (±0.3 decade)', () => {
    const [encoder, decoder] = gradients('lstmPair');
    assert.ok(Math.abs(encoder + 4.2) <= 0.3, `encoder 10^${encoder}`);
    assert.ok(Math.abs(decoder + 3.5) <= 0.3, `decoder 10^${decoder}`);
  });

  it('a GRU encoder whose state is passed in the input array gets the measured gradient (±0.3 decade)', () => {
    const [encoder] = gradients('gruPair');
    assert.ok(Math.abs(encoder + 3.8) <= 0.3, `encoder 10^${encoder}`);
  });

  it('the LSTM pair saved by tfjs as model.json (states as output-index nodes) gets the same gradients', async () => {
    await tf.ready(); // whichever backend the other suites registered
    const source = tf.input({ shape: [12, 6] });
    const [, hidden, cell] = tf.layers.lstm({ units: 8, returnState: true }).apply(source) as tf.SymbolicTensor[];
    const target = tf.input({ shape: [10, 5] });
    const decoded = tf.layers.lstm({ units: 8, returnSequences: true }).apply(target, { initialState: [hidden, cell] }) as tf.SymbolicTensor;
    const head = tf.layers.dense({ units: 5, activation: 'softmax' }).apply(decoded) as tf.SymbolicTensor;
    const topology = tf.model({ inputs: [source, target], outputs: head }).toJSON(undefined, false);
    const [model] = extractModelJson('model.json', JSON.stringify({ format: 'layers-model', modelTopology: topology })).models;
    const [encoder, decoder] = estimateModel(model).layers.map((l) => Math.log10(l.gradientRms ?? 0));
    assert.ok(Math.abs(encoder + 4.2) <= 0.3, `encoder 10^${encoder}`);
    assert.ok(Math.abs(decoder + 3.5) <= 0.3, `decoder 10^${decoder}`);
  });
});
