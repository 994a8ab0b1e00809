"""Grades and submissions never land unprotected in the checkout: git ignores every place the README sends them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

GRADE_PATHS = [
    "grades.csv",                                   # nbgrader export (README)
    "grades/gradebook.csv", "grades/reports/alice__lab1.json", "grades/feedback/alice__lab1.md",
    "grades/summary.html", "grades/summary.md",     # the standalone grader's --out folder and class summary
    "gradebook.csv", "summary.html", "summary.md", "reports/alice__lab1.json",
    "submitted/alice/lab1_minimax/lab1_minimax.ipynb", "autograded/alice/lab1_minimax/lab1_minimax.ipynb",
    "feedback/alice/lab1_minimax/lab1_minimax.html", ".nbgrader/gradebook.db", "gradebook.db",
    "course/submitted/bob/lab3_dcgan/lab3_dcgan.ipynb",  # a course folder made inside the checkout
]


@pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(), reason="not a git checkout")
@pytest.mark.parametrize("path", GRADE_PATHS)
def test_grade_outputs_are_ignored(path):
    r = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=REPO)
    assert r.returncode == 0, f"{path} would be committed: add it to .gitignore"


@pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(), reason="not a git checkout")
def test_no_tracked_file_is_ignored():
    r = subprocess.run(["git", "ls-files", "-i", "-c", "--exclude-standard"], cwd=REPO, capture_output=True,
                       text=True)
    assert r.stdout == "", f"tracked files match .gitignore: {r.stdout}"
