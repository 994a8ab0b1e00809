"""slerp in the style of Tom White's plat (the version copied into many latent-walk tools, e.g.
Solcany/latent_garden back_end/tcp_server/slerp.py): one t at a time, the angle between the normalised
vectors with the cosine clipped to [-1, 1], and linear interpolation only when sin(omega) is exactly 0;
written in torch for our (z0, z1, t) signature and a tensor of t's. Latent arithmetic as a signed weighted
sum of the stacked group means."""
EXERCISES = ["slerp", "latent_arithmetic"]

import torch


def _slerp_one(val, low, high):
    omega = torch.arccos(torch.clip(torch.dot(low / low.norm(), high / high.norm()), -1, 1))
    so = torch.sin(omega)
    if so == 0:
        return (1.0 - val) * low + val * high  # L'Hopital's rule: the limit is linear interpolation
    return torch.sin((1.0 - val) * omega) / so * low + torch.sin(val * omega) / so * high


def slerp(z0, z1, t):
    if isinstance(t, torch.Tensor) and t.dim() > 0:
        return torch.stack([_slerp_one(float(v), z0, z1) for v in t])
    return _slerp_one(float(t), z0, z1)


def latent_arithmetic(z_a, z_b, z_c):
    weights = torch.tensor([1.0, -1.0, 1.0], dtype=z_a.dtype)
    means = torch.stack([z_a.mean(0), z_b.mean(0), z_c.mean(0)])
    return (weights[:, None] * means).sum(0)
