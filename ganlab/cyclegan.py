"""CycleGAN (Lab 6): the training loop around a CycleGAN step, translation, and measurements against ground truth.

The lab supplies the interesting parts, usually the student's own::

    history = fit_cyclegan(cyclegan_step, G, F, D_X, D_Y, opt_g, opt_d, x_train, y_train, steps=3000,
                           pools=(ImagePool(50), ImagePool(50)), schedule=linear_decay, fixed_x=x_test[:8])

``step(G, F, D_X, D_Y, opt_g, opt_d, x, y, pool_x, pool_y, lambda_cyc, lambda_idt) -> dict`` of Python floats
(:data:`LOSS_NAMES`) runs one iteration on an UNPAIRED pair of batches: x and y are drawn independently from the two
domains. ``schedule(epoch, n_constant, n_decay) -> multiplier`` drives a ``LambdaLR`` on both optimizers; an
"epoch" here is ``steps / (n_constant + n_decay)`` iterations, so the paper's 100 + 100 epochs map onto any step
budget. Measurements: :func:`translate` (evaluation mode, no gradients, mode restored) and :func:`scores`
(L1 and PSNR against the ground-truth translation, the attribute classifier's target-attribute and
other-attributes-preserved rates, and the cycle reconstruction error). Importing this module has no side effects.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable

import torch

from ganlab.training import shuffled_batches, timed_call

#: The names every step returns, in the order the curves are drawn.
LOSS_NAMES = ("loss_g", "gan_g", "gan_f", "cycle", "identity", "loss_d_x", "loss_d_y")


@dataclass
class CycleGANHistory:
    """What a run leaves behind: the step's losses, the learning rate, snapshots of fixed inputs, and timing."""

    losses: dict[str, list[float]] = field(default_factory=lambda: {name: [] for name in LOSS_NAMES})
    lr: list[float] = field(default_factory=list)                 # generators' learning rate at each step
    # (step, G(fixed_x), F(G(fixed_x))) on the CPU, in evaluation mode
    snapshots: list[tuple[int, torch.Tensor, torch.Tensor]] = field(default_factory=list)
    metrics: list[tuple[int, dict[str, float]]] = field(default_factory=list)   # (step, monitor's numbers)
    seconds: float = 0.0
    steps: int = 0
    batch_size: int = 0
    #: with ``ema_decay``: the exponential moving averages ``(G_avg, F_avg)`` of the two generators' weights and
    #: buffers (``ganlab.training.weight_average``), the generators to evaluate; ``None`` otherwise
    averages: tuple[torch.nn.Module, torch.nn.Module] | None = None


def adam(*nets: torch.nn.Module, lr: float = 2e-4) -> torch.optim.Adam:
    """The paper's optimizer (Zhu et al. 2017, sec. 4): Adam, lr 2e-4, betas (0.5, 0.999), ONE optimizer over the
    parameters of all ``nets`` (the authors' code: one for G and F, one for D_X and D_Y)."""
    params = itertools.chain.from_iterable(net.parameters() for net in nets)
    return torch.optim.Adam(params, lr=lr, betas=(0.5, 0.999))


@torch.no_grad()
def translate(net: torch.nn.Module, images: torch.Tensor, batch_size: int = 128) -> torch.Tensor:
    """``net(images)`` without gradients, in evaluation mode (instance norm behaves the same in both modes), on the
    CPU, in chunks of ``batch_size``; the net's mode is restored."""
    device = next(net.parameters()).device
    was_training = net.training
    net.eval()
    try:
        out = [net(images[i:i + batch_size].to(device)).float().cpu() for i in range(0, len(images), batch_size)]
    finally:
        net.train(was_training)
    return torch.cat(out) if out else images.new_zeros((0, *images.shape[1:]))


def scores(classifier, translated: torch.Tensor, truth: torch.Tensor, labels: dict[str, torch.Tensor],
           attribute: str, target, reconstructed: torch.Tensor | None = None,
           source: torch.Tensor | None = None) -> dict[str, float]:
    """:func:`ganlab.data.unpaired.translation_scores` (L1 and PSNR to the ground truth, target-attribute rate,
    other attributes preserved: ``others_all`` strict, ``others_mean`` per attribute) plus, when
    ``reconstructed`` = F(G(x)) and ``source`` = x are given, ``"cycle_l1"`` = mean |F(G(x)) - x| on the [-1, 1]
    scale."""
    from ganlab.data.unpaired import translation_scores

    out = translation_scores(classifier, translated, truth, labels, attribute, target)
    if reconstructed is not None:
        out["cycle_l1"] = float((reconstructed.cpu() - source.cpu()).abs().mean())
    return out


def fit_cyclegan(step: Callable, G: torch.nn.Module, F: torch.nn.Module, D_X: torch.nn.Module, D_Y: torch.nn.Module,
                 opt_g: torch.optim.Optimizer, opt_d: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor, *,
                 steps: int, pools: tuple, batch_size: int = 8, lambda_cyc: float = 10.0, lambda_idt: float = 0.5,
                 schedule: Callable | None = None, epochs: tuple[int, int] = (1, 1), device=None,
                 fixed_x: torch.Tensor | None = None, snapshot_every: int | None = None, seed: int = 0,
                 progress: bool = True, monitor: Callable | None = None,
                 ema_decay: float | None = None) -> CycleGANHistory:
    """Train for ``steps`` iterations of ``step`` on unpaired batches of ``x`` (domain X) and ``y`` (domain Y).

    Args:
        x, y: the two training sets (N_x, C, H, W) and (N_y, C, H, W) in [-1, 1] on the CPU; each is shuffled on
            its own (no pairing), batches move to ``device``.
        pools: ``(pool_x, pool_y)``, the image pools handed to every step (one per discriminator).
        schedule: optional ``schedule(epoch, n_constant, n_decay)``, e.g. the lab's ``linear_decay``; with
            ``epochs = (n_constant, n_decay)`` the run is cut into ``n_constant + n_decay`` equal "epochs" of
            steps and a ``LambdaLR`` on both optimizers steps at each boundary (the paper: 100 + 100).
        fixed_x: X inputs whose translations G(x) and reconstructions F(G(x)) are snapshot in evaluation mode at
            step 0, every ``snapshot_every`` steps (default: 8 snapshots) and at the end.
        monitor: optional ``monitor(step, G, F) -> dict[str, float]`` called at each snapshot, recorded in
            ``history.metrics``. Neither snapshots nor the monitor count in ``history.seconds``.
        ema_decay: keep an exponential moving average of each generator's weights and buffers with this decay
            (``ganlab.training.weight_average``; Yazici et al. 2019, eq. 2), updated after every step and timed
            with it, in ``history.averages = (G_avg, F_avg)``; snapshots and the monitor then see the averages, the
            generators to evaluate. The step (and so both discriminators) still trains the live G and F: the
            averages never feed back into training. ``None`` (default): no average.
    """
    from ganlab.runtime import progress as progress_bar

    if steps < 1:
        raise ValueError("steps must be >= 1")
    pool_x, pool_y = pools
    device = torch.device(device) if device is not None else next(G.parameters()).device
    every = snapshot_every or max(1, steps // 8)
    history = CycleGANHistory(batch_size=batch_size)
    if ema_decay is not None:
        from ganlab.training import weight_average
        history.averages = (weight_average(G, ema_decay), weight_average(F, ema_decay))
    judged_g, judged_f = history.averages or (G, F)   # what snapshots and the monitor see
    schedulers = []
    n_epochs = sum(epochs)
    if schedule is not None:
        n_constant, n_decay = epochs
        schedulers = [torch.optim.lr_scheduler.LambdaLR(opt, lambda e: schedule(e, n_constant, n_decay))
                      for opt in (opt_g, opt_d)]
    steps_per_epoch = steps / n_epochs

    def snapshot(i):
        if fixed_x is not None:
            y_fake = translate(judged_g, fixed_x)
            history.snapshots.append((i, y_fake, translate(judged_f, y_fake)))
        if monitor is not None:
            history.metrics.append((i, dict(monitor(i, judged_g, judged_f))))

    snapshot(0)
    batches_x = shuffled_batches(x, batch_size, seed)
    batches_y = shuffled_batches(y, batch_size, seed + 1)     # an independent order: the sets are unpaired
    epoch = 0
    bar = progress_bar(range(steps), desc="training", disable=None if progress else True)
    for i in bar:
        x_batch, y_batch = next(batches_x).to(device), next(batches_y).to(device)
        history.lr.append(opt_g.param_groups[0]["lr"])
        losses, seconds = timed_call(step, G, F, D_X, D_Y, opt_g, opt_d, x_batch, y_batch, pool_x, pool_y, lambda_cyc,
                                     lambda_idt, device=device)
        if history.averages is not None:   # part of the training's cost, so timed with it
            seconds += timed_call(_update_averages, history.averages, (G, F), device=device)[1]
        history.seconds += seconds
        for name in LOSS_NAMES:
            history.losses[name].append(float(losses[name]))
        history.steps = i + 1
        while schedulers and epoch + 1 < n_epochs and i + 1 >= round((epoch + 1) * steps_per_epoch):
            epoch += 1
            for scheduler in schedulers:
                scheduler.step()
        if (i + 1) % every == 0 or i + 1 == steps:
            snapshot(i + 1)
    if hasattr(bar, "close"):
        bar.close()
    return history


def _update_averages(averages, nets):
    for average, net in zip(averages, nets):
        average.update_parameters(net)


#: The norms :func:`swap_instance_norm` can put in place of a generator's InstanceNorm2d.
NORMS = ("instance", "instance_affine", "batch")


def swap_instance_norm(net: torch.nn.Module, norm: str) -> torch.nn.Module:
    """``net`` with every ``InstanceNorm2d`` replaced in place (returned for chaining); for measurements only.

    ``norm``: ``"instance"`` leaves the net as it is (the reference: no affine parameters, no running
    statistics); ``"instance_affine"`` gives each norm a learned per-channel scale and offset (still no running
    statistics: every image is normalised by its own mean and variance); ``"batch"`` uses ``BatchNorm2d`` of the
    same width (statistics shared across the batch while training, running averages in evaluation mode), which
    keeps each image's own colour statistics in the features. Lab 6 section 6 measures why that matters here.
    """
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {', '.join(NORMS)}, got {norm!r}")
    if norm == "instance":
        return net
    for name, child in net.named_children():
        if isinstance(child, torch.nn.InstanceNorm2d):
            width = child.num_features
            setattr(net, name, torch.nn.BatchNorm2d(width) if norm == "batch"
                    else torch.nn.InstanceNorm2d(width, affine=True))
        else:
            swap_instance_norm(child, norm)
    return net


def cycle_rows(x: torch.Tensor, y_fake: torch.Tensor, truth: torch.Tensor, x_rec: torch.Tensor) -> torch.Tensor:
    """Rows of (x | G(x) | truth | F(G(x))) for an image grid with ``nrow=4``: (4N, C, H, W)."""
    return torch.stack([x.cpu(), y_fake.cpu(), truth.cpu(), x_rec.cpu()], dim=1).flatten(0, 1)
