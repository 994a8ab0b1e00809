"""Losses, divergences and metrics written with library calls (BCE-with-logits, kl_div, autograd, polar coordinates)
instead of explicit softplus formulas."""
EXERCISES = ["discriminator_loss", "generator_loss", "generator_logit_grad", "optimal_discriminator", "js_divergence",
             "ring_modes", "mode_coverage", "lsgan_losses", "wgan_losses", "hinge_losses"]

import math

import torch
import torch.nn.functional as F


def discriminator_loss(real_logits, fake_logits):
    bce = F.binary_cross_entropy_with_logits
    return bce(real_logits, torch.ones_like(real_logits)) + bce(fake_logits, torch.zeros_like(fake_logits))


def generator_loss(fake_logits, saturating=False):
    if saturating:
        return -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def generator_logit_grad(fake_logits, saturating=False):
    a = fake_logits.detach().clone().requires_grad_(True)
    per_sample = F.logsigmoid(-a) if saturating else -F.logsigmoid(a)
    (grad,) = torch.autograd.grad(per_sample.sum(), a)
    return grad


def optimal_discriminator(p_data, p_g):
    return 1.0 / (1.0 + p_g / p_data) if bool((p_data > 0).all()) else p_data / (p_data + p_g)


def js_divergence(p, q):
    support = (p + q) > 0  # entries where both are 0 contribute nothing (and would give 0 * log(0 / 0))
    p, q = p[support], q[support]
    m = (p + q) / 2
    # F.kl_div(input=log m, target=p) = sum p * (log p - log m), with 0 * log 0 = 0
    return (F.kl_div(m.log(), p, reduction="sum") + F.kl_div(m.log(), q, reduction="sum")) / 2


def ring_modes(num_modes=8, radius=2.0):
    angles = torch.linspace(0, 2 * math.pi, num_modes + 1)[:-1]
    points = torch.polar(torch.full_like(angles, float(radius)), angles)
    return torch.view_as_real(points).float()


def mode_coverage(samples, modes, std):
    captured = set()
    good = 0
    for point in samples:
        distances = ((modes - point) ** 2).sum(dim=1).sqrt()
        j = int(torch.argmin(distances))
        if distances[j] <= 3 * std:
            good += 1
            captured.add(j)
    return len(captured), good / len(samples)


def lsgan_losses(real_scores, fake_scores):
    mse = F.mse_loss
    d_loss = (mse(real_scores, torch.ones_like(real_scores)) + mse(fake_scores, torch.zeros_like(fake_scores))) / 2
    return d_loss, mse(fake_scores, torch.ones_like(fake_scores)) / 2


def wgan_losses(real_scores, fake_scores):
    return -(real_scores.mean() - fake_scores.mean()), -fake_scores.mean()


def hinge_losses(real_scores, fake_scores):
    d_loss = torch.clamp(1 - real_scores, min=0).mean() + torch.clamp(1 + fake_scores, min=0).mean()
    return d_loss, -fake_scores.mean()
