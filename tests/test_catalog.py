"""The graders tell wrong implementations from right ones (the lab catalogs, run through the real grader)."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder import catalog, labs
from autograder.runner import grade

CASES = [(lab_id, e) for lab_id in labs.LABS for e in catalog.entries(lab_id)]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade a lab's whole catalog, two at a time, the first time one of its entries is asked for (so that
    ``-k lab2:`` grades Lab 2's catalog only). Under pytest-xdist each lab's entries run on one worker (their
    ``xdist_group``), so no catalog is graded twice, and one at a time: the other worker's tests use the other
    core, and more graders than cores would only stretch each grading towards its time limits."""
    root = tmp_path_factory.mktemp("catalog")
    done: dict[str, dict] = {}

    def run(case):
        lab_id, entry = case
        path = root / lab_id / f"{entry.path.stem}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(catalog.submission_for(entry, lab_id)), encoding="utf-8")
        return entry.path.name, grade(path, lab_id)

    def reports(lab_id: str) -> dict:
        if lab_id not in done:
            with ThreadPoolExecutor(max_workers=1 if os.environ.get("PYTEST_XDIST_WORKER") else 2) as pool:
                done[lab_id] = dict(pool.map(run, [c for c in CASES if c[0] == lab_id]))
        return done[lab_id]

    return reports


def test_each_lab_has_a_full_catalog():
    for lab_id in labs.LABS:
        kinds = [e.kind for e in catalog.entries(lab_id)]
        assert kinds.count("wrong") >= 8, f"{lab_id}: at least 8 wrong implementations"
        assert kinds.count("right") >= 2, f"{lab_id}: at least 2 alternative correct implementations"
        for e in catalog.entries(lab_id):
            assert e.doc, f"{e.path.name} must say in its docstring what it models"
            if e.kind == "wrong":
                assert e.expect, f"{e.path.name} must set EXPECT"


@pytest.mark.parametrize("lab_id,entry", [pytest.param(lab, e, id=f"{lab}:{e.path.stem}",
                                                       marks=pytest.mark.xdist_group(f"catalog-{lab}"))
                                          for lab, e in CASES])
def test_catalog_entry(graded, lab_id, entry):
    report = graded(lab_id)[entry.path.name]
    assert not report.errors, report.errors
    by_name = {e.name: e for e in report.exercises}
    if entry.kind == "right":
        failing = {e.name: e.message for e in report.exercises if not e.passed}
        assert not failing, f"{entry.path.name} is correct but lost points: {failing}"
        assert report.score == report.max_score
        return
    (target,) = entry.exercises
    broken = by_name[target]
    assert broken.earned < broken.points, f"{entry.path.name} should lose points on {target}"
    messages = " ".join(t.message for t in report.tests if t.exercise == target and not t.passed)
    assert entry.expect in messages, f"message should mention {entry.expect!r}, got: {messages}"
    unhinted = [t.name for t in report.tests if t.exercise == target and not t.passed and not t.hint]
    assert not unhinted, f"{entry.path.name}: failures without a hint (hidden feedback shows only the hint): {unhinted}"
    others = {e.name: e.message for e in report.exercises if e.name != target and not e.passed}
    assert not others, f"{entry.path.name} should cost only {target}, but also failed: {others}"
