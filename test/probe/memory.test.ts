import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/probe/build';
import { elementsPerSample, fittingBatch } from '../../src/probe/memory';
import { sequential } from './graphs';

describe('probe memory: the batch a large model can run', () => {
  before(() => tf.setBackend('cpu'));
  const conv = { kind: 'conv2d', config: { filters: 64, kernelSize: 3, padding: 'same' } };
  // Two 64-filter convolutions at 224×224 (VGG16's first block): 224² × (3 + 64 + 64) values a sample.
  const vggBlock = () => buildModel(sequential('vggBlock', [224, 224, 3], [conv, conv]), { seed: 0, maxParameters: 1e8 });

  it('counts the values a sample keeps for the backward pass', () => {
    const built = vggBlock();
    assert.strictEqual(elementsPerSample(built), 224 * 224 * 131);
    built.model.dispose();
  });

  it('runs a smaller default batch, saying so, and refuses a batch asked for that does not fit', () => {
    const built = vggBlock();
    const notes: string[] = [];
    assert.strictEqual(fittingBatch(built, 16, false, (n) => notes.push(n)), 13);
    assert.deepStrictEqual(notes, ["batch 13 instead of 16: a batch of 16 needs about 1.2 GiB for activations and their gradients, more than the probe's 1.0 GiB"]);
    assert.throws(() => fittingBatch(built, 16, true), /^Error: a batch of 16 needs about 1\.2 GiB .*; use --batch 13 or less$/);
    assert.strictEqual(fittingBatch(built, 4, true), 4);
    built.model.dispose();
  });

  it('says plainly when the weights alone do not fit (full VGG16 aborted the wasm backend)', () => {
    // 2048 → 65,536 dense units: 1.3e8 parameters, 1.5 GiB with their gradients.
    const built = buildModel(sequential('wide', [2048], [{ kind: 'dense', config: { units: 65536 } }]), { seed: 0, maxParameters: 2e8 });
    assert.throws(() => fittingBatch(built, 16, false), /^Error: the model is too large to probe: its 1\.34e\+8 parameters need about 1\.5 GiB with their gradients, more than the probe's 1\.0 GiB$/);
    built.model.dispose();
  });

  it('says plainly when even one sample does not fit', () => {
    const wide = { kind: 'conv2d', config: { filters: 4096, kernelSize: 1 } };
    const built = buildModel(sequential('huge', [224, 224, 3], [wide]), { seed: 0, maxParameters: 1e8 });
    assert.throws(() => fittingBatch(built, 16, false), /^Error: the model is too large to probe: even one sample needs about 2\.3 GiB/);
    built.model.dispose();
  });
});
