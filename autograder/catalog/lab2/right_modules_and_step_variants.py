"""Networks built layer by layer, a training step that freezes D during the G step and scores real and fake in one
forward pass, and a penalty written with torch.lerp and grad_outputs."""
EXERCISES = ["Generator", "Discriminator", "train_step", "gradient_penalty"]

import torch
import torch.nn as nn


def _mlp(sizes):
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class Generator(nn.Module):
    def __init__(self, latent_dim=2, hidden_dim=128, data_dim=2):
        super().__init__()
        self.layers = _mlp([latent_dim, hidden_dim, hidden_dim, hidden_dim, data_dim])

    def forward(self, z):
        return self.layers(z)


class Discriminator(nn.Module):
    def __init__(self, hidden_dim=128, data_dim=2):
        super().__init__()
        self.body = _mlp([data_dim, hidden_dim, hidden_dim, hidden_dim])
        self.act = nn.ReLU()
        self.head = nn.Linear(hidden_dim, 1)

    def forward(self, x):
        return self.head(self.act(self.body(x)))


def train_step(generator, discriminator, opt_g, opt_d, real_batches, noise_batches, d_loss_fn, g_loss_fn,
               penalty=None, clip=None):
    k = len(real_batches)
    for x_real, noise in zip(real_batches, noise_batches[:k]):
        with torch.no_grad():
            x_fake = generator(noise)
        scores = discriminator(torch.cat([x_real, x_fake]))
        d_loss = d_loss_fn(scores[: len(x_real)], scores[len(x_real):])
        if penalty is not None:
            d_loss = d_loss + penalty(discriminator, x_real, x_fake)
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        if clip is not None:
            for param in discriminator.parameters():
                param.data.clamp_(min=-clip, max=clip)
    for param in discriminator.parameters():
        param.requires_grad_(False)
    try:
        g_loss = g_loss_fn(discriminator(generator(noise_batches[-1])))
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
    finally:
        for param in discriminator.parameters():
            param.requires_grad_(True)
    return d_loss.item(), g_loss.item()


def gradient_penalty(critic, x_real, x_fake, eps=None, lambda_gp=10.0):
    if eps is None:
        eps = torch.rand(len(x_real), 1, dtype=x_real.dtype, device=x_real.device)
    x_hat = torch.lerp(x_fake.detach(), x_real.detach(), eps).requires_grad_()
    out = critic(x_hat)
    grads = torch.autograd.grad(outputs=out, inputs=x_hat, grad_outputs=torch.ones_like(out), create_graph=True,
                                retain_graph=True)[0]
    slopes = torch.sqrt((grads**2).sum(dim=1))
    return lambda_gp * torch.mean((slopes - 1) ** 2)
