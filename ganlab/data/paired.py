"""Aligned image pairs stored side by side (A|B), and the CMP Facades of pix2pix (labels -> photo).

The pix2pix repositories (phillipi/pix2pix, junyanz/pytorch-CycleGAN-and-pix2pix) store each training pair
as ONE image twice as wide as high: image A on the left half, image B on the right half, in ``train/``,
``val/`` and ``test/`` folders. :func:`load_aligned_folder` reads such a folder; :func:`load_facades` reads the
facades archive of the pix2pix data server (400 / 100 / 106 pairs, A = photo, B = label map)::

    from ganlab.data.paired import load_facades
    x_labels, y_photos = load_facades("train", size=256)   # (400, 3, 256, 256) each, in [-1, 1]

No checksum of ``facades.tar.gz`` is published, so the first download is trusted: its size is checked
against the size the server has sent since 2017 (30,168,306 bytes) and its SHA-256 is recorded next to it
(``facades.tar.gz.sha256``); every later use verifies the archive against that record ("trust on first use").
Offline, :func:`load_facades` raises ``DatasetUnavailable`` naming the offline default,
``ganlab.data.photos.load_photos`` with ``make_pair``.
"""

from __future__ import annotations

import os
import re
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import torch

from ganlab.data.registry import DATASETS, OFFLINE_ENV, DatasetUnavailable, cache_dir, file_digest

FACADES_URL = "http://efrosgans.eecs.berkeley.edu/pix2pix/datasets/facades.tar.gz"
FACADES_ARCHIVE = "facades.tar.gz"
#: Content-Length of the archive as served (a 2022 download log shows the same number); no checksum is published.
FACADES_SIZE = 30_168_306
FACADES_SPLITS = ("train", "val", "test")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def _natural_key(path: Path):
    """Sort ``2.jpg`` before ``10.jpg``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def _read_pair(path: Path, size: int) -> tuple[torch.Tensor, torch.Tensor]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            img = img.convert("RGB")
            w, h = img.size
            if w < 2:
                raise ValueError(f"{path} is {w} pixel(s) wide: not an A|B pair")
            halves = [img.crop((0, 0, w // 2, h)), img.crop((w - w // 2, 0, w, h))]
            halves = [half.resize((size, size), Image.BICUBIC) for half in halves]
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"{path} is not a readable image ({exc})") from exc
    tensors = [torch.frombuffer(bytearray(half.tobytes()), dtype=torch.uint8).view(size, size, 3) for half in halves]
    a, b = (t.permute(2, 0, 1).float().div(127.5).sub(1.0) for t in tensors)
    return a, b


def load_aligned_folder(root: str | Path, size: int = 256, direction: str = "AtoB") -> tuple[torch.Tensor, torch.Tensor]:
    """Every A|B image of a folder as ``(x, y)``: float32 ``(N, 3, size, size)`` each, in ``[-1, 1]``.

    Each image (``.jpg``, ``.jpeg``, ``.png`` directly in ``root``, in natural name order) is split at half
    its width into A (left) and B (right); each half is resized (bicubic) to ``size`` x ``size``.
    ``direction="AtoB"``: ``x`` = A, ``y`` = B; ``"BtoA"``: ``x`` = B, ``y`` = A (for facades the label map is B).
    Raises ``ValueError`` for a missing folder, a folder without images, an unreadable image, a bad size or
    direction.
    """
    if direction not in {"AtoB", "BtoA"}:
        raise ValueError(f"direction must be 'AtoB' or 'BtoA', got {direction!r}")
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be a positive int, got {size!r}")
    folder = Path(root)
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder")
    files = sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES), key=_natural_key)
    if not files:
        raise ValueError(f"{folder} holds no .jpg/.jpeg/.png images (A|B pairs side by side)")
    pairs = [_read_pair(p, size) for p in files]
    a = torch.stack([pair[0] for pair in pairs])
    b = torch.stack([pair[1] for pair in pairs])
    return (a, b) if direction == "AtoB" else (b, a)


# ---------------------------------------------------------------------------------------------------------
# The facades archive: trust on first use


def _extracted_root(folder: Path) -> Path | None:
    """The folder holding ``train/`` (with images) of an extracted facades archive, if any."""
    for candidate in (folder / "facades", folder):
        train = candidate / "train"
        if train.is_dir() and any(p.suffix.lower() in IMAGE_SUFFIXES for p in train.iterdir()):
            return candidate
    return None


def _unavailable(message: str) -> DatasetUnavailable:
    spec = DATASETS["facades"]
    return DatasetUnavailable(f"{message} {spec.manual} Offline default: {spec.offline_default}.")


def _check_archive(archive: Path) -> None:
    """Size check, then trust on first use: record the SHA-256 the first time, verify it every later time."""
    size = archive.stat().st_size
    if size != FACADES_SIZE:
        raise _unavailable(f"{archive} has {size:,} bytes, not the {FACADES_SIZE:,} of the pix2pix server's "
                           "facades.tar.gz; not used.")
    record = archive.with_name(archive.name + ".sha256")
    digest = file_digest(archive)
    if not record.is_file():
        record.write_text(digest + "\n")  # first use: this copy becomes the reference
        return
    expected = record.read_text().split()[0] if record.read_text().split() else ""
    if digest != expected:
        raise _unavailable(f"{archive} has SHA-256 {digest}, but {record.name} recorded {expected} at the first "
                           "download: the file changed; delete both to download again.")


def _extract(archive: Path, folder: Path) -> None:
    with tarfile.open(archive, "r:gz") as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(folder, filter="data")
        else:  # Python without extraction filters: refuse absolute paths and '..' by hand
            for member in tar.getmembers():
                if member.name.startswith("/") or ".." in Path(member.name).parts or not (member.isfile() or member.isdir()):
                    raise _unavailable(f"{archive} holds an unsafe entry {member.name!r}; not extracted.")
            tar.extractall(folder)


def _download_archive(target: Path, progress: bool) -> None:
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(FACADES_URL, timeout=30) as resp:  # noqa: S310
            bar = None
            if progress:
                from tqdm.auto import tqdm

                bar = tqdm(total=FACADES_SIZE, unit="B", unit_scale=True, desc=target.name)
            while chunk := resp.read(1 << 16):
                out.write(chunk)
                if bar is not None:
                    bar.update(len(chunk))
            if bar is not None:
                bar.close()
        os.replace(partial, target)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise _unavailable(f"could not download {FACADES_URL} ({exc}).") from exc
    finally:
        partial.unlink(missing_ok=True)


def fetch_facades(root: str | Path | None = None, download: bool = True, progress: bool = True) -> Path:
    """The folder holding ``train/``, ``val/``, ``test/`` of the facades, downloading and extracting when allowed.

    Looks in ``root`` (default ``$GANLAB_DATA/facades``): an archive ``facades.tar.gz`` there is checked (size,
    then SHA-256 against the record made at its first use) and extracted if needed; an already extracted
    folder (``facades/train/*.jpg`` or ``train/*.jpg``, e.g. unpacked by hand) is used as it is. Otherwise the
    archive is downloaded when ``download`` is true and ``$GANLAB_OFFLINE`` is not set. Raises
    ``DatasetUnavailable`` (naming the offline default) when none of this works.
    """
    folder = Path(root) if root else cache_dir("facades")
    archive = folder / FACADES_ARCHIVE
    if archive.is_file():
        _check_archive(archive)
        found = _extracted_root(folder)
        if found is None:
            _extract(archive, folder)
            found = _extracted_root(folder)
        if found is None:
            raise _unavailable(f"{archive} holds no train/ folder of images.")
        return found
    found = _extracted_root(folder)
    if found is not None:
        return found
    if not download or os.environ.get(OFFLINE_ENV, "") not in ("", "0"):
        raise _unavailable(f"The facades are not in {folder} and downloading is off.")
    folder.mkdir(parents=True, exist_ok=True)
    _download_archive(archive, progress)
    try:
        _check_archive(archive)
    except DatasetUnavailable:
        archive.unlink(missing_ok=True)
        archive.with_name(archive.name + ".sha256").unlink(missing_ok=True)
        raise
    _extract(archive, folder)
    found = _extracted_root(folder)
    if found is None:
        raise _unavailable(f"{archive} holds no train/ folder of images.")
    return found


def load_facades(split: str = "train", size: int = 256, root: str | Path | None = None,
                 download: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """CMP Facades as pix2pix uses them: ``(x_label_map, y_photo)``, float32 ``(N, 3, size, size)`` in [-1, 1].

    ``split``: ``"train"`` (400 pairs), ``"val"`` (100) or ``"test"`` (106). The archive stores the photo as A
    (left) and the label map as B (right); this returns B as the condition and A as the target (pix2pix's
    ``--direction BtoA``). Data from :func:`fetch_facades`; raises ``DatasetUnavailable`` naming the offline
    default (``ganlab.data.photos.load_photos``) when the facades cannot be had.
    """
    if split not in FACADES_SPLITS:
        raise ValueError(f"split must be one of {', '.join(FACADES_SPLITS)}, got {split!r}")
    found = fetch_facades(root, download=download)
    folder = found / split
    if not folder.is_dir():
        raise _unavailable(f"{found} has no {split}/ folder.")
    return load_aligned_folder(folder, size, direction="BtoA")
