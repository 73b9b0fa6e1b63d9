import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../../src/core/extract';
import { measureModel } from '../../src/probe/measure';
import type { ProbeOptions } from '../../src/probe/types';

// The probe builds PyTorch models in tfjs from gradlint's reading, with PyTorch's default
// initialisation: every weighted layer's kernel-gradient RMS lies within 0.4 decades of
// PyTorch's own (median of seeds 0-4), on MLPs with each activation, batch norm, residual
// MLPs, conv stacks, stacked RNN/LSTM/GRU, multi-head attention, a squeeze-excitation block
// and VGG11 at 64 px.
// test/fixtures/python/probe-reference is written by bench/pytorch/probe_reference.py.
const dir = path.join(__dirname, '../fixtures/python/probe-reference');
const file = path.join(dir, 'models.py');

interface Reference {
  probe: boolean;
  layers: Record<string, { gradientLog10: number; seedRange: number }>;
}

const reference = JSON.parse(fs.readFileSync(path.join(dir, 'pytorch.json'), 'utf8')).models as Record<string, Reference>;
const options: ProbeOptions = { steps: 1, seed: 0, learningRate: 0.01, backend: 'wasm' };
const DECADES = 0.4;

describe('probe on PyTorch code against PyTorch, per layer (wasm, within 0.4 decades)', function () {
  this.timeout(180000);
  const models = extractModels(file, fs.readFileSync(file, 'utf8')).models;
  const probed = Object.entries(reference).filter(([, r]) => r.probe);

  it('covers at least 12 models', () => {
    assert.ok(probed.length >= 12, `${probed.length} models`);
  });

  for (const [name, ref] of probed) {
    it(name, async () => {
      const graph = models.find((m) => m.name === name);
      assert.ok(graph, name);
      const result = await measureModel(graph, options);
      const off: string[] = [];
      for (const [layer, torch] of Object.entries(ref.layers)) {
        const measured = result.layers.find((l) => l.name === layer)?.gradientRms?.[0];
        const tfjs = measured ? Math.log10(measured) : NaN;
        if (!(Math.abs(tfjs - torch.gradientLog10) <= DECADES)) off.push(`${layer}: tfjs ${tfjs.toFixed(2)}, PyTorch ${torch.gradientLog10.toFixed(2)}`);
      }
      assert.deepStrictEqual(off, []);
    });
  }
});
