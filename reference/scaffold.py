"""Register Lab 8 in this process only, pointing at the throwaway notebook ``reference/lab8_video.ipynb``, so that
``autograder`` (grading, catalog, mutation) can run before the lab is registered for real (next session:
``autograder/labs.py`` and ``ganlab.checks.LABS``). Import it before anything reads ``labs.LABS``."""

from __future__ import annotations

from pathlib import Path

import ganlab.checks as checks
from autograder import labs

NOTEBOOK = Path(__file__).resolve().parent / "lab8_video.ipynb"


class _ThrowawayLab(labs.Lab):
    @property
    def solution(self) -> Path:
        return NOTEBOOK


labs.LABS.setdefault("lab8", _ThrowawayLab("lab8", "lab8_video", "Video GANs"))
if "lab8" not in checks.LABS:
    checks.LABS = (*checks.LABS, "lab8")
