"""Networks written layer by layer with the pytorch/examples naming habits (class-name matching in the
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


class Generator(nn.Module):
    def __init__(self, latent_dim=100, base_channels=64, image_size=64, channels=3):
        super().__init__()
        b = base_channels
        if image_size == 64:
            body = [nn.ConvTranspose2d(latent_dim, 8 * b, 4, 1, 0, bias=False), nn.BatchNorm2d(8 * b), nn.ReLU(True)]
            body += _up(8 * b, 4 * b) + _up(4 * b, 2 * b) + _up(2 * b, b)
        elif image_size == 32:
            body = [nn.ConvTranspose2d(latent_dim, 4 * b, 4, 1, 0, bias=False), nn.BatchNorm2d(4 * b), nn.ReLU(True)]
            body += _up(4 * b, 2 * b) + _up(2 * b, b)
        else:
            raise ValueError("image_size must be 32 or 64")
        self.main = nn.Sequential(*body, nn.ConvTranspose2d(b, channels, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z[:, :, None, None])


class Discriminator(nn.Module):
    def __init__(self, base_channels=64, image_size=64, channels=3):
        super().__init__()
        b = base_channels
        body = [nn.Conv2d(channels, b, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)]
        body += _down(b, 2 * b) + _down(2 * b, 4 * b)
        top = 4 * b
        if image_size == 64:
            body += _down(4 * b, 8 * b)
            top = 8 * b
        self.main = nn.Sequential(*body, nn.Conv2d(top, 1, 4, 1, 0, bias=False))

    def forward(self, x):
        return self.main(x).view(-1, 1)


def init_weights(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


def sample(generator, z):
    mode = generator.training
    generator.eval()
    with torch.inference_mode():
        images = generator(z)
    generator.train(mode)
    return images.clone()
