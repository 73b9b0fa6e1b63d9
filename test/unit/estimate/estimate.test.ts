import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { estimateModel } from '../../../src/core/estimate/estimate';
import { estimateToResult } from '../../../src/core/estimate/report';
import type { ModelGraph } from '../../../src/core/graph';
import { extractYaml } from '../../../src/core/yaml/extract';
import { dense, GraphBuilder, repeat, sequential, type LayerSpec } from './graphs';

const bn: LayerSpec = { kind: 'batchNormalization' };

function near(actual: number | null, expected: number, tolerance: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ±${tolerance} of ${expected}`);
}

// The contract's reference points, measured with tfjs (batch 16, x ~ N(0, 1), input [64]).
describe('estimate: the probe contract reference points', () => {
  it('8 × dense(64, sigmoid) + dense(10): depth ratio ≈ −5.7, first-layer gradient ≈ 10^−7.0', () => {
    const e = estimateModel(sequential('m', [64], [...repeat(8, () => dense(64, 'sigmoid')), dense(10)]));
    near(e.depthRatioLog10, -5.7, 0.3, 'depth ratio');
    near(e.firstGradientRmsLog10, -7.0, 0.3, 'first-layer gradient');
  });

  it('8 × dense(64, relu) + dense(10): depth ratio ≈ −0.2, first-layer gradient ≈ 10^−3.3', () => {
    const e = estimateModel(sequential('m', [64], [...repeat(8, () => dense(64, 'relu')), dense(10)]));
    near(e.depthRatioLog10, -0.2, 0.3, 'depth ratio');
    near(e.firstGradientRmsLog10, -3.3, 0.3, 'first-layer gradient');
  });

  it('16 × dense(64, sigmoid) with batch norm after each (+ dense(10) head): ≈ −0.1 and 10^−1.1', () => {
    const e = estimateModel(sequential('m', [64], [...repeat(16, () => [dense(64, 'sigmoid'), bn]).flat(), dense(10)]));
    near(e.depthRatioLog10, -0.1, 0.3, 'depth ratio');
    near(e.firstGradientRmsLog10, -1.1, 0.3, 'first-layer gradient');
  });
});

describe('estimate: known consequences (gradient-flow.md)', () => {
  it('relu with Glorot: 16 layers lose ≈ 4.8 decades of first-layer gradient, the ratio stays near 1', () => {
    const e = estimateModel(sequential('m', [64], [...repeat(16, () => dense(64, 'relu')), dense(10)]));
    near(e.firstGradientRmsLog10, -4.8, 0.4, 'first-layer gradient');
    near(e.depthRatioLog10, 0, 0.5, 'depth ratio');
  });

  it('relu with He keeps χ = 1; tanh with Glorot sits near χ = 1; sigmoid χ is a few hundredths', () => {
    const chi = (activation: string, init: string): number => {
      const e = estimateModel(sequential('m', [64], [...repeat(4, () => dense(64, activation, { kernelInitializer: { name: init } })), dense(64)]));
      return e.layers[1].backwardFactor ?? NaN;
    };
    near(chi('relu', 'heUniform'), 1, 0.01, 'relu/He χ');
    near(chi('tanh', 'glorotUniform'), 1, 0.4, 'tanh/Glorot χ');
    const sigmoid = chi('sigmoid', 'glorotNormal');
    assert.ok(sigmoid > 0.01 && sigmoid < 0.1, `sigmoid χ ${sigmoid}`);
  });

  it('randomNormal stddev 1 on fan-in 128 explodes: first-layer gradient ≈ 1e11', () => {
    const init = { kernelInitializer: { name: 'randomNormal', stddev: 1 } };
    const e = estimateModel(sequential('m', [128], [...repeat(8, () => dense(128, 'relu', init)), dense(10)]));
    near(e.firstGradientRmsLog10, 11, 1, 'first-layer gradient');
    assert.ok(e.maxActivationRmsLog10 > 3);
  });

  it('a zeros kernel leaves exactly zero gradient behind it', () => {
    const e = estimateModel(
      sequential('m', [64], [dense(64, 'tanh'), dense(64, 'tanh', { kernelInitializer: { name: 'zeros' } }), dense(64, 'tanh'), dense(10)]),
    );
    assert.equal(e.layers[0].gradientRms, 0);
    assert.ok((e.layers[1].gradientRms ?? 0) > 0);
    assert.match(e.layers[1].assumptions.join('\n'), /zeros: every unit of the layer computes the same value/);
  });

  it('16 residual relu blocks without normalisation explode forward (outputs ≈ 1e2)', () => {
    const b = new GraphBuilder('res', [64]);
    let x = b.add(dense(64, 'relu', { kernelInitializer: { name: 'heNormal' } }));
    for (let i = 0; i < 16; i++) {
      b.add(dense(64, 'relu', { kernelInitializer: { name: 'heNormal' } }));
      const f = b.add(dense(64, undefined, { kernelInitializer: { name: 'heNormal' } }));
      x = b.add({ kind: 'add', from: [x, f] });
    }
    const e = estimateModel(b.build());
    assert.ok(e.maxActivationRmsLog10 > 2 && e.maxActivationRmsLog10 < 4, `max activation 10^${e.maxActivationRmsLog10}`);
  });

  it('batch-normalised conv nets have large positive depth ratios (BN amplifies toward the input)', () => {
    const layers: LayerSpec[] = repeat(10, () => [
      { kind: 'conv2d', config: { filters: 16, kernelSize: 3, padding: 'same' } },
      bn,
      { kind: 'activation', config: { activation: 'relu' } },
    ]).flat();
    const e = estimateModel(sequential('cnn', [16, 16, 3], [...layers, { kind: 'flatten' }, dense(10)]));
    assert.ok((e.depthRatioLog10 ?? 0) > 0.3, `depth ratio ${e.depthRatioLog10}`);
    assert.ok((e.firstGradientRmsLog10 ?? -99) > -3);
  });

  it('narrow deep relu (24 layers of width 4, He) is predicted to vanish; width 64 is not', () => {
    const net = (width: number) =>
      estimateModel(sequential('m', [64], [...repeat(24, () => dense(width, 'relu', { kernelInitializer: { name: 'heNormal' } })), dense(10)]));
    assert.ok((net(4).firstGradientRmsLog10 ?? 0) < -6, `width 4: ${net(4).firstGradientRmsLog10}`);
    assert.ok((net(64).firstGradientRmsLog10 ?? -99) > -4, `width 64: ${net(64).firstGradientRmsLog10}`);
  });

  it('simpleRNN: the per-step factor is g²·E[tanh′²] < 1 with an orthogonal recurrent kernel', () => {
    const e = estimateModel(sequential('rnn', [50, 8], [{ kind: 'simpleRNN', config: { units: 32 } }, dense(1)]));
    const chi = e.layers[0].backwardFactor ?? NaN;
    assert.ok(chi > 0.3 && chi < 1, `per-step factor ${chi}`);
  });
});

describe('estimate: graph handling', () => {
  it('lists one entry per layer in topological order, kernel-less layers with gradientRms null', () => {
    const g = sequential('m', [8, 8, 1], [
      { kind: 'conv2d', config: { filters: 4, kernelSize: 3, activation: 'relu' } },
      { kind: 'maxPooling2d', config: { poolSize: 2 } },
      { kind: 'flatten' },
      { kind: 'dropout', config: { rate: 0.25 } },
      dense(3, 'softmax'),
    ]);
    const r = estimateToResult(estimateModel(g));
    assert.deepEqual(r.layers.map((l) => [l.kind, l.gradientRms === null]), [
      ['conv2d', false],
      ['maxPooling2d', true],
      ['flatten', true],
      ['dropout', true],
      ['dense', false],
    ]);
    assert.equal(r.layers[0].activationRms.length, 1);
    assert.equal(r.layers[0].row, null);
    assert.ok(!('backend' in r));
  });

  it('a shared layer is one entry and its gradient adds over its applications', () => {
    const once = new GraphBuilder('once', [16]);
    once.add(dense(16, 'tanh'));
    once.add(dense(16, 'tanh'));
    const twice = new GraphBuilder('twice', [16]);
    const shared = twice.add(dense(16, 'tanh'));
    const model = twice.build();
    // Apply layer L1 again on its own output.
    model.nodes.push({ id: 'again', layer: model.nodes[1].layer, inputs: [shared] });
    model.outputs = ['again'];
    const e = estimateModel(model);
    assert.equal(e.layers.length, 1);
    const single = estimateModel(once.build());
    assert.ok((e.layers[0].gradientRms ?? 0) > (single.layers[1].gradientRms ?? 0));
  });

  it('several outputs: each head adds its loss gradient to the shared trunk', () => {
    const build = (heads: number): ModelGraph => {
      const b = new GraphBuilder('multi', [32]);
      const trunk = b.add(dense(32, 'tanh'));
      const outs = Array.from({ length: heads }, () => b.add({ ...dense(4), from: [trunk] }));
      const model = b.build();
      model.outputs = outs;
      return model;
    };
    const one = estimateModel(build(1));
    const two = estimateModel(build(2));
    assert.equal(two.layers.length, 3);
    assert.ok((two.layers[2].gradientRms ?? 0) > 0);
    // Independent heads: the trunk's squared gradient doubles (+0.15 decade in RMS).
    near(Math.log10((two.layers[0].gradientRms ?? 0) / (one.layers[0].gradientRms ?? 1)), Math.log10(Math.SQRT2), 0.02, 'trunk');
  });

  it('inlines a nested model used as a layer', () => {
    const inner = sequential('inner', [32], [dense(32, 'relu'), dense(32, 'relu')]);
    const outer: ModelGraph = sequential('outer', [32], [{ kind: 'model' }, dense(4)]);
    outer.layers[1].model = inner;
    const e = estimateModel(outer);
    assert.deepEqual(e.layers.map((l) => l.layer.kind), ['dense', 'dense', 'dense']);
    assert.ok(e.layers.every((l) => (l.gradientRms ?? 0) > 0));
  });

  it('opaque layers pass through as identity and say so; unknown input dims become 16', () => {
    const g = sequential('m', [null, 8], [{ kind: 'opaque' }, { kind: 'lstm', config: { units: 4 } }]);
    const e = estimateModel(g);
    assert.match(e.layers[0].assumptions.join('\n'), /custom layer: assumed identity/);
    assert.match(e.assumptions.join('\n'), /unknown input dimensions of input_0 taken as 16/);
  });

  it('never throws or returns NaN on unusable configurations', () => {
    const odd: LayerSpec[] = [
      { kind: 'conv2d', config: { filters: 4, kernelSize: 0, strides: 0, dilationRate: -1 } },
      { kind: 'constructor' },
      { kind: 'maxPooling2d', config: { poolSize: 'big' } },
      { kind: 'batchNormalization', config: { epsilon: 0 } },
      { kind: 'reshape', config: { targetShape: 'x' } },
      { kind: 'dense', config: { units: -3, kernelInitializer: { name: 'randomNormal', stddev: 1e6 } } },
    ];
    for (const shape of [[8, 8, 3], [0], []]) {
      const e = estimateModel(sequential('odd', shape, odd));
      const numbers = e.layers.flatMap((l) => [l.gradientRms ?? 0, l.activationRms]);
      assert.ok(numbers.every((x) => !Number.isNaN(x)), JSON.stringify(numbers));
      assert.match(e.layers[0].assumptions.join('\n'), /strides 0 not usable; assumed 1/);
    }
  });
});

describe('estimate: YOLO YAML (per row)', () => {
  const file = path.join(__dirname, '../../fixtures/yolo/v8/yolov8.yaml');

  it('yolov8n: one entry per row, a positive depth ratio inside the range PyTorch measures upstream (1.2..4.2)', function () {
    if (!fs.existsSync(file)) this.skip();
    const [model] = extractYaml(file, fs.readFileSync(file, 'utf8')).models;
    const e = estimateModel(model);
    assert.equal(e.layers.length, model.rows?.length);
    assert.deepEqual(e.layers.slice(0, 3).map((l) => [l.layer.row, l.layer.kind]), [[0, 'Conv'], [1, 'Conv'], [2, 'C2f']]);
    assert.equal(e.layers[10].gradientRms, null, 'nn.Upsample has no kernel');
    near(e.depthRatioLog10, 2.7, 1.5, 'depth ratio');
    assert.ok(e.maxActivationRmsLog10 < 1);
  });
});
