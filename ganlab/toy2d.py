"""2-D toy data and figures for GAN labs: mixtures of Gaussians, discriminator heat maps and a training loop.
(The R1 gradient penalty that Lab 2 uses to cover every mode is one of its exercises, so it is not here.)

The benchmark distributions follow Metz et al. (Unrolled GANs, 2017) and Srivastava et al.
(VEEGAN, 2017, Table 1): a ring of 8 Gaussians of radius 2 and std 0.02, and a 5 x 5 grid of
Gaussians at {-4, -2, 0, 2, 4}^2 with std 0.05. The ring's centres are an exercise of Lab 2, so
this module takes mode centres as an argument rather than building the ring itself.

Nothing here runs at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

#: Standard deviation of each ring component (VEEGAN, Table 1).
RING_STD = 0.02
#: Standard deviation of each grid component.
GRID_STD = 0.05


def grid_modes(values: Sequence[float] = (-4.0, -2.0, 0.0, 2.0, 4.0)):
    """Centres of the grid mixture: every pair of ``values``, a float32 tensor of shape (len(values)**2, 2)."""
    import torch

    v = torch.tensor(list(values), dtype=torch.float32)
    return torch.cartesian_prod(v, v)


def sample_mixture(modes, std: float, num_samples: int, generator=None):
    """Draw ``num_samples`` points from the equal-weight mixture of N(mode, std^2 I).

    Args:
        modes: tensor (M, 2) of centres.
        std: standard deviation of every component.
        num_samples: number of points N.
        generator: optional ``torch.Generator`` for reproducible draws.

    Returns:
        float32 tensor (N, 2).
    """
    import torch

    modes = torch.as_tensor(modes, dtype=torch.float32)
    which = torch.randint(len(modes), (num_samples,), generator=generator)
    noise = torch.randn(num_samples, modes.shape[1], generator=generator)
    return modes[which] + std * noise


def plane_grid(lim: float, resolution: int = 120):
    """Points of a square ``[-lim, lim]^2`` raster, shape (resolution**2, 2), row-major from the bottom."""
    import torch

    axis = torch.linspace(-lim, lim, resolution)
    yy, xx = torch.meshgrid(axis, axis, indexing="ij")
    return torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)


def discriminator_map(discriminator, lim: float, resolution: int = 120, probability: bool = True):
    """Evaluate a discriminator (that returns logits) over the plane, in eval mode and without gradients.

    Returns a NumPy array (resolution, resolution): sigmoid(D(x)) when ``probability``, else the raw score.
    """
    import torch

    was_training = discriminator.training
    discriminator.eval()
    try:
        param = next(discriminator.parameters(), None)
        device = param.device if param is not None else torch.device("cpu")
        with torch.no_grad():
            scores = discriminator(plane_grid(lim, resolution).to(device)).reshape(resolution, resolution).float()
            if probability:
                scores = torch.sigmoid(scores)
    finally:
        discriminator.train(was_training)
    return scores.cpu().numpy()


def draw_heatmap(ax, heat, samples, modes, lim: float, title: str = "", probability: bool = True):
    """Heat map of the discriminator's output with generated samples (dots) and mode centres (crosses)."""
    import numpy as np

    kwargs = {"vmin": 0.0, "vmax": 1.0, "cmap": "RdBu_r"} if probability else {"cmap": "RdBu_r"}
    image = ax.imshow(np.asarray(heat), origin="lower", extent=(-lim, lim, -lim, lim), **kwargs)
    pts = np.asarray(samples.detach().cpu() if hasattr(samples, "detach") else samples)
    # Dark dots with a thin white rim stay visible on the deep red and deep blue ends of the colour map.
    ax.scatter(pts[:, 0], pts[:, 1], s=7, c="k", alpha=0.7, edgecolors="white", linewidths=0.3, zorder=2)
    centres = np.asarray(modes.detach().cpu() if hasattr(modes, "detach") else modes)
    ax.scatter(centres[:, 0], centres[:, 1], s=60, marker="x", c="gold", linewidths=2.0, zorder=3)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)
    return image


@dataclass
class Snapshot:
    """What a training run looked like at one step: the D map and a batch of generated samples."""

    step: int
    heat: object
    samples: object


@dataclass
class History:
    """Per-step losses, periodic mode counts and snapshots of a 2-D GAN run."""

    d_loss: list = field(default_factory=list)
    g_loss: list = field(default_factory=list)
    coverage_steps: list = field(default_factory=list)
    modes: list = field(default_factory=list)
    quality: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)
    seconds: float = 0.0
    steps: int = 0


def run_training(step: Callable, generator, discriminator, sample_real: Callable, latent_dim: int,
                 num_steps: int, batch_size: int = 256, k: int = 1, evaluate: Callable | None = None,
                 eval_every: int = 500, snapshot_at: Sequence[int] = (), lim: float = 3.0,
                 probability: bool = True, time_budget: float | None = None, num_eval: int = 2500,
                 progress: bool = True) -> History:
    """Drive a 2-D GAN: call ``step(real_batches, noise_batches)`` ``num_steps`` times and record it.

    ``step`` receives ``real_batches`` of shape (k, batch_size, 2) and ``noise_batches`` of shape
    (k + 1, batch_size, latent_dim) and returns ``(d_loss, g_loss)`` as floats. ``evaluate(samples)``
    (e.g. a mode-coverage metric) returns ``(modes, quality)`` and runs every ``eval_every`` steps on
    ``num_eval`` samples drawn in eval mode without gradients. ``snapshot_at`` lists steps at which the
    discriminator map is recorded (and ``evaluate`` runs as well). ``time_budget`` (seconds) stops the run early.
    """
    import time

    import torch

    from ganlab import runtime

    param = next(generator.parameters())
    device = param.device
    eval_noise = torch.randn(num_eval, latent_dim, device=device)
    history = History()
    marks = set(snapshot_at)

    def look(step_index, final=False):
        generator.eval()
        with torch.no_grad():
            samples = generator(eval_noise).cpu()
        generator.train()
        # Snapshot steps are evaluated too, so every panel can show its mode count.
        if evaluate is not None and (final or step_index % eval_every == 0 or step_index in marks):
            found, quality = evaluate(samples)
            history.coverage_steps.append(step_index)
            history.modes.append(int(found))
            history.quality.append(float(quality))
        if step_index in marks:
            heat = discriminator_map(discriminator, lim, probability=probability)
            history.snapshots.append(Snapshot(step_index, heat, samples[:1000].numpy()))

    start = time.perf_counter()
    look(0)
    bar = runtime.progress(range(1, num_steps + 1), desc="training", disable=not progress or None)
    for i in bar:
        real = sample_real(k * batch_size).to(device).reshape(k, batch_size, -1)
        noise = torch.randn(k + 1, batch_size, latent_dim, device=device)
        d_loss, g_loss = step(real, noise)
        history.d_loss.append(float(d_loss))
        history.g_loss.append(float(g_loss))
        history.steps = i
        stop = time_budget is not None and time.perf_counter() - start > time_budget
        final = stop or i == num_steps
        if i % eval_every == 0 or i in marks or final:
            look(i, final)
        if stop:
            break
    history.seconds = time.perf_counter() - start
    return history


def smooth(values: Sequence[float], width: int = 50):
    """Moving average (for loss curves), same length as ``values``."""
    import numpy as np

    v = np.asarray(values, dtype=float)
    if len(v) == 0 or width <= 1:
        return v
    kernel = np.ones(min(width, len(v))) / min(width, len(v))
    return np.convolve(np.pad(v, (len(kernel) - 1, 0), mode="edge"), kernel, mode="valid")
