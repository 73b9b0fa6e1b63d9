import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../../../src/core/extract';
import { estimateModel } from '../../../src/core/estimate/estimate';

// Squeeze-excitation, x * sigmoid(conv(relu(conv(pool(x))))): PyTorch's adaptive pooling to 1
// keeps the pooled dimensions, tfjs's global pooling drops them, so the graph puts them back
// (a reshape to 1×1×C) before the 1×1 convolutions, and the gate is broadcast over the map.
describe('Python front end: squeeze-excitation blocks', () => {
  const file = path.join(__dirname, '../../fixtures/python/squeeze_excite.py');
  const models = extractModels(file, fs.readFileSync(file, 'utf8')).models;

  for (const [name, pool, conv] of [['SeNet', 'se.pool', 'se.fc.0'], ['FunctionalSe', 'avg_pool', 'reduce']]) {
    it(`${name}: the pooled channels reach the 1×1 convolution as 1×1×64, and the estimate needs no assumed shape`, () => {
      const model = models.find((m) => m.name === name);
      assert.ok(model, name);
      const reshape = model.layers.find((l) => l.kind === 'reshape');
      assert.equal(reshape?.name, `${pool}.keepdims`);
      assert.deepEqual(reshape?.config.targetShape, [1, 1, -1]);
      const convLayer = model.layers.find((l) => l.name === conv);
      const convNode = model.nodes.find((n) => n.layer === convLayer?.id);
      assert.equal(model.nodes.find((n) => n.id === convNode?.inputs[0])?.layer, reshape?.id);
      const estimate = estimateModel(model);
      assert.deepEqual(estimate.layers.flatMap((l) => l.assumptions.map((a) => `${l.layer.name}: ${a}`)), []);
    });
  }

  it('a flatten after the pooling stays without a reshape', () => {
    const model = models.find((m) => m.name === 'SeNet');
    assert.equal(model?.layers.filter((l) => l.kind === 'reshape').length, 1);
  });
});
