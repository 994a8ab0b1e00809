"""Sigmoid followed by F.binary_cross_entropy: finite (BCELoss clamps each log at -100) but wrong for confident logits.

The approach of eriklindernoren/PyTorch-GAN implementations/gan/gan.py (a Sigmoid at the end of the discriminator and
nn.BCELoss), moved into the loss; the clamp is documented in PyTorch's BCELoss reference page.
"""
EXERCISE = "discriminator_loss"
EXPECT = "clamps each log at -100"

import torch
import torch.nn.functional as F


def discriminator_loss(real_logits, fake_logits):
    d_real, d_fake = torch.sigmoid(real_logits), torch.sigmoid(fake_logits)
    return (F.binary_cross_entropy(d_real, torch.ones_like(d_real))
            + F.binary_cross_entropy(d_fake, torch.zeros_like(d_fake)))
