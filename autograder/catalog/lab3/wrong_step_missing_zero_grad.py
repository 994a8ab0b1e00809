"""Training step that never zeroes gradients: each backward adds to what earlier calls left in .grad."""
EXERCISE = "train_step"
EXPECT = "zero_grad"

import torch
import torch.nn.functional as F


def train_step(generator, discriminator, opt_g, opt_d, x_real, z):
    x_fake = generator(z)
    logits_real, logits_fake = discriminator(x_real), discriminator(x_fake.detach())
    d_loss = (F.binary_cross_entropy_with_logits(logits_real, torch.ones_like(logits_real))
              + F.binary_cross_entropy_with_logits(logits_fake, torch.zeros_like(logits_fake)))
    d_loss.backward()
    opt_d.step()
    logits = discriminator(x_fake)
    g_loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
    g_loss.backward()
    opt_g.step()
    return d_loss.item(), g_loss.item()
