"""The command line, end to end: reference 100%, student version 0, JSON report, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import labs

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("lab_id", list(labs.LABS))
def test_reference_scores_full_and_student_version_zero(lab_id, tmp_path):
    lab = labs.LABS[lab_id]
    r = run_cli(lab.solution, "--json", tmp_path / "ref.json")
    assert r.returncode == 0, r.stderr
    ref = json.loads((tmp_path / "ref.json").read_text())
    assert isinstance(ref["score"], (int, float)) and isinstance(ref["max_score"], (int, float))
    assert ref["score"] == ref["max_score"] > 0
    assert "total" in r.stdout

    r = run_cli(lab.release, "--json", tmp_path / "student.json")
    assert r.returncode == 0, r.stderr
    student = json.loads((tmp_path / "student.json").read_text())
    assert student["score"] == 0 and student["max_score"] == ref["max_score"]
    assert "not implemented yet" in r.stdout


def test_no_argument_grades_every_reference(tmp_path):
    r = run_cli("--json", tmp_path / "all.json")
    assert r.returncode == 0, r.stderr
    report = json.loads((tmp_path / "all.json").read_text())
    graded = report["submissions"] if len(labs.LABS) > 1 else [report]
    assert sorted(d["lab"] for d in graded) == sorted(labs.LABS)
    assert all(d["score"] == d["max_score"] > 0 for d in graded)
    for lab_id in labs.LABS:
        assert lab_id in r.stdout


def test_unusable_arguments_exit_2(tmp_path):
    assert run_cli(tmp_path / "missing.ipynb").returncode == 2
    odd = tmp_path / "notes.ipynb"
    odd.write_text("{}")
    r = run_cli(odd)  # no way to tell the lab
    assert r.returncode == 2 and "--lab" in r.stderr
