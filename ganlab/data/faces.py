"""Cartoon (manga-style) faces: real anime faces from a folder when present, otherwise faces drawn here.

The offline faces are drawn by the project from analytic shapes (ellipses, half-planes, a triangle-wave
fringe) composited back to front with anti-aliased coverage, vectorised over the batch. Every face has
categorical attributes (:data:`FACE_ATTRIBUTES`, returned as labels) and continuous jitter (position,
scale, rotation, proportions, colours). Images are float32 ``(N, 3, size, size)`` in ``[-1, 1]``.

Determinism: every face is drawn from its own row of ``_N_PARAMS`` uniforms, and rows are generated in
order from one seeded generator, so ``offline_faces(n, seed)[i]`` does not depend on ``n`` (the first
``k`` faces of a larger call equal a call with ``n = k``). Fixing an attribute changes that attribute only:
the rest of each face (pose, proportions, other attributes) stays the same.
"""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import torch

#: Categorical attributes of the offline faces and the names of their values (label = index in the tuple).
FACE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "hair_colour": ("black", "brown", "blonde", "red", "pink", "blue", "green", "silver"),
    "hair_style": ("short", "long", "twin_tails", "bob"),
    "eye_colour": ("brown", "blue", "green", "red", "purple"),
    "eye_size": ("small", "large"),
    "skin_tone": ("fair", "light", "tan", "brown"),
    "face_shape": ("round", "pointed"),
    "mouth": ("smile", "open", "neutral", "surprised"),
    "glasses": ("no", "yes"),
    "background": ("white", "sky", "mint", "cream", "lavender", "grey"),
}

# Base colours (sRGB, 0-255) in the order of FACE_ATTRIBUTES; every face jitters them a little.
_HAIR_RGB = [(28, 26, 36), (112, 66, 34), (242, 208, 104), (204, 42, 38), (246, 146, 190), (52, 94, 214),
             (44, 158, 78), (198, 204, 218)]
_EYE_RGB = [(104, 62, 30), (40, 110, 230), (30, 160, 70), (220, 30, 40), (140, 60, 200)]
_SKIN_RGB = [(255, 228, 210), (246, 202, 164), (206, 150, 108), (142, 96, 64)]
_BACKGROUND_RGB = [(246, 246, 246), (172, 212, 246), (180, 234, 200), (248, 236, 190), (214, 198, 242),
                   (168, 168, 172)]

#: Uniforms per face. Columns 0-8 pick the attributes (in FACE_ATTRIBUTES order), the rest drive the
#: jitter; unused columns are reserved so that new jitter can be added without changing existing faces.
_N_PARAMS = 64
_CHUNK_PIXELS = 1 << 18  # pixels rendered at once (64 faces at 64 x 64): temporaries of 1 MB stay in cache


def _palette(rgb: list[tuple[int, int, int]]) -> torch.Tensor:
    return torch.tensor(rgb, dtype=torch.float32) / 255.0


def _sample_uniforms(n: int, seed: int) -> torch.Tensor:
    """``(n, _N_PARAMS)`` uniforms in [0, 1): row ``i`` depends only on ``seed`` and ``i``.

    One call fills the rows in order from a seeded Mersenne twister (torch's CPU generator draws
    sequentially), which is what makes the first ``k`` faces of any call identical.
    """
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, _N_PARAMS, generator=g)


def _labels_from(uniforms: torch.Tensor, attributes: dict | None) -> dict[str, torch.Tensor]:
    """Attribute indices ``name -> (n,) int64``: from the first columns, or fixed by ``attributes``."""
    n = uniforms.shape[0]
    attributes = dict(attributes or {})
    unknown = set(attributes) - set(FACE_ATTRIBUTES)
    if unknown:
        raise ValueError(f"unknown face attribute(s) {sorted(unknown)}; known: {', '.join(FACE_ATTRIBUTES)}")
    labels = {}
    for column, (name, values) in enumerate(FACE_ATTRIBUTES.items()):
        drawn = (uniforms[:, column] * len(values)).long().clamp_(max=len(values) - 1)
        if name in attributes:
            fixed = torch.as_tensor(attributes[name], dtype=torch.long)
            if fixed.dim() == 0:
                fixed = fixed.expand(n)
            if fixed.shape != (n,):
                raise ValueError(f"attribute {name!r} must be an int or a tensor of shape ({n},), "
                                 f"got shape {tuple(fixed.shape)}")
            if fixed.numel() and (fixed.min() < 0 or fixed.max() >= len(values)):
                raise ValueError(f"attribute {name!r} takes values 0..{len(values) - 1} ({', '.join(values)})")
            drawn = fixed.clone()
        labels[name] = drawn
    return labels


def _lerp(lo: float, hi: float, u: torch.Tensor) -> torch.Tensor:
    return lo + (hi - lo) * u


def _pick(table: list, index: torch.Tensor) -> torch.Tensor:
    """Per-face value from a small per-class table: ``table[index]`` as float32."""
    return torch.tensor(table, dtype=torch.float32)[index]


def _face_parameters(uniforms: torch.Tensor, labels: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Geometry (face units: image width = 1 at scale 1, origin at the face centre, y down) and colours.

    Returns ``name -> (n,)`` or ``(n, 3)`` float32 tensors. Only elementwise arithmetic is used (no
    sin/cos), so a face's parameters are bitwise the same whatever else is in the batch.
    """
    j = uniforms[:, 9:]  # jitter columns
    hair, style, eye_size = labels["hair_colour"], labels["hair_style"], labels["eye_size"]
    p: dict[str, torch.Tensor] = {}
    # pose: centre in image fractions, scale, a small rotation (cos/sin by their series: |angle| < 0.14)
    p["centre_x"] = _lerp(0.46, 0.54, j[:, 0])
    p["centre_y"] = _lerp(0.46, 0.52, j[:, 1])
    p["scale"] = _lerp(1.1, 1.25, j[:, 2])
    angle = _lerp(-0.14, 0.14, j[:, 3])
    a2 = angle * angle
    p["cos"] = 1 - a2 / 2 + a2 * a2 / 24
    p["sin"] = angle * (1 - a2 / 6 + a2 * a2 / 120)

    # colours: class base, then a brightness factor and a small per-channel shift
    def jittered(base, brightness, shift_cols, amount):
        rgb = base * brightness[:, None] + amount * (j[:, shift_cols] - 0.5)
        return rgb.clamp(0, 1)

    p["hair_rgb"] = jittered(_palette(_HAIR_RGB)[hair], _lerp(0.88, 1.08, j[:, 4]), [5, 6, 7], 0.07)
    p["skin_rgb"] = jittered(_palette(_SKIN_RGB)[labels["skin_tone"]], _lerp(0.96, 1.03, j[:, 8]), [9, 9, 9], 0.0)
    p["eye_rgb"] = jittered(_palette(_EYE_RGB)[labels["eye_colour"]], _lerp(0.85, 1.1, j[:, 10]), [11, 12, 13], 0.08)
    p["background_rgb"] = jittered(_palette(_BACKGROUND_RGB)[labels["background"]], _lerp(0.95, 1.03, j[:, 14]),
                                   [15, 16, 17], 0.05)
    p["clothes_rgb"] = j[:, 18:21] * 0.8 + 0.1
    p["frame_rgb"] = torch.stack([_lerp(0.05, 0.45, j[:, 21]), torch.full_like(j[:, 21], 0.08),
                                  _lerp(0.08, 0.3, j[:, 22])], 1)  # dark red to dark blue frames
    p["blush"] = _lerp(0.0, 0.45, j[:, 23])
    p["has_glasses"] = labels["glasses"].float()

    # face: an ellipse; the pointed chin cuts it with a wedge (the wedge is pushed away for round faces)
    pointed = labels["face_shape"].float()
    p["face_rx"] = _lerp(0.22, 0.235, j[:, 24])
    p["face_ry"] = _lerp(0.235, 0.25, j[:, 25]) * (0.95 + 0.2 * pointed)
    p["chin_offset"] = (1 - pointed) * 10.0

    # eyes (mirrored), iris gaze shared by both eyes
    large = eye_size.float()
    p["eye_x"] = _lerp(0.092, 0.108, j[:, 26])
    p["eye_y"] = _lerp(0.025, 0.045, j[:, 27])
    p["eye_rx"] = torch.where(eye_size.bool(), _lerp(0.056, 0.062, j[:, 28]), _lerp(0.046, 0.05, j[:, 28]))
    p["eye_ry"] = torch.where(eye_size.bool(), _lerp(0.066, 0.074, j[:, 29]), _lerp(0.032, 0.037, j[:, 29]))
    p["gaze"] = _lerp(-0.18, 0.18, j[:, 30]) * p["eye_rx"]
    p["iris_scale"] = 0.74 + 0.08 * large
    p["brow_lift"] = _lerp(0.035, 0.05, j[:, 31])

    # mouth: one ellipse, a ring half-thickness (huge = filled) and a cut keeping the part below a line
    mouth = labels["mouth"]
    p["mouth_y"] = _lerp(0.14, 0.16, j[:, 32])
    width = _lerp(0.85, 1.15, j[:, 33])
    p["mouth_rx"] = _pick([0.072, 0.065, 0.058, 0.032], mouth) * width
    p["mouth_ry"] = _pick([0.05, 0.06, 0.017, 0.042], mouth)
    p["mouth_dy"] = _pick([-0.04, -0.012, 0.0, 0.006], mouth)  # ellipse centre relative to the mouth line
    p["mouth_ring"] = _pick([0.019, 10.0, 10.0, 10.0], mouth)
    p["mouth_cut"] = _pick([-0.032, 0.0, -10.0, -10.0], mouth)  # keep v > mouth_y + cut (-10: keep all)
    p["tongue"] = (mouth == 1).float()

    # hair: back mass, front cap with a fringe, side locks, twin tails
    volume = _lerp(0.98, 1.08, j[:, 34])
    p["back_y"] = _pick([-0.03, 0.24, -0.03, -0.01], style)
    p["back_rx"] = _pick([0.275, 0.34, 0.275, 0.315], style) * volume
    p["back_ry"] = _pick([0.3, 0.62, 0.3, 0.335], style) * volume
    p["back_cut"] = _pick([0.07, 10.0, 0.07, 0.2], style) + 0.03 * j[:, 35]  # keep v < cut
    p["cap_rx"] = 0.258 * volume
    p["cap_ry"] = 0.285 * volume
    p["fringe_y"] = torch.where(style == 3, _lerp(-0.085, -0.07, j[:, 36]), _lerp(-0.14, -0.11, j[:, 36]))
    p["fringe_depth"] = torch.where(style == 3, torch.full_like(j[:, 37], 0.008), _lerp(0.035, 0.055, j[:, 37]))
    p["fringe_period"] = _lerp(0.055, 0.075, j[:, 38])
    p["fringe_phase"] = j[:, 39]
    p["fringe_side"] = torch.where(style == 0, _lerp(0.10, 0.16, j[:, 40]), _lerp(0.22, 0.3, j[:, 40]))
    p["locks"] = (style != 0).float()
    p["tails"] = (style == 2).float()
    p["tail_x"] = _lerp(0.29, 0.32, j[:, 41]) * volume
    return p


def _ellipse(u, v, cx, cy, rx, ry):
    """Approximate signed distance (pixels; < 0 inside) from pixels ``(u, v)`` to an axis-aligned ellipse.

    ``u, v``: ``(B, P)`` pixel coordinates; the others ``(B, 1)`` tensors or floats, in pixels. First-order
    distance ``f / |grad f|`` with ``f = k - 1`` (``k`` the normalised radius): exact on circles and good
    near any boundary, which is all anti-aliasing needs. Written with in-place products and no division or
    ``hypot`` on pixel tensors: those dominate the cost otherwise.
    """
    inv_rx, inv_ry = 1.0 / rx, 1.0 / ry
    du2 = (u - cx).mul_(inv_rx).square_()
    dv2 = (v - cy).mul_(inv_ry).square_()
    grad2 = torch.addcmul(du2 * (inv_rx * inv_rx), dv2, inv_ry * inv_ry)
    k = du2.add_(dv2).sqrt_()
    return (k - 1).mul_(k).mul_(grad2.clamp_(min=1e-12).rsqrt_())


def _smooth_max(a: torch.Tensor, b: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """Intersection of two distance fields with the corner rounded over about ``k`` pixels (``(B, 1)``).

    Polynomial smooth maximum: equals ``max(a, b)`` where they differ by more than ``k``. Used for the
    jaw, where a hard wedge against the cheek ellipse leaves a visible kink.
    """
    h = (b - a).mul_(0.5 / k).add_(0.5).clamp_(0, 1)
    return torch.lerp(a, b, h).add_(h.mul_(1 - h).mul_(k))


class _Canvas:
    """Back-to-front compositing on ``(B, 3, P)`` images; coverage from a signed distance in pixels."""

    def __init__(self, images: torch.Tensor):
        self.images = images

    def paint(self, distance: torch.Tensor, rgb: torch.Tensor, opacity: torch.Tensor | None = None):
        """Blend ``rgb`` ``(B, 3)`` where ``distance`` ``(B, P)`` < 0, with a one-pixel anti-aliased edge."""
        alpha = distance.neg_().add_(0.5).clamp_(0, 1)  # distance is a temporary: reuse its memory
        if opacity is not None:
            alpha.mul_(opacity)
        self.images.lerp_(rgb[:, :, None].expand_as(self.images), alpha[:, None].expand_as(self.images))


def _render(p: dict[str, torch.Tensor], size: int) -> torch.Tensor:
    """Draw the faces of parameters ``p`` (all ``(B, ...)``): ``(B, 3, size, size)`` in [0, 1]."""
    b = p["scale"].shape[0]

    def col(name):  # a per-face parameter as (B, 1), to broadcast against (B, P) pixels
        return p[name][:, None]

    px = col("scale") * size  # pixels per face unit

    def length(name, k=1.0):  # a per-face length parameter (face units) in pixels
        return p[name][:, None] * px * k

    def const(value):  # a fixed length (face units) in pixels
        return px * value

    centres = torch.arange(size, dtype=torch.float32) + 0.5
    gy, gx = torch.meshgrid(centres, centres, indexing="ij")
    x = gx.reshape(1, -1) - col("centre_x") * size
    y = gy.reshape(1, -1) - col("centre_y") * size
    u = x * col("cos") + y * col("sin")  # face frame in pixels (rotation keeps lengths)
    v = y * col("cos") - x * col("sin")
    au = u.abs()  # mirrored frame: one evaluation draws both eyes, brows, locks, tails
    side = torch.sign(u)

    images = p["background_rgb"][:, :, None].expand(b, 3, size * size).clone()
    # a soft vertical light falloff, so the background is not a flat fill
    images.mul_(1.04 - 0.1 * gy.reshape(1, 1, -1) / size)
    canvas = _Canvas(images)
    hair, skin = p["hair_rgb"], p["skin_rgb"]
    dark_hair, shade_skin = hair * 0.72, skin * 0.8
    ink = torch.tensor([[0.16, 0.1, 0.12]]).expand(b, 3)

    # shoulders and neck
    canvas.paint(_ellipse(u, v, 0, const(0.5), const(0.36), const(0.19)), p["clothes_rgb"])
    neck = torch.maximum(au - const(0.052), (v - const(0.26)).abs_() - const(0.1))
    canvas.paint(neck, shade_skin)
    # back hair: one ellipse cut flat at the bottom (long hair is not cut), then twin tails
    back = torch.maximum(_ellipse(u, v, 0, length("back_y"), length("back_rx"), length("back_ry")),
                         v - length("back_cut"))
    canvas.paint(back, dark_hair)
    tails = _ellipse(au, v, length("tail_x"), const(0.12), const(0.085), const(0.27))
    canvas.paint(tails, dark_hair, col("tails"))
    # face, the pointed chin as a wedge through the chin point (0, face_ry)
    fy = length("face_ry")
    slope = 0.62 * p["face_ry"][:, None] / p["face_rx"][:, None]  # chin wedge: rise per unit of |u|
    wedge = torch.addcmul(v - fy, au, slope).mul_((slope * slope + 1).rsqrt()).sub_(length("chin_offset"))
    face = _smooth_max(_ellipse(u, v, 0, 0, length("face_rx"), fy), wedge, const(0.06))
    # a thin darker line around the face (manga line art): it keeps the jaw visible against the neck
    canvas.paint(face - const(0.014), skin * 0.55)
    canvas.paint(face, skin)
    canvas.paint(_ellipse(au, v, const(0.125), const(0.12), const(0.04), const(0.02)),
                 torch.tensor([[1.0, 0.45, 0.5]]).expand(b, 3), col("blush"))
    canvas.paint(_ellipse(u, v, 0, const(0.095), const(0.008), const(0.011)), shade_skin * 0.9)

    # eyes: a lash shape raised above the white, the white, iris (clipped to the white), pupil, highlight
    ex, ey, erx, ery = length("eye_x"), length("eye_y"), length("eye_rx"), length("eye_ry")
    canvas.paint(_ellipse(au, v, ex, ey - ery * 0.3, erx * 1.1, ery * 0.78), ink)
    white = _ellipse(au, v, ex, ey, erx, ery)
    canvas.paint(white.clone(), torch.ones(b, 3))
    iris_x = ex + side * length("gaze")
    irx, iry = erx * col("iris_scale"), ery * 0.9
    canvas.paint(torch.maximum(_ellipse(au, v, iris_x, ey + ery * 0.08, irx, iry), white), p["eye_rgb"])
    canvas.paint(torch.maximum(_ellipse(au, v, iris_x, ey + ery * 0.14, irx * 0.45, iry * 0.5), white),
                 p["eye_rgb"] * 0.25)
    # the highlight sits up-left in both eyes (light from one side), so it is not mirrored
    highlight_x = iris_x - side * irx * 0.38
    canvas.paint(_ellipse(au, v, highlight_x, ey - iry * 0.28, irx * 0.32, irx * 0.32), torch.ones(b, 3))
    brow = _ellipse(au, v, ex + const(0.006), ey - ery - length("brow_lift"), const(0.045), const(0.009))
    canvas.paint(brow, dark_hair * 0.8)

    # mouth: ellipse, ring (smile) or fill, cut below a line; a tongue inside the open mouth
    my = length("mouth_y")
    mouth_ellipse = _ellipse(u, v, 0, my + length("mouth_dy"), length("mouth_rx"), length("mouth_ry"))
    ring = (mouth_ellipse + length("mouth_ring")).abs_() - length("mouth_ring")
    mouth = torch.maximum(ring, my + length("mouth_cut") - v)
    canvas.paint(mouth.clone(), torch.tensor([[0.3, 0.04, 0.08]]).expand(b, 3))
    tongue = torch.maximum(_ellipse(u, v, 0, my + length("mouth_ry", 0.7), length("mouth_rx", 0.6),
                                    length("mouth_ry", 0.5)), mouth)
    canvas.paint(tongue, torch.tensor([[0.95, 0.5, 0.55]]).expand(b, 3), col("tongue"))

    # glasses: two rings around the eyes and a bridge
    lens_r = torch.maximum(erx, ery) + const(0.018)
    rim = _ellipse(au, v, ex, ey, lens_r, lens_r).abs_().sub_(const(0.009))
    bridge = torch.maximum(au - (ex - lens_r + const(0.004)), (v - ey).abs_() - const(0.008))
    glasses = torch.minimum(rim, bridge)
    canvas.paint(glasses, p["frame_rgb"], col("has_glasses"))

    # front hair: side locks, then the cap above a triangle-wave fringe (strand tips point down)
    locks = _ellipse(au, v, length("face_rx", 0.97), const(0.05), const(0.036), const(0.19))
    canvas.paint(locks, hair, col("locks"))
    period = length("fringe_period")
    t = (u * (1 / period)).add_(col("fringe_phase"))
    tri = (t - t.floor()).mul_(2).sub_(1).abs_()
    depth = length("fringe_depth")
    # the fringe line drops towards the sides (fringe_side * (|u| / face_rx)^2) to frame the face
    fringe = (au * (1 / length("face_rx"))).square_().mul_(length("fringe_side"))
    fringe.add_(tri.mul_(depth)).add_(length("fringe_y"))
    steep = (1 + (2 * depth / period).square()).sqrt()  # so the fringe distance stays in pixels
    cap = torch.maximum(_ellipse(u, v, 0, const(-0.05), length("cap_rx"), length("cap_ry")),
                        (v - fringe).mul_(1 / steep))
    canvas.paint(cap, hair)
    # a glossy band across the top of the hair, the usual manga highlight
    shine = torch.maximum((_ellipse(u, v, 0, const(-0.05), length("cap_rx", 0.8), length("cap_ry", 0.8))).abs_()
                          - const(0.012), v + const(0.17))
    canvas.paint(shine, hair * 0.5 + 0.5, torch.full((b, 1), 0.55))
    return images.view(b, 3, size, size)


def offline_faces(n: int, seed: int = 0, size: int = 64, attributes: dict | None = None):
    """``n`` procedural manga faces: ``(images, labels)``.

    ``images``: float32 ``(n, 3, size, size)`` in ``[-1, 1]``, any ``size`` from 16 to 128.
    ``labels``: ``name -> (n,) int64`` index into ``FACE_ATTRIBUTES[name]``.
    ``attributes``: fix some attributes, ``name -> int`` (all faces) or ``(n,)`` int tensor; the faces are
    otherwise the same as without fixing (same pose, proportions and other attributes).
    Deterministic: same ``seed`` and ``n``, identical tensors; face ``i`` does not depend on ``n``.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if not 16 <= size <= 128:
        raise ValueError("size must be between 16 and 128")
    uniforms = _sample_uniforms(n, seed)
    labels = _labels_from(uniforms, attributes)
    params = _face_parameters(uniforms, labels)
    images = torch.empty(n, 3, size, size)
    chunk_size = max(1, _CHUNK_PIXELS // (size * size))
    for start in range(0, n, chunk_size):
        stop = min(start + chunk_size, n)
        chunk = {k: v[start:stop] for k, v in params.items()}
        images[start:stop] = _render(chunk, size).mul_(2).sub_(1).clamp_(-1, 1)
    return images, labels


# -- real anime faces from an image folder ---------------------------------------------------------

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def image_files(root: str | Path) -> list[Path]:
    """Every image file below ``root`` (recursive, suffix case ignored), sorted so the order is stable."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())


def _read_image(path: Path, size: int) -> torch.Tensor | None:
    """One image as float32 ``(3, size, size)`` in [-1, 1], or ``None`` (with a warning) if unreadable.

    RGB (transparent parts composited on white), short side resized to ``size`` (bicubic, which
    PIL low-pass filters when shrinking), then centre-cropped to a square.
    """
    from PIL import Image

    try:
        with Image.open(path) as img:
            img.load()
            if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                img = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
            img = img.convert("RGB")
    # PIL signals a corrupt or truncated file with any of these, depending on the format
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        warnings.warn(f"skipping unreadable image {path}: {exc}", stacklevel=3)
        return None
    w, h = img.size
    scale = size / min(w, h)
    new_w, new_h = max(size, round(w * scale)), max(size, round(h * scale))
    img = img.resize((new_w, new_h), Image.Resampling.BICUBIC)
    left, top = (new_w - size) // 2, (new_h - size) // 2
    img = img.crop((left, top, left + size, top + size))
    pixels = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8).view(size, size, 3)
    return pixels.permute(2, 0, 1).float().div_(127.5).sub_(1)


class AnimeFaceFolder(torch.utils.data.Dataset):
    """Anime face images from a folder (searched recursively for .png/.jpg/.jpeg/.webp).

    Item ``i``: float32 ``(3, size, size)`` in ``[-1, 1]`` (RGB, short side resized to ``size``, centre
    crop). An unreadable file is skipped with a warning: the next readable file is returned in its place,
    so the length stays that of the file list. Raises ``ValueError`` when the folder holds no images.
    """

    def __init__(self, root: str | Path, size: int = 64, files: list[Path] | None = None):
        self.root = Path(root)
        self.size = size
        self.files = image_files(self.root) if files is None else list(files)
        if not self.files:
            raise ValueError(f"no images found in {self.root}: expected anime face images "
                             f"({', '.join(IMAGE_SUFFIXES)}) in it or its sub-folders; "
                             "see datasets/anime_faces.md for where to get them")

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, index: int) -> torch.Tensor:
        for step in range(len(self.files)):
            image = _read_image(self.files[(index + step) % len(self.files)], self.size)
            if image is not None:
                return image
        raise ValueError(f"none of the {len(self.files)} image files in {self.root} could be read")


def load_image_folder(root: str | Path, size: int = 64, n: int | None = None, seed: int = 0,
                      files: list[Path] | None = None) -> torch.Tensor:
    """A whole folder (or ``n`` files of it, chosen at random with ``seed``) as one tensor.

    Returns float32 ``(N, 3, size, size)`` in ``[-1, 1]``; unreadable files are skipped with a warning,
    so ``N`` can be smaller than ``n``. Raises ``ValueError`` when the folder holds no images.
    """
    folder = AnimeFaceFolder(root, size, files)
    order = list(range(len(folder)))
    if n is not None and n < len(order):
        random.Random(seed).shuffle(order)
        order = sorted(order[:n])
    images = [img for img in (_read_image(folder.files[i], size) for i in order) if img is not None]
    if not images:
        raise ValueError(f"none of the image files in {folder.root} could be read")
    return torch.stack(images)


def _load_anime_split(root, size: int, n: int | None, seed: int, train: bool, verbose: bool):
    """The real anime faces of one split: ``(images, None, "anime-faces")``; see :func:`load_faces`."""
    from ganlab.data.registry import DATASETS, fetch

    folder = fetch(DATASETS["anime-faces"], root, download=False, progress=verbose)
    every = image_files(folder)
    files = [p for i, p in enumerate(every) if (i % 10 == 9) != train]
    if not files:
        raise ValueError(f"the {'training' if train else 'test'} split of {folder} is empty: it holds "
                         f"{len(every)} images and every tenth is a test image")
    return load_image_folder(folder, size, n, seed, files=files), None, "anime-faces"


def load_faces(n: int | None = None, size: int = 64, seed: int = 0, train: bool = True, source: str = "auto",
               root: str | Path | None = None, verbose: bool = True):
    """Faces for the labs: ``(images (N, 3, size, size) in [-1, 1], labels or None, source_name)``.

    ``source="auto"`` uses real anime faces when a folder of them is in place (``root``, else
    ``$GANLAB_DATA/anime-faces``) and otherwise the offline faces, saying so; ``"anime"`` insists on the
    real faces (raising ``DatasetUnavailable`` with instructions); ``"offline"`` never looks.
    Real faces have no labels (``None``) and no official split: every tenth file (sorted by path) is the
    test split (``train=False``), the rest the training split; ``n=None`` loads the whole split.
    Offline faces carry their attribute labels; ``n=None`` gives 10,000 (train) or 2,000 (test) faces,
    the test faces from another seed.
    """
    from ganlab.data.registry import DatasetUnavailable

    if source not in {"auto", "anime", "offline"}:
        raise ValueError("source must be 'auto', 'anime' or 'offline'")
    if source == "anime":
        return _load_anime_split(root, size, n, seed, train, verbose)  # DatasetUnavailable says what to do
    if source == "auto":
        try:
            return _load_anime_split(root, size, n, seed, train, verbose)
        except DatasetUnavailable as exc:
            if verbose:
                warnings.warn(f"anime faces not available ({exc}); using the project's offline faces instead.",
                              stacklevel=2)
    count = (10000 if train else 2000) if n is None else n
    images, labels = offline_faces(count, seed=seed if train else seed + 1_000_003, size=size)
    return images, labels, "offline-faces"
