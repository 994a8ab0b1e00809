"""Networks and the calculator written differently, peer-style: blocks with named layers and functional activations
(F.leaky_relu, F.relu, F.dropout with self.training); a U-Net built as nested levels in the manner of
junyanz/pytorch-CycleGAN-and-pix2pix's UnetSkipConnectionBlock (each level holds its down block, the level below and
its up block), adapted to the contract's post-activation blocks and [upsampled, skip] order; a PatchGAN built with
junyanz's nf_mult loop; and the receptive field computed backwards from one output unit."""
EXERCISES = ["conv_stack_geometry", "UNetDown", "UNetUp", "UNetGenerator", "PatchDiscriminator"]

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_stack_geometry(layers, input_size):
    layers = [tuple(int(v) for v in layer) for layer in layers]
    if input_size < 1:
        raise ValueError("input_size < 1")
    n = input_size
    for idx, (k, s, p) in enumerate(layers):
        if min(k, s) < 1 or p < 0:
            raise ValueError(f"bad layer {idx}: kernel {k}, stride {s}, padding {p}")
        n = (n + 2 * p - k) // s + 1
        if n < 1:
            raise ValueError(f"the output of layer {idx} is empty")
    rf = 1
    for k, s, _ in layers[::-1]:
        rf = s * (rf - 1) + k
    return n, rf


class UNetDown(nn.Module):
    def __init__(self, in_channels, out_channels, normalize=True):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=4, stride=2, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(out_channels) if normalize else nn.Identity()

    def forward(self, x):
        return F.leaky_relu(self.bn(self.conv(x)), negative_slope=0.2)


class UNetUp(nn.Module):
    def __init__(self, in_channels, out_channels, dropout=0.0):
        super().__init__()
        self.deconv = nn.ConvTranspose2d(in_channels, out_channels, kernel_size=4, stride=2, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(out_channels)
        self.p = dropout

    def forward(self, x, skip):
        b, _, h, w = x.shape
        if skip.size(0) != b or skip.size(2) != 2 * h or skip.size(3) != 2 * w:
            raise ValueError("skip does not match")
        out = F.relu(self.bn(self.deconv(x)))
        if self.p > 0:
            out = F.dropout(out, self.p, self.training)
        return torch.cat((out, skip), 1)


class _Level(nn.Module):
    """One U-Net level: down, then the levels below (if any), then the up block that comes back to this level."""

    def __init__(self, down, inner=None, up=None):
        super().__init__()
        self.down, self.inner, self.up = down, inner, up

    def forward(self, x):
        d = self.down(x)
        if self.inner is None:
            return d
        return self.up(self.inner(d), d)


class UNetGenerator(nn.Module):
    def __init__(self, in_channels=3, out_channels=3, num_downs=8, ngf=64, num_dropout=3, dropout=0.5):
        super().__init__()
        if num_downs < 2:
            raise ValueError("num_downs must be at least 2")
        self.cin, self.depth = in_channels, num_downs
        width = [ngf * min(2 ** i, 8) for i in range(num_downs)]
        level = _Level(UNetDown(width[-2], width[-1], normalize=False))        # the bottleneck
        for i in range(num_downs - 2, -1, -1):
            k = num_downs - 2 - i                                              # up blocks counted from the inside
            below = width[i + 1] if k == 0 else 2 * width[i + 1]
            up = UNetUp(below, width[i], dropout if k < num_dropout else 0.0)
            down = UNetDown(in_channels if i == 0 else width[i - 1], width[i], normalize=i > 0)
            level = _Level(down, level, up)
        self.levels = level
        self.head = nn.ConvTranspose2d(2 * ngf, out_channels, 4, 2, 1)

    def forward(self, x):
        m = 1 << self.depth
        if x.size(1) != self.cin or x.size(2) % m != 0 or x.size(3) % m != 0:
            raise ValueError(f"need {self.cin} channels and sides that are multiples of {m}")
        return torch.tanh(self.head(self.levels(x)))


class PatchDiscriminator(nn.Module):
    def __init__(self, in_channels=6, ndf=64, n_layers=3):
        super().__init__()
        if n_layers < 1:
            raise ValueError("n_layers must be >= 1")
        seq = [nn.Conv2d(in_channels, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True)]
        nf_mult = 1
        for n in range(1, n_layers):
            nf_mult_prev, nf_mult = nf_mult, min(2 ** n, 8)
            seq += [nn.Conv2d(ndf * nf_mult_prev, ndf * nf_mult, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * nf_mult),
                    nn.LeakyReLU(0.2, True)]
        nf_mult_prev, nf_mult = nf_mult, min(2 ** n_layers, 8)
        seq += [nn.Conv2d(ndf * nf_mult_prev, ndf * nf_mult, 4, 1, 1, bias=False), nn.BatchNorm2d(ndf * nf_mult),
                nn.LeakyReLU(0.2, True)]
        seq += [nn.Conv2d(ndf * nf_mult, 1, 4, 1, 1)]
        self.model = nn.Sequential(*seq)

    def forward(self, input):
        return self.model(input)
