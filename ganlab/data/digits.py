"""Handwritten-looking digits: real MNIST when available, otherwise procedural digits made here.

The offline digits are drawn from stroke templates (polylines in a unit box) with a random affine
transform, stroke width and jitter per sample, rendered by a distance field. Deterministic per seed;
shape ``(N, 1, 28, 28)``, values in ``[-1, 1]`` (background -1), labels 0-9.
"""

from __future__ import annotations

import gzip
import math
import struct
import warnings
from pathlib import Path

import torch


def _ellipse(cx, cy, rx, ry, n=14, start=0.0, stop=2 * math.pi):
    return [(cx + rx * math.cos(start + (stop - start) * i / n), cy + ry * math.sin(start + (stop - start) * i / n))
            for i in range(n + 1)]


# Each digit: a list of polylines, coordinates in [0, 1]^2 with y pointing down.
TEMPLATES: dict[int, list[list[tuple[float, float]]]] = {
    0: [_ellipse(0.5, 0.5, 0.19, 0.33)],
    1: [[(0.40, 0.26), (0.52, 0.15), (0.52, 0.85)]],
    2: [[(0.30, 0.30), (0.38, 0.18), (0.50, 0.15), (0.62, 0.18), (0.70, 0.30), (0.66, 0.45), (0.30, 0.85),
         (0.72, 0.85)]],
    3: [[(0.30, 0.22), (0.48, 0.14), (0.66, 0.21), (0.68, 0.36), (0.50, 0.49), (0.69, 0.61), (0.70, 0.77),
         (0.52, 0.86), (0.30, 0.80)], [(0.42, 0.49), (0.50, 0.49)]],
    4: [[(0.62, 0.85), (0.62, 0.15), (0.28, 0.62), (0.76, 0.62)]],
    5: [[(0.70, 0.15), (0.36, 0.15), (0.33, 0.47), (0.55, 0.42), (0.70, 0.55), (0.70, 0.73), (0.55, 0.86),
         (0.32, 0.80)]],
    6: [[(0.66, 0.18), (0.50, 0.14), (0.36, 0.28), (0.30, 0.55), (0.33, 0.78), (0.50, 0.86), (0.67, 0.76),
         (0.67, 0.59), (0.50, 0.50), (0.32, 0.60)]],
    7: [[(0.28, 0.15), (0.73, 0.15), (0.45, 0.85)], [(0.40, 0.50), (0.64, 0.50)]],
    8: [_ellipse(0.5, 0.32, 0.16, 0.16), _ellipse(0.5, 0.68, 0.19, 0.18)],
    9: [_ellipse(0.5, 0.34, 0.18, 0.18), [(0.68, 0.36), (0.64, 0.85)]],
}


def _segments() -> tuple[torch.Tensor, torch.Tensor]:
    """Per-class padded segment table: (10, S, 2, 2) endpoints and a (10, S) mask."""
    per_class = []
    for d in range(10):
        segs = [(a, b) for line in TEMPLATES[d] for a, b in zip(line[:-1], line[1:])]
        per_class.append(segs)
    s_max = max(len(s) for s in per_class)
    table = torch.zeros(10, s_max, 2, 2)
    mask = torch.zeros(10, s_max, dtype=torch.bool)
    for d, segs in enumerate(per_class):
        table[d, : len(segs)] = torch.tensor(segs)
        mask[d, : len(segs)] = True
    return table, mask


def offline_digits(n: int, seed: int = 0, size: int = 28, labels: torch.Tensor | None = None):
    """``n`` procedural digits: returns ``(images (n, 1, size, size) in [-1, 1], labels (n,) int64)``."""
    if n < 0:
        raise ValueError("n must be >= 0")
    g = torch.Generator().manual_seed(seed)
    if labels is None:
        labels = torch.randint(0, 10, (n,), generator=g)
    table, mask = _segments()
    seg = table[labels].clone()  # (n, S, 2, 2)
    m = mask[labels]
    # per-sample affine: scale, rotation, shear, translation (in unit-box coordinates)
    scale = 0.85 + 0.25 * torch.rand(n, generator=g)
    angle = (torch.rand(n, generator=g) - 0.5) * math.radians(26)
    shear = (torch.rand(n, generator=g) - 0.5) * 0.45
    shift = (torch.rand(n, 2, generator=g) - 0.5) * 0.12
    cos, sin = torch.cos(angle), torch.sin(angle)
    a = torch.stack([torch.stack([cos, -sin + shear * cos], -1), torch.stack([sin, cos + shear * sin], -1)], -2)
    a = a * scale[:, None, None]
    pts = seg - 0.5 + 0.015 * torch.randn(seg.shape, generator=g)  # hand jitter at every vertex
    pts = torch.einsum("nij,nskj->nski", a, pts) + 0.5 + shift[:, None, None, :]
    width = (0.045 + 0.04 * torch.rand(n, generator=g)) * size  # stroke half-width in pixels
    coords = (torch.arange(size, dtype=torch.float32) + 0.5) / size
    gy, gx = torch.meshgrid(coords, coords, indexing="ij")
    grid = torch.stack([gx.flatten(), gy.flatten()], -1)  # (HW, 2) as (x, y)
    images = torch.empty(n, 1, size, size)
    gx, gy = grid[:, 0], grid[:, 1]
    for start in range(0, n, 512):
        stop = min(start + 512, n)
        px, py = pts[start:stop, :, 0, 0, None], pts[start:stop, :, 0, 1, None]  # (b, S, 1)
        dx, dy = pts[start:stop, :, 1, 0, None] - px, pts[start:stop, :, 1, 1, None] - py
        rx, ry = gx - px, gy - py  # (b, S, HW)
        t = ((rx * dx + ry * dy) / (dx * dx + dy * dy + 1e-9)).clamp_(0, 1)
        sq = (rx - t * dx).square_() + (ry - t * dy).square_()
        sq = sq.masked_fill_(~m[start:stop, :, None], float("inf")).amin(dim=1)
        dist = sq.sqrt_() * size  # distance to the nearest stroke, in pixels
        ink = (width[start:stop, None] - dist + 0.5).clamp(0, 1)
        images[start:stop, 0] = (ink * 2 - 1).view(-1, size, size)
    return images, labels


def _read_idx(path: Path) -> torch.Tensor:
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).view(count, rows, cols)
    if magic == 2049:
        return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8).long()
    raise ValueError(f"{path.name} is not an MNIST idx file")


def load_digits(n: int | None = None, train: bool = True, seed: int = 0, source: str = "auto",
                root: str | Path | None = None, download: bool = False, verbose: bool = True):
    """Digits for the labs: ``(images (N, 1, 28, 28) in [-1, 1], labels (N,), source_name)``.

    ``source="auto"`` uses real MNIST when a verified copy is on disk (or ``download=True`` fetches it)
    and otherwise the offline digits, saying so; ``"mnist"`` insists on MNIST; ``"offline"`` never looks.
    """
    from ganlab.data.registry import DATASETS, DatasetUnavailable, fetch

    if source not in {"auto", "mnist", "offline"}:
        raise ValueError("source must be 'auto', 'mnist' or 'offline'")
    if source != "offline":
        try:
            folder = fetch(DATASETS["mnist"], root, download=download, progress=verbose)
            prefix = "train" if train else "t10k"
            images = _read_idx(folder / f"{prefix}-images-idx3-ubyte.gz")
            labels = _read_idx(folder / f"{prefix}-labels-idx1-ubyte.gz")
            if n is not None:
                idx = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))[:n]
                images, labels = images[idx], labels[idx]
            return images.float().div(127.5).sub(1).unsqueeze(1), labels, "mnist"
        except DatasetUnavailable as exc:
            if source == "mnist":
                raise
            if verbose:
                warnings.warn(f"MNIST not available ({exc}); using the project's offline digits instead.",
                              stacklevel=2)
    count = 60000 if n is None and train else 10000 if n is None else n
    images, labels = offline_digits(count, seed=seed if train else seed + 1_000_003)
    return images, labels, "offline-digits"


#: scikit-learn's copy of the UCI digits (1,797 x 8 x 8 grey levels 0-16 and labels, uint8), see datasets/README.md.
UCI_DIGITS_FILE = Path(__file__).resolve().parents[1] / "assets" / "uci_digits.pt"

#: The fraction of scikit-learn's digits held out (stratified, seeded) for the classifier's test accuracy.
SKLEARN_TEST_FRACTION = 0.2


def load_sklearn_digits(size: int = 32, split: str = "train", seed: int = 0):
    """Real handwritten digits, offline: ``(images (N, 1, size, size), labels (N,))``.

    The data of ``sklearn.datasets.load_digits`` (the file ``sklearn/datasets/data/digits.csv.gz`` of
    scikit-learn's wheel, stored here as uint8 tensors in ``ganlab/assets/uci_digits.pt`` so that scikit-learn
    is not needed; see ``datasets/README.md``): 1,797 digits of 8 x 8 pixels with 17 grey levels (0-16), the test set of
    the UCI "Optical Recognition of Handwritten Digits" data (Alpaydin and Kaynak 1998; the test set: 13 of the 43 writers; licence
    CC BY 4.0). Grey levels are mapped to [-1, 1] (background -1, ink +1, as the other digits of the project)
    and the images are upsampled bilinearly (antialiased) to ``size`` x ``size``; upsampling adds no detail.

    ``split``: ``"train"`` (80%, 1,438 images), ``"test"`` (20%, 359 images; stratified by class with ``seed``)
    or ``"all"``. Labels are int64 in 0-9.
    """
    if split not in {"train", "test", "all"}:
        raise ValueError("split must be 'train', 'test' or 'all'")
    if size < 8:
        raise ValueError("size must be >= 8 (the digits are 8 x 8)")
    data = torch.load(UCI_DIGITS_FILE, weights_only=True)
    images = data["images"].float().div(8).sub(1).unsqueeze(1)  # (1797, 1, 8, 8), grey levels 0-16 -> [-1, 1]
    labels = data["labels"].long()
    if split != "all":
        g = torch.Generator().manual_seed(seed)
        test = torch.zeros(len(labels), dtype=torch.bool)
        for k in range(10):  # stratified: the same fraction of every class
            idx = (labels == k).nonzero().view(-1)
            idx = idx[torch.randperm(len(idx), generator=g)]
            test[idx[: round(SKLEARN_TEST_FRACTION * len(idx))]] = True
        keep = test if split == "test" else ~test
        images, labels = images[keep], labels[keep]
    if size != 8:
        images = torch.nn.functional.interpolate(images, size=(size, size), mode="bilinear", align_corners=False,
                                                 antialias=True).clamp(-1, 1)
    return images, labels
