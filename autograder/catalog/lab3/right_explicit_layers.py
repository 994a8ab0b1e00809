"""Networks written layer by layer with small block helpers (explicit channel multiples, a dispatch table in the
initialiser, (B, 1) logits), a size formula with math.floor, and sampling under torch.inference_mode."""
EXERCISES = ["conv_output_size", "Generator", "Discriminator", "init_weights", "sample"]

import math

import torch
import torch.nn as nn


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1, transposed=False, output_padding=0):
    effective = dilation * (kernel_size - 1)
    if not transposed:
        return int(math.floor((size + 2 * padding - effective - 1) / stride)) + 1
    # the transposed layer is the adjoint: solve the forward formula for the input size
    return stride * (size - 1) + effective + 1 - 2 * padding + output_padding


def _up(c_in, c_out):
    return [nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(True)]


def _down(c_in, c_out):
    return [nn.Conv2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.LeakyReLU(0.2, inplace=True)]


def _blocks(image_size):
    """Number of 4/2/1 blocks between the 4 x 4 map and the first (or last) layer."""
    if image_size < 16 or 2 ** round(math.log2(image_size)) != image_size:
        raise ValueError("image_size must be a power of two >= 16")
    return int(math.log2(image_size)) - 3


class Generator(nn.Module):
    def __init__(self, latent_dim=100, base_channels=64, image_size=64, channels=3):
        super().__init__()
        b, n = base_channels, _blocks(image_size)
        mult = 2 ** n  # channel multiple at 4 x 4: 8 for 64 x 64, 4 for 32 x 32
        body = [nn.ConvTranspose2d(latent_dim, mult * b, 4, 1, 0, bias=False), nn.BatchNorm2d(mult * b), nn.ReLU(True)]
        for k in range(n):
            body += _up(mult * b // 2 ** k, mult * b // 2 ** (k + 1))
        self.main = nn.Sequential(*body, nn.ConvTranspose2d(b, channels, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z[:, :, None, None])


class Discriminator(nn.Module):
    def __init__(self, base_channels=64, image_size=64, channels=3):
        super().__init__()
        b, n = base_channels, _blocks(image_size)
        body = [nn.Conv2d(channels, b, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)]
        for k in range(n):
            body += _down(b * 2 ** k, b * 2 ** (k + 1))
        self.main = nn.Sequential(*body, nn.Conv2d(b * 2 ** n, 1, 4, 1, 0, bias=False))

    def forward(self, x):
        return self.main(x).view(-1, 1)


def _conv(m):
    nn.init.normal_(m.weight, 0.0, 0.02)
    if m.bias is not None:
        nn.init.constant_(m.bias, 0.0)


def _norm(m):
    nn.init.normal_(m.weight, 1.0, 0.02)
    nn.init.constant_(m.bias, 0.0)


_INIT = {nn.Conv2d: _conv, nn.ConvTranspose2d: _conv, nn.BatchNorm2d: _norm}


def init_weights(m):
    action = _INIT.get(type(m))
    if action is not None:
        action(m)


def sample(generator, z):
    mode = generator.training
    generator.eval()
    with torch.inference_mode():
        images = generator(z)
    generator.train(mode)
    return images.clone()
