import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../../../src/core/extract';
import { estimateModel } from '../../../src/core/estimate/estimate';
import type { ExtractResult, ModelGraph } from '../../../src/core/graph';
import { lint } from '../../../src/lint/index';

// Excerpts of public model code (test/fixtures/python/public/SOURCE.md) that gradlint misread
// on a fresh check: each asserts what an expert sees in the file.
const FIXTURES = path.join(__dirname, '../../fixtures/python/public');

function read(file: string): ExtractResult {
  const full = path.join(FIXTURES, file);
  return extractModels(full, fs.readFileSync(full, 'utf8'));
}

function model(result: ExtractResult, name: string): ModelGraph {
  const found = result.models.find((m) => m.name === name);
  assert.ok(found, `a model ${name} among ${result.models.map((m) => m.name).join(', ')}`);
  return found;
}

const layerNames = (m: ModelGraph) => m.layers.filter((l) => l.kind !== 'input').map((l) => l.name);

/** log10 of the first weighted layer's estimated kernel-gradient RMS. */
function firstGradientLog10(m: ModelGraph): number {
  const first = estimateModel(m).layers.find((l) => l.gradientRms !== null);
  assert.ok(first, 'a weighted layer');
  return Math.log10(first.gradientRms ?? NaN);
}

describe('Python front end on public model code', () => {
  it('reads float literals with nothing after the point (`100. * batch_idx`) as Python does: no syntax error', () => {
    const result = read('vae_mnist.py');
    assert.deepEqual(result.problems.filter((p) => p.severity === 'error'), []);
    assert.deepEqual(layerNames(model(result, 'model')).filter((n) => n.startsWith('fc')), ['fc1', 'fc21', 'fc22', 'fc3', 'fc4']);
  });

  it('sizes an image so that every layer has an output: DCGAN\'s discriminator takes 64 pixels, not twice its stride', () => {
    const result = read('dcgan_discriminator.py');
    // `criterion = nn.BCELoss()` is no model.
    assert.deepEqual(result.models.map((m) => m.name), ['netG', 'netD']);
    const netD = model(result, 'netD');
    assert.deepEqual(netD.inputShape, [64, 64, 3]);
    // Its last 4×4 convolution without padding had nothing left at 32 pixels: a gradient of 0.
    assert.ok(Number.isFinite(firstGradientLog10(netD)));
  });

  it("sizes a model with the argument parser's defaults, as the script runs without arguments", () => {
    const generator = model(read('gan_dcgan_generator.py'), 'generator');
    assert.deepEqual(generator.inputShape, [100]);
    const l1 = generator.layers.find((l) => l.name === 'l1.0');
    // Linear(opt.latent_dim, 128 * (opt.img_size // 4) ** 2): PyTorch's bias bound is 1/√100.
    assert.equal(l1?.config.units, 8192);
    assert.deepEqual(l1?.config.biasInitializer, { name: 'randomUniform', minval: -0.1, maxval: 0.1 });
    assert.deepEqual(l1?.unknown, {});
    assert.equal(generator.layers.find((l) => l.name === 'conv_blocks.9')?.config.filters, 1);
    // out.view(out.shape[0], 128, self.init_size, self.init_size): the vector made an 8×8 image.
    assert.deepEqual(generator.layers.find((l) => l.kind === 'reshape')?.config.targetShape, [8, 8, 128]);
    // PyTorch measures the Linear's kernel gradient at 10^-4.54 under the probe contract (5 seeds).
    assert.ok(Math.abs(firstGradientLog10(generator) - -4.54) < 0.5);
  });

  it('leaves a required option, a positional argument and an option not declared unknown; store_true is False', () => {
    const result = extractModels(
      'train.py',
      `import argparse
import torch.nn as nn
parser = argparse.ArgumentParser()
parser.add_argument('--dataset', required=True)
parser.add_argument('width', type=int)
parser.add_argument('--hidden-size', dest='hidden', type=int, default=32)
parser.add_argument('--wide', action='store_true')
opt = parser.parse_args()
net = nn.Sequential(nn.Linear(opt.width, opt.hidden), nn.Linear(opt.hidden, 64 if opt.wide else 8), nn.Linear(8, opt.dataset), nn.Linear(8, opt.depth))
`,
    );
    const layers = model(result, 'net').layers.filter((l) => l.kind === 'dense');
    assert.deepEqual(layers.map((l) => l.config.units), [32, 8, undefined, undefined]);
    assert.deepEqual(Object.keys(layers[0].unknown), ['inputDim']);
  });

  it('reads torch.nn.ReflectionPad2d as a padding of its size: the style-transfer net keeps its 16-pixel image', () => {
    const net = model(read('style_transfer_net.py'), 'TransformerNet');
    const pads = net.layers.filter((l) => l.name.endsWith('reflection_pad'));
    assert.deepEqual(pads.map((l) => [l.kind, l.config.padding]), [
      ['zeroPadding2d', [[4, 4], [4, 4]]],
      ['zeroPadding2d', [[1, 1], [1, 1]]],
      ['zeroPadding2d', [[1, 1], [1, 1]]],
    ]);
    assert.deepEqual(net.inputShape, [16, 16, 3]);
    assert.ok(Number.isFinite(firstGradientLog10(net)));
  });

  it("takes a generator's latent image as small as its layers allow: DCGAN's 1×1 noise", () => {
    const netG = model(read('dcgan_discriminator.py'), 'netG');
    assert.deepEqual(netG.inputShape, [1, 1, 100]);
    // PyTorch measures its first ConvTranspose2d's kernel gradient at 10^-4.19 from 1×1 noise (N(0, 0.02) weights: 10^-4.2).
    assert.ok(Number.isFinite(firstGradientLog10(netG)));
  });

  it('reads Keras\'s functional merges (`layers.add([x, residual])`) as merge layers with Keras\'s own names', () => {
    const m = model(read('keras_residual.py'), 'model');
    const adds = m.layers.filter((l) => l.kind === 'add');
    assert.deepEqual(adds.map((l) => l.name), ['add', 'add_1', 'add_2']);
    for (const add of adds) assert.equal(m.nodes.find((n) => n.layer === add.id)?.inputs.length, 2);
    assert.deepEqual(layerNames(m).slice(0, 3), ['rescaling', 'conv2d', 'conv2d_1']);
  });

  it('reads a keras.Model subclass without __init__, built as CustomModel(inputs, outputs), as that functional model', () => {
    const result = read('keras_custom_train_step.py');
    assert.deepEqual(result.models.map((m) => m.name), ['get_custom_model', 'model']);
    for (const m of result.models) assert.deepEqual(layerNames(m), ['dense', 'dropout', 'dense_1']);
  });

  it("names Keras's own default initializer in a Keras file's initializer-mismatch finding", () => {
    const file = path.join(FIXTURES, 'keras_residual.py');
    const messages = lint(file, fs.readFileSync(file, 'utf8')).diagnostics.filter((d) => d.ruleId === 'initializer-mismatch').map((d) => d.message);
    assert.equal(messages.length, 1);
    assert.match(messages[0], /^conv2d, conv2d_1 … conv2d_7 use kernelInitializer glorotUniform \(Keras's default\) with relu/);
  });

  it('reads each model a script binds to one name in turn, though the last binding is a loaded checkpoint', () => {
    const result = read('keras_rebound_model.py');
    const kinds = result.models.map((m) => m.layers.filter((l) => l.kind !== 'input').map((l) => l.kind));
    assert.deepEqual(kinds, [
      ['flatten', 'dense', 'dense'],
      ['conv1d', 'maxPooling1d', 'conv1d', 'maxPooling1d', 'conv1d', 'globalAveragePooling1d', 'dense'],
      ['lstm', 'dense'],
    ]);
    assert.deepEqual(result.models.map((m) => m.line), [15, 32, 39]);
  });

  it('keeps the known axes of a Keras Input whose other axes are not known: 120 steps of unknown features', () => {
    const convnet = read('keras_rebound_model.py').models[1];
    assert.deepEqual(convnet.inputShape, [120, null]);
    assert.ok(Number.isFinite(firstGradientLog10(convnet)));
  });

  it('takes an image input where the Input\'s shape comes from a helper it cannot follow and a Conv2D reads it', () => {
    const resnet = model(read('keras_resnet50_stem.py'), 'ResNet50');
    const shape = resnet.inputShape ?? [];
    assert.equal(shape.length, 3);
    // The 7×7 average pooling after a stride of 4 needs at least 28 pixels.
    assert.ok((shape[0] ?? 0) >= 28 && shape[0] === shape[1], `image ${JSON.stringify(shape)}`);
    assert.ok(layerNames(resnet).includes('res2b_branch2a'));
    assert.ok(Number.isFinite(firstGradientLog10(resnet)));
  });

  it('follows `from .base import *` in a package __init__ to the base class of a model', () => {
    const vae = model(read('vae_project/models/vanilla_vae.py'), 'VanillaVAE');
    const convs = vae.layers.filter((l) => l.kind === 'conv2d').map((l) => l.config.filters);
    assert.deepEqual(convs, [32, 64, 128, 256, 512]);
  });

  it("lints timm's 2,000-line resnet.py and naflexvit.py whole: their models found, no syntax error, no warning", () => {
    for (const [file, expected] of [
      ['timm/resnet.py', ['BasicBlock', 'Bottleneck', 'ResNet']],
      ['timm/naflexvit.py', ['NaFlexVit']],
    ] as const) {
      const full = path.join(FIXTURES, file);
      const result = lint(full, fs.readFileSync(full, 'utf8'));
      assert.deepEqual(result.extract.models.map((m) => m.name), expected, file);
      assert.deepEqual(result.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message), [], file);
    }
  });
});
