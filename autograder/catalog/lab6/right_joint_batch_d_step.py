"""The D step judging the real batch and the pooled fakes in one forward pass on their concatenation and splitting
the scores (as DCGAN-style loops that batch real and fake together do); with discriminators that judge each image on
its own (instance norm, PatchGAN) the losses and gradients are those of two passes."""
EXERCISES = ["discriminator_step"]

import torch


def discriminator_step(D_X, D_Y, opt_d, x_real, y_real, x_fake, y_fake, pool_x, pool_y):
    opt_d.zero_grad()
    losses = {}
    for key, net, real, fake, pool in (("loss_d_y", D_Y, y_real, y_fake, pool_y),
                                       ("loss_d_x", D_X, x_real, x_fake, pool_x)):
        fake = pool.query(fake.detach()).detach()
        scores = net(torch.cat([real, fake]))
        losses[key] = lsgan_discriminator_loss(scores[:len(real)], scores[len(real):])
    (losses["loss_d_x"] + losses["loss_d_y"]).backward()
    opt_d.step()
    return {key: loss.item() for key, loss in losses.items()}
