"""Losses from F.logsigmoid, the logit gradient from torch.special.expit, D* and the JSD with torch.where/xlogy on
the support, the ring from complex exponentials, a training step that zeroes gradients through the modules and
samples fakes under no_grad, and mode coverage comparing squared distances with (3 std)^2."""
EXERCISES = ["discriminator_loss", "generator_loss", "generator_logit_grad", "optimal_discriminator", "js_divergence",
             "ring_modes", "train_step", "mode_coverage", "lsgan_losses"]

import math

import torch
import torch.nn.functional as F


def discriminator_loss(real_logits, fake_logits):
    return -F.logsigmoid(real_logits).mean() - F.logsigmoid(-fake_logits).mean()


def generator_loss(fake_logits, saturating=False):
    if saturating:
        return F.logsigmoid(-fake_logits).mean()  # log(1 - sigmoid(a)) = log sigmoid(-a)
    return -F.logsigmoid(fake_logits).mean()


def generator_logit_grad(fake_logits, saturating=False):
    p = torch.special.expit(fake_logits)
    return -p if saturating else -(1 - p)


def optimal_discriminator(p_data, p_g):
    total = p_data + p_g
    return torch.where(total > 0, p_data / total, torch.zeros_like(total))


def js_divergence(p, q):
    m = (p + q) / 2
    safe_m = torch.where(m > 0, m, torch.ones_like(m))  # where m = 0, p = q = 0 and the terms vanish
    kl_p = (torch.xlogy(p, p) - torch.xlogy(p, safe_m)).sum()
    kl_q = (torch.xlogy(q, q) - torch.xlogy(q, safe_m)).sum()
    return (kl_p + kl_q) / 2


def ring_modes(num_modes=8, radius=2.0):
    k = torch.arange(num_modes, dtype=torch.float64)
    points = float(radius) * torch.exp(1j * 2 * math.pi * k / num_modes)
    return torch.stack([points.real, points.imag], dim=1).to(torch.float32)


def train_step(generator, discriminator, opt_g, opt_d, real_batches, noise_batches, d_loss_fn, g_loss_fn,
               penalty=None, clip=None):
    k = len(real_batches)
    d_value = None
    for step in range(k):
        with torch.no_grad():
            fakes = generator(noise_batches[step])
        discriminator.zero_grad()
        loss = d_loss_fn(discriminator(real_batches[step]), discriminator(fakes))
        if penalty is not None:
            loss = loss + penalty(discriminator, real_batches[step], fakes)
        loss.backward()
        opt_d.step()
        d_value = loss.item()
        if clip is not None:
            with torch.no_grad():
                for w in discriminator.parameters():
                    w.copy_(w.clamp(-clip, clip))
    generator.zero_grad()
    g_loss = g_loss_fn(discriminator(generator(noise_batches[k])))
    g_loss.backward()
    opt_g.step()
    return d_value, g_loss.item()


def mode_coverage(samples, modes, std):
    squared = ((samples.unsqueeze(1) - modes.unsqueeze(0)) ** 2).sum(dim=2)  # (N, M)
    nearest = squared.argmin(dim=1)
    good = squared.gather(1, nearest[:, None]).squeeze(1) <= (3 * std) ** 2
    return len(set(nearest[good].tolist())), good.sum().item() / samples.shape[0]


def lsgan_losses(real_scores, fake_scores):
    d_loss = 0.5 * F.mse_loss(real_scores, torch.ones_like(real_scores)) + 0.5 * F.mse_loss(
        fake_scores, torch.zeros_like(fake_scores))
    return d_loss, 0.5 * F.mse_loss(fake_scores, torch.ones_like(fake_scores))
