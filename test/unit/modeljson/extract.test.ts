import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModelJson } from '../../../src/core/modeljson/extract';
import type { ExtractResult, Layer, ModelGraph } from '../../../src/core/graph';
import { LineIndex } from '../../../src/core/text';

const fixtures = path.join(__dirname, '../../fixtures/modeljson');

function read(name: string): { text: string; result: ExtractResult } {
  const text = fs.readFileSync(path.join(fixtures, name), 'utf8');
  return { text, result: extractModelJson(name, text) };
}

function only(name: string): { text: string; model: ModelGraph } {
  const { text, result } = read(name);
  assert.deepEqual(result.problems, []);
  assert.equal(result.models.length, 1);
  return { text, model: result.models[0] };
}

const layer = (model: ModelGraph, name: string): Layer => {
  const found = model.layers.find((l) => l.name === name);
  assert.ok(found, `no layer ${name}`);
  return found;
};

/** Layer names in the graph's order, one per application. */
const flow = (model: ModelGraph): string[] => model.nodes.map((n) => `${n.id}<${n.inputs.join(',')}`);

/** 1-based line of a problem's start, and the text it covers. */
function where(text: string, result: ExtractResult, i = 0): { line: number; text: string } {
  const p = result.problems[i];
  return { line: new LineIndex(text).lineOf(p.range.start), text: text.slice(p.range.start, p.range.end) };
}

/** A functional model.json: one input `x` of `width` features, then `layers` (JSON texts), output `output`. */
function functional(width: number, layers: string[], output: string): string {
  const input = `{"name": "x", "class_name": "InputLayer", "config": {"batch_input_shape": [null, ${width}]}, "inbound_nodes": []}`;
  const config = `{"layers": [${[input, ...layers].join(',')}], "input_layers": [["x", 0, 0]], "output_layers": [["${output}", 0, 0]]}`;
  return `{"modelTopology": {"class_name": "Functional", "config": ${config}}}`;
}

describe('model.json front end', () => {
  it('reads a converter Sequential file: snake_case keys, Keras initializer dicts, tfjs defaults', () => {
    const { text, model } = only('sequential-keras.json');
    assert.equal(model.name, 'sequential-keras.json');
    assert.equal(model.source, 'model.json');
    assert.equal(model.line, 8);
    assert.deepEqual(model.layers.map((l) => `${l.name}:${l.kind}`), ['dense_input:input', 'dense:dense', 'dense_1:dense', 'dropout:dropout', 'dense_2:dense']);
    assert.deepEqual(model.inputShape, [20]);
    assert.deepEqual(flow(model), ['dense_input<', 'dense<dense_input', 'dense_1<dense', 'dropout<dense_1', 'dense_2<dropout']);
    const first = layer(model, 'dense');
    // tfjs's loader camel-cases 'hard_sigmoid'; Keras class dicts become tfjs initializer specs.
    assert.equal(first.config.activation, 'hardSigmoid');
    assert.deepEqual(first.config.kernelInitializer, { name: 'glorotUniform' });
    assert.equal(first.config.useBias, true);
    assert.equal(first.line, 17);
    assert.equal(text.slice(first.props.units.range.start, first.props.units.range.end), '"units": 32');
    assert.equal(text.slice(first.props.activation.value.start, first.props.activation.value.end), '"hard_sigmoid"');
    assert.deepEqual(layer(model, 'dense_1').config.kernelInitializer, { name: 'varianceScaling', scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' });
    // Unset keys carry tfjs's defaults: glorotNormal, not Keras's glorotUniform.
    assert.deepEqual(layer(model, 'dense_2').config.kernelInitializer, { name: 'glorotNormal' });
    assert.equal(layer(model, 'dense_2').config.activation, 'softmax');
    assert.equal(first.configRange, undefined);
  });

  it('reads camelCase keys and adds the implicit input layer from the first layer shape', () => {
    const { model } = only('camelcase.json');
    assert.deepEqual(model.layers.map((l) => l.kind), ['input', 'conv2d', 'maxPooling2d', 'flatten', 'dense']);
    assert.deepEqual(model.inputShape, [28, 28, 1]);
    const conv = model.layers[1];
    assert.deepEqual(conv.config.kernelInitializer, { name: 'heNormal' });
    assert.equal(conv.config.filters, 16);
    assert.equal(conv.config.padding, 'valid');
    assert.deepEqual(model.layers[0].config, { batchInputShape: [null, 28, 28, 1] });
    assert.deepEqual(model.layers[2].config.strides, [2, 2]);
  });

  it('wires functional graphs: merges, a shared layer called twice, named inputs and outputs', () => {
    const { model } = only('functional-shared.json');
    assert.deepEqual(flow(model), ['left<', 'right<', 'shared<left', 'shared@1<right', 'bn<shared', 'skip<bn,left', 'joined<skip,shared@1', 'out<joined']);
    assert.deepEqual(model.inputs, ['left', 'right']);
    assert.deepEqual(model.outputs, ['out']);
    // One Layer object for the shared weights, two applications of it.
    assert.equal(model.layers.filter((l) => l.name === 'shared').length, 1);
    assert.equal(layer(model, 'bn').config.momentum, 0.9);
    assert.equal(layer(model, 'bn').config.epsilon, 1e-3);
  });

  it('reads nested models, wrappers, multi-output tensor indices and custom classes', () => {
    const { model } = only('nested.json');
    assert.equal(model.name, 'nested.json');
    const encoder = layer(model, 'encoder');
    assert.equal(encoder.kind, 'model');
    assert.deepEqual(encoder.model?.layers.map((l) => l.name), ['enc_1_input', 'enc_1', 'enc_2']);
    assert.equal(encoder.model?.name, 'encoder');
    const bi = layer(model, 'bi');
    assert.equal(bi.wrapped?.kind, 'lstm');
    assert.equal(bi.wrapped?.config.recurrentActivation, 'hardSigmoid');
    assert.equal(bi.config.mergeMode, 'concat');
    assert.equal('layer' in bi.config, false);
    // stateful_lstm's second output (its hidden state) feeds the merge.
    const state = model.nodes.find((n) => n.id === 'stateful_lstm:1');
    assert.deepEqual(state, { id: 'stateful_lstm:1', layer: 'stateful_lstm', inputs: ['repeat'], outputIndex: 1 });
    assert.deepEqual(model.nodes.find((n) => n.layer === 'merge')?.inputs, ['bi', 'stateful_lstm:1']);
    assert.equal(layer(model, 'stateful_lstm').config.unitForgetBias, true);
    const custom = layer(model, 'attention');
    assert.equal(custom.kind, 'opaque');
    assert.match(custom.note ?? '', /'MyAttention' is not a tfjs layer class/);
    assert.deepEqual(custom.config, { name: 'attention', heads: 2 });
  });

  it('gives a Sequential model whose first layer is a nested model that model\'s input shape', () => {
    const inner = '{"class_name": "Sequential", "config": {"name": "inner", "layers": [{"class_name": "Dense", "config": {"name": "a", "units": 3, "batch_input_shape": [null, 5]}}]}}';
    const text = `{"modelTopology": {"class_name": "Sequential", "config": {"layers": [${inner}, {"class_name": "Dense", "config": {"name": "b", "units": 1}}]}}}`;
    const [model] = extractModelJson('s.json', text).models;
    assert.deepEqual(model.inputShape, [5]);
    assert.deepEqual(model.layers.map((l) => `${l.name}:${l.kind}`), ['inner_input:input', 'inner:model', 'b:dense']);
  });

  it('reads Keras 3 files (keras_history tensors, dtype policies, bare endpoint triples)', () => {
    const { model } = only('keras3-functional.json');
    assert.deepEqual(flow(model), ['input_layer<', 'dense<input_layer', 'add<dense,dense']);
    assert.deepEqual(model.inputShape, [12]);
    assert.equal(layer(model, 'dense').config.dtype, 'float32');
    assert.deepEqual(layer(model, 'dense').config.kernelInitializer, { name: 'heNormal' });
    assert.deepEqual(model.outputs, ['add']);
  });

  it("takes Keras 2 tensor keyword arguments (TFOpLambda's y) as inputs", () => {
    const text = functional(3, [
      '{"name": "d", "class_name": "Dense", "config": {"units": 3}, "inbound_nodes": [[["x", 0, 0, {}]]]}',
      '{"name": "tf.math.add", "class_name": "TFOpLambda", "config": {"function": "math.add"}, "inbound_nodes": [[["x", 0, 0, {"y": ["d", 0, 0], "name": null, "axis": [1, 2, 3]}]]]}',
    ], 'tf.math.add');
    const result = extractModelJson('op.json', text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(flow(result.models[0]), ['x<', 'd<x', 'tf.math.add<x,d']);
    assert.equal(result.models[0].layers[2].kind, 'opaque');
  });

  it('reads the pre-2.2.3 Sequential config that is a bare list of layers', () => {
    const { model } = only('legacy-list.json');
    assert.deepEqual(model.layers.map((l) => l.kind), ['input', 'simpleRNN', 'dense']);
    assert.deepEqual(model.inputShape, [30, 4]);
    assert.deepEqual(layer(model, 'simple_rnn_1').config.recurrentInitializer, { name: 'orthogonal' });
  });

  it('ignores every other JSON silently', () => {
    for (const name of ['package.json', 'data.json', 'broken-data.json']) {
      assert.deepEqual(read(name).result, { file: name, models: [], problems: [] }, name);
    }
    assert.deepEqual(extractModelJson('tsconfig.json', '{\n  // comment\n  "compilerOptions": {"strict": true,},\n}').problems, []);
    assert.deepEqual(extractModelJson('empty.json', '').problems, []);
  });

  it('reports a syntax error in a model file with its position, and no models', () => {
    const { text, result } = read('malformed.json');
    assert.equal(result.models.length, 0);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].message, 'JSON syntax error: comma expected.');
    assert.equal(where(text, result).line, 8);
    // Named model.json: a model file even when nothing readable says so.
    const truncated = extractModelJson('web/model.json', '{"format": ');
    assert.match(truncated.problems[0].message, /JSON syntax error: value expected/);
  });

  it('says what is wrong with a model.json it cannot read', () => {
    const missing = read('no-model-config.json').result;
    assert.equal(missing.models.length, 0);
    assert.equal(missing.problems[0].message, 'modelTopology has no class_name; a tfjs layers model is a Sequential, Model or Functional config.');
    const graph = read('graph-model.json').result;
    assert.deepEqual(graph.problems.map((p) => [p.severity, p.message]), [['info', 'This is a tfjs graph model (a converted TensorFlow graph); gradlint reads layers models only.']]);
    assert.match(extractModelJson('m.json', '{"modelTopology": 3}').problems[0].message, /modelTopology must be an object/);
    assert.match(extractModelJson('m.json', '{"modelTopology": {"class_name": "Sequential", "config": {}}}').problems[0].message, /The Sequential config has no layers list/);
  });

  it('reports bad layer references where they are written and keeps the rest of the graph', () => {
    const { text, result } = read('bad-refs.json');
    assert.deepEqual(result.problems.map((p) => p.message), [
      'This layer has no class_name, so gradlint cannot tell what it is.',
      "This refers to a layer 'ghost' that is not in the model.",
      "This refers to call 3 of layer 'd', which is called 1 times.",
    ]);
    assert.deepEqual(where(text, result, 1), { line: 9, text: '["ghost", 0, 0, {}]' });
    assert.deepEqual(where(text, result, 2), { line: 10, text: '["d", 3, 0, {}]' });
    assert.deepEqual(result.models[0].layers.map((l) => l.name), ['x', 'd', 'e', 'f']);
  });

  it('reports cycles and duplicate names instead of looping or merging layers', () => {
    const cyclic = functional(2, [
      '{"name": "a", "class_name": "Dense", "config": {"units": 2}, "inbound_nodes": [[["b", 0, 0, {}]]]}',
      '{"name": "b", "class_name": "Dense", "config": {"units": 2}, "inbound_nodes": [[["a", 0, 0, {}]]]}',
    ], 'b');
    const result = extractModelJson('cycle.json', cyclic);
    assert.equal(result.models.length, 0);
    assert.match(result.problems[0].message, /inbound_nodes form a cycle through 'a'/);
    const twice = '{"modelTopology": {"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"name": "d", "units": 2, "input_shape": [2]}}, {"class_name": "Dense", "config": {"name": "d", "units": 1}}]}}}';
    const dup = extractModelJson('dup.json', twice);
    assert.match(dup.problems[0].message, /Two layers are named 'd'/);
    assert.equal(new Set(dup.models[0].layers.map((l) => l.id)).size, 3);
  });

  it('never throws on odd shapes', () => {
    const odd = [
      '{"modelTopology": {"class_name": "Model", "config": {"layers": [1, null, [], {"class_name": 4}]}}}',
      '{"modelTopology": {"class_name": "Model", "config": {"layers": [{"name": "a", "class_name": "Dense", "config": [], "inbound_nodes": [["a"], 7, {"args": null}]}]}}}',
      '{"modelTopology": {"model_config": {"class_name": "Sequential", "config": {"layers": [{"class_name": "Sequential", "config": {"layers": "no"}}]}}}}',
      '{"modelTopology": {"class_name": "Sequential", "config": {"layers": [{"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM"}}}]}}}',
    ];
    for (const text of odd) {
      const result = extractModelJson('odd.json', text);
      assert.ok(result.problems.length > 0 || result.models.length > 0, text);
    }
  });
});
