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

import hashlib
import io
import os
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F

from ganlab.data.faces import FACE_ATTRIBUTES, image_files, load_image_folder, offline_faces
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
        same = FACE_ATTRIBUTES[attribute][a_index]
        raise ValueError(f"a and b must be different values of {attribute}, got {same!r} twice")
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
    if images.numel() and (images.min() < -1 - 1e-4 or images.max() > 1 + 1e-4):
        raise ValueError(f"{name} must lie in [-1, 1] (the labs' image range), got values from {images.min():.3g} "
                         f"to {images.max():.3g}")
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
        raise ValueError(f"translated {tuple(translated.shape)} and truth {tuple(truth.shape)} must have the same "
                         "shape")
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
    """The scores of three trivial answers, the reference lines of a trained model.

    ``"G: identity"`` (G(x) = x: perfect content, wrong attribute), ``"G: truth"`` (the ground truth itself:
    the best any model can score through this classifier), ``"G: other faces"`` (G(x_test[i]) = y_test[i], a
    real face of domain Y but another face: the target distribution matched exactly and the content lost, the
    mapping that the adversarial loss alone cannot rule out), and the same three rows for F. Values from
    :func:`translation_scores`.
    """
    if classifier is None:
        from ganlab.quality import faces_classifier

        classifier = faces_classifier()
    n = min(len(task.x_test), len(task.y_test))
    return {"G: identity": task.score(classifier, task.x_test, "G"),
            "G: truth": task.score(classifier, task.y_test_truth, "G"),
            "G: other faces": translation_scores(classifier, task.y_test[:n], task.y_test_truth[:n],
                                                 {k: v[:n] for k, v in task.labels_x_test.items()}, task.attribute,
                                                 task.b_index),
            "F: identity": task.score(classifier, task.y_test, "F"),
            "F: truth": task.score(classifier, task.x_test_truth, "F"),
            "F: other faces": translation_scores(classifier, task.x_test[:n], task.x_test_truth[:n],
                                                 {k: v[:n] for k, v in task.labels_y_test.items()}, task.attribute,
                                                 task.a_index)}


# ---------------------------------------------------------------------------------------------------------
# Real textures (scikit-image's wheel)

#: The stored textures (uint8 (512, 512) grey each); rebuilt by ``python datasets/prepare.py skimage-textures``.
TEXTURES_FILE = Path(__file__).resolve().parents[1] / "assets" / "skimage_textures.pt"

#: The wheel the textures come from (any platform's wheel holds the same data files): the photos' wheel.
SKIMAGE_VERSION = "0.26.0"

#: Each texture: its file in the wheel with that file's SHA-256 (as in the wheel's RECORD), and its licence and
#: origin as scikit-image's ``skimage.data`` docstrings state them. All three are 512 x 512 grey images.
TEXTURE_SOURCES: tuple[dict, ...] = (
    {"name": "grass", "file": "grass.png",
     "sha256": "b6b6022426b38936c43a4ac09635cd78af074e90f42ffa8227ac8b7452d39f89",
     "licence": "CC0",
     "source": "'Grass 01' by linolafett on DeviantArt (https://www.deviantart.com/linolafett/art/Grass-01-434853879), "
               "a 512 x 512 crop converted to grey by scikit-image, skimage.data.grass"},
    {"name": "gravel", "file": "gravel.png",
     "sha256": "c48615b451bf1e606fbd72c0aa9f8cc0f068ab7111ef7d93bb9b0f2586440c12",
     "licence": "CC0",
     "source": "Gravel04 from CC0Textures (https://cc0textures.com/view.php?tex=Gravel04), rescaled, cropped to "
               "512 x 512 and converted to grey by scikit-image, skimage.data.gravel"},
    {"name": "brick", "file": "brick.png",
     "sha256": "7966caf324f6ba843118d98f7a07746d22f6a343430add0233eca5f6eaaa8fcf",
     "licence": "CC0",
     "source": "Bricks25 from CC0Textures (https://cc0textures.com/view.php?tex=Bricks25), perspective-corrected, "
               "rotated by 90 degrees, cropped and scaled by scikit-image, skimage.data.brick"},
)
TEXTURES = tuple(src["name"] for src in TEXTURE_SOURCES)

#: SHA-256 of :data:`TEXTURES_FILE` as built with torch 2.14.1 (the file's bytes depend on torch's serialisation),
#: and of the pixels alone (:func:`texture_pixels_sha256`: the decoded PNGs, independent of any library version).
TEXTURES_SHA256 = "0dec474234ec99b5db8f10101d10824bdd17c883d35f89f164130d1b4870be01"
TEXTURE_PIXELS_SHA256 = "fd40776d94d0220e83afedbab5c7fd0fe1acc148e83308517dfae6f633446f32"

_TEXTURE_CACHE: dict[tuple[str, float], torch.Tensor] = {}


def texture_sources() -> list[dict]:
    """Every stored texture: ``{name, file, sha256, licence, source}``."""
    return [dict(src) for src in TEXTURE_SOURCES]


def _texture(name: str, scale: float) -> torch.Tensor:
    """Texture ``name`` as float32 ``(S, S)`` in [0, 1], downscaled by ``scale`` (antialiased bilinear)."""
    key = (name, scale)
    if key not in _TEXTURE_CACHE:
        stored = torch.load(TEXTURES_FILE, weights_only=True)["images"][name].float().div_(255)
        side = round(stored.shape[-1] * scale)
        if side != stored.shape[-1]:
            stored = F.interpolate(stored[None, None], size=(side, side), mode="bilinear", antialias=True,
                                   align_corners=False)[0, 0].clamp_(0, 1)
        _TEXTURE_CACHE[key] = stored
    return _TEXTURE_CACHE[key]


def _crop_corners(n: int, side: int, size: int, split: str, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Top-left corners of ``n`` crops: inside the bottom-right quadrant (test) or clear of it (train)."""
    half = side // 2
    if split == "test":
        top = torch.randint(half, side - size + 1, (n,), generator=g)
        left = torch.randint(half, side - size + 1, (n,), generator=g)
        return top, left
    tops, lefts, have = [torch.empty(0, dtype=torch.long)], [torch.empty(0, dtype=torch.long)], 0
    while have < n:  # rejection: about a third of the uniform corners at 32 of 256 put the crop in the quadrant
        top = torch.randint(0, side - size + 1, (2 * n,), generator=g)
        left = torch.randint(0, side - size + 1, (2 * n,), generator=g)
        keep = (top + size <= half) | (left + size <= half)
        tops.append(top[keep])
        lefts.append(left[keep])
        have += int(keep.sum())
    return torch.cat(tops)[:n], torch.cat(lefts)[:n]


def texture_crops(name: str, n: int, size: int = 32, seed: int = 0, split: str = "train",
                  scale: float = 0.5) -> torch.Tensor:
    """``n`` random ``size`` x ``size`` crops of one texture: float32 ``(n, 3, size, size)`` in ``[-1, 1]``.

    The texture (512 x 512, grey) is first downscaled by ``scale`` (0.5: 256 x 256, where a 32 x 32 crop shows
    about 1.5 bricks across) with an antialiased bilinear filter. Test crops lie inside its bottom-right quadrant,
    training crops never overlap it (held-out region: no test pixel is ever seen in training). Corners are
    uniform over the allowed positions, drawn from ``seed`` (test crops from another stream). The grey value is
    copied to the three channels, so the lab's RGB networks take the crops as they are. Raises ``ValueError`` for
    an unknown texture or split, or a ``size`` larger than half the downscaled texture.
    """
    if name not in TEXTURES:
        raise ValueError(f"unknown texture {name!r}; stored: {', '.join(TEXTURES)}")
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be an int >= 0, got {n!r}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 < scale <= 1:
        raise ValueError(f"scale must be in (0, 1], got {scale!r}")
    texture = _texture(name, float(scale))
    side = texture.shape[-1]
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= side // 2:
        raise ValueError(f"size must be an int from 1 to {side // 2} (half the texture, {side} pixels at scale "
                         f"{scale}), got {size!r}")
    g = torch.Generator().manual_seed(2 * seed + (split == "test"))
    top, left = _crop_corners(n, side, size, split, g)
    offsets = torch.arange(size)
    rows, cols = top[:, None] + offsets, left[:, None] + offsets  # (n, size) each
    crops = texture[rows[:, :, None], cols[:, None, :]]  # (n, size, size)
    return crops.mul(2).sub_(1)[:, None].expand(-1, 3, -1, -1).contiguous()


def texture_domains(a: str = "grass", b: str = "brick", size: int = 32, n: int = 1000, seed: int = 0,
                    split: str = "train", scale: float = 0.5) -> tuple[torch.Tensor, torch.Tensor]:
    """Two unpaired domains of real texture crops: ``(x, y)``, float32 ``(n, 3, size, size)`` each in [-1, 1].

    ``x``: crops of texture ``a``, ``y``: of texture ``b`` (``"grass"``, ``"gravel"``, ``"brick"``; all CC0, from
    scikit-image's wheel, see :func:`texture_sources`). Crops as in :func:`texture_crops`: ``split="test"`` crops
    come from the held-out bottom-right quadrant of each texture. ``x`` and ``y`` use independent corners
    (``y`` from the next stream of ``seed``). No ground truth exists: this is the qualitative section.
    """
    if a == b:
        raise ValueError(f"a and b must be different textures, got {a!r} twice")
    return (texture_crops(a, n, size, seed, split, scale), texture_crops(b, n, size, seed + 1_000_003, split, scale))


def texture_pixels_sha256(images: dict[str, torch.Tensor]) -> str:
    """SHA-256 of the stored pixels: each texture's uint8 bytes (row-major) in the order of :data:`TEXTURE_SOURCES`."""
    return hashlib.sha256(b"".join(images[src["name"]].contiguous().numpy().tobytes()
                                   for src in TEXTURE_SOURCES)).hexdigest()


def build_texture_asset(wheel_path: str | Path, out: str | Path = TEXTURES_FILE) -> tuple[str, str]:
    """Rebuild the texture asset from a scikit-image wheel: ``(SHA-256 of the file, SHA-256 of the pixels)``.

    Reads ``skimage/data/<name>.png`` out of the wheel (a zip), checks each file's SHA-256 against
    :data:`TEXTURE_SOURCES` (``ValueError`` if one differs) and stores the decoded grey pixels unchanged, uint8
    ``(512, 512)`` each. The file's name matters: torch.save names the archive's folder after it.
    """
    from PIL import Image

    from ganlab.data.photos import _read_from_wheel  # the SHA-256 check of the photos' build

    images = {}
    with zipfile.ZipFile(wheel_path) as wheel:
        for src in TEXTURE_SOURCES:
            with Image.open(io.BytesIO(_read_from_wheel(wheel, src))) as img:
                if img.mode != "L":
                    raise ValueError(f"skimage/data/{src['file']} is {img.mode}, expected grey (L)")
                w, h = img.size
                pixels = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8).view(h, w).clone()
            images[src["name"]] = pixels
    torch.save({"images": images, "skimage_version": SKIMAGE_VERSION}, out)
    _TEXTURE_CACHE.clear()
    return hashlib.sha256(Path(out).read_bytes()).hexdigest(), texture_pixels_sha256(images)


# ---------------------------------------------------------------------------------------------------------
# Unpaired folders (the CycleGAN layout) and horse2zebra

UNPAIRED_SPLITS = ("train", "test")
HORSE2ZEBRA_ARCHIVE = "horse2zebra.zip"


def load_unpaired_folder(root: str | Path, size: int = 256, split: str = "train", n: int | None = None,
                         seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The two domains of a folder in the CycleGAN layout: ``(x, y)``, float32 ``(N, 3, size, size)`` in [-1, 1].

    ``root`` holds ``trainA/``, ``trainB/``, ``testA/``, ``testB/`` (as the CycleGAN data sets unpack);
    ``split="train"`` reads ``trainA`` (x) and ``trainB`` (y), ``"test"`` the test folders. Every image
    (.png/.jpg/.jpeg/.webp, sub-folders included, sorted by path) is converted to RGB, its shorter side resized
    to ``size`` (bicubic) and centre-cropped to a square, as :func:`ganlab.data.faces.load_image_folder` does; x
    and y may hold different numbers of images (unpaired). ``n``: at most ``n`` images per domain, chosen at
    random with ``seed`` (``None``: all). Unreadable files are skipped with a warning. Raises ``ValueError``
    naming the folder that is missing or holds no images, and for a bad split or size.
    """
    if split not in UNPAIRED_SPLITS:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be a positive int, got {size!r}")
    root = Path(root)
    domains = []
    for side in ("A", "B"):
        folder = root / f"{split}{side}"
        if not folder.is_dir():
            raise ValueError(f"{folder} is missing: an unpaired data set needs the folders trainA/, trainB/, testA/ "
                             f"and testB/ under {root} (the CycleGAN layout)")
        files = image_files(folder)
        if not files:
            raise ValueError(f"{folder} holds no images (.png, .jpg, .jpeg, .webp)")
        domains.append(load_image_folder(folder, size, n=n, seed=seed, files=files))
    return domains[0], domains[1]


def _horse2zebra_root(folder: Path) -> Path | None:
    """The folder holding trainA/ ... of an unpacked horse2zebra (``horse2zebra/trainA`` or ``trainA``), if any."""
    for candidate in (folder / "horse2zebra", folder):
        if all((candidate / f"{split}{side}").is_dir() for split in UNPAIRED_SPLITS for side in "AB"):
            return candidate
    return None


def _extract_zip(archive: Path, folder: Path) -> None:
    """Unpack ``archive`` into ``folder``, refusing absolute paths and ``..`` (a zip can name any path)."""
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            parts = Path(name).parts
            if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                raise ValueError(f"{archive} holds an unsafe entry {name!r}; not extracted")
        z.extractall(folder)


def fetch_horse2zebra(root: str | Path | None = None, download: bool = True, progress: bool = True) -> Path:
    """The folder holding ``trainA/``, ``trainB/``, ``testA/``, ``testB/`` of horse2zebra.

    Looks in ``root`` (default ``$GANLAB_DATA/horse2zebra``): an unpacked copy (``horse2zebra/trainA/...`` or
    ``trainA/...``, e.g. unpacked by hand) is used as it is; otherwise ``horse2zebra.zip`` there is verified
    against its SHA-256 (or downloaded and verified, when ``download`` and ``$GANLAB_OFFLINE`` allow) and
    unpacked. Raises ``DatasetUnavailable`` naming the offline default when none of this works.
    """
    from ganlab.data.registry import DATASETS, cache_dir, fetch

    folder = Path(root) if root else cache_dir("horse2zebra")
    found = _horse2zebra_root(folder)
    if found is not None:
        return found
    folder = fetch(DATASETS["horse2zebra"], folder, download=download, progress=progress)
    _extract_zip(folder / HORSE2ZEBRA_ARCHIVE, folder)
    found = _horse2zebra_root(folder)
    if found is None:
        raise ValueError(f"{folder / HORSE2ZEBRA_ARCHIVE} unpacked without the trainA/ trainB/ testA/ testB/ folders")
    return found


def load_horse2zebra(split: str = "train", size: int = 256, root: str | Path | None = None, download: bool = True,
                     fallback: bool = True, n: int | None = None,
                     seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, str]:
    """horse2zebra (Zhu et al. 2017): ``(x_horses, y_zebras, source)``, float32 ``(N, 3, size, size)`` in [-1, 1].

    From :func:`fetch_horse2zebra` (a local copy, else the checksummed download) and
    :func:`load_unpaired_folder`; ``source`` is ``"horse2zebra"``. When the data cannot be had and ``fallback``
    is true, one warning line says so and the offline default is returned instead: the faces translation task
    (:func:`face_translation`, hair black -> blonde; training or test faces by ``split``, rendered at
    ``min(size, 128)`` and resized bilinearly above that), with ``source`` ``"offline-faces"``.
    ``fallback=False`` raises ``DatasetUnavailable`` instead.
    """
    from ganlab.data.registry import DatasetUnavailable

    if split not in UNPAIRED_SPLITS:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    try:
        folder = fetch_horse2zebra(root, download=download)
    except DatasetUnavailable as exc:
        if not fallback:
            raise
        warnings.warn(f"horse2zebra not available ({str(exc).split('. ')[0]}); using the offline faces task "
                      "(hair black -> blonde) instead.", stacklevel=2)
        task = face_translation(n_train=1000 if n is None else n, n_test=500 if n is None else n,
                                size=min(size, 128), seed=seed)
        x, y = (task.x_train, task.y_train) if split == "train" else (task.x_test, task.y_test)
        if size > 128:
            x, y = (F.interpolate(t, size=(size, size), mode="bilinear", align_corners=False).clamp_(-1, 1)
                    for t in (x, y))
        return x, y, "offline-faces"
    x, y = load_unpaired_folder(folder, size, split, n=n, seed=seed)
    return x, y, "horse2zebra"


# ---------------------------------------------------------------------------------------------------------
# Command line: the measurements quoted in datasets/README.md, and the texture asset's build


def _report(n: int, size: int) -> None:
    """Print the classifier's accuracy on the test faces and their truth, and the baselines, for both pairs."""
    import time

    from ganlab.quality import faces_classifier

    classifier = faces_classifier()
    for key, (attribute, a, b) in PAIRS.items():
        start = time.perf_counter()
        task = face_translation(n_train=n, n_test=n, size=size, attribute=attribute, a=a, b=b)
        seconds = time.perf_counter() - start
        print(f"\n## {key}: {attribute} {a} <-> {b}, {size} x {size}; 2 x {n} training and 4 x {n} test faces "
              f"built in {seconds:.2f} s (load average {os.getloadavg()[0]:.2f})")
        print("\nclassifier accuracy per attribute (target attribute: read as the set's value)\n")
        print("| set | " + " | ".join(FACE_ATTRIBUTES) + " |")
        print("|---|" + "---|" * len(FACE_ATTRIBUTES))
        sets = (("x_test", task.x_test, task.labels_x_test, task.a_index),
                ("y_test_truth", task.y_test_truth, task.labels_x_test, task.b_index),
                ("y_test", task.y_test, task.labels_y_test, task.b_index),
                ("x_test_truth", task.x_test_truth, task.labels_y_test, task.a_index))
        for name, images, labels, value in sets:
            read = classifier_readings(classifier, images)
            accuracy = [float((read[k] == (value if k == attribute else labels[k])).float().mean())
                        for k in FACE_ATTRIBUTES]
            print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in accuracy) + " |")
        print("\n| answer | L1 | PSNR (dB) | target rate | others (all) | others (mean) |")
        print("|---|---|---|---|---|---|")
        for row, s in translation_baselines(task, classifier).items():
            print(f"| {row} | {s['l1']:.4f} | {s['psnr']:.2f} | {s['target_rate']:.3f} | {s['others_all']:.3f} | "
                  f"{s['others_mean']:.4f} |")


def _main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Lab 6's unpaired data: measurements (the texture asset is rebuilt by "
                                     "python datasets/prepare.py skimage-textures).")
    sub = parser.add_subparsers(dest="command")
    report = sub.add_parser("report", help="classifier accuracy on the faces task and the baseline scores (default)")
    report.add_argument("--n", type=int, default=1000)
    report.add_argument("--size", type=int, default=32)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # small batches: one thread is the fastest on a shared CPU
    _report(getattr(args, "n", 1000), getattr(args, "size", 32))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
