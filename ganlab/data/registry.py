"""The dataset registry: where each dataset comes from, its checksums, licence and offline default."""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

DATA_ENV = "GANLAB_DATA"
OFFLINE_ENV = "GANLAB_OFFLINE"  # set to 1 to never touch the network


class DatasetUnavailable(RuntimeError):
    """The real data is neither on disk nor downloadable; the message names the offline default."""


@dataclass(frozen=True)
class FileSpec:
    name: str
    urls: tuple[str, ...]
    checksum: str  # "md5:<hex>" or "sha256:<hex>"
    size: int | None = None


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    title: str
    files: tuple[FileSpec, ...]
    licence: str
    citation: str
    offline_default: str  # what is used instead, e.g. "ganlab.data.offline_digits"
    readme: str  # path under datasets/
    manual: str = ""  # how to get the data by hand when no download is allowed
    tags: tuple[str, ...] = field(default_factory=tuple)
    #: For manual-only datasets (no ``files``: no stable URL or checksum exists): the folder counts as
    #: present when some file below it matches one of these globs. Such data is never downloaded.
    manual_patterns: tuple[str, ...] = ()


DATASETS: dict[str, DatasetSpec] = {
    "mnist": DatasetSpec(
        name="mnist",
        title="MNIST handwritten digits (LeCun, Cortes, Burges)",
        files=tuple(
            FileSpec(fname, (f"https://ossci-datasets.s3.amazonaws.com/mnist/{fname}",
                             f"http://yann.lecun.com/exdb/mnist/{fname}"), f"md5:{md5}", size)
            for fname, md5, size in [
                ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", 9912422),
                ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", 28881),
                ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", 1648877),
                ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c", 4542),
            ]
        ),
        licence="CC BY-SA 3.0 (as distributed by Y. LeCun and C. Cortes)",
        citation="Y. LeCun, L. Bottou, Y. Bengio, P. Haffner. Gradient-based learning applied to document "
                 "recognition. Proc. IEEE 86(11), 1998.",
        offline_default="ganlab.data.offline_digits (procedural digits made by the project)",
        readme="datasets/mnist.md",
        manual="Download the four .gz files named in datasets/mnist.md into $GANLAB_DATA/mnist/.",
    ),
    # No file list: the public anime-face sets sit behind a Kaggle login or on mirrors without stable
    # URLs, so there is nothing to download or checksum; the user places the images by hand.
    "anime-faces": DatasetSpec(
        name="anime-faces",
        title="Anime faces (crops of getchu.com character art, Mckinsey666 / bchao1)",
        files=(),
        licence="unclear: scraped from getchu.com; the source says educational/research use only",
        citation="Anime-Face-Dataset, https://github.com/bchao1/Anime-Face-Dataset (faces cropped with "
                 "https://github.com/nagadomi/lbpcascade_animeface).",
        offline_default="ganlab.data.offline_faces (procedural manga faces made by the project)",
        readme="datasets/anime_faces.md",
        manual=("Anime faces cannot be downloaded automatically (the sets need a Kaggle account or have no "
                "stable URL). Get either the 63,632-image 'Anime Face Dataset' "
                "(https://www.kaggle.com/datasets/splcher/animefacedataset) or the 21,551-image 64 x 64 "
                "'Anime Faces' (https://www.kaggle.com/datasets/soumikrakshit/anime-faces, mirrored at "
                "https://huggingface.co/datasets/huggan/anime-faces), unpack it and put the image files "
                "(.png/.jpg/.jpeg/.webp, any sub-folders) under $GANLAB_DATA/anime-faces/ (default "
                "~/.cache/ganlab/anime-faces/) or pass root= / --root. Licence unclear (scraped from "
                "getchu.com): educational/research use only. See datasets/anime_faces.md."),
        manual_patterns=("*.png", "*.jpg", "*.jpeg", "*.webp", "*.PNG", "*.JPG", "*.JPEG", "*.WEBP"),
    ),
    # No checksum of the archive is published anywhere, so ``files`` is empty (the generic fetch needs one):
    # ganlab.data.paired.fetch_facades downloads it, checks its size (30,168,306 bytes) and trusts the first
    # copy, recording its SHA-256 next to it and verifying every later use against that record.
    "facades": DatasetSpec(
        name="facades",
        title="CMP Facades as distributed by pix2pix (Tylecek and Sara 2013; 400 train, 100 val, 106 test pairs)",
        files=(),
        licence="CC BY-SA as reported by third-party projects (the CMP page could not be checked from here); "
                "cite Tylecek and Sara 2013",
        citation="R. Tylecek, R. Sara. Spatial Pattern Templates for Recognition of Objects with Regular "
                 "Structure. Proc. GCPR 2013, Saarbrucken, Germany.",
        offline_default="ganlab.data.photos.load_photos with make_pair (real photos from scikit-image, stored "
                        "in the project)",
        readme="datasets/facades.md",
        manual=("Download http://efrosgans.eecs.berkeley.edu/pix2pix/datasets/facades.tar.gz (30,168,306 bytes) "
                "into $GANLAB_DATA/facades/ (default ~/.cache/ganlab/facades/), or unpack it there (train/, val/, "
                "test/ folders of A|B jpgs), or pass root=. See datasets/facades.md."),
        manual_patterns=("facades.tar.gz", "*.jpg"),
    ),
    # The URL moved from people.eecs.berkeley.edu/~taesung_park/CycleGAN/datasets/ (404 since 2023) to the
    # efrosgans server, as the CycleGAN authors advised; the archive unpacks to horse2zebra/{train,test}{A,B}/.
    "horse2zebra": DatasetSpec(
        name="horse2zebra",
        title="horse2zebra (CycleGAN; ImageNet horses and zebras: 1,067 / 1,334 train, 120 / 140 test)",
        files=(FileSpec("horse2zebra.zip",
                        ("http://efrosgans.eecs.berkeley.edu/cyclegan/datasets/horse2zebra.zip",
                         "https://efrosgans.eecs.berkeley.edu/cyclegan/datasets/horse2zebra.zip"),
                        "sha256:a74d9d392eecca9966b51287a76ca126af473d9de4f3e8fc0e9cda08fa1730a1", 116_867_962),),
        licence="images from ImageNet (wild horse and zebra synsets): ImageNet's terms, non-commercial research "
                "and educational use; the CycleGAN authors distribute the selection",
        citation="J.-Y. Zhu, T. Park, P. Isola, A. A. Efros. Unpaired Image-to-Image Translation using "
                 "Cycle-Consistent Adversarial Networks. ICCV 2017 (arXiv 1703.10593).",
        offline_default="ganlab.data.unpaired.face_translation (procedural faces, hair black -> blonde, with "
                        "ground truth)",
        readme="datasets/horse2zebra.md",
        manual=("Download http://efrosgans.eecs.berkeley.edu/cyclegan/datasets/horse2zebra.zip (116,867,962 bytes) "
                "into $GANLAB_DATA/horse2zebra/ (default ~/.cache/ganlab/horse2zebra/), or unpack it there "
                "(horse2zebra/trainA/ ... or trainA/ ...), or pass root=. See datasets/horse2zebra.md."),
    ),
    # Moving MNIST (Srivastava, Mansimov, Salakhutdinov 2015): one file, 10,000 sequences of 20 frames of 64 x 64 (two
    # MNIST digits each). No published checksum or size was found: the MD5 is torchvision's (datasets/moving_mnist.py,
    # the value its download checks); the size is 20 x 10,000 x 64 x 64 bytes plus an 80-byte .npy header (the
    # number a third-party loader checks too). Read by ganlab.data.video.load_moving_mnist, split by sequence.
    "moving-mnist": DatasetSpec(
        name="moving-mnist",
        title="Moving MNIST test sequences (Srivastava, Mansimov, Salakhutdinov 2015; 10,000 x 20 frames of 64 x 64)",
        files=(FileSpec("mnist_test_seq.npy",
                        ("https://www.cs.toronto.edu/~nitish/unsupervised_video/mnist_test_seq.npy",
                         "http://www.cs.toronto.edu/~nitish/unsupervised_video/mnist_test_seq.npy"),
                        "md5:be083ec986bfe91a449d63653c411eb2", 819_200_080),),
        licence="not stated by the source page; made from MNIST (CC BY-SA 3.0 as distributed by LeCun and Cortes): "
                "cite the paper",
        citation="N. Srivastava, E. Mansimov, R. Salakhutdinov. Unsupervised Learning of Video Representations "
                 "using LSTMs. ICML 2015 (arXiv:1502.04681).",
        offline_default="ganlab.data.video.moving_digits (bouncing real UCI handwritten digits, made by the project)",
        readme="datasets/moving_mnist.md",
        manual="Download mnist_test_seq.npy (819,200,080 bytes) from "
               "https://www.cs.toronto.edu/~nitish/unsupervised_video/ into $GANLAB_DATA/moving-mnist/.",
        tags=("video",),
    ),
}


def cache_dir(name: str | None = None) -> Path:
    root = Path(os.environ.get(DATA_ENV) or Path.home() / ".cache" / "ganlab").expanduser()
    return root / name if name else root


def file_digest(path: str | Path, algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in 1 MiB chunks (the one file hasher of the project)."""
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(path: Path, checksum: str) -> bool:
    algorithm, _, expected = checksum.partition(":")
    return path.is_file() and file_digest(path, algorithm) == expected.lower()


def locate(spec: DatasetSpec, root: str | Path | None = None) -> Path | None:
    """The folder holding every file of ``spec`` with the right checksum, or ``None``.

    A manual-only spec (no ``files``) is present when a file below the folder matches its patterns.
    """
    folder = Path(root) if root else cache_dir(spec.name)
    if not spec.files:
        found = folder.is_dir() and any(next(folder.rglob(p), None) for p in spec.manual_patterns)
        return folder if found else None
    return folder if all(verify(folder / f.name, f.checksum) for f in spec.files) else None


def _download(url: str, target: Path, checksum: str, progress: bool) -> None:
    tmp_fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(tmp_fd, "wb") as out, urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310
            total = int(resp.headers.get("Content-Length") or 0) or None
            bar = None
            if progress:
                from tqdm.auto import tqdm

                bar = tqdm(total=total, unit="B", unit_scale=True, desc=target.name)
            for chunk in iter(lambda: resp.read(1 << 16), b""):
                out.write(chunk)
                if bar is not None:
                    bar.update(len(chunk))
            if bar is not None:
                bar.close()
        if not verify(tmp, checksum):
            raise DatasetUnavailable(f"{target.name} from {url} failed its checksum ({checksum}); not used")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def fetch(spec: DatasetSpec | str, root: str | Path | None = None, download: bool = True,
          progress: bool = True) -> Path:
    """Return the folder of a verified copy of ``spec``, downloading missing files when allowed.

    Raises :class:`DatasetUnavailable` (naming the offline default) when the data cannot be had.
    """
    spec = DATASETS[spec] if isinstance(spec, str) else spec
    folder = Path(root) if root else cache_dir(spec.name)
    found = locate(spec, folder)
    if found:
        return found
    if not spec.files:
        what = "holds no matching files" if folder.is_dir() else "does not exist"
        raise DatasetUnavailable(f"{spec.title}: {folder} {what}. {spec.manual} "
                                 f"Offline default: {spec.offline_default}.")
    offline = os.environ.get(OFFLINE_ENV, "") not in ("", "0")
    if not download or offline:
        raise DatasetUnavailable(
            f"{spec.title} is not in {folder} and downloading is off. {spec.manual} "
            f"Offline default: {spec.offline_default}.")
    folder.mkdir(parents=True, exist_ok=True)
    errors = []
    for f in spec.files:
        target = folder / f.name
        if verify(target, f.checksum):
            continue
        for url in f.urls:
            try:
                _download(url, target, f.checksum, progress)
                break
            except (urllib.error.URLError, OSError, DatasetUnavailable, TimeoutError) as exc:
                errors.append(f"{url}: {exc}")
        else:
            raise DatasetUnavailable(
                f"could not download {spec.title} ({'; '.join(errors[-2:])}). {spec.manual} "
                f"Offline default: {spec.offline_default}.")
    return folder
