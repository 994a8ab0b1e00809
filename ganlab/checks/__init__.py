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

import contextlib
import ctypes
import importlib
import os
import signal
import threading
import time

from ganlab.grading.testing import (LocalSubmission, SubmissionError, TestResult, exercises_for, run_tests,
                                    tests_for)

LABS = ("lab1", "lab2", "lab3", "lab4", "lab5", "lab6", "lab7", "lab8")

#: A check cell's time limit per test: this many times the test's own grading budget, at least MIN_SECONDS.
TIME_FACTOR = 3
MIN_SECONDS = 30.0


class CheckTimeout(BaseException):
    """Raised into code that runs past a check's time limit (a BaseException, so ``except Exception`` in
    student code does not swallow it)."""


class ExerciseNotDone(Exception):
    """A check needs a function that still raises NotImplementedError.

    Raised by the check cell so that Run All stops there; Jupyter shows only its one line (no traceback).
    """

    def _render_traceback_(self):  # IPython prints these lines instead of a traceback
        return [str(self)]


class _Limit:
    fired = False


@contextlib.contextmanager
def time_limit(seconds: float):
    """Interrupt the code inside after ``seconds`` with :class:`CheckTimeout` (again every second if caught).

    In the main thread (where Jupyter runs cells) a SIGALRM timer does it, which also interrupts sleeps; in any
    other thread, or where there is no SIGALRM (Windows), a watcher thread raises the exception asynchronously
    in the checked thread, which takes effect at its next Python instruction.
    """
    state = _Limit()
    use_signal = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if use_signal:
        def on_alarm(signum, frame):
            state.fired = True
            raise CheckTimeout(seconds)

        old_handler = signal.signal(signal.SIGALRM, on_alarm)
        old_timer = signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
        try:
            yield state
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler)
            if old_timer[0]:
                signal.setitimer(signal.ITIMER_REAL, *old_timer)
        return
    target = threading.get_ident()
    done = threading.Event()

    def watch():
        if done.wait(seconds):
            return
        while not done.is_set():
            state.fired = True
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(CheckTimeout))
            if done.wait(1.0):
                return

    watcher = threading.Thread(target=watch, name="ganlab-check-time-limit", daemon=True)
    watcher.start()
    try:
        yield state
    finally:
        done.set()
        watcher.join()
        # an exception sent just before `done` was set could still be pending: clear it
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


class _CheckedSubmission(LocalSubmission):
    """The notebook's namespace, remembering which function raised NotImplementedError (the stub to fill in).

    Only the notebook's own code runs under the check's time limit (``deadline``, set per test): the test's
    machinery never does, so a limit that fires can never interrupt an import or a library call of the check
    itself and leave a module half-initialised in the student's kernel.
    """

    def __init__(self, namespace: dict):
        super().__init__(namespace)
        self.not_implemented: str | None = None
        self.deadline: float | None = None
        self.limit_state: _Limit = _Limit()

    def _call_limited(self, fn, args, kwargs):
        if self.deadline is None:
            return fn(*args, **kwargs)
        with time_limit(max(0.01, self.deadline - time.monotonic())) as state:
            try:
                return fn(*args, **kwargs)
            finally:
                self.limit_state.fired |= state.fired

    def _invoke(self, fn, label, args, kwargs, keep):
        try:
            return super()._invoke(lambda *a, **k: self._call_limited(fn, a, k), label, args, kwargs, keep)
        except SubmissionError as exc:
            if exc.kind == "NotImplementedError" and self.not_implemented is None:
                self.not_implemented = self._raiser(exc.__context__) or label
            raise

    def _raiser(self, exc) -> str | None:
        """The notebook name (``f`` or ``Class.method``) of the innermost notebook code in ``exc``'s traceback."""
        codes = {}
        for name, value in list(self.ns.items()):
            if isinstance(value, type):
                for attr, member in vars(value).items():
                    if hasattr(member, "__code__"):
                        codes[member.__code__] = f"{name}.{attr}"
            elif hasattr(value, "__code__"):
                codes[value.__code__] = name
        found = None
        tb = exc.__traceback__ if exc is not None else None
        while tb is not None:
            found = codes.get(tb.tb_frame.f_code, found)
            tb = tb.tb_next
        return found


def load_public(lab: str) -> None:
    """Import (and so register) the public tests of ``lab``."""
    if lab not in LABS:
        raise ValueError(f"unknown lab {lab!r}; known labs: {', '.join(LABS)}")
    importlib.import_module(f"ganlab.checks.{lab}")


class Checker:
    """Runs a lab's public tests on the names defined in a notebook's namespace.

    Each test has a time limit (``time_limit`` seconds, default: 3 times its grading budget, at least 30 s);
    code still running then is stopped and the check says so. A check whose exercise needs a function that
    still raises NotImplementedError says in one line which exercise to do first, and stops Run All there.
    """

    def __init__(self, lab: str, namespace: dict, time_limit: float | None = None):
        load_public(lab)
        self.lab = lab
        self.sub = _CheckedSubmission(namespace)
        self.time_limit = time_limit

    def require(self, *names: str, where: str) -> None:
        """Stop a cell with one line, not a NameError, when it needs results that an earlier cell has not produced
        (a training cell that stopped at an unimplemented exercise): ``check.require("history", where="the
        training cell of section 4")`` at the top of each cell that reads them."""
        missing = [name for name in names if name not in self.sub.ns]
        if missing:
            raise ExerciseNotDone(f"\u23f8 This cell needs {', '.join(missing)} from {where}, which has not run to "
                                  "the end: do the exercises that cell uses, run it, then this cell again.")

    def _exercise(self, name: str):
        exercises = exercises_for(self.lab)
        if name not in exercises:
            raise ValueError(f"{self.lab} has no exercise {name!r}; it has: {', '.join(exercises)}")
        return exercises[name]

    def _limit(self, spec) -> float:
        return self.time_limit if self.time_limit is not None else max(MIN_SECONDS, TIME_FACTOR * spec.timeout)

    def _run(self, specs) -> list[TestResult]:
        """``run_tests`` one test at a time, each under its time limit."""
        results = []
        for spec in specs:
            limit = self._limit(spec)
            state = self.sub.limit_state = _Limit()
            self.sub.deadline = time.monotonic() + limit
            try:
                results += run_tests(self.sub, [spec])
            finally:
                self.sub.deadline = None
            if state.fired:
                r = results[-1]
                if not r.passed:
                    r.message = (f"stopped after {limit:g} s, the time limit of this check: the code is still "
                                 "running (an infinite loop, or far too many steps?)")
                    r.hint = "the code ran past the time limit (an infinite loop?)"
        return results

    def _not_done_line(self, exercise: str, name: str) -> str:
        exercises = exercises_for(self.lab)
        base = name.split(".")[0]  # Generator.forward -> Generator
        owner = exercises.get(base) or next((e for e in exercises.values() if base in e.requires), None)
        if owner is None or owner.name == exercise:
            title = f' ("{owner.title}")' if owner is not None and owner.title else ""
            return (f"\u23f8 `{name}` is not implemented yet: this is exercise {exercise}{title}. Replace its "
                    "`raise NotImplementedError()` with your code, run that cell, then this check again.")
        title = f' ("{owner.title}")' if owner.title else ""
        return (f"\u23f8 Do exercise {owner.name}{title} first: this check needs `{name}`, which is not "
                "implemented yet.")

    def __call__(self, exercise: str) -> None:
        """Run the public tests of ``exercise`` and print one line per test."""
        self._exercise(exercise)
        self.sub.not_implemented = None
        results = self._run(tests_for(self.lab, exercise, hidden=False))
        if self.sub.not_implemented is not None and not any(r.passed for r in results):
            line = self._not_done_line(exercise, self.sub.not_implemented)
            if os.environ.get("NBGRADER_EXECUTION"):  # autograde scores the cell's points next: no error here
                print(line)
                return
            raise ExerciseNotDone(line)
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
        results = self._run(tests_for(self.lab, exercise))
        for r in results:
            if not r.passed:
                shown = "hidden test failed" if r.hidden else r.message
                print(f"\u274c {r.name}: {shown}")
        earned = sum(r.earned for r in results)
        return round(earned, 6)
