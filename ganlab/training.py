"""A small GAN training loop shared by the image labs (3 to 6).

The loop owns the plumbing (batches, devices, timing, fixed-noise snapshots, loss history); the lab
supplies the interesting parts as functions, usually the student's own::

    history = fit_gan(train_step, generator, discriminator, opt_g, opt_d, images,
                      steps=2000, batch_size=64, latent_dim=100, sample_fn=sample)

``train_step(generator, discriminator, opt_g, opt_d, x_real, z) -> (d_loss, g_loss)`` runs one
iteration; ``sample_fn(generator, z)`` draws images in evaluation mode for the progress snapshots.
Nothing here is specific to one architecture.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

import torch


def shuffled_batches(images: torch.Tensor, batch_size: int, seed: int = 0) -> Iterator[torch.Tensor]:
    """Endless mini-batches of ``images`` (N, ...): each pass is a fresh permutation; a short last batch is dropped."""
    if batch_size < 1 or batch_size > len(images):
        raise ValueError(f"batch_size must be between 1 and the number of images ({len(images)}), got {batch_size}")
    g = torch.Generator().manual_seed(seed)
    while True:
        order = torch.randperm(len(images), generator=g)
        for start in range(0, len(images) - batch_size + 1, batch_size):
            yield images[order[start:start + batch_size]]


def timed_call(fn: Callable, *args, device=None):
    """``(fn(*args), seconds)``: the wall time of one training step. On a CUDA device the clock stops only when the
    device has finished (kernels run asynchronously), so the seconds are the step's, not its launch's."""
    start = time.perf_counter()
    out = fn(*args)
    if device is not None and torch.device(device).type == "cuda":
        torch.cuda.synchronize(device)
    return out, time.perf_counter() - start


@dataclass
class History:
    """What a run leaves behind: losses per step, snapshots of the fixed-noise samples, and timing."""

    d_loss: list[float] = field(default_factory=list)
    g_loss: list[float] = field(default_factory=list)
    snapshots: list[tuple[int, torch.Tensor]] = field(default_factory=list)  # (step, images on the CPU)
    seconds: float = 0.0
    steps: int = 0
    stopped_by_budget: bool = False
    batch_size: int = 0
    logs: dict[str, list[tuple[int, float]]] = field(default_factory=dict)  # name -> [(step, value)] from monitor

    @property
    def images_per_second(self) -> float:
        """Training throughput: real images consumed per second of train_step time."""
        return self.steps * self.batch_size / self.seconds if self.seconds > 0 else float("nan")


def fit_gan(train_step: Callable, generator: torch.nn.Module, discriminator: torch.nn.Module,
            opt_g: torch.optim.Optimizer, opt_d: torch.optim.Optimizer, images: torch.Tensor, *, steps: int,
            batch_size: int = 64, latent_dim: int = 100, device=None, sample_fn: Callable | None = None,
            fixed_z: torch.Tensor | None = None, snapshot_every: int | None = None, time_budget: float | None = None,
            seed: int = 0, progress: bool = True, monitor: Callable | None = None) -> History:
    """Train for ``steps`` iterations (or until ``time_budget`` seconds have passed) and return a :class:`History`.

    Args:
        images: real training images (N, C, H, W) in [-1, 1], on the CPU; batches move to ``device``.
        fixed_z: latents for the progress snapshots (default: 64 drawn from ``seed``); the same codes at every
            snapshot show how one set of samples evolves.
        snapshot_every: take a snapshot every this many steps (default: 8 snapshots over the run); the first is
            at step 0 (the untrained generator) and the last at the final step.
        time_budget: wall-clock seconds of training after which the loop stops early (snapshots and
            sampling are not counted).
        monitor: optional ``monitor(step, generator, discriminator, x_real, z) -> dict[str, float] | None``,
            called before every step with that step's batch and latents (and once more after the last step,
            with ``x_real`` and ``z`` of the last step); each returned value is appended to
            ``history.logs[name]`` as ``(step, value)``. Its time is not counted in ``history.seconds``; it
            decides itself how often it measures (return None to skip a step).
    """
    from ganlab.runtime import progress as progress_bar

    if steps < 1:
        raise ValueError("steps must be >= 1")
    device = torch.device(device) if device is not None else next(generator.parameters()).device
    noise = torch.Generator().manual_seed(seed + 1)
    if fixed_z is None:
        fixed_z = torch.randn(64, latent_dim, generator=noise)
    fixed_z = fixed_z.to(device)
    every = snapshot_every or max(1, steps // 8)
    history = History(batch_size=batch_size)

    def log(step, x_real, z):
        if monitor is not None:
            for name, value in (monitor(step, generator, discriminator, x_real, z) or {}).items():
                history.logs.setdefault(name, []).append((step, float(value)))

    def snapshot(step):
        if sample_fn is not None:
            history.snapshots.append((step, sample_fn(generator, fixed_z).detach().float().cpu()))

    snapshot(0)
    batches = shuffled_batches(images, batch_size, seed)
    bar = progress_bar(range(steps), desc="training", disable=None if progress else True)
    for step in bar:
        x_real = next(batches).to(device, non_blocking=True)
        z = torch.randn(batch_size, latent_dim, generator=noise).to(device)
        log(step, x_real, z)
        (d_loss, g_loss), seconds = timed_call(train_step, generator, discriminator, opt_g, opt_d, x_real, z,
                                               device=device)
        history.seconds += seconds
        history.d_loss.append(float(d_loss))
        history.g_loss.append(float(g_loss))
        history.steps = step + 1
        if hasattr(bar, "set_postfix") and step % 50 == 0:
            bar.set_postfix(d_loss=f"{float(d_loss):.3f}", g_loss=f"{float(g_loss):.3f}")
        budget_hit = time_budget is not None and history.seconds >= time_budget
        if (step + 1) % every == 0 or step + 1 == steps or budget_hit:
            snapshot(step + 1)
            if step + 1 == steps or budget_hit:
                log(step + 1, x_real, z)
        if budget_hit:
            history.stopped_by_budget = True
            break
    if hasattr(bar, "close"):
        bar.close()
    return history


@contextmanager
def frozen_buffers(*modules: torch.nn.Module):
    """Whatever runs inside, the modules' buffers (batch-norm running statistics) come back unchanged, so a
    monitor can call networks in training mode without changing what training or sampling later use."""
    saved = [{name: b.detach().clone() for name, b in m.named_buffers()} for m in modules]
    try:
        yield
    finally:
        with torch.no_grad():
            for m, buffers in zip(modules, saved):
                for name, b in m.named_buffers():
                    b.copy_(buffers[name])


def discriminator_probabilities(generator: torch.nn.Module, discriminator: torch.nn.Module, x_real: torch.Tensor,
                                z: torch.Tensor) -> dict[str, float]:
    """Mean D(x) and D(G(z)) (sigmoid of D's logits) on one batch, as the networks see it in training: in their
    current mode, without gradients, buffers left unchanged. A monitor for :func:`fit_gan`."""
    with torch.no_grad(), frozen_buffers(generator, discriminator):
        d_real = torch.sigmoid(discriminator(x_real).float()).mean()
        d_fake = torch.sigmoid(discriminator(generator(z)).float()).mean()
    return {"D(x)": float(d_real), "D(G(z))": float(d_fake)}


def weight_average(generator: torch.nn.Module, decay: float = 0.999) -> torch.nn.Module:
    """An exponential moving average of ``generator``'s weights, for sampling and evaluation only.

    Averaging the generator's iterates (Yazici et al. 2019, "The Unusual Effectiveness of Averaging in GAN
    Training", eq. 2: theta_EMA <- decay * theta_EMA + (1 - decay) * theta) damps the oscillation that the
    two-player game leaves in the last iterate; ProGAN, BigGAN and StyleGAN all sample from such an average.
    The average never feeds back into training: the discriminator still plays against the live generator.

    Returns a ``torch.optim.swa_utils.AveragedModel`` (a deep copy; buffers such as batch-norm running
    statistics are averaged too) whose first update copies the live weights, so the random initialisation is not
    averaged in. Call ``.update_parameters(generator)`` after every generator step; evaluate
    with the returned model (``.eval()``, ``torch.no_grad()``), or with its ``.module``.
    """
    if not 0.0 <= decay < 1.0:
        raise ValueError(f"decay must be in [0, 1), got {decay!r}")
    from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
    return AveragedModel(generator, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=True)
