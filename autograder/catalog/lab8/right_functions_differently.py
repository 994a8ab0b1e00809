"""The functions written differently: the shape rule with explicit per-axis lists and an error table; the answer
computed from the layer count; frames picked with torch.gather; clips by Tensor.unfold over time and advanced
indexing; the step with the video discriminator updated first and the G step as two backward passes
(retain_graph), in the manner of DLHacks/mocogan's train.py (bp_v then bp_i), with torch.optim's zero_grad on
each optimizer."""
EXERCISES = ["conv3d_output_shape", "answer_min_frames", "sample_frames", "sample_clips", "mocogan_step"]

import torch
import torch.nn.functional as F

AXES = ["time", "height", "width"]


def conv3d_output_shape(in_shape, kernel_size, stride=1, padding=0, transposed=False, output_padding=0):
    def expand(v, name):
        if isinstance(v, (list, tuple)):
            if len(v) != 3:
                raise ValueError(f"{name}: need 3 entries")
            out = list(v)
        else:
            out = [v, v, v]
        if any(type(e) is not int for e in out):
            raise TypeError(f"{name} entries must be ints")
        return out

    n, k, s = expand(in_shape, "in_shape"), expand(kernel_size, "kernel_size"), expand(stride, "stride")
    p, op = expand(padding, "padding"), expand(output_padding, "output_padding")
    if not transposed and any(op):
        raise ValueError("output_padding needs transposed=True")
    result = []
    for i in range(3):
        if min(n[i], k[i], s[i]) < 1 or p[i] < 0 or op[i] < 0 or (transposed and op[i] >= s[i]):
            raise ValueError(f"invalid setting on the {AXES[i]} axis")
        size = (n[i] - 1) * s[i] - 2 * p[i] + k[i] + op[i] if transposed else (n[i] + 2 * p[i] - k[i]) // s[i] + 1
        if size <= 0:
            raise ValueError(f"{AXES[i]} would be empty")
        result.append(size)
    return tuple(result)


def answer_min_frames():
    n_layers = 4
    return 3 * (n_layers + 1) + 1


def sample_frames(video, generator=None):
    B, C, T, H, W = video.shape
    t = torch.randint(0, T, (B, 1, 1, 1, 1), generator=generator).expand(B, C, 1, H, W)
    return torch.gather(video, 2, t)[:, :, 0]


def sample_clips(video, clip_length, generator=None):
    B, C, T, H, W = video.shape
    if clip_length < 1 or clip_length > T:
        raise ValueError("clip_length out of range")
    windows = video.unfold(2, clip_length, 1)                 # (B, C, T - L + 1, H, W, L)
    start = torch.randint(0, T - clip_length + 1, (B,), generator=generator)
    picked = windows[torch.arange(B), :, start]                # (B, C, H, W, L)
    return picked.permute(0, 1, 4, 2, 3)


def mocogan_step(G, D_image, D_video, opt_g, opt_d_image, opt_d_video, x_real, clip_length=None):
    for net in (G, D_image, D_video):
        net.train()
    B, T = x_real.size(0), x_real.size(2)
    L = clip_length or T
    fake = G.sample(B, T)[0]

    def loss(logits, real):
        target = torch.ones_like(logits) if real else torch.zeros_like(logits)
        return F.binary_cross_entropy_with_logits(logits, target)

    opt_d_video.zero_grad()
    d_video = loss(D_video(sample_clips(x_real, L)), True) + loss(D_video(sample_clips(fake.detach(), L)), False)
    d_video.backward()
    opt_d_video.step()
    opt_d_image.zero_grad()
    d_image = loss(D_image(sample_frames(x_real)), True) + loss(D_image(sample_frames(fake.detach())), False)
    d_image.backward()
    opt_d_image.step()

    opt_g.zero_grad()
    g_video = loss(D_video(sample_clips(fake, L)), True)
    g_video.backward(retain_graph=True)
    g_image = loss(D_image(sample_frames(fake)), True)
    g_image.backward()
    opt_g.step()
    return {"loss_d_image": float(d_image.item()), "loss_d_video": float(d_video.item()),
            "loss_g_image": float(g_image.item()), "loss_g_video": float(g_video.item())}
