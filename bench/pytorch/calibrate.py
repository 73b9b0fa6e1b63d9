"""Measures the probe contract with PyTorch on generated PyTorch models (issue 15).

Writes the models' source to test/fixtures/python/calibration/models.py (what gradlint reads)
and PyTorch's measurements to test/fixtures/python/calibration/pytorch.json, so that
`npx tsx bench/python-calibration.ts` and the unit tests compare gradlint's estimate with
PyTorch without needing Python. Run from the repository root:

    python3 bench/pytorch/calibrate.py

The contract (docs: probe contract): batch 16, x ~ N(0, 1) (unknown sizes 16), training mode,
loss = sum over outputs of mean((y - t)^2) with t ~ N(0, 1), PyTorch's default initialisation;
per weighted module the RMS of its kernel gradients (parameters of rank >= 2), and the depth
ratio log10(first weighted layer / last). Each model is measured with seeds 0..4; the JSON
keeps every seed and the median depth ratio.
"""
import math
import os
import statistics

from contract import ROOT, SEEDS, backward_step, rms, write_reference

OUT = os.path.join(ROOT, "test", "fixtures", "python", "calibration")

ACTS = {"relu": "nn.ReLU()", "sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()", "gelu": "nn.GELU()", "silu": "nn.SiLU()"}


def mlp(name, depth, width, act, bn):
    lines = [f"class {name}(nn.Module):", "    def __init__(self):", "        super().__init__()", "        layers = []"]
    lines.append(f"        for i in range({depth}):")
    lines.append(f"            layers.append(nn.Linear(32 if i == 0 else {width}, {width}))")
    if bn:
        lines.append(f"            layers.append(nn.BatchNorm1d({width}))")
    lines.append(f"            layers.append({ACTS[act]})")
    lines.append("        self.body = nn.Sequential(*layers)")
    lines.append(f"        self.head = nn.Linear({width}, 10)")
    lines += ["", "    def forward(self, x):", "        return self.head(self.body(x))"]
    return "\n".join(lines), (32,)


def residual(name, blocks, width, act, bn):
    norm = f"nn.BatchNorm1d({width}), " if bn else ""
    lines = [
        f"class {name}(nn.Module):",
        "    def __init__(self):",
        "        super().__init__()",
        f"        self.stem = nn.Linear(32, {width})",
        f"        self.blocks = nn.ModuleList([nn.Sequential(nn.Linear({width}, {width}), {norm}{ACTS[act]}) for _ in range({blocks})])",
        f"        self.head = nn.Linear({width}, 10)",
        "",
        "    def forward(self, x):",
        "        x = self.stem(x)",
        "        for block in self.blocks:",
        "            x = x + block(x)",
        "        return self.head(x)",
    ]
    return "\n".join(lines), (32,)


def convnet(name, depth, act, bn):
    lines = [f"class {name}(nn.Module):", "    def __init__(self):", "        super().__init__()", "        layers = []"]
    lines.append(f"        for i in range({depth}):")
    lines.append("            layers.append(nn.Conv2d(3 if i == 0 else 16, 16, kernel_size=3, padding=1))")
    if bn:
        lines.append("            layers.append(nn.BatchNorm2d(16))")
    lines.append(f"            layers.append({ACTS[act]})")
    lines.append("        self.body = nn.Sequential(*layers)")
    lines.append("        self.pool = nn.AdaptiveAvgPool2d(1)")
    lines.append("        self.head = nn.Linear(16, 10)")
    lines += ["", "    def forward(self, x):", "        x = self.pool(self.body(x))", "        return self.head(torch.flatten(x, 1))"]
    return "\n".join(lines), (3, 16, 16)


def recurrent(name, cell, layers):
    lines = [
        f"class {name}(nn.Module):",
        "    def __init__(self):",
        "        super().__init__()",
        f"        self.rnn = nn.{cell}(8, 32, num_layers={layers}, batch_first=True)",
        "        self.head = nn.Linear(32, 1)",
        "",
        "    def forward(self, x):",
        "        out, _ = self.rnn(x)",
        "        return self.head(out)",
    ]
    return "\n".join(lines), (16, 8)


def specs():
    for depth in (4, 8, 16):
        for width in (16, 64):
            for act in ACTS:
                for bn in (False, True):
                    yield mlp(f"Mlp{depth}x{width}{act.capitalize()}{'Bn' if bn else ''}", depth, width, act, bn)
    for blocks in (4, 8):
        for act in ("relu", "tanh"):
            for bn in (False, True):
                yield residual(f"Residual{blocks}{act.capitalize()}{'Bn' if bn else ''}", blocks, 64, act, bn)
    for depth in (4, 8):
        for act in ("relu", "sigmoid", "tanh"):
            for bn in (False, True):
                yield convnet(f"Conv{depth}{act.capitalize()}{'Bn' if bn else ''}", depth, act, bn)
    for cell in ("RNN", "LSTM", "GRU"):
        for layers in (1, 2):
            yield recurrent(f"{cell.capitalize()}{layers}", cell, layers)


def kernel_rms(module):
    grads = [p.grad for n, p in module.named_parameters(recurse=False) if p.dim() >= 2 and p.grad is not None]
    return rms(grads) if grads else None


def measure(cls, shape, seed):
    outputs = []

    def record(module, inputs, output):
        if isinstance(output, tuple):
            output = output[0]
        outputs.append(float(output.detach().double().pow(2).mean().sqrt()))

    def hook_leaves(model):
        for m in model.modules():
            if not list(m.children()):
                m.register_forward_hook(record)

    model = backward_step(cls, shape, seed, hook_leaves)
    layers = []
    for name, m in model.named_modules():
        g = kernel_rms(m)
        if g is not None:
            layers.append({"name": name, "gradientRms": g})
    ratio = math.log10(layers[0]["gradientRms"] / layers[-1]["gradientRms"]) if layers[-1]["gradientRms"] > 0 and layers[0]["gradientRms"] > 0 else None
    return layers, ratio, math.log10(max(outputs))


def summarise(cls, shape, name):
    runs = [measure(cls, shape, seed) for seed in SEEDS]
    ratios = [r for _, r, _ in runs if r is not None]
    return {
        "depthRatioLog10": statistics.median(ratios) if ratios else None,
        "depthRatioLog10BySeed": ratios,
        "firstGradientLog10": statistics.median(math.log10(l[0]["gradientRms"]) for l, _, _ in runs if l[0]["gradientRms"] > 0),
        "maxActivationLog10": statistics.median(a for _, _, a in runs),
        "layers": [l["name"] for l in runs[0][0]],
    }


def main():
    write_reference(OUT, "calibrate.py", "calibrating gradlint's estimate against PyTorch",
                    "batch 16, x ~ N(0,1), MSE to N(0,1) targets, train mode, seeds 0-4", specs(), summarise)


if __name__ == "__main__":
    main()
