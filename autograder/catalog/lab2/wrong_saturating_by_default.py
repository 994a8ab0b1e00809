"""Generator loss that returns the saturating minimax loss log(1 - D(G(z))) where the non-saturating one is asked."""
EXERCISE = "generator_loss"
EXPECT = "saturating loss"

import torch.nn.functional as F


def generator_loss(fake_logits, saturating=False):
    return -F.softplus(fake_logits).mean()
