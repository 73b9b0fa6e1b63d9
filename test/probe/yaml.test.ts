import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../../src/core/extract';
import { buildModel } from '../../src/probe/build';
import { measureModel } from '../../src/probe/measure';

const file = path.join(__dirname, 'fixtures/small-yolo.yaml');
const graph = () => extractModels('small-yolo.yaml', fs.readFileSync(file, 'utf8')).models[0];

describe('probe on YOLO YAML', function () {
  this.timeout(30_000);

  it('reports one entry per row, the row’s kernels taken together', async () => {
    const result = await measureModel(graph(), { steps: 2, seed: 0, learningRate: 0.01, backend: 'wasm' });
    assert.strictEqual(result.backend, 'wasm');
    assert.deepStrictEqual(
      result.layers.map((l) => [l.row, l.name, l.kind, l.line, l.gradientRms === null]),
      [
        [0, 'Conv', 'Conv', 6, false],
        [1, 'Conv', 'Conv', 7, false],
        [2, 'C2f', 'C2f', 8, false],
        [3, 'Conv', 'Conv', 9, false],
        [4, 'nn.Upsample', 'nn.Upsample', 10, true],
        [5, 'Concat', 'Concat', 11, true],
        [6, 'Classify', 'Classify', 14, false],
      ],
    );
    for (const l of result.layers) {
      assert.strictEqual(l.activationRms.length, 2);
      if (l.gradientRms) assert.ok(l.gradientRms.every((g) => g > 0 && g < 1), `${l.name}: ${l.gradientRms}`);
    }
    // Upsampling repeats values: its RMS is its input's (row 3's).
    assert.ok(Math.abs(result.layers[4].activationRms[0] - result.layers[3].activationRms[0]) < 1e-5, `${result.layers[4].activationRms} ${result.layers[3].activationRms}`);
  });

  it('builds as many trainable parameters as Ultralytics counts', () => {
    const g = graph();
    const built = buildModel(g, { seed: 0, maxParameters: 1e8, inputShape: [64, 64, 3] });
    const trainable = built.model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, d) => a * (d ?? 1), 1), 0);
    built.model.dispose();
    assert.strictEqual(trainable, g.params);
  });

  it('refuses a model over the parameter cap before building it', async () => {
    await assert.rejects(
      measureModel(graph(), { steps: 1, seed: 0, learningRate: 0.01, backend: 'cpu', maxParameters: 1e5 }),
      /the model has at least 1\.11e\+5 parameters, more than the probe's cap of 1e\+5/,
    );
  });
});
