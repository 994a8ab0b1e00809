"""WGAN weight clipping applied to the generator's parameters instead of the critic's."""
EXERCISE = "train_step"
EXPECT = "generator's weights were clipped"

import torch


def train_step(generator, discriminator, opt_g, opt_d, real_batches, noise_batches, d_loss_fn, g_loss_fn,
               penalty=None, clip=None):
    k = real_batches.shape[0]
    for i in range(k):
        x_real = real_batches[i]
        x_fake = generator(noise_batches[i]).detach()
        d_loss = d_loss_fn(discriminator(x_real), discriminator(x_fake))
        if penalty is not None:
            d_loss = d_loss + penalty(discriminator, x_real, x_fake)
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        if clip is not None:
            with torch.no_grad():
                for p in generator.parameters():
                    p.clamp_(-clip, clip)
    opt_g.zero_grad()
    g_loss = g_loss_fn(discriminator(generator(noise_batches[k])))
    g_loss.backward()
    opt_g.step()
    return d_loss.item(), g_loss.item()
