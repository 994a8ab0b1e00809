"""Generator whose last transposed convolution is followed by a Sigmoid (range (0, 1)) instead of Tanh."""
EXERCISE = "Generator"
EXPECT = "Sigmoid"

import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, latent_dim=100, base_channels=64, image_size=64, channels=3):
        super().__init__()
        width = base_channels * image_size // 8
        layers = [nn.ConvTranspose2d(latent_dim, width, 4, 1, 0, bias=False), nn.BatchNorm2d(width), nn.ReLU(True)]
        while width > base_channels:
            layers += [nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width // 2),
                       nn.ReLU(True)]
            width //= 2
        layers += [nn.ConvTranspose2d(base_channels, channels, 4, 2, 1, bias=False), nn.Sigmoid()]
        self.net = nn.Sequential(*layers)

    def forward(self, z):
        return self.net(z.view(z.shape[0], -1, 1, 1))
