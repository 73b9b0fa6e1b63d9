import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { tempTree } from '../lib/tempTree';
import { gradlintIn, root } from './gradlint';

const fixtures = path.join(root, 'test/fixtures/modeljson');
const yolo = path.join(root, 'test/fixtures/yolo/v8/yolov8.yaml');

const graph = (cwd: string, ...args: string[]) => gradlintIn(cwd, 'graph', ...args);

const workspace = (files: Record<string, string>): string => tempTree('graph', files);

const SIGMOID_LOOP = [
  "import * as tf from '@tensorflow/tfjs';",
  '',
  'export function buildModel() {',
  '  const model = tf.sequential();',
  '  for (let i = 0; i < 8; i++) {',
  "    model.add(tf.layers.dense({units: 64, activation: 'sigmoid'}));",
  '  }',
  '  model.add(tf.layers.dense({units: 10}));',
  '  return model;',
  '}',
  '',
].join('\n');

describe('gradlint graph', function () {
  this.timeout(120000);

  it('reports the 8 sigmoid dense layers of a for loop and the final dense: activations, glorotNormal, the loop line', () => {
    const dir = workspace({ 'deep.ts': SIGMOID_LOOP });
    const r = graph(dir, 'deep.ts', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.file, 'deep.ts');
    const [model] = json.models;
    assert.equal(model.name, 'buildModel');
    assert.equal(model.line, 4);
    const dense = model.layers.filter((l: { kind: string }) => l.kind === 'dense');
    assert.equal(dense.length, 9);
    assert.deepEqual(dense.map((l: { activation: string }) => l.activation), [...Array(8).fill('sigmoid'), 'linear']);
    assert.deepEqual(dense.map((l: { units: number }) => l.units), [...Array(8).fill(64), 10]);
    for (const l of dense) assert.deepEqual(l.kernelInitializer, { name: 'glorotNormal' });
    assert.deepEqual(dense.map((l: { line: number }) => l.line), [...Array(8).fill(6), 8]);
    assert.equal(dense[0].row, null);

    const text = graph(dir, 'deep.ts');
    assert.equal(text.status, 0);
    assert.match(text.stdout, /^deep\.ts\n {2}buildModel \(line 4\): 10 layers/);
    assert.equal(text.stdout.match(/^ +6 +dense_\d +dense +64 +sigmoid +kernel glorotNormal$/gm)?.length, 8);
    assert.match(text.stdout, /^ +8 +dense_9 +dense +10 +linear +kernel glorotNormal$/m);
  });

  it('prints a model.json in the contract shape, layer entries carrying the resolved configuration', () => {
    const r = graph(fixtures, 'sequential-keras.json', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['file', 'models']);
    const [model] = json.models;
    assert.deepEqual([model.name, model.line, model.source], ['sequential-keras.json', 8, 'model.json']);
    assert.deepEqual(model.layers.map((l: { name: string }) => l.name), ['dense_input', 'dense', 'dense_1', 'dropout', 'dense_2']);
    const dense = model.layers[1];
    assert.deepEqual(Object.keys(dense).slice(0, 4), ['name', 'kind', 'line', 'row']);
    assert.deepEqual([dense.kind, dense.line, dense.row, dense.units, dense.activation], ['dense', 17, null, 32, 'hardSigmoid']);
    assert.deepEqual(dense.kernelInitializer, { name: 'glorotUniform' });
    assert.deepEqual(dense.unknown, {});
    assert.deepEqual(dense.inputs, ['dense_input']);
  });

  it('shows functional wiring, shared layers, nested models and wrappers in the text table', () => {
    const r = graph(fixtures, 'functional-shared.json', 'nested.json');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ +9 +shared +dense +8 +tanh +kernel glorotNormal +from left; shared, applied 2 times$/m);
    assert.match(r.stdout, /^ +12 +skip +add +from bn, left$/m);
    assert.match(r.stdout, /^ +14 +joined +concatenate +from skip, shared \(call 2\)$/m);
    assert.match(r.stdout, /from bi, stateful_lstm\[1\]$/m);
    assert.match(r.stdout, /wraps lstm\(8; tanh, recurrent hardSigmoid; kernel glorotNormal, recurrent orthogonal\)/);
    assert.match(r.stdout, /^ {6}encoder \(line 10\): 3 layers, input \[40\]$/m);
  });

  it('walks directories (an array for several files), skipping node_modules and JSON that is not a model', () => {
    const dir = workspace({
      'models/deep.ts': SIGMOID_LOOP,
      'models/model.json': fs.readFileSync(path.join(fixtures, 'camelcase.json'), 'utf8'),
      'package.json': '{"name": "app", "dependencies": {"@tensorflow/tfjs": "4.22.0"}}',
      'data/train.json': '[[0.1, 0.2], [0.3, 0.4]]',
      'node_modules/lib/model.js': SIGMOID_LOOP,
    });
    const r = graph(dir, '.', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json.map((f: { file: string }) => f.file), [path.join('models', 'deep.ts'), path.join('models', 'model.json')]);
    assert.deepEqual(json[1].models[0].layers.map((l: { kind: string }) => l.kind), ['input', 'conv2d', 'maxPooling2d', 'flatten', 'dense']);
    const text = graph(dir, 'models');
    assert.match(text.stdout, /^models\/model\.json\n {2}model\.json \(line 2\): 5 layers, input \[28, 28, 1\]$/m);
    assert.doesNotMatch(text.stdout, /package\.json|train\.json|node_modules/);
  });

  it('lists YOLO YAML per row with parameters; --detail adds the inner layers; --scale picks the scale', function () {
    if (!fs.existsSync(yolo)) this.skip();
    const copy = workspace({ 'net.yaml': fs.readFileSync(yolo, 'utf8') });
    const r = graph(copy, 'net.yaml', '--format', 'json', '--scale', 's', '--detail');
    assert.equal(r.status, 0, r.stderr);
    const [model] = JSON.parse(r.stdout).models;
    assert.equal(model.name, 'net.yaml (scale s)');
    assert.equal(typeof model.params, 'number');
    const first = model.layers[0];
    assert.deepEqual([first.name, first.kind, first.row, first.line], ['0 Conv', 'Conv', 0, 20]);
    assert.equal(first.params, 928);
    assert.deepEqual(first.layers.map((l: { kind: string }) => l.kind), ['conv2d', 'batchNormalization', 'activation']);
    const text = graph(copy, 'net.yaml', '--scale', 'n');
    assert.match(text.stdout, /net\.yaml \(scale n\) \(line 1\): 23 rows, input \[64, 64, 3\], 3,157,200 params/);
    assert.match(text.stdout, /^ +0 +\[-1\] +1 +Conv +\[3, 16, 3, 2\] +464 +20$/m);
    assert.doesNotMatch(text.stdout, /0\.conv/);
  });

  it('names the dialect of a YOLOv5-repository file; --dialect forces another', () => {
    const v5 = fs.readFileSync(path.join(root, 'test/fixtures/yolo/yolov5/models/yolov5s.yaml'), 'utf8');
    const copy = workspace({ 'yolov5s.yaml': v5 });
    const recognised = graph(copy, 'yolov5s.yaml');
    assert.equal(recognised.status, 0, recognised.stderr);
    assert.match(recognised.stdout, /yolov5s\.yaml \(YOLOv5 repository\) \(line 1\): 25 rows, input \[64, 64, 3\], 7,235,389 params/);
    const forced = graph(copy, 'yolov5s.yaml', '--dialect', 'ultralytics');
    assert.match(forced.stdout, /yolov5s\.yaml \(line 1\): 25 rows/);
    assert.equal(graph(copy, 'yolov5s.yaml', '--dialect', 'yolov8').status, 2);
  });

  it('prints problems to stderr as file:line:col and still exits 0', () => {
    const r = graph(fixtures, 'bad-refs.json', 'malformed.json');
    assert.equal(r.status, 0);
    assert.match(r.stderr, /^bad-refs\.json:9:102: error: This refers to a layer 'ghost' that is not in the model\.$/m);
    assert.match(r.stderr, /^malformed\.json:8:9: error: JSON syntax error: comma expected\.$/m);
    assert.match(r.stdout, /^malformed\.json: no models found$/m);
    assert.match(r.stdout, /^ +10 +f +dense +4 +linear/m);
  });

  it('exits 2 on a missing or unsupported file and on bad flags', () => {
    const missing = graph(fixtures, 'nope.json', 'camelcase.json');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /gradlint graph: cannot read nope\.json: no such file or directory/);
    // The files that could be read are still listed.
    assert.match(missing.stdout, /^camelcase\.json$/m);
    const notes = workspace({ 'notes.txt': 'hello' });
    const unsupported = graph(notes, 'notes.txt');
    assert.equal(unsupported.status, 2);
    assert.match(unsupported.stderr, /notes\.txt is not a tfjs source file, a model\.json or a YAML file/);
    assert.equal(graph(fixtures, 'camelcase.json', '--format', 'xml').status, 2);
    assert.equal(graph(fixtures, 'camelcase.json', '--scale', 'q').status, 2);
    assert.equal(graph(fixtures).status, 2);
  });
});
