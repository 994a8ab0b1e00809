"""'slerp' that is linear interpolation: the midpoint of two Gaussian latents falls inside the shell where
the generator has never seen a latent."""
EXERCISE = "slerp"
EXPECT = "linear interpolation"

import torch


def slerp(z0, z1, t):
    t_tensor = torch.as_tensor(t, dtype=z0.dtype)
    out = (1 - t_tensor.reshape(-1, 1)) * z0 + t_tensor.reshape(-1, 1) * z1
    return out if t_tensor.dim() > 0 else out[0]
