"""Lab 8's judges: a small 3D-conv video classifier (features for a Fréchet video distance) and a per-frame classifier.

Both are trained by the project on its own videos (``tools/train_video_classifier.py``; weights in
``ganlab/assets/``), never on a generator's samples and never from a discriminator:

- :class:`VideoClassifier`: clips ``(N, 1, T, 32, 32)`` in ``[-1, 1]`` -> 64-d features and four heads:
  ``"digits"`` (10 logits: which digit classes appear in a moving-digits clip, see :func:`digit_sets`), ``"shape"`` (3,
  :data:`ganlab.data.video.SHAPES`), ``"motion"`` (5, :data:`ganlab.data.video.MOTIONS`) and ``"order"`` (3:
  the frames in their order, shuffled, or one frame frozen). Trained on both datasets at once, so its
  features see content and motion. FVD (Unterthiner et al. 2018) uses an I3D network whose weights come
  from the internet; :func:`frechet_video_distance` is the same Fréchet distance on this network's features
  instead (numbers comparable only with numbers made with the same weights file).
- :class:`FrameClassifier`: single frames ``(N, 1, 32, 32)`` -> ``"digits"`` (10, as above) and ``"shape"``
  (3): the content of each frame, for :func:`content_consistency`.
- For videos of ONE digit, :func:`frame_contents` (``kind="digit"``) crops each frame around its ink and asks
  Lab 4's independent real-digits classifier (``ganlab.conditional.real_digits_classifier``: 97.5% held-out
  accuracy on the UCI test digits at 16 x 16, the glyph size of 32 x 32 moving digits): the most reliable judge
  of per-frame digit identity here.

The digit heads are trained with a cross-entropy against the digits present spread evenly (1 on the digit of a
one-digit clip, 1/2 on each of two different digits, 1 on a digit shown twice): a softmax learns this much
faster than ten independent sigmoids (which stayed at their prior in our first training run), and the set is
read back as the classes above :data:`DIGIT_SET_THRESHOLD`.

Importing this module has no side effects: weights load, and the extractor is registered with
``ganlab.quality``, on first use (:func:`register_video_extractor`).
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

ASSETS = Path(__file__).resolve().parent / "assets"
VIDEO_CLASSIFIER_WEIGHTS = ASSETS / "video_classifier.pt"
FRAME_CLASSIFIER_WEIGHTS = ASSETS / "video_frame_classifier.pt"
#: The name of the video extractor in ``ganlab.quality.EXTRACTORS``.
VIDEO_EXTRACTOR = "moving-video"
#: Labels of the ``"order"`` head.
ORDERS = ("ordered", "shuffled", "frozen")
#: A digit class belongs to a clip's (or frame's) digit set when its softmax probability exceeds this (the
#: trained targets are 1, 1/2 or 0).
DIGIT_SET_THRESHOLD = 0.25

__all__ = ["VideoClassifier", "FrameClassifier", "video_classifier", "frame_classifier", "register_video_extractor",
           "video_features", "frechet_video_distance", "digit_sets", "digit_crops", "frame_contents",
           "content_consistency"]


def digit_sets(logits: torch.Tensor) -> torch.Tensor:
    """``(N, 10)`` bool: the digit classes a ``"digits"`` head sees (softmax probability > ``DIGIT_SET_THRESHOLD``)."""
    return logits.softmax(dim=1) > DIGIT_SET_THRESHOLD


def _check_videos(videos) -> torch.Tensor:
    if not isinstance(videos, torch.Tensor) or videos.dim() != 5:
        shape = tuple(videos.shape) if isinstance(videos, torch.Tensor) else type(videos).__name__
        raise ValueError(f"videos must be a (N, C, T, H, W) tensor, got {shape}")
    if not videos.is_floating_point():
        raise ValueError(f"videos must be float in [-1, 1], got dtype {videos.dtype}")
    return videos


def _resize_frames(frames: torch.Tensor, resolution: int) -> torch.Tensor:
    """(M, 1, H, W) -> (M, 1, R, R): bilinear, antialiased (a no-op at R)."""
    if frames.shape[-2:] == (resolution, resolution):
        return frames
    return F.interpolate(frames, size=(resolution, resolution), mode="bilinear", align_corners=False,
                         antialias=True)


def _block3d(c_in: int, c_out: int, stride) -> list[nn.Module]:
    return [nn.Conv3d(c_in, c_out, 3, stride=stride, padding=1, bias=False), nn.BatchNorm3d(c_out), nn.ReLU()]


class VideoClassifier(nn.Module):
    """3D-conv classifier for grey clips at 32 x 32: 64-d features and four heads (see the module docstring).

    Input ``(N, C, T, H, W)`` in ``[-1, 1]``: channels are averaged, frames resized to 32 x 32 (antialiased).
    Any ``T >= 1`` runs (global average over time at the end), but it was trained at ``T = 16``: compare
    features only between clips of the same length.
    """

    num_features = 64
    resolution = 32
    heads = {"digits": 10, "shape": 3, "motion": 5, "order": 3}
    #: The head whose logits ``features_and_logits`` returns (the extractor registry wants one set of logits).
    logits_head = "digits"

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv3d(1, 16, 3, stride=(1, 2, 2), padding=1), nn.ReLU(),  # (N, 16, T, 16, 16)
            *_block3d(16, 32, 2),                                         # (N, 32, T/2, 8, 8)
            *_block3d(32, 64, 2),                                         # (N, 64, T/4, 4, 4)
            *_block3d(64, 64, 1),                                         # (N, 64, T/4, 4, 4)
            nn.AdaptiveAvgPool3d(1), nn.Flatten(),                        # (N, 64)
            nn.Linear(64, self.num_features), nn.ReLU(),                  # penultimate features
        )
        self.head = nn.Linear(self.num_features, sum(self.heads.values()))
        # Set by the training script so that |features|^2 / d is about 1 on real clips (the KID kernel
        # (x.y / d + 1)^3 expects features of order 1); a buffer, so it ships with the weights.
        self.register_buffer("feature_scale", torch.ones(()))

    @classmethod
    def prepare(cls, videos) -> torch.Tensor:
        videos = _check_videos(videos).float()
        if videos.shape[1] != 1:
            videos = videos.mean(dim=1, keepdim=True)
        n, _, t, h, w = videos.shape
        if (h, w) != (cls.resolution, cls.resolution):
            frames = videos.permute(0, 2, 1, 3, 4).reshape(n * t, 1, h, w)
            frames = _resize_frames(frames, cls.resolution)
            videos = frames.view(n, t, 1, cls.resolution, cls.resolution).permute(0, 2, 1, 3, 4)
        return videos

    def hidden(self, videos) -> torch.Tensor:
        """Penultimate activations (N, 64), before ``feature_scale``."""
        return self.body(self.prepare(videos))

    def head_logits(self, videos, hidden=None) -> dict[str, torch.Tensor]:
        """``name -> (N, K)`` logits of every head."""
        out = self.head(self.hidden(videos) if hidden is None else hidden)
        return dict(zip(self.heads, out.split(list(self.heads.values()), dim=1)))

    def features_and_logits(self, videos):
        hidden = self.hidden(videos)
        return hidden * self.feature_scale, self.head_logits(videos, hidden)[self.logits_head]

    def features(self, videos):
        return self.hidden(videos) * self.feature_scale

    def logits(self, videos):
        return self.head_logits(videos)[self.logits_head]

    def forward(self, videos):
        return self.logits(videos)


class FrameClassifier(nn.Module):
    """2D CNN for grey frames at 32 x 32: ``"digits"`` (10, see :func:`digit_sets`) and ``"shape"`` (3) logits."""

    resolution = 32
    heads = {"digits": 10, "shape": 3}

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # (N, 32, 16, 16)
            nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
            nn.MaxPool2d(2),                                              # (N, 64, 8, 8)
            nn.Conv2d(64, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),                        # (N, 64)
        )
        self.head = nn.Linear(64, sum(self.heads.values()))

    def head_logits(self, frames) -> dict[str, torch.Tensor]:
        if not isinstance(frames, torch.Tensor) or frames.dim() != 4:
            raise ValueError("frames must be a (N, C, H, W) tensor")
        frames = frames.float()
        if frames.shape[1] != 1:
            frames = frames.mean(dim=1, keepdim=True)
        out = self.head(self.body(_resize_frames(frames, self.resolution)))
        return dict(zip(self.heads, out.split(list(self.heads.values()), dim=1)))

    def forward(self, frames):
        return torch.cat(list(self.head_logits(frames).values()), dim=1)


def _load(model: nn.Module, path: Path) -> nn.Module:
    from ganlab.quality import _load_weights  # one weights loader for every project-trained judge

    _load_weights(model, path, "python -m tools.train_video_classifier")
    return model


def video_classifier(pretrained: bool = True) -> VideoClassifier:
    """The video classifier in eval mode, gradients off; ``pretrained`` loads the shipped weights."""
    model = VideoClassifier()
    if pretrained:
        _load(model, VIDEO_CLASSIFIER_WEIGHTS)
    return model.eval().requires_grad_(False)


def frame_classifier(pretrained: bool = True) -> FrameClassifier:
    """The per-frame classifier in eval mode, gradients off; ``pretrained`` loads the shipped weights."""
    model = FrameClassifier()
    if pretrained:
        _load(model, FRAME_CLASSIFIER_WEIGHTS)
    return model.eval().requires_grad_(False)


def register_video_extractor() -> str:
    """Register :class:`VideoClassifier` with ``ganlab.quality`` as ``"moving-video"`` (idempotent); returns the name.

    Then ``ganlab.quality.extract(videos, "moving-video")`` gives its features and digit logits.
    """
    from ganlab.quality import EXTRACTORS, ExtractorSpec, register_extractor

    if VIDEO_EXTRACTOR not in EXTRACTORS:
        register_extractor(ExtractorSpec(
            VIDEO_EXTRACTOR, video_classifier, VideoClassifier.num_features, VideoClassifier.heads["digits"],
            "(N, C, T, H, W) videos in [-1, 1]; channels averaged, frames resized to 32 x 32; trained at T = 16",
            "ganlab/assets/video_classifier.pt (tools/train_video_classifier.py, trained on "
            "ganlab.data.video.moving_digits and moving_shapes; logits: the digit head)"))
    return VIDEO_EXTRACTOR


def video_features(videos, batch_size: int = 250) -> torch.Tensor:
    """(N, 64) features of the video classifier (no gradients, batches of ``batch_size``)."""
    from ganlab.quality import extract

    _check_videos(videos)
    return extract(videos.detach().cpu(), register_video_extractor(), batch_size)[0]


def frechet_video_distance(real, fake, batch_size: int = 250) -> float:
    """Fréchet distance between the video-classifier features of two sets of clips (an FVD on our own features).

    ``real``, ``fake``: ``(N, C, T, H, W)`` in ``[-1, 1]``, the same ``T`` (16 is what the classifier was
    trained on). The distance of Heusel et al.'s FID, computed by torchmetrics (``ganlab.quality``) in
    float64. Use a few hundred clips or more per side: with fewer the covariance estimates make the distance
    grow (biased upwards). Numbers are comparable only with numbers from the same weights and clip counts.
    """
    from ganlab.quality import fid_from_features

    real, fake = _check_videos(real), _check_videos(fake)
    if real.shape[2] != fake.shape[2]:
        raise ValueError(f"real and fake clips must have the same length T, got {real.shape[2]} and {fake.shape[2]}")
    if len(real) < 2 or len(fake) < 2:
        raise ValueError("need at least 2 clips on each side")
    return fid_from_features(video_features(real, batch_size), video_features(fake, batch_size))


def digit_crops(frames: torch.Tensor) -> torch.Tensor:
    """``(M, 1, H, W)`` frames of one digit -> ``(M, 1, H // 2, W // 2)`` windows centred on each frame's ink.

    The centre is the centroid of the ink (pixel weights ``(x + 1) / 2``, the frame's centre when there is
    none), rounded and clamped so that the window stays inside the frame: for :func:`moving_digits` videos
    the window is the digit's own box to within a pixel or two.
    """
    from ganlab.video import ink_centroids

    m, _, h, w = frames.shape
    gh, gw = h // 2, w // 2
    cx, cy = ink_centroids(frames.unsqueeze(2))[:, 0].unbind(-1)   # each frame as a one-frame video: (M,) each
    top = (cy - gh / 2).round().long().clamp(0, h - gh)
    left = (cx - gw / 2).round().long().clamp(0, w - gw)
    r = (top[:, None] + torch.arange(gh))[:, :, None]  # (M, gh, 1)
    c = (left[:, None] + torch.arange(gw))[:, None, :]  # (M, 1, gw)
    return frames[torch.arange(m)[:, None, None], 0, r, c].unsqueeze(1)


def frame_contents(videos, kind: str = "digit", model: nn.Module | None = None,
                   batch_size: int = 1000) -> torch.Tensor:
    """The content of every frame: ``(N, T)`` int64 codes, equal exactly when two frames show the same content.

    - ``kind="digit"`` (videos of ONE digit): the class (0-9) that Lab 4's real-digits classifier
      (``model`` defaults to ``ganlab.conditional.real_digits_classifier()``) gives the :func:`digit_crops` window.
    - ``kind="digits"`` (any number of digits): the set of digit classes that :class:`FrameClassifier` sees
      (:func:`digit_sets`), coded as a 10-bit integer (bit k set when digit k is seen).
    - ``kind="shape"``: the shape class (:data:`ganlab.data.video.SHAPES`) by :class:`FrameClassifier`.
    """
    if kind not in ("digit", "digits", "shape"):
        raise ValueError("kind must be 'digit', 'digits' or 'shape'")
    videos = _check_videos(videos)
    if model is None:
        if kind == "digit":
            from ganlab.conditional import real_digits_classifier

            model = real_digits_classifier()
        else:
            model = frame_classifier()
    n, c, t, h, w = videos.shape
    frames = videos.detach().cpu().float().permute(0, 2, 1, 3, 4).reshape(n * t, c, h, w)
    if c != 1:
        frames = frames.mean(dim=1, keepdim=True)
    codes = []
    with torch.no_grad():
        for start in range(0, len(frames), batch_size):
            batch = frames[start:start + batch_size]
            if kind == "digit":
                codes.append(model(digit_crops(batch)).argmax(1))
                continue
            logits = model.head_logits(batch)[kind]
            if kind == "shape":
                codes.append(logits.argmax(1))
            else:
                codes.append((digit_sets(logits).long() << torch.arange(10)).sum(1))
    return torch.cat(codes).view(n, t) if codes else torch.zeros(n, t, dtype=torch.long)


def content_consistency(videos, kind: str = "digit", model: nn.Module | None = None) -> float:
    """Fraction of videos whose per-frame content (:func:`frame_contents`) is the same in every frame.

    Content that changes in time (a digit that morphs into another, a square that becomes a circle) lowers
    it. Read it next to the real videos' own score (measured values in ``datasets/moving_digits.md``): a
    judge that errs on some frames of real videos also lowers it, and one that always answers the same class
    would score 1 on anything.
    """
    codes = frame_contents(videos, kind, model)
    if len(codes) == 0:
        raise ValueError("no videos")
    return float((codes == codes[:, :1]).all(dim=1).float().mean())
