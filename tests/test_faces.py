"""Offline manga faces, the anime-face folder loader and the faces feature extractor (no network)."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import torch

from ganlab.data import (
    DATASETS, FACE_ATTRIBUTES, AnimeFaceFolder, DatasetUnavailable, load_faces, load_image_folder, offline_faces,
)

REPO = Path(__file__).resolve().parents[1]


# -- offline faces ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [32, 64])
def test_shape_dtype_range_and_labels(size):
    images, labels = offline_faces(40, seed=1, size=size)
    assert images.shape == (40, 3, size, size) and images.dtype == torch.float32
    assert images.min() >= -1 and images.max() <= 1 and torch.isfinite(images).all()
    assert list(labels) == list(FACE_ATTRIBUTES)
    for name, values in FACE_ATTRIBUTES.items():
        assert labels[name].dtype == torch.int64 and labels[name].shape == (40,)
        assert 0 <= labels[name].min() and labels[name].max() < len(values)


def test_odd_sizes_work_and_bad_sizes_are_refused():
    for size in (16, 45, 128):
        images, _ = offline_faces(3, size=size)
        assert images.shape == (3, 3, size, size) and images.min() >= -1 and images.max() <= 1
    with pytest.raises(ValueError, match="size"):
        offline_faces(2, size=8)


def test_deterministic_and_independent_of_n():
    a, la = offline_faces(150, seed=7, size=32)
    b, lb = offline_faces(150, seed=7, size=32)
    c, lc = offline_faces(23, seed=7, size=32)
    d, _ = offline_faces(150, seed=8, size=32)
    assert torch.equal(a, b) and all(torch.equal(la[k], lb[k]) for k in la)
    assert torch.equal(a[:23], c) and all(torch.equal(la[k][:23], lc[k]) for k in la), "face i does not depend on n"
    assert not torch.equal(a, d)


def test_fixing_attributes_changes_only_those_attributes():
    base, labels = offline_faces(60, seed=3, size=32)
    blonde, fixed = offline_faces(60, seed=3, size=32, attributes={"hair_colour": 2})
    assert (fixed["hair_colour"] == 2).all()
    assert all(torch.equal(labels[k], fixed[k]) for k in labels if k != "hair_colour")
    already = labels["hair_colour"] == 2
    assert already.any() and torch.equal(blonde[already], base[already]), "faces already blonde are unchanged"
    per_face = torch.arange(60) % 4
    _, mixed = offline_faces(60, seed=3, size=32, attributes={"hair_style": per_face, "glasses": 1})
    assert torch.equal(mixed["hair_style"], per_face) and (mixed["glasses"] == 1).all()


@pytest.mark.parametrize("bad", [{"hair_colour": 8}, {"hair_colour": torch.zeros(5, dtype=torch.long)},
                                 {"hat": 0}])
def test_bad_attributes_are_refused(bad):
    with pytest.raises(ValueError):
        offline_faces(10, attributes=bad)


def test_hair_colour_is_a_large_identifiable_region_at_32():
    """Per hair colour, the same faces: the hair region is large and its mean colour differs by class."""
    renders = torch.stack([offline_faces(64, seed=11, size=32, attributes={"hair_colour": k})[0]
                           for k in range(len(FACE_ATTRIBUTES["hair_colour"]))])  # (8, n, 3, 32, 32)
    hair = (renders - renders.mean(0)).abs().amax(dim=(0, 2)) > 0.2  # (n, 32, 32): where hair colour shows
    fraction = hair.float().mean(dim=(1, 2))
    assert fraction.min() > 0.12, f"hair covers too little of some faces: {fraction.min():.2f}"
    means = (renders * hair[None, :, None]).sum(dim=(3, 4)) / hair.sum(dim=(1, 2))[None, :, None]  # (8, n, 3)
    dist = torch.cdist(means.mean(1), means.mean(1))
    assert dist[~torch.eye(8, dtype=torch.bool)].min() > 0.25, "hair colours must be far apart"


def test_glasses_change_pixels_around_the_eyes_only():
    without, _ = offline_faces(40, seed=5, size=64, attributes={"glasses": 0})
    with_, _ = offline_faces(40, seed=5, size=64, attributes={"glasses": 1})
    changed = (with_ - without).abs().amax(dim=1) > 0.1  # (n, 64, 64)
    per_face = changed.float().sum(dim=(1, 2))
    assert (per_face > 40).all(), "every face shows its glasses"
    assert changed[:, 48:].sum() == 0, "nothing below the mouth changes"


@pytest.mark.parametrize("name", ["hair_style", "eye_colour", "eye_size", "face_shape", "mouth", "skin_tone",
                                  "background"])
def test_every_attribute_value_draws_differently(name):
    renders = [offline_faces(8, seed=9, size=32, attributes={name: k})[0] for k in range(len(FACE_ATTRIBUTES[name]))]
    for i in range(len(renders)):
        for j in range(i):
            assert (renders[i] - renders[j]).abs().amax(dim=(1, 2, 3)).min() > 0.2, (name, i, j)


def test_faces_are_varied():
    images, _ = offline_faces(200, seed=2, size=32)
    dist = torch.cdist(images.flatten(1), images.flatten(1))
    assert dist[~torch.eye(200, dtype=torch.bool)].min() > 3.0, "no two faces are (nearly) the same"
    assert images.std(0).mean() > 0.3, "pixels vary across faces"


# -- real anime faces from a folder ----------------------------------------------------------------


def _write_images(folder: Path) -> None:
    from PIL import Image

    (folder / "sub").mkdir(parents=True)
    wide = Image.new("RGB", (90, 60), (255, 0, 0))
    wide.paste((0, 255, 0), (30, 0, 60, 60))  # red | green | blue thirds: the centre crop is mostly green
    wide.paste((0, 0, 255), (60, 0, 90, 60))
    wide.save(folder / "wide.png")
    Image.new("RGB", (100, 100), (0, 0, 255)).save(folder / "sub" / "square.jpg", quality=95)
    Image.new("RGBA", (40, 70), (0, 0, 0, 0)).save(folder / "sub" / "transparent.webp")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n this is not an image")
    (folder / "notes.txt").write_text("not an image either")


def test_folder_loader_resizes_crops_and_skips_broken_files(tmp_path):
    _write_images(tmp_path)
    dataset = AnimeFaceFolder(tmp_path, size=32)
    assert len(dataset) == 4  # the .txt is not listed; the broken .png is, and is skipped when read
    with pytest.warns(UserWarning, match="broken.png"):
        images = load_image_folder(tmp_path, size=32)
    assert images.shape == (3, 3, 32, 32) and images.dtype == torch.float32
    assert images.min() >= -1 and images.max() <= 1
    by_name = dict(zip([p.name for p in dataset.files if p.name != "broken.png"], images))
    centre = by_name["wide.png"][:, 16, 16]
    assert torch.allclose(centre, torch.tensor([-1.0, 1.0, -1.0]), atol=0.05), "centre crop of a wide image"
    assert by_name["square.jpg"][2].mean() > 0.9 and by_name["square.jpg"][0].mean() < -0.9
    assert by_name["transparent.webp"].min() > 0.95, "transparent pixels become white"
    with pytest.warns(UserWarning, match="broken.png"):
        item = dataset[0]  # broken.png sorts first: the next readable image stands in for it
    assert item.shape == (3, 32, 32)
    with warnings.catch_warnings():  # the random subset may or may not hold broken.png
        warnings.simplefilter("ignore", UserWarning)
        subset = load_image_folder(tmp_path, size=16, n=2, seed=1)
    assert subset.shape[0] <= 2 and subset.shape[1:] == (3, 16, 16)


def test_empty_folder_is_a_clear_error(tmp_path):
    (tmp_path / "notes.txt").write_text("no images here")
    with pytest.raises(ValueError, match=str(tmp_path)) as info:
        AnimeFaceFolder(tmp_path)
    assert ".png" in str(info.value) and "anime_faces.md" in str(info.value)


def test_load_faces_falls_back_to_offline_faces_with_a_warning(monkeypatch, tmp_path):
    monkeypatch.setenv("GANLAB_DATA", str(tmp_path))
    with pytest.warns(UserWarning, match="offline faces"):
        images, labels, source = load_faces(n=12, size=32)
    assert source == "offline-faces" and images.shape == (12, 3, 32, 32)
    assert torch.equal(labels["hair_colour"], offline_faces(12, size=32)[1]["hair_colour"])
    test_images, _, _ = load_faces(n=12, size=32, train=False, source="offline")
    assert not torch.equal(images, test_images), "the test split comes from another seed"


def test_load_faces_insisting_on_anime_raises_with_instructions(monkeypatch, tmp_path):
    monkeypatch.setenv("GANLAB_DATA", str(tmp_path))
    with pytest.raises(DatasetUnavailable, match="kaggle.com") as info:
        load_faces(n=4, source="anime")
    message = str(info.value)
    assert str(tmp_path / "anime-faces") in message and "educational/research" in message
    with pytest.raises(ValueError, match="source"):
        load_faces(source="danbooru")


def test_load_faces_uses_a_folder_that_is_in_place(monkeypatch, tmp_path):
    from PIL import Image

    folder = tmp_path / "anime-faces" / "images"
    folder.mkdir(parents=True)
    for i in range(12):
        Image.new("RGB", (48, 40), (20 * i, 100, 200)).save(folder / f"{i:02d}.png")
    monkeypatch.setenv("GANLAB_DATA", str(tmp_path))
    train, labels, source = load_faces(size=32)
    test, _, _ = load_faces(size=32, train=False)
    assert source == "anime-faces" and labels is None
    assert train.shape == (11, 3, 32, 32) and test.shape == (1, 3, 32, 32), "every tenth file is a test image"
    assert load_faces(n=5, size=32, root=tmp_path / "anime-faces")[0].shape == (5, 3, 32, 32)


def test_registry_entry_is_manual_and_prepare_prints_the_instructions(tmp_path):
    spec = DATASETS["anime-faces"]
    assert spec.files == () and "kaggle.com" in spec.manual and "getchu" in spec.licence
    env = {"GANLAB_DATA": str(tmp_path), "PATH": "", "GANLAB_OFFLINE": "1"}
    run = subprocess.run([sys.executable, str(REPO / "datasets/prepare.py"), "anime-faces"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert run.returncode == 1 and "kaggle.com" in run.stderr and "does not exist" in run.stderr
    (tmp_path / "anime-faces").mkdir()
    (tmp_path / "anime-faces" / "data.zip").write_bytes(b"zip")
    run = subprocess.run([sys.executable, str(REPO / "datasets/prepare.py"), "anime-faces"], capture_output=True,
                         text=True, env=env, timeout=120)
    assert run.returncode == 1 and ".zip: 1" in run.stderr


# -- the faces feature extractor ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def faces_net():
    from ganlab import quality

    return quality.get_extractor("offline-faces")


def test_faces_weights_are_small_and_load_safely():
    from ganlab import quality

    assert quality.OFFLINE_FACES_WEIGHTS.stat().st_size <= 1_000_000
    state = torch.load(quality.OFFLINE_FACES_WEIGHTS, weights_only=True)
    assert all(isinstance(v, torch.Tensor) for v in state.values())


@pytest.mark.parametrize("size", [32, 64])
def test_faces_extractor_features_and_held_out_accuracy(faces_net, size):
    images, labels = offline_faces(500, seed=4242, size=size)
    with torch.no_grad():
        features = faces_net.features(images)
        heads = faces_net.attribute_logits(images)
    assert features.shape == (500, 128) and torch.isfinite(features).all()
    assert 0.3 < features.square().sum(1).mean() / 128 < 3, "features of order 1, as the KID kernel expects"
    assert set(heads) == set(FACE_ATTRIBUTES)
    assert torch.equal(faces_net.logits(images[:50]), heads["hair_colour"][:50])
    hair_accuracy = (heads["hair_colour"].argmax(1) == labels["hair_colour"]).float().mean()
    assert hair_accuracy >= 0.95, f"hair colour accuracy {hair_accuracy:.3f} at {size} x {size}"
    for name in ("hair_style", "glasses", "background"):
        assert (heads[name].argmax(1) == labels[name]).float().mean() >= 0.9, name


def test_measure_quality_with_the_faces_extractor():
    from ganlab.quality import measure_quality

    real, _ = offline_faces(600, seed=61, size=32)
    other, _ = offline_faces(600, seed=62, size=32)
    noise = torch.rand(600, 3, 32, 32, generator=torch.Generator().manual_seed(0)) * 2 - 1
    kwargs = dict(extractor="offline-faces", kid_subsets=5, kid_subset_size=200, splits=3)
    same = measure_quality(real, other, **kwargs)
    bad = measure_quality(real, noise, **kwargs)
    assert math.isfinite(same["fid"]) and same["fid"] >= 0 and same["extractor"] == "offline-faces"
    assert bad["fid"] > 20 * max(same["fid"], 0.05), (same["fid"], bad["fid"])
    assert same["inception_score"] > 5 > bad["inception_score"], "8 hair colours, evenly drawn: IS near 8"
    assert "offline_faces_classifier.pt" in same["weights"]
