"""Gradient penalty on the batch-mean gradient's norm instead of the per-sample (||grad|| - 1)^2."""
EXERCISE = "gradient_penalty"
EXPECT = "per sample"

import torch


def gradient_penalty(critic, x_real, x_fake, eps=None, lambda_gp=10.0):
    if eps is None:
        eps = torch.rand(x_real.shape[0], 1, dtype=x_real.dtype)
    x_hat = (eps * x_real + (1 - eps) * x_fake).detach().requires_grad_(True)
    (grads,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return lambda_gp * (grads.mean(dim=0).norm(2) - 1) ** 2
