"""Given networks of Lab 8 (video GANs): the trusted one-frame generator and discriminator of MoCoGAN.

Tulyakov et al. 2018 (MoCoGAN, CVPR, arXiv 1707.04993) sec. 3 build a video from an image generator G_I applied
to each frame's latent code, and judge single frames with an image discriminator D_I. Both are plain DCGAN
networks (Radford et al. 2016), given here so that the lab's exercises (the motion RNN, the MoCoGAN generator
around G_I, the samplers and the training step) can be graded on their own.

Also the code around the student's networks: the VGAN training step (:func:`vgan_step`), the training loops
:func:`fit_vgan` and :func:`fit_mocogan` (the student's ``mocogan_step`` injected), sampling and a quality metric
over training (:func:`sample_videos`, :func:`quality_metric`), frame-to-frame motion statistics
(:func:`motion_statistics`), MoCoGAN's content-fixed / motion-fixed grids (:func:`content_motion_grids`) and
:func:`frames_as_images` for drawing; and :class:`GlyphMover`, a frame generator for the benchmark (not a graded
exercise) whose motion code can only translate the glyph its content code draws. Importing this module has no
side effects.
"""

from __future__ import annotations

import math
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

from ganlab.training import History, shuffled_batches, timed_call, weight_average

__all__ = ["FrameGenerator", "FrameDiscriminator", "GlyphMover", "vgan_step", "VideoHistory", "InstanceNoise", "fit_vgan",
           "fit_mocogan", "sample_videos", "quality_metric", "ink_centroids", "motion_statistics", "content_motion_grids",
           "frames_as_images"]


def _levels(size: int) -> int:
    """log2(size) for the supported sizes 32 and 64, else ValueError."""
    if size != 32 and size != 64:
        raise ValueError(f"size must be 32 or 64, got {size!r}")
    return int(math.log2(size))


def _dcgan_decoder(latent_dim: int, channels: int, ngf: int, size: int) -> nn.Sequential:
    """The DCGAN decoder of :class:`FrameGenerator` (and of :class:`GlyphMover`'s glyph) for a power-of-two
    ``size`` >= 8: (N, latent_dim, 1, 1) -> (N, channels, size, size) in (-1, 1); the layers are listed in
    :class:`FrameGenerator`'s docstring."""
    n_up = size.bit_length() - 4                                        # log2(size) - 3 for a power of two
    widths = [ngf * 2 ** (n_up - i) for i in range(n_up + 1)]          # ngf * 2**n_up, ..., ngf
    layers = [nn.ConvTranspose2d(latent_dim, widths[0], 4, 1, 0, bias=False), nn.BatchNorm2d(widths[0]),
              nn.ReLU()]                                                 # (N, ngf * 2**n_up, 4, 4)
    for c_in, c_out in zip(widths, widths[1:]):                          # each doubles H and W
        layers.extend([nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()])
    layers.extend([nn.ConvTranspose2d(ngf, channels, 4, 2, 1), nn.Tanh()])   # (N, channels, size, size)
    return nn.Sequential(*layers)


class FrameGenerator(nn.Module):
    """DCGAN generator of ONE frame: G_I of MoCoGAN (sec. 3), z (N, latent_dim) -> image (N, channels, size, size).

    Layers, in forward order (n_up = log2(size) - 3: 2 at 32, 3 at 64):
        z viewed (N, latent_dim, 1, 1)
        ConvTranspose2d(latent_dim, ngf * 2**n_up, 4, stride 1, padding 0, bias=False) -> BatchNorm2d -> ReLU
                                                                     # (N, ngf * 2**n_up, 4, 4)
        n_up times: ConvTranspose2d(c, c // 2, 4, stride 2, padding 1, bias=False) -> BatchNorm2d -> ReLU
                                                                     # doubles H and W: ... (N, ngf, size / 2, size / 2)
        ConvTranspose2d(ngf, channels, 4, stride 2, padding 1, bias=True) -> Tanh   # (N, channels, size, size)
    No bias before a batch norm (the norm removes it). Outputs in (-1, 1), like the videos.
    """

    def __init__(self, latent_dim: int, channels: int = 1, ngf: int = 32, size: int = 32):
        super().__init__()
        _levels(size)
        self.latent_dim = int(latent_dim)
        self.main = _dcgan_decoder(latent_dim, channels, ngf, size)

    def forward(self, z):
        """z (N, latent_dim) -> frames (N, channels, size, size) in (-1, 1)."""
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"FrameGenerator expects z of shape (N, {self.latent_dim}), got {tuple(z.shape)}")
        return self.main(z.view(z.shape[0], self.latent_dim, 1, 1))


class FrameDiscriminator(nn.Module):
    """DCGAN discriminator of ONE frame: D_I of MoCoGAN (sec. 3), image (N, channels, size, size) -> logits (N,).

    Layers, in forward order (n_down = log2(size) - 2: 3 at 32, 4 at 64):
        Conv2d(channels, ndf, 4, stride 2, padding 1, bias=True) -> LeakyReLU(0.2)        # (N, ndf, size / 2, ...)
        n_down - 1 times: Conv2d(c, 2c, 4, stride 2, padding 1, bias=False) -> BatchNorm2d -> LeakyReLU(0.2)
                                                         # halves H and W: ... (N, ndf * 2**(n_down - 1), 4, 4)
        Conv2d(ndf * 2**(n_down - 1), 1, 4, stride 1, padding 0, bias=True)              # (N, 1, 1, 1)
    Returns raw logits (no sigmoid: the losses use BCE-with-logits), one per image.
    """

    def __init__(self, channels: int = 1, ndf: int = 32, size: int = 32):
        super().__init__()
        n_down = _levels(size) - 2
        self.channels, self.size = int(channels), int(size)
        widths = [ndf * 2 ** i for i in range(n_down)]                  # ndf, ..., ndf * 2**(n_down - 1)
        layers = [nn.Conv2d(channels, ndf, 4, 2, 1), nn.LeakyReLU(0.2)]  # (N, ndf, size / 2, size / 2)
        for c_in, c_out in zip(widths, widths[1:]):                      # each halves H and W
            layers.extend([nn.Conv2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.LeakyReLU(0.2)])
        layers.append(nn.Conv2d(widths[-1], 1, 4, 1, 0))                 # (N, 1, 1, 1)
        self.main = nn.Sequential(*layers)

    def forward(self, x):
        """x (N, channels, size, size) -> logits (N,)."""
        if x.dim() != 4 or x.shape[1] != self.channels or tuple(x.shape[2:]) != (self.size, self.size):
            raise ValueError(f"FrameDiscriminator expects images (N, {self.channels}, {self.size}, {self.size}), "
                             f"got {tuple(x.shape)}")
        return self.main(x).view(x.shape[0])


class GlyphMover(nn.Module):
    """A frame generator G_I whose motion code can only MOVE what its content code draws: a drop-in for
    ``MoCoGANGenerator.frames`` (a training helper of the benchmark, not a graded exercise).

    MoCoGAN (Tulyakov et al. 2018, sec. 3.1) feeds G_I the frame latent z(t) = [z_C, z_A, z_M(t)] and lets one
    decoder turn it into a frame, so nothing stops the motion codes from redrawing the content. Here the latent is
    split: the first ``latent_dim - motion_dim`` entries (z_C and z_A) go to a small DCGAN decoder that draws a
    ``glyph_size`` x ``glyph_size`` glyph, the last ``motion_dim`` entries (z_M(t)) go to a small MLP that outputs
    a translation (dx, dy) in pixels, bounded by tanh so that the glyph's box stays inside the frame; the frame is
    the glyph, centred on an empty canvas, translated by (dx, dy) with a spatial transformer's differentiable
    bilinear warp (Jaderberg et al. 2015, "Spatial transformer networks", NeurIPS, eq. 1 and 5:
    ``F.affine_grid`` + ``F.grid_sample``). The warp moves ink (v + 1) / 2 in [0, 1] with zero padding and maps
    back to [-1, 1], so the background stays -1.

    This hard-codes the moving digits' prior -- one rigid glyph that only translates, never rotates, scales or
    changes shape -- so the content consistency of its videos comes from the architecture, not from what the
    discriminators taught it. It fits data made that way (``ganlab.data.video.moving_digits`` with one digit) and
    nothing more general.

    Args: ``latent_dim`` (the frame latent's width, content + categories + motion), ``motion_dim`` (>= 1, the
    last entries), ``channels``, ``ngf`` (the decoder's base width), ``size`` (the frame, >= 8), ``glyph_size``
    (a power of two >= 8 and <= size; default size // 2, the data's glyph box), ``hidden`` (the motion MLP),
    ``whole_pixels``: ``"never"`` (default: sub-pixel shifts, bilinear), ``"always"`` (the shift is rounded to
    whole pixels, as the data places its glyphs, with the straight-through gradient of Bengio et al. 2013,
    "Estimating or propagating gradients through stochastic neurons", so every frame is an exact copy of the
    glyph and the motion head still learns) or ``"sampling"`` (sub-pixel while training, rounded in evaluation
    mode: smooth gradients for training, exact copies in the samples).

    Decoder, in forward order (n_up = log2(glyph_size) - 3):
        content viewed (N, content_dim, 1, 1)
        ConvTranspose2d(content_dim, ngf * 2**n_up, 4, 1, 0, bias=False) -> BatchNorm2d -> ReLU
                                                                     # (N, ngf * 2**n_up, 4, 4)
        n_up times: ConvTranspose2d(c, c // 2, 4, 2, 1, bias=False) -> BatchNorm2d -> ReLU   # doubles H and W
        ConvTranspose2d(ngf, channels, 4, 2, 1) -> Tanh               # (N, channels, glyph_size, glyph_size)
    Motion head: Linear(motion_dim, hidden) -> ReLU -> Linear(hidden, 2) -> Tanh, times (size - glyph_size) / 2.
    """

    def __init__(self, latent_dim: int, motion_dim: int, channels: int = 1, ngf: int = 32, size: int = 32,
                 glyph_size: int | None = None, hidden: int = 32, whole_pixels: str = "never"):
        super().__init__()
        glyph_size = size // 2 if glyph_size is None else glyph_size
        if not (isinstance(motion_dim, int) and isinstance(latent_dim, int) and 1 <= motion_dim < latent_dim):
            raise ValueError(f"need 1 <= motion_dim < latent_dim (some content entries), got motion_dim "
                             f"{motion_dim!r} and latent_dim {latent_dim!r}")
        if not isinstance(size, int) or size < 8:
            raise ValueError(f"size must be an int >= 8, got {size!r}")
        if (not isinstance(glyph_size, int) or glyph_size < 8 or glyph_size > size
                or glyph_size & (glyph_size - 1) or (size - glyph_size) % 2):
            raise ValueError(f"glyph_size must be a power of two in [8, size = {size}] with size - glyph_size even "
                             f"(the glyph centred at whole pixels), got {glyph_size!r}")
        if whole_pixels not in ("never", "always", "sampling"):
            raise ValueError(f"whole_pixels must be 'never', 'always' or 'sampling', got {whole_pixels!r}")
        if ngf < 1 or hidden < 1 or channels < 1:
            raise ValueError(f"channels, ngf and hidden must be >= 1, got {channels}, {ngf}, {hidden}")
        self.latent_dim, self.motion_dim = latent_dim, motion_dim
        self.content_dim = latent_dim - motion_dim
        self.channels, self.size, self.glyph_size = channels, size, glyph_size
        self.glyph = _dcgan_decoder(self.content_dim, channels, ngf, glyph_size)   # (N, C, glyph_size, glyph_size)
        # (dx, dy) in (-1, 1), scaled to the largest shift that keeps the centred box inside the frame
        self.shift = nn.Sequential(nn.Linear(motion_dim, hidden), nn.ReLU(), nn.Linear(hidden, 2), nn.Tanh())
        self.max_shift = (size - glyph_size) / 2
        self.whole_pixels = whole_pixels

    def parts(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """z (N, latent_dim) -> (glyphs (N, C, glyph_size, glyph_size) in (-1, 1), shifts (N, 2) as (dx, dy) in
        pixels, each in [-max_shift, max_shift]; positive dx moves right, positive dy moves down)."""
        if not isinstance(z, torch.Tensor) or z.dim() != 2 or z.shape[1] != self.latent_dim:
            shape = tuple(z.shape) if isinstance(z, torch.Tensor) else type(z).__name__
            raise ValueError(f"GlyphMover expects z of shape (N, {self.latent_dim}), got {shape}")
        content, motion = z[:, :self.content_dim], z[:, self.content_dim:]
        glyphs = self.glyph(content.reshape(len(z), self.content_dim, 1, 1))
        shifts = self.shift(motion) * self.max_shift
        if self.whole_pixels == "always" or (self.whole_pixels == "sampling" and not self.training):
            # forward: rounded; backward: the identity (straight through)
            shifts = shifts + (shifts.round() - shifts).detach()
        return glyphs, shifts

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """z (N, latent_dim) -> frames (N, channels, size, size) in [-1, 1]: the content's glyph, moved by the
        motion's shift."""
        glyphs, shifts = self.parts(z)
        n, pad = len(z), (self.size - self.glyph_size) // 2
        ink = F.pad((glyphs + 1) / 2, (pad, pad, pad, pad))              # (N, C, size, size), glyph centred
        # output pixel p samples the canvas at p - shift; normalised units (align_corners=False): 2 / size per px
        theta = torch.zeros(n, 2, 3, dtype=ink.dtype, device=ink.device)
        theta[:, 0, 0] = theta[:, 1, 1] = 1.0
        theta[:, :, 2] = -2.0 * shifts.to(ink.dtype) / self.size
        grid = F.affine_grid(theta, list(ink.shape), align_corners=False)
        moved = F.grid_sample(ink, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        return moved * 2 - 1                                             # (N, C, size, size), background -1


# -- training (given code around the student's networks and step) --------------------------------------------------

def _bce(logits: torch.Tensor, real: bool) -> torch.Tensor:
    """Mean BCE-with-logits of ``logits`` against an all-ones (``real``) or all-zeros target: log-sigmoid inside,
    so large logits do not overflow."""
    target = torch.ones_like(logits) if real else torch.zeros_like(logits)
    return F.binary_cross_entropy_with_logits(logits, target)


def vgan_step(G: nn.Module, D: nn.Module, opt_g: torch.optim.Optimizer, opt_d: torch.optim.Optimizer,
              x_real: torch.Tensor, generator: torch.Generator | None = None) -> dict[str, float]:
    """One VGAN iteration (Vondrick, Pirsiavash, Torralba 2016, sec. 2: the GAN objective of eq. 1 with the mask
    sparsity term of eq. 2 in the generator's loss), non-saturating, with BCE-with-logits.

        z ~ N(0, I) (B, G.latent_dim);  video, _, _, _, penalty = G.parts(z)
        D step (opt_d):  BCE(D(x_real), 1) + BCE(D(video.detach()), 0)      (detached: no gradient reaches G)
        G step (opt_g):  BCE(D(video), 1) + penalty                          (through the updated D)

    ``G``: a VGAN generator with ``latent_dim`` and ``parts(z) -> (video, foreground, background, mask, penalty)``
    (the lab's ``VGANGenerator``); ``D``: a video discriminator returning logits of any shape (B, ...). Each net
    has its own optimizer, each optimizer's gradients are zeroed before its backward pass. ``z`` is drawn on
    ``x_real``'s device, from ``generator`` when given. Both nets are left in training mode.

    Returns Python floats: ``loss_d``, ``loss_g`` (the adversarial term plus the penalty), ``penalty`` (alone),
    ``d_real`` and ``d_fake`` (mean sigmoid of D's logits on the real and generated clips, in the D step).
    """
    G.train()
    D.train()
    batch = x_real.shape[0]
    where = x_real.device if generator is None else generator.device
    noise = torch.randn(batch, G.latent_dim, generator=generator, device=where).to(x_real.device)
    video, *_, penalty = G.parts(noise)                    # (B, C, T, H, W) and the weighted L1 of the mask

    opt_d.zero_grad(set_to_none=True)
    logits_real, logits_fake = D(x_real), D(video.detach())   # separate calls: D's batch norm sees one kind each
    d_total = _bce(logits_real, True) + _bce(logits_fake, False)
    d_total.backward()
    opt_d.step()

    opt_g.zero_grad(set_to_none=True)
    adversarial = _bce(D(video), True)                     # non-saturating: -log D(G(z))
    g_total = adversarial + penalty
    g_total.backward()
    opt_g.step()
    with torch.no_grad():
        d_real, d_fake = torch.sigmoid(logits_real).mean(), torch.sigmoid(logits_fake).mean()
    return {"loss_d": float(d_total.detach()), "loss_g": float(g_total.detach()), "penalty": float(penalty.detach()),
            "d_real": float(d_real), "d_fake": float(d_fake)}


@dataclass
class VideoHistory(History):
    """What :func:`fit_vgan` / :func:`fit_mocogan` leave behind (a :class:`ganlab.training.History`, plus):

    ``losses`` every number the step returned, per step; ``d_loss`` / ``g_loss`` the discriminators' and the
    generator's totals per step; ``snapshots`` (step, videos (n, C, T, H, W) from fixed latents, on the CPU);
    ``logs`` the metric's values (name -> [(step, value)]); ``seconds`` / ``cpu_seconds`` the wall and CPU time
    spent inside the steps; ``optimizers`` the optimizers used (pass them back to continue training);
    ``average`` the weight average of the generator when the loop kept one (``ema_decay``), else None, and
    ``generator_average`` the averaged generator itself (G's class, for sampling), else None.
    """

    losses: dict[str, list[float]] = field(default_factory=dict)
    cpu_seconds: float = 0.0
    optimizers: dict[str, torch.optim.Optimizer] = field(default_factory=dict)
    average: nn.Module | None = None

    @property
    def generator_average(self) -> nn.Module | None:
        """The generator with the averaged weights and buffers (``average.module``), or None without an average."""
        return None if self.average is None else self.average.module

    @property
    def clips_per_second(self) -> float:
        """Training clips consumed per wall second of step time."""
        return self.images_per_second

    @property
    def clips_per_cpu_second(self) -> float:
        """Training clips consumed per CPU second of step time (all threads of the process count)."""
        return self.steps * self.batch_size / self.cpu_seconds if self.cpu_seconds > 0 else float("nan")


class InstanceNoise(nn.Module):
    """``net(x + sigma * N(0, I))`` in training mode, ``net(x)`` in evaluation mode: instance noise on a
    discriminator's input (Sønderby et al. 2017, "Amortised MAP inference for image super-resolution", ICLR).
    Real and generated inputs get independent noise, which blurs the two distributions' supports into overlap so
    that a discriminator cannot win outright early on. The wrapped net's parameters are this module's: an
    optimizer over either is the same."""

    def __init__(self, net: nn.Module, sigma: float):
        super().__init__()
        if sigma < 0:
            raise ValueError(f"sigma must be >= 0, got {sigma}")
        self.net, self.sigma = net, float(sigma)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training and self.sigma > 0:
            x = x + self.sigma * torch.randn_like(x)
        return self.net(x)


def _adam(net: nn.Module, lr: float, betas) -> torch.optim.Adam:
    return torch.optim.Adam(net.parameters(), lr=lr, betas=tuple(betas))


@contextmanager
def _on(device: torch.device):
    """Factory functions (torch.randn, ...) default to ``device`` inside, so that a student's ``sample_latents``
    that draws without a device argument works on a GPU; a no-op on the CPU."""
    if device.type == "cpu":
        yield
    else:
        with device:
            yield


@contextmanager
def _evaluating(net: nn.Module):
    """eval() and no_grad() inside (batch norm uses its running statistics; no graph is built); the net's
    training flag is restored afterwards."""
    was_training = net.training
    net.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        net.train(was_training)


def _device_of(net: nn.Module) -> torch.device:
    first = next(net.parameters(), None)
    return first.device if first is not None else torch.device("cpu")


def _draw_videos(G: nn.Module, n: int, num_frames: int, seed: int, device: torch.device) -> torch.Tensor:
    """G's videos for ``n`` seeded latents, in G's current mode (the caller chooses eval and no_grad)."""
    g = torch.Generator(device=device).manual_seed(seed)
    if hasattr(G, "sample_latents"):                       # MoCoGAN: z (n, T, latent) through the motion RNN
        return G(G.sample_latents(n, num_frames, generator=g))
    return G(torch.randn(n, G.latent_dim, generator=g, device=device))   # VGAN: one z per video, T fixed by G


def sample_videos(G: nn.Module, n: int, num_frames: int = 16, seed: int = 0, batch_size: int = 64) -> torch.Tensor:
    """``n`` videos ``(n, C, T, H, W)`` of ``G`` on the CPU, in evaluation mode without gradients (G's mode is
    restored). A MoCoGAN generator (with ``sample_latents``) makes ``num_frames`` frames; a VGAN generator its own
    T. Seeded: batch k uses seed ``seed + k``, so the same seed gives the same videos."""
    if n < 1 or batch_size < 1:
        raise ValueError(f"n and batch_size must be >= 1, got {n} and {batch_size}")
    device = _device_of(G)
    out = []
    with _evaluating(G), _on(device):
        for k, start in enumerate(range(0, n, batch_size)):
            out.append(_draw_videos(G, min(batch_size, n - start), num_frames, seed + k, device).float().cpu())
    return torch.cat(out)


def quality_metric(real: torch.Tensor, n: int = 256, kind: str = "digit", num_frames: int | None = None,
                   seed: int = 123) -> Callable[[int, nn.Module], dict[str, float]]:
    """A ``metric(step, G)`` for :func:`fit_vgan` / :func:`fit_mocogan`: the Fréchet video distance between
    ``real[:n]`` and ``n`` samples of G (:func:`ganlab.video_nets.frechet_video_distance`, "FVD"), and their
    content consistency (:func:`ganlab.video_nets.content_consistency` with ``kind``, "content"). The samples
    come from the same seed at every call, so the curve follows one set of latents. ``num_frames`` defaults to
    the real clips' T."""
    from ganlab.video_nets import content_consistency, frechet_video_distance

    reference = real[:n]
    frames = reference.shape[2] if num_frames is None else num_frames

    def metric(step: int, G: nn.Module) -> dict[str, float]:
        fake = sample_videos(G, len(reference), frames, seed=seed)
        return {"FVD": frechet_video_distance(reference, fake), "content": content_consistency(fake, kind)}

    return metric


def _fit(call_step: Callable, G: nn.Module, nets: dict[str, nn.Module], opts: dict, videos: torch.Tensor, *,
         steps: int, batch_size: int, lr: float, betas, num_samples: int, num_frames: int,
         snapshot_every: int | None, metric: Callable | None, metric_every: int | None, cpu_budget: float | None,
         device, seed: int, progress: bool, clock: Callable[[], float], totals: dict[str, tuple[str, ...]],
         ema_decay: float | None = None, average: nn.Module | None = None):
    """The loop shared by :func:`fit_vgan` and :func:`fit_mocogan`; ``call_step(optimizers, x_real) -> dict``.

    With ``ema_decay`` (or a previous run's ``average`` to continue), the generator's weight average is updated
    after every step (inside the timed step: it is part of the training cost) and the snapshots and the metric
    are taken from the average instead of the live generator."""
    from ganlab.runtime import progress as progress_bar

    if steps < 1:
        raise ValueError("steps must be >= 1")
    if not isinstance(videos, torch.Tensor) or videos.dim() != 5:
        raise ValueError(f"videos must be a (N, C, T, H, W) tensor, got "
                         f"{tuple(videos.shape) if isinstance(videos, torch.Tensor) else type(videos).__name__}")
    if cpu_budget is not None and cpu_budget <= 0:
        raise ValueError(f"cpu_budget must be > 0 CPU seconds, got {cpu_budget}")
    device = torch.device(device) if device is not None else _device_of(G)
    for net in nets.values():
        net.to(device)
    optimizers = {name: _adam(net, lr, betas) if opts.get(name) is None else opts[name] for name, net in nets.items()}
    if average is None and ema_decay is not None:
        average = weight_average(G, ema_decay)          # a copy of G now; its first update copies G's weights
    if average is not None:
        average.to(device)
    history = VideoHistory(batch_size=batch_size, optimizers=optimizers, average=average)
    shown = G if average is None else average.module   # what the snapshots and the metric sample

    def train_step(optimizers, x_real):
        out = call_step(optimizers, x_real)
        if average is not None:
            average.update_parameters(G)
        return out
    every = snapshot_every or max(1, steps // 8)
    measure_every = metric_every or every

    def snapshot(i):
        if num_samples > 0:
            with _evaluating(shown), _on(device):   # the same seeded latents at every snapshot
                history.snapshots.append((i, _draw_videos(shown, num_samples, num_frames, seed + 1,
                                                          device).float().cpu()))

    def measure(i):
        if metric is not None:
            for name, value in (metric(i, shown) or {}).items():
                history.logs.setdefault(name, []).append((i, float(value)))

    snapshot(0)
    measure(0)
    batches = shuffled_batches(videos, batch_size, seed)
    bar = progress_bar(range(steps), desc="training", disable=None if progress else True)
    for i in bar:
        x_real = next(batches).to(device, non_blocking=True)
        start_cpu = clock()
        with _on(device):
            out, seconds = timed_call(train_step, optimizers, x_real, device=device)
        history.cpu_seconds += clock() - start_cpu
        history.seconds += seconds
        for name, value in out.items():
            history.losses.setdefault(name, []).append(float(value))
        history.d_loss.append(sum(float(out[k]) for k in totals["d"]))
        history.g_loss.append(sum(float(out[k]) for k in totals["g"]))
        history.steps = i + 1
        if hasattr(bar, "set_postfix") and i % 25 == 0:
            bar.set_postfix(d=f"{history.d_loss[-1]:.3f}", g=f"{history.g_loss[-1]:.3f}")
        history.stopped_by_budget = cpu_budget is not None and history.cpu_seconds >= cpu_budget
        last = history.stopped_by_budget or i + 1 == steps
        if (i + 1) % every == 0 or last:
            snapshot(i + 1)
        if (i + 1) % measure_every == 0 or last:
            measure(i + 1)
        if last:
            break
    if hasattr(bar, "close"):
        bar.close()
    for net in nets.values():
        net.train()
    return history


def fit_vgan(G: nn.Module, D: nn.Module, videos: torch.Tensor, *, steps: int, batch_size: int = 32,
             opt_g: torch.optim.Optimizer | None = None, opt_d: torch.optim.Optimizer | None = None,
             lr: float = 2e-4, betas=(0.5, 0.999), step: Callable = vgan_step, num_samples: int = 8,
             snapshot_every: int | None = None, metric: Callable | None = None, metric_every: int | None = None,
             cpu_budget: float | None = None, device=None, seed: int = 0, progress: bool = True,
             clock: Callable[[], float] = time.process_time, ema_decay: float | None = None,
             average: nn.Module | None = None) -> VideoHistory:
    """Train a VGAN (Vondrick et al. 2016) for ``steps`` iterations of ``step`` (default :func:`vgan_step`) on
    shuffled batches of ``videos`` (N, C, T, H, W) in [-1, 1] (on the CPU; batches move to ``device``, default G's).

    Optimizers not given are Adam(``lr``, ``betas``) over that net alone (Radford et al. 2016's setting, used by
    VGAN: 2e-4, (0.5, 0.999)); ``history.optimizers`` holds both, to continue training. Snapshots: ``num_samples``
    videos from fixed latents at step 0, every ``snapshot_every`` steps (default: 8 over the run) and at the end,
    in eval() + no_grad(). ``metric(step, G) -> dict | None`` (e.g. :func:`quality_metric`) at step 0, every
    ``metric_every`` steps (default: with the snapshots) and at the end, into ``history.logs``. ``cpu_budget``:
    stop once the CPU seconds (``clock``, ``time.process_time``) spent inside the steps reach it; snapshots and
    the metric are not counted. ``ema_decay`` (e.g. 0.999): keep an exponential moving average of G's weights
    and buffers (``ganlab.training.weight_average``; Yazici et al. 2019), updated after every step and returned
    in ``history.average`` (sample ``history.generator_average``); the snapshots and the metric then come from the
    average, never fed back into training. ``average``: a previous run's ``history.average``, to continue it.
    Returns a :class:`VideoHistory`.
    """
    opts = {"G": opt_g, "D": opt_d}

    def call_step(optimizers, x_real):
        return step(G, D, optimizers["G"], optimizers["D"], x_real)

    return _fit(call_step, G, {"G": G, "D": D}, opts, videos, steps=steps, batch_size=batch_size, lr=lr,
                betas=betas, num_samples=num_samples, num_frames=videos.shape[2] if videos.dim() == 5 else 0,
                snapshot_every=snapshot_every, metric=metric, metric_every=metric_every, cpu_budget=cpu_budget,
                device=device, seed=seed, progress=progress, clock=clock,
                totals={"d": ("loss_d",), "g": ("loss_g",)}, ema_decay=ema_decay, average=average)


def fit_mocogan(step: Callable, G: nn.Module, D_image: nn.Module, D_video: nn.Module, videos: torch.Tensor, *,
                steps: int, batch_size: int = 32, clip_length: int | None = None,
                opt_g: torch.optim.Optimizer | None = None, opt_d_image: torch.optim.Optimizer | None = None,
                opt_d_video: torch.optim.Optimizer | None = None, lr: float = 2e-4, betas=(0.5, 0.999),
                num_samples: int = 8, snapshot_every: int | None = None, metric: Callable | None = None,
                metric_every: int | None = None, cpu_budget: float | None = None, device=None, seed: int = 0,
                progress: bool = True, clock: Callable[[], float] = time.process_time,
                instance_noise: float = 0.0, ema_decay: float | None = None,
                average: nn.Module | None = None) -> VideoHistory:
    """Train a MoCoGAN (Tulyakov et al. 2018, sec. 3.2, eq. 1-2) with the lab's step
    ``step(G, D_image, D_video, opt_g, opt_d_image, opt_d_video, x_real, clip_length) -> dict`` (the student's
    ``mocogan_step``) on shuffled batches of ``videos`` (N, C, T, H, W) in [-1, 1]; G makes clips of the real
    clips' T. Everything else as in :func:`fit_vgan`: one Adam(``lr``, ``betas``) per net unless given (the
    paper trains with Adam, lr 2e-4, betas (0.5, 0.999)), fixed-latent snapshots (the same seeded z_C, eps, h0
    each time, through the current motion RNN), the metric, the CPU budget. ``instance_noise`` > 0: both
    discriminators see their inputs plus N(0, instance_noise^2) noise in training (:class:`InstanceNoise`).
    ``ema_decay`` / ``average``: a weight average of G, as in :func:`fit_vgan` (snapshots and metric from it).
    Returns a :class:`VideoHistory` whose ``d_loss`` / ``g_loss`` sum the image and video terms.
    """
    opts = {"G": opt_g, "D_image": opt_d_image, "D_video": opt_d_video}
    if instance_noise > 0:
        D_image, D_video = InstanceNoise(D_image, instance_noise), InstanceNoise(D_video, instance_noise)

    def call_step(optimizers, x_real):
        return step(G, D_image, D_video, optimizers["G"], optimizers["D_image"], optimizers["D_video"], x_real,
                    clip_length)

    return _fit(call_step, G, {"G": G, "D_image": D_image, "D_video": D_video}, opts, videos, steps=steps,
                batch_size=batch_size, lr=lr, betas=betas, num_samples=num_samples,
                num_frames=videos.shape[2] if videos.dim() == 5 else 0, snapshot_every=snapshot_every,
                metric=metric, metric_every=metric_every, cpu_budget=cpu_budget, device=device, seed=seed,
                progress=progress, clock=clock,
                totals={"d": ("loss_d_image", "loss_d_video"), "g": ("loss_g_image", "loss_g_video")},
                ema_decay=ema_decay, average=average)


# -- motion and content ---------------------------------------------------------------------------------------------

def ink_centroids(videos: torch.Tensor) -> torch.Tensor:
    """``(N, T, 2)``: the (x, y) = (column, row) centroid of each frame's ink, in pixels (pixel centres at k + 0.5),
    with pixel weights (v + 1) / 2 of the channel mean (background -1 weighs nothing); the frame's centre when a
    frame has no ink."""
    if not isinstance(videos, torch.Tensor) or videos.dim() != 5:
        raise ValueError("videos must be a (N, C, T, H, W) tensor")
    ink = ((videos.detach().float().mean(dim=1) + 1) / 2).clamp(0, 1)   # (N, T, H, W) in [0, 1]
    h, w = ink.shape[-2:]
    mass = ink.sum(dim=(2, 3))                                           # (N, T)
    rows = torch.arange(h, dtype=torch.float32, device=ink.device) + 0.5
    cols = torch.arange(w, dtype=torch.float32, device=ink.device) + 0.5
    safe = mass.clamp(min=1e-6)
    cy = torch.where(mass > 0, (ink.sum(3) * rows).sum(2) / safe, torch.full_like(mass, h / 2))
    cx = torch.where(mass > 0, (ink.sum(2) * cols).sum(2) / safe, torch.full_like(mass, w / 2))
    return torch.stack([cx, cy], dim=-1).cpu()


def motion_statistics(videos: torch.Tensor, static_threshold: float = 0.5) -> dict[str, float]:
    """Frame-to-frame motion of a set of videos ``(N, C, T, H, W)`` in [-1, 1], T >= 2, for a real-vs-generated
    table (the motion side of MoCoGAN's evaluation, Tulyakov et al. 2018 sec. 4, where ACD measures content):

    - ``displacement``: mean distance (pixels) the ink centroid (:func:`ink_centroids`) moves per frame step;
    - ``displacement_std``: the standard deviation of those moves over all steps of all videos;
    - ``static_fraction``: fraction of steps that move less than ``static_threshold`` pixels;
    - ``speed_change``: mean |d_{t+1} - d_t| between consecutive moves of a video (0 at constant speed; T >= 3);
    - ``frame_difference``: mean |x_{t+1} - x_t| over all pixels ([-1, 1] scale);
    - ``ink_change``: mean |m_{t+1} - m_t| / m_t of the total ink m_t of a frame (content appearing or vanishing).

    The centroid is that of all the ink of a frame: with several objects it moves with their mean position, so
    compare sets made alike (e.g. one digit per video).
    """
    if not isinstance(videos, torch.Tensor) or videos.dim() != 5 or videos.shape[2] < 2 or len(videos) == 0:
        raise ValueError("videos must be a non-empty (N, C, T, H, W) tensor with T >= 2")
    x = videos.detach().float()
    moves = (ink_centroids(x)[:, 1:] - ink_centroids(x)[:, :-1]).norm(dim=-1)    # (N, T - 1)
    speed_change = (moves[:, 1:] - moves[:, :-1]).abs().mean() if moves.shape[1] > 1 else torch.tensor(float("nan"))
    ink = ((x.mean(dim=1) + 1) / 2).clamp(0, 1).sum(dim=(2, 3)).cpu()          # (N, T)
    ink_change = (ink[:, 1:] - ink[:, :-1]).abs() / ink[:, :-1].clamp(min=1e-6)
    return {"displacement": float(moves.mean()), "displacement_std": float(moves.flatten().std(correction=0)),
            "static_fraction": float((moves < static_threshold).float().mean()),
            "speed_change": float(speed_change),
            "frame_difference": float((x[:, :, 1:] - x[:, :, :-1]).abs().mean()),
            "ink_change": float(ink_change.mean())}


def _motion_width(G: nn.Module) -> int:
    """The number of motion entries at the end of G's latent (the layout [z_C, z_A, z_M]): ``G.motion_dim`` when
    set, else the hidden size of the GRU cell inside G (the motion RNN)."""
    width = getattr(G, "motion_dim", None)
    if isinstance(width, int) and width > 0:
        return width
    cells = [m for m in G.modules() if isinstance(m, (nn.GRUCell, nn.GRU))]
    if len(cells) != 1:
        raise ValueError("cannot tell the motion width: set G.motion_dim (or keep exactly one GRU cell in G)")
    return cells[0].hidden_size


def content_motion_grids(G: nn.Module, rows: int = 3, cols: int = 4, num_frames: int = 16,
                         seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """MoCoGAN's disentanglement shown (Tulyakov et al. 2018, sec. 4, fig. 5-6): ``(content_fixed, motion_fixed)``,
    each ``(rows, cols, C, T, H, W)`` on the CPU, drawn in eval() + no_grad() from seeded latents.

    In a row of ``content_fixed`` every video keeps the content (z_C, and z_A when there are categories) of the
    row's first video and has its own motion codes z_M; in a row of ``motion_fixed`` every video keeps the motion
    codes z_M of the row's first video and has its own content. Only ``G.sample_latents`` and ``G(z)`` are used:
    z_M is the last motion-width entries of z ([z_C, z_A, z_M]).
    """
    if rows < 1 or cols < 1:
        raise ValueError("rows and cols must be >= 1")
    motion = _motion_width(G)
    device = _device_of(G)
    grids = []
    with _evaluating(G), _on(device):
        for offset, keep_motion in ((0, False), (1, True)):
            g = torch.Generator(device=device).manual_seed(seed + offset)
            z = G.sample_latents(rows * cols, num_frames, generator=g)
            z = z.view(rows, cols, *z.shape[1:]).clone()                   # (rows, cols, T, latent)
            if keep_motion:
                z[:, :, :, -motion:] = z[:, :1, :, -motion:]               # the row's motion codes for all
            else:
                z[:, :, :, :-motion] = z[:, :1, :, :-motion]               # the row's content for all
            video = G(z.flatten(0, 1)).float().cpu()                        # (rows * cols, C, T, H, W)
            grids.append(video.view(rows, cols, *video.shape[1:]))
    return grids[0], grids[1]


def frames_as_images(videos: torch.Tensor, every: int = 1) -> torch.Tensor:
    """``(N, C, T, H, W)`` -> ``(N * T', C, H, W)``: frames 0, every, 2 every, ... of each video, video after video,
    so that ``ganlab.plotting.image_grid(frames_as_images(v, k), nrow=T')`` draws one video per row
    (T' = ceil(T / every))."""
    if not isinstance(videos, torch.Tensor) or videos.dim() != 5 or every < 1:
        raise ValueError("videos must be (N, C, T, H, W) and every >= 1")
    picked = videos.detach()[:, :, ::every]                                 # (N, C, T', H, W)
    return picked.transpose(1, 2).flatten(0, 1)                             # (N * T', C, H, W)
