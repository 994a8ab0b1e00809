"""Discriminator loss with the real and fake labels swapped (real scored as 0, fake as 1)."""
EXERCISE = "discriminator_loss"
EXPECT = "labels are swapped"

import torch.nn.functional as F


def discriminator_loss(real_logits, fake_logits):
    loss_real = F.binary_cross_entropy_with_logits(real_logits, torch_zeros(real_logits))
    loss_fake = F.binary_cross_entropy_with_logits(fake_logits, torch_ones(fake_logits))
    return loss_real + loss_fake


def torch_zeros(t):
    import torch

    return torch.zeros_like(t)


def torch_ones(t):
    import torch

    return torch.ones_like(t)
