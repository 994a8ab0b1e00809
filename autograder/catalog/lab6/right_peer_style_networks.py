"""Networks written differently: the residual block with padding_mode="reflect" convolutions and a functional
instance norm (F.instance_norm, no norm modules at all), its layers defined in another order than the forward pass
uses them; the generator as explicit lists of layers with F.pad(..., mode="reflect") for the 7 x 7 convolutions,
functional instance norms and torch.tanh (no Tanh module), in the manner of aitorzip/PyTorch-CycleGAN's Generator
written without nn.Sequential."""
EXERCISES = ["ResidualBlock", "ResnetGenerator"]

import torch
import torch.nn.functional as F_
from torch import nn


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.second = nn.Conv2d(channels, channels, 3, padding=1, padding_mode="reflect")
        self.first = nn.Conv2d(channels, channels, 3, padding=1, padding_mode="reflect")

    def forward(self, x):
        h = F_.relu(F_.instance_norm(self.first(x)))
        return x + F_.instance_norm(self.second(h))


class ResnetGenerator(nn.Module):
    def __init__(self, in_channels=3, out_channels=3, ngf=64, n_blocks=9, n_downsampling=2):
        super().__init__()
        if ngf < 1:
            raise ValueError("ngf must be >= 1")
        if n_blocks < 0 or n_downsampling < 0:
            raise ValueError("n_blocks and n_downsampling must be >= 0")
        self.cin, self.factor = in_channels, 2 ** n_downsampling
        self.head = nn.Conv2d(in_channels, ngf, 7)
        self.down = nn.ModuleList()
        self.up = nn.ModuleList()
        width = ngf
        for _ in range(n_downsampling):
            self.down.append(nn.Conv2d(width, width * 2, 3, stride=2, padding=1))
            width *= 2
        self.res = nn.ModuleList([ResidualBlock(width) for _ in range(n_blocks)])
        for _ in range(n_downsampling):
            self.up.append(nn.ConvTranspose2d(width, width // 2, 3, stride=2, padding=1, output_padding=1))
            width //= 2
        self.tail = nn.Conv2d(ngf, out_channels, 7)

    def forward(self, x):
        if x.dim() != 4 or x.size(1) != self.cin:
            raise ValueError(f"expected {self.cin} channels")
        if x.size(2) % self.factor or x.size(3) % self.factor:
            raise ValueError(f"height and width must be multiples of {self.factor}")
        h = F_.relu(F_.instance_norm(self.head(F_.pad(x, (3, 3, 3, 3), mode="reflect"))))
        for layer in self.down:
            h = F_.relu(F_.instance_norm(layer(h)))
        for block in self.res:
            h = block(h)
        for layer in self.up:
            h = F_.relu(F_.instance_norm(layer(h)))
        return torch.tanh(self.tail(F_.pad(h, (3, 3, 3, 3), mode="reflect")))
