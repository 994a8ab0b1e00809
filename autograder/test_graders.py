"""The graders as pytest tests: one test item per grader test, on the reference solutions by default.

    pytest autograder                                  # every lab's reference solution must pass everything
    pytest autograder --submission path/to/nb.ipynb    # grade a submission; failures are the student's
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder import labs
from autograder.runner import grade

_REPORTS: dict[tuple[str, str | None], object] = {}


def _targets(config) -> list[tuple[str, str | None]]:
    subs = config.getoption("--submission")
    if subs:
        return [(str(Path(s)), config.getoption("--lab")) for s in subs]
    return [(str(lab.solution), lab_id) for lab_id, lab in labs.LABS.items()]


def pytest_generate_tests(metafunc):
    if "grader_case" not in metafunc.fixturenames:
        return
    cases, ids = [], []
    for path, lab_id in _targets(metafunc.config):
        lab_for_ids = lab_id or labs.detect(Path(path), None, set()) or "lab?"
        for spec in labs.load_tests(lab_for_ids):
            cases.append((path, lab_id, spec.exercise, spec.name))
            ids.append(f"{Path(path).stem}::{spec.exercise}::{spec.name}")
    metafunc.parametrize("grader_case", cases, ids=ids)


def _report(path: str, lab_id: str | None):
    key = (path, lab_id)
    if key not in _REPORTS:
        _REPORTS[key] = grade(path, lab_id)
    return _REPORTS[key]


def test_grader(grader_case):
    path, lab_id, exercise, name = grader_case
    report = _report(path, lab_id)
    assert not report.errors, f"{path} could not be graded: {report.errors}"
    result = next((t for t in report.tests if t.exercise == exercise and t.name == name), None)
    assert result is not None, f"{exercise}::{name} was not run"
    if not result.passed:
        pytest.fail(f"{exercise}: {result.message}", pytrace=False)
