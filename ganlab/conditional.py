"""Conditional GANs (Lab 4): training loops with labels, and the measurements of the quality figures.

The loops reuse ``ganlab.training`` (shuffled batches, :class:`~ganlab.training.History`); the lab supplies the
interesting parts as functions, usually the student's own::

    history = fit_conditional(cgan_train_step, generator, discriminator, opt_g, opt_d, images, labels,
                              steps=2000, latent_dim=64, sample_fn=sample_class_grid)

``train_step(generator, discriminator, opt_g, opt_d, x_real, y_real, z, y_fake) -> (d_loss, g_loss)``.
For ACGAN, :func:`acgan_step` turns the two loss functions into such a step; for InfoGAN,
:func:`fit_infogan` runs the lab's ``infogan_step`` in a loop around a sampler of the codes and a Q loss.

Measurements (all on images in [-1, 1], classified by an independent classifier trained on real digits only,
:func:`real_digits_classifier`): :func:`per_class_accuracy`, :func:`intra_class_spread`,
:func:`best_permutation_accuracy`. Importing this module has no side effects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F

from ganlab.training import History, shuffled_batches, timed_call

ASSETS = Path(__file__).resolve().parent / "assets"
#: The independent classifier of the quality figures: ganlab.nets.SmallDigitsClassifier trained on the real digits'
#: training split only (tools/train_real_digits_classifier.py).
REAL_DIGITS_WEIGHTS = ASSETS / "real_digits_classifier.pt"


def real_digits_classifier():
    """The independent digits classifier (trained on the real digits' training split only), in eval mode."""
    from ganlab.nets import SmallDigitsClassifier

    model = SmallDigitsClassifier()
    if not REAL_DIGITS_WEIGHTS.exists():
        raise FileNotFoundError(f"{REAL_DIGITS_WEIGHTS} is missing: run python -m tools.train_real_digits_classifier")
    model.load_state_dict(torch.load(REAL_DIGITS_WEIGHTS, weights_only=True))
    return model.eval()


def fit_conditional(train_step: Callable, generator, discriminator, opt_g, opt_d, images: torch.Tensor,
                    labels: torch.Tensor, *, steps: int, batch_size: int = 64, latent_dim: int = 64,
                    num_classes: int = 10, device=None, sample_fn: Callable | None = None,
                    fixed_z: torch.Tensor | None = None, snapshot_every: int | None = None,
                    time_budget: float | None = None, seed: int = 0, progress: bool = True,
                    monitor: Callable | None = None) -> History:
    """Train a conditional GAN for ``steps`` iterations (or ``time_budget`` seconds) and return a History.

    ``ganlab.training.fit_gan`` runs the loop; here each of its batches is a batch of indices, turned into real
    images with their labels, and fresh fake labels uniform over the classes are drawn for
    ``train_step(generator, discriminator, opt_g, opt_d, x_real, y_real, z, y_fake)``.
    ``sample_fn(generator, fixed_z, num_classes)`` (e.g. the lab's ``sample_class_grid``) makes the snapshots
    (default ``fixed_z``: 8 latents); ``monitor()`` may return a dict of numbers, recorded with the step in
    ``history.metrics`` at every snapshot.
    """
    from ganlab.training import fit_gan

    if len(images) != len(labels):
        raise ValueError("images and labels must have the same length")
    device = torch.device(device) if device is not None else next(generator.parameters()).device
    fake_labels = torch.Generator().manual_seed(seed + 2)
    if fixed_z is None:
        fixed_z = torch.randn(8, latent_dim, generator=torch.Generator().manual_seed(seed + 1))
    metrics: list = []

    def step(generator, discriminator, opt_g, opt_d, index, z):
        index = index.cpu()
        y_fake = torch.randint(0, num_classes, (len(z),), generator=fake_labels).to(device)
        return train_step(generator, discriminator, opt_g, opt_d, images[index].to(device),
                          labels[index].to(device), z, y_fake)

    def snapshot(generator, z):
        if monitor is not None:
            metrics.append(monitor())
        if sample_fn is None:
            return torch.zeros(0)
        return sample_fn(generator, z, num_classes)

    history = fit_gan(step, generator, discriminator, opt_g, opt_d, torch.arange(len(images)), steps=steps,
                      batch_size=batch_size, latent_dim=latent_dim, device=device, sample_fn=snapshot,
                      fixed_z=fixed_z, snapshot_every=snapshot_every, time_budget=time_budget, seed=seed,
                      progress=progress)
    history.metrics = [(s, m) for (s, _), m in zip(history.snapshots, metrics)]
    return history


def acgan_step(d_loss_fn: Callable, g_loss_fn: Callable, classify_fakes: bool = False) -> Callable:
    """A conditional train step for an ACGAN discriminator ``D(x) -> (source_logits, class_logits)``.

    ``d_loss_fn(source_real, class_real, y_real, source_fake, class_fake, y_fake)`` and
    ``g_loss_fn(source_fake, class_fake, y_fake)`` are the lab's ACGAN losses; the step detaches the fakes in the
    discriminator's update and uses the updated discriminator for the generator's.

    ``classify_fakes=False`` (the default) also detaches the fakes' class logits in the discriminator's update:
    the value of ``d_loss_fn`` is unchanged (all four terms), but D's class head learns from the real images only,
    as in PyTorch-StudioGAN's ACGAN (its discriminator's class loss is on real images unless ``aux_cls_type`` is
    TAC or ADC). With the class term of the fakes in D's gradient (``classify_fakes=True``, Odena et al.'s L_C),
    D and G can agree on fakes that D calls class k but that no reader of real digits would (measured with the
    independent judge in ``benchmarks/lab4.md``).
    The generator's update always uses the fakes' class term.
    """

    def step(generator, discriminator, opt_g, opt_d, x_real, y_real, z, y_fake):
        x_fake = generator(z, y_fake)
        opt_d.zero_grad()
        source_real, class_real = discriminator(x_real)
        source_fake, class_fake = discriminator(x_fake.detach())
        if not classify_fakes:
            class_fake = class_fake.detach()   # D learns the classes from real images only
        objective_d = d_loss_fn(source_real, class_real, y_real, source_fake, class_fake, y_fake)
        objective_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        source_fake, class_fake = discriminator(x_fake)
        objective_g = g_loss_fn(source_fake, class_fake, y_fake)
        objective_g.backward()
        opt_g.step()
        return objective_d.item(), objective_g.item()

    return step


# -- measurements -----------------------------------------------------------------------------------------


@torch.no_grad()
def classify(classifier, images: torch.Tensor, batch_size: int = 500) -> tuple[torch.Tensor, torch.Tensor]:
    """``(features (N, F), predicted labels (N,))`` of ``images`` by ``classifier`` (features_and_logits)."""
    feats, preds = [], []
    for start in range(0, len(images), batch_size):
        f, logits = classifier.features_and_logits(images[start:start + batch_size].cpu())
        feats.append(f)
        preds.append(logits.argmax(1))
    return torch.cat(feats), torch.cat(preds)


def per_class_accuracy(predicted: torch.Tensor, labels: torch.Tensor, num_classes: int = 10) -> torch.Tensor:
    """Fraction of samples of each class k (``labels == k``) that are predicted as k: a float tensor (K,)."""
    acc = torch.full((num_classes,), float("nan"))
    for k in range(num_classes):
        mask = labels == k
        if mask.any():
            acc[k] = (predicted[mask] == k).float().mean()
    return acc


def intra_class_spread(features: torch.Tensor, labels: torch.Tensor, num_classes: int = 10) -> torch.Tensor:
    """Diversity within each class: the mean squared distance of a class's features to their class mean (K,).

    Equal to half the mean squared distance between two samples of the class (the trace of its covariance):
    a generator that draws only the easiest, most typical version of a class has a small spread.
    """
    spread = torch.full((num_classes,), float("nan"))
    for k in range(num_classes):
        f = features[labels == k].double()
        if len(f) > 1:
            spread[k] = float((f - f.mean(0)).square().sum(1).mean())
    return spread


def best_permutation_accuracy(codes: torch.Tensor, labels: torch.Tensor, num_classes: int = 10) -> tuple[float, list]:
    """Accuracy of categorical ``codes`` as labels under the best one-to-one matching of codes to classes.

    InfoGAN's categorical code is learned without labels, so code 3 may mean digit 7: count the co-occurrences
    and find the matching with the most agreements (the Hungarian algorithm, ``scipy.optimize.
    linear_sum_assignment``). Returns ``(accuracy, mapping)`` with ``mapping[code] = class``.
    """
    from scipy.optimize import linear_sum_assignment

    counts = torch.zeros(num_classes, num_classes, dtype=torch.long)
    for c, y in zip(codes.tolist(), labels.tolist()):
        counts[c, y] += 1
    rows, cols = linear_sum_assignment(-counts.numpy())
    mapping = [0] * num_classes
    for r, c in zip(rows, cols):
        mapping[r] = int(c)
    return float(counts[rows, cols].sum()) / max(1, len(codes)), mapping


def fit_infogan(train_step: Callable, generator, discriminator, opt_g, opt_d, opt_info, images: torch.Tensor,
                latent_fn: Callable, q_loss_fn: Callable, *, steps: int, noise_dim: int, num_categories: int = 10,
                num_continuous: int = 2, batch_size: int = 64, info_weight: float = 1.0, device=None,
                time_budget: float | None = None, seed: int = 0, progress: bool = True) -> History:
    """InfoGAN (Chen et al. 2016) on unlabelled ``images``: the lab's step, code sampler and Q loss in a loop.

    Networks: ``generator(torch.cat([z, c_cont], 1), c_cat)`` (the lab's ConditionalGenerator appends
    one_hot(c_cat) itself, so its input is [z, c_cont, one_hot(c_cat)]: the codes of ``latent_fn`` in another
    order), and ``discriminator(x) -> (source_logits (B,), head (B, K + C))`` whose second output holds the
    categorical logits then the continuous means: Q shares D's whole trunk.

    Per step, fresh codes from ``latent_fn`` (seeded by ``seed``) and a shuffled real batch go to
    ``train_step(generator, discriminator, opt_g, opt_d, opt_info, x_real, z, c_cat, c_cont, q_loss_fn,
    info_weight) -> (d_loss, g_loss, info_loss)`` (the lab's ``infogan_step``; the optimizers from its
    ``infogan_optimizers``). ``history.g_loss`` records the adversarial G loss and ``history.info_loss`` the
    information loss.
    """
    from ganlab.runtime import progress as progress_bar

    device = torch.device(device) if device is not None else next(generator.parameters()).device
    noise = torch.Generator().manual_seed(seed + 1)
    history = History(batch_size=batch_size)
    history.info_loss = []
    batches = shuffled_batches(images, batch_size, seed)

    bar = progress_bar(range(steps), desc="InfoGAN", disable=None if progress else True)
    for step in bar:
        x_real = next(batches).to(device)
        latent, c_cat, c_cont = latent_fn(batch_size, noise_dim, num_categories, num_continuous, generator=noise)
        (loss_d, loss_g, info), seconds = timed_call(train_step, generator, discriminator, opt_g, opt_d, opt_info,
                                                     x_real, latent[:, :noise_dim].to(device), c_cat.to(device),
                                                     c_cont.to(device), q_loss_fn, info_weight, device=device)
        history.seconds += seconds
        history.d_loss.append(float(loss_d))
        history.g_loss.append(float(loss_g))
        history.info_loss.append(float(info))
        history.steps = step + 1
        if hasattr(bar, "set_postfix") and step % 50 == 0:
            bar.set_postfix(d_loss=f"{float(loss_d):.3f}", info=f"{float(info):.3f}")
        if time_budget is not None and history.seconds >= time_budget:
            history.stopped_by_budget = True
            break
    if hasattr(bar, "close"):
        bar.close()
    return history
