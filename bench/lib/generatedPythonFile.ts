// A generated PyTorch model file the Python benches share: typical model code (a residual
// block, an MLP built in a loop, a Sequential with an OrderedDict, functional activations)
// repeated to a given length.

function block(i: number): string {
  return `
class BasicBlock${i}(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)

    def forward(self, x):
        identity = x
        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)
        out = self.conv2(out)
        out = self.bn2(out)
        out += identity
        return self.relu(out)


class Mlp${i}(nn.Module):
    def __init__(self, in_features=${32 + (i % 4) * 16}, hidden=(128, 64, 32), out_features=10):
        super().__init__()
        layers = []
        width = in_features
        for h in hidden:
            layers.append(nn.Linear(width, h))
            layers.append(nn.ReLU())
            layers.append(nn.Dropout(0.1))
            width = h
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(width, out_features)

    def forward(self, x):
        x = self.body(x)
        return torch.sigmoid(self.head(x))


classifier${i} = nn.Sequential(OrderedDict([
    ("fc1", nn.Linear(64, 64)),
    ("act1", nn.Tanh()),
    ("fc2", nn.Linear(64, 64)),
    ("act2", nn.Tanh()),
    ("out", nn.Linear(64, 10)),
]))


class Encoder${i}(nn.Module):
    def __init__(self, dim=64, depth=4):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(dim, dim) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        for blk in self.blocks:
            x = x + F.gelu(blk(x))
        return self.norm(x)
`;
}

const HEADER = `import torch
import torch.nn as nn
import torch.nn.functional as F
from collections import OrderedDict
`;

/** A PyTorch file of at least `lines` lines. */
export function generatedPythonFile(lines: number): string {
  let text = HEADER;
  for (let i = 0; text.split('\n').length < lines; i++) text += block(i);
  return text;
}
