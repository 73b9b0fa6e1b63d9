import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/probe/build';
import { measureModel } from '../../src/probe/measure';
import { checkProbeTime, forwardFlopsPerSample } from '../../src/probe/time';
import { checkProbeLimits } from '../../src/probe/limits';
import { estimateModel } from '../../src/core/estimate/estimate';
import { sequential } from './graphs';

// The probe's time limit is checked before the first step, with a message naming the limit
// and the flag (issue 17), instead of the run being killed at its timeout.
describe('probe time: refused before the first step when it cannot finish', () => {
  before(() => tf.setBackend('cpu'));
  const conv = { kind: 'conv2d', config: { filters: 64, kernelSize: 3, padding: 'same' } };
  // VGG16's first block: 3→64 and 64→64 3×3 convolutions at every pixel of 224×224.
  const vggBlock = sequential('vggBlock', [224, 224, 3], [conv, conv]);

  it('counts two operations per kernel weight at each output position', () => {
    const built = buildModel(vggBlock, { seed: 0, maxParameters: 1e8 });
    assert.strictEqual(forwardFlopsPerSample(built), 2 * (3 * 3 * 3 * 64 + 3 * 3 * 64 * 64) * 224 * 224);
    const dense = buildModel(sequential('mlp', [8], [{ kind: 'dense', config: { units: 4 } }]), { seed: 0, maxParameters: 1e8 });
    assert.strictEqual(forwardFlopsPerSample(dense), 2 * 8 * 4);
    built.model.dispose();
    dense.model.dispose();
  });

  it('counts the same operations before building, from the estimate\'s shapes', () => {
    const built = buildModel(vggBlock, { seed: 0, maxParameters: 1e8 });
    assert.strictEqual(estimateModel(vggBlock).forwardFlopsPerSample, forwardFlopsPerSample(built));
    built.model.dispose();
  });

  it('refuses on the graph, before building, what even one sample cannot finish', () => {
    const limits = { maxLayers: 100, maxParameters: 1e8 };
    const time = { steps: 10_000, batch: 1, backend: 'cpu' as const, seconds: 60 };
    assert.throws(() => checkProbeLimits(vggBlock, { ...limits, time }), /^Error: the probe would take at least 58092 s .* for 10000 steps of a batch of 1, .* more than its time limit of 60 s/);
    assert.doesNotThrow(() => checkProbeLimits(vggBlock, { ...limits, time: { ...time, steps: 1 } }));
  });

  it('refuses 100 steps of a batch of 16 on the cpu backend within 120 s, naming the limit and the flag', () => {
    const built = buildModel(vggBlock, { seed: 0, maxParameters: 1e8 });
    assert.throws(
      () => checkProbeTime(forwardFlopsPerSample(built), 16, 100, 'cpu', 120),
      (err: Error) =>
        err.message ===
        'the probe would take at least 9295 s (1.9e13 floating-point operations for 100 steps of a batch of 16, at most 2.0e9 a second on the cpu backend), more than its time limit of 120 s (setting gradlint.probe.timeoutSeconds, flag --timeout; or fewer --steps or a smaller --batch)',
    );
    assert.doesNotThrow(() => checkProbeTime(forwardFlopsPerSample(built), 1, 1, 'cpu', 120));
    built.model.dispose();
  });

  it('measureModel refuses before stepping when given a time limit', async () => {
    let stepped = 0;
    await assert.rejects(
      measureModel(vggBlock, { steps: 100, seed: 0, learningRate: 0.01, backend: 'cpu', batch: 2, timeoutSeconds: 10 }, () => stepped++),
      /^Error: the probe would take at least \d+ s .* more than its time limit of 10 s \(setting gradlint\.probe\.timeoutSeconds, flag --timeout/,
    );
    assert.strictEqual(stepped, 0);
  });
});
