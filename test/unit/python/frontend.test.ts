import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../../../src/core/extract';
import { lint as lintText } from '../../../src/lint/index';
import { applyFixes } from '../../../src/core/fixes/apply';
import type { ModelGraph } from '../../../src/core/graph';

// The Python front end on realistic PyTorch and Keras code, through the real lezer parser.
const fixtures = path.join(__dirname, '../../fixtures/python');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

function model(file: string, name: string): ModelGraph {
  const found = extractModels(file, read(file)).models.find((m) => m.name === name);
  assert.ok(found, `${file} has a model ${name}`);
  return found;
}

const kinds = (m: ModelGraph, kind: string) => m.layers.filter((l) => l.kind === kind);
const applied = (m: ModelGraph) => new Set(m.nodes.map((n) => n.layer));

describe('Python front end: models read from PyTorch and Keras code', () => {
  const cases: { file: string; model: string; layers: Record<string, number>; inputShape?: (number | null)[]; source: string }[] = [
    { file: 'resnet.py', model: 'resnet18', source: 'pytorch', layers: { conv2d: 20, batchNormalization: 20, add: 8, dense: 1, globalAveragePooling2d: 1, maxPooling2d: 1 }, inputShape: [64, 64, 3] },
    { file: 'transformer.py', model: 'Encoder', source: 'pytorch', layers: { embedding: 1, layerNormalization: 13, dense: 25, attention: 6, add: 12, opaque: 0 }, inputShape: [null] },
    { file: 'vgg_dcgan_unet.py', model: 'vgg11', source: 'pytorch', layers: { conv2d: 8, maxPooling2d: 5, averagePooling2d: 1, flatten: 1, dense: 3, dropout: 2 }, inputShape: [224, 224, 3] },
    { file: 'vgg_dcgan_unet.py', model: 'Generator', source: 'pytorch', layers: { conv2dTranspose: 3, batchNormalization: 2 }, inputShape: [1, 1, 100] },
    { file: 'vgg_dcgan_unet.py', model: 'UNet', source: 'pytorch', layers: { conv2d: 7, conv2dTranspose: 1, concatenate: 1, maxPooling2d: 1 }, inputShape: [16, 16, 3] },
    { file: 'vgg_dcgan_unet.py', model: 'TwoHeads', source: 'pytorch', layers: { dense: 3 }, inputShape: [16] },
    { file: 'sigmoid_mlp.py', model: 'DeepSigmoidMLP', source: 'pytorch', layers: { dense: 9, activation: 8 }, inputShape: [32] },
    { file: 'sigmoid_mlp.py', model: 'healthy', source: 'pytorch', layers: { dense: 3, activation: 2 }, inputShape: [32] },
    { file: 'rnn.py', model: 'SequenceModel', source: 'pytorch', layers: { simpleRNN: 1, dense: 1 }, inputShape: [null, 8] },
    { file: 'keras_models.py', model: 'deep_sigmoid', source: 'keras', layers: { dense: 9 }, inputShape: [32] },
    { file: 'keras_models.py', model: 'residual_mlp', source: 'keras', layers: { dense: 6, batchNormalization: 4, add: 4 }, inputShape: [64] },
    { file: 'keras_models.py', model: 'Classifier', source: 'keras', layers: { dense: 2 } },
  ];
  for (const c of cases) {
    it(`${c.file}: ${c.model}`, () => {
      const m = model(c.file, c.model);
      assert.equal(m.source, c.source);
      for (const [kind, count] of Object.entries(c.layers)) assert.equal(kinds(m, kind).length, count, `${kind} layers`);
      if (c.inputShape) assert.deepEqual(m.inputShape, c.inputShape);
      // Every layer the forward uses is applied; outputs exist.
      assert.ok(m.outputs.length > 0);
    });
  }

  it('names layers by their PyTorch module path and applies a shared ReLU at each use', () => {
    const m = model('resnet.py', 'resnet18');
    const names = m.layers.map((l) => l.name);
    for (const n of ['conv1', 'layer1.0.conv1', 'layer2.0.downsample.0', 'layer4.1.bn2', 'fc']) assert.ok(names.includes(n), n);
    const relu = m.layers.find((l) => l.name === 'layer1.0.relu');
    assert.equal(m.nodes.filter((n) => n.layer === relu?.id).length, 2);
    // Block classes built inside ResNet are not models of their own.
    assert.deepEqual(extractModels('resnet.py', read('resnet.py')).models.map((x) => x.name), ['resnet18']);
  });

  it("initialises as PyTorch does: Linear kaiming_uniform(a=√5) and its bias bound, nn.init where called, BatchNorm eps 1e-5 momentum 0.1", () => {
    const m = model('resnet.py', 'resnet18');
    const fc = m.layers.find((l) => l.name === 'fc');
    assert.deepEqual(fc?.config.kernelInitializer, { name: 'varianceScaling', scale: 1 / 3, mode: 'fanIn', distribution: 'uniform' });
    assert.deepEqual(fc?.config.biasInitializer, { name: 'randomUniform', minval: -1 / Math.sqrt(512), maxval: 1 / Math.sqrt(512) });
    // kaiming_normal_(mode='fan_out', nonlinearity='relu') on a 3×3 conv with 64 outputs: std √2/√(64·9).
    const conv = m.layers.find((l) => l.name === 'layer1.0.conv1');
    assert.deepEqual(conv?.config.kernelInitializer, { name: 'randomNormal', mean: 0, stddev: Math.SQRT2 / Math.sqrt(64 * 9) });
    const bn = m.layers.find((l) => l.name === 'bn1');
    assert.equal(bn?.config.epsilon, 1e-5);
    assert.ok(Math.abs((bn?.config.momentum as number) - 0.9) < 1e-12);
    const rnn = model('rnn.py', 'SequenceModel').layers.find((l) => l.name === 'rnn');
    assert.deepEqual(rnn?.config.recurrentInitializer, { name: 'randomUniform', minval: -1 / Math.sqrt(32), maxval: 1 / Math.sqrt(32) });
  });

  it("reads init functions applied with self.apply, DCGAN style (m.__class__.__name__.find('Conv'))", () => {
    const m = model('vgg_dcgan_unet.py', 'Generator');
    for (const l of kinds(m, 'conv2dTranspose')) assert.deepEqual(l.config.kernelInitializer, { name: 'randomNormal', mean: 0, stddev: 0.02 });
    for (const l of kinds(m, 'batchNormalization')) assert.deepEqual(l.config.gammaInitializer, { name: 'randomNormal', mean: 1, stddev: 0.02 });
    assert.equal(model('vgg_dcgan_unet.py', 'TwoHeads').outputs.length, 2);
  });

  it('reads Keras defaults: glorot_uniform kernels, snake_case initializers as tfjs ids', () => {
    const m = model('keras_models.py', 'residual_mlp');
    assert.deepEqual(m.layers.find((l) => l.name === 'dense_5')?.config.kernelInitializer, { name: 'glorotUniform' });
    assert.deepEqual(m.layers.filter((l) => l.kind === 'batchNormalization').map((l) => l.name), ['batch_normalization', 'batch_normalization_1', 'batch_normalization_2', 'batch_normalization_3']);
    assert.deepEqual(m.layers.find((l) => l.name === 'dense')?.config.kernelInitializer, { name: 'heNormal' });
  });

  it('reads half-typed code up to the error and reports it', () => {
    const r = extractModels('half_typed.py', read('half_typed.py'));
    assert.equal(r.problems[0].severity, 'error');
    assert.ok(r.models[0].layers.some((l) => l.name === 'fc1'));
  });

  it('follows classes imported from another file of the project, anchoring their layers on the call here', () => {
    const file = path.join(fixtures, 'project/net.py');
    const text = fs.readFileSync(file, 'utf8');
    const [m] = extractModels(file, text).models;
    assert.equal(kinds(m, 'dense').length, 10);
    assert.equal(m.layers.filter((l) => l.config.activation === 'sigmoid').length, 8);
    const block = m.layers.find((l) => l.name === 'blocks.3.fc');
    assert.equal(text.slice(block?.range.start, block?.range.end), 'SigmoidBlock(width)');
    const found = lintText(file, text).diagnostics.find((d) => d.ruleId === 'saturating-stack');
    assert.ok(found, 'the imported sigmoids are seen');
    // No fix rewrites the block's call: the activation is in the other file.
    assert.deepEqual(found.fixes, []);
  });

  it('never throws on hostile input', () => {
    for (const text of ['', 'class', 'def f(:\n', 'class A(nn.Module):\n  def __init__(self):\n    self.a = self.a\n', 'x = [1] * 10**9\nimport torch', 'class A(A): pass\nimport torch', 'def f(): return f()\nm = f()\nimport torch']) {
      const r = extractModels('x.py', text);
      assert.ok(Array.isArray(r.models));
    }
  });
});

describe('Python front end: lint on .py files', () => {
  const rules = (file: string) => lintText(file, read(file)).diagnostics.map((d) => `${d.ruleId}@${d.model}`);

  it('no warnings on healthy models (ResNet with batch norm, a pre-norm transformer, a Keras residual MLP)', () => {
    for (const file of ['resnet.py', 'transformer.py', 'vgg_dcgan_unet.py']) {
      const found = lintText(file, read(file)).diagnostics.filter((d) => d.severity === 'warning' || d.severity === 'error');
      assert.deepEqual(found.map((d) => d.message), [], file);
    }
    assert.deepEqual(rules('keras_models.py').filter((r) => r.endsWith('residual_mlp') || r.endsWith('Classifier')), []);
  });

  it('flags the deep sigmoid models with messages naming the Python layers', () => {
    const found = lintText('sigmoid_mlp.py', read('sigmoid_mlp.py')).diagnostics;
    const vanishing = found.find((d) => d.ruleId === 'vanishing-gradient' && d.model === 'DeepSigmoidMLP');
    assert.ok(vanishing?.message.includes('body.0'), vanishing?.message);
    assert.ok(rules('keras_models.py').includes('vanishing-gradient@deep_sigmoid'));
    assert.ok(rules('rnn.py').includes('plain-rnn-long-sequence@SequenceModel'));
  });

  it('reads a notebook cell after the cells above it: their classes build its model, findings sit in the cell', () => {
    const prelude = read('sigmoid_mlp.py').split('\n\nhealthy')[0];
    const cell = 'model = DeepSigmoidMLP(depth=10)\n';
    const r = lintText('notebook.ipynb.cell.py', cell, undefined, { prelude });
    assert.deepEqual(r.extract.models.map((m) => m.name), ['model']);
    const vanishing = r.diagnostics.find((d) => d.ruleId === 'vanishing-gradient');
    assert.ok(vanishing, 'the cell model vanishes');
    assert.equal(cell.slice(vanishing.range.start, vanishing.range.end), 'DeepSigmoidMLP(depth=10)');
    assert.equal(kinds(r.extract.models[0], 'dense').length, 11);
    // Alone, the cell knows no DeepSigmoidMLP: no model, no crash.
    assert.deepEqual(lintText('notebook.ipynb.cell.py', cell).extract.models, []);
  });

  it('honours # gradlint-disable-next-line', () => {
    assert.ok(!rules('sigmoid_mlp.py').some((r) => r === 'saturating-stack@quiet'));
  });

  const fixCases: { file: string; rule: string; model: string; expect: string }[] = [
    { file: 'sigmoid_mlp.py', rule: 'saturating-stack', model: 'DeepSigmoidMLP', expect: 'layers.append(nn.ELU())' },
    { file: 'keras_models.py', rule: 'saturating-stack', model: 'deep_sigmoid', expect: 'layers.Dense(64, activation="elu", kernel_initializer="he_normal")' },
    { file: 'rnn.py', rule: 'plain-rnn-long-sequence', model: 'SequenceModel', expect: 'nn.LSTM(features, hidden, batch_first=True)' },
    { file: 'plain_stack.py', rule: 'missing-normalization', model: 'plain', expect: 'nn.Linear(16, 24),\n    nn.BatchNorm1d(24),\n    nn.ReLU(),' },
  ];
  for (const c of fixCases) {
    it(`fix for ${c.rule} on ${c.file} edits the Python source`, () => {
      const text = read(c.file);
      const d = lintText(c.file, text).diagnostics.find((x) => x.ruleId === c.rule && x.model === c.model);
      assert.ok(d, `${c.rule} found`);
      const fix = d.fixes.find((f) => f.edits.length > 0 && applyFixes(text, [f]).includes(c.expect));
      assert.ok(fix, `a fix writes ${c.expect}: ${JSON.stringify(d.fixes.map((f) => applyFixes(text, [f]).split('\n').find((l, i) => l !== text.split('\n')[i])))}`);
      const after = applyFixes(text, [fix]);
      assert.ok(extractModels(c.file, after).problems.length === 0, 'the fixed file parses');
    });
  }
});
