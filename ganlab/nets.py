"""Networks shared by several labs, in one place (never copied between notebooks or modules).

- :class:`DigitsClassifier`: the offline digits classifier behind ``ganlab.quality`` (Labs 2, 4, 7): class
  logits and features for IS, FID and KID on 28 x 28 digits.
- :class:`FacesClassifier`: the offline faces classifier (Labs 3, 4, 7): hair-colour logits, one head per face
  attribute, and features.
- :class:`PatchGAN`: the patch discriminator that Lab 5 teaches, for the labs after it (Lab 6's D_X and D_Y),
  with batch norm (pix2pix) or instance norm (CycleGAN).

Networks that students write in an exercise are not here: a later lab imports them from here only once the
lab that teaches them has been graded (see docs/AUTHORING.md).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ganlab.data.faces import FACE_ATTRIBUTES

__all__ = ["DigitsClassifier", "FacesClassifier", "PatchGAN", "SmallDigitsClassifier"]


class DigitsClassifier(nn.Module):
    """Small CNN for 28 x 28 grey digits in [-1, 1]: 10-class logits and 64-d penultimate features.

    Three 3 x 3 convolutions of widths ``widths`` (two max-pools between them, then a global average), a 64-d
    penultimate layer and a linear head. :class:`SmallDigitsClassifier` is the same network, narrower and at
    16 x 16: both ship weights whose state-dict keys are those of this layout.
    """

    num_features = 64
    num_classes = 10
    #: Input size: any image is resized to it (antialiased) by :meth:`prepare`.
    resolution = 28
    #: Output channels of the three convolutions.
    widths = (32, 64, 64)
    #: Features are the penultimate activations times this constant, so that |x|^2 / d is about 1 on
    #: real digits (the KID kernel (x.y / d + 1)^3 expects features of order 1). Logits are unaffected.
    feature_scale = 0.15

    def __init__(self):
        super().__init__()
        c1, c2, c3 = self.widths
        self.body = nn.Sequential(
            nn.Conv2d(1, c1, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2),                                   # (B, c1, R / 2, R / 2), R = resolution
            nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2),                                   # (B, c2, R / 4, R / 4)
            nn.Conv2d(c2, c3, 3, padding=1), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),             # (B, c3)
            nn.Linear(c3, self.num_features), nn.ReLU(),       # penultimate features
        )
        self.head = nn.Linear(self.num_features, self.num_classes)

    @classmethod
    def prepare(cls, images):
        """Any (N, C, H, W) images in [-1, 1] -> (N, 1, R, R), R = ``resolution``: channel mean, bilinear
        antialiased resize."""
        if images.dim() == 3:
            images = images.unsqueeze(1)
        images = images.float()
        if images.shape[1] != 1:
            images = images.mean(dim=1, keepdim=True)
        if images.shape[-2:] != (cls.resolution, cls.resolution):
            images = torch.nn.functional.interpolate(images, size=(cls.resolution, cls.resolution), mode="bilinear",
                                                     align_corners=False, antialias=True)
        return images

    def features_and_logits(self, images):
        hidden = self.body(self.prepare(images))
        return hidden * self.feature_scale, self.head(hidden)

    def features(self, images):
        return self.features_and_logits(images)[0]

    def logits(self, images):
        return self.features_and_logits(images)[1]

    def forward(self, images):
        return self.logits(images)


def _conv_bn_relu(c_in, c_out):
    return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]

class FacesClassifier(nn.Module):
    """Small CNN for RGB faces in [-1, 1]: 128-d features and one logit head per face attribute.

    Any input size is resized to 32 x 32 first (antialiased), so 32 x 32 and 64 x 64 images are seen
    at the same resolution. ``logits`` are the hair-colour classes (the Inception Score's classes).
    """

    num_features = 128
    resolution = 32
    heads = dict((name, len(values)) for name, values in FACE_ATTRIBUTES.items())
    num_classes = heads["hair_colour"]

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            *_conv_bn_relu(3, 32), nn.MaxPool2d(2),                     # 16 x 16
            *_conv_bn_relu(32, 64), *_conv_bn_relu(64, 64), nn.MaxPool2d(2),    # 8 x 8
            *_conv_bn_relu(64, 128),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(128, 128), nn.ReLU(),                      # penultimate features
        )
        self.head = nn.Linear(128, sum(self.heads.values()))
        # Set by the training script so that |features|^2 / d is about 1 on offline faces (the KID
        # kernel (x.y / d + 1)^3 expects features of order 1); a buffer, so it ships with the weights.
        self.register_buffer("feature_scale", torch.ones(()))

    @classmethod
    def prepare(cls, images):
        """(N, 3, H, W) in [-1, 1] -> (N, 3, 32, 32); grey (N, 1, H, W) inputs are repeated to RGB."""
        images = images.float()
        if images.shape[1] == 1:
            images = images.expand(-1, 3, -1, -1)
        if images.shape[-2:] != (cls.resolution, cls.resolution):
            images = F.interpolate(images, size=(cls.resolution, cls.resolution), mode="bilinear",
                                   align_corners=False, antialias=True)
        return images

    def hidden(self, images):
        """Penultimate activations (N, 128), before ``feature_scale``."""
        return self.body(self.prepare(images))

    def attribute_logits(self, images, hidden=None):
        """``name -> (N, K_name)`` logits for every attribute of ``FACE_ATTRIBUTES``."""
        out = self.head(self.hidden(images) if hidden is None else hidden)
        return dict(zip(self.heads, out.split(list(self.heads.values()), dim=1)))

    def features_and_logits(self, images):
        hidden = self.hidden(images)
        return hidden * self.feature_scale, self.attribute_logits(images, hidden)["hair_colour"]

    def features(self, images):
        return self.hidden(images) * self.feature_scale

    def logits(self, images):
        return self.attribute_logits(images)["hair_colour"]

    def forward(self, images):
        return self.logits(images)


class SmallDigitsClassifier(DigitsClassifier):
    """Small CNN for grey digits at 16 x 16 (any input size is resized to it): Lab 4's independent judge.

    Trained on the real UCI digits only (``tools/train_real_digits_classifier.py``); about ten times cheaper
    than :class:`DigitsClassifier` (the same layout, narrower and at 16 x 16), which suits digits that hold 8 x 8
    pixels of information. Class logits and 64-d penultimate features (for the intra-class spread), unscaled.
    """

    resolution = 16
    widths = (16, 32, 64)
    feature_scale = 1.0


class PatchGAN(nn.Module):
    """A patch discriminator (Isola et al. 2017, sec. 3.2.2; Zhu et al. 2017, appendix 7.2): a map of raw scores,
    one per overlapping input patch (70 x 70 pixels for ``n_layers=3``). Lab 5 builds it; later labs use this one.

    With ``w(k) = ndf * min(2**k, 8)`` channels: a 4 x 4 stride-2 convolution to ``w(0)`` and LeakyReLU(0.2)
    (never normalised); ``n_layers - 1`` further stride-2 4 x 4 convolutions to ``w(1) .. w(n_layers - 1)`` and
    one stride-1 4 x 4 convolution to ``w(n_layers)``, each followed by the norm and LeakyReLU(0.2); then a
    stride-1 4 x 4 convolution to one channel. All paddings are 1. No sigmoid: callers choose the loss (logits
    for cross-entropy, raw scores for least squares).

    ``norm="batch"`` (pix2pix): BatchNorm2d, and the normalised convolutions have no bias (the norm removes it).
    ``norm="instance"`` (CycleGAN): InstanceNorm2d without affine parameters or running statistics, so every
    convolution keeps its bias, as in the authors' code. For 3 input channels and the defaults this has
    2,764,737 parameters; for 6 channels with batch norm, 2,768,705.

    forward(images): (B, in_channels, H, W) -> (B, 1, H', W'), H' = H / 2**n_layers - 2 for H divisible by it.
    """

    def __init__(self, in_channels: int = 3, ndf: int = 64, n_layers: int = 3, norm: str = "instance"):
        super().__init__()
        if norm not in ("batch", "instance"):
            raise ValueError(f"norm must be 'batch' or 'instance', got {norm!r}")
        if n_layers < 1 or ndf < 1 or in_channels < 1:
            raise ValueError(f"need in_channels, ndf and n_layers >= 1, got {in_channels}, {ndf}, {n_layers}")
        with_bias = norm == "instance"

        def normalised(c_in, c_out, stride):
            norm_layer = nn.InstanceNorm2d(c_out) if with_bias else nn.BatchNorm2d(c_out)
            return [nn.Conv2d(c_in, c_out, kernel_size=4, stride=stride, padding=1, bias=with_bias), norm_layer,
                    nn.LeakyReLU(0.2)]

        widths = [ndf * min(2 ** k, 8) for k in range(n_layers + 1)]
        stages = [nn.Conv2d(in_channels, widths[0], kernel_size=4, stride=2, padding=1), nn.LeakyReLU(0.2)]
        for k in range(1, n_layers + 1):   # halves the size while k < n_layers; the last one keeps it
            stages += normalised(widths[k - 1], widths[k], 2 if k < n_layers else 1)
        stages.append(nn.Conv2d(widths[-1], 1, kernel_size=4, stride=1, padding=1))   # one raw score per patch
        self.model = nn.Sequential(*stages)
        self.in_channels, self.n_layers, self.norm = in_channels, n_layers, norm

    def forward(self, images):
        return self.model(images)
