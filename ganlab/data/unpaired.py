"""Unpaired image domains for Lab 6 (CycleGAN): faces with a known answer, real textures, folders, horse2zebra.

Three sources of two unpaired domains X and Y, all float32 ``(N, 3, size, size)`` in ``[-1, 1]``:

- :func:`face_translation`: the procedural faces of :mod:`ganlab.data.faces` with one attribute set to ``a``
  (domain X) or ``b`` (domain Y). The training sets hold DIFFERENT faces on the two sides (unpaired), but every
  test face is also rendered with the attribute changed and everything else kept, so each test input has a
  ground-truth translation, which no real unpaired data set has. :func:`translation_scores` measures a
  translation against that truth (L1, PSNR) and with the faces attribute classifier (target attribute read,
  other attributes preserved)::

      from ganlab.data.unpaired import face_translation, translation_scores
      task = face_translation(n_train=1000, n_test=500, size=32)     # hair colour black -> blonde
      scores = task.score(classifier, G(task.x_test))                 # against task.y_test_truth

- :func:`texture_domains`: random crops of three real CC0 textures (grass, gravel, brick) from scikit-image's
  wheel, stored in ``ganlab/assets/skimage_textures.pt``; test crops come from a held-out quarter of each texture.
- :func:`load_unpaired_folder` (the CycleGAN layout ``trainA/ trainB/ testA/ testB/``) and
  :func:`load_horse2zebra` (checksummed download from the CycleGAN data server, or a local folder).

Importing this module has no side effects: assets are read on first use.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F

from ganlab.data.faces import FACE_ATTRIBUTES, offline_faces
from ganlab.grading.netcheck import on_one_thread

# ---------------------------------------------------------------------------------------------------------
# Faces with a ground-truth translation

#: The default pair: a large colour change of the hair (dark -> light, 42% of the pixels at 32 x 32) that the
#: faces classifier reads on 100% of the test faces and of their ground truth at 32 x 32 (measured by
#: ``python -m ganlab.data.unpaired``).
DEFAULT_PAIR = ("hair_colour", "black", "blonde")
#: The shape-change option: glasses drawn on (frames around both eyes and a bridge) or not.
GLASSES_PAIR = ("glasses", "no", "yes")
PAIRS = {"hair": DEFAULT_PAIR, "glasses": GLASSES_PAIR}

#: Seeds of the four face sets are ``SEED_BASE + 4 * seed + k`` (k = 0 x_train, 1 y_train, 2 x_test, 3 y_test):
#: four independent streams of faces, so the sets are disjoint (every face is its own row of 64 uniforms; two
#: streams share a face with probability 0) and two values of ``seed`` never share a stream. The base keeps the
#: streams away from the seeds the faces classifier was trained on (101 and 111) and tested on (202).
SEED_BASE = 6_000_000
_ROLES = ("x_train", "y_train", "x_test", "y_test")


def _value_index(attribute: str, value) -> int:
    values = FACE_ATTRIBUTES[attribute]
    if isinstance(value, str):
        if value not in values:
            raise ValueError(f"{attribute} has no value {value!r}; its values: {', '.join(values)}")
        return values.index(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(values):
        raise ValueError(f"{attribute} takes a name ({', '.join(values)}) or an index 0..{len(values) - 1}, "
                         f"got {value!r}")
    return value


def _check_attribute(attribute) -> str:
    if attribute not in FACE_ATTRIBUTES:
        raise ValueError(f"unknown face attribute {attribute!r}; known: {', '.join(FACE_ATTRIBUTES)}")
    return attribute


@dataclass(frozen=True)
class FaceTranslation:
    """Two unpaired face domains with ground truth for the test faces (from :func:`face_translation`).

    Images: float32 ``(N, 3, size, size)`` in ``[-1, 1]``. Labels: ``name -> (N,) int64`` index into
    ``FACE_ATTRIBUTES[name]`` for every face attribute.

    - ``x_train`` (attribute = ``a``) and ``y_train`` (attribute = ``b``): different faces (unpaired).
    - ``x_test`` (= ``a``) and ``y_test_truth``: the SAME faces with the attribute set to ``b`` and everything
      else identical, the ground truth of ``G(x_test)``.
    - ``y_test`` (= ``b``) and ``x_test_truth``: other faces, the same with the attribute set to ``a``: the
      ground truth of ``F(y_test)``.
    - ``labels_x_test`` are the labels of ``x_test`` and of ``y_test_truth`` except for ``attribute``
      (``a`` there, ``b`` in the truth); ``labels_y_test`` likewise for ``y_test`` and ``x_test_truth``.
    - ``seeds``: the :func:`offline_faces` seed of each set (``x_train``, ``y_train``, ``x_test``, ``y_test``).
    """

    x_train: torch.Tensor = field(repr=False)
    y_train: torch.Tensor = field(repr=False)
    x_test: torch.Tensor = field(repr=False)
    y_test_truth: torch.Tensor = field(repr=False)
    y_test: torch.Tensor = field(repr=False)
    x_test_truth: torch.Tensor = field(repr=False)
    labels_x_train: dict = field(repr=False)
    labels_y_train: dict = field(repr=False)
    labels_x_test: dict = field(repr=False)
    labels_y_test: dict = field(repr=False)
    attribute: str
    a: str
    b: str
    a_index: int
    b_index: int
    size: int
    seeds: dict

    def score(self, classifier, translated: torch.Tensor, direction: str = "G") -> dict:
        """:func:`translation_scores` of a translation of the test faces against their ground truth.

        ``direction="G"``: ``translated`` is G(x_test), judged against ``y_test_truth`` with target ``b``;
        ``"F"``: F(y_test) against ``x_test_truth`` with target ``a``.
        """
        if direction == "G":
            return translation_scores(classifier, translated, self.y_test_truth, self.labels_x_test,
                                      self.attribute, self.b_index)
        if direction == "F":
            return translation_scores(classifier, translated, self.x_test_truth, self.labels_y_test,
                                      self.attribute, self.a_index)
        raise ValueError(f"direction must be 'G' (X -> Y) or 'F' (Y -> X), got {direction!r}")


def face_translation(n_train: int = 1000, n_test: int = 500, size: int = 32, attribute: str = DEFAULT_PAIR[0],
                     a=DEFAULT_PAIR[1], b=DEFAULT_PAIR[2], seed: int = 0) -> FaceTranslation:
    """Procedural faces with one attribute ``a`` (domain X) or ``b`` (domain Y), and ground truth for the tests.

    ``n_train`` faces per training domain, ``n_test`` per test domain; ``size`` from 16 to 128; ``attribute``
    one of ``FACE_ATTRIBUTES`` and ``a``, ``b`` two different values of it (names or indices). Defaults: hair
    colour black -> blonde (:data:`DEFAULT_PAIR`); :data:`GLASSES_PAIR` (glasses no -> yes) is a shape change.

    The four face sets come from four seeds (:data:`SEED_BASE` ``+ 4 * seed + k``), so X and Y training faces
    are different faces, and test faces are never training faces. Everything but ``attribute`` of a face is
    drawn from its own uniforms, so ``y_test_truth[i]`` is ``x_test[i]`` with only that attribute changed (the
    pixels of the hair, or of the glasses, differ; the rest is bitwise equal). Deterministic in all arguments;
    face ``i`` of a set does not depend on the set's size. See :class:`FaceTranslation` for the fields.
    """
    attribute = _check_attribute(attribute)
    a_index, b_index = _value_index(attribute, a), _value_index(attribute, b)
    if a_index == b_index:
        raise ValueError(f"a and b must be different values of {attribute}, got {FACE_ATTRIBUTES[attribute][a_index]!r} "
                         "twice")
    for name, n in (("n_train", n_train), ("n_test", n_test)):
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"{name} must be an int >= 0, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be an int >= 0, got {seed!r}")
    seeds = {role: SEED_BASE + 4 * seed + k for k, role in enumerate(_ROLES)}

    def render(role, n, value):
        # one thread: the renderer's elementwise ops on small chunks run many times slower on two threads of a
        # busy CPU (measured 10.4 s against 0.33 s for this function's default sets, at load average 5)
        return on_one_thread(lambda: offline_faces(n, seed=seeds[role], size=size, attributes={attribute: value}))

    x_train, labels_x_train = render("x_train", n_train, a_index)
    y_train, labels_y_train = render("y_train", n_train, b_index)
    x_test, labels_x_test = render("x_test", n_test, a_index)
    y_test_truth, _ = render("x_test", n_test, b_index)
    y_test, labels_y_test = render("y_test", n_test, b_index)
    x_test_truth, _ = render("y_test", n_test, a_index)
    return FaceTranslation(x_train, y_train, x_test, y_test_truth, y_test, x_test_truth, labels_x_train,
                           labels_y_train, labels_x_test, labels_y_test, attribute,
                           FACE_ATTRIBUTES[attribute][a_index], FACE_ATTRIBUTES[attribute][b_index], a_index,
                           b_index, size, seeds)


def _check_images(name: str, images) -> torch.Tensor:
    if not isinstance(images, torch.Tensor):
        raise ValueError(f"{name} must be a tensor of images (N, 3, H, W), got {type(images).__name__}")
    if images.dim() != 4 or images.shape[1] != 3:
        raise ValueError(f"{name} must have shape (N, 3, H, W), got {tuple(images.shape)}")
    if not images.is_floating_point():
        raise ValueError(f"{name} must be float in [-1, 1], got dtype {images.dtype}")
    if not torch.isfinite(images).all():
        raise ValueError(f"{name} holds NaN or infinite values")
    return images.detach()


@torch.no_grad()
def classifier_readings(classifier, images: torch.Tensor, batch_size: int = 500) -> dict[str, torch.Tensor]:
    """The classifier's reading (argmax of ``attribute_logits``) of every face attribute: ``name -> (N,) int64``.

    Runs in eval mode under ``no_grad`` in batches of ``batch_size`` on the classifier's device (the mode
    is restored afterwards). ``classifier=None`` loads :func:`ganlab.quality.faces_classifier`.
    """
    if classifier is None:
        from ganlab.quality import faces_classifier

        classifier = faces_classifier()
    images = _check_images("images", images)
    device = next(iter(classifier.parameters())).device
    was_training = classifier.training
    classifier.eval()
    try:
        parts = [classifier.attribute_logits(images[i:i + batch_size].to(device, torch.float32))
                 for i in range(0, len(images), batch_size)]
    finally:
        classifier.train(was_training)
    if not parts:
        return {name: torch.empty(0, dtype=torch.long) for name in FACE_ATTRIBUTES}
    return {name: torch.cat([p[name].argmax(1).cpu() for p in parts]) for name in FACE_ATTRIBUTES}


def translation_scores(classifier, translated: torch.Tensor, truth: torch.Tensor, labels: dict, attribute: str,
                       target_value) -> dict:
    """How good a translation of faces is, against its ground truth and through the faces classifier.

    ``translated``, ``truth``: float ``(N, 3, H, W)`` in ``[-1, 1]`` of the same shape (``truth``: the source
    faces with ``attribute`` set to ``target_value``); ``labels``: the true labels of the source faces (``name ->
    (N,)``; the entry of ``attribute`` itself is ignored); ``target_value``: name or index. ``classifier``: an
    object with ``attribute_logits`` (e.g. :func:`ganlab.quality.faces_classifier`; ``None`` loads it).

    Returns a dict of python floats:

    - ``"l1"``: mean absolute error over all elements, in the ``[-1, 1]`` units of the images;
    - ``"psnr"``: :func:`ganlab.quality.psnr` (dB, per image then averaged; ``inf`` when every image is exact);
    - ``"target_rate"``: fraction of images the classifier reads as ``target_value`` for ``attribute``;
    - ``"others_all"`` (also given as ``"others_preserved"``): fraction of images for which the classifier's
      reading of EVERY other attribute equals the true label, all at once (the strict rate of the issue's goal);
    - ``"others_mean"``: the mean over the other attributes of the per-attribute accuracy (more lenient);
    - ``"others_per_attribute"``: ``name -> accuracy`` for each other attribute; ``"n"``: the number of images.

    Note that the classifier is not perfect: on the ground truth itself these rates are below 1 (its
    reading of ``mouth`` is the weakest, about 97%); compare a model with :func:`translation_baselines`.
    Raises ``ValueError`` for mismatched shapes, non-finite images or unknown labels.
    """
    from ganlab.quality import psnr

    attribute = _check_attribute(attribute)
    target = _value_index(attribute, target_value)
    translated, truth = _check_images("translated", translated), _check_images("truth", truth)
    if translated.shape != truth.shape:
        raise ValueError(f"translated {tuple(translated.shape)} and truth {tuple(truth.shape)} must have the same shape")
    n = len(truth)
    if n == 0:
        raise ValueError("no images to score")
    others = [name for name in FACE_ATTRIBUTES if name != attribute]
    missing = [name for name in others if name not in labels]
    if missing:
        raise ValueError(f"labels lack {', '.join(missing)} (need every face attribute but {attribute})")
    true = {name: torch.as_tensor(labels[name]).long().cpu() for name in others}
    bad = [name for name in others if true[name].shape != (n,)]
    if bad:
        raise ValueError(f"labels of {', '.join(bad)} must have shape ({n},)")
    read = classifier_readings(classifier, translated)
    correct = torch.stack([read[name] == true[name] for name in others])  # (attributes, N)
    translated_cpu, truth_cpu = translated.cpu().float(), truth.cpu().float()
    per_attribute = {name: float(c.float().mean()) for name, c in zip(others, correct)}
    others_all = float(correct.all(dim=0).float().mean())
    return {"l1": float((translated_cpu - truth_cpu).abs().mean()), "psnr": psnr(translated_cpu, truth_cpu),
            "target_rate": float((read[attribute] == target).float().mean()), "others_preserved": others_all,
            "others_all": others_all, "others_mean": sum(per_attribute.values()) / len(others),
            "others_per_attribute": per_attribute, "n": n}


def translation_baselines(task: FaceTranslation, classifier=None) -> dict[str, dict]:
    """The scores of the two trivial answers, the reference lines of a trained model.

    ``"G: identity"`` (G(x) = x: perfect content, wrong attribute), ``"G: truth"`` (the ground truth itself:
    the best any model can score through this classifier), and ``"F: identity"``, ``"F: truth"`` for the other
    direction. Values from :func:`translation_scores`.
    """
    if classifier is None:
        from ganlab.quality import faces_classifier

        classifier = faces_classifier()
    return {"G: identity": task.score(classifier, task.x_test, "G"),
            "G: truth": task.score(classifier, task.y_test_truth, "G"),
            "F: identity": task.score(classifier, task.y_test, "F"),
            "F: truth": task.score(classifier, task.x_test_truth, "F")}
