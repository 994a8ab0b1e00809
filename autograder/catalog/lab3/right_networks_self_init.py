"""Networks that initialise themselves in their constructor (self.apply(...) with Xavier-normal convolutions and
batch-norm gammas of 1, as many public DCGAN ports do instead of a separate init call), a generator that
reshapes z with nn.Unflatten inside its Sequential, and a discriminator that ends with nn.Flatten(0): the
architecture is the text's, only the initialisation and the reshaping differ, so they must score full marks
(the checks copy parameters into the reference or set them, never judge the initial values)."""
EXERCISES = ["Generator", "Discriminator"]

import torch.nn as nn


def _xavier(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.xavier_normal_(m.weight)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)


def _check(image_size):
    if image_size < 16 or bin(image_size).count("1") != 1:
        raise ValueError(f"image_size must be a power of two >= 16, got {image_size}")


class Generator(nn.Module):
    def __init__(self, latent_dim=100, base_channels=64, image_size=64, channels=3):
        super().__init__()
        _check(image_size)
        chans = [base_channels]
        while chans[-1] * 8 < base_channels * image_size:  # widths from the last hidden layer back to 4 x 4
            chans.append(chans[-1] * 2)
        chans = chans[::-1]
        layers = [nn.Unflatten(1, (latent_dim, 1, 1)), nn.ConvTranspose2d(latent_dim, chans[0], 4, 1, 0, bias=False)]
        for c_in, c_out in zip(chans, chans[1:]):
            layers += [nn.BatchNorm2d(c_in), nn.ReLU(), nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False)]
        layers += [nn.BatchNorm2d(chans[-1]), nn.ReLU(), nn.ConvTranspose2d(chans[-1], channels, 4, 2, 1, bias=False),
                   nn.Tanh()]
        self.layers = nn.Sequential(*layers)
        self.apply(_xavier)

    def forward(self, z):
        return self.layers(z)


class Discriminator(nn.Module):
    def __init__(self, base_channels=64, image_size=64, channels=3):
        super().__init__()
        _check(image_size)
        self.stem = nn.Sequential(nn.Conv2d(channels, base_channels, 4, 2, 1, bias=False), nn.LeakyReLU(0.2))
        blocks, width, size = [], base_channels, image_size // 2
        while size > 4:
            blocks += [nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2)]
            width, size = 2 * width, size // 2
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Sequential(nn.Conv2d(width, 1, 4, 1, 0, bias=False), nn.Flatten(0))
        self.apply(_xavier)

    def forward(self, x):
        return self.head(self.blocks(self.stem(x)))
