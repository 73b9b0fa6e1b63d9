import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../../src/core/extract';
import { estimateModel } from '../../src/core/estimate/estimate';
import { measureModel } from '../../src/probe/measure';
import type { ProbeOptions } from '../../src/probe/types';

// The probe builds PyTorch models in tfjs from gradlint's reading, with PyTorch's default
// initialisation: its depth ratios match PyTorch's own measurements of the same contract
// (test/fixtures/python/calibration, written by bench/pytorch/calibrate.py).
const dir = path.join(__dirname, '../fixtures/python/calibration');
const file = path.join(dir, 'models.py');
const measured = JSON.parse(fs.readFileSync(path.join(dir, 'pytorch.json'), 'utf8')).models as Record<string, { depthRatioLog10: number }>;
const options: ProbeOptions = { steps: 1, seed: 0, learningRate: 0.01, backend: 'cpu' };

describe('probe on PyTorch code against PyTorch (cpu, within half a decade)', function () {
  this.timeout(120000);
  const models = extractModels(file, fs.readFileSync(file, 'utf8')).models;
  for (const name of ['Mlp8x64Sigmoid', 'Mlp8x64ReluBn', 'Residual4Tanh', 'Conv4Relu', 'Lstm1']) {
    it(name, async () => {
      const graph = models.find((m) => m.name === name);
      assert.ok(graph, name);
      const result = await measureModel(graph, options);
      const torch = measured[name].depthRatioLog10;
      assert.ok(Math.abs((result.depthRatioLog10 as number) - torch) <= 0.5, `tfjs ${result.depthRatioLog10}, PyTorch ${torch}`);
    });
  }
});

// Squeeze-excitation blocks (test/fixtures/python/squeeze_excite.py): the graph gives the pooled
// channels back their 1×1 dimensions, so tfjs builds the 1×1 convolutions of the gate, and the
// estimate of the gate broadcast over the map agrees with the probe.
describe('probe on PyTorch squeeze-excitation blocks (wasm)', function () {
  this.timeout(180000);
  const seFile = path.join(__dirname, '../fixtures/python/squeeze_excite.py');
  const seModels = extractModels(seFile, fs.readFileSync(seFile, 'utf8')).models;
  for (const name of ['SeNet', 'FunctionalSe']) {
    it(`${name}: every weighted layer measured, within half a decade of the estimate`, async () => {
      const graph = seModels.find((m) => m.name === name);
      assert.ok(graph, name);
      const result = await measureModel(graph, { ...options, backend: 'wasm' });
      const estimate = estimateModel(graph);
      const off = estimate.layers
        .filter((l) => l.gradientRms !== null)
        .map((l) => ({ name: l.layer.name, estimated: Math.log10(l.gradientRms as number), probed: Math.log10(result.layers.find((p) => p.name === l.layer.name)?.gradientRms?.[0] ?? NaN) }))
        .filter((l) => !(Math.abs(l.estimated - l.probed) <= 0.5));
      assert.deepEqual(off, []);
    });
  }
});
