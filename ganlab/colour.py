"""CIE L*a*b* colour space in torch, for colourisation as the pix2pix authors set it up (L in, ab out).

Colourising in Lab splits the job: the lightness L* is given, the network predicts only the two chroma channels
a* and b*, and the answer is put back together with the input's own L*. The luminance structure of the output is
then exactly the target's, and predicting a* = b* = 0 gives back a grey image. The pix2pix authors' code
(junyanz/pytorch-CycleGAN-and-pix2pix, ``--model colorization``: one input channel, two output channels) scales
the channels to about [-1, 1] with L / 50 - 1 and ab / 110, which :func:`split_lab` and :func:`merge_lab` follow::

    from ganlab.colour import merge_lab, split_lab
    light, chroma = split_lab(photos)        # (N, 1, H, W) and (N, 2, H, W), from RGB in [-1, 1]
    rgb = merge_lab(light, G(light))         # back to RGB in [-1, 1], e.g. to measure PSNR and SSIM

The conversion is the standard one for sRGB with the D65 white point (IEC 61966-2-1 for the sRGB curve; CIE 15
for XYZ -> L*a*b*): undo the sRGB gamma, a 3 x 3 matrix to XYZ, divide by the white point, the cube-root
function with its linear segment below (6/29)^3. Colours that a predicted (L*, a*, b*) asks for outside the sRGB
gamut are clipped to [0, 1] per channel when going back. Everything is differentiable and works on any device.
Importing this module has no side effects.
"""

from __future__ import annotations

import torch

#: Linear sRGB -> XYZ (D65), the sRGB standard's matrix.
RGB_TO_XYZ = ((0.412453, 0.357580, 0.180423),
              (0.212671, 0.715160, 0.072169),
              (0.019334, 0.119193, 0.950227))
#: The D65 reference white in XYZ (Y = 1).
WHITE_D65 = (0.95047, 1.0, 1.08883)
#: Scales of the pix2pix authors' colourisation data: L / 50 - 1 and ab / 110 lie in about [-1, 1].
L_SCALE, AB_SCALE = 50.0, 110.0

_DELTA = 6.0 / 29.0


def _check(name: str, images: torch.Tensor, channels: int) -> None:
    if not isinstance(images, torch.Tensor) or images.dim() != 4 or images.shape[1] != channels:
        shape = tuple(images.shape) if isinstance(images, torch.Tensor) else type(images).__name__
        raise ValueError(f"{name} must be a (N, {channels}, H, W) tensor, got {shape}")
    if not images.is_floating_point():
        raise ValueError(f"{name} must be a float tensor, got dtype {images.dtype}")


def _matrix(values, like: torch.Tensor) -> torch.Tensor:
    return torch.tensor(values, dtype=like.dtype, device=like.device)


def rgb_to_lab(images: torch.Tensor) -> torch.Tensor:
    """(N, 3, H, W) sRGB images in [-1, 1] -> (N, 3, H, W) L*a*b* in natural units (L* in [0, 100]; a*, b* about
    -110 to 110). Raises ``ValueError`` for a tensor of the wrong shape or dtype."""
    _check("images", images, 3)
    rgb = ((images + 1) / 2).clamp(0, 1)
    linear = torch.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = torch.einsum("ij,njhw->nihw", _matrix(RGB_TO_XYZ, images), linear)
    xyz = xyz / _matrix(WHITE_D65, images).view(1, 3, 1, 1)
    # the cube root, continued linearly near 0 (where the slope of the cube root is unbounded)
    f = torch.where(xyz > _DELTA ** 3, xyz.clamp_min(_DELTA ** 3) ** (1 / 3), xyz / (3 * _DELTA ** 2) + 4 / 29)
    fx, fy, fz = f[:, 0:1], f[:, 1:2], f[:, 2:3]
    return torch.cat([116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)], dim=1)


def lab_to_rgb(lab: torch.Tensor) -> torch.Tensor:
    """(N, 3, H, W) L*a*b* in natural units -> (N, 3, H, W) sRGB in [-1, 1], out-of-gamut colours clipped per
    channel. The inverse of :func:`rgb_to_lab` inside the gamut. Raises ``ValueError`` for a wrong shape or dtype."""
    _check("lab", lab, 3)
    fy = (lab[:, 0:1] + 16) / 116
    f = torch.cat([fy + lab[:, 1:2] / 500, fy, fy - lab[:, 2:3] / 200], dim=1)
    xyz = torch.where(f > _DELTA, f ** 3, 3 * _DELTA ** 2 * (f - 4 / 29))
    xyz = xyz * _matrix(WHITE_D65, lab).view(1, 3, 1, 1)
    inverse = torch.linalg.inv(_matrix(RGB_TO_XYZ, lab).double()).to(lab.dtype)
    linear = torch.einsum("ij,njhw->nihw", inverse, xyz).clamp(0, 1)
    rgb = torch.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear.clamp_min(0.0031308) ** (1 / 2.4) - 0.055)
    return rgb.clamp(0, 1) * 2 - 1


def split_lab(images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """RGB images in [-1, 1] -> ``(light, chroma)``: (N, 1, H, W) L* / 50 - 1 in [-1, 1] and (N, 2, H, W)
    (a*, b*) / 110, the pix2pix authors' scaling (sRGB colours stay within [-1, 1])."""
    lab = rgb_to_lab(images)
    return lab[:, :1] / L_SCALE - 1, lab[:, 1:] / AB_SCALE


def merge_lab(light: torch.Tensor, chroma: torch.Tensor) -> torch.Tensor:
    """The inverse of :func:`split_lab`: ``light`` (N, 1, H, W) and ``chroma`` (N, 2, H, W) in the scaled units
    -> RGB (N, 3, H, W) in [-1, 1]. ``chroma`` of zeros gives the grey image of the same lightness."""
    _check("light", light, 1)
    _check("chroma", chroma, 2)
    if light.shape[0] != chroma.shape[0] or light.shape[-2:] != chroma.shape[-2:]:
        raise ValueError(f"light {tuple(light.shape)} and chroma {tuple(chroma.shape)} must match in N, H and W")
    return lab_to_rgb(torch.cat([(light + 1) * L_SCALE, chroma.to(light.dtype) * AB_SCALE], dim=1))


def grey_of(light: torch.Tensor) -> torch.Tensor:
    """The grey RGB image (in [-1, 1]) of lightness ``light`` (N, 1, H, W), scaled as by :func:`split_lab`: the
    answer of a colouriser that predicts no colour (a* = b* = 0)."""
    return merge_lab(light, torch.zeros(light.shape[0], 2, *light.shape[-2:], dtype=light.dtype, device=light.device))


def chroma_sharpness(images: torch.Tensor) -> float:
    """Mean gradient magnitude of the chroma of RGB images in [-1, 1]: a colour-bleeding measure (lower = colours
    more smeared across edges), the chroma counterpart of ``ganlab.quality.sharpness``.

    Per pixel, forward differences of a* and b* (in the units of :func:`split_lab`, i.e. divided by 110) along both
    axes on the (H-1) x (W-1) grid where both exist: sqrt(da_x^2 + da_y^2 + db_x^2 + db_y^2); the mean over pixels
    and images. 0 for any grey image.
    """
    _check("images", images, 3)
    if min(images.shape[-2:]) < 2:
        raise ValueError("chroma_sharpness needs images of at least 2 x 2 pixels")
    chroma = split_lab(images.detach().float())[1]
    dx = chroma[..., :-1, 1:] - chroma[..., :-1, :-1]
    dy = chroma[..., 1:, :-1] - chroma[..., :-1, :-1]
    return float(torch.sqrt((dx ** 2 + dy ** 2).sum(dim=1)).mean())


class ChromaLowPass(torch.nn.Module):
    """A generator whose chroma output is predicted at 1/``factor`` of the resolution and upsampled back.

    Colour has a lower spatial bandwidth than lightness in natural photos, and codecs and colourisers use it: JPEG
    stores the two chroma channels at half the resolution in each direction (4:2:0 subsampling), and Zhang, Isola
    and Efros (2016, "Colorful Image Colorization", ECCV) predict a*b* at a quarter of the input's resolution and
    upsample it bilinearly. Here the wrapped generator ``G`` still runs at full resolution; its output (the a*b*
    of an L* -> a*b* colouriser) is averaged over ``factor`` x ``factor`` blocks and upsampled back with bilinear
    interpolation. The filter is fixed and has no parameters, and it sits inside the model that is trained, so the
    L1 loss and the discriminator both see the smoothed chroma and G is not pushed towards colour detail that the
    output cannot show. Pixel-to-pixel colour speckle (a period-2 pattern) is removed exactly.

    ``factor=1`` is the identity. The output keeps G's range (averages and bilinear weights are convex), and
    training/evaluation mode, parameters and ``state_dict`` are G's (as a submodule ``G``)::

        G = ChromaLowPass(UNetGenerator(1, 2, num_downs=5, ngf=32), factor=2)
        chroma = G(light)                    # (N, 2, H, W): a*b* blurred at the scale of 2 pixels
    """

    def __init__(self, G: torch.nn.Module, factor: int = 2):
        super().__init__()
        if isinstance(factor, bool) or not isinstance(factor, int) or factor < 1:
            raise ValueError(f"factor must be a positive integer, got {factor!r}")
        self.G = G
        self.factor = factor

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.G(x)
        if self.factor == 1:
            return out
        if out.dim() != 4:
            raise ValueError(f"ChromaLowPass needs (N, C, H, W) outputs from G, got shape {tuple(out.shape)}")
        height, width = out.shape[-2:]
        if height % self.factor or width % self.factor:
            raise ValueError(f"ChromaLowPass(factor={self.factor}) needs H and W divisible by {self.factor}, "
                             f"got {height} x {width}")
        coarse = torch.nn.functional.avg_pool2d(out, self.factor)  # (N, C, H / factor, W / factor)
        return torch.nn.functional.interpolate(coarse, size=(height, width), mode="bilinear", align_corners=False)

    def extra_repr(self) -> str:
        return f"factor={self.factor}"
