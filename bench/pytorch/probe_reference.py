"""PyTorch's per-layer gradients for checking gradlint's probe of Python models (issue 15).

The probe builds a PyTorch model in tfjs from gradlint's reading, with PyTorch's default
initialisation; test/probe/pytorchReference.test.ts checks that each weighted layer's
kernel-gradient RMS lies within 0.4 decades of PyTorch's. This script writes the models'
source to test/fixtures/python/probe-reference/models.py and PyTorch's measurements to
pytorch.json there, so the test never needs Python. Run from the repository root:

    /usr/bin/python3 bench/pytorch/probe_reference.py

The contract is calibrate.py's (batch 16, x ~ N(0, 1), MSE to N(0, 1) targets, train mode);
the image size is the one gradlint chooses for an image model whose code does not state it
(twice the total stride, at least 16, grown so that adaptive pooling to k x k meets a multiple
of k: 64 for a VGG pooled to 2 x 2, 224 for one pooled to 7 x 7). Models marked "probe": false
are too large for the tfjs probe in a test; the estimate is checked on them. Per layer: the median over seeds 0..4
of log10 of the RMS of its kernel gradients (parameters of rank >= 2), and the seeds' range.
Stacked recurrences are split per PyTorch layer (rnn.l0, rnn.l1) as gradlint names them;
MultiheadAttention's in_proj weight is reported as `<name>.in_proj`. SqueezeExcite64 is a
squeeze-excitation block (adaptive pooling to 1, then 1x1 convolutions) between two convolutions.
"""
import math
import os
import re
import statistics

import torch.nn as nn

from calibrate import ACTS, convnet, mlp, recurrent, residual
from contract import ROOT, SEEDS, backward_step, rms, write_reference

OUT = os.path.join(ROOT, "test", "fixtures", "python", "probe-reference")
ESTIMATE_ONLY = {"Vgg11At224"}


VGG11_PLAN = "[64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M']"


def vgg11(name, size, pooled, hidden, init):
    """VGG11's feature stack (configuration "A"), adaptive pooling to pooled x pooled, flattened
    with x.view as torchvision does, and a classifier; init=True adds torchvision's VGG init."""
    lines = [
        f"class {name}(nn.Module):",
        "    def __init__(self):",
        "        super().__init__()",
        "        layers = []",
        "        channels = 3",
        f"        for v in {VGG11_PLAN}:",
        "            if v == 'M':",
        "                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))",
        "            else:",
        "                layers.append(nn.Conv2d(channels, v, kernel_size=3, padding=1))",
        "                layers.append(nn.ReLU(inplace=True))",
        "                channels = v",
        "        self.features = nn.Sequential(*layers)",
        f"        self.avgpool = nn.AdaptiveAvgPool2d(({pooled}, {pooled}))",
        f"        self.classifier = nn.Sequential(nn.Linear(512 * {pooled} * {pooled}, {hidden}), nn.ReLU(True), nn.Linear({hidden}, {hidden}), nn.ReLU(True), nn.Linear({hidden}, 10))",
    ]
    if init:
        lines += [
            "        for m in self.modules():",
            "            if isinstance(m, nn.Conv2d):",
            "                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')",
            "                nn.init.zeros_(m.bias)",
            "            elif isinstance(m, nn.Linear):",
            "                nn.init.normal_(m.weight, 0, 0.01)",
            "                nn.init.zeros_(m.bias)",
        ]
    lines += [
        "",
        "    def forward(self, x):",
        "        x = self.avgpool(self.features(x))",
        "        x = x.view(x.size(0), -1)",
        "        return self.classifier(x)",
    ]
    return "\n".join(lines), (3, size, size)


def attention(name, dim, heads):
    lines = [
        f"class {name}(nn.Module):",
        "    def __init__(self):",
        "        super().__init__()",
        f"        self.inp = nn.Linear(8, {dim})",
        f"        self.attn = nn.MultiheadAttention({dim}, {heads}, batch_first=True)",
        f"        self.norm = nn.LayerNorm({dim})",
        f"        self.head = nn.Linear({dim}, 1)",
        "",
        "    def forward(self, x):",
        "        x = self.inp(x)",
        "        y, _ = self.attn(x, x, x)",
        "        return self.head(self.norm(x + y))",
    ]
    return "\n".join(lines), (16, 8)


def squeeze_excite(name, channels, reduction):
    """A conv stem, a squeeze-excitation block (x * sigmoid(conv(relu(conv(pool(x)))))), a conv, the head."""
    lines = [
        f"class {name}(nn.Module):",
        "    def __init__(self):",
        "        super().__init__()",
        f"        self.stem = nn.Conv2d(3, {channels}, 3, padding=1)",
        "        self.pool = nn.AdaptiveAvgPool2d(1)",
        f"        self.fc = nn.Sequential(nn.Conv2d({channels}, {channels // reduction}, 1), nn.ReLU(), nn.Conv2d({channels // reduction}, {channels}, 1), nn.Sigmoid())",
        f"        self.conv = nn.Conv2d({channels}, {channels}, 3, padding=1)",
        f"        self.head = nn.Linear({channels}, 10)",
        "",
        "    def forward(self, x):",
        "        x = torch.relu(self.stem(x))",
        "        x = x * self.fc(self.pool(x))",
        "        x = torch.relu(self.conv(x))",
        "        return self.head(torch.flatten(self.pool(x), 1))",
    ]
    return "\n".join(lines), (3, 16, 16)


def specs():
    for act in ACTS:
        yield mlp(f"Mlp8x64{act.capitalize()}", 8, 64, act, False)
    yield mlp("Mlp8x64SigmoidBn", 8, 64, "sigmoid", True)
    yield mlp("Mlp16x16TanhBn", 16, 16, "tanh", True)
    yield residual("Residual4Tanh", 4, 64, "tanh", False)
    yield residual("Residual8ReluBn", 8, 64, "relu", True)
    yield convnet("Conv4Relu", 4, "relu", False)
    yield convnet("Conv8TanhBn", 8, "tanh", True)
    yield convnet("Conv8Sigmoid", 8, "sigmoid", False)
    for cell in ("RNN", "LSTM", "GRU"):
        yield recurrent(f"{cell.capitalize()}2", cell, 2)
    yield attention("Attention64x4", 64, 4)
    yield squeeze_excite("SqueezeExcite64", 64, 4)
    yield vgg11("Vgg11", 64, 2, 256, False)
    # At 224 px (gradlint's choice for adaptive pooling to 7): too slow for the tfjs probe in
    # tests, checked against the estimate only.
    yield vgg11("Vgg11At224", 224, 7, 4096, True)


def kernel_gradients(model):
    """(gradlint's layer name, gradients) per weighted layer, in registration order."""
    out = []
    for name, module in model.named_modules():
        grads = {n: p.grad for n, p in module.named_parameters(recurse=False) if p.dim() >= 2 and p.grad is not None}
        if not grads:
            continue
        if isinstance(module, (nn.RNN, nn.LSTM, nn.GRU)) and module.num_layers > 1:
            for k in range(module.num_layers):
                out.append((f"{name}.l{k}", [g for n, g in grads.items() if re.search(rf"_l{k}(_reverse)?$", n)]))
        elif isinstance(module, nn.MultiheadAttention):
            out.append((f"{name}.in_proj", list(grads.values())))
        else:
            out.append((name, list(grads.values())))
    return out


def measure(cls, shape, seed):
    model = backward_step(cls, shape, seed)
    return [(name, math.log10(rms(grads))) for name, grads in kernel_gradients(model)]


def summarise(cls, shape, name):
    runs = [measure(cls, shape, seed) for seed in SEEDS]
    layers = {}
    for i, (layer, _) in enumerate(runs[0]):
        values = [run[i][1] for run in runs]
        layers[layer] = {"gradientLog10": statistics.median(values), "seedRange": max(values) - min(values)}
    print(name, {k: round(v["gradientLog10"], 2) for k, v in layers.items()})
    return {"inputShape": list(shape), "probe": name not in ESTIMATE_ONLY, "layers": layers}


def main():
    write_reference(OUT, "probe_reference.py", "checking gradlint's probe against PyTorch",
                    "batch 16, x ~ N(0,1), MSE to N(0,1) targets, train mode, seeds 0-4; per layer log10 kernel-gradient RMS", specs(), summarise)


if __name__ == "__main__":
    main()
