"""pytorch/examples dcgan/main.py adapted to our signatures, in our own words: its netG / netD layer stacks
(nz, ngf, ndf, nc, a `main` Sequential, bias-free convolutions) generalised from the fixed 64 x 64 stack to any
power-of-two size, netD's final Sigmoid dropped because our discriminator returns logits (its
`output.view(-1, 1).squeeze(1)` kept), its `weights_init` (classname.find('Conv') / ('BatchNorm')) plus the
conv-bias zeroing our docstring asks for, and its training iteration: netD.zero_grad(), two separate backward
passes for the real and the fake half accumulated into one D step, then netG.zero_grad() and the G step on the
same fakes (with the logits form of its BCELoss)."""
EXERCISES = ["Generator", "Discriminator", "init_weights", "train_step"]

import torch
import torch.nn as nn
import torch.nn.functional as F


def _levels(image_size):
    levels, size = 0, 4
    while size * 2 < image_size:
        size, levels = size * 2, levels + 1
    if size * 2 != image_size or image_size < 16:
        raise ValueError(f"image_size {image_size} is not a power of two >= 16")
    return levels


class Generator(nn.Module):
    def __init__(self, latent_dim=100, base_channels=64, image_size=64, channels=3):
        super().__init__()
        nz, ngf, nc = latent_dim, base_channels, channels
        mult = 2 ** _levels(image_size)
        seq = [nn.ConvTranspose2d(nz, ngf * mult, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * mult), nn.ReLU(True)]
        while mult > 1:  # state size (ngf * mult) x s x s -> (ngf * mult / 2) x 2s x 2s
            seq += [nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, 4, 2, 1, bias=False),
                    nn.BatchNorm2d(ngf * mult // 2), nn.ReLU(True)]
            mult //= 2
        seq += [nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh()]
        self.main = nn.Sequential(*seq)

    def forward(self, input):
        return self.main(input.view(input.size(0), input.size(1), 1, 1))


class Discriminator(nn.Module):
    def __init__(self, base_channels=64, image_size=64, channels=3):
        super().__init__()
        ndf, nc, levels = base_channels, channels, _levels(image_size)
        seq = [nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)]
        mult = 1
        for _ in range(levels):
            seq += [nn.Conv2d(ndf * mult, ndf * mult * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * mult * 2),
                    nn.LeakyReLU(0.2, inplace=True)]
            mult *= 2
        seq += [nn.Conv2d(ndf * mult, 1, 4, 1, 0, bias=False)]
        self.main = nn.Sequential(*seq)

    def forward(self, input):
        output = self.main(input)
        return output.view(-1, 1).squeeze(1)


def init_weights(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        torch.nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            torch.nn.init.zeros_(m.bias)
    elif classname.find("BatchNorm") != -1:
        torch.nn.init.normal_(m.weight, 1.0, 0.02)
        torch.nn.init.zeros_(m.bias)


def train_step(generator, discriminator, opt_g, opt_d, x_real, z):
    real_label, fake_label = 1.0, 0.0
    # (1) update D: maximize log(D(x)) + log(1 - D(G(z)))
    discriminator.zero_grad()
    output = discriminator(x_real)
    label = torch.full_like(output, real_label)
    err_d_real = F.binary_cross_entropy_with_logits(output, label)
    err_d_real.backward()
    fake = generator(z)
    label.fill_(fake_label)
    output = discriminator(fake.detach())
    err_d_fake = F.binary_cross_entropy_with_logits(output, label)
    err_d_fake.backward()
    err_d = err_d_real + err_d_fake
    opt_d.step()
    # (2) update G: maximize log(D(G(z)))
    generator.zero_grad()
    label.fill_(real_label)
    output = discriminator(fake)
    err_g = F.binary_cross_entropy_with_logits(output, label)
    err_g.backward()
    opt_g.step()
    return err_d.item(), err_g.item()
