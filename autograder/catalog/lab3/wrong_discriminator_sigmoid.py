"""Discriminator ending in a Sigmoid (as in many public DCGANs written for nn.BCELoss) while the lab's loss
is binary_cross_entropy_with_logits, which then squashes twice."""
EXERCISE = "Discriminator"
EXPECT = "Sigmoid"

import torch.nn as nn


class Discriminator(nn.Module):
    def __init__(self, base_channels=64, image_size=64, channels=3):
        super().__init__()
        layers = [nn.Conv2d(channels, base_channels, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True)]
        width, size = base_channels, image_size // 2
        while size > 4:
            layers += [nn.Conv2d(width, width * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width * 2),
                       nn.LeakyReLU(0.2, True)]
            width, size = width * 2, size // 2
        layers += [nn.Conv2d(width, 1, 4, 1, 0, bias=False), nn.Sigmoid()]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x).view(-1)
