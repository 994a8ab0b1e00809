"""Lab 6's unpaired data: the faces translation task with ground truth, the textures, the folder layout."""

import pytest
import torch

from ganlab.data.faces import FACE_ATTRIBUTES, offline_faces
from ganlab.data.unpaired import (
    GLASSES_PAIR, SEED_BASE, FaceTranslation, classifier_readings, face_translation, translation_baselines,
    translation_scores,
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
    with pytest.raises(ValueError, match="direction"):
        task.score(classifier, task.x_test, "GF")
    with pytest.raises(ValueError, match="labels lack"):
        translation_scores(classifier, task.x_test, task.y_test_truth, {}, "hair_colour", 2)
