"""The offline photos of Lab 5 (scikit-image's sample photos) and the paired pix2pix tasks built from them."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
import torch

from ganlab.data import photos


def _split_of() -> dict[str, str]:
    return {src["name"]: src["split"] for src in photos.photo_sources()}


# --- the asset and its sources ----------------------------------------------------------------------------

def test_asset_matches_its_recorded_checksums():
    data = torch.load(photos.PHOTOS_FILE, weights_only=True)
    assert hashlib.sha256(photos.PHOTOS_FILE.read_bytes()).hexdigest() == photos.PHOTOS_SHA256
    assert photos.pixels_sha256(data["images"]) == photos.PIXELS_SHA256
    assert photos.PHOTOS_FILE.stat().st_size < 3_000_000


def test_every_stored_photo_has_a_licence_a_source_and_a_split():
    sources = photos.photo_sources()
    stored = torch.load(photos.PHOTOS_FILE, weights_only=True)["images"]
    assert sorted(s["name"] for s in sources) == sorted(stored)
    for s in sources:
        assert s["licence"].strip() and s["source"].strip(), s["name"]
        assert s["split"] in {"train", "test"}
        image = stored[s["name"]]
        assert image.dtype == torch.uint8 and image.shape[0] == 3
        assert image.shape[1] % 32 == 0 and image.shape[2] % 32 == 0 and min(image.shape[1:]) >= photos.MAX_SIZE
    assert {s["name"] for s in sources if s["split"] == "test"} == {"chelsea", "coffee"}
    photo_sources = photos.photo_sources()
    photo_sources[0]["licence"] = "changed"  # a copy: the module's table is not touched
    assert photos.photo_sources()[0]["licence"] != "changed"


# --- crops ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [32, 64])
def test_crops_have_the_promised_shape_range_and_count(size):
    counts = photos.crop_counts(size)
    split_of = _split_of()
    for split in ("train", "test"):
        images = photos.load_photos(size, split)
        assert images.dtype == torch.float32 and images.shape[1:] == (3, size, size)
        assert images.min() >= -1 and images.max() <= 1
        assert len(images) == sum(n for name, n in counts.items() if split_of[name] == split)
    assert len(photos.load_photos(size, "all")) == sum(counts.values())


def test_crop_counts_at_the_lab_sizes():
    """The numbers datasets/skimage_photos.md states."""
    split_of = _split_of()
    totals = {}
    for size in (32, 64):
        counts = photos.crop_counts(size)
        totals[size] = tuple(sum(n for name, n in counts.items() if split_of[name] == split)
                             for split in ("train", "test"))
    assert totals == {32: (655, 246), 64: (162, 59)}


def test_same_seed_same_crops_other_seed_same_crops_in_another_order():
    a, b = photos.load_photos(32, "test", seed=3), photos.load_photos(32, "test", seed=3)
    c = photos.load_photos(32, "test", seed=4)
    assert torch.equal(a, b)
    assert not torch.equal(a, c)

    def rows(t):
        return sorted(t.flatten(1).tolist())

    assert rows(a) == rows(c)


def test_held_out_photos_give_no_training_crop():
    for size in (32, 64):
        train = {t.numpy().tobytes() for t in photos.load_photos(size, "train")}
        test = {t.numpy().tobytes() for t in photos.load_photos(size, "test")}
        assert train and test and not train & test


def test_tile_cuts_non_overlapping_crops_on_a_centred_grid():
    image = torch.arange(3 * 70 * 100).view(3, 70, 100)
    crops = photos._tile(image, 32)  # 2 x 3 crops; 6 rows and 4 columns of margin split evenly
    assert crops.shape == (6, 3, 32, 32)
    assert torch.equal(crops[0], image[:, 3:35, 2:34])
    assert torch.equal(crops[4], image[:, 35:67, 34:66])  # row 1, column 1


def test_flat_crops_are_dropped():
    retina = photos._stored_photos()["retina"]
    all_crops = photos._tile(retina, 32)
    assert photos.crop_counts(32)["retina"] < len(all_crops)  # the black corners
    kept = photos.load_photos(32, "train")
    assert (photos.luminance((kept + 1) / 2).flatten(1).std(dim=1) >= photos.FLAT_STD).all()


@pytest.mark.parametrize("size", [7, 257, 0, -32, 32.0, True, "32", None])
def test_bad_sizes_are_refused_clearly(size):
    with pytest.raises(ValueError, match="size"):
        photos.load_photos(size)


def test_other_sizes_that_fit_work():
    assert photos.load_photos(16, "test").shape[1:] == (3, 16, 16)
    assert photos.load_photos(256, "all").shape[1:] == (3, 256, 256)


def test_unknown_split_is_refused():
    with pytest.raises(ValueError, match="split"):
        photos.load_photos(32, "validation")


# --- paired tasks -----------------------------------------------------------------------------------------

def _photos(n=3, size=20, seed=0):
    return torch.rand(n, 3, size, size, generator=torch.Generator().manual_seed(seed)) * 2 - 1


def test_grey2colour_is_bt601_luminance_on_three_channels():
    y = torch.full((2, 3, 4, 4), -1.0)
    y[:, 0] = 1.0  # pure red
    x, target = photos.make_pair(y, "grey2colour")
    assert torch.allclose(x, torch.full_like(x, 0.299 - 0.587 - 0.114))
    assert torch.equal(target, y)
    x, _ = photos.make_pair(_photos(), "grey2colour")
    assert torch.equal(x[:, 0], x[:, 1]) and torch.equal(x[:, 1], x[:, 2])
    assert x.min() >= -1 and x.max() <= 1


@pytest.mark.parametrize("size,top,hole", [(32, 8, 16), (64, 16, 32), (33, 8, 16), (2, 0, 1)])
def test_inpaint_sets_the_centre_square_to_mid_grey(size, top, hole):
    y = _photos(2, size)
    x, target = photos.make_pair(y, "inpaint")
    inside = torch.zeros(size, size, dtype=torch.bool)
    inside[top: top + hole, top: top + hole] = True
    assert (x[:, :, inside] == 0).all()
    assert torch.equal(x[:, :, ~inside], y[:, :, ~inside])
    assert torch.equal(target, y)


def test_inpaint_needs_square_photos():
    with pytest.raises(ValueError, match="square"):
        photos.make_pair(torch.zeros(1, 3, 8, 10), "inpaint")


def test_edges_of_a_flat_image_are_empty():
    x, _ = photos.make_pair(torch.full((2, 3, 16, 16), 0.3), "edges2photo")
    assert (x == 1).all()


def test_a_step_gives_a_thin_edge_where_the_step_is():
    y = torch.full((1, 3, 24, 24), -0.6)
    y[..., 12:] = 0.6
    x, _ = photos.make_pair(y, "edges2photo")
    assert set(x.unique().tolist()) <= {-1.0, 1.0}
    assert torch.equal(x[:, 0], x[:, 1]) and torch.equal(x[:, 1], x[:, 2])
    edge_columns = (x[0, 0] < 0).any(dim=0).nonzero().view(-1).tolist()
    assert edge_columns and set(edge_columns) <= {11, 12}
    assert ((x[0, 0] < 0).sum(dim=1) == 1).all()  # one pixel wide in every row: non-maximum suppression
    # the same step turned by 90 degrees gives the same edge turned by 90 degrees
    xt, _ = photos.make_pair(y.transpose(-1, -2).contiguous(), "edges2photo")
    assert torch.equal(xt, x.transpose(-1, -2))


def test_hysteresis_keeps_weak_edges_only_when_connected_to_strong_ones():
    # a smoothed step of height h (luminance in [0, 1]) has a Sobel/8 magnitude of 0.323 h at its peak, so with
    # thresholds 0.02 and 0.05 a step is strong above h = 0.155 and weak between h = 0.062 and 0.155
    height = torch.linspace(0.2, 0.08, 32)  # image 0: strong in rows 0-11, weak in rows 12-31, one line
    y = torch.zeros(2, 3, 32, 32)
    y[0, :, :, 8:] = height.view(32, 1)
    y[1, :, :, 8:] = 0.1  # image 1: a weak step only
    x, _ = photos.make_pair(y * 2 - 1, "edges2photo")
    edges = x[:, 0] < 0
    assert edges[0, :, 7:9].any(dim=1).all()  # the whole line, its weak part included
    assert edges[0].sum() == 32  # one pixel per row, nothing else
    assert not edges[1].any()


def test_make_pair_is_deterministic_and_leaves_the_photos_alone():
    y = _photos(4, 16, seed=1)
    before = y.clone()
    for task in photos.TASKS:
        x1, y1 = photos.make_pair(y, task, seed=0)
        x2, y2 = photos.make_pair(y, task, seed=5)
        assert torch.equal(x1, x2) and torch.equal(y1, y2)
        assert x1.shape == y.shape and x1.dtype == y.dtype
        y1 += 1  # a copy
        assert torch.equal(y, before)


def test_make_pair_on_real_crops():
    y = photos.load_photos(32, "test")[:8]
    for task in photos.TASKS:
        x, target = photos.make_pair(y, task)
        assert x.shape == (8, 3, 32, 32) and x.min() >= -1 and x.max() <= 1
        assert torch.equal(target, y)


@pytest.mark.parametrize("bad,match", [
    (torch.zeros(3, 8, 8), "N, 3, H, W"),
    (torch.zeros(2, 1, 8, 8), "N, 3, H, W"),
    ([[0.0]], "N, 3, H, W"),
    (torch.zeros(2, 3, 8, 8, dtype=torch.uint8), "float"),
    (torch.full((2, 3, 8, 8), 2.0), r"\[-1, 1\]"),
    (torch.full((2, 3, 8, 8), -255.0), r"\[-1, 1\]"),
])
def test_make_pair_refuses_bad_photos(bad, match):
    with pytest.raises(ValueError, match=match):
        photos.make_pair(bad, "grey2colour")


def test_make_pair_refuses_an_unknown_task():
    with pytest.raises(ValueError, match="edges2photo"):
        photos.make_pair(_photos(), "colour2grey")


# --- building the asset -----------------------------------------------------------------------------------

def _png(width, height) -> bytes:
    from PIL import Image

    data = bytes((i * 7 + j * 3) % 256 for j in range(height) for i in range(width * 3))
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), data).save(buffer, format="PNG")
    return buffer.getvalue()


def test_build_asset_checks_every_file_and_downscales(tmp_path, monkeypatch):
    raw = _png(90, 60)
    wheel = tmp_path / "fake.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("skimage/data/tiny.png", raw)
    source = {"name": "tiny", "file": "tiny.png", "short_side": 40, "split": "train",
              "sha256": hashlib.sha256(raw).hexdigest(), "licence": "CC0", "source": "made by the test"}
    monkeypatch.setattr(photos, "SOURCES", (source,))
    monkeypatch.setattr(photos, "_CACHE", {})
    out = tmp_path / "skimage_photos.pt"
    file_sha, pixels_sha = photos.build_asset(wheel, out)
    assert file_sha == hashlib.sha256(out.read_bytes()).hexdigest()
    image = torch.load(out, weights_only=True)["images"]["tiny"]
    assert image.dtype == torch.uint8 and image.shape == (3, 32, 32)  # 40 x 60 centre-cropped to multiples of 32
    assert pixels_sha == photos.pixels_sha256({"tiny": image})

    monkeypatch.setattr(photos, "SOURCES", (dict(source, sha256="0" * 64),))
    with pytest.raises(ValueError, match="SHA-256"):
        photos.build_asset(wheel, out)


# --- baselines --------------------------------------------------------------------------------------------

def test_mean_fill_puts_the_mean_visible_colour_in_the_hole():
    y = _photos(3, 10, seed=2)
    filled = photos.mean_fill(y)
    inside = torch.zeros(10, 10, dtype=torch.bool)
    inside[2:7, 2:7] = True  # hole 10 // 2 = 5 with its top-left corner at (10 - 5) // 2 = 2
    expected = y[:, :, ~inside].mean(dim=-1)  # (3, 3): per image and channel
    assert torch.allclose(filled[:, :, inside], expected[:, :, None].expand(-1, -1, 25))
    assert torch.equal(filled[:, :, ~inside], y[:, :, ~inside])


def test_baselines_measure_the_trivial_answers_on_held_out_crops():
    rows = photos.baselines(64, "test")
    assert set(rows) == {"target", "grey2colour: grey input", "inpaint: mid-grey hole", "inpaint: mean-fill",
                         "edges2photo: edge input"}
    assert rows["target"]["psnr"] == float("inf") and rows["target"]["sharpness_ratio"] == 1.0
    # grey keeps the luminance, so it is exactly as sharp as the target; mean-fill beats the mid-grey hole
    assert rows["grey2colour: grey input"]["sharpness_ratio"] == pytest.approx(1.0, abs=1e-5)
    assert rows["inpaint: mean-fill"]["psnr"] > rows["inpaint: mid-grey hole"]["psnr"] + 3
    assert all(row["n"] == 59 for row in rows.values())


# --- aligned A|B folders and the facades --------------------------------------------------------------------

def _write_pair(path, left, right, size=16):
    from PIL import Image

    img = Image.new("RGB", (2 * size, size), left)
    img.paste(Image.new("RGB", (size, size), right), (size, 0))
    img.save(path)


def test_load_aligned_folder_splits_halves_in_natural_order(tmp_path):
    from ganlab.data.paired import load_aligned_folder

    _write_pair(tmp_path / "10.png", (255, 0, 0), (0, 0, 255))
    _write_pair(tmp_path / "2.png", (0, 255, 0), (255, 255, 255))
    (tmp_path / "notes.txt").write_text("not an image")
    x, y = load_aligned_folder(tmp_path, 8)
    assert x.shape == y.shape == (2, 3, 8, 8) and x.dtype == torch.float32
    assert torch.allclose(x[0], torch.tensor([-1.0, 1.0, -1.0]).view(3, 1, 1).expand(3, 8, 8))  # 2.png first: green
    assert torch.allclose(y[1], torch.tensor([-1.0, -1.0, 1.0]).view(3, 1, 1).expand(3, 8, 8))  # 10.png right: blue
    xb, yb = load_aligned_folder(tmp_path, 8, direction="BtoA")
    assert torch.equal(xb, y) and torch.equal(yb, x)


def test_load_aligned_folder_reads_jpgs_and_resizes(tmp_path):
    from ganlab.data.paired import load_aligned_folder

    _write_pair(tmp_path / "1.jpg", (200, 40, 40), (40, 40, 200), size=32)
    x, y = load_aligned_folder(tmp_path, 20)
    assert x.shape == (1, 3, 20, 20) and x.min() >= -1 and x.max() <= 1
    assert x[0, 0].mean() > 0.3 and y[0, 2].mean() > 0.3  # red left, blue right, despite JPEG


@pytest.mark.parametrize("setup,kwargs,match", [
    ("missing", {}, "not a folder"),
    ("empty", {}, "no .jpg"),
    ("broken", {}, "not a readable image"),
    ("ok", {"direction": "AB"}, "direction"),
    ("ok", {"size": 0}, "size"),
])
def test_load_aligned_folder_refuses_bad_input_clearly(tmp_path, setup, kwargs, match):
    from ganlab.data.paired import load_aligned_folder

    root = tmp_path / "pairs"
    if setup != "missing":
        root.mkdir()
    if setup == "broken":
        (root / "1.jpg").write_text("not a jpeg")
    if setup == "ok":
        _write_pair(root / "1.png", (0, 0, 0), (255, 255, 255))
    with pytest.raises(ValueError, match=match):
        load_aligned_folder(root, **kwargs)


def _fake_facades_archive(tmp_path):
    import tarfile

    src = tmp_path / "src" / "facades"
    for split, count in (("train", 3), ("val", 1), ("test", 2)):
        (src / split).mkdir(parents=True)
        for i in range(1, count + 1):
            _write_pair(src / split / f"{i}.jpg", (200, 180, 160), (10, 20, 200))  # A photo | B label map
    archive = tmp_path / "facades.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(src, arcname="facades")
    return archive


@pytest.fixture
def served_facades(tmp_path, monkeypatch):
    """A fake facades.tar.gz 'served' from a file:// URL: the tests never touch the network."""
    from ganlab.data import paired

    archive = _fake_facades_archive(tmp_path)
    monkeypatch.setattr(paired, "FACADES_URL", archive.as_uri())
    monkeypatch.setattr(paired, "FACADES_SIZE", archive.stat().st_size)
    monkeypatch.delenv("GANLAB_OFFLINE", raising=False)
    return archive


def test_facades_first_download_records_the_sha256_and_later_uses_verify_it(tmp_path, served_facades):
    from ganlab.data import paired

    root = tmp_path / "data"
    found = paired.fetch_facades(root, progress=False)
    record = root / "facades.tar.gz.sha256"
    assert record.read_text().strip() == hashlib.sha256(served_facades.read_bytes()).hexdigest()
    assert found == root / "facades" and (found / "train" / "1.jpg").is_file()
    x, y = paired.load_facades("train", size=8, root=root, download=False)
    assert x.shape == y.shape == (3, 3, 8, 8)
    assert x[:, 2].mean() > 0.5 and y[:, 0].mean() > 0.5  # x = B (the blue label map), y = A (the photo)
    assert paired.load_facades("test", size=8, root=root)[0].shape[0] == 2
    assert paired.fetch_facades(root, download=False) == found  # verified against the record, no download

    archive = root / "facades.tar.gz"
    data = bytearray(archive.read_bytes())
    data[-1] ^= 0xFF  # same size, other bytes: not the file trusted at first use
    archive.write_bytes(bytes(data))
    with pytest.raises(paired.DatasetUnavailable, match="changed"):
        paired.fetch_facades(root, download=False)


def test_facades_download_of_the_wrong_size_is_refused_and_removed(tmp_path, served_facades, monkeypatch):
    from ganlab.data import paired

    monkeypatch.setattr(paired, "FACADES_SIZE", served_facades.stat().st_size + 1)
    root = tmp_path / "data"
    with pytest.raises(paired.DatasetUnavailable, match="bytes"):
        paired.fetch_facades(root, progress=False)
    assert not (root / "facades.tar.gz").exists() and not (root / "facades.tar.gz.sha256").exists()


def test_facades_offline_name_the_offline_default(tmp_path, monkeypatch):
    from ganlab.data import paired

    monkeypatch.setattr(paired, "FACADES_URL", "http://192.0.2.1/never-fetched.tar.gz")  # never reached
    with pytest.raises(paired.DatasetUnavailable, match="load_photos"):
        paired.load_facades("train", size=8, root=tmp_path, download=False)
    monkeypatch.setenv("GANLAB_OFFLINE", "1")
    with pytest.raises(paired.DatasetUnavailable, match="load_photos"):
        paired.load_facades("train", size=8, root=tmp_path, download=True)


def test_facades_unpacked_by_hand_are_used_as_they_are(tmp_path):
    from ganlab.data import paired

    for split in paired.FACADES_SPLITS:
        (tmp_path / split).mkdir()
        _write_pair(tmp_path / split / "1.jpg", (255, 255, 255), (0, 0, 0))
    x, y = paired.load_facades("val", size=8, root=tmp_path, download=False)
    assert x.shape == (1, 3, 8, 8)
    with pytest.raises(ValueError, match="split"):
        paired.load_facades("validation", root=tmp_path)


def test_facades_are_registered_with_licence_citation_and_readme():
    from pathlib import Path

    from ganlab.data.registry import DATASETS

    spec = DATASETS["facades"]
    assert spec.licence and "Tylecek" in spec.citation and "load_photos" in spec.offline_default
    assert (Path(__file__).resolve().parents[1] / spec.readme).is_file()


def test_photos_module_offers_every_lab5_data_function():
    from ganlab.data import paired

    assert photos.load_facades is paired.load_facades and photos.load_aligned_folder is paired.load_aligned_folder
