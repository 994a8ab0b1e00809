"""The networks written in the manner of public reimplementations, adapted to the lab's signatures (facts only):
VGAN's streams as named layers with F.relu in forward and the background broadcast as (B, C, 1, H, W), the mask
penalty through F.l1_loss against zeros (yhjo09/videogan-pytorch's Generator and loss); the video discriminator as
explicit Conv3d attributes with F.leaky_relu; the motion network as an nn.GRU run over the whole sequence
(DLHacks/mocogan's GRU module) instead of a GRUCell loop; the MoCoGAN latents with repeat and the frames put in
place with view + transpose(1, 2) (DLHacks/mocogan's train.py)."""
EXERCISES = ["vgan_composite", "VGANGenerator", "VideoDiscriminator", "MotionRNN", "MoCoGANGenerator"]

import torch
import torch.nn.functional as F
from torch import nn

from ganlab.video import FrameGenerator


def vgan_composite(foreground, background, mask_logits, penalty_weight=0.1):
    if penalty_weight < 0:
        raise ValueError("negative penalty weight")
    if foreground.ndim != 5 or background.ndim != 4 or mask_logits.ndim != 5 or mask_logits.size(1) != 1:
        raise ValueError("bad input dimensions")
    n, c, t, h, w = foreground.size()
    if background.size() != (n, c, h, w) or mask_logits.size() != (n, 1, t, h, w):
        raise ValueError("shapes do not match")
    m = torch.sigmoid(mask_logits)
    b = background[:, :, None]                      # (B, C, 1, H, W)
    out = m * foreground + (1 - m) * b
    return out, m, penalty_weight * F.l1_loss(m, torch.zeros_like(m))


class VGANGenerator(nn.Module):
    def __init__(self, latent_dim=100, channels=1, ngf=32, size=32):
        super().__init__()
        if size == 32:
            widths = [ngf * 4, ngf * 2, ngf]
        elif size == 64:
            widths = [ngf * 8, ngf * 4, ngf * 2, ngf]
        else:
            raise ValueError("size must be 32 or 64")
        self.zdim = latent_dim
        self.b_convs = nn.ModuleList([nn.ConvTranspose2d(latent_dim, widths[0], 4, 1, 0, bias=False)])
        self.b_norms = nn.ModuleList([nn.BatchNorm2d(widths[0])])
        self.f_convs = nn.ModuleList([nn.ConvTranspose3d(latent_dim, widths[0], (2, 4, 4), 1, 0, bias=False)])
        self.f_norms = nn.ModuleList([nn.BatchNorm3d(widths[0])])
        for a, b in zip(widths, widths[1:]):
            self.b_convs.append(nn.ConvTranspose2d(a, b, 4, 2, 1, bias=False))
            self.b_norms.append(nn.BatchNorm2d(b))
            self.f_convs.append(nn.ConvTranspose3d(a, b, 4, 2, 1, bias=False))
            self.f_norms.append(nn.BatchNorm3d(b))
        self.b_out = nn.ConvTranspose2d(ngf, channels, 4, 2, 1)
        self.f_out = nn.ConvTranspose3d(ngf, channels, 4, 2, 1)
        self.m_out = nn.ConvTranspose3d(ngf, 1, 4, 2, 1)

    def parts(self, z):
        if z.ndim != 2 or z.size(1) != self.zdim:
            raise ValueError("z must be (B, latent_dim)")
        b = z[:, :, None, None]
        for conv, norm in zip(self.b_convs, self.b_norms):
            b = F.relu(norm(conv(b)))
        b = torch.tanh(self.b_out(b))
        f = z[:, :, None, None, None]
        for conv, norm in zip(self.f_convs, self.f_norms):
            f = F.relu(norm(conv(f)))
        logits = self.m_out(f)
        f = torch.tanh(self.f_out(f))
        video, mask, penalty = vgan_composite(f, b, logits)
        return video, f, b, mask, penalty

    def forward(self, z):
        video, *_ = self.parts(z)
        return video


class VideoDiscriminator(nn.Module):
    def __init__(self, channels=1, ndf=32, n_layers=3):
        super().__init__()
        if n_layers < 1:
            raise ValueError("n_layers must be at least 1")
        self.nc, self.depth = channels, n_layers
        self.conv1 = nn.Conv3d(channels, ndf, kernel_size=4, stride=(1, 2, 2), padding=(0, 1, 1))
        self.convs = nn.ModuleList()
        self.bns = nn.ModuleList()
        for i in range(1, n_layers):
            self.convs.append(nn.Conv3d(ndf * 2 ** (i - 1), ndf * 2 ** i, 4, (1, 2, 2), (0, 1, 1), bias=False))
            self.bns.append(nn.BatchNorm3d(ndf * 2 ** i))
        self.last = nn.Conv3d(ndf * 2 ** (n_layers - 1), 1, 4)

    def forward(self, x):
        if x.ndim != 5 or x.size(1) != self.nc:
            raise ValueError("expected (B, C, T, H, W)")
        if x.size(2) < 3 * self.depth + 4:
            raise ValueError(f"need at least {3 * self.depth + 4} frames")
        x = F.leaky_relu(self.conv1(x), 0.2)
        for conv, bn in zip(self.convs, self.bns):
            x = F.leaky_relu(bn(conv(x)), 0.2)
        return self.last(x).select(1, 0)


class MotionRNN(nn.Module):
    def __init__(self, noise_dim=10, motion_dim=10):
        super().__init__()
        self.gru = nn.GRU(noise_dim, motion_dim, batch_first=True)

    def forward(self, eps, h0):
        if eps.ndim != 3 or eps.size(2) != self.gru.input_size:
            raise ValueError("eps must be (B, T, noise_dim)")
        if h0.ndim != 2 or h0.size(0) != eps.size(0) or h0.size(1) != self.gru.hidden_size:
            raise ValueError("h0 must be (B, motion_dim)")
        out, _ = self.gru(eps, h0.unsqueeze(0).contiguous())
        return out


class MoCoGANGenerator(nn.Module):
    def __init__(self, content_dim=50, motion_dim=10, noise_dim=10, num_categories=0, channels=1, ngf=32, size=32):
        super().__init__()
        self.d_c, self.d_m, self.d_e, self.k = content_dim, motion_dim, noise_dim, num_categories
        self.motion = MotionRNN(noise_dim, motion_dim)
        self.frames = FrameGenerator(content_dim + num_categories + motion_dim, channels, ngf, size)

    def sample_latents(self, batch, num_frames, categories=None, generator=None):
        z_c = torch.randn(batch, self.d_c, generator=generator).unsqueeze(1).repeat(1, num_frames, 1)
        pieces = [z_c]
        if self.k:
            if categories is None:
                categories = torch.randint(0, self.k, (batch,), generator=generator)
            z_a = torch.zeros(batch, self.k)
            z_a[torch.arange(batch), categories] = 1.0
            pieces.append(z_a.unsqueeze(1).repeat(1, num_frames, 1))
        eps = torch.randn(batch, num_frames, self.d_e, generator=generator)
        h0 = torch.randn(batch, self.d_m, generator=generator)
        pieces.append(self.motion(eps, h0))
        return torch.cat(pieces, -1)

    def forward(self, z):
        n, t, d = z.size()
        imgs = self.frames(z.contiguous().view(n * t, d))
        return imgs.view(n, t, *imgs.shape[1:]).transpose(1, 2)

    def sample(self, batch, num_frames, categories=None, generator=None):
        z = self.sample_latents(batch, num_frames, categories=categories, generator=generator)
        return self.forward(z), z
