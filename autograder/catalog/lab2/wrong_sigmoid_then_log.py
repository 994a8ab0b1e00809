"""Discriminator loss written as sigmoid followed by log: -inf/NaN once a confident logit saturates float32."""
EXERCISE = "discriminator_loss"
EXPECT = "sigmoid then log"

import torch


def discriminator_loss(real_logits, fake_logits):
    d_real = torch.sigmoid(real_logits)
    d_fake = torch.sigmoid(fake_logits)
    return -(torch.log(d_real).mean() + torch.log(1 - d_fake).mean())
