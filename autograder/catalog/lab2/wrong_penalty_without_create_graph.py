"""Gradient penalty computed without create_graph=True: the value is right but no gradient reaches the critic."""
EXERCISE = "gradient_penalty"
EXPECT = "create_graph=True"

import torch


def gradient_penalty(critic, x_real, x_fake, eps=None, lambda_gp=10.0):
    if eps is None:
        eps = torch.rand(x_real.shape[0], 1, dtype=x_real.dtype)
    x_hat = (eps * x_real + (1 - eps) * x_fake).detach().requires_grad_(True)
    (grads,) = torch.autograd.grad(critic(x_hat).sum(), x_hat)
    return lambda_gp * ((grads.norm(2, dim=1) - 1) ** 2).mean()
