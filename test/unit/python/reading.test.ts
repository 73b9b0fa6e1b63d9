import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { extractModels } from '../../../src/core/extract';
import { estimateModel } from '../../../src/core/estimate/estimate';
import type { ModelGraph } from '../../../src/core/graph';

// Forms of model code the Python front end reads, each from source text through the real parser.
function models(text: string, file = 'model.py'): ModelGraph[] {
  return extractModels(file, text).models;
}

function only(text: string, name: string, file?: string): ModelGraph {
  const found = models(text, file).find((m) => m.name === name);
  assert.ok(found, `a model ${name}`);
  return found;
}

const names = (m: ModelGraph) => m.layers.filter((l) => l.kind !== 'input').map((l) => l.name);
const appliedNames = (m: ModelGraph) => m.nodes.map((n) => m.layers.find((l) => l.id === n.layer)).filter((l) => l && l.kind !== 'input').map((l) => l?.name);

describe('Python front end: imports, f-string names, nested Keras models, attention', () => {
  const block = (torch: string, nn: string) => `
class Net(${nn}.Module):
    def __init__(self):
        super().__init__()
        self.fc = ${nn}.Linear(8, 8)
        self.act = ${nn}.Sigmoid()

    def forward(self, x):
        return self.act(self.fc(x))
`;
  for (const [imports, nn] of [
    ['import torch.nn as nn', 'nn'],
    ['from torch import nn', 'nn'],
    ['import torch', 'torch.nn'],
    ['import torch.nn', 'torch.nn'],
    ['import torch.nn as tnn', 'tnn'],
  ]) {
    it(`reads torch.nn imported as \`${imports}\``, () => {
      const m = only(`${imports}\n${block('torch', nn)}`, 'Net');
      assert.deepEqual(names(m), ['fc', 'act']);
      assert.equal(m.layers.find((l) => l.name === 'act')?.config.activation, 'sigmoid');
    });
  }

  it('reads blocks of the project through `import module`, `import a.b`, `import a.b as c` and `from package import module`', () => {
    const file = path.join(__dirname, '../../fixtures/python/project/plain_imports.py');
    const found = extractModels(file, fs.readFileSync(file, 'utf8')).models;
    const byModule = found.find((m) => m.name === 'ByModule');
    assert.deepEqual(byModule && appliedNames(byModule), ['body.0.fc', 'body.0.act', 'body.1.fc', 'body.1.act']);
    const dotted = found.find((m) => m.name === 'ByDottedModule');
    assert.deepEqual(dotted && appliedNames(dotted), ['a.fc', 'a.sigmoid', 'b.fc', 'b.sigmoid', 'c.fc', 'c.sigmoid']);
  });

  it('reads a network of another library (`import torchvision`) as one opaque layer with a note', () => {
    const m = only(
      `import torch.nn as nn
import torchvision

class Wrap(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torchvision.models.resnet18()
        self.head = nn.Linear(1000, 10)

    def forward(self, x):
        return self.head(self.backbone(x))
`,
      'Wrap',
    );
    const backbone = m.layers.find((l) => l.name === 'backbone');
    assert.equal(backbone?.kind, 'opaque');
    assert.match(backbone?.note ?? '', /torchvision\.models\.resnet18/);
    assert.deepEqual(appliedNames(m), ['backbone', 'head']);
  });

  it('keeps a model whose forward returns only its input (a module of another library in the branch), its layers chained with a note', () => {
    const m = only(
      `import torch.nn as nn
from timm.layers import LayerScale2d

class Block(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.fc1 = nn.Linear(dim, dim)
        self.ls = LayerScale2d(dim)

    def forward(self, x):
        return x + self.ls(self.fc1(x))
`,
      'Block',
    );
    assert.deepEqual(appliedNames(m), ['fc1']);
    assert.ok(m.notes?.some((n) => n.includes('chained in registration order')), 'a note says the forward was not followed');
  });

  it('names submodules registered with add_module and f-strings, %-format and str.format', () => {
    const m = only(
      `import torch.nn as nn

class Net(nn.Module):
    def __init__(self, n=3):
        super().__init__()
        for i in range(n):
            self.add_module(f"layer{i}", nn.Linear(8, 8))
            self.add_module("act%d" % i, nn.Tanh())
        self.add_module("head_{:02d}".format(7), nn.Linear(8, 1))

    def forward(self, x):
        for i in range(3):
            x = getattr(self, f"act{i}")(getattr(self, f"layer{i}")(x))
        return self.head_07(x)
`,
      'Net',
    );
    assert.deepEqual(appliedNames(m), ['layer0', 'act0', 'layer1', 'act1', 'layer2', 'act2', 'head_07']);
  });

  it('reads nn.Sequential() filled with add_module(f"...") in a loop', () => {
    const m = only(
      `import torch.nn as nn
net = nn.Sequential()
for i in range(4):
    net.add_module(f"fc{i}", nn.Linear(16, 16))
    net.add_module(f"sig_{i:d}", nn.Sigmoid())
`,
      'net',
    );
    assert.deepEqual(appliedNames(m), ['fc0', 'sig_0', 'fc1', 'sig_1', 'fc2', 'sig_2', 'fc3', 'sig_3']);
  });

  it('leaves an f-string of values not known statically unknown, never a wrong name', () => {
    const m = only(
      `import torch.nn as nn
import os
net = nn.Sequential()
net.add_module(f"fc{os.environ['X']}", nn.Linear(4, 4))
net.add_module("out", nn.Linear(4, 1))
`,
      'net',
    );
    assert.deepEqual(appliedNames(m), ['out']);
  });

  it('applies a Keras functional model used as a layer of another model, with its weights shared', () => {
    const text = `from tensorflow import keras
from tensorflow.keras import layers

inp = keras.Input(shape=(16,))
h = layers.Dense(16, activation='sigmoid')(inp)
h = layers.Dense(16, activation='sigmoid')(h)
encoder = keras.Model(inp, h)

x_in = keras.Input(shape=(16,))
y = encoder(x_in)
y = encoder(y)
out = layers.Dense(1)(y)
model = keras.Model(x_in, out)
`;
    const encoder = only(text, 'encoder');
    assert.deepEqual(names(encoder), ['dense', 'dense_1']);
    const m = only(text, 'model');
    assert.deepEqual(appliedNames(m), ['dense', 'dense_1', 'dense', 'dense_1', 'dense_2']);
    assert.deepEqual(m.inputShape, [16]);
    // Four sigmoids in a row before the head: the estimate sees them all.
    const estimate = estimateModel(m);
    assert.ok(estimate.layers.filter((l) => l.layer.kind === 'dense').length >= 3);
  });

  it('reads nn.MultiheadAttention as in_proj, softmax attention and out_proj with PyTorch\'s initialisation', () => {
    const m = only(
      `import torch.nn as nn

class Block(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        y, _ = self.attn(x, x, x)
        return self.fc(x + y)
`,
      'Block',
    );
    assert.deepEqual(appliedNames(m), ['attn.in_proj', 'attn', 'attn.out_proj', 'add', 'fc']);
    const inProj = m.layers.find((l) => l.name === 'attn.in_proj');
    // xavier_uniform over the stacked (3E, E) weight: a Dense E → 3E with glorot_uniform; biases 0.
    assert.equal(inProj?.config.units, 192);
    assert.deepEqual(inProj?.config.kernelInitializer, { name: 'glorotUniform' });
    assert.deepEqual(inProj?.config.biasInitializer, { name: 'zeros' });
    const attn = m.layers.find((l) => l.name === 'attn');
    assert.equal(attn?.kind, 'attention');
    assert.deepEqual([attn?.config.numHeads, attn?.config.keyDim, attn?.config.headDim], [4, 16, 16]);
    assert.deepEqual(m.inputShape, [null, 64]);
    // The estimate follows it: out_proj's gradient is that of a weighted layer, not of an identity.
    const estimate = estimateModel(m);
    const outProj = estimate.layers.find((l) => l.layer.name === 'attn.out_proj');
    assert.ok(outProj && (outProj.gradientRms ?? 0) > 0);
    assert.ok(!estimate.assumptions.some((a) => /assumed identity/.test(a)));
  });
});

describe('Python front end: comments', () => {
  it('a comment between a call\'s arguments is no argument: the ones after it keep their places', () => {
    const net = only(
      [
        'import torch.nn as nn',
        'net = nn.Sequential(',
        '    nn.Conv2d(3, 64,  # channels',
        '              3, padding=1),',
        '    nn.ReLU(),',
        '    nn.Flatten(),',
        '    nn.Linear(64 * 16 * 16,  # features',
        '              10),',
        '    # the head',
        ')',
        '',
      ].join('\n'),
      'net',
    );
    const conv = net.layers.find((l) => l.kind === 'conv2d')!;
    assert.deepEqual(conv.config.kernelSize, [3, 3]);
    assert.deepEqual(Object.keys(conv.unknown), []);
    const dense = net.layers.find((l) => l.kind === 'dense')!;
    assert.equal(dense.config.units, 10);
    assert.deepEqual(names(net), ['0', '1', '2', '3']);
  });
});

describe('Python front end: the image size a Linear after a flatten implies', () => {
  const tutorial = (features: string) => `
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(${features}, 120)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))


net = Net()
`;

  it("takes the CIFAR tutorial's 32x32 image from nn.Linear(16 * 5 * 5, 120), and says why", () => {
    const net = only(tutorial('16 * 5 * 5'), 'net');
    assert.deepEqual(net.inputShape, [32, 32, 3]);
    assert.ok(net.notes?.some((n) => n.includes("taken as 32 (so that fc1's 400 input features")), net.notes?.join('\n'));
  });

  it('28x28 (MNIST-like) from 16 * 4 * 4; features no square side gives leave the usual guess', () => {
    assert.deepEqual(only(tutorial('16 * 4 * 4'), 'net').inputShape, [28, 28, 3]);
    assert.deepEqual(only(tutorial('16 * 3 * 5'), 'net').inputShape, [16, 16, 3]);
  });
});
