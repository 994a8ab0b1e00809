"""Videos for Lab 8: bouncing handwritten digits, shapes in motion, and Moving MNIST through the registry.

Every video tensor is float32 ``(N, C, T, H, W)`` in ``[-1, 1]`` (PyTorch's Conv3d layout: channels before
time; background -1, ink +1), with ``C = 1``.

- :func:`moving_digits`: two (or ``num_digits``) real handwritten digits bouncing off the walls, made here from
  scikit-learn's UCI digits (stored in ``ganlab/assets/uci_digits.pt``) or from the project's procedural
  digits, with digit identities and trajectories as labels. The offline default of Moving MNIST.
- :func:`moving_shapes`: one shape (circle, square, triangle) per video following one of a few motion classes
  (left, right, up, down, circle), with a little jitter: content and motion labels for conditional generation.
- :func:`load_moving_mnist`: Srivastava et al.'s Moving MNIST test sequences (``mnist_test_seq.npy``,
  checksum-verified through :mod:`ganlab.data.registry`), split by sequence; the moving digits when absent.

Deterministic: the same arguments give identical tensors, and video ``i`` depends only on the seed (and the
size arguments), never on ``n``, so the first ``k`` videos of any call are the same. Importing this module
has no side effects: glyph banks and files load on first use. See ``datasets/moving_digits.md`` and
``datasets/moving_mnist.md``.
"""

from __future__ import annotations

import functools
import math
import warnings
from pathlib import Path

import torch

#: Offset added to ``seed`` for the held-out (``split="test"``) videos, as ``ganlab.data.load_digits`` does.
TEST_SEED_OFFSET = 1_000_003

#: Number of procedural glyphs in the offline banks that ``moving_digits(source="offline")`` draws from.
OFFLINE_BANK = {"train": 2000, "test": 500}

#: The shape classes of :func:`moving_shapes`, in label order.
SHAPES = ("circle", "square", "triangle")

#: The motion classes :func:`moving_shapes` knows; its ``motions`` argument picks and orders a subset.
MOTIONS = ("left", "right", "up", "down", "circle")

#: Moving MNIST as published: (time, sequence, height, width) uint8.
MOVING_MNIST_SHAPE = (20, 10000, 64, 64)

#: Sequences of ``mnist_test_seq.npy`` in the training split of :func:`load_moving_mnist` (the rest is "test").
MOVING_MNIST_TRAIN = 9000


def _check_sizes(n: int, num_frames: int, size: int) -> None:
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be an int >= 0, got {n!r}")
    if not isinstance(num_frames, int) or num_frames < 1:
        raise ValueError(f"num_frames must be an int >= 1, got {num_frames!r}")
    if not isinstance(size, int) or size < 16:
        raise ValueError(f"size must be an int >= 16, got {size!r}")


def _uniforms(n: int, k: int, seed: int) -> torch.Tensor:
    """``(n, k)`` uniforms in [0, 1): row ``i`` depends only on ``seed``, ``k`` and ``i``.

    torch's CPU generator fills the rows in order from one seeded Mersenne twister, so the first rows of
    any call are the same: that is what makes video ``i`` independent of ``n``.
    """
    return torch.rand(n, k, generator=torch.Generator().manual_seed(seed))


# -- moving digits ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def glyph_bank(source: str, split: str, glyph_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The digits that :func:`moving_digits` places: ``(glyphs (G, glyph_size, glyph_size) in [-1, 1], labels (G,))``.

    ``source="uci"``: scikit-learn's UCI digits (``ganlab.data.digits.load_sklearn_digits``), ``split="train"``
    its 1,438 training digits, ``"test"`` its 359 held-out digits (a seeded split stratified by class, so no
    test video shows a glyph of a training video). ``source="offline"``: the project's procedural digits,
    2,000 made with seed 0 for ``"train"`` and 500 with seed 1,000,003 for ``"test"``. Cached; do not modify
    the returned tensors.
    """
    from ganlab.data.digits import load_sklearn_digits, offline_digits

    if split not in ("train", "test"):
        raise ValueError("split must be 'train' or 'test'")
    if source == "uci":
        images, labels = load_sklearn_digits(size=glyph_size, split=split)
    elif source == "offline":
        images, labels = offline_digits(OFFLINE_BANK[split], seed=0 if split == "train" else TEST_SEED_OFFSET,
                                        size=glyph_size)
    else:
        raise ValueError("source must be 'uci' (scikit-learn's real digits) or 'offline' (procedural digits)")
    return images[:, 0].contiguous(), labels


def bounce(start: torch.Tensor, velocity: torch.Tensor, limit: float, num_frames: int):
    """Straight motion reflected off the walls of ``[0, limit]``: ``(positions, velocities)``, each ``(..., T)``.

    ``start`` in ``[0, limit]`` and ``velocity`` (pixels per frame) have the same shape; position ``t`` is
    ``start + t * velocity`` folded back into the interval at every wall it crosses (a perfect elastic
    bounce), and the velocity returned for frame ``t`` is that of the move from frame ``t`` to ``t + 1`` (at a
    wall it already points back into the interval).
    """
    t = torch.arange(num_frames, dtype=torch.float32)
    unfolded = start[..., None] + velocity[..., None] * t  # (..., T): the path without walls
    if limit <= 0:
        return torch.zeros_like(unfolded), torch.zeros_like(unfolded)
    phase = torch.remainder(unfolded, 2 * limit)  # in [0, 2 limit): going out, then coming back
    positions = limit - (phase - limit).abs()
    sign = torch.where(phase < limit, 1.0, -1.0)
    return positions, velocity[..., None] * sign


def moving_digits(n: int, num_frames: int = 16, size: int = 32, num_digits: int = 2, seed: int = 0,
                  source: str = "uci", split: str = "train"):
    """``n`` videos of handwritten digits bouncing off the walls: ``(videos, labels)``.

    ``videos``: float32 ``(n, 1, num_frames, size, size)`` in ``[-1, 1]`` (background -1). Each of the
    ``num_digits`` digits is a ``size // 2`` x ``size // 2`` glyph that starts at a uniformly drawn place and
    moves in a uniformly drawn direction at ``size / 32`` to ``2 size / 32`` pixels per frame, bouncing off
    the walls (its box never leaves the frame); where digits overlap the brighter pixel wins (max), as in
    Srivastava et al.'s Moving MNIST. Glyphs are placed at whole pixels (the rounded positions), so they stay
    as sharp as the glyph itself.

    ``source``: ``"uci"`` (real handwritten digits, scikit-learn's copy of the UCI digits, 8 x 8 upsampled)
    or ``"offline"`` (the project's procedural digits). ``split``: ``"train"`` draws glyphs from the training
    digits, ``"test"`` from the held-out digits (see :func:`glyph_bank`) and trajectories from
    ``seed + TEST_SEED_OFFSET``, for held-out evaluation.

    ``labels``: a dict of
    - ``"digits"``: int64 ``(n, num_digits)``, the class (0-9) of each digit;
    - ``"positions"``: int64 ``(n, num_frames, num_digits, 2)``, the (x, y) = (column, row) of the top-left
      pixel of each digit's box in each frame, in ``[0, size - size // 2]``;
    - ``"velocities"``: float32 ``(n, num_frames, num_digits, 2)``, the (x, y) velocity in pixels per frame
      of the move from each frame to the next (a component's sign flips at each bounce; the speed stays);
    - ``"glyphs"``: int64 ``(n, num_digits)``, the index of each glyph in ``glyph_bank(source, split, size // 2)``.

    Deterministic per ``seed``; video ``i`` does not depend on ``n``. 64 x 64 (``size=64``, 32 x 32 glyphs)
    is the Moving MNIST geometry (there 28 x 28 digits).
    """
    _check_sizes(n, num_frames, size)
    if not isinstance(num_digits, int) or num_digits < 1:
        raise ValueError(f"num_digits must be an int >= 1, got {num_digits!r}")
    if split not in ("train", "test"):
        raise ValueError("split must be 'train' or 'test'")
    glyph_size = size // 2
    glyphs, glyph_labels = glyph_bank(source, split, glyph_size)
    u = _uniforms(n, 5 * num_digits, seed + (TEST_SEED_OFFSET if split == "test" else 0)).view(n, num_digits, 5)
    index = (u[..., 0] * len(glyphs)).long().clamp_(max=len(glyphs) - 1)  # (n, D)
    limit = size - glyph_size  # the box's top-left corner moves in [0, limit]
    start = u[..., 1:3] * limit  # (n, D, 2) as (x, y)
    angle = u[..., 3] * 2 * math.pi
    speed = (1 + u[..., 4]) * size / 32
    velocity = torch.stack([speed * torch.cos(angle), speed * torch.sin(angle)], -1)  # (n, D, 2)
    pos, vel = bounce(start, velocity, float(limit), num_frames)  # (n, D, 2, T)
    positions = pos.round().long().clamp_(0, limit).permute(0, 3, 1, 2).contiguous()  # (n, T, D, 2)
    velocities = vel.permute(0, 3, 1, 2).contiguous()

    videos = torch.full((n, num_frames, size, size), -1.0)
    offsets = torch.arange(glyph_size)
    ni = torch.arange(n)[:, None, None, None]
    ti = torch.arange(num_frames)[None, :, None, None]
    for d in range(num_digits):
        rows = (positions[:, :, d, 1, None] + offsets)[:, :, :, None]  # (n, T, g, 1)
        cols = (positions[:, :, d, 0, None] + offsets)[:, :, None, :]  # (n, T, 1, g)
        glyph = glyphs[index[:, d]][:, None]  # (n, 1, g, g), the same glyph in every frame
        videos[ni, ti, rows, cols] = torch.maximum(videos[ni, ti, rows, cols], glyph)
    labels = {"digits": glyph_labels[index], "positions": positions, "velocities": velocities, "glyphs": index}
    return videos.unsqueeze(1), labels  # (n, 1, T, size, size)


# -- moving shapes ------------------------------------------------------------------------------------


def _shape_distance(kind: torch.Tensor, dx: torch.Tensor, dy: torch.Tensor, r: torch.Tensor) -> torch.Tensor:
    """Signed distance in pixels (negative inside) to a circle, square or upward triangle of size ``r``."""
    circle = torch.sqrt(dx * dx + dy * dy) - r
    square = torch.maximum(dx.abs(), dy.abs()) - 0.85 * r  # half-side 0.85 r: about the circle's area
    # equilateral triangle pointing up (y grows downwards), circumradius r: the largest distance along
    # its three outward edge normals minus the inradius, which is too small beyond the corners; taking the
    # max with the circumcircle's distance keeps every corner inside the radius r
    c, s = math.cos(math.pi / 6), math.sin(math.pi / 6)
    edges = torch.maximum(torch.maximum(dy, -c * dx - s * dy), c * dx - s * dy)
    triangle = torch.maximum(edges - 0.5 * r, circle)
    return torch.where(kind == 0, circle, torch.where(kind == 1, square, triangle))


def moving_shapes(n: int, num_frames: int = 16, size: int = 32, seed: int = 0, motions: tuple = MOTIONS):
    """``n`` videos of one white shape moving on black: ``(videos, labels)``.

    ``videos``: float32 ``(n, 1, num_frames, size, size)`` in ``[-1, 1]``, anti-aliased edges. Each video has
    one shape of :data:`SHAPES` (circle, square, triangle; radius 14-18% of ``size``), drawn uniformly, and
    one motion of ``motions``, drawn uniformly:
    - ``"left"``, ``"right"``, ``"up"``, ``"down"``: a straight path at constant speed that covers 60-100%
      of the free space across the frame during the clip (the shape never leaves the frame);
    - ``"circle"``: an anticlockwise (as seen on screen) orbit whose radius is 45-81% of the largest that
      fits, at 0.8-1.2 turns per 16 frames, from a random phase.
    Every frame adds a jitter of up to 0.3 pixels in x and y; 1.5 pixels at each wall stay black.

    ``motions``: a non-empty tuple of distinct names from :data:`MOTIONS` (``("left",)`` gives only
    leftward videos). ``labels``: ``"shape"`` int64 ``(n,)`` (index into :data:`SHAPES`), ``"motion"``
    int64 ``(n,)`` (index into ``motions``), ``"positions"`` float32 ``(n, num_frames, 2)`` (the (x, y)
    centre in pixels, origin at the top-left corner of the frame), ``"radius"`` float32 ``(n,)`` in pixels.
    Deterministic per ``seed``; video ``i`` does not depend on ``n``.
    """
    _check_sizes(n, num_frames, size)
    motions = tuple(motions)
    if not motions or len(set(motions)) != len(motions) or not set(motions) <= set(MOTIONS):
        raise ValueError(f"motions must be a non-empty tuple of distinct names from {MOTIONS}, got {motions!r}")
    u = _uniforms(n, 9 + 2 * num_frames, seed)
    shape = (u[:, 0] * len(SHAPES)).long().clamp_(max=len(SHAPES) - 1)
    motion = (u[:, 1] * len(motions)).long().clamp_(max=len(motions) - 1)
    kinds = torch.tensor([MOTIONS.index(m) for m in motions])[motion]  # (n,) index into MOTIONS
    radius = size * (0.14 + 0.04 * u[:, 2])
    margin = 1.5  # pixels kept free at the walls: more than the jitter plus the anti-aliased edge
    t = torch.arange(num_frames, dtype=torch.float32)
    # straight motions: travel along one axis, start placed so that the whole path fits
    low, high = margin + radius, size - margin - radius  # allowed centre coordinates, per video
    free = high - low
    travel = free * (0.6 + 0.4 * u[:, 3])
    along = low + (free - travel) * u[:, 4]  # start of the path on the moving axis (for right / down)
    across = low + free * u[:, 5]  # fixed coordinate on the other axis
    progress = travel[:, None] * t / max(num_frames - 1, 1)  # (n, T)
    forward = along[:, None] + progress  # right or down
    backward = (along + travel)[:, None] - progress  # left or up
    fixed = across[:, None].expand(-1, num_frames)
    # circle: orbit of radius R around a centre placed so that the orbit fits
    orbit = (size / 2 - margin - radius) * (0.5 + 0.4 * u[:, 6]) * 0.9
    centre_low, centre_high = low + orbit, high - orbit
    cx = centre_low + (centre_high - centre_low) * u[:, 4]
    cy = centre_low + (centre_high - centre_low) * u[:, 5]
    phase = 2 * math.pi * u[:, 7][:, None] + 2 * math.pi * (0.8 + 0.4 * u[:, 8])[:, None] * t / 16
    ox, oy = cx[:, None] + orbit[:, None] * torch.cos(phase), cy[:, None] - orbit[:, None] * torch.sin(phase)
    k = kinds[:, None]
    x = torch.where(k == 0, backward, torch.where(k == 1, forward, torch.where(k == 4, ox, fixed)))
    y = torch.where(k == 2, backward, torch.where(k == 3, forward, torch.where(k == 4, oy, fixed)))
    jitter = (u[:, 9:].view(n, num_frames, 2) - 0.5) * 0.6
    positions = torch.stack([x, y], -1) + jitter  # (n, T, 2)

    coords = torch.arange(size, dtype=torch.float32) + 0.5  # pixel centres
    dx = coords.view(1, 1, 1, size) - positions[..., 0, None, None]  # (n, T, 1, size)
    dy = coords.view(1, 1, size, 1) - positions[..., 1, None, None]  # (n, T, size, 1)
    dist = _shape_distance(shape.view(n, 1, 1, 1), dx, dy, radius.view(n, 1, 1, 1))  # (n, T, size, size)
    ink = (0.5 - dist).clamp(0, 1)  # one pixel of anti-aliasing across the edge
    videos = (ink * 2 - 1).unsqueeze(1)  # (n, 1, T, size, size)
    labels = {"shape": shape, "motion": motion, "positions": positions, "radius": radius}
    return videos, labels


# -- Moving MNIST -------------------------------------------------------------------------------------


def read_moving_mnist(path: str | Path, split: str = "train", n: int | None = None, num_frames: int = 20,
                      size: int = 64) -> torch.Tensor:
    """Videos from a ``mnist_test_seq.npy`` file (no checksum check here: :func:`load_moving_mnist` does it).

    The file holds uint8 ``(20, S, 64, 64)`` (time first; S = 10,000 in the published file). ``split``:
    ``"train"`` the first ``MOVING_MNIST_TRAIN`` / 10,000 of the sequences (9,000 of 10,000), ``"test"``
    the rest, ``"all"`` every sequence: a split BY SEQUENCE, so no test frame belongs to a training video.
    (torchvision's ``MovingMNIST(split=...)`` instead cuts every sequence in time, the first ``split_ratio``
    frames for "train" and the rest for "test": the frame-prediction setting, not a held-out set of videos.)
    ``n``: the first ``n`` sequences of the split (all when ``None``); ``num_frames``: the first frames of each
    (1-20); ``size``: 64, or smaller for a bilinear antialiased resize. Returns float32 ``(N, 1, num_frames,
    size, size)`` in ``[-1, 1]``. Memory-mapped: only the sequences asked for are read.
    """
    import numpy as np

    if split not in ("train", "test", "all"):
        raise ValueError("split must be 'train', 'test' or 'all'")
    data = np.load(path, mmap_mode="r")
    if data.ndim != 4 or data.dtype != np.uint8 or data.shape[2:] != (64, 64):
        raise ValueError(f"{path} is not Moving MNIST: expected uint8 (T, S, 64, 64), got {data.dtype} {data.shape}")
    if not 1 <= num_frames <= data.shape[0]:
        raise ValueError(f"num_frames must be in 1..{data.shape[0]}, got {num_frames}")
    total = data.shape[1]
    cut = round(total * MOVING_MNIST_TRAIN / MOVING_MNIST_SHAPE[1])
    lo, hi = {"train": (0, cut), "test": (cut, total), "all": (0, total)}[split]
    if n is not None:
        if n < 0:
            raise ValueError("n must be >= 0")
        hi = min(hi, lo + n)
    frames = torch.from_numpy(np.ascontiguousarray(data[:num_frames, lo:hi]))  # (T, N, 64, 64) uint8
    videos = frames.permute(1, 0, 2, 3).float().div(127.5).sub(1)  # (N, T, 64, 64) in [-1, 1]
    if size != 64:
        count = videos.shape[0]
        videos = torch.nn.functional.interpolate(videos.reshape(-1, 1, 64, 64), size=(size, size), mode="bilinear",
                                                 align_corners=False, antialias=True).clamp(-1, 1)
        videos = videos.view(count, num_frames, size, size)
    return videos.unsqueeze(1).contiguous()  # (N, 1, T, size, size)


def load_moving_mnist(split: str = "train", root: str | Path | None = None, download: bool = True,
                      n: int | None = None, num_frames: int = 16, size: int = 64, source: str = "auto",
                      seed: int = 0, verbose: bool = True):
    """Moving MNIST for full mode, or the offline moving digits: ``(videos, labels, source_name)``.

    ``source="auto"``: the verified ``mnist_test_seq.npy`` (registry entry ``"moving-mnist"``: MD5 checked;
    found in ``root`` or ``$GANLAB_DATA/moving-mnist``, downloaded there when ``download`` is true) read by
    :func:`read_moving_mnist` (``labels`` is ``None``: the file has none), and otherwise, with a warning
    saying so, ``moving_digits(n or 1000, num_frames, size, seed=seed, split=...)`` (real UCI glyphs;
    ``split="all"`` is treated as ``"train"``). ``"moving-mnist"`` raises
    :class:`~ganlab.data.registry.DatasetUnavailable` instead of falling back; ``"offline"`` never looks.
    """
    from ganlab.data.registry import DATASETS, DatasetUnavailable, fetch

    if source not in ("auto", "moving-mnist", "offline"):
        raise ValueError("source must be 'auto', 'moving-mnist' or 'offline'")
    if split not in ("train", "test", "all"):
        raise ValueError("split must be 'train', 'test' or 'all'")
    if source != "offline":
        try:
            spec = DATASETS["moving-mnist"]
            folder = fetch(spec, root, download=download, progress=verbose)
            videos = read_moving_mnist(folder / spec.files[0].name, split, n, num_frames, size)
            return videos, None, "moving-mnist"
        except DatasetUnavailable as exc:
            if source == "moving-mnist":
                raise
            if verbose:
                warnings.warn(f"Moving MNIST not available ({exc}); using the project's moving digits "
                              "(real UCI handwritten digits) instead.", stacklevel=2)
    videos, labels = moving_digits(1000 if n is None else n, num_frames, size, seed=seed,
                                   split="test" if split == "test" else "train")
    return videos, labels, "moving-digits"
