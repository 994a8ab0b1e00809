"""The generator step reuses the fakes of the last discriminator step, the pattern of pytorch/examples dcgan/main.py
(fake = netG(noise); D step on fake.detach(); G step on netD(fake)), where Algorithm 1 draws noise_batches[k]."""
EXERCISE = "train_step"
EXPECT = "reused the last discriminator step's fakes"

import torch


def train_step(generator, discriminator, opt_g, opt_d, real_batches, noise_batches, d_loss_fn, g_loss_fn,
               penalty=None, clip=None):
    for i in range(real_batches.shape[0]):
        x_real = real_batches[i]
        x_fake = generator(noise_batches[i])  # kept with its graph for the generator step below
        d_loss = d_loss_fn(discriminator(x_real), discriminator(x_fake.detach()))
        if penalty is not None:
            d_loss = d_loss + penalty(discriminator, x_real, x_fake.detach())
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        if clip is not None:
            with torch.no_grad():
                for param in discriminator.parameters():
                    param.clamp_(-clip, clip)
    g_loss = g_loss_fn(discriminator(x_fake))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    return d_loss.item(), g_loss.item()
