import { strict as assert } from 'assert';
import { extractTfjs } from '../../../src/core/tfjs/extract';
import { flow, kinds, load, slice } from './helpers';

describe('tfjs extraction: sequential models', () => {
  it('unrolls 8 sigmoid dense layers added in a for loop, plus the final dense (done-when case)', () => {
    const r = load('loop-sigmoid.js');
    assert.equal(r.problems.length, 0);
    const m = r.model('model');
    const dense = flow(m).filter((l) => l.kind === 'dense');
    assert.equal(dense.length, 9);
    for (const l of dense.slice(0, 8)) {
      assert.equal(l.config.activation, 'sigmoid');
      assert.equal(l.config.units, 64);
      assert.deepEqual(l.config.kernelInitializer, { name: 'glorotNormal' });
      assert.equal(l.line, 5, 'the line of the dense call inside the loop');
    }
    assert.equal(dense[8].config.activation, 'linear');
    assert.equal(dense[8].line, 7);
    assert.deepEqual(dense.map((l) => l.name), ['dense_1', 'dense_2', 'dense_3', 'dense_4', 'dense_5', 'dense_6', 'dense_7', 'dense_8', 'dense_9']);
    assert.deepEqual(m.inputShape, [32]);
    assert.equal(new Set(dense.map((l) => l.id)).size, 9, 'each unrolled layer is its own layer');
  });

  it('reads a layers array, resolving aliases and pooling strides', () => {
    const r = load('sequential-layers-array.js');
    const m = r.model('model');
    assert.deepEqual(kinds(m), ['input', 'conv2d', 'maxPooling2d', 'flatten', 'dense']);
    assert.deepEqual(m.inputShape, [28, 28, 1]);
    const [input, conv, pool, flatten] = flow(m);
    assert.equal(input.name, 'conv2d_1_input');
    assert.equal(pool.config.strides, 2);
    assert.equal(slice(r.text, conv.range).startsWith('tf.layers.conv2d({inputShape'), true);
    assert.equal(slice(r.text, flatten.configRange), '', 'no literal: the inside of the parentheses');
    assert.equal(conv.line, 5);
    assert.equal(m.line, 3);
  });

  it('records where each property and its value are written', () => {
    const r = load('add-chain.ts');
    const m = r.model('model');
    assert.deepEqual(kinds(m), ['input', 'dense', 'dropout', 'dense']);
    const dense = flow(m)[1];
    assert.equal(slice(r.text, dense.props.activation.range), "activation: 'relu'");
    assert.equal(slice(r.text, dense.props.activation.value), "'relu'");
    assert.equal(slice(r.text, dense.configRange), "{units: 32, inputShape: [4], activation: 'relu'}");
    assert.equal(flow(m)[2].config.rate, 0.5);
  });

  it('unrolls forEach, map, for-of and Array.from over literal arrays', () => {
    const fe = load('foreach-literal.js').model('model');
    assert.deepEqual(flow(fe).slice(1).map((l) => l.config.units), [128, 64, 32, 3]);
    assert.deepEqual(fe.inputShape, [20]);
    const map = load('map-literal.js').model('model');
    assert.deepEqual(flow(map).slice(1).map((l) => [l.config.units, l.config.activation]), [[100, 'linear'], [64, 'elu'], [32, 'elu'], [1, 'linear']]);
    const forOf = load('for-of-literal.js').model('model');
    assert.deepEqual(kinds(forOf), ['input', 'dense', 'dense']);
    assert.deepEqual(flow(forOf).slice(1).map((l) => l.config.activation), ['relu', 'tanh']);
    assert.deepEqual(forOf.inputShape, [16]);
    const from = load('array-from.js').model('model');
    assert.deepEqual(flow(from).slice(1).map((l) => l.config.units), [4, 8, 16, 32]);
  });

  it('unrolls nested loops and while loops with known bounds', () => {
    const nested = load('loop-nested-known.js').model('model');
    assert.deepEqual(flow(nested).filter((l) => l.kind === 'conv2d').map((l) => l.config.filters), [16, 16, 32, 32]);
    const w = load('while-loop.js').model('model');
    assert.deepEqual(flow(w).slice(1).map((l) => l.config.units), [256, 128, 64, 32]);
  });

  it('reads a loop with an unknown bound once and says what it assumed, where', () => {
    const r = load('loop-unknown-bound.js');
    const m = r.model('build');
    assert.deepEqual(kinds(m), ['input', 'dense', 'dense']);
    assert.equal(r.problems.length, 1);
    const p = r.problems[0];
    assert.equal(p.severity, 'info');
    assert.match(p.message, /bound of this loop is not known statically \(`i < numLayers`\).*read once/);
    assert.ok(slice(r.text, p.range).startsWith('for (let i = 0; i < numLayers; i++)'));
    assert.match(flow(m)[1].unknown.inputShape, /counter of a loop/);
  });

  it('caps a huge literal loop at 512 layers with a warning instead of hanging', () => {
    const r = load('loop-huge.js');
    const m = r.model('model');
    assert.equal(m.layers.filter((l) => l.kind === 'dense').length, 512);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].severity, 'warning');
    assert.match(r.problems[0].message, /more than 512 layers; only the first 512 iterations/);
    assert.ok(slice(r.text, r.problems[0].range).startsWith('for (let i = 0; i < 100000'));
  });

  it('takes input shapes from inputShape, inputDim, inputLength and batchInputShape', () => {
    const r = load('input-shapes.js');
    assert.deepEqual(r.model('text').inputShape, [50]);
    assert.deepEqual(r.model('tabular').inputShape, [7]);
    assert.deepEqual(r.model('batched').inputShape, [6]);
    assert.deepEqual(flow(r.model('batched'))[0].config.batchInputShape, [32, 6]);
  });

  it('resolves pooling aliases and their strides', () => {
    const m = load('pooling-aliases.js').model('model');
    assert.deepEqual(kinds(m), ['input', 'conv1d', 'averagePooling1d', 'maxPooling1d', 'globalMaxPooling1d']);
    assert.equal(flow(m)[2].config.strides, 4);
    assert.equal(flow(m)[3].config.strides, 1);
  });
});

describe('tfjs extraction: functional models', () => {
  it('follows tf.input / apply / tf.model through TypeScript casts', () => {
    const m = load('functional-basic.ts').model('regressor');
    assert.deepEqual(kinds(m), ['input', 'dense', 'dense', 'dense']);
    assert.deepEqual(m.inputShape, [32]);
    assert.deepEqual(m.nodes.map((n) => n.inputs), [[], ['n0'], ['n1'], ['n2']]);
    assert.deepEqual(m.inputs, ['n0']);
    assert.deepEqual(m.outputs, ['n3']);
    assert.equal(flow(m)[0].name, 'input_1');
  });

  it('connects merge layers applied to arrays, several inputs and outputs', () => {
    const m = load('functional-merge.js').model('twoTowers');
    assert.equal(m.inputs.length, 2);
    assert.equal(m.outputs.length, 2);
    const byKind = (k: string) => m.nodes.find((n) => m.layers.find((l) => l.id === n.layer)!.kind === k)!;
    assert.equal(byKind('add').inputs.length, 2);
    assert.equal(byKind('multiply').inputs.length, 2);
    assert.deepEqual(byKind('concatenate').inputs, [byKind('add').id, byKind('multiply').id]);
    assert.deepEqual(m.layers.filter((l) => l.kind === 'input').map((l) => l.name), ['left', 'right']);
    // topological: every input appears before its consumer
    const pos = new Map(m.nodes.map((n, i) => [n.id, i]));
    for (const n of m.nodes) for (const i of n.inputs) assert.ok(pos.get(i)! < pos.get(n.id)!);
  });

  it('keeps one layer with several applications when weights are shared', () => {
    const m = load('shared-layer.js').model('siamese');
    const dense = m.layers.filter((l) => l.kind === 'dense');
    assert.equal(dense.length, 1);
    assert.equal(m.nodes.filter((n) => n.layer === dense[0].id).length, 2);
    assert.equal(m.layers.find((l) => l.kind === 'dot')!.config.normalize, true);
  });

  it('tracks destructured multi-output applies and initialState', () => {
    const m = load('destructured-lstm.ts').model('seq2seq');
    const [enc, dec] = m.layers.filter((l) => l.kind === 'lstm');
    const encNode = m.nodes.find((n) => n.layer === enc.id)!;
    const decNode = m.nodes.find((n) => n.layer === dec.id)!;
    assert.deepEqual(decNode.inputs.slice(1), [encNode.id, encNode.id]);
    assert.deepEqual(decNode.inputOutputs, [0, 1, 2]);
    assert.deepEqual(m.inputShape, [null, 40]);
    assert.equal(enc.config.returnState, true);
  });

  it('turns a sequential model applied as a layer into a nested model layer', () => {
    const r = load('nested-sequential.js');
    const m = r.model('classifier');
    assert.deepEqual(kinds(m), ['input', 'model', 'dense']);
    const nested = flow(m)[1];
    assert.equal(nested.name, 'sequential_1');
    assert.deepEqual(kinds(nested.model!), ['input', 'conv2d', 'flatten']);
    assert.ok(r.models.some((x) => x.name === 'cnn'), 'the inner model is listed too');
  });

  it('folds reduce over a layer array', () => {
    const m = load('reduce-apply.js').model('tower');
    assert.deepEqual(flow(m).slice(1).map((l) => l.config.units), [32, 16, 8]);
  });

  it('reads the public-example style functional model with concatenate and two outputs', () => {
    const m = load('example-functional-concat.ts').model('buildRecommender');
    assert.equal(m.layers.filter((l) => l.kind === 'dense').length, 5);
    assert.equal(m.layers.filter((l) => l.kind === 'dropout').length, 2);
    assert.equal(m.layers.find((l) => l.kind === 'embedding')!.config.inputDim, 5000);
    assert.deepEqual(m.outputs.map((id) => flow(m).find((_, i) => m.nodes[i].id === id)!.name), ['click', 'rating']);
    assert.deepEqual(m.layers.filter((l) => l.kind === 'input').map((l) => l.config.batchInputShape), [[null, 12], [null, 6]]);
  });
});

describe('tfjs extraction: builders, classes and control flow', () => {
  it('folds a builder called with known arguments and names the model after it', () => {
    const m = load('builder-known-args.js').model('buildModel');
    assert.deepEqual(flow(m).slice(1).map((l) => [l.config.units, l.config.activation]), [[32, 'tanh'], [16, 'tanh']]);
    assert.deepEqual(m.inputShape, [4]);
  });

  it('reads a builder never called with its parameters unknown, saying why', () => {
    const m = load('builder-never-called.js').model('createModel');
    const [, first, second] = flow(m);
    assert.equal('units' in first.config, false);
    assert.match(first.unknown.units, /`hiddenUnits` is a parameter of `createModel`/);
    assert.equal(first.config.activation, 'relu');
    assert.match(second.unknown.units, /`outputSize`/);
  });

  it('extracts every builder a switch chooses among', () => {
    const r = load('switch-builders.js');
    assert.deepEqual(r.models.map((m) => m.name).sort(), ['buildDense', 'buildRnn']);
    assert.deepEqual(kinds(r.model('buildRnn')), ['input', 'simpleRNN', 'dense']);
  });

  it('assumes the first case of an unknown switch that adds layers, and says so', () => {
    const r = load('switch-inline-unknown.js');
    assert.deepEqual(kinds(r.model('createModel')), ['input', 'gru', 'dense']);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /`rnnType` is not known statically: assumed case 'GRU'/);
    assert.equal(slice(r.text, r.problems[0].range), 'rnnType');
  });

  it('assumes an unknown if condition that adds a layer is true, and says so', () => {
    const r = load('conditional-layer.js');
    assert.deepEqual(kinds(r.model('build')), ['input', 'dense', 'batchNormalization', 'dense']);
    assert.match(r.problems[0].message, /`useBatchNorm` is not known statically: assumed true/);
  });

  it('follows recursion with a known depth and caps runaway recursion', () => {
    const r = load('recursion.js');
    assert.deepEqual(flow(r.model('deep')).slice(1).map((l) => l.config.units), [32, 24, 16, 8]);
    const runaway = r.model('runaway');
    assert.equal(runaway.layers.filter((l) => l.kind === 'dense').length, 8);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /Recursion in `forever` is deeper than 8 calls/);
    assert.equal(slice(r.text, r.problems[0].range), 'function forever(model) ');
  });

  it('reads models built in class constructors and names them after the property', () => {
    const r = load('class-model.js');
    const m = r.model('policyNet');
    assert.deepEqual(kinds(m), ['input', 'dense', 'dense']);
    assert.match(flow(m)[1].unknown.units, /element of `hiddenLayerSizes`/);
    assert.match(r.problems[0].message, /`hiddenLayerSizes` is not known statically: the loop body was read once/);
    assert.deepEqual(load('model-in-object.js').models.map((x) => x.name), ['encoder', 'critic']);
  });

  it('reads models built inside event handlers and React components', () => {
    assert.deepEqual(kinds(load('event-handler.js').model('model')), ['input', 'dense', 'dense']);
    assert.deepEqual(kinds(load('react-component.jsx').model('buildModel')), ['input', 'dense']);
    assert.deepEqual(kinds(load('generic-component.tsx').model('model')), ['input', 'dense']);
  });

  it('applies default parameters and destructured options', () => {
    const m = load('default-params.js').model('build');
    assert.deepEqual([flow(m)[1].config.units, flow(m)[1].config.activation], [8, 'selu']);
    assert.deepEqual(m.inputShape, [6]);
  });

  it('reads TypeScript casts, non-null assertions and satisfies', () => {
    const r = load('ts-casts.ts');
    assert.equal(flow(r.model('maybe'))[1].config.units, 12);
    assert.deepEqual(kinds(r.model('typed')), ['input', 'dense']);
  });
});

describe('tfjs extraction: imports', () => {
  const cases: [string, string, number][] = [
    ['import-named.js', 'model', 2],
    ['import-node.js', 'model', 1],
    ['import-node-gpu.ts', 'model', 1],
    ['require.js', 'model', 1],
    ['require-destructured.js', 'net', 1],
    ['require-destructured.js', 'head', 1],
    ['import-alias.js', 'model', 1],
    ['global-tf-script.js', 'model', 1],
  ];
  for (const [file, name, dense] of cases) {
    it(`${file}: ${name} has ${dense} dense layer(s)`, () => {
      const m = load(file).model(name);
      assert.equal(m.layers.filter((l) => l.kind === 'dense').length, dense);
    });
  }

  it('names the module an imported unknown value comes from', () => {
    const m = load('import-alias.js').model('model');
    assert.equal(flow(m)[1].unknown.units, "`other` is imported from './not-tfjs'");
  });

  it('finds nothing, and reports nothing, in a file without tfjs', () => {
    const r = load('no-tfjs.js');
    assert.deepEqual(r, { ...r, models: [], problems: [] });
    assert.deepEqual(extractTfjs('x.js', 'const = = broken'), { file: 'x.js', models: [], problems: [] });
  });
});

describe('tfjs extraction: configuration values', () => {
  it('folds constants, arithmetic, template strings, ternaries, shorthand and spreads', () => {
    const r = load('constants-folding.js');
    const [, first, second] = flow(r.model('model'));
    assert.equal(first.config.units, 32);
    assert.equal(first.config.activation, 'relu');
    assert.deepEqual(first.config.kernelInitializer, { name: 'heNormal' });
    assert.deepEqual(first.config.inputShape, [3]);
    assert.equal(slice(r.text, first.props.activation.range), "activation: useTanh ? 'tanh' : ACT", 'a spread key points at its own literal');
    assert.equal(second.config.units, 8);
    assert.equal(second.name, 'head_4');
    assert.equal(slice(r.text, second.props.name.range), 'name');
  });

  it('reads a config that spreads an object containing itself, marking that key unknown', () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      'const extra = {}; extra.self = extra;',
      'const model = tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [3], ...extra})]});',
    ].join('\n');
    const r = extractTfjs('self.js', text);
    assert.deepEqual(r.problems, []);
    const [, dense] = flow(r.models[0]);
    assert.equal(dense.config.units, 4);
    assert.equal(dense.unknown.self, 'a value that contains itself');
  });

  it('marks what cannot be known, never guessing', () => {
    const r = load('unknown-identifiers.js');
    const [, a, b, c] = flow(r.model('model'));
    assert.equal(a.unknown.units, '`getUnits()` is not known statically');
    assert.equal(a.unknown.activation, '`ACTIVATION` is not defined in this file');
    assert.equal('activation' in a.config, false);
    assert.equal(b.config.units, 2);
    assert.match(b.unknown.activation, /`\.\.\.userConfig` spreads a value not known statically/);
    assert.equal(b.configRange, undefined, 'a config with an unknown spread is not edited');
    assert.match(c.unknown.units ?? c.unknown.activation, /`makeConfig\(\)`/);
    assert.match(c.note!, /configuration is not known statically/);
  });

  it('normalises initializers from factories, class names and dicts', () => {
    const ls = flow(load('initializers.js').model('model')).slice(1);
    assert.deepEqual(ls[0].config.kernelInitializer, { name: 'heNormal', seed: 1 });
    assert.deepEqual(ls[1].config.kernelInitializer, { name: 'zeros' });
    assert.deepEqual(ls[1].config.biasInitializer, { name: 'ones' });
    assert.deepEqual(ls[2].config.kernelInitializer, { name: 'varianceScaling', scale: 2, mode: 'fanIn' });
    assert.deepEqual(ls[3].config.kernelInitializer, { name: 'randomNormal', mean: 0, stddev: 1 });
  });

  it("applies tfjs's recurrent and embedding defaults", () => {
    const [, lstm, gru, rnn, emb] = flow(load('recurrent-defaults.js').model('model'));
    assert.equal(lstm.config.recurrentActivation, 'hardSigmoid');
    assert.equal(lstm.config.unitForgetBias, false);
    assert.deepEqual(lstm.config.recurrentInitializer, { name: 'orthogonal' });
    assert.equal(gru.config.recurrentActivation, 'hardSigmoid');
    assert.equal(rnn.config.activation, 'tanh');
    assert.deepEqual(emb.config.embeddingsInitializer, { name: 'randomUniform' });
  });

  it('keeps the wrapped layer of bidirectional and timeDistributed', () => {
    const [, bi, td] = flow(load('wrappers.js').model('model'));
    assert.equal(bi.config.mergeMode, 'sum');
    assert.equal(bi.wrapped!.kind, 'lstm');
    assert.equal(bi.wrapped!.config.units, 16);
    assert.equal(td.wrapped!.config.activation, 'softmax');
    assert.equal('layer' in td.config, false);
  });

  it('sees layer.trainable = false', () => {
    const [, base] = flow(load('trainable-false.js').model('model'));
    assert.equal(base.config.trainable, false);
  });
});

describe('tfjs extraction: opaque parts and failures', () => {
  it('keeps custom layer classes as opaque layers with a note', () => {
    const m = load('custom-layer.js').model('model');
    assert.deepEqual(kinds(m), ['input', 'dense', 'opaque', 'dense']);
    assert.match(flow(m)[2].note!, /custom layer `Antirectifier`/);
  });

  it('keeps loaded models opaque and follows the new head', () => {
    const r = load('load-layers-model.js');
    const loaded = r.model('mobilenet');
    assert.match(loaded.notes![0], /loaded at run time by tf.loadLayersModel/);
    assert.deepEqual(kinds(r.model('loadTruncated')), ['input', 'opaque']);
    assert.deepEqual(kinds(r.model('buildHead')), ['input', 'flatten', 'dense', 'dense']);
  });

  it('warns about a tf.layers name that is not a factory', () => {
    const r = load('not-a-factory.js');
    assert.deepEqual(kinds(r.model('model')), ['input', 'dense', 'opaque']);
    assert.equal(r.problems[0].severity, 'warning');
    assert.equal(slice(r.text, r.problems[0].range), 'tf.layers.multiHeadAttention');
  });

  it('gives one problem and no models for half-typed code', () => {
    const r = load('half-typed.js');
    assert.equal(r.models.length, 0);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].severity, 'error');
    assert.match(r.problems[0].message, /^Syntax error: /);
    assert.ok(r.problems[0].range.start >= r.text.indexOf('units:'));
  });

  it('gives one problem at the position of a syntax error', () => {
    const r = load('syntax-error.js');
    assert.equal(r.models.length, 0);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].message, "Syntax error: ')' expected.");
    assert.equal(r.text.slice(0, r.problems[0].range.start).split('\n').length, 4);
  });

  it('never throws on any prefix of a model file', () => {
    const { text } = load('example-functional-concat.ts');
    for (let end = 0; end <= text.length; end += 7) {
      const r = extractTfjs('prefix.ts', text.slice(0, end));
      assert.ok(Array.isArray(r.models) && Array.isArray(r.problems));
      assert.ok(r.problems.every((p) => !p.message.includes('internal error')), `internal error at ${end}`);
    }
  });
});

describe('tfjs extraction: public-example style files', () => {
  it('mnist convnet chosen from a UI select: both models, right layer counts', () => {
    const r = load('example-mnist-convnet.js');
    assert.deepEqual(kinds(r.model('convNet')), ['input', 'conv2d', 'maxPooling2d', 'conv2d', 'maxPooling2d', 'flatten', 'dense', 'dense']);
    assert.deepEqual(kinds(r.model('denseNet')), ['input', 'flatten', 'dense', 'dense']);
    assert.equal(r.models.length, 2);
    assert.match(flow(r.model('convNet'))[1].unknown.inputShape, /`IMAGE_H` is imported from '.\/data'/);
  });

  it('lstm text generation: stacked LSTMs from an array argument', () => {
    const m = load('example-lstm-text.js').model('createModel');
    const [, l1, l2, dense] = flow(m);
    assert.deepEqual([l1.config.returnSequences, l2.config.returnSequences], [true, false]);
    assert.deepEqual(m.inputShape, [40, 60]);
    assert.equal(dense.config.units, 60);
  });

  it('addition RNN: encoder, repeatVector, decoder, timeDistributed dense', () => {
    const m = load('example-addition-rnn.js').model('buildAdder');
    assert.deepEqual(kinds(m), ['input', 'lstm', 'repeatVector', 'lstm', 'timeDistributed', 'activation']);
    assert.equal(flow(m)[2].config.n, 4);
    assert.equal(flow(m)[4].wrapped!.config.units, 12);
    assert.deepEqual(m.inputShape, [7, 12]);
  });
});
