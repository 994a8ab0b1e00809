"""Datasets: a small registry with checksum-verified downloads and project-made offline defaults.

Every real dataset has an offline default made by the project, used automatically (and announced)
when the real data is absent, so every lab runs without internet::

    from ganlab.data import load_digits
    images, labels, source = load_digits(n=1000)    # MNIST if present/downloadable, else offline digits
    images, labels, source = load_faces(n=1000)     # anime faces if placed by hand, else offline faces

Data lives under ``$GANLAB_DATA`` (default ``~/.cache/ganlab``). See ``datasets/README.md``.
"""

from ganlab.data.registry import (
    DATASETS, DatasetSpec, DatasetUnavailable, FileSpec, cache_dir, fetch, locate,
)
from ganlab.data.digits import load_digits, offline_digits
from ganlab.data.faces import FACE_ATTRIBUTES, AnimeFaceFolder, load_faces, load_image_folder, offline_faces

__all__ = ["DATASETS", "DatasetSpec", "DatasetUnavailable", "FileSpec", "cache_dir", "fetch", "locate",
           "load_digits", "offline_digits", "FACE_ATTRIBUTES", "AnimeFaceFolder", "load_faces", "load_image_folder",
           "offline_faces"]
