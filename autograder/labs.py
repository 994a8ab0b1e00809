"""The labs the grader knows, and how a submitted notebook is matched to one."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path

from ganlab.checks import load_public
from ganlab.grading.testing import TestSpec, exercises_for, tests_for


@dataclass(frozen=True)
class Lab:
    id: str
    assignment: str  # nbgrader assignment (folder) name == notebook stem
    title: str

    @property
    def solution(self) -> Path:
        return Path(__file__).resolve().parents[1] / "solutions" / self.assignment / f"{self.assignment}.ipynb"

    @property
    def release(self) -> Path:
        return Path(__file__).resolve().parents[1] / "labs" / self.assignment / f"{self.assignment}.ipynb"


LABS: dict[str, Lab] = {
    "lab1": Lab("lab1", "lab1_minimax", "The minimax game V(x, y) = xy"),
    "lab2": Lab("lab2", "lab2_vanilla_gan", "The vanilla GAN"),
    "lab3": Lab("lab3", "lab3_dcgan", "DCGAN for manga faces"),
    "lab4": Lab("lab4", "lab4_conditional", "Conditional GANs"),
    "lab5": Lab("lab5", "lab5_pix2pix", "pix2pix"),
    "lab6": Lab("lab6", "lab6_cyclegan", "CycleGAN"),
    "lab7": Lab("lab7", "lab7_is_fid", "Inception Score and FID"),
    "lab8": Lab("lab8", "lab8_video", "Video GANs"),
}


def selected(lab_ids: list[str]) -> list[str]:
    """The labs a command-line tool was asked for: all of them when none is named.

    Raises ValueError naming the known labs for an unknown id (argparse's ``choices`` cannot express this for
    an optional positional list on Python 3.11, where it rejects the empty default).
    """
    unknown = [lab_id for lab_id in lab_ids if lab_id not in LABS]
    if unknown:
        raise ValueError(f"unknown lab {', '.join(unknown)}; known: {', '.join(LABS)}")
    return list(lab_ids) or list(LABS)


def load_tests(lab_id: str) -> list[TestSpec]:
    """Public and hidden tests of a lab, in registration order (public first)."""
    load_public(lab_id)
    importlib.import_module(f"autograder.hidden.{lab_id}")
    tests = tests_for(lab_id)
    return [t for t in tests if not t.hidden] + [t for t in tests if t.hidden]


def detect(path: Path, metadata_hint: str | None, defined: set[str]) -> str | None:
    """Which lab a notebook is: its name or folder, then its metadata, then the names it defines."""
    for part in [path.stem, path.parent.name]:
        m = re.search(r"lab[_\s-]?(\d+)", part, re.IGNORECASE)
        if m and f"lab{int(m.group(1))}" in LABS:
            return f"lab{int(m.group(1))}"
    if metadata_hint in LABS:
        return metadata_hint
    best, best_hits = None, 0
    for lab_id in LABS:
        load_public(lab_id)
        hits = len(set(exercises_for(lab_id)) & defined)
        if hits > best_hits:
            best, best_hits = lab_id, hits
    return best
