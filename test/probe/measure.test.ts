import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { ModelGraph } from '../../src/core/graph';
import { measureModel } from '../../src/probe/measure';
import { extractModels } from '../../src/core/extract';
import { estimateModel } from '../../src/core/estimate/estimate';
import type { ProbeModelResult } from '../../src/core/gradientResult';
import type { ProbeOptions } from '../../src/probe/types';
import { probeGraphs, selectModels } from '../../src/probe/probeFile';
import { layer, repeat, sequential, type LayerSpec } from './graphs';

const options: ProbeOptions = { steps: 1, seed: 0, learningRate: 0.01, backend: 'cpu' };
const log10FirstGradient = (r: { layers: { gradientRms: number[] | null }[] }) =>
  Math.log10(r.layers.find((l) => l.gradientRms)!.gradientRms![0]);

const sigmoid = { kind: 'dense', config: { units: 64, activation: 'sigmoid' } };
const relu = { kind: 'dense', config: { units: 64, activation: 'relu' } };
const head = { kind: 'dense', config: { units: 10 } };

describe('probe measurement: the contract reference points (cpu, ±0.3 decades)', () => {
  const points: [string, ModelGraph, number, number][] = [
    ['8 × dense(64, sigmoid) + dense(10)', sequential('sig', [64], [...repeat(8, sigmoid), head]), -5.7, -7.0],
    ['8 × dense(64, relu) + dense(10)', sequential('relu', [64], [...repeat(8, relu), head]), -0.2, -3.3],
    [
      '16 × dense(64, sigmoid) with batch norm after each + dense(10)',
      sequential('bn', [64], [...repeat(16, sigmoid, { kind: 'batchNormalization' }), head]),
      -0.1,
      -1.1,
    ],
  ];
  for (const [title, graph, ratio, first] of points) {
    it(title, async () => {
      const result = await measureModel(graph, options);
      assert.ok(Math.abs(result.depthRatioLog10! - ratio) <= 0.3, `depth ratio ${result.depthRatioLog10}`);
      assert.ok(Math.abs(log10FirstGradient(result) - first) <= 0.3, `first gradient ${log10FirstGradient(result)}`);
    });
  }
});

describe('probe measurement: what is reported', () => {
  it('gives one value per step, null gradients for layers without kernels, and the backend', async () => {
    const graph = sequential('m', [8], [
      { kind: 'dense', config: { units: 8, activation: 'tanh' } },
      { kind: 'batchNormalization' },
      { kind: 'dropout', config: { rate: 0.5 } },
      { kind: 'dense', config: { units: 2 } },
    ]);
    const steps: number[] = [];
    const result = await measureModel(graph, { ...options, steps: 3 }, (done) => steps.push(done));
    assert.deepStrictEqual(steps, [1, 2, 3]);
    assert.strictEqual(result.backend, 'cpu');
    assert.deepStrictEqual(result.layers.map((l) => [l.name, l.kind, l.line, l.row]), [
      ['dense_l1', 'dense', 2, null],
      ['batchNormalization_l2', 'batchNormalization', 3, null],
      ['dropout_l3', 'dropout', 4, null],
      ['dense_l4', 'dense', 5, null],
    ]);
    assert.deepStrictEqual(result.layers.map((l) => l.gradientRms === null), [false, true, true, false]);
    for (const l of result.layers) {
      assert.strictEqual(l.activationRms.length, 3);
      if (l.gradientRms) assert.strictEqual(l.gradientRms.length, 3);
    }
    // SGD moved the weights between steps.
    const g = result.layers[0].gradientRms!;
    assert.notStrictEqual(g[0], g[1]);
    // Training mode: batch norm normalises with batch statistics, so its output RMS is ≈ 1.
    assert.ok(Math.abs(result.layers[1].activationRms[0] - 1) < 0.05, String(result.layers[1].activationRms[0]));
    // Dropout is active: half the units are zeroed and the rest doubled, so the RMS grows by ≈ √2.
    const ratio = result.layers[2].activationRms[0] / result.layers[1].activationRms[0];
    assert.ok(ratio > 1.2 && ratio < 1.6, `dropout changed the RMS by ${ratio}`);
  });

  it('is reproducible for one seed and differs for another', async () => {
    const graph = sequential('m', [16], [relu, head]);
    const a = await measureModel(graph, options);
    const b = await measureModel(graph, options);
    const c = await measureModel(graph, { ...options, seed: 1 });
    assert.deepStrictEqual(a, b);
    assert.notDeepStrictEqual(a.layers[0].gradientRms, c.layers[0].gradientRms);
  });

  it('leaves no tensors behind', async () => {
    const graph = sequential('m', [16], [relu, { kind: 'batchNormalization' }, head]);
    await measureModel(graph, options);
    const before = tf.memory().numTensors;
    await measureModel(graph, { ...options, steps: 2 });
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('leaves no tensors or wasm buffers behind when the composed backprop kernels run', async () => {
    const graph = sequential('convs', [8, 8, 3], [
      { kind: 'conv2d', config: { filters: 4, kernelSize: 3, strides: 2, padding: 'same' } },
      { kind: 'depthwiseConv2d', config: { kernelSize: 3, padding: 'same' } },
      { kind: 'flatten' },
      { kind: 'dense', config: { units: 2 } },
    ]);
    const wasm = { ...options, backend: 'wasm' as const };
    await measureModel(graph, wasm);
    const before = [tf.memory().numTensors, tf.engine().backend.numDataIds()];
    await measureModel(graph, { ...wasm, steps: 2 });
    assert.deepStrictEqual([tf.memory().numTensors, tf.engine().backend.numDataIds()], before);
  });

  it('uses 16 for unknown dimensions and integer inputs for embeddings', async () => {
    const graph = sequential('emb', [null], [
      { kind: 'embedding', config: { inputDim: 50, outputDim: 8 } },
      { kind: 'lstm', config: { units: 4 } },
      { kind: 'dense', unknown: { units: 'comes from a function argument' } },
    ]);
    const result = await measureModel(graph, options);
    assert.deepStrictEqual(result.layers.map((l) => l.gradientRms !== null && l.gradientRms[0] > 0), [true, true, true]);
    // activation RMS of the embedding ≈ the uniform(±0.05) table's: 0.05/√3.
    assert.ok(Math.abs(result.layers[0].activationRms[0] - 0.0289) < 0.005, String(result.layers[0].activationRms[0]));
  });

  it('builds functional graphs with shared layers, merges and two outputs', async () => {
    const graph: ModelGraph = {
      name: 'functional',
      line: 1,
      range: { start: 0, end: 0 },
      source: 'tfjs',
      layers: [
        layer('a', { kind: 'input', config: { shape: [6] } }, 1),
        layer('b', { kind: 'input', config: { shape: [6] } }, 2),
        layer('shared', { kind: 'dense', config: { units: 5, activation: 'relu' } }, 3),
        layer('cat', { kind: 'concatenate' }, 4),
        layer('out1', { kind: 'dense', config: { units: 2 } }, 5),
        layer('sum', { kind: 'add' }, 6),
      ],
      nodes: [
        { id: 'na', layer: 'a', inputs: [] },
        { id: 'nb', layer: 'b', inputs: [] },
        { id: 's1', layer: 'shared', inputs: ['na'] },
        { id: 's2', layer: 'shared', inputs: ['nb'] },
        { id: 'c', layer: 'cat', inputs: ['s1', 's2'] },
        { id: 'o1', layer: 'out1', inputs: ['c'] },
        { id: 'o2', layer: 'sum', inputs: ['s1', 's2'] },
      ],
      inputs: ['na', 'nb'],
      outputs: ['o1', 'o2'],
    };
    const result = await measureModel(graph, options);
    assert.deepStrictEqual(result.layers.map((l) => l.name), ['dense_shared', 'concatenate_cat', 'dense_out1', 'add_sum']);
    assert.ok(result.layers[0].gradientRms![0] > 0);
  });

  it('measures gradients far below float32 squares (10^-29 through 40 sigmoid layers), not 0', async () => {
    const result = await measureModel(sequential('deep', [64], [...repeat(40, sigmoid), head]), options);
    // The estimate predicts 10^-28.8 for the first layer and a depth ratio of 10^-27.6.
    assert.ok(Math.abs(log10FirstGradient(result) - -28.8) <= 0.5, `first gradient 10^${log10FirstGradient(result)}`);
    assert.ok(Math.abs(result.depthRatioLog10! - -27.6) <= 0.5, `depth ratio 10^${result.depthRatioLog10}`);
  });

  it('backpropagates through thresholdedReLU (its step gets a zero gradient) and agrees with the estimate', async () => {
    const block: LayerSpec[] = [{ kind: 'dense', config: { units: 64, kernelInitializer: 'heNormal' } }, { kind: 'thresholdedReLU', config: { theta: 0.5 } }];
    const graph = sequential('thr', [64], [...repeat(6, ...block), head]);
    const result = await measureModel(graph, options);
    const predicted = estimateModel(graph).layers.find((l) => l.gradientRms)!.gradientRms!;
    const first = log10FirstGradient(result);
    assert.ok(Math.abs(first - Math.log10(predicted)) <= 0.5, `first gradient 10^${first.toFixed(2)}, estimate 10^${Math.log10(predicted).toFixed(2)}`);
  });

  it('gives a depth ratio of −∞ when the first layer gets no gradient and the last does, as the estimate does', async () => {
    // Nothing gets past thresholdedReLU(θ = 1.2) behind a sigmoid; the sigmoid after it turns the zeros into 0.5s.
    const graph = sequential('blocked', [64], [
      { kind: 'dense', config: { units: 64, activation: 'sigmoid' } },
      { kind: 'thresholdedReLU', config: { theta: 1.2 } },
      { kind: 'dense', config: { units: 64, activation: 'sigmoid' } },
      head,
    ]);
    const result = await measureModel(graph, options);
    assert.strictEqual(result.depthRatioLog10, -Infinity);
    assert.strictEqual(estimateModel(graph).depthRatioLog10, -Infinity);
  });

  it('builds a seq2seq model: the decoder starts from the encoder\'s returned h and c, and the encoder gets their gradient', async () => {
    const file = path.join(__dirname, '../fixtures/tfjs/destructured-lstm.ts');
    const [graph] = extractModels(file, fs.readFileSync(file, 'utf8')).models;
    const result = await measureModel(graph, options);
    const [encoder, decoder] = result.layers.map((l) => Math.log10(l.gradientRms![0]));
    // The estimate (gradlint estimate) predicts 10^-5.9 and 10^-5.1; the encoder learns only through the states.
    assert.ok(Math.abs(encoder - -5.9) <= 0.5, `encoder gradient 10^${encoder.toFixed(2)}`);
    assert.ok(Math.abs(decoder - -5.1) <= 0.5, `decoder gradient 10^${decoder.toFixed(2)}`);
  });
});

describe('probe measurement: models it refuses', () => {
  it('refuses a 10^9-parameter model before allocating it', async () => {
    const graph = sequential('huge', [100_000], [{ kind: 'dense', config: { units: 10_000 } }]);
    await assert.rejects(measureModel(graph, options), /at least 1\.00e\+9 parameters, more than the probe's cap of 1e\+8/);
  });

  it('names a layer kind it cannot build', async () => {
    const graph = sequential('custom', [4], [{ kind: 'opaque' }]);
    await assert.rejects(measureModel(graph, options), /layer opaque_l1 \(opaque, line 2\): the probe cannot build layers of kind 'opaque'/);
  });

  it('frees the weights it built before a layer it cannot build', async () => {
    const graph = sequential('half', [4], [
      { kind: 'dense', config: { units: 4 } },
      { kind: 'dense', config: { units: 4 } },
      { kind: 'opaque' },
    ]);
    await assert.rejects(measureModel(graph, options));
    const before = tf.memory().numTensors;
    await assert.rejects(measureModel(graph, options), /opaque/);
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('names the layer whose output comes out empty, instead of failing in a kernel', async () => {
    // 4×4 → 3×3 convolutions: 2×2, then nothing.
    const conv = { kind: 'conv2d', config: { filters: 2, kernelSize: 3 } };
    const graph = sequential('shrinks', [4, 4, 1], [conv, conv]);
    await assert.rejects(measureModel(graph, options), /layer conv2d_l2 \(conv2d, line 3\): its output \[0, 0, 2\] is empty for its input \[2, 2, 2\]; give the model a larger input shape/);
  });

  it('says a reshape whose target shape is known only at run time cannot be built, and why', async () => {
    const graph = sequential('runtimeReshape', [64], [
      { kind: 'dense', config: { units: 64 } },
      { kind: 'reshape', unknown: { targetShape: '`h` is a parameter of `build`, never called with known arguments' } },
    ]);
    await assert.rejects(
      measureModel(graph, options),
      /^Error: layer reshape_l2 \(reshape, line 3\): its targetShape is known only at run time \(`h` is a parameter of `build`, never called with known arguments\) and tfjs has no default for it, so the probe cannot build it; give the targetShape as constants$/,
    );
  });

  it('names the layer whose configuration tfjs rejects', async () => {
    const graph = sequential('bad', [4, 4, 1], [{ kind: 'conv2d', config: { filters: 2 } }]);
    await assert.rejects(measureModel(graph, options), /layer conv2d_l1 \(conv2d, line 2\): .*kernelSize/);
  });
});

describe('probe of a file: what the source leaves open', () => {
  const probe = async (text: string) => {
    const notes: string[] = [];
    const file = 'model.js';
    const result = await probeGraphs(file, selectModels(file, text, options), options, undefined, (n) => notes.push(n), text);
    return { result, notes };
  };
  const sizes = (r: ProbeModelResult) => r.layers.map((l) => (l.gradientRms ? 'w' : '-')).join('');

  it('builds layers whose sizes come from arguments (repeatVector n, the input of flatten) with 16s, and says so', async () => {
    const text = [
      "const tf = require('@tensorflow/tfjs');",
      'function build(steps, features, digits) {',
      '  const model = tf.sequential();',
      '  model.add(tf.layers.flatten({ inputShape: [steps, features] }));',
      "  model.add(tf.layers.dense({ units: 8, activation: 'relu' }));",
      '  model.add(tf.layers.repeatVector({ n: digits }));',
      '  model.add(tf.layers.simpleRNN({ units: 8 }));',
      '  return model;',
      '}',
    ].join('\n');
    const { result, notes } = await probe(text);
    assert.strictEqual(sizes(result.models[0]), '-w-w');
    assert.ok(notes.some((n) => n.includes('the shape of input flatten_1_input is not known statically; the probe uses [16, 16]')), notes.join(' | '));
    assert.ok(notes.some((n) => n.startsWith('repeat_vector_1: n is unknown') && n.endsWith('the probe uses 16')), notes.join(' | '));
  });

  it('feeds integers to an input that a nested model embeds', async () => {
    // As tfjs-examples' ACGAN: the class label goes through the generator's embedding.
    const text = [
      "const tf = require('@tensorflow/tfjs');",
      'const latent = tf.input({ shape: [8] });',
      'const label = tf.input({ shape: [1] });',
      'const embedded = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: 10, outputDim: 8 }).apply(label));',
      'const mixed = tf.layers.multiply().apply([latent, embedded]);',
      'const generator = tf.model({ inputs: [latent, label], outputs: tf.layers.dense({ units: 4 }).apply(mixed) });',
      'const z = tf.input({ shape: [8] });',
      'const c = tf.input({ shape: [1] });',
      'const combined = tf.model({ inputs: [z, c], outputs: generator.apply([z, c]) });',
    ].join('\n');
    const { result } = await probe(text);
    const names = result.models.map((m) => m.name);
    assert.deepStrictEqual(names, ['generator', 'combined']);
    assert.ok(result.models.every((m) => m.layers.some((l) => l.gradientRms && l.gradientRms[0] > 0)));
  });

  it('assumes the same 16 rows as the estimate for an embedding whose vocabulary is unknown', async () => {
    const text = [
      "const tf = require('@tensorflow/tfjs');",
      'function build(vocab) {',
      '  const model = tf.sequential();',
      '  model.add(tf.layers.embedding({ inputDim: vocab, outputDim: 16, inputLength: 20 }));',
      '  model.add(tf.layers.lstm({ units: 16 }));',
      '  model.add(tf.layers.dense({ units: 4 }));',
      '  return model;',
      '}',
    ].join('\n');
    const { result } = await probe(text);
    const predicted = estimateModel(selectModels('model.js', text, options)[0]).firstGradientRmsLog10 ?? NaN;
    const measured = log10FirstGradient(result.models[0]);
    assert.ok(Math.abs(predicted - measured) < 0.3, `estimate 10^${predicted.toFixed(2)}, probe 10^${measured.toFixed(2)}`);
  });

  /** A model whose outputs depend on an argument the source never gives. */
  const NO_OUTPUTS = [
    "const tf = require('@tensorflow/tfjs');",
    'function build(head) {',
    "  const x = tf.input({ shape: [4] });",
    '  return tf.model({ inputs: x, outputs: head(x) });',
    '}',
  ];

  it('says why a model has no outputs', async () => {
    await assert.rejects(probe(NO_OUTPUTS.join('\n')), /the model has no outputs \(its outputs are not known statically: /);
  });

  it('probes the other models of a file when one cannot be built, and says why', async () => {
    const text = [
      "const tf = require('@tensorflow/tfjs');",
      'const tiny = tf.sequential();',
      "tiny.add(tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3 }));",
      "tiny.add(tf.layers.conv2d({ filters: 2, kernelSize: 3 }));",
      'const fine = tf.sequential();',
      "fine.add(tf.layers.dense({ inputShape: [4], units: 2 }));",
    ].join('\n');
    const { result, notes } = await probe(text);
    assert.deepStrictEqual(result.models.map((m) => m.name), ['fine']);
    assert.ok(notes.some((n) => /^tiny: not probed: layer conv2d_2 \(conv2d, line 4\): its output \[0, 0, 2\] is empty/.test(n)), notes.join(' | '));
    assert.deepStrictEqual(result.unprobed?.map((u) => u.model), ['tiny']);
    assert.match(result.unprobed?.[0].reason ?? '', /^layer conv2d_2 \(conv2d, line 4\): its output \[0, 0, 2\] is empty/);
  });

  it('names the model apart from the reason, for a model-wide build error', async () => {
    const text = [
      ...NO_OUTPUTS,
      'const fine = tf.sequential();',
      "fine.add(tf.layers.dense({ inputShape: [4], units: 2 }));",
    ].join('\n');
    const { result } = await probe(text);
    assert.equal(result.unprobed?.length, 1);
    assert.match(result.unprobed?.[0].reason ?? '', /^the model has no outputs \(/);
    assert.doesNotMatch(result.unprobed?.[0].reason ?? '', new RegExp(`^${result.unprobed?.[0].model}`));
  });
});
