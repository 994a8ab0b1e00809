"""Grade one notebook: plan what to run, start the worker, run every test, build the report."""

from __future__ import annotations

import ast
import functools
import hashlib
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ganlab.grading.testing import CheckFailure, TestResult, exercises_for, run_tests

from autograder import labs
from autograder.notebook import NotebookError, Plan, load_bounded, open_regular
from autograder.remote import RemoteSubmission, WorkerLost, WorkerSession
from autograder.sandbox import Limits, SandboxConfig, hint_imports, prewarm


class UnknownLab(ValueError):
    """The notebook cannot be matched to a lab (pass ``--lab``)."""


@dataclass
class ExerciseResult:
    name: str
    title: str
    earned: float
    points: float
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.earned >= self.points


@dataclass
class Report:
    notebook: str
    lab: str | None
    score: float
    max_score: float
    exercises: list[ExerciseResult] = field(default_factory=list)
    tests: list[TestResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sandbox: str = ""
    seconds: float = 0.0
    sha256: str = ""
    internal_error: bool = False  # the grader itself failed on this submission: never reused on resume

    def to_json(self) -> dict:
        out = asdict(self)
        for ex, src in zip(out["exercises"], self.exercises):
            ex["passed"] = src.passed
        return out


def _missing_message(name: str, plan: Plan, session: WorkerSession) -> str:
    cells = plan.cell_names.get(name, [])
    for cell in cells:
        if cell in plan.cell_errors:
            return f"`{name}` could not be defined: cell {cell} has a {plan.cell_errors[cell]}."
    for stmt in plan.statements:
        if name in stmt.defines:
            if stmt.id in session.report.excluded:
                return f"`{name}` could not be defined: {session.report.excluded[stmt.id]}."
            if stmt.id in session.report.statement_errors:
                return f"`{name}` could not be defined: {session.report.statement_errors[stmt.id]}."
    if cells:
        return f"`{name}` could not be defined (cell {cells[-1]})."
    return (f"`{name}` is not defined anywhere in the notebook: was its cell deleted, or the "
            "function renamed?")


def file_hash(path: Path) -> str:
    """SHA-256 of a submission, read as a regular file only (never through a link, a FIFO or a device)."""
    fd = open_regular(path)
    try:
        return fd_hash(fd)
    finally:
        os.close(fd)


def fd_hash(fd: int) -> str:
    h = hashlib.sha256()
    os.lseek(fd, 0, os.SEEK_SET)
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        h.update(chunk)
    return h.hexdigest()


def grade(path: str | Path, lab_id: str | None = None, limits: Limits | None = None,
          sandbox: SandboxConfig | None = None, timings: dict | None = None) -> Report:
    """Grade ``path``. Problems with the submission end up in the report, never as an exception.

    ``timings``, if given, receives the seconds of each phase (``benchmarks/grading.py --phases`` prints them):
    ``read_and_plan`` (the bounded parsing subprocess), ``grader_imports`` (the lab's tests, torch with them),
    ``worker_start`` (waiting for a warm template and forking, or a cold start; restarts included),
    ``load_definitions`` (the submission's statements in the worker), ``tests`` and ``close``."""
    path = Path(path)
    started = time.monotonic()
    timings = {} if timings is None else timings
    limits = limits or Limits()
    # A warm worker template starts now, while this process reads and plans the notebook (see sandbox.Template).
    prewarm(sandbox, limits)
    budget_deadline = started + limits.submission_seconds  # reading, loading, restarts and tests together
    report = Report(notebook=str(path), lab=lab_id, score=0.0, max_score=0.0)
    plan: Plan | None = None
    try:
        fd = open_regular(path)
    except NotebookError as exc:
        report.errors.append(str(exc))
    else:
        try:
            report.sha256 = fd_hash(fd)
            plan = load_bounded(fd)
            hint_imports(sandbox, limits, plan.imports)  # the template imports them while this process goes on
            report.warnings.extend(plan.warnings)
        except NotebookError as exc:
            report.errors.append(str(exc))
        except OSError as exc:
            report.errors.append(f"cannot read the file: {exc.strerror or exc}")
        finally:
            os.close(fd)
    timings["read_and_plan"] = time.monotonic() - started
    if report.lab is None:
        defined = {n for s in (plan.statements if plan else []) for n in s.defines}
        report.lab = labs.detect(path, plan.lab_hint if plan else None, defined)
    if report.lab is None or report.lab not in labs.LABS:
        raise UnknownLab(f"cannot tell which lab {path} is; pass --lab (one of {', '.join(labs.LABS)})")
    mark = time.monotonic()
    specs = labs.load_tests(report.lab)
    exercises = exercises_for(report.lab)
    timings["grader_imports"] = time.monotonic() - mark
    report.max_score = sum(t.points for t in specs)
    if plan is None:
        report.tests = [TestResult(t.exercise, t.name, t.points, 0.0, False, t.hidden,
                                   "not graded: " + report.errors[0], 0.0, t.doc) for t in specs]
    else:
        for cell, why in sorted(plan.cell_errors.items()):
            report.warnings.append(f"cell {cell} was not run: {why}")
        sandbox = sandbox or SandboxConfig()
        # The worker needs no file of the submission (its code arrives through a pipe): hide its folder too.
        sandbox = SandboxConfig(sandbox.mode, [*sandbox.hide, path.absolute().parent.resolve()])
        session = WorkerSession(plan, limits, sandbox, budget_deadline=budget_deadline)
        try:
            mark = time.monotonic()
            report.tests = _run(session, plan, specs, exercises)
            timings["worker_start"] = session.start_seconds
            timings["load_definitions"] = session.report.seconds
            timings["tests"] = time.monotonic() - mark - session.start_seconds - session.report.seconds
            report.internal_error = any(t.message.startswith(INTERNAL) for t in report.tests)
            if report.internal_error:
                report.errors.append("the grader itself failed on some tests (an internal error, not the "
                                     "submission's fault); they will be graded again on the next run")
            report.sandbox = session.mode
            for sid, why in session.report.statement_errors.items():
                report.warnings.append(why)
            for sid, why in session.report.excluded.items():
                report.warnings.append(why)
        finally:
            mark = time.monotonic()
            session.close()
            timings["close"] = time.monotonic() - mark
    for name, ex in exercises.items():
        results = [r for r in report.tests if r.exercise == name]
        failed = [r for r in results if not r.passed]
        report.exercises.append(ExerciseResult(
            name, ex.title, sum(r.earned for r in results), sum(r.points for r in results),
            failed[0].message if failed else ""))
    report.score = round(sum(e.earned for e in report.exercises), 6)
    report.max_score = round(report.max_score, 6)
    report.seconds = round(time.monotonic() - started, 3)
    return report


INTERNAL = "not graded: internal error of the grader"


@functools.lru_cache(maxsize=None)
def _string_constants(filename: str) -> frozenset:
    try:
        tree = ast.parse(Path(filename).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return frozenset()
    return frozenset(n.value.strip() for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))


def allowed_hints(spec) -> frozenset:
    """The hints a hidden test may show: string literals and module-level string constants (``HINT_X = "..." +
    HINT_Y`` included) of its own module, its lab's public checks, the test API and netcheck. Text built while
    a test runs (an f-string with a value, an exception's name) is never among them."""
    return _allowed_for(frozenset({getattr(spec.func, "__module__", ""), f"ganlab.checks.{spec.lab}",
                                   "ganlab.grading.testing", "ganlab.grading.netcheck"}))


@functools.lru_cache(maxsize=None)
def _allowed_for(names: frozenset) -> frozenset:
    out: set = set()
    for name in names:
        module = sys.modules.get(name)
        filename = getattr(module, "__file__", None)
        if filename:
            out |= _string_constants(filename)
            # Constants computed once at import from trusted literals (never from a submission).
            out |= {v.strip() for v in vars(module).values() if isinstance(v, str)}
    return frozenset(out)


def _allow_listed(spec, results: list[TestResult]) -> list[TestResult]:
    for r in results:
        if r.hidden and r.hint and r.hint.strip() not in allowed_hints(spec):
            r.hint = ""
    return results


def _run(session: WorkerSession, plan: Plan, specs, exercises) -> list[TestResult]:
    results = []
    for spec in specs:
        try:
            results.extend(_run_one(session, plan, spec, exercises))
        except Exception as exc:  # noqa: BLE001 - the grader's own failure costs this test, never the batch
            session.kill()
            session.test_broken = True
            results.append(TestResult(spec.exercise, spec.name, spec.points, 0.0, False, spec.hidden,
                                      f"{INTERNAL} ({type(exc).__name__})", 0.0, spec.doc))
    return results


def _run_one(session: WorkerSession, plan: Plan, spec, exercises) -> list[TestResult]:
    def lost_result(message: str, hint: str = "") -> list[TestResult]:
        return [TestResult(spec.exercise, spec.name, spec.points, 0.0, False, spec.hidden, message, 0.0, spec.doc,
                           hint)]

    if time.monotonic() >= session.budget_deadline:
        return lost_result(session.budget_lost().reason, "the submission ran out of grading time")
    try:
        session.begin_test(session.limits.test_seconds or spec.timeout)
        missing = [n for n in exercises[spec.exercise].requires if n not in session.report.names]
    except WorkerLost as lost:
        reason = lost.reason if lost.reason.startswith("not run") else f"not run: {lost.reason}"
        return lost_result(reason)
    if missing:
        return lost_result(_missing_message(missing[0], plan, session))
    return _allow_listed(spec, run_tests(RemoteSubmission(session), [spec]))


__all__ = ["grade", "Report", "ExerciseResult", "CheckFailure"]
