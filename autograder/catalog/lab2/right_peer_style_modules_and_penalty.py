"""Peer-style code adapted to our signatures: networks with explicit layers and F.relu in forward (another
initialisation), the gradient penalty in the manner of EmilienDupont/wgan-gp training.py (gradients flattened per
sample, norm as sqrt(sum of squares + 1e-12), grad_outputs of ones), and the WGAN/hinge losses with torch.mean and
torch.clamp."""
EXERCISES = ["Generator", "Discriminator", "gradient_penalty", "wgan_losses", "hinge_losses"]

import torch
import torch.nn as nn
import torch.nn.functional as F


class Generator(nn.Module):
    def __init__(self, latent_dim=2, hidden_dim=128, data_dim=2):
        super().__init__()
        self.fc1 = nn.Linear(latent_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, hidden_dim)
        self.fc3 = nn.Linear(hidden_dim, hidden_dim)
        self.out = nn.Linear(hidden_dim, data_dim)
        for layer in (self.fc1, self.fc2, self.fc3, self.out):
            nn.init.xavier_normal_(layer.weight)  # another initialisation: must not matter
            nn.init.zeros_(layer.bias)

    def forward(self, z):
        h = F.relu(self.fc1(z))
        h = F.relu(self.fc2(h))
        h = F.relu(self.fc3(h))
        return self.out(h)


class Discriminator(nn.Module):
    def __init__(self, hidden_dim=128, data_dim=2):
        super().__init__()
        sizes = [data_dim, hidden_dim, hidden_dim, hidden_dim]
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.logit = nn.Linear(hidden_dim, 1)

    def forward(self, x):
        for layer in self.hidden:
            x = torch.relu(layer(x))
        return self.logit(x)


def gradient_penalty(critic, x_real, x_fake, eps=None, lambda_gp=10.0):
    batch_size = x_real.size(0)
    alpha = torch.rand(batch_size, 1, dtype=x_real.dtype) if eps is None else eps
    alpha = alpha.expand_as(x_real)
    interpolated = (alpha * x_real.detach() + (1 - alpha) * x_fake.detach()).requires_grad_(True)
    prob_interpolated = critic(interpolated)
    gradients = torch.autograd.grad(outputs=prob_interpolated, inputs=interpolated,
                                    grad_outputs=torch.ones_like(prob_interpolated), create_graph=True,
                                    retain_graph=True)[0]
    gradients = gradients.view(batch_size, -1)
    gradients_norm = torch.sqrt(torch.sum(gradients**2, dim=1) + 1e-12)
    return lambda_gp * ((gradients_norm - 1) ** 2).mean()


def wgan_losses(real_scores, fake_scores):
    return torch.mean(fake_scores) - torch.mean(real_scores), -torch.mean(fake_scores)


def hinge_losses(real_scores, fake_scores):
    d_loss = torch.mean(torch.clamp(1.0 - real_scores, min=0.0)) + torch.mean(torch.clamp(1.0 + fake_scores, min=0.0))
    return d_loss, -torch.mean(fake_scores)
