"""Gradient penalty evaluated at the real samples instead of at random interpolates."""
EXERCISE = "gradient_penalty"
EXPECT = "interpolates"

import torch


def gradient_penalty(critic, x_real, x_fake, eps=None, lambda_gp=10.0):
    x = x_real.detach().clone().requires_grad_(True)
    (grads,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return lambda_gp * ((grads.norm(2, dim=1) - 1) ** 2).mean()
