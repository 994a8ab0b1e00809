"""Networks and loops written differently, peer-style: MLPs with named layers and Xavier initialisation in the
constructor (initialisation must never decide a pass), convolutional networks built from explicit blocks with the
label planes made by scatter (as znxlwm/pytorch-MNIST-CelebA-cGAN-cDCGAN's `fill` tensor), an ACGAN discriminator
with its heads applied in the other order, the CGAN step of pytorch/examples' dcgan/main.py adapted (netD.zero_grad(),
separate backward passes for the real and the fake half, then the G step), a grid drawn class by class and joined,
and an interpolation with torch.lerp."""
EXERCISES = ["ConditionalMLPGenerator", "ConditionalMLPDiscriminator", "ConditionalGenerator",
             "ConditionalDiscriminator", "ACGANDiscriminator", "cgan_train_step", "sample_class_grid",
             "interpolate_in_class"]

import torch
import torch.nn as nn
import torch.nn.functional as F


class ConditionalMLPGenerator(nn.Module):
    def __init__(self, latent_dim, num_classes, hidden_dim=256, image_size=16):
        super().__init__()
        self.n_classes, self.img = num_classes, image_size
        self.fc1 = nn.Linear(latent_dim + num_classes, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, hidden_dim)
        self.fc3 = nn.Linear(hidden_dim, image_size * image_size)
        for layer in (self.fc1, self.fc2, self.fc3):
            nn.init.xavier_uniform_(layer.weight)

    def forward(self, z, y):
        gen_input = torch.cat((z, F.one_hot(y, self.n_classes).type_as(z)), -1)
        h = F.leaky_relu(self.fc1(gen_input), 0.2)
        h = F.leaky_relu(self.fc2(h), 0.2)
        return torch.tanh(self.fc3(h)).view(z.size(0), 1, self.img, self.img)


class ConditionalMLPDiscriminator(nn.Module):
    def __init__(self, num_classes, hidden_dim=256, image_size=16):
        super().__init__()
        self.n_classes = num_classes
        self.fc1 = nn.Linear(image_size * image_size + num_classes, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, hidden_dim)
        self.out = nn.Linear(hidden_dim, 1)
        for layer in (self.fc1, self.fc2, self.out):
            nn.init.xavier_normal_(layer.weight)

    def forward(self, x, y):
        d_in = torch.cat((x.view(x.size(0), -1), F.one_hot(y, self.n_classes).type_as(x)), -1)
        h = F.leaky_relu(self.fc2(F.leaky_relu(self.fc1(d_in), 0.2)), 0.2)
        return self.out(h)[:, 0]


def _check_size(image_size):
    if image_size not in (8, 16, 32, 64):
        raise ValueError(f"unsupported image_size {image_size}")


class ConditionalGenerator(nn.Module):
    def __init__(self, latent_dim, num_classes, base_channels=32, image_size=32, image_channels=1):
        super().__init__()
        _check_size(image_size)
        self.k = num_classes
        ngf = base_channels * image_size // 8
        self.head = nn.Sequential(nn.ConvTranspose2d(latent_dim + num_classes, ngf, 4, 1, 0, bias=False),
                                  nn.BatchNorm2d(ngf), nn.ReLU(True))
        blocks, size = [], 4
        while size * 2 < image_size:
            blocks.append(nn.Sequential(nn.ConvTranspose2d(ngf, ngf // 2, 4, 2, 1, bias=False),
                                        nn.BatchNorm2d(ngf // 2), nn.ReLU(True)))
            ngf, size = ngf // 2, size * 2
        self.blocks = nn.ModuleList(blocks)
        self.to_image = nn.ConvTranspose2d(ngf, image_channels, 4, 2, 1, bias=True)

    def forward(self, z, y):
        onehot = torch.zeros(len(y), self.k, dtype=z.dtype, device=z.device).scatter_(1, y.view(-1, 1), 1)
        h = self.head(torch.cat([z, onehot], 1).view(len(z), -1, 1, 1))
        for block in self.blocks:
            h = block(h)
        return torch.tanh(self.to_image(h))


class _Trunk(nn.Module):
    def __init__(self, in_channels, ndf, image_size):
        super().__init__()
        self.first = nn.Conv2d(in_channels, ndf, 4, 2, 1)
        blocks, size = [], image_size // 2
        while size > 4:
            blocks.append(nn.Sequential(nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2),
                                        nn.LeakyReLU(0.2, inplace=True)))
            ndf, size = ndf * 2, size // 2
        self.blocks, self.out_channels = nn.Sequential(*blocks), ndf

    def forward(self, x):
        return self.blocks(F.leaky_relu(self.first(x), 0.2))


class ConditionalDiscriminator(nn.Module):
    def __init__(self, num_classes, base_channels=32, image_size=32, image_channels=1):
        super().__init__()
        _check_size(image_size)
        self.k = num_classes
        self.trunk = _Trunk(image_channels + num_classes, base_channels, image_size)
        self.final = nn.Conv2d(self.trunk.out_channels, 1, 4, 1, 0)

    def forward(self, x, y):
        fill = torch.zeros(len(y), self.k, x.shape[2], x.shape[3], dtype=x.dtype, device=x.device)
        fill[torch.arange(len(y)), y] = 1
        return self.final(self.trunk(torch.cat([x, fill], 1))).flatten()


class ACGANDiscriminator(nn.Module):
    def __init__(self, num_classes, base_channels=32, image_size=32, image_channels=1):
        super().__init__()
        _check_size(image_size)
        self.trunk = _Trunk(image_channels, base_channels, image_size)
        self.source = nn.Conv2d(self.trunk.out_channels, 1, 4, 1, 0)
        self.classes = nn.Conv2d(self.trunk.out_channels, num_classes, 4, 1, 0)

    def forward(self, x):
        features = self.trunk(x)
        class_logits = self.classes(features).view(len(x), -1)
        return self.source(features).view(-1), class_logits


def cgan_train_step(generator, discriminator, opt_g, opt_d, x_real, y_real, z, y_fake):
    criterion = nn.BCEWithLogitsLoss()
    # (1) Update D network: maximize log(D(x, y)) + log(1 - D(G(z, y'), y'))
    discriminator.zero_grad()
    output = discriminator(x_real, y_real)
    errD_real = criterion(output, torch.full_like(output, 1.0))
    errD_real.backward()
    fake = generator(z, y_fake)
    output = discriminator(fake.detach(), y_fake)
    errD_fake = criterion(output, torch.full_like(output, 0.0))
    errD_fake.backward()
    errD = errD_real + errD_fake
    opt_d.step()
    # (2) Update G network: maximize log(D(G(z, y'), y'))
    generator.zero_grad()
    output = discriminator(fake, y_fake)
    errG = criterion(output, torch.full_like(output, 1.0))
    errG.backward()
    opt_g.step()
    return float(errD), float(errG)


def sample_class_grid(generator, z, num_classes):
    mode = generator.training
    generator.train(False)
    rows = []
    try:
        with torch.no_grad():
            for k in range(num_classes):
                rows.append(generator(z, torch.full((z.shape[0],), k, dtype=torch.long, device=z.device)))
    finally:
        generator.train(mode)
    return torch.cat(rows)


def interpolate_in_class(generator, z0, z1, y, steps):
    if steps < 2:
        raise ValueError("need at least two steps")
    weights = torch.linspace(0.0, 1.0, steps, dtype=z0.dtype, device=z0.device).unsqueeze(1)
    latents = torch.lerp(z0.expand(steps, -1), z1.expand(steps, -1), weights)
    mode = generator.training
    generator.eval()
    try:
        with torch.no_grad():
            images = generator(latents, torch.tensor([y] * steps, device=z0.device))
    finally:
        generator.train(mode)
    return images
