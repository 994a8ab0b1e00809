"""Dataset registry and offline defaults (no network: downloads are exercised with file:// URLs)."""

from __future__ import annotations

import gzip
import hashlib
import struct

import pytest
import torch

from ganlab.data import DatasetSpec, DatasetUnavailable, FileSpec, fetch, load_digits, offline_digits


def test_offline_digits_are_deterministic_and_in_range():
    a, la = offline_digits(64, seed=3)
    b, lb = offline_digits(64, seed=3)
    c, _ = offline_digits(64, seed=4)
    assert a.shape == (64, 1, 28, 28) and a.dtype == torch.float32
    assert torch.equal(a, b) and torch.equal(la, lb) and not torch.equal(a, c)
    assert a.min() >= -1 and a.max() <= 1
    ink = (a > 0).float().mean(dim=(1, 2, 3))
    assert (ink > 0.03).all() and (ink < 0.5).all(), "every digit has some ink and is not a blob"
    assert set(la.tolist()) <= set(range(10))


def test_offline_digit_classes_differ():
    images, labels = offline_digits(2000, seed=0)
    means = torch.stack([images[labels == d].mean(0) for d in range(10)])
    dist = torch.cdist(means.flatten(1), means.flatten(1))
    assert dist[~torch.eye(10, dtype=torch.bool)].min() > 1.0, "class templates must be distinguishable"


def _idx_images(n=3):
    return gzip.compress(struct.pack(">IIII", 2051, n, 28, 28) + bytes(range(256)) * 0 + bytes(n * 784))


def _idx_labels(n=3):
    return gzip.compress(struct.pack(">II", 2049, n) + bytes([1] * n))


def _spec(tmp_path, payloads, corrupt=None):
    src = tmp_path / "remote"
    src.mkdir()
    files = []
    for name, data in payloads.items():
        (src / name).write_bytes(data)
        digest = hashlib.sha256(data if name != corrupt else b"other").hexdigest()
        files.append(FileSpec(name, (f"file://{src / name}",), f"sha256:{digest}"))
    return DatasetSpec("toy", "Toy data", tuple(files), "test", "test", "the offline toy", "datasets/none.md",
                       manual="Put the files there by hand.")


def test_fetch_downloads_and_verifies(tmp_path):
    spec = _spec(tmp_path, {"a.bin": b"hello", "b.bin": b"world"})
    folder = fetch(spec, tmp_path / "cache", progress=False)
    assert (folder / "a.bin").read_bytes() == b"hello"
    # second call finds the verified copy without downloading
    (tmp_path / "remote" / "a.bin").unlink()
    assert fetch(spec, tmp_path / "cache", progress=False) == folder


def test_fetch_rejects_a_bad_checksum_and_names_the_offline_default(tmp_path):
    spec = _spec(tmp_path, {"a.bin": b"hello"}, corrupt="a.bin")
    with pytest.raises(DatasetUnavailable, match="offline toy"):
        fetch(spec, tmp_path / "cache", progress=False)
    assert not (tmp_path / "cache" / "a.bin").exists(), "a file that failed its checksum is not kept"


def test_offline_switch_forbids_downloads(tmp_path, monkeypatch):
    monkeypatch.setenv("GANLAB_OFFLINE", "1")
    spec = _spec(tmp_path, {"a.bin": b"hello"})
    with pytest.raises(DatasetUnavailable, match="downloading is off"):
        fetch(spec, tmp_path / "cache", progress=False)


def test_load_digits_falls_back_to_offline(monkeypatch, tmp_path):
    monkeypatch.setenv("GANLAB_OFFLINE", "1")
    monkeypatch.setenv("GANLAB_DATA", str(tmp_path))
    with pytest.warns(UserWarning, match="offline digits"):
        images, labels, source = load_digits(n=32)
    assert source == "offline-digits" and images.shape == (32, 1, 28, 28)
    with pytest.raises(DatasetUnavailable):
        load_digits(n=8, source="mnist")
