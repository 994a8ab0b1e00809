"""Lab 8's videos (moving digits, moving shapes, Moving MNIST) and its shipped classifiers. Offline only: the one
Moving MNIST file used here is a small fake written to a temporary folder, and ``download=False`` everywhere."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ganlab.data import DATASETS, DatasetUnavailable
from ganlab.data.video import (
    MOTIONS, SHAPES, bounce, glyph_bank, load_moving_mnist, moving_digits, moving_shapes, read_moving_mnist,
)


def test_moving_digits_shapes_ranges_and_determinism():
    videos, labels = moving_digits(5, num_frames=9, seed=3)
    assert videos.shape == (5, 1, 9, 32, 32) and videos.dtype == torch.float32
    assert videos.min() == -1 and videos.max() <= 1 and videos.max() > 0.9
    assert labels["digits"].shape == (5, 2) and labels["digits"].dtype == torch.int64
    assert labels["positions"].shape == (5, 9, 2, 2) and labels["positions"].dtype == torch.int64
    assert labels["velocities"].shape == (5, 9, 2, 2) and labels["velocities"].dtype == torch.float32
    again, labels_again = moving_digits(5, num_frames=9, seed=3)
    assert torch.equal(videos, again) and all(torch.equal(labels[k], labels_again[k]) for k in labels)
    assert not torch.equal(videos, moving_digits(5, num_frames=9, seed=4)[0])
    assert not torch.equal(videos, moving_digits(5, num_frames=9, seed=3, split="test")[0])


def test_video_i_does_not_depend_on_n():
    small, small_labels = moving_digits(3, seed=11)
    large, large_labels = moving_digits(12, seed=11)
    assert torch.equal(small, large[:3])
    assert all(torch.equal(small_labels[k], large_labels[k][:3]) for k in small_labels)
    shapes_small, shapes_small_labels = moving_shapes(2, seed=5)
    shapes_large, shapes_large_labels = moving_shapes(9, seed=5)
    assert torch.equal(shapes_small, shapes_large[:2])
    assert torch.equal(shapes_small_labels["positions"], shapes_large_labels["positions"][:2])


def test_bouncing_stays_in_frame_and_reflects():
    size, glyph = 32, 16
    _, labels = moving_digits(40, num_frames=48, seed=2)
    pos, vel = labels["positions"], labels["velocities"]
    assert pos.min() >= 0 and pos.max() <= size - glyph
    step = (pos[:, 1:] - pos[:, :-1]).abs().float()
    assert (step <= vel[:, :-1].abs() + 1.0).all(), "a digit jumped further than its speed"
    speed = vel.norm(dim=-1)
    assert torch.allclose(speed, speed[:, :1].expand_as(speed)), "a bounce must keep the speed"
    assert (speed >= 1 - 1e-5).all() and (speed <= 2 + 1e-5).all()
    flips = (vel[:, 1:].sign() != vel[:, :-1].sign()).any(dim=-1)
    assert flips.any(dim=1).float().mean() > 0.9, "over 48 frames nearly every digit must bounce"
    # the folding itself: 0 -> 10 -> 0 in [0, 10] at speed 4: 0, 4, 8, 8 (12 folded), 4, 0, 4; the velocity of
    # frame t is that of the move to frame t + 1 (at the wall 0, it already points back in)
    p, v = bounce(torch.tensor([0.0]), torch.tensor([4.0]), 10.0, 7)
    assert torch.allclose(p[0], torch.tensor([0.0, 4, 8, 8, 4, 0, 4]))
    assert torch.equal(v[0], torch.tensor([4.0, 4, 4, -4, -4, 4, 4]))


def test_digit_pixels_match_their_labels():
    videos, labels = moving_digits(6, num_frames=5, seed=7, num_digits=1)
    glyphs, glyph_labels = glyph_bank("uci", "train", 16)
    assert torch.equal(labels["digits"][:, 0], glyph_labels[labels["glyphs"][:, 0]])
    for i in range(6):
        for t in range(5):
            x, y = labels["positions"][i, t, 0].tolist()
            frame = videos[i, 0, t]
            assert torch.equal(frame[y:y + 16, x:x + 16], glyphs[labels["glyphs"][i, 0]])
            outside = frame.clone()
            outside[y:y + 16, x:x + 16] = -1
            assert (outside == -1).all(), "ink outside the digit's box"
    # two digits: every pixel is the max of the two glyphs where their boxes overlap; each box holds ink
    videos, labels = moving_digits(4, num_frames=6, seed=8, split="test")
    test_glyphs, test_labels = glyph_bank("uci", "test", 16)
    assert torch.equal(labels["digits"], test_labels[labels["glyphs"]])
    for i in range(4):
        for t in range(6):
            canvas = torch.full((32, 32), -1.0)
            for d in range(2):
                x, y = labels["positions"][i, t, d].tolist()
                canvas[y:y + 16, x:x + 16] = torch.maximum(canvas[y:y + 16, x:x + 16],
                                                           test_glyphs[labels["glyphs"][i, d]])
                assert (videos[i, 0, t, y:y + 16, x:x + 16] > 0).any()
            assert torch.equal(videos[i, 0, t], canvas)


def test_moving_digits_64_offline_and_errors():
    videos, labels = moving_digits(2, num_frames=4, size=64, seed=1)
    assert videos.shape == (2, 1, 4, 64, 64) and labels["positions"].max() <= 32
    assert videos.min() >= -1 and videos.max() <= 1 and (videos > 0).any()
    offline, offline_labels = moving_digits(2, num_frames=4, source="offline", seed=1)
    assert offline.shape == (2, 1, 4, 32, 32) and (offline > 0).any()
    assert torch.equal(offline_labels["digits"], glyph_bank("offline", "train", 16)[1][offline_labels["glyphs"]])
    three, three_labels = moving_digits(2, num_frames=3, num_digits=3)
    assert three_labels["digits"].shape == (2, 3)
    for kwargs in ({"source": "mnist"}, {"split": "val"}, {"num_digits": 0}, {"size": 8}, {"num_frames": 0}):
        with pytest.raises(ValueError):
            moving_digits(2, **kwargs)
    with pytest.raises(ValueError):
        moving_digits(-1)
    assert moving_digits(0)[0].shape == (0, 1, 16, 32, 32)


def test_moving_shapes_labels_follow_pixels():
    videos, labels = moving_shapes(30, seed=4)
    assert videos.shape == (30, 1, 16, 32, 32) and videos.dtype == torch.float32
    assert videos.min() == -1 and videos.max() == 1
    assert set(labels["shape"].tolist()) <= set(range(len(SHAPES)))
    assert set(labels["motion"].tolist()) == set(range(len(MOTIONS)))
    border = torch.cat([videos[..., 0, :], videos[..., -1, :], videos[..., :, 0], videos[..., :, -1]], -1)
    assert (border == -1).all(), "a shape touched the edge of the frame"
    ink = (videos[:, 0] + 1) / 2  # (N, T, H, W) in [0, 1]
    coords = torch.arange(32, dtype=torch.float32) + 0.5
    mass = ink.sum(dim=(2, 3))
    centroid = torch.stack([(ink.sum(2) * coords).sum(-1) / mass, (ink.sum(3) * coords).sum(-1) / mass], -1)
    assert (centroid - labels["positions"]).abs().max() < 0.35, "the stored centre is not where the ink is"
    x, y = labels["positions"][..., 0], labels["positions"][..., 1]
    dx, dy = x[:, -1] - x[:, 0], y[:, -1] - y[:, 0]
    for k, name in enumerate(MOTIONS):
        m = labels["motion"] == k
        if name == "left":
            assert (dx[m] < -5).all() and (dy[m].abs() < 1).all()
        elif name == "right":
            assert (dx[m] > 5).all() and (dy[m].abs() < 1).all()
        elif name == "up":
            assert (dy[m] < -5).all() and (dx[m].abs() < 1).all()
        elif name == "down":
            assert (dy[m] > 5).all() and (dx[m].abs() < 1).all()
        else:  # an orbit: the distance to the mean position stays nearly constant and both axes move
            centre = labels["positions"][m].mean(1, keepdim=True)
            radius = (labels["positions"][m] - centre).norm(dim=-1)
            assert (radius.std(1) < 0.3 * radius.mean(1) + 0.5).all()
            assert (x[m].std(1) > 1.5).all() and (y[m].std(1) > 1.5).all()


def test_moving_shapes_motion_subset_and_errors():
    _, labels = moving_shapes(20, motions=("circle", "left"), seed=2, num_frames=6)
    assert set(labels["motion"].tolist()) == {0, 1}
    left = labels["motion"] == 1
    assert (labels["positions"][left, -1, 0] < labels["positions"][left, 0, 0]).all()
    for motions in ((), ("left", "left"), ("spin",)):
        with pytest.raises(ValueError):
            moving_shapes(2, motions=motions)
    assert moving_shapes(1, size=64, num_frames=2)[0].shape == (1, 1, 2, 64, 64)


def _fake_moving_mnist(path, sequences=10):
    data = np.random.default_rng(0).integers(0, 256, size=(20, sequences, 64, 64), dtype=np.uint8)
    np.save(path, data)
    return data


def test_read_moving_mnist_splits_by_sequence(tmp_path):
    data = _fake_moving_mnist(tmp_path / "mnist_test_seq.npy")
    train = read_moving_mnist(tmp_path / "mnist_test_seq.npy", "train", num_frames=20)
    test = read_moving_mnist(tmp_path / "mnist_test_seq.npy", "test", num_frames=20)
    assert train.shape == (9, 1, 20, 64, 64) and test.shape == (1, 1, 20, 64, 64)
    expected = torch.from_numpy(data).permute(1, 0, 2, 3).float() / 127.5 - 1
    assert torch.allclose(train[:, 0], expected[:9]) and torch.allclose(test[:, 0], expected[9:])
    few = read_moving_mnist(tmp_path / "mnist_test_seq.npy", "all", n=3, num_frames=16, size=32)
    assert few.shape == (3, 1, 16, 32, 32) and few.min() >= -1 and few.max() <= 1
    with pytest.raises(ValueError):
        read_moving_mnist(tmp_path / "mnist_test_seq.npy", num_frames=21)
    np.save(tmp_path / "wrong.npy", np.zeros((20, 2, 32, 32), dtype=np.uint8))
    with pytest.raises(ValueError, match="not Moving MNIST"):
        read_moving_mnist(tmp_path / "wrong.npy")


def test_moving_mnist_refuses_a_file_with_the_wrong_checksum(tmp_path):
    spec = DATASETS["moving-mnist"]
    assert spec.files[0].checksum == "md5:be083ec986bfe91a449d63653c411eb2"
    _fake_moving_mnist(tmp_path / "mnist_test_seq.npy", sequences=3)
    with pytest.raises(DatasetUnavailable, match="moving_digits"):
        load_moving_mnist("train", root=tmp_path, download=False, source="moving-mnist", verbose=False)
    with pytest.warns(UserWarning, match="moving digits"):
        videos, labels, source = load_moving_mnist("test", root=tmp_path, download=False, n=2, num_frames=5,
                                                   size=32)
    assert source == "moving-digits" and videos.shape == (2, 1, 5, 32, 32)
    assert torch.equal(videos, moving_digits(2, 5, 32, split="test")[0])
    offline = load_moving_mnist(source="offline", n=1, num_frames=3, verbose=False)
    assert offline[2] == "moving-digits" and offline[0].shape == (1, 1, 3, 64, 64)


def test_video_classifier_is_above_its_floor_on_held_out_clips():
    from ganlab.video_nets import content_consistency, digit_sets, frame_classifier, frame_contents, video_classifier

    # floors well below the measured held-out accuracies (datasets/moving_digits.md: 0.74 on one-digit clips, 1.0
    # on shapes and motions; 40 clips here)
    net = video_classifier()
    videos, labels = moving_digits(40, seed=21, split="test", num_digits=1)
    target = torch.zeros(40, 10).scatter_(1, labels["digits"], 1.0) > 0
    shapes, shape_labels = moving_shapes(40, seed=20_021)
    with torch.no_grad():
        seen = digit_sets(net.head_logits(videos)["digits"])
        out = net.head_logits(shapes)
    assert (seen == target).all(1).float().mean() >= 0.5
    assert (out["shape"].argmax(1) == shape_labels["shape"]).float().mean() >= 0.9
    assert (out["motion"].argmax(1) == shape_labels["motion"]).float().mean() >= 0.9
    frames = frame_classifier()
    assert content_consistency(shapes, "shape", frames) >= 0.9
    one, one_labels = moving_digits(24, seed=22, split="test", num_digits=1)
    codes = frame_contents(one)  # Lab 4's real-digits judge on ink-centred crops
    assert (codes == one_labels["digits"]).float().mean() >= 0.85
    assert content_consistency(one) >= 0.85
    # a clip whose digit changes halfway is inconsistent
    a = moving_digits(8, seed=23, split="test", num_digits=1)
    b = moving_digits(8, seed=24, split="test", num_digits=1)
    differ = a[1]["digits"][:, 0] != b[1]["digits"][:, 0]
    swapped = torch.cat([a[0][:, :, :8], b[0][:, :, 8:]], dim=2)[differ]
    assert content_consistency(swapped) <= 0.25
    with pytest.raises(ValueError):
        frame_contents(one, "colour")


def test_digit_crops_hold_the_digit():
    from ganlab.video_nets import digit_crops

    videos, labels = moving_digits(10, num_frames=3, seed=9, num_digits=1)
    frames = videos[:, 0].reshape(-1, 1, 32, 32)
    crops = digit_crops(frames)
    assert crops.shape == (30, 1, 16, 16)
    ink = ((frames + 1) / 2).sum(dim=(1, 2, 3))
    assert (((crops + 1) / 2).sum(dim=(1, 2, 3)) >= 0.9 * ink).all(), "the window misses the digit"
    blank = digit_crops(torch.full((1, 1, 32, 32), -1.0))
    assert blank.shape == (1, 1, 16, 16) and (blank == -1).all()


def test_frechet_video_distance_orders_real_and_noise():
    from ganlab.quality import EXTRACTORS
    from ganlab.video_nets import frechet_video_distance, register_video_extractor

    real = moving_digits(150, seed=31)[0]
    held_out = moving_digits(150, seed=32, split="test")[0]
    noise = torch.rand(real.shape, generator=torch.Generator().manual_seed(0)) * 2 - 1
    floor = frechet_video_distance(real, held_out)
    assert 0 <= floor < frechet_video_distance(real, noise) / 5
    assert register_video_extractor() in EXTRACTORS and register_video_extractor() == "moving-video"
    with pytest.raises(ValueError):
        frechet_video_distance(real, held_out[:, :, :8])
    with pytest.raises(ValueError):
        frechet_video_distance(real[:, 0], held_out)
