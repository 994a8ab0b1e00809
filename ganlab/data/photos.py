"""Real colour photos offline (scikit-image's sample photos) and the paired tasks of Lab 5 (pix2pix).

scikit-image ships a few real photographs in its wheel (``skimage/data/``). Seven of them, all public domain
or CC0 (:data:`SOURCES`), are stored here downscaled as uint8 tensors in ``ganlab/assets/skimage_photos.pt``
(built from the wheel by ``python datasets/prepare.py skimage-photos``, see ``datasets/skimage_photos.md``),
so neither scikit-image nor the network is needed. Crops are cut at run time::

    from ganlab.data.photos import load_photos, make_pair
    y = load_photos(size=32, split="train")        # (N, 3, 32, 32) float32 in [-1, 1]
    x, y = make_pair(y, "edges2photo")               # x: the condition (edge map), y: the photo

Whole source images are held out for ``split="test"`` (chelsea and coffee), so test crops come from
pictures the model never saw, not merely from other places of the same pictures. The real facades of the
paper (``load_facades``, ``load_aligned_folder``) come from :mod:`ganlab.data.paired`.

Importing this module has no side effects: the asset is read on first use.
"""

from __future__ import annotations

import hashlib
import io
import math
import zipfile
from pathlib import Path

import torch
import torch.nn.functional as F

# The facades (A|B pairs downloaded through the registry) live in ganlab.data.paired; re-exported here so that
# the lab's data functions come from one module.
from ganlab.data.paired import load_aligned_folder, load_facades  # noqa: F401

#: The stored photos (uint8, (3, H, W) each); rebuilt by ``python datasets/prepare.py skimage-photos``.
PHOTOS_FILE = Path(__file__).resolve().parents[1] / "assets" / "skimage_photos.pt"

#: SHA-256 of :data:`PHOTOS_FILE` as built from scikit-image 0.26.0 with Pillow 13.0.0 and torch 2.14 (the
#: file's bytes depend on torch's serialisation), and of the pixels alone (:func:`pixels_sha256`, which depends
#: only on the wheel's files and Pillow's Lanczos filter). The build checks both.
PHOTOS_SHA256 = "8d930b61efbf17f3a45c8336fcf8d1ebe2fc9e2e5d931bcad8d94e3fa351dfac"
PIXELS_SHA256 = "26dfe979644cedb6e31683a1e32ceade024d6b891116fcbecf1fdc96e83f71f7"

#: The wheel the asset was built from (any platform's wheel holds the same data files).
SKIMAGE_VERSION = "0.26.0"

#: Every source photo: its file in the wheel (with that file's SHA-256, as in the wheel's RECORD), the size
#: stored here (the shorter side; the longer side is scaled alike and centre-cropped to a multiple of 32),
#: the split it belongs to, and its licence and origin as scikit-image's ``skimage.data`` docstrings state them.
SOURCES: tuple[dict, ...] = (
    {"name": "astronaut", "file": "astronaut.png", "short_side": 384, "split": "train",
     "sha256": "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
     "licence": "public domain (NASA; 'no known copyright restrictions')",
     "source": "Eileen Collins, NASA Great Images database (https://flic.kr/p/r9qvLn), via skimage.data.astronaut"},
    {"name": "chelsea", "file": "chelsea.png", "short_side": 256, "split": "test",
     "sha256": "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
     "licence": "CC0 (photographer Stefan van der Walt)",
     "source": "Chelsea the cat, skimage.data.chelsea"},
    {"name": "coffee", "file": "coffee.png", "short_side": 320, "split": "test",
     "sha256": "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",
     "licence": "CC0 (photographer Rachel Michetti)",
     "source": "Coffee cup, courtesy of Pikolo Espresso Bar, skimage.data.coffee"},
    {"name": "hubble_deep_field", "file": "hubble_deep_field.jpg", "short_side": 352, "split": "train",
     "sha256": "3a19c5dd8a927a9334bb1229a6d63711b1c0c767fb27e2286e7c84a3e2c2f5f4",
     "licence": "public domain (NASA media guidelines)",
     "source": "Hubble eXtreme Deep Field, HubbleSite release 2012-37, via skimage.data.hubble_deep_field"},
    {"name": "immunohistochemistry", "file": "ihc.png", "short_side": 320, "split": "train",
     "sha256": "f8dd1aa387ddd1f49d8ad13b50921b237df8e9b262606d258770687b0ef93cef",
     "licence": "no known copyright restrictions (as stated by scikit-image)",
     "source": "Colonic glands, IHC staining (Center for Microscopy And Molecular Imaging), "
               "skimage.data.immunohistochemistry"},
    {"name": "retina", "file": "retina.jpg", "short_side": 384, "split": "train",
     "sha256": "38a07f36f27f095e818aea7b96d34202c05176d30253c66733f2e00379e9e0e6",
     "licence": "CC0 1.0 (Mikael Haggstrom, Wikimedia Commons)",
     "source": "Fundus photograph of a normal left eye, Wikimedia Commons, via skimage.data.retina"},
    {"name": "rocket", "file": "rocket.jpg", "short_side": 320, "split": "train",
     "sha256": "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c",
     "licence": "public domain (released by SpaceX)",
     "source": "Falcon 9 launch with DSCOVR, SpaceX Photos on Flickr, via skimage.data.rocket"},
)

TASKS = ("edges2photo", "grey2colour", "inpaint")

#: Crops whose luminance (in [0, 1]) has a standard deviation below this (half a grey level) are dropped: the
#: constant black corners of the retina and a few of the astronaut background carry nothing to learn.
FLAT_STD = 0.002

#: ITU-R BT.601 luma weights (R, G, B).
BT601 = (0.299, 0.587, 0.114)

MIN_SIZE, MAX_SIZE = 8, 256

_CACHE: dict[str, torch.Tensor] = {}


def photo_sources() -> list[dict]:
    """Every stored photo: ``{name, licence, source, split}`` (plus the wheel ``file`` and its ``sha256``)."""
    return [{key: src[key] for key in ("name", "licence", "source", "split", "file", "sha256")} for src in SOURCES]


def _stored_photos() -> dict[str, torch.Tensor]:
    if not _CACHE:
        data = torch.load(PHOTOS_FILE, weights_only=True)
        _CACHE.update(data["images"])
    return _CACHE


def _check_size(size) -> int:
    if isinstance(size, bool) or not isinstance(size, int):
        raise ValueError(f"size must be an int between {MIN_SIZE} and {MAX_SIZE}, got {size!r}")
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"size must be between {MIN_SIZE} and {MAX_SIZE} (every stored photo is at least "
                         f"{MAX_SIZE} pixels on its shorter side), got {size}")
    return size


def _tile(image: torch.Tensor, size: int) -> torch.Tensor:
    """Non-overlapping ``size`` x ``size`` crops of a (3, H, W) image on a centred grid: (K, 3, size, size)."""
    _, h, w = image.shape
    rows, cols = h // size, w // size
    top, left = (h - rows * size) // 2, (w - cols * size) // 2
    grid = image[:, top: top + rows * size, left: left + cols * size]
    # (3, rows, size, cols, size) -> (rows, cols, 3, size, size): row-major order of the crops
    return grid.reshape(3, rows, size, cols, size).permute(1, 3, 0, 2, 4).reshape(rows * cols, 3, size, size)


def luminance(images: torch.Tensor) -> torch.Tensor:
    """BT.601 luma of (N, 3, H, W) images, any value range (a weighted channel sum): (N, 1, H, W)."""
    weights = torch.tensor(BT601, dtype=images.dtype, device=images.device).view(1, 3, 1, 1)
    return (images * weights).sum(dim=1, keepdim=True)


def crop_counts(size: int) -> dict[str, int]:
    """How many crops of side ``size`` each stored photo gives (after dropping flat crops)."""
    _check_size(size)
    counts = {}
    for src in SOURCES:
        crops = _tile(_stored_photos()[src["name"]], size).float() / 255.0
        counts[src["name"]] = int((luminance(crops).flatten(1).std(dim=1) >= FLAT_STD).sum())
    return counts


def load_photos(size: int = 32, split: str = "train", seed: int = 0) -> torch.Tensor:
    """Crops of real photos: float32 ``(N, 3, size, size)`` in ``[-1, 1]``, shuffled with ``seed``.

    Each stored photo (:func:`photo_sources`) is cut into non-overlapping ``size`` x ``size`` crops on a grid
    centred in the photo; crops whose luminance standard deviation is below :data:`FLAT_STD` (flat black sky,
    dark corners) are dropped. ``split``: ``"train"`` (astronaut, hubble_deep_field, immunohistochemistry,
    retina, rocket), ``"test"`` (chelsea, coffee: whole photos held out) or ``"all"``. ``size``: an int from
    8 to 256 (32 and 64 are the lab's sizes; a size that divides 32 tiles every photo exactly). The same
    ``(size, split, seed)`` always gives the same tensor; another ``seed`` gives the same crops in another order.
    Raises ``ValueError`` for an unknown split or a bad size.
    """
    _check_size(size)
    if split not in {"train", "test", "all"}:
        raise ValueError(f"split must be 'train', 'test' or 'all', got {split!r}")
    stored = _stored_photos()
    crops = [_tile(stored[src["name"]], size) for src in SOURCES if split in ("all", src["split"])]
    images = torch.cat(crops).float().div(127.5).sub(1.0)
    keep = luminance((images + 1) / 2).flatten(1).std(dim=1) >= FLAT_STD
    images = images[keep]
    order = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))
    return images[order].contiguous()


# ---------------------------------------------------------------------------------------------------------
# Paired tasks


def _conv_same(images: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """2-D correlation of (N, 1, H, W) with a (kh, kw) kernel, replicating the border: same size out."""
    kh, kw = kernel.shape
    padded = F.pad(images, (kw // 2, kw // 2, kh // 2, kh // 2), mode="replicate")
    return F.conv2d(padded, kernel.view(1, 1, kh, kw).to(images))


def _gaussian_blur(images: torch.Tensor, sigma: float) -> torch.Tensor:
    radius = max(1, math.ceil(2 * sigma))
    offsets = torch.arange(-radius, radius + 1, dtype=torch.float32)
    g = torch.exp(-offsets ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    return _conv_same(_conv_same(images, g.view(1, -1)), g.view(-1, 1))


#: Thresholds of :func:`edge_map` on the Sobel gradient (luminance in [0, 1], Sobel divided by 8 so that a
#: ramp of slope s per pixel has magnitude s), and the Gaussian smoothing applied first (pixels).
EDGE_LOW, EDGE_HIGH, EDGE_SIGMA = 0.02, 0.05, 1.0


def edge_map(photos: torch.Tensor, low: float = EDGE_LOW, high: float = EDGE_HIGH,
             sigma: float = EDGE_SIGMA) -> torch.Tensor:
    """Canny-like edges of (N, 3, H, W) photos in [-1, 1]: (N, 3, H, W), edges -1 (black) on +1 (white).

    The steps of Canny (1986) in plain torch: BT.601 luminance mapped to [0, 1], Gaussian smoothing
    (``sigma`` pixels), Sobel gradient, non-maximum suppression along the gradient direction (quantised
    to 0, 45, 90, 135 degrees), then hysteresis: pixels above ``high`` are edges, and pixels above ``low``
    become edges when connected (8-neighbourhood) to an edge. The three output channels are identical.
    """
    grey = _gaussian_blur(luminance((photos.float() + 1) / 2), sigma)
    sobel = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]) / 8
    gx, gy = _conv_same(grey, sobel), _conv_same(grey, sobel.t())
    magnitude = torch.sqrt(gx ** 2 + gy ** 2)
    # direction of the gradient in [0, 180) degrees, quantised to the 4 neighbour axes
    angle = torch.rad2deg(torch.atan2(gy, gx)) % 180
    sector = torch.round(angle / 45).long() % 4  # 0: horizontal gradient, 1: 45, 2: vertical, 3: 135
    padded = F.pad(magnitude, (1, 1, 1, 1), mode="replicate")
    h, w = magnitude.shape[-2:]

    def shifted(dy, dx):  # magnitude of the neighbour at (row + dy, col + dx)
        return padded[..., 1 + dy: 1 + dy + h, 1 + dx: 1 + dx + w]

    # image rows grow downwards, so a gradient at +45 degrees (gx > 0, gy > 0) points to (row + 1, col + 1)
    neighbours = [(shifted(0, 1), shifted(0, -1)), (shifted(1, 1), shifted(-1, -1)),
                  (shifted(1, 0), shifted(-1, 0)), (shifted(1, -1), shifted(-1, 1))]
    is_max = torch.zeros_like(magnitude, dtype=torch.bool)
    for k, (ahead, behind) in enumerate(neighbours):
        # strictly above the neighbour ahead, at least the one behind: of two equal maxima (the two sides of a
        # symmetric step) exactly one survives, so edges are one pixel wide
        is_max |= (sector == k) & (magnitude > ahead) & (magnitude >= behind)
    weak = is_max & (magnitude >= low)
    edges = is_max & (magnitude >= high)
    # hysteresis: grow the strong edges through connected weak pixels until nothing changes, one pixel per
    # round, working only on the images that changed in the previous round (most settle after a few rounds)
    active = torch.arange(len(edges))
    while len(active):
        current = edges[active]
        grown = F.max_pool2d(current.float(), 3, stride=1, padding=1).bool() & weak[active] | current
        changed = (grown != current).flatten(1).any(dim=1)
        edges[active] = grown
        active = active[changed]
    return torch.where(edges, -1.0, 1.0).expand(-1, 3, -1, -1).contiguous().to(photos.dtype)


def make_pair(photos: torch.Tensor, task: str, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The (condition x, target y) pair of a pix2pix task built from photos: ``y`` is ``photos`` (a copy).

    ``photos``: float ``(N, 3, H, W)`` in ``[-1, 1]``. ``task``:

    - ``"edges2photo"``: ``x`` = :func:`edge_map` (Canny-like edges of the luminance, black on white, 3
      identical channels);
    - ``"grey2colour"``: ``x`` = the BT.601 luminance copied to the 3 channels;
    - ``"inpaint"``: ``x`` = the photo with its centred square of side ``H // 2`` (top-left corner at
      ``(H - H // 2) // 2``) set to 0, mid-grey; needs square photos.

    All three are deterministic functions of the photos; ``seed`` is accepted for tasks with random
    conditions and changes nothing here. Raises ``ValueError`` for an unknown task or photos of the wrong
    shape, dtype or range.
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    if not isinstance(photos, torch.Tensor) or photos.dim() != 4 or photos.shape[1] != 3:
        shape = tuple(photos.shape) if isinstance(photos, torch.Tensor) else type(photos).__name__
        raise ValueError(f"photos must be a (N, 3, H, W) tensor, got {shape}")
    if not photos.is_floating_point():
        raise ValueError(f"photos must be float in [-1, 1], got dtype {photos.dtype}")
    if photos.numel() and (photos.min() < -1 - 1e-4 or photos.max() > 1 + 1e-4):
        raise ValueError(f"photos must lie in [-1, 1], got values from {photos.min():.3g} to {photos.max():.3g}")
    y = photos.detach().clone()
    if task == "edges2photo":
        x = edge_map(y)
    elif task == "grey2colour":
        x = luminance(y).expand(-1, 3, -1, -1).contiguous()  # the weights sum to 1: [-1, 1] maps to itself
    else:
        size = y.shape[-1]
        if y.shape[-2] != size:
            raise ValueError(f"inpaint needs square photos, got {y.shape[-2]} x {size}")
        top, hole = _hole(size)
        x = y.clone()
        x[:, :, top: top + hole, top: top + hole] = 0.0
    return x, y


def _hole(size: int) -> tuple[int, int]:
    hole = size // 2
    return (size - hole) // 2, hole


def mean_fill(photos: torch.Tensor) -> torch.Tensor:
    """The inpainting baseline: the centred hole of :func:`make_pair` ("inpaint") filled with the mean colour
    of each image's visible pixels (per channel). ``photos``: (N, 3, S, S) in [-1, 1]; returns a new tensor."""
    x, _ = make_pair(photos, "inpaint")
    top, hole = _hole(x.shape[-1])
    visible = torch.ones(x.shape[-2:], dtype=torch.bool)
    visible[top: top + hole, top: top + hole] = False
    mean = x[:, :, visible].mean(dim=-1)  # (N, 3)
    x[:, :, top: top + hole, top: top + hole] = mean[:, :, None, None]
    return x


def baselines(size: int = 32, split: str = "test", seed: int = 0) -> dict[str, dict[str, float]]:
    """PSNR / SSIM / sharpness of the trivial answers on the crops of ``split``, the bars a model must beat.

    Rows: ``"target"`` (the photos themselves: their sharpness), ``"grey2colour: grey input"`` (the grey
    condition as the answer), ``"inpaint: mid-grey hole"`` (the condition), ``"inpaint: mean-fill"``
    (:func:`mean_fill`) and ``"edges2photo: edge input"``. Values from :mod:`ganlab.quality`.
    """
    from ganlab.quality import psnr, sharpness, sharpness_ratio, ssim

    y = load_photos(size, split, seed)
    answers = {"target": y, "grey2colour: grey input": make_pair(y, "grey2colour")[0],
               "inpaint: mid-grey hole": make_pair(y, "inpaint")[0], "inpaint: mean-fill": mean_fill(y),
               "edges2photo: edge input": make_pair(y, "edges2photo")[0]}
    return {name: {"psnr": psnr(x, y), "ssim": ssim(x, y), "sharpness": sharpness(x),
                   "sharpness_ratio": sharpness_ratio(x, y), "n": len(y)} for name, x in answers.items()}


def _main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Trivial baselines of Lab 5's paired tasks on the held-out crops.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[32, 64])
    parser.add_argument("--split", default="test")
    args = parser.parse_args(argv)
    print("| size | answer | crops | PSNR (dB) | SSIM | sharpness | sharpness / target's |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes:
        for name, row in baselines(size, args.split).items():
            print(f"| {size} | {name} | {row['n']} | {row['psnr']:.2f} | {row['ssim']:.3f} | {row['sharpness']:.4f} | "
                  f"{row['sharpness_ratio']:.2f} |")
    return 0


# ---------------------------------------------------------------------------------------------------------
# Building the asset from scikit-image's wheel


def _read_from_wheel(wheel: zipfile.ZipFile, src: dict) -> bytes:
    raw = wheel.read(f"skimage/data/{src['file']}")
    digest = hashlib.sha256(raw).hexdigest()
    if digest != src["sha256"]:
        raise ValueError(f"skimage/data/{src['file']} in the wheel has SHA-256 {digest}, expected {src['sha256']} "
                         f"(scikit-image {SKIMAGE_VERSION}); not used")
    return raw


def downscale(raw: bytes, short_side: int) -> torch.Tensor:
    """Decode an image file, scale it (Lanczos) so its shorter side is ``short_side``, centre-crop the longer
    side down to a multiple of 32: uint8 (3, H, W)."""
    from PIL import Image

    with Image.open(io.BytesIO(raw)) as img:
        img = img.convert("RGB")
        w, h = img.size
        scale = short_side / min(w, h)
        new_w, new_h = round(w * scale), round(h * scale)
        img = img.resize((new_w, new_h), Image.LANCZOS)
        keep_w, keep_h = new_w // 32 * 32, new_h // 32 * 32
        left, top = (new_w - keep_w) // 2, (new_h - keep_h) // 2
        img = img.crop((left, top, left + keep_w, top + keep_h))
        data = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8)
    return data.view(keep_h, keep_w, 3).permute(2, 0, 1).contiguous()


def pixels_sha256(images: dict[str, torch.Tensor]) -> str:
    """SHA-256 of the stored pixels: each photo's uint8 bytes (C, H, W order) in the order of :data:`SOURCES`."""
    h = hashlib.sha256()
    for src in SOURCES:
        h.update(images[src["name"]].contiguous().numpy().tobytes())
    return h.hexdigest()


def build_asset(wheel_path: str | Path, out: str | Path = PHOTOS_FILE) -> tuple[str, str]:
    """Rebuild the photo asset from a scikit-image wheel: ``(SHA-256 of the file, SHA-256 of the pixels)``.

    Every source file is checked against its SHA-256 in :data:`SOURCES` before use (``ValueError`` if one
    differs). The file's name matters: torch.save names the archive's folder after it.
    """
    images = {}
    with zipfile.ZipFile(wheel_path) as wheel:
        for src in SOURCES:
            images[src["name"]] = downscale(_read_from_wheel(wheel, src), src["short_side"])
    torch.save({"images": images, "skimage_version": SKIMAGE_VERSION}, out)
    _CACHE.clear()
    return hashlib.sha256(Path(out).read_bytes()).hexdigest(), pixels_sha256(images)


if __name__ == "__main__":
    raise SystemExit(_main())
