"""Training step whose discriminator step also steps the generator's optimizer ("update both after backward"),
with the fakes not detached: the generator moves to help the discriminator."""
EXERCISE = "train_step"
EXPECT = "discriminator step"

import torch
import torch.nn.functional as F


def train_step(generator, discriminator, opt_g, opt_d, x_real, z):
    x_fake = generator(z)
    logits_real, logits_fake = discriminator(x_real), discriminator(x_fake)
    d_loss = (F.binary_cross_entropy_with_logits(logits_real, torch.ones_like(logits_real))
              + F.binary_cross_entropy_with_logits(logits_fake, torch.zeros_like(logits_fake)))
    opt_d.zero_grad()
    opt_g.zero_grad()
    d_loss.backward()
    opt_d.step()
    opt_g.step()
    logits = discriminator(generator(z))
    g_loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    return d_loss.item(), g_loss.item()
