"""The discriminators updated before the generators, in the order of the DCGAN training loop (pytorch/examples
dcgan/main.py), with fakes made under no_grad for the D step; CycleGAN's reference updates G and F first and gives D
the fakes of the same iteration."""
EXERCISE = "cyclegan_step"
EXPECT = "updated first"

import torch


def cyclegan_step(G, F, D_X, D_Y, opt_g, opt_d, x_real, y_real, pool_x, pool_y, lambda_cyc=10.0, lambda_idt=0.5):
    with torch.no_grad():
        y_fake, x_fake = G(x_real), F(y_real)
    losses = discriminator_step(D_X, D_Y, opt_d, x_real, y_real, x_fake, y_fake, pool_x, pool_y)
    opt_g.zero_grad()
    loss, terms, _, _ = generator_objective(G, F, D_X, D_Y, x_real, y_real, lambda_cyc, lambda_idt)
    loss.backward()
    opt_g.step()
    return {"loss_g": loss.item(), **terms, **losses}
