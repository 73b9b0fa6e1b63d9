import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { estimateModel } from '../../../src/core/estimate/estimate';
import { extractYaml } from '../../../src/core/yaml/extract';

// Behind ten bare conv + sigmoid rows the batch variance (≈ 10^-19) lies below the rounding
// error of E[a²] − (per-unit mean)²: it used to become exactly 0, so the Conv rows' batch norm
// output 0 (activations of 10^-inf) and the centred gradient lost its centring at the sigmoids.
describe('estimate: batch variance far below the mean (sigmoid rows before batch norm)', () => {
  const file = path.join(__dirname, '../../fixtures/yaml/sigmoid-then-conv.yaml');
  const [model] = extractYaml(file, fs.readFileSync(file, 'utf8')).models;
  const e = estimateModel(model);
  const rows = (module: string) => e.layers.filter((l) => l.layer.name === module);

  it('every row has a finite, non-zero activation and gradient', () => {
    for (const l of e.layers) {
      assert.ok(Number.isFinite(Math.log10(l.activationRms)), `${l.layer.row} ${l.layer.name}: activation ${l.activationRms}`);
      if (l.gradientRms !== null) assert.ok(Number.isFinite(Math.log10(l.gradientRms)), `${l.layer.row}: gradient ${l.gradientRms}`);
    }
    assert.ok(Number.isFinite(e.depthRatioLog10 as number) && Number.isFinite(e.firstGradientRmsLog10 as number));
  });

  it('batch norm with eps 1e-3 does not amplify a tiny variance to 1: the first Conv row outputs about 10^-8', () => {
    const first = rows('Conv')[0];
    const log = Math.log10(first.activationRms);
    assert.ok(log > -10 && log < -6, `first Conv row activation 10^${log.toFixed(1)}`);
  });

  // Where the batch variance is tiny, the sigmoid keeps batch norm's centred gradient centred, so
  // these kernels see only their inputs' batch variance (they used to read 10^1.6 against 0).
  it('the gradient does not jump up from the Conv rows into the bare rows just before them', () => {
    const bare = rows('nn.Conv2d').map((l) => Math.log10(l.gradientRms as number));
    const conv = Math.log10(rows('Conv')[0].gradientRms as number);
    const near = bare.slice(-6);
    assert.ok(near.every((g) => g < conv + 1), `bare rows 10^[${bare.map((g) => g.toFixed(1))}] against the first Conv row's 10^${conv.toFixed(1)}`);
  });
});
