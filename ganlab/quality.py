"""Measuring sample quality: feature extractors by name, and FID / KID / IS through torchmetrics.

Labs 3 to 6 measure their generators with :func:`measure_quality`; it never uses a student's Lab 7
code, only torchmetrics' implementations (``FrechetInceptionDistance``, ``KernelInceptionDistance``,
``InceptionScore``) fed with features from an extractor of this registry::

    from ganlab.quality import measure_quality
    scores = measure_quality(real_images, fake_images)        # offline digits classifier by default
    print(scores)    # fid, kid_mean, kid_std, inception_score, inception_score_std, extractor, weights

Extractors (``EXTRACTORS``; add one with :func:`register_extractor`):

- ``"offline-digits"`` (the default, works offline): a small CNN the project trained on its procedural
  digits (``tools/train_feature_extractor.py``), 10 classes, 64-d penultimate features. Numbers made
  with it are comparable only with numbers made with the same weights file (named in ``weights``).
- ``"offline-faces"`` (works offline; for Lab 3's faces and Lab 7): a small CNN the project trained on its
  procedural manga faces (``tools/train_feature_extractor.py --dataset faces``). Inputs of any size are
  resized to 32 x 32; 128-d penultimate features for FID / KID; its IS classes are the 8 hair colours of
  ``ganlab.data.FACE_ATTRIBUTES``, and ``attribute_logits(images)`` classifies every face attribute (for
  latent arithmetic). Numbers on real anime faces measure distance in this classifier's feature space,
  which was never trained on them: compare them only with numbers made with the same weights.
- ``"inception-v3-fid"``: the Inception-v3 network of TensorFlow's FID code as ported by pytorch-fid
  (``pt_inception-2015-12-05-6726825d.pth``; 2048-d pool features, 1008 logits), downloaded once and
  checked against the SHA-256 prefix in its file name. Needs the network and ``pytorch-fid``; otherwise it
  raises :class:`ExtractorUnavailable` naming the offline default. Only numbers made with these
  weights are comparable with published FIDs (Heusel et al. 2017); torchvision's ImageNet Inception
  weights give different numbers.

Importing this module has no side effects: networks and weights load on first use.
"""

from __future__ import annotations

import os
import warnings
import urllib.error
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ASSETS = Path(__file__).resolve().parent / "assets"
OFFLINE_DIGITS_WEIGHTS = ASSETS / "offline_digits_classifier.pt"
OFFLINE_FACES_WEIGHTS = ASSETS / "offline_faces_classifier.pt"

#: pytorch-fid's port of the TensorFlow FID Inception weights. torch.hub's naming convention: the
#: part of the file name after the last '-' is the first 8 hex digits of the file's SHA-256.
FID_INCEPTION_URL = ("https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
                     "pt_inception-2015-12-05-6726825d.pth")
FID_INCEPTION_SHA256_PREFIX = "6726825d"


class ExtractorUnavailable(RuntimeError):
    """An extractor cannot be built here (no network, missing package); the message names the offline default."""


# -- the offline classifiers (architectures in ganlab.nets) ---------------------------------------


def _load_weights(model, path: Path, command: str) -> None:
    """Load the state dict at ``path`` into ``model`` (tensors only: ``weights_only=True``)."""
    import torch

    if not path.exists():
        raise ExtractorUnavailable(f"{path} is missing; run `{command}` to make it.")
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))


def digits_classifier(pretrained: bool = True):
    """The offline digits classifier (eval mode); ``pretrained`` loads the shipped weights."""
    from ganlab.nets import DigitsClassifier

    model = DigitsClassifier()
    if pretrained:
        _load_weights(model, OFFLINE_DIGITS_WEIGHTS, "python tools/train_feature_extractor.py")
    return model.eval().requires_grad_(False)




def faces_classifier(pretrained: bool = True):
    """The offline faces classifier (eval mode); ``pretrained`` loads the shipped weights."""
    from ganlab.nets import FacesClassifier

    model = FacesClassifier()
    if pretrained:
        _load_weights(model, OFFLINE_FACES_WEIGHTS, "python tools/train_feature_extractor.py --dataset faces")
    return model.eval().requires_grad_(False)


def file_sha256(path: Path) -> str:
    from ganlab.data.registry import file_digest

    return file_digest(path, "sha256")


# -- the FID Inception network -------------------------------------------------------------------


def fid_inception_weights(download: bool = True) -> Path:
    """Path of the verified FID Inception weights, downloading them once into ``$GANLAB_DATA/weights``."""
    from ganlab.data.registry import OFFLINE_ENV, cache_dir

    target = cache_dir("weights") / FID_INCEPTION_URL.rsplit("/", 1)[1]
    offline_hint = ("Use the offline default instead: get_extractor('offline-digits') "
                    "(or measure_quality(..., extractor='offline-digits')).")
    if target.exists():
        if file_sha256(target).startswith(FID_INCEPTION_SHA256_PREFIX):
            return target
        raise ExtractorUnavailable(f"{target} does not match SHA-256 prefix {FID_INCEPTION_SHA256_PREFIX}; "
                                   f"delete it and download again. {offline_hint}")
    if not download or os.environ.get(OFFLINE_ENV):
        raise ExtractorUnavailable(f"the FID Inception weights are not in {target.parent} and downloading is "
                                   f"off. Put {target.name} there by hand ({FID_INCEPTION_URL}). {offline_hint}")
    import torch

    target.parent.mkdir(parents=True, exist_ok=True)
    try:  # torch.hub verifies the SHA-256 prefix and removes the partial file on a mismatch
        torch.hub.download_url_to_file(FID_INCEPTION_URL, str(target), hash_prefix=FID_INCEPTION_SHA256_PREFIX,
                                       progress=True)
    except (urllib.error.URLError, OSError, RuntimeError) as exc:
        raise ExtractorUnavailable(f"could not download the FID Inception weights ({exc}). {offline_hint}") from exc
    return target


def fid_inception(download: bool = True):
    """TensorFlow-FID Inception-v3 (pytorch-fid's port) with ``features`` (2048-d pool3) and ``logits`` (1008)."""
    try:
        from pytorch_fid import inception as pfi
    except ImportError as exc:
        raise ExtractorUnavailable("the FID Inception network needs `pip install pytorch-fid`. Use the "
                                   "offline default instead: get_extractor('offline-digits').") from exc
    import torch
    import torch.nn.functional as F
    from torch import nn

    path = fid_inception_weights(download=download)
    net = pfi._inception_v3(num_classes=1008, aux_logits=False, weights=None)
    net.Mixed_5b = pfi.FIDInceptionA(192, pool_features=32)
    net.Mixed_5c = pfi.FIDInceptionA(256, pool_features=64)
    net.Mixed_5d = pfi.FIDInceptionA(288, pool_features=64)
    net.Mixed_6b = pfi.FIDInceptionC(768, channels_7x7=128)
    net.Mixed_6c = pfi.FIDInceptionC(768, channels_7x7=160)
    net.Mixed_6d = pfi.FIDInceptionC(768, channels_7x7=160)
    net.Mixed_6e = pfi.FIDInceptionC(768, channels_7x7=192)
    net.Mixed_7b = pfi.FIDInceptionE_1(1280)
    net.Mixed_7c = pfi.FIDInceptionE_2(2048)
    net.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))

    class FIDInception(nn.Module):
        num_features = 2048
        num_classes = 1008

        def __init__(self):
            super().__init__()
            self.net = net

        @staticmethod
        def prepare(images):
            """(N, C, H, W) in [-1, 1] -> (N, 3, 299, 299) in [-1, 1], as pytorch-fid feeds the network."""
            images = images.float()
            if images.shape[1] == 1:
                images = images.expand(-1, 3, -1, -1)
            return F.interpolate(images, size=(299, 299), mode="bilinear", align_corners=False)

        def features(self, images):
            n = self.net
            x = self.prepare(images)
            for name in ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1", "Conv2d_3b_1x1",
                         "Conv2d_4a_3x3", "maxpool2", "Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b",
                         "Mixed_6c", "Mixed_6d", "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"]:
                x = getattr(n, name)(x)
            return F.adaptive_avg_pool2d(x, 1).flatten(1)

        def features_and_logits(self, images):
            f = self.features(images)
            return f, self.net.fc(f)

        def logits(self, images):
            return self.net.fc(self.features(images))

        def forward(self, images):
            return self.logits(images)

    return FIDInception().eval().requires_grad_(False)


# -- registry ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtractorSpec:
    """How to build one feature extractor, and what its numbers mean."""

    name: str
    build: Callable[[], object]  # a module with .features(images), .logits(images), .features_and_logits(images)
    num_features: int
    num_classes: int
    images: str  # what inputs it expects
    weights: str  # which weights produce its numbers (say it next to every number)


EXTRACTORS: dict[str, ExtractorSpec] = {}


def register_extractor(spec: ExtractorSpec) -> None:
    """Add (or replace) an extractor."""
    EXTRACTORS[spec.name] = spec


register_extractor(ExtractorSpec(
    "offline-digits", digits_classifier, 64, 10,
    "(N, 1 or 3, H, W) in [-1, 1]; resized to 28 x 28 grey",
    "ganlab/assets/offline_digits_classifier.pt (tools/train_feature_extractor.py, trained on "
    "ganlab.data.offline_digits)"))
register_extractor(ExtractorSpec(
    "offline-faces", faces_classifier, 128, 8,
    "(N, 3, H, W) in [-1, 1]; resized to 32 x 32 RGB",
    "ganlab/assets/offline_faces_classifier.pt (tools/train_feature_extractor.py --dataset faces, trained "
    "on ganlab.data.offline_faces; IS classes: the 8 hair colours)"))
register_extractor(ExtractorSpec(
    "inception-v3-fid", fid_inception, 2048, 1008,
    "(N, 1 or 3, H, W) in [-1, 1]; resized to 299 x 299",
    "pt_inception-2015-12-05-6726825d.pth (TensorFlow FID Inception, ported by pytorch-fid)"))

_CACHE: dict[str, object] = {}


def get_extractor(name: str = "offline-digits"):
    """The extractor called ``name`` (built once per process)."""
    if name not in EXTRACTORS:
        raise KeyError(f"unknown extractor {name!r}; known: {', '.join(EXTRACTORS)}")
    if name not in _CACHE:
        _CACHE[name] = EXTRACTORS[name].build()
    return _CACHE[name]


def extract(images, extractor: str | object = "offline-digits", batch_size: int = 500):
    """``(features (N, d) float32, logits (N, K) float32)`` of ``images`` in batches, without gradients."""
    import torch

    net = get_extractor(extractor) if isinstance(extractor, str) else extractor
    feats, logits = [], []
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            f, l = net.features_and_logits(images[start:start + batch_size])
            feats.append(f)
            logits.append(l)
    return torch.cat(feats), torch.cat(logits)


# -- FID / KID / IS through torchmetrics -------------------------------------------------------------


def _passthrough(num_features: int):
    from torch import nn

    class Passthrough(nn.Module):
        """Hands precomputed features to torchmetrics as if it were its feature network."""

        def __init__(self):
            super().__init__()
            self.num_features = num_features

        def forward(self, x):
            return x.double()

    return Passthrough()


def fid_from_features(real_features, fake_features) -> float:
    """torchmetrics' FID (float64 statistics, eigenvalue trace term) between two (N, d) feature sets."""
    from torchmetrics.image.fid import FrechetInceptionDistance

    metric = FrechetInceptionDistance(feature=_passthrough(real_features.shape[1]), reset_real_features=True)
    metric.update(real_features, real=True)
    metric.update(fake_features, real=False)
    return float(metric.compute())


def kid_from_features(real_features, fake_features, subsets: int = 100, subset_size: int = 1000,
                      seed: int = 0) -> tuple[float, float]:
    """torchmetrics' KID (unbiased MMD^2, cubic polynomial kernel; Binkowski et al. 2018): (mean, std) over subsets."""
    import torch
    from torchmetrics.image.kid import KernelInceptionDistance

    size = min(subset_size, len(real_features), len(fake_features))
    with warnings.catch_warnings():  # "will save all extracted features in buffer": intended here
        warnings.simplefilter("ignore", UserWarning)
        metric = KernelInceptionDistance(feature=_passthrough(real_features.shape[1]), subsets=subsets,
                                         subset_size=size)
    metric.update(real_features, real=True)
    metric.update(fake_features, real=False)
    state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    try:
        mean, std = metric.compute()
    finally:
        torch.random.set_rng_state(state)
    return float(mean), float(std)


def inception_score_from_logits(logits, splits: int = 10) -> tuple[float, float]:
    """torchmetrics' Inception Score (Salimans et al. 2016) of (N, K) logits: (mean, std) over ``splits``."""
    import torch
    from torchmetrics.image.inception import InceptionScore

    with warnings.catch_warnings():  # "will save all extracted features in buffer": intended here
        warnings.simplefilter("ignore", UserWarning)
        metric = InceptionScore(feature=_passthrough(logits.shape[1]), splits=splits)
    metric.update(logits)
    state = torch.random.get_rng_state()
    torch.manual_seed(0)  # torchmetrics shuffles before splitting
    try:
        mean, std = metric.compute()
    finally:
        torch.random.set_rng_state(state)
    return float(mean), float(std)


def measure_quality(real_images, fake_images, extractor: str = "offline-digits", splits: int = 10,
                    kid_subsets: int = 100, kid_subset_size: int = 1000) -> dict:
    """FID, KID and IS of ``fake_images`` against ``real_images`` (both (N, C, H, W) in [-1, 1]).

    Returns a dict with ``fid``, ``kid_mean``, ``kid_std``, ``inception_score``, ``inception_score_std``,
    ``n_real``, ``n_fake``, ``extractor`` and ``weights`` (report the last two with every number).
    """
    real_f, _ = extract(real_images, extractor)
    fake_f, fake_logits = extract(fake_images, extractor)
    kid_mean, kid_std = kid_from_features(real_f, fake_f, kid_subsets, kid_subset_size)
    is_mean, is_std = inception_score_from_logits(fake_logits, splits)
    return {"fid": fid_from_features(real_f, fake_f), "kid_mean": kid_mean, "kid_std": kid_std,
            "inception_score": is_mean, "inception_score_std": is_std, "n_real": len(real_images),
            "n_fake": len(fake_images), "extractor": extractor, "weights": EXTRACTORS[extractor].weights}


def degrade(images, noise: float = 0.0, blur: float = 0.0, seed: int = 0):
    """Real images made worse by a known amount, to place a model's FID between the floor and the ceiling.

    ``images`` (N, C, H, W) in [-1, 1]; ``blur``: standard deviation in pixels of a Gaussian blur (0: none),
    applied first; ``noise``: standard deviation of added Gaussian pixel noise (0: none, drawn from ``seed``).
    Returns a new tensor clamped to [-1, 1]; the input is left unchanged.
    """
    import torch
    import torch.nn.functional as F

    if noise < 0 or blur < 0:
        raise ValueError("noise and blur must be >= 0")
    out = images.float()
    if blur > 0:
        radius = max(1, int(3 * blur + 0.5))
        offsets = torch.arange(-radius, radius + 1, dtype=torch.float32)
        kernel = torch.exp(-offsets ** 2 / (2 * blur ** 2))
        kernel = kernel / kernel.sum()
        channels = out.shape[1]
        # separable blur, reflecting at the border so the edges keep their brightness
        out = F.conv2d(F.pad(out, (radius, radius, 0, 0), mode="reflect"),
                       kernel.view(1, 1, 1, -1).repeat(channels, 1, 1, 1), groups=channels)
        out = F.conv2d(F.pad(out, (0, 0, radius, radius), mode="reflect"),
                       kernel.view(1, 1, -1, 1).repeat(channels, 1, 1, 1), groups=channels)
    if noise > 0:
        g = torch.Generator().manual_seed(seed)
        out = out + noise * torch.randn(out.shape, generator=g)
    return out.clamp(-1.0, 1.0) if (noise > 0 or blur > 0) else out.clone()


# ---------------------------------------------------------------------------------------------------------
# Paired image metrics (Lab 5): how close an output is to its target, and how sharp images are.


def _unit_range(name: str, images, channels: tuple[int, ...] = (1, 3)):
    """Validate (N, C, H, W) float images in [-1, 1] and map them to [0, 1] (detached, float32)."""
    import torch

    if not isinstance(images, torch.Tensor) or images.dim() != 4 or images.shape[1] not in channels:
        shape = tuple(images.shape) if isinstance(images, torch.Tensor) else type(images).__name__
        raise ValueError(f"{name} must be a (N, C, H, W) tensor with C in {channels}, got {shape}")
    if not images.is_floating_point():
        raise ValueError(f"{name} must be float images in [-1, 1], got dtype {images.dtype}")
    if len(images) == 0:
        raise ValueError(f"{name} is an empty batch")
    if images.min() < -1 - 1e-4 or images.max() > 1 + 1e-4:
        raise ValueError(f"{name} must lie in [-1, 1] (the labs' image range), got values from "
                         f"{images.min():.3g} to {images.max():.3g}")
    return (images.detach().float().cpu() + 1) / 2


def _paired(a, b):
    x, y = _unit_range("a", a), _unit_range("b", b)
    if x.shape != y.shape:
        raise ValueError(f"a and b must have the same shape, got {tuple(x.shape)} and {tuple(y.shape)}")
    return x, y


def psnr(a, b) -> float:
    """Peak signal-to-noise ratio in dB of images ``a`` against targets ``b``, the mean over the batch.

    ``a``, ``b``: float (N, C, H, W) in [-1, 1] with C = 1 or 3, mapped to [0, 1] and given to torchmetrics'
    ``peak_signal_noise_ratio`` with ``data_range=1.0``: per image 10 log10(1 / MSE), then the mean of the
    N values (``inf`` when an image equals its target). A constant offset d in [0, 1] units gives
    20 log10(1 / d): 20 dB for d = 0.1.
    """
    from torchmetrics.functional.image import peak_signal_noise_ratio

    x, y = _paired(a, b)
    per_image = peak_signal_noise_ratio(x, y, data_range=1.0, reduction="none", dim=(1, 2, 3))
    return float(per_image.mean())


def ssim(a, b) -> float:
    """Structural similarity (Wang et al. 2004) of images ``a`` and targets ``b``, the mean over the batch.

    torchmetrics' ``structural_similarity_index_measure`` with its defaults (Gaussian window of 11 pixels,
    sigma 1.5, k1 = 0.01, k2 = 0.03) on images mapped from [-1, 1] to [0, 1] with ``data_range=1.0``; 1 for
    identical images. Images must be at least 11 x 11.
    """
    from torchmetrics.functional.image import structural_similarity_index_measure

    x, y = _paired(a, b)
    if min(x.shape[-2:]) < 11:
        raise ValueError(f"ssim needs images of at least 11 x 11 pixels (its Gaussian window), got "
                         f"{x.shape[-2]} x {x.shape[-1]}")
    return float(structural_similarity_index_measure(x, y, data_range=1.0))


def sharpness(images) -> float:
    """Mean gradient magnitude of the images' luminance: a blur measure (lower = blurrier).

    ``images``: float (N, C, H, W) in [-1, 1], C = 3 (BT.601 luminance 0.299 R + 0.587 G + 0.114 B) or 1,
    mapped to [0, 1]. Forward differences dx = L[i, j+1] - L[i, j], dy = L[i+1, j] - L[i, j] on the
    (H-1) x (W-1) grid where both exist; returns the mean of sqrt(dx^2 + dy^2) over pixels and images.
    A vertical step of height h in [0, 1] units across an H x W image gives h / (W - 1).
    """
    import torch

    x = _unit_range("images", images)
    if min(x.shape[-2:]) < 2:
        raise ValueError("sharpness needs images of at least 2 x 2 pixels")
    if x.shape[1] == 3:
        x = (x * torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)).sum(dim=1, keepdim=True)
    dx = x[..., :-1, 1:] - x[..., :-1, :-1]
    dy = x[..., 1:, :-1] - x[..., :-1, :-1]
    return float(torch.sqrt(dx ** 2 + dy ** 2).mean())


def sharpness_ratio(fake, real) -> float:
    """``sharpness(fake) / sharpness(real)``: 1 when the outputs are as sharp as the targets, below 1 when blurrier.

    Raises ``ValueError`` when the real images are flat (sharpness 0).
    """
    reference = sharpness(real)
    if reference == 0:
        raise ValueError("the real images are flat (sharpness 0): the ratio is undefined")
    return sharpness(fake) / reference


def colourfulness(images) -> float:
    """Colourfulness of Hasler and Suesstrunk (2003, eq. 3 with their M^(3)), the mean over the batch.

    ``images``: float (N, 3, H, W) RGB in [-1, 1], mapped to [0, 1]. Per image, with the opponent channels
    rg = R - G and yb = (R + G) / 2 - B over its pixels: M = sqrt(std(rg)^2 + std(yb)^2)
    + 0.3 sqrt(mean(rg)^2 + mean(yb)^2) (population standard deviation). 0 for any grey image (R = G = B);
    the paper's 0-255 scale is 255 times this one. Unlike :func:`sharpness`, which reads only luminance, it
    tells a desaturated (median-like) colouring from a saturated one when both share the target's luminance.
    """
    import torch

    x = _unit_range("images", images, channels=(3,))
    r, g, b = x[:, 0].flatten(1), x[:, 1].flatten(1), x[:, 2].flatten(1)
    rg, yb = r - g, (r + g) / 2 - b
    spread = torch.sqrt(rg.var(dim=1, unbiased=False) + yb.var(dim=1, unbiased=False))
    offset = torch.sqrt(rg.mean(dim=1) ** 2 + yb.mean(dim=1) ** 2)
    return float((spread + 0.3 * offset).mean())


def colourfulness_ratio(fake, real) -> float:
    """``colourfulness(fake) / colourfulness(real)``: 1 when the outputs are as colourful as the targets, below 1
    when greyer (desaturated), above 1 when more saturated. Raises ``ValueError`` when the real images are all
    grey (colourfulness 0)."""
    reference = colourfulness(real)
    if reference == 0:
        raise ValueError("the real images are grey (colourfulness 0): the ratio is undefined")
    return colourfulness(fake) / reference
