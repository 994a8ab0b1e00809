"""Lab 8 (video GANs): the reference solutions of the ten exercises, one cell each (contract:
the lead's lab8_api, sec. "Exercises"). Next session's notebook copies each cell below (from its ``# %% <grade_id>``
line to the next) into the exercise cell of that grade_id; ``reference/build_notebook.py`` builds a throwaway
notebook from them so that the graders can be run before the real notebook exists.

The setup cell of the notebook provides ``math``, ``torch``, ``torch.nn as nn``, ``torch.nn.functional as F`` and
``ganlab.video.FrameGenerator``; the cells use nothing else.
"""

# %% setup
import math

import torch
import torch.nn.functional as F
from torch import nn

from ganlab.video import FrameGenerator


# %% conv3d_output_shape
def conv3d_output_shape(in_shape, kernel_size, stride=1, padding=0, transposed=False, output_padding=0):
    """The (T', H', W') that a Conv3d (or, with ``transposed``, a ConvTranspose3d) of dilation 1 gives for an input
    of (T, H, W) = ``in_shape``: the same one-axis rule applied to time, height and width.

    Args:
        in_shape: (T, H, W), three ints >= 1.
        kernel_size, stride, padding, output_padding: an int (the same on all three axes) or a 3-tuple of ints
            (time, height, width). kernel_size >= 1, stride >= 1, padding >= 0; output_padding only with
            ``transposed`` (0 otherwise), 0 <= output_padding < stride on each axis (PyTorch's rule).
        transposed: False for Conv3d, True for ConvTranspose3d.

    Returns:
        A tuple of three Python ints (T', H', W'), PyTorch's sizes: Conv3d rounds the division by the stride down.

    Raises:
        TypeError: an entry that is not an int (a float such as 4.0, a bool, a string).
        ValueError: a tuple that does not have 3 entries; kernel < 1, stride < 1, padding < 0, output_padding < 0
            or >= stride (transposed), output_padding != 0 when not transposed, an in_shape entry < 1, or an output
            axis < 1: the message then names that axis ("time", "height" or "width").
    """
    ### BEGIN SOLUTION
    def triple(value, name):
        values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * 3
        if len(values) != 3:
            raise ValueError(f"{name} must be an int or a 3-tuple, got {value!r}")
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int):
                raise TypeError(f"{name} must hold ints, got {value!r}")
        return values

    sizes = triple(in_shape, "in_shape") if isinstance(in_shape, (tuple, list)) else triple([in_shape], "in_shape")
    kernel, step, pad = triple(kernel_size, "kernel_size"), triple(stride, "stride"), triple(padding, "padding")
    extra = triple(output_padding, "output_padding")
    result = []
    for axis, n, k, s, p, op in zip(("time", "height", "width"), sizes, kernel, step, pad, extra):
        if n < 1 or k < 1 or s < 1 or p < 0 or op < 0:
            raise ValueError(f"{axis}: need size >= 1, kernel >= 1, stride >= 1, padding >= 0, output_padding >= 0 "
                             f"(got size {n}, kernel {k}, stride {s}, padding {p}, output_padding {op})")
        if transposed:
            if op >= s:
                raise ValueError(f"{axis}: output_padding {op} must be smaller than the stride {s}")
            size = (n - 1) * s - 2 * p + k + op
        else:
            if op != 0:
                raise ValueError("output_padding only exists for a transposed convolution")
            size = (n + 2 * p - k) // s + 1
        if size < 1:
            raise ValueError(f"the {axis} axis would have size {size} < 1")
        result.append(size)
    return tuple(result)
    ### END SOLUTION


# %% answer_min_frames
def answer_min_frames():
    """The smallest clip length T that VideoDiscriminator(n_layers=4) (exercise 5, the MoCoGAN setting at 64 x 64)
    accepts: every layer keeps stride 1 and no padding in time. Return a Python int."""
    ### BEGIN SOLUTION
    # Each of the 4 layers maps T to T - 3 (kernel 4, stride 1, no padding), the final conv too: T' = T - 15 >= 1.
    return 16
    ### END SOLUTION


# %% vgan_composite
def vgan_composite(foreground, background, mask_logits, penalty_weight=0.1):
    """VGAN's two-stream composite (Vondrick, Pirsiavash, Torralba 2016, eq. 2): each pixel of each frame is the
    moving foreground where the mask is 1 and the static background where it is 0.

        mask    = sigmoid(mask_logits)                                   in [0, 1]
        video   = mask * foreground + (1 - mask) * background            (the background repeated over T)
        penalty = penalty_weight * mean(|mask|)                          (the L1 sparsity term on the mask)

    The penalty is a MEAN over all mask elements (not a sum), so that its weight (0.1 in VGAN) does not depend on
    the video's size.

    Args:
        foreground: float (B, C, T, H, W), already in [-1, 1].
        background: float (B, C, H, W): one image per video, the same for every frame.
        mask_logits: float (B, 1, T, H, W), raw (any real numbers).
        penalty_weight: float >= 0 (default 0.1).

    Returns:
        (video (B, C, T, H, W), mask (B, 1, T, H, W) in [0, 1], penalty 0-dim tensor), all differentiable with
        respect to the three inputs. The inputs are not changed.

    Raises:
        ValueError: when B, T, H or W differ between the inputs, when mask_logits has more than one channel or any
            input has the wrong number of dimensions, or when penalty_weight < 0.
    """
    ### BEGIN SOLUTION
    if foreground.dim() != 5 or background.dim() != 4 or mask_logits.dim() != 5:
        raise ValueError("expected foreground (B, C, T, H, W), background (B, C, H, W), mask_logits (B, 1, T, H, W)")
    b, c, t, h, w = foreground.shape
    if tuple(background.shape) != (b, c, h, w):
        raise ValueError(f"background {tuple(background.shape)} does not match foreground {tuple(foreground.shape)}")
    if tuple(mask_logits.shape) != (b, 1, t, h, w):
        raise ValueError(f"mask_logits {tuple(mask_logits.shape)} must be (B, 1, T, H, W) = {(b, 1, t, h, w)}")
    if penalty_weight < 0:
        raise ValueError(f"penalty_weight must be >= 0, got {penalty_weight}")
    mask = torch.sigmoid(mask_logits)                                   # (B, 1, T, H, W), in [0, 1]
    video = mask * foreground + (1 - mask) * background.unsqueeze(2)    # background (B, C, 1, H, W) broadcast over T
    penalty = penalty_weight * mask.abs().mean()
    return video, mask, penalty
    ### END SOLUTION


# %% VGANGenerator
class VGANGenerator(nn.Module):
    """The two-stream VGAN generator (Vondrick et al. 2016, sec. 2.2, fig. 1), scaled down.

    Foreground stream (3D, moving): z (B, latent_dim) viewed (B, latent_dim, 1, 1, 1)
        ConvTranspose3d(latent_dim, ngf * 2**n_up, kernel (2, 4, 4), stride 1, bias=False) -> BatchNorm3d -> ReLU
        then n_up times ConvTranspose3d(c, c / 2, 4, stride 2, padding 1, bias=False) -> BatchNorm3d -> ReLU
        heads on the last features (ngf channels):
            foreground  = tanh(ConvTranspose3d(ngf, channels, 4, 2, 1, bias=True))     (B, C, T, H, W)
            mask_logits = ConvTranspose3d(ngf, 1, 4, 2, 1, bias=True)                  (B, 1, T, H, W)
    Background stream (2D, static): z viewed (B, latent_dim, 1, 1)
        ConvTranspose2d(latent_dim, ngf * 2**n_up, 4, 1, 0, bias=False) -> BatchNorm2d -> ReLU,
        n_up times ConvTranspose2d(c, c / 2, 4, 2, 1, bias=False) -> BatchNorm2d -> ReLU,
        then tanh(ConvTranspose2d(ngf, channels, 4, 2, 1, bias=True))                  (B, C, H, W)
    The video is vgan_composite(foreground, background, mask_logits) (your exercise, default penalty weight).

    Args: latent_dim, channels, ngf: ints >= 1; size: 32 or 64 (ValueError otherwise). T = size // 2 frames
    (16 at 32, 32 at 64) and n_up = log2(size) - 3 (2 at 32, 3 at 64).

    forward(z): z (B, latent_dim) -> video (B, channels, T, size, size); ValueError when z is not (B, latent_dim).
    parts(z): the same computation, returning (video, foreground, background, mask, penalty).
    """

    def __init__(self, latent_dim=100, channels=1, ngf=32, size=32):
        super().__init__()
        ### BEGIN SOLUTION
        if size not in (32, 64):
            raise ValueError(f"size must be 32 or 64, got {size}")
        n_up = int(math.log2(size)) - 3
        self.latent_dim = latent_dim
        width = ngf * 2 ** n_up
        fg = [nn.ConvTranspose3d(latent_dim, width, (2, 4, 4), 1, 0, bias=False), nn.BatchNorm3d(width), nn.ReLU()]
        bg = [nn.ConvTranspose2d(latent_dim, width, 4, 1, 0, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
        for _ in range(n_up):
            fg += [nn.ConvTranspose3d(width, width // 2, 4, 2, 1, bias=False), nn.BatchNorm3d(width // 2), nn.ReLU()]
            bg += [nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width // 2), nn.ReLU()]
            width //= 2
        self.foreground_trunk = nn.Sequential(*fg)
        self.foreground_head = nn.ConvTranspose3d(ngf, channels, 4, 2, 1)
        self.mask_head = nn.ConvTranspose3d(ngf, 1, 4, 2, 1)
        self.background = nn.Sequential(*bg, nn.ConvTranspose2d(ngf, channels, 4, 2, 1), nn.Tanh())
        ### END SOLUTION

    def parts(self, z):
        ### BEGIN SOLUTION
        if z.dim() != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"z must be (B, {self.latent_dim}), got {tuple(z.shape)}")
        h = self.foreground_trunk(z.view(*z.shape, 1, 1, 1))   # (B, ngf, T / 2, size / 2, size / 2)
        foreground = torch.tanh(self.foreground_head(h))       # (B, C, T, size, size)
        mask_logits = self.mask_head(h)                         # (B, 1, T, size, size)
        background = self.background(z.view(*z.shape, 1, 1))   # (B, C, size, size)
        video, mask, penalty = vgan_composite(foreground, background, mask_logits)
        return video, foreground, background, mask, penalty
        ### END SOLUTION

    def forward(self, z):
        ### BEGIN SOLUTION
        return self.parts(z)[0]
        ### END SOLUTION


# %% VideoDiscriminator
class VideoDiscriminator(nn.Module):
    """A 3D-convolution video discriminator, MoCoGAN's D_V (Tulyakov et al. 2018, sec. 3): stride 1 and no padding
    in time, so every layer shortens the clip by 3 frames instead of halving it.

    Layers, in forward order:
        Conv3d(channels, ndf, 4, stride (1, 2, 2), padding (0, 1, 1), bias=True) -> LeakyReLU(0.2)
        n_layers - 1 times: Conv3d(c, 2c, 4, stride (1, 2, 2), padding (0, 1, 1), bias=False) -> BatchNorm3d
            -> LeakyReLU(0.2)
        Conv3d(ndf * 2**(n_layers - 1), 1, 4, stride 1, padding 0, bias=True)

    Args: channels, ndf: ints >= 1; n_layers: int >= 1 (ValueError otherwise).

    forward(video): (B, channels, T, H, W) -> logits (B, T', H', W') with T' = T - 3 * n_layers - 3 and
    H' = H / 2**n_layers - 3 (the channel axis removed by indexing, so B = 1 or T' = 1 stays). Raw logits.
    ValueError when the input is not 5-D, has another number of channels, or has T < 3 * n_layers + 4 (the message
    names that minimum).
    """

    def __init__(self, channels=1, ndf=32, n_layers=3):
        super().__init__()
        ### BEGIN SOLUTION
        if n_layers < 1:
            raise ValueError(f"n_layers must be >= 1, got {n_layers}")
        self.channels, self.n_layers = channels, n_layers
        layers = [nn.Conv3d(channels, ndf, 4, (1, 2, 2), (0, 1, 1)), nn.LeakyReLU(0.2)]
        width = ndf
        for _ in range(n_layers - 1):
            layers += [nn.Conv3d(width, 2 * width, 4, (1, 2, 2), (0, 1, 1), bias=False), nn.BatchNorm3d(2 * width),
                       nn.LeakyReLU(0.2)]   # T -> T - 3, H -> H / 2
            width *= 2
        layers.append(nn.Conv3d(width, 1, 4, 1, 0))
        self.net = nn.Sequential(*layers)
        ### END SOLUTION

    def forward(self, video):
        ### BEGIN SOLUTION
        if video.dim() != 5 or video.shape[1] != self.channels:
            raise ValueError(f"expected a video (B, {self.channels}, T, H, W), got {tuple(video.shape)}")
        min_frames = 3 * self.n_layers + 4
        if video.shape[2] < min_frames:
            raise ValueError(f"clips need at least {min_frames} frames with n_layers={self.n_layers}, "
                             f"got {video.shape[2]}")
        return self.net(video)[:, 0]   # (B, T', H', W'): index, never squeeze (B or T' may be 1)
        ### END SOLUTION


# %% MotionRNN
class MotionRNN(nn.Module):
    """MoCoGAN's motion network R_M (Tulyakov et al. 2018, sec. 3.1): a GRU cell that turns fresh noise at every
    step into a trajectory of motion codes z_M(1), ..., z_M(T).

        h_t = GRUCell(eps_t, h_{t-1}),  t = 1..T;   outputs (h_1, ..., h_T)   (the states after each step, not h_0)

    Args: noise_dim, motion_dim: ints >= 1; one nn.GRUCell(noise_dim, motion_dim).

    forward(eps, h0): eps (B, T, noise_dim) (the caller draws it: fresh noise for every step), h0 (B, motion_dim)
    -> (B, T, motion_dim). Deterministic given its inputs. ValueError when the shapes do not fit.
    """

    def __init__(self, noise_dim=10, motion_dim=10):
        super().__init__()
        ### BEGIN SOLUTION
        self.noise_dim, self.motion_dim = noise_dim, motion_dim
        self.cell = nn.GRUCell(noise_dim, motion_dim)
        ### END SOLUTION

    def forward(self, eps, h0):
        ### BEGIN SOLUTION
        if eps.dim() != 3 or eps.shape[2] != self.noise_dim:
            raise ValueError(f"eps must be (B, T, {self.noise_dim}), got {tuple(eps.shape)}")
        if h0.dim() != 2 or tuple(h0.shape) != (eps.shape[0], self.motion_dim):
            raise ValueError(f"h0 must be ({eps.shape[0]}, {self.motion_dim}), got {tuple(h0.shape)}")
        h, states = h0, []
        for t in range(eps.shape[1]):
            h = self.cell(eps[:, t], h)   # the previous state carries the motion on
            states.append(h)
        return torch.stack(states, dim=1)   # (B, T, motion_dim)
        ### END SOLUTION


# %% MoCoGANGenerator
class MoCoGANGenerator(nn.Module):
    """The MoCoGAN generator (Tulyakov et al. 2018, sec. 3.1-3.2): each frame t is the image generator G_I applied to
    z(t) = [z_C, z_A, z_M(t)]: the content z_C drawn once per video, the category z_A (one-hot, optional) constant
    over the video, and the motion z_M(t) from the motion RNN fed fresh noise at every step.

    Attributes: ``self.motion = MotionRNN(noise_dim, motion_dim)`` (your exercise) and ``self.frames =
    FrameGenerator(content_dim + num_categories + motion_dim, channels, ngf, size)`` (given in ganlab.video).

    sample_latents(batch, num_frames, categories=None, generator=None) -> z (B, T, content_dim + num_categories +
        motion_dim), the concatenation [z_C, z_A, z_M] along the last axis:
        z_C ~ N(0, I) of shape (B, content_dim), drawn ONCE per video and the same for all T frames;
        z_A the one-hot of ``categories`` (B,) int64 (uniformly random categories when None and num_categories
            > 0; nothing when num_categories = 0), the same for all T frames; it goes to the image generator only,
            NOT to the motion RNN;
        z_M = self.motion(eps, h0) with eps ~ N(0, I) (B, T, noise_dim) and h0 ~ N(0, I) (B, motion_dim).
        Every draw comes from ``generator`` (a torch.Generator) when one is given (the global RNG is untouched).
    forward(z): z (B, T, latent) -> video (B, C, T, H, W): all B * T frames through self.frames at once, then
        reshaped to (B, T, C, H, W) and permuted to (B, C, T, H, W).
    sample(batch, num_frames, categories=None, generator=None) -> (video, z).
    """

    def __init__(self, content_dim=50, motion_dim=10, noise_dim=10, num_categories=0, channels=1, ngf=32, size=32):
        super().__init__()
        ### BEGIN SOLUTION
        self.content_dim, self.motion_dim, self.noise_dim = content_dim, motion_dim, noise_dim
        self.num_categories = num_categories
        self.motion = MotionRNN(noise_dim, motion_dim)
        self.frames = FrameGenerator(content_dim + num_categories + motion_dim, channels, ngf, size)
        ### END SOLUTION

    def sample_latents(self, batch, num_frames, categories=None, generator=None):
        ### BEGIN SOLUTION
        z_content = torch.randn(batch, self.content_dim, generator=generator)   # once per video
        parts = [z_content.unsqueeze(1).expand(batch, num_frames, self.content_dim)]
        if self.num_categories > 0:
            if categories is None:
                categories = torch.randint(self.num_categories, (batch,), generator=generator)
            one_hot = F.one_hot(categories, self.num_categories).to(z_content.dtype)   # (B, num_categories)
            parts.append(one_hot.unsqueeze(1).expand(batch, num_frames, self.num_categories))
        eps = torch.randn(batch, num_frames, self.noise_dim, generator=generator)     # fresh noise per step
        h0 = torch.randn(batch, self.motion_dim, generator=generator)
        parts.append(self.motion(eps, h0))                                            # (B, T, motion_dim)
        return torch.cat(parts, dim=2)
        ### END SOLUTION

    def forward(self, z):
        ### BEGIN SOLUTION
        b, t = z.shape[:2]
        frames = self.frames(z.reshape(b * t, -1))           # (B * T, C, H, W)
        video = frames.reshape(b, t, *frames.shape[1:])      # (B, T, C, H, W)
        return video.permute(0, 2, 1, 3, 4)                  # (B, C, T, H, W)
        ### END SOLUTION

    def sample(self, batch, num_frames, categories=None, generator=None):
        ### BEGIN SOLUTION
        z = self.sample_latents(batch, num_frames, categories, generator)
        return self(z), z
        ### END SOLUTION


# %% sample_frames
def sample_frames(video, generator=None):
    """One frame of each video for the image discriminator D_I (MoCoGAN, sec. 3.2): frame index drawn uniformly
    from 0..T-1, independently for each video (from ``generator`` when given).

    video: float (B, C, T, H, W) -> frames (B, C, H, W), frames[b] = video[b, :, t_b]. Differentiable with respect to
    video (indexing, no copy through numpy); the input is not changed.
    """
    ### BEGIN SOLUTION
    b, _, t = video.shape[:3]
    index = torch.randint(t, (b,), generator=generator)
    return video[torch.arange(b), :, index]   # (B, C, H, W)
    ### END SOLUTION


# %% sample_clips
def sample_clips(video, clip_length, generator=None):
    """One contiguous clip of each video for the video discriminator D_V (MoCoGAN, sec. 3.2): its start drawn
    uniformly from 0..T - clip_length INCLUSIVE, independently for each video (from ``generator`` when given).

    video: float (B, C, T, H, W); clip_length: int, 1 <= clip_length <= T (ValueError otherwise).
    Returns (B, C, clip_length, H, W), clips[b] = video[b, :, s_b : s_b + clip_length]. Differentiable with respect
    to video; the input is not changed.
    """
    ### BEGIN SOLUTION
    t = video.shape[2]
    if not 1 <= clip_length <= t:
        raise ValueError(f"clip_length must be in 1..{t}, got {clip_length}")
    starts = torch.randint(t - clip_length + 1, (video.shape[0],), generator=generator)   # the last start included
    return torch.stack([video[b, :, s:s + clip_length] for b, s in enumerate(starts.tolist())])
    ### END SOLUTION


# %% mocogan_step
def mocogan_step(G, D_image, D_video, opt_g, opt_d_image, opt_d_video, x_real, clip_length=None):
    """One MoCoGAN training step (Tulyakov et al. 2018, eq. 1-2), non-saturating, with BCE-with-logits.

    fake = G.sample(B, T)[0]. D step, each discriminator with its own optimizer, on the detached fake:
        loss_d_image = BCE(D_image(sample_frames(x_real)), 1) + BCE(D_image(sample_frames(fake.detach())), 0)
        loss_d_video = BCE(D_video(sample_clips(x_real, L)), 1) + BCE(D_video(sample_clips(fake.detach(), L)), 0)
    then the G step on fresh frame and clip draws from the same fake (with its graph):
        loss_g = BCE(D_image(sample_frames(fake)), 1) + BCE(D_video(sample_clips(fake, L)), 1);  opt_g.step()
    Each BCE is a mean over all of that call's logits; real and fake go through a discriminator in separate calls.
    Uses your sample_frames and sample_clips. Leaves G and both discriminators in training mode.

    Args: G (a MoCoGANGenerator or anything with .sample(batch, num_frames) -> (video, z)), D_image (frames
    (B, C, H, W) -> logits), D_video (clips (B, C, L, H, W) -> logits), their three optimizers, x_real (B, C, T, H, W),
    clip_length L (default T).

    Returns: {"loss_d_image", "loss_d_video", "loss_g_image", "loss_g_video"}: Python floats (loss_g = the sum of
    the last two).
    """
    ### BEGIN SOLUTION
    b, _, t = x_real.shape[:3]
    length = t if clip_length is None else clip_length
    G.train()
    D_image.train()
    D_video.train()

    def bce(logits, target):
        return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))

    fake, _ = G.sample(b, t)                                  # (B, C, T, H, W)
    opt_d_image.zero_grad()
    loss_d_image = bce(D_image(sample_frames(x_real)), 1.0) + bce(D_image(sample_frames(fake.detach())), 0.0)
    loss_d_image.backward()
    opt_d_image.step()
    opt_d_video.zero_grad()
    loss_d_video = (bce(D_video(sample_clips(x_real, length)), 1.0)
                    + bce(D_video(sample_clips(fake.detach(), length)), 0.0))
    loss_d_video.backward()
    opt_d_video.step()

    opt_g.zero_grad()
    loss_g_image = bce(D_image(sample_frames(fake)), 1.0)     # through the updated discriminators
    loss_g_video = bce(D_video(sample_clips(fake, length)), 1.0)
    (loss_g_image + loss_g_video).backward()
    opt_g.step()
    return {"loss_d_image": loss_d_image.item(), "loss_d_video": loss_d_video.item(),
            "loss_g_image": loss_g_image.item(), "loss_g_video": loss_g_video.item()}
    ### END SOLUTION
