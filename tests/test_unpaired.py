"""Lab 6's unpaired data: the faces translation task with ground truth, the textures, the folder layout."""

import dataclasses
import hashlib
import io
import warnings
import zipfile

import pytest
import torch
from PIL import Image

from ganlab.data import unpaired
from ganlab.data.faces import FACE_ATTRIBUTES, offline_faces
from ganlab.data.registry import DATASETS, OFFLINE_ENV, DatasetUnavailable, FileSpec
from ganlab.data.unpaired import (
    GLASSES_PAIR, SEED_BASE, FaceTranslation, classifier_readings, face_translation, load_horse2zebra,
    load_unpaired_folder, texture_crops, texture_domains, translation_baselines, translation_scores,
)
from ganlab.grading.netcheck import one_thread
from ganlab.quality import faces_classifier
from ganlab.data.photos import luminance


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    with one_thread():  # small tensors: two threads of the shared CPU are many times slower than one
        yield


@pytest.fixture(scope="module")
def task():
    return face_translation(n_train=64, n_test=200, size=32)


@pytest.fixture(scope="module")
def classifier():
    return faces_classifier()


# -- the faces task ----------------------------------------------------------------------------------------


def test_shapes_ranges_and_names(task):
    assert isinstance(task, FaceTranslation)
    for name in ("x_train", "y_train"):
        assert getattr(task, name).shape == (64, 3, 32, 32)
    for name in ("x_test", "y_test_truth", "y_test", "x_test_truth"):
        images = getattr(task, name)
        assert images.shape == (200, 3, 32, 32) and images.dtype == torch.float32
        assert images.min() >= -1 and images.max() <= 1
    assert (task.attribute, task.a, task.b) == ("hair_colour", "black", "blonde")
    assert (task.a_index, task.b_index) == (0, 2)
    assert (task.labels_x_train["hair_colour"] == 0).all() and (task.labels_y_train["hair_colour"] == 2).all()
    assert (task.labels_x_test["hair_colour"] == 0).all() and (task.labels_y_test["hair_colour"] == 2).all()
    assert set(task.labels_x_test) == set(FACE_ATTRIBUTES)
    assert "tensor(" not in repr(task) and "hair_colour" in repr(task)  # no tensor dumps


def test_deterministic_and_prefix_stable(task):
    again = face_translation(n_train=64, n_test=200, size=32)
    for name in ("x_train", "y_train", "x_test", "y_test_truth", "y_test", "x_test_truth"):
        assert torch.equal(getattr(task, name), getattr(again, name))
    smaller = face_translation(n_train=10, n_test=20, size=32)
    assert torch.equal(smaller.x_test, task.x_test[:20]) and torch.equal(smaller.y_train, task.y_train[:10])
    other = face_translation(n_train=10, n_test=20, size=32, seed=1)
    assert not torch.equal(other.x_test, smaller.x_test)
    assert set(other.seeds.values()).isdisjoint(smaller.seeds.values())


def test_sets_are_different_faces(task):
    """Unpaired training sets, test faces never seen in training: no face shared between any two sets."""
    seeds = task.seeds
    assert len(set(seeds.values())) == 4 and seeds["x_train"] == SEED_BASE
    # the same face with another hair colour keeps every other label and its pose; compare the faces
    # with the attribute removed: render every set with black hair and look for equal images
    sets = {role: offline_faces(64, seed=seed, size=32, attributes={"hair_colour": 0})[0].flatten(1)
            for role, seed in seeds.items()}
    roles = list(sets)
    for i, first in enumerate(roles):
        for second in roles[i + 1:]:
            distance = torch.cdist(sets[first], sets[second])
            assert distance.min() > 1.0, (first, second)


def test_truth_is_the_same_face_with_only_the_attribute_changed(task):
    # a re-render with the attribute fixed to b reproduces the truth exactly
    rendered, labels = offline_faces(200, seed=task.seeds["x_test"], size=32, attributes={"hair_colour": 2})
    assert torch.equal(rendered, task.y_test_truth)
    for name in FACE_ATTRIBUTES:
        if name != "hair_colour":
            assert torch.equal(labels[name], task.labels_x_test[name])
    changed = (task.x_test != task.y_test_truth).any(dim=1)  # (N, H, W)
    fraction = changed.float().mean(dim=(1, 2))
    assert (fraction > 0.05).all() and (fraction < 0.8).all()
    # physics of the change: black hair is darker than blonde in every layer it is drawn in (hair, shine,
    # brows, anti-aliased edges), so every changed pixel is darker in X than in the truth
    lum_x, lum_y = luminance(task.x_test)[:, 0], luminance(task.y_test_truth)[:, 0]
    assert (lum_x[changed] < lum_y[changed]).all()
    # the mouth (below the face centre) is never hair: unchanged
    assert not changed[:, 20:23, 15:17].any()


def test_glasses_change_only_the_eye_band():
    task = face_translation(n_train=0, n_test=100, size=32, attribute=GLASSES_PAIR[0], a="no", b="yes")
    changed = (task.x_test != task.y_test_truth).any(dim=1)
    assert changed.any(dim=(1, 2)).all()  # every face gets glasses
    rows = changed.any(dim=(0, 2)).nonzero().flatten()
    assert rows.min() >= 8 and rows.max() <= 24, rows  # the eyes sit near the middle of the height
    assert changed.float().mean() < 0.15


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown face attribute"):
        face_translation(4, 4, attribute="hat")
    with pytest.raises(ValueError, match="no value 'purple'"):
        face_translation(4, 4, a="purple")
    with pytest.raises(ValueError, match="different"):
        face_translation(4, 4, a="blonde", b=2)
    with pytest.raises(ValueError, match="n_test"):
        face_translation(4, -1)
    with pytest.raises(ValueError, match="size"):
        face_translation(4, 4, size=8)


# -- scores -----------------------------------------------------------------------------------------------


def test_classifier_reads_the_truth(task, classifier):
    """The floor that makes the lab's 90% goals meaningful: the judge itself reads the ground truth."""
    read = classifier_readings(classifier, task.y_test_truth)
    assert (read["hair_colour"] == task.b_index).float().mean() >= 0.95
    read_f = classifier_readings(classifier, task.x_test_truth)
    assert (read_f["hair_colour"] == task.a_index).float().mean() >= 0.95
    for name in FACE_ATTRIBUTES:
        if name != "hair_colour":
            assert (read[name] == task.labels_x_test[name]).float().mean() >= 0.93, name


def test_baselines(task, classifier):
    rows = translation_baselines(task, classifier)
    identity, truth = rows["G: identity"], rows["G: truth"]
    assert truth["l1"] == 0 and truth["psnr"] == float("inf") and truth["target_rate"] >= 0.95
    assert identity["target_rate"] <= 0.05 and identity["l1"] > 0.2 and identity["psnr"] < 15
    assert truth["others_all"] >= 0.9 and truth["others_mean"] >= truth["others_all"]
    assert identity["others_preserved"] == identity["others_all"]
    assert rows["F: truth"]["target_rate"] >= 0.95 and rows["F: identity"]["target_rate"] <= 0.05
    for side in "GF":  # right attribute, lost content
        other = rows[f"{side}: other faces"]
        assert other["target_rate"] >= 0.95 and other["others_all"] < 0.5 and other["l1"] > 0.2


def test_scores_see_a_destroyed_content(task, classifier):
    """A 'translation' that outputs other blonde faces hits the target but loses the content."""
    scores = task.score(classifier, task.y_test)
    assert scores["target_rate"] >= 0.95
    assert scores["others_all"] < 0.5 and scores["l1"] > 0.2
    by_hand = translation_scores(classifier, task.y_test, task.y_test_truth, task.labels_x_test, "hair_colour",
                                 "blonde")
    assert by_hand == scores


def test_scores_errors(task, classifier):
    with pytest.raises(ValueError, match="same shape"):
        task.score(classifier, task.x_test[:10])
    with pytest.raises(ValueError, match="NaN"):
        task.score(classifier, torch.full_like(task.x_test, float("nan")))
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\)"):
        task.score(classifier, task.x_test[:, :1])
    with pytest.raises(ValueError, match=r"translated must lie in \[-1, 1\]"):
        task.score(classifier, task.x_test * 2)
    with pytest.raises(ValueError, match="direction"):
        task.score(classifier, task.x_test, "GF")
    with pytest.raises(ValueError, match="labels lack"):
        translation_scores(classifier, task.x_test, task.y_test_truth, {}, "hair_colour", 2)


# -- textures ---------------------------------------------------------------------------------------------


def test_texture_asset_holds_the_wheel_pixels():
    stored = torch.load(unpaired.TEXTURES_FILE, weights_only=True)
    assert stored["skimage_version"] == unpaired.SKIMAGE_VERSION
    images = stored["images"]
    assert list(images) == list(unpaired.TEXTURES) == ["grass", "gravel", "brick"]
    assert all(img.dtype == torch.uint8 and img.shape == (512, 512) for img in images.values())
    assert unpaired.texture_pixels_sha256(images) == unpaired.TEXTURE_PIXELS_SHA256
    assert unpaired.TEXTURES_FILE.stat().st_size < 1_500_000
    assert all(src["licence"] == "CC0" for src in unpaired.texture_sources())


def test_texture_domains_shapes_determinism_and_grey_channels():
    x, y = texture_domains("grass", "brick", size=32, n=50, seed=3)
    assert x.shape == y.shape == (50, 3, 32, 32) and x.dtype == torch.float32
    assert x.min() >= -1 and x.max() <= 1 and x.std() > 0.05 and y.std() > 0.05
    assert torch.equal(x[:, 0], x[:, 1]) and torch.equal(x[:, 0], x[:, 2])  # grey copied to RGB
    again = texture_domains("grass", "brick", size=32, n=50, seed=3)
    assert torch.equal(x, again[0]) and torch.equal(y, again[1])
    assert not torch.equal(x, texture_domains("grass", "brick", size=32, n=50, seed=4)[0])
    assert not torch.equal(x, texture_crops("grass", 50, 32, seed=3, split="test"))
    assert texture_crops("gravel", 0).shape == texture_crops("gravel", 0, split="test").shape == (0, 3, 32, 32)


def test_texture_test_crops_come_from_the_held_out_quadrant():
    """Every crop is found in the downscaled texture; test crops only inside its bottom-right quadrant and
    training crops never overlapping it (located by exact match: each crop is a window of the texture)."""
    texture = unpaired._texture("brick", 0.5) * 2 - 1  # (256, 256)
    for split in ("train", "test"):
        crops = texture_crops("brick", 40, size=16, seed=0, split=split)[:, 0]
        for crop in crops:
            corners = (texture[:241, :241] == crop[0, 0]).nonzero().tolist()  # candidates by the first pixel
            hits = [(t, l) for t, l in corners if torch.equal(texture[t:t + 16, l:l + 16], crop)]
            assert len(hits) >= 1
            top, left = hits[0]
            in_quadrant = top >= 128 and left >= 128
            overlaps = top + 16 > 128 and left + 16 > 128
            assert in_quadrant if split == "test" else not overlaps, (split, top, left)


def test_texture_errors():
    with pytest.raises(ValueError, match="unknown texture"):
        texture_crops("sand", 4)
    with pytest.raises(ValueError, match="size must be"):
        texture_crops("grass", 4, size=200)  # half of 256 at scale 0.5 is the largest
    with pytest.raises(ValueError, match="split"):
        texture_crops("grass", 4, split="val")
    with pytest.raises(ValueError, match="different"):
        texture_domains("brick", "brick")


def test_build_texture_asset_checks_the_wheel(tmp_path, monkeypatch):
    buffer = io.BytesIO()
    Image.frombytes("L", (8, 6), bytes(range(48))).save(buffer, format="PNG")
    raw = buffer.getvalue()
    wheel = tmp_path / "fake.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("skimage/data/tiny.png", raw)
    source = {"name": "tiny", "file": "tiny.png", "sha256": hashlib.sha256(raw).hexdigest(), "licence": "CC0",
              "source": "made by the test"}
    monkeypatch.setattr(unpaired, "TEXTURE_SOURCES", (source,))
    monkeypatch.setattr(unpaired, "_TEXTURE_CACHE", {})
    out = tmp_path / "skimage_textures.pt"
    file_sha, pixels_sha = unpaired.build_texture_asset(wheel, out)
    assert file_sha == hashlib.sha256(out.read_bytes()).hexdigest()
    image = torch.load(out, weights_only=True)["images"]["tiny"]
    assert torch.equal(image, torch.arange(48, dtype=torch.uint8).view(6, 8))
    assert pixels_sha == hashlib.sha256(bytes(range(48))).hexdigest()
    monkeypatch.setattr(unpaired, "TEXTURE_SOURCES", (dict(source, sha256="0" * 64),))
    with pytest.raises(ValueError, match="SHA-256"):
        unpaired.build_texture_asset(wheel, out)


# -- folders and horse2zebra ------------------------------------------------------------------------------


def _write_images(folder, count, size, colour):
    folder.mkdir(parents=True)
    for i in range(count):
        Image.new("RGB", size, colour).save(folder / f"{i}.png")


def _cyclegan_folder(root):
    _write_images(root / "trainA", 3, (40, 30), (255, 0, 0))
    _write_images(root / "trainB", 2, (30, 50), (0, 0, 255))
    _write_images(root / "testA", 1, (20, 20), (0, 255, 0))
    _write_images(root / "testB", 2, (20, 20), (255, 255, 255))
    return root


def test_unpaired_folder_reads_the_cyclegan_layout(tmp_path):
    root = _cyclegan_folder(tmp_path / "set")
    x, y = load_unpaired_folder(root, size=16)
    assert x.shape == (3, 3, 16, 16) and y.shape == (2, 3, 16, 16)  # unpaired: different counts
    assert torch.allclose(x[:, 0], torch.tensor(1.0)) and torch.allclose(x[:, 2], torch.tensor(-1.0))
    assert torch.allclose(y[:, 2], torch.tensor(1.0))
    x_test, y_test = load_unpaired_folder(root, size=8, split="test")
    assert x_test.shape == (1, 3, 8, 8) and y_test.shape == (2, 3, 8, 8)
    assert load_unpaired_folder(root, size=8, n=1)[1].shape == (1, 3, 8, 8)


def test_unpaired_folder_errors_name_the_folder(tmp_path):
    root = _cyclegan_folder(tmp_path / "set")
    (root / "testB" / "0.png").unlink()
    (root / "testB" / "1.png").unlink()
    with pytest.raises(ValueError, match=r"testB holds no images"):
        load_unpaired_folder(root, size=8, split="test")
    with pytest.raises(ValueError, match=r"trainA is missing"):
        load_unpaired_folder(tmp_path / "empty", size=8)
    with pytest.raises(ValueError, match="split"):
        load_unpaired_folder(root, size=8, split="val")


def test_horse2zebra_refuses_a_file_with_the_wrong_checksum(tmp_path, monkeypatch):
    monkeypatch.setenv(OFFLINE_ENV, "1")  # never the network
    (tmp_path / "horse2zebra.zip").write_bytes(b"not the archive")
    with pytest.raises(DatasetUnavailable, match="face_translation"):
        load_horse2zebra(root=tmp_path, size=16, fallback=False)
    with pytest.warns(UserWarning, match="offline faces task"):
        x, y, source = load_horse2zebra("test", size=16, root=tmp_path, n=8)
    assert source == "offline-faces" and x.shape == y.shape == (8, 3, 16, 16)


def test_horse2zebra_unpacks_a_verified_archive(tmp_path, monkeypatch):
    monkeypatch.setenv(OFFLINE_ENV, "1")
    staging = _cyclegan_folder(tmp_path / "staging" / "horse2zebra")
    archive = tmp_path / "data" / "horse2zebra.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(staging.rglob("*.png")):
            z.write(path, path.relative_to(staging.parent).as_posix())
    spec = DATASETS["horse2zebra"]
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    fake = dataclasses.replace(spec, files=(FileSpec("horse2zebra.zip", (), f"sha256:{digest}"),))
    monkeypatch.setitem(DATASETS, "horse2zebra", fake)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback warning: the real (fake) data is used
        x, y, source = load_horse2zebra("train", size=8, root=archive.parent)
    assert source == "horse2zebra" and x.shape == (3, 3, 8, 8) and y.shape == (2, 3, 8, 8)
    assert (archive.parent / "horse2zebra" / "testB").is_dir()


def test_horse2zebra_registry_entry():
    spec = DATASETS["horse2zebra"]
    (file,) = spec.files
    assert file.size == 116_867_962 and file.checksum.startswith("sha256:a74d9d39")
    assert file.urls[0] == "http://efrosgans.eecs.berkeley.edu/cyclegan/datasets/horse2zebra.zip"
    assert spec.readme == "datasets/horse2zebra.md"
