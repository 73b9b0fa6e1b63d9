import { strict as assert } from 'assert';
import { extractModels } from '../../../src/core/extract';
import type { ModelGraph } from '../../../src/core/graph';

// PyTorch parameter counts read from model source, as `sum(p.numel() for p in model.parameters())`
// gives them: every count below is what PyTorch 1.13 printed for the same source.
function read(source: string, name = 'model'): { model: ModelGraph; errors: string[] } {
  const result = extractModels('model.py', source);
  const model = result.models.find((m) => m.name === name);
  assert.ok(model, `a model named ${name}`);
  return { model, errors: result.problems.filter((p) => p.severity === 'error').map((p) => p.message) };
}

const layerNames = (m: ModelGraph, kind: string) => m.layers.filter((l) => l.kind === kind).map((l) => l.name);
const applied = (m: ModelGraph, kind: string) => m.nodes.map((n) => m.layers.find((l) => l.id === n.layer)).filter((l) => l?.kind === kind).map((l) => l!.name);

describe('Python front end: parameter counts', () => {
  it('counts every torch.nn layer from its constructor arguments', () => {
    const { model } = read(`import torch.nn as nn

class Mixer(nn.Module):
    def __init__(self, c=32):
        super().__init__()
        self.conv = nn.Conv2d(c, 2 * c, 3, padding=1, groups=2, bias=False)
        self.up = nn.ConvTranspose2d(2 * c, c, 2, stride=2)
        self.bn = nn.BatchNorm2d(c)
        self.gn = nn.GroupNorm(4, c)
        self.ln = nn.LayerNorm(c)
        self.attn = nn.MultiheadAttention(c, 4)
        self.rnn = nn.LSTM(c, 8, num_layers=2, bidirectional=True)
        self.fc = nn.Linear(16, 10)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.up(self.conv(x))))

model = Mixer()
`);
    assert.equal(model.params, 26378);
  });

  it("counts the nn.Parameter tensors a class assigns (not its buffers), whatever makes their data", () => {
    const { model } = read(`import torch
import torch.nn as nn
from torch.nn.parameter import Parameter

class GroupGate(nn.Module):
    def __init__(self, channels, groups=4, k=3):
        super().__init__()
        self.kernel_size = (k, k)
        self.gain = Parameter(torch.zeros(1, groups, 1, 1))
        self.shift = nn.Parameter(torch.ones((1, groups, 1, 1)), requires_grad=True)
        self.mix = nn.Parameter(torch.empty(channels, channels // groups, *self.kernel_size).uniform_(-1, 1))
        self.register_buffer('scale', torch.ones(channels))
        self.proj = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        return self.proj(x) * self.gain + self.shift

model = GroupGate(16)
`);
    // proj 16·16 + 16 = 272; gain 4, shift 4, mix 16·4·3·3 = 576; the buffer is no parameter.
    assert.equal(model.params, 856);
    // The weights are no layers of their own (nn.Parameter was read as an unmodelled layer before).
    assert.deepEqual(layerNames(model, 'opaque'), []);
  });

  it('gives no count when a parameter’s size is not known statically', () => {
    const { model } = read(`import torch
import torch.nn as nn

class Learned(nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(shape))
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(x) * self.w

model = Learned(unknown_shape)
`);
    assert.equal(model.params, undefined);
  });

  it('reads classes deriving from nn.Conv2d and _ConvNd: their weights, their attributes and the convolution their forward applies', () => {
    const { model } = read(`import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.modules.conv import _ConvNd
from torch.nn.modules.utils import _pair

class StandardisedConv(nn.Conv2d):
    def __init__(self, c1, c2, k, stride=1, padding=0):
        super().__init__(c1, c2, k, stride=stride, padding=padding, bias=False)
        self.register_buffer('gamma', torch.ones(self.out_channels, 1, 1, 1))
        self.delta = nn.Parameter(torch.zeros(self.weight.size()))

    def forward(self, x):
        w = self.weight - self.weight.mean()
        return self._conv_forward(x, w + self.delta, None)

class BlockConv(_ConvNd):
    def __init__(self, c1, c2, k, s=1):
        super().__init__(c1, c2, _pair(k), _pair(s), _pair(k // 2), _pair(1), False, _pair(0), 1, False, 'zeros')
        self.scales = torch.Tensor(c2, 1, k, k)

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)

class Both(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = StandardisedConv(8, 16, 3, padding=1)
        self.b = BlockConv(16, 32, 3, 2)

    def forward(self, x):
        return self.b(self.a(x))

model = Both()
`);
    // a: weight 16·8·3·3 and delta of its size (1,152 each); b: 32·16·3·3 = 4,608, no bias; buffers and plain tensors are not counted.
    assert.equal(model.params, 6912);
    assert.deepEqual(applied(model, 'conv2d'), ['a', 'b.conv2d']);
    const b = model.layers.find((l) => l.name === 'b.conv2d')!;
    assert.deepEqual([b.config.filters, b.config.kernelSize, b.config.strides, b.config.padding, b.config.inChannels], [32, [3, 3], [2, 2], 1, 16]);
  });

  it('reads a deformable convolution as the convolution of its weight', () => {
    const { model } = read(`import torch
import torch.nn as nn

class Deformable(nn.Module):
    def __init__(self, c1, c2, k=3):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(c2, c1, k, k))
        self.bias = nn.Parameter(torch.empty(c2))
        self.offset = nn.Conv2d(c1, 3 * k * k, k, padding=k // 2)

    def forward(self, x):
        o1, o2, mask = torch.chunk(self.offset(x), 3, dim=1)
        offset = torch.cat((o1, o2), dim=1)
        return torch.ops.torchvision.deform_conv2d(x, self.weight, offset, torch.sigmoid(mask), self.bias, 1, 1, 1, 1, 1, 1, 1, 1, True)

model = Deformable(8, 16)
`);
    assert.equal(model.params, 16 * 8 * 9 + 16 + (8 * 27 * 9 + 27));
    assert.deepEqual(applied(model, 'conv2d'), ['deform_conv2d']);
    assert.deepEqual(layerNames(model, 'conv2d'), ['offset', 'deform_conv2d']);
    assert.ok(model.notes?.includes('deform_conv2d is read as a plain convolution with its weight (the offsets are not followed)'));
  });

  it('builds the modules of a generator argument and extends a list with one item at a time', () => {
    const { model } = read(`import torch
import torch.nn as nn

class Chain(nn.Module):
    def __init__(self, c, n=2):
        super().__init__()
        self.m = nn.ModuleList(nn.Conv2d(c, c, 3, padding=1) for _ in range(n))

    def forward(self, x):
        y = [x]
        y.extend(m(y[-1]) for m in self.m)
        return torch.cat(y, 1)

model = Chain(4)
`);
    assert.equal(model.params, 2 * (4 * 4 * 9 + 4));
    // Each convolution reads the one before it (Python's generator sees the list as it grows).
    const second = model.nodes.find((n) => n.layer === 'm.1')!;
    assert.deepEqual(second.inputs, [model.nodes.find((n) => n.layer === 'm.0')!.id]);
  });

  it('parses numbers written with a trailing point (1., drop=0.) without a syntax error', () => {
    const { model, errors } = read(`import torch.nn as nn

class Net(nn.Module):
    def __init__(self, c, drop=0., scale=1.):
        super().__init__()
        self.fc = nn.Linear(c, c)
        self.drop = nn.Dropout(drop) if drop > 0. \\
            else nn.Identity()
        self.scale = 1. / c

    def forward(self, x):
        return self.drop(self.fc(x))

model = Net(8, drop=.5)
`);
    assert.deepEqual(errors, []);
    assert.deepEqual(model.layers.filter((l) => l.kind === 'dropout').map((l) => l.config.rate), [0.5]);
  });
});

describe('Python front end: math', () => {
  it('takes math.log with a base (an ECA kernel size from the channel count)', () => {
    const { model } = read(`import math
import torch.nn as nn

class Eca(nn.Module):
    def __init__(self, c, gamma=2, b=1):
        super().__init__()
        t = int(abs(math.log(c, 2) + b) / gamma)
        k = t if t % 2 else t + 1
        self.conv = nn.Conv1d(1, 1, kernel_size=k, padding=(k - 1) // 2, bias=False)

    def forward(self, x):
        return self.conv(x)

model = Eca(256)
`);
    // log2(256) = 8: t = 4, k = 5 (the natural log gave k = 3).
    assert.equal(model.params, 5);
  });
});
