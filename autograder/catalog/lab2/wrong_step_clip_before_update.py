"""Weight clipping at the start of each critic iteration, as martinarjovsky/WassersteinGAN main.py does, where this
lab's contract clamps after each discriminator step: the last update is left unclamped."""
EXERCISE = "train_step"
EXPECT = "before the discriminator's update"

import torch


def train_step(generator, discriminator, opt_g, opt_d, real_batches, noise_batches, d_loss_fn, g_loss_fn,
               penalty=None, clip=None):
    k = real_batches.shape[0]
    for i in range(k):
        if clip is not None:
            for param in discriminator.parameters():
                param.data.clamp_(-clip, clip)
        x_real = real_batches[i]
        with torch.no_grad():
            x_fake = generator(noise_batches[i])
        d_loss = d_loss_fn(discriminator(x_real), discriminator(x_fake))
        if penalty is not None:
            d_loss = d_loss + penalty(discriminator, x_real, x_fake)
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
    g_loss = g_loss_fn(discriminator(generator(noise_batches[k])))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    return float(d_loss), float(g_loss)
