# A deep sigmoid MLP: the gradient reaching the first layers vanishes.
import torch.nn as nn


class DeepSigmoidMLP(nn.Module):
    def __init__(self, in_features=32, width=64, depth=8, classes=10):
        super().__init__()
        layers = []
        for i in range(depth):
            layers.append(nn.Linear(in_features if i == 0 else width, width))
            layers.append(nn.Sigmoid())
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(width, classes)

    def forward(self, x):
        return self.head(self.body(x))


healthy = nn.Sequential(
    nn.Linear(32, 64),
    nn.ReLU(),
    nn.Linear(64, 64),
    nn.ReLU(),
    nn.Linear(64, 10),
)

# gradlint-disable-next-line saturating-stack
quiet = nn.Sequential(nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 4))
