"""Generator losses written literally from the paper's formulas, log D(G(z)) with D = sigmoid(a): -inf once a
confident logit saturates float32 (Goodfellow et al. 2014, sec. 3, typed in as it reads)."""
EXERCISE = "generator_loss"
EXPECT = "sigmoid then log"

import torch


def generator_loss(fake_logits, saturating=False):
    d_fake = torch.sigmoid(fake_logits)
    if saturating:
        return torch.log(1 - d_fake).mean()
    return -torch.log(d_fake).mean()
