"""Training step whose discriminator loss uses the fakes without detach: its backward also runs through the
generator (wasted work, and gradients pile up in the generator's .grad)."""
EXERCISE = "train_step"
EXPECT = "detach"

import torch
import torch.nn.functional as F


def train_step(generator, discriminator, opt_g, opt_d, x_real, z):
    x_fake = generator(z)
    logits_real, logits_fake = discriminator(x_real), discriminator(x_fake)
    d_loss = (F.binary_cross_entropy_with_logits(logits_real, torch.ones_like(logits_real))
              + F.binary_cross_entropy_with_logits(logits_fake, torch.zeros_like(logits_fake)))
    opt_d.zero_grad()
    d_loss.backward(retain_graph=True)
    opt_d.step()
    logits = discriminator(x_fake)
    g_loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    return d_loss.item(), g_loss.item()
