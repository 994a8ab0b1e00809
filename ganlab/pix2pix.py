"""pix2pix (Lab 5): the training loop around a pix2pix step, translation in either mode, and measurements.

The lab supplies the interesting parts, usually the student's own::

    history = fit_pix2pix(pix2pix_step, G, D, opt_g, opt_d, x_train, y_train, steps=1500, batch_size=16,
                          lambda_l1=100.0, fixed_x=x_test[:8])

``step(G, D, opt_g, opt_d, x, y, lambda_l1) -> {"loss_d", "loss_g", "loss_gan", "loss_l1"}`` (Python floats)
runs one iteration; :func:`l1_only_step` is the "L1 alone" baseline with the same signature (D is left
untouched). Batches come from :func:`ganlab.training.shuffled_batches` over indices, so the pairs stay aligned.

Measurements on images in [-1, 1]: :func:`translate` (eval or train mode, no gradients, the mode restored),
:func:`quality` (PSNR, SSIM, sharpness and colourfulness ratios on held-out pairs, from ``ganlab.quality``),
:func:`dropout_spread` (how much the output changes over dropout masks, against how much it changes over
inputs), :func:`patch_probabilities` (D's map of sigmoid(logits)). Importing this module has no side effects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
import torch.nn.functional as F

from ganlab.training import shuffled_batches, timed_call

#: The names every step returns, in the order the curves are drawn.
LOSS_NAMES = ("loss_d", "loss_g", "loss_gan", "loss_l1")


@dataclass
class Pix2PixHistory:
    """What a run leaves behind: the step's losses, snapshots of the fixed inputs' outputs, and timing."""

    losses: dict[str, list[float]] = field(default_factory=lambda: {name: [] for name in LOSS_NAMES})
    snapshots: list[tuple[int, torch.Tensor]] = field(default_factory=list)  # (step, outputs on the CPU)
    metrics: list[tuple[int, dict[str, float]]] = field(default_factory=list)  # (step, monitor's numbers)
    seconds: float = 0.0
    steps: int = 0
    batch_size: int = 0
    #: with ``ema_decay``: the exponential moving average of G's weights (``ganlab.training.weight_average``),
    #: the generator to evaluate; ``None`` otherwise
    average: torch.nn.Module | None = None
    lr: list[float] = field(default_factory=list)  # G's learning rate at each step


def adam(net: torch.nn.Module, lr: float = 2e-4) -> torch.optim.Adam:
    """The paper's optimizer (Isola et al. 2017, sec. 3.3): Adam, lr 2e-4, betas (0.5, 0.999)."""
    return torch.optim.Adam(net.parameters(), lr=lr, betas=(0.5, 0.999))


def l1_only_step(G, D, opt_g, opt_d, x, y, lambda_l1=100.0) -> dict[str, float]:
    """The "L1 alone" baseline with a pix2pix step's signature: one Adam step of G on mean |G(x) - y|.

    D and opt_d are not used (D's loss is reported as nan); ``loss_g`` is the L1 term times ``lambda_l1`` so
    that its scale matches the other runs' (minimising it is the same as minimising the L1 term).
    """
    opt_g.zero_grad()
    loss_l1 = F.l1_loss(G(x), y)
    (lambda_l1 * loss_l1).backward()
    opt_g.step()
    value = loss_l1.item()
    return {"loss_d": float("nan"), "loss_g": lambda_l1 * value, "loss_gan": float("nan"), "loss_l1": value}


@torch.no_grad()
def translate(G: torch.nn.Module, x: torch.Tensor, train_mode: bool = False, batch_size: int = 64,
              seed: int | None = None) -> torch.Tensor:
    """G(x) without gradients, in evaluation mode (default) or in training mode (dropout on, batch statistics of
    each chunk of ``batch_size``, as the paper does at test time), on the CPU. G's mode is restored and its
    batch-norm running statistics are left unchanged. ``seed`` fixes the dropout masks."""
    from ganlab.training import frozen_buffers

    device = next(G.parameters()).device
    was_training = G.training
    G.train(train_mode)
    if seed is not None:
        torch.manual_seed(seed)
    try:
        with frozen_buffers(G):
            out = [G(x[i:i + batch_size].to(device)).float().cpu() for i in range(0, len(x), batch_size)]
    finally:
        G.train(was_training)
    return torch.cat(out)


def quality(y_fake: torch.Tensor, y_real: torch.Tensor) -> dict[str, float]:
    """PSNR (dB), SSIM, sharpness ratio (mean luminance gradient magnitude of the outputs over the targets') and,
    for RGB targets that are not all grey, the colourfulness ratio (Hasler and Suesstrunk 2003, outputs over
    targets) and the chroma sharpness ratio (mean gradient magnitude of a*b*, ``ganlab.colour.chroma_sharpness``,
    outputs over targets; below 1: colours smeared) of outputs against their targets, all images in [-1, 1]
    (``ganlab.quality``)."""
    from ganlab.colour import chroma_sharpness
    from ganlab.quality import colourfulness, colourfulness_ratio, psnr, sharpness_ratio, ssim

    out = {"psnr": float(psnr(y_fake, y_real)), "ssim": float(ssim(y_fake, y_real)),
           "sharpness": float(sharpness_ratio(y_fake, y_real))}
    if y_fake.shape[1] == 3 and colourfulness(y_real) > 0:
        out["colourfulness"] = float(colourfulness_ratio(y_fake, y_real))
        out["chroma sharpness"] = chroma_sharpness(y_fake) / chroma_sharpness(y_real)
    return out


def fit_pix2pix(step: Callable, G: torch.nn.Module, D: torch.nn.Module, opt_g, opt_d, x: torch.Tensor,
                y: torch.Tensor, *, steps: int, batch_size: int = 16, lambda_l1: float = 100.0, device=None,
                fixed_x: torch.Tensor | None = None, snapshot_every: int | None = None, seed: int = 0,
                progress: bool = True, monitor: Callable | None = None, flip: bool = False,
                ema_decay: float | None = None, decay_steps: int = 0) -> Pix2PixHistory:
    """Train for ``steps`` iterations of ``step`` on shuffled aligned pairs ``(x[i], y[i])``.

    Args:
        x, y: conditions and targets (N, C, H, W) in [-1, 1] on the CPU, aligned; batches move to ``device``.
        fixed_x: inputs whose outputs are snapshot (in evaluation mode, no gradients) at step 0, every
            ``snapshot_every`` steps (default: 8 snapshots) and at the end; the same inputs at every snapshot show
            how one set of outputs evolves.
        monitor: optional ``monitor(step, G, D) -> dict[str, float]`` called at every snapshot; its numbers are
            recorded in ``history.metrics``. Neither snapshots nor the monitor count in ``history.seconds``.
        flip: augment with horizontal flips: each pair of a batch is mirrored (condition and target together, so
            they stay aligned) with probability 1/2, drawn from a generator seeded with ``seed``. The paper
            mirrors its training pairs too (Isola et al. 2017, appendix 6.2: "random jitter and mirroring").
        ema_decay: keep an exponential moving average of G's weights and buffers with this decay
            (``ganlab.training.weight_average``, Yazici et al. 2019), updated after every step, in
            ``history.average``; snapshots and the monitor then see the average, the generator to evaluate. The
            step itself (and so D) still trains the live G: the average never feeds back into training.
        decay_steps: over the last ``decay_steps`` steps both learning rates fall linearly to 0 (constant
            before), the schedule of the pix2pix authors' code (``--n_epochs`` constant, then ``--n_epochs_decay``
            linear decay; Isola et al. 2017 train this way on their larger data sets). 0: constant throughout.
    """
    from ganlab.runtime import progress as progress_bar

    if steps < 1:
        raise ValueError("steps must be >= 1")
    if len(x) != len(y):
        raise ValueError(f"x and y must be aligned pairs, got {len(x)} and {len(y)} images")
    if not 0 <= decay_steps <= steps:
        raise ValueError(f"decay_steps must be between 0 and steps ({steps}), got {decay_steps}")
    device = torch.device(device) if device is not None else next(G.parameters()).device
    every = snapshot_every or max(1, steps // 8)
    history = Pix2PixHistory(batch_size=batch_size)
    if ema_decay is not None:
        from ganlab.training import weight_average
        history.average = weight_average(G, ema_decay)
    judged = history.average if history.average is not None else G  # what snapshots and the monitor see
    # the learning rates as given, scaled at step i (0-based) by 1 until the decay starts, then by
    # (steps - i) / decay_steps: the last step runs at lr / decay_steps, and the rate would reach 0 after it
    groups = [group for opt in (opt_g, opt_d) if opt is not None for group in opt.param_groups]
    initial_lr = [group["lr"] for group in groups]

    def snapshot(i):
        if fixed_x is not None:
            history.snapshots.append((i, translate(judged, fixed_x)))
        if monitor is not None:
            history.metrics.append((i, dict(monitor(i, judged, D))))

    snapshot(0)
    batches = shuffled_batches(torch.arange(len(x)), batch_size, seed)
    coins = torch.Generator().manual_seed(seed)
    bar = progress_bar(range(steps), desc="training", disable=None if progress else True)
    for i in bar:
        index = next(batches)
        x_batch, y_batch = x[index], y[index]
        if flip:
            mirror = (torch.rand(len(index), generator=coins) < 0.5).view(-1, 1, 1, 1)
            x_batch = torch.where(mirror, x_batch.flip(-1), x_batch)
            y_batch = torch.where(mirror, y_batch.flip(-1), y_batch)
        x_batch, y_batch = x_batch.to(device), y_batch.to(device)
        if decay_steps and i >= steps - decay_steps:
            for group, lr in zip(groups, initial_lr):
                group["lr"] = lr * (steps - i) / decay_steps
        losses, seconds = timed_call(step, G, D, opt_g, opt_d, x_batch, y_batch, lambda_l1, device=device)
        history.lr.append(opt_g.param_groups[0]["lr"])
        if history.average is not None:  # part of the training's cost, so timed with it
            seconds += timed_call(history.average.update_parameters, G, device=device)[1]
        history.seconds += seconds
        for name in LOSS_NAMES:
            history.losses[name].append(float(losses[name]))
        history.steps = i + 1
        if (i + 1) % every == 0 or i + 1 == steps:
            snapshot(i + 1)
    if hasattr(bar, "close"):
        bar.close()
    return history


def context_encoder_step(loss_fn: Callable, mask: torch.Tensor) -> Callable:
    """A context-encoder iteration (Pathak et al. 2016) with a pix2pix step's signature, for :func:`fit_pix2pix`.

    ``loss_fn(x_fill, x_real, mask, d_fake_logits) -> (loss, loss_rec, loss_adv)`` is the lab's
    ``context_encoder_loss``; ``mask`` (1, 1, H, W) marks the hole. x is the photo with its hole blanked, y the
    photo. The filled image keeps x outside the hole and G(x) inside; D (an unconditional image discriminator)
    learns real photos against filled ones (fills detached), then G minimises ``loss_fn``. The third argument of
    the returned step (``lambda_l1`` in pix2pix) is unused. Returns the four names of :data:`LOSS_NAMES`, with
    ``loss_l1`` holding the reconstruction term (a mean squared error over the hole).
    """
    def step(G, D, opt_g, opt_d, x, y, _unused=None):
        hole = mask.to(x.device)
        x_fill = x * (1 - hole) + G(x) * hole
        opt_d.zero_grad()
        real, fake = D(y), D(x_fill.detach())
        objective_d = 0.5 * (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
                           + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))
        objective_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss, loss_rec, loss_adv = loss_fn(x_fill, y, hole, D(x_fill))
        loss.backward()
        opt_g.step()
        return {"loss_d": objective_d.item(), "loss_g": loss.item(), "loss_gan": loss_adv.item(),
                "loss_l1": loss_rec.item()}

    return step


def mean_fill(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The trivial inpainting baseline: every hole pixel set to the mean colour of the image's visible pixels."""
    visible = 1 - mask
    mean = (x * visible).sum(dim=(2, 3), keepdim=True) / visible.sum(dim=(2, 3), keepdim=True)
    return x * visible + mean * mask


def triptych(x: torch.Tensor, y_fake: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Rows of (input | output | target) for an image grid with ``nrow=3``: (3N, C, H, W)."""
    return torch.stack([x.cpu(), y_fake.cpu(), y.cpu()], dim=1).flatten(0, 1)


@torch.no_grad()
def dropout_spread(G: torch.nn.Module, x: torch.Tensor, masks: int = 8, seed: int = 0) -> dict[str, float]:
    """How stochastic is the generator? Outputs of ``x`` under ``masks`` dropout masks in training mode (batch
    statistics of the whole batch, so only the masks change between passes).

    Returns ``{"over_masks": ..., "over_inputs": ...}``: the per-pixel variance across masks (averaged over
    inputs and pixels), and the per-pixel variance across the inputs of the batch (averaged over masks).
    """
    outs = torch.stack([translate(G, x, train_mode=True, batch_size=len(x), seed=seed + k) for k in range(masks)])
    return {"over_masks": float(outs.var(dim=0).mean()), "over_inputs": float(outs.var(dim=1).mean())}


@torch.no_grad()
def patch_probabilities(D: torch.nn.Module, pair: torch.Tensor) -> torch.Tensor:
    """D's sigmoid(logits) map on (condition, image) pairs in evaluation mode: (B, H', W') on the CPU."""
    was_training = D.training
    D.eval()
    try:
        return torch.sigmoid(D(pair.to(next(D.parameters()).device))).squeeze(1).float().cpu()
    finally:
        D.train(was_training)
