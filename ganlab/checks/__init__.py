"""Public checks: the tests behind each lab's one-line check cells.

In a notebook::

    from ganlab.checks import Checker
    check = Checker("lab1", globals())
    ...
    check("simultaneous_gda_step")      # runs the public tests of one exercise

The same tests run in the grader against a sandboxed worker, so a check that
passes here passes there. Hidden tests are not part of this package.
"""

from __future__ import annotations

import importlib

from ganlab.grading.testing import LocalSubmission, exercises_for, run_tests, tests_for

LABS = ("lab1", "lab2", "lab3", "lab7")


def load_public(lab: str) -> None:
    """Import (and so register) the public tests of ``lab``."""
    if lab not in LABS:
        raise ValueError(f"unknown lab {lab!r}; known labs: {', '.join(LABS)}")
    importlib.import_module(f"ganlab.checks.{lab}")


class Checker:
    """Runs a lab's public tests on the names defined in a notebook's namespace."""

    def __init__(self, lab: str, namespace: dict):
        load_public(lab)
        self.lab = lab
        self.sub = LocalSubmission(namespace)

    def _exercise(self, name: str):
        exercises = exercises_for(self.lab)
        if name not in exercises:
            raise ValueError(f"{self.lab} has no exercise {name!r}; it has: {', '.join(exercises)}")
        return exercises[name]

    def __call__(self, exercise: str) -> None:
        """Run the public tests of ``exercise`` and print one line per test."""
        self._exercise(exercise)
        results = run_tests(self.sub, tests_for(self.lab, exercise, hidden=False))
        passed = sum(r.passed for r in results)
        for r in results:
            mark = "\u2705" if r.passed else "\u274c"
            line = f"{mark} {r.name}" + (f": {r.message}" if r.message else "")
            print(line)
        status = "all passed" if passed == len(results) else "see the first failure above"
        print(f"{exercise}: {passed}/{len(results)} public checks passed ({status}).")

    def points(self, exercise: str) -> float:
        """Instructor side (nbgrader autograde): public + hidden tests, returns the points earned.

        Needs the instructor's ``autograder`` package on the path; students do not have it.
        """
        self._exercise(exercise)
        try:
            importlib.import_module(f"autograder.hidden.{self.lab}")
        except ImportError as exc:
            raise RuntimeError("hidden tests are only available to instructors (autograder package)") from exc
        results = run_tests(self.sub, tests_for(self.lab, exercise))
        for r in results:
            if not r.passed:
                shown = "hidden test failed" if r.hidden else r.message
                print(f"\u274c {r.name}: {shown}")
        earned = sum(r.earned for r in results)
        return round(earned, 6)
