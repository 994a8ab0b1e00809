"""Other algorithms for the same results: the transposed convolution as zero-insertion plus an ordinary
convolution with the flipped kernel, a discriminator step on one concatenated batch (its loss is the
average of the two terms, an equally valid scaling), slerp from unit vectors, arithmetic with stack."""
EXERCISES = ["conv_transpose2d_naive", "train_step", "slerp", "latent_arithmetic"]

import math

import torch
import torch.nn.functional as F


def conv_transpose2d_naive(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    batch, c_in, height, width = x.shape
    k_h, k_w = weight.shape[2], weight.shape[3]
    # insert stride - 1 zeros between input pixels
    spread = x.new_zeros(batch, c_in, (height - 1) * stride + 1, (width - 1) * stride + 1)
    spread[:, :, ::stride, ::stride] = x
    # pad by k - 1 (the full correlation), plus output_padding at the bottom/right
    spread = F.pad(spread, (k_w - 1, k_w - 1 + output_padding, k_h - 1, k_h - 1 + output_padding))
    kernel = weight.flip(2, 3).transpose(0, 1)  # (C_out, C_in, k_h, k_w)
    out = F.conv2d(spread, kernel, bias)
    h_out, w_out = out.shape[2] - 2 * padding, out.shape[3] - 2 * padding
    return out[:, :, padding:padding + h_out, padding:padding + w_out]


def train_step(generator, discriminator, opt_g, opt_d, x_real, z):
    x_fake = generator(z)
    batch = x_real.shape[0]
    opt_d.zero_grad()
    logits = discriminator(torch.cat([x_real, x_fake.detach()]))
    labels = torch.cat([torch.ones(batch), torch.zeros(x_fake.shape[0])]).to(logits.dtype)
    d_loss = F.binary_cross_entropy_with_logits(logits.view(-1), labels)
    d_loss.backward()
    opt_d.step()
    opt_g.zero_grad()
    g_loss = F.softplus(-discriminator(x_fake)).mean()
    g_loss.backward()
    opt_g.step()
    return d_loss.item(), g_loss.item()


def slerp(z0, z1, t):
    ts = torch.as_tensor(t, dtype=z0.dtype).reshape(-1)
    u0, u1 = z0 / z0.norm(), z1 / z1.norm()
    omega = math.acos(max(-1.0, min(1.0, float(u0 @ u1))))
    rows = []
    for s in ts.tolist():
        if omega < 1e-7:
            rows.append(z0 + s * (z1 - z0))
        else:
            rows.append((math.sin((1 - s) * omega) * z0 + math.sin(s * omega) * z1) / math.sin(omega))
    out = torch.stack(rows)
    return out if torch.as_tensor(t).dim() > 0 else out[0]


def latent_arithmetic(z_a, z_b, z_c):
    means = torch.stack([z.mean(0) for z in (z_a, z_b, z_c)])
    return torch.tensor([1.0, -1.0, 1.0], dtype=means.dtype) @ means
