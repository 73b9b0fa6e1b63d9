# A plain RNN over sequences: its gradient decays through time.
import torch.nn as nn


class SequenceModel(nn.Module):
    def __init__(self, features=8, hidden=32):
        super().__init__()
        self.rnn = nn.RNN(features, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        out, h = self.rnn(x)
        return self.out(out)
