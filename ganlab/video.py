"""Given networks of Lab 8 (video GANs): the trusted one-frame generator and discriminator of MoCoGAN.

Tulyakov et al. 2018 (MoCoGAN, CVPR, arXiv 1707.04993) sec. 3 build a video from an image generator G_I applied
to each frame's latent code, and judge single frames with an image discriminator D_I. Both are plain DCGAN
networks (Radford et al. 2016), given here so that the lab's exercises (the motion RNN, the MoCoGAN generator
around G_I, the samplers and the training step) can be graded on their own.

Only these two networks live here for now; the training loops, the VGAN step and the video metrics are added with
the lab's notebook.
"""

from __future__ import annotations

import math

from torch import nn

__all__ = ["FrameGenerator", "FrameDiscriminator"]


def _levels(size: int) -> int:
    """log2(size) for the supported sizes 32 and 64, else ValueError."""
    if size != 32 and size != 64:
        raise ValueError(f"size must be 32 or 64, got {size!r}")
    return int(math.log2(size))


class FrameGenerator(nn.Module):
    """DCGAN generator of ONE frame: G_I of MoCoGAN (sec. 3), z (N, latent_dim) -> image (N, channels, size, size).

    Layers, in forward order (n_up = log2(size) - 3: 2 at 32, 3 at 64):
        z viewed (N, latent_dim, 1, 1)
        ConvTranspose2d(latent_dim, ngf * 2**n_up, 4, stride 1, padding 0, bias=False) -> BatchNorm2d -> ReLU
                                                                     # (N, ngf * 2**n_up, 4, 4)
        n_up times: ConvTranspose2d(c, c // 2, 4, stride 2, padding 1, bias=False) -> BatchNorm2d -> ReLU
                                                                     # doubles H and W: ... (N, ngf, size / 2, size / 2)
        ConvTranspose2d(ngf, channels, 4, stride 2, padding 1, bias=True) -> Tanh   # (N, channels, size, size)
    No bias before a batch norm (the norm removes it). Outputs in (-1, 1), like the videos.
    """

    def __init__(self, latent_dim: int, channels: int = 1, ngf: int = 32, size: int = 32):
        super().__init__()
        n_up = _levels(size) - 3
        self.latent_dim = int(latent_dim)
        widths = [ngf * 2 ** (n_up - i) for i in range(n_up + 1)]      # ngf * 2**n_up, ..., ngf
        layers = [nn.ConvTranspose2d(latent_dim, widths[0], 4, 1, 0, bias=False), nn.BatchNorm2d(widths[0]),
                  nn.ReLU()]                                             # (N, ngf * 2**n_up, 4, 4)
        for c_in, c_out in zip(widths, widths[1:]):                      # each doubles H and W
            layers.extend([nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()])
        layers.extend([nn.ConvTranspose2d(ngf, channels, 4, 2, 1), nn.Tanh()])   # (N, channels, size, size)
        self.main = nn.Sequential(*layers)

    def forward(self, z):
        """z (N, latent_dim) -> frames (N, channels, size, size) in (-1, 1)."""
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"FrameGenerator expects z of shape (N, {self.latent_dim}), got {tuple(z.shape)}")
        return self.main(z.view(z.shape[0], self.latent_dim, 1, 1))


class FrameDiscriminator(nn.Module):
    """DCGAN discriminator of ONE frame: D_I of MoCoGAN (sec. 3), image (N, channels, size, size) -> logits (N,).

    Layers, in forward order (n_down = log2(size) - 2: 3 at 32, 4 at 64):
        Conv2d(channels, ndf, 4, stride 2, padding 1, bias=True) -> LeakyReLU(0.2)        # (N, ndf, size / 2, ...)
        n_down - 1 times: Conv2d(c, 2c, 4, stride 2, padding 1, bias=False) -> BatchNorm2d -> LeakyReLU(0.2)
                                                         # halves H and W: ... (N, ndf * 2**(n_down - 1), 4, 4)
        Conv2d(ndf * 2**(n_down - 1), 1, 4, stride 1, padding 0, bias=True)              # (N, 1, 1, 1)
    Returns raw logits (no sigmoid: the losses use BCE-with-logits), one per image.
    """

    def __init__(self, channels: int = 1, ndf: int = 32, size: int = 32):
        super().__init__()
        n_down = _levels(size) - 2
        self.channels, self.size = int(channels), int(size)
        widths = [ndf * 2 ** i for i in range(n_down)]                  # ndf, ..., ndf * 2**(n_down - 1)
        layers = [nn.Conv2d(channels, ndf, 4, 2, 1), nn.LeakyReLU(0.2)]  # (N, ndf, size / 2, size / 2)
        for c_in, c_out in zip(widths, widths[1:]):                      # each halves H and W
            layers.extend([nn.Conv2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.LeakyReLU(0.2)])
        layers.append(nn.Conv2d(widths[-1], 1, 4, 1, 0))                 # (N, 1, 1, 1)
        self.main = nn.Sequential(*layers)

    def forward(self, x):
        """x (N, channels, size, size) -> logits (N,)."""
        if x.dim() != 4 or x.shape[1] != self.channels or tuple(x.shape[2:]) != (self.size, self.size):
            raise ValueError(f"FrameDiscriminator expects images (N, {self.channels}, {self.size}, {self.size}), "
                             f"got {tuple(x.shape)}")
        return self.main(x).view(x.shape[0])
