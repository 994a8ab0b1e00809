"""The test API shared by the public checks (in notebooks) and the graders (in ``autograder``).

A test is a function ``test(sub)`` that talks to a submission only through a
:class:`Submission`: it sends inputs, receives raw values (tensors, numbers,
tuples, references) and judges them in its own process. The same test runs

- in a notebook, on the notebook's own functions (:class:`LocalSubmission`), behind ``check(...)``;
- in the grader, on a sandboxed worker process (``autograder.remote.RemoteSubmission``).

A failing test raises :class:`CheckFailure` with a message meant for the student.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from ganlab.grading import wire
from ganlab.grading.wire import Global, Ref, Trusted

__all__ = [
    "CheckFailure", "SubmissionError", "Exercise", "TestSpec", "exercise", "register",
    "tests_for", "exercises_for", "Submission", "LocalSubmission", "Global", "Ref", "Trusted",
    "expect_close", "expect_true", "as_float_tensor", "fail", "run_tests", "TestResult",
]


class CheckFailure(AssertionError):
    """A test verdict: the submission is wrong, and the message says how.

    ``hint`` is the part of the message that names the likely mistake without
    revealing the test's inputs; feedback on hidden tests shows only that.
    """

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


class SubmissionError(CheckFailure):
    """The submission's own code raised, timed out or crashed during a test.

    ``kind`` is the exception's type name (``"ValueError"``), or ``"Timeout"``,
    ``"WorkerCrash"``, ``"MemoryError"`` for what the grader observed.
    """

    def __init__(self, message: str, kind: str = "Exception"):
        # The hint never repeats ``kind``: the submission chooses its exception's name (the message, which is
        # shown only for public tests, still says which exception it was).
        super().__init__(message, hint=_ERROR_HINTS.get(kind, GENERIC_ERROR_HINT))
        self.kind = kind


GENERIC_ERROR_HINT = "your code raised an exception (run the public checks in the notebook to see which)"

_ERROR_HINTS = {
    "NotImplementedError": "not implemented yet",
    "Timeout": "the code ran past the time limit (an infinite loop?)",
    "MemoryError": "the code ran out of memory",
    "WorkerCrash": "the code crashed or exited the process",
    "ProtocolError": "the code sent the grader something it cannot read",
    "Budget": "the submission ran out of grading time",
}


# -- registry ---------------------------------------------------------------------------


@dataclass
class Exercise:
    lab: str
    name: str
    requires: tuple[str, ...]
    title: str = ""


@dataclass
class TestSpec:
    lab: str
    exercise: str
    name: str
    points: float
    func: Callable
    hidden: bool = False
    timeout: float = 10.0
    doc: str = ""


_EXERCISES: dict[str, dict[str, Exercise]] = {}
_TESTS: dict[str, list[TestSpec]] = {}


def exercise(lab: str, name: str, requires: Sequence[str] | None = None, title: str = "") -> Exercise:
    """Declare an exercise of ``lab``; ``requires`` lists the submission names it needs (default: ``name``)."""
    ex = Exercise(lab, name, tuple(requires or (name,)), title)
    _EXERCISES.setdefault(lab, {})[name] = ex
    return ex


def register(ex: Exercise, points: float = 1.0, hidden: bool = False, timeout: float = 10.0):
    """Decorator: register ``func(sub)`` as a test of exercise ``ex`` worth ``points``."""

    def deco(func):
        doc = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else ""
        spec = TestSpec(ex.lab, ex.name, func.__name__, float(points), func, hidden, timeout, doc)
        tests = _TESTS.setdefault(ex.lab, [])
        tests[:] = [t for t in tests if not (t.name == spec.name and t.exercise == spec.exercise)]
        tests.append(spec)
        return func

    return deco


def exercises_for(lab: str) -> dict[str, Exercise]:
    return dict(_EXERCISES.get(lab, {}))


def tests_for(lab: str, exercise_name: str | None = None, hidden: bool | None = None) -> list[TestSpec]:
    out = []
    for t in _TESTS.get(lab, []):
        if exercise_name is not None and t.exercise != exercise_name:
            continue
        if hidden is not None and t.hidden != hidden:
            continue
        out.append(t)
    return out


# -- submissions --------------------------------------------------------------------------


class Submission:
    """What a test may do with a submission. Values come back in wire form (see ``ganlab.grading.wire``)."""

    def has(self, name: str) -> bool:
        raise NotImplementedError

    def call(self, name: str, *args, **kwargs):
        """Call the submission's top-level ``name``; unencodable results come back as :class:`Ref`."""
        raise NotImplementedError

    def new(self, name: str, *args, **kwargs) -> Ref:
        """Like :meth:`call` but always returns a reference (use for classes and objects)."""
        raise NotImplementedError

    def trusted(self, qualname: str, *args, keep: bool = True, **kwargs):
        """Build a trusted object in the submission's process, e.g. ``torch.optim.SGD``."""
        raise NotImplementedError

    def method(self, ref: Ref, attr: str, *args, keep: bool = False, **kwargs):
        """Call ``ref.attr(*args, **kwargs)``."""
        raise NotImplementedError

    def getattr(self, ref: Ref, attr: str, keep: bool = False):
        raise NotImplementedError

    def state(self, ref: Ref) -> dict:
        """Snapshot: parameters/grads/buffers/training flags of a module, groups of an optimizer, value/grad of a tensor."""
        raise NotImplementedError


def _roundtrip(value, store: "_LocalObjects"):
    """Turn a local result into exactly what a remote one would be (plain tensors, tuples, refs)."""
    tensors: dict = {}
    encoded = wire.encode(value, tensors, keep=store.keep)
    return wire.decode(encoded, tensors)


class _LocalObjects:
    def __init__(self):
        self.objects: dict[int, object] = {}

    def keep(self, obj) -> Ref:
        for k, v in self.objects.items():
            if v is obj:
                return Ref(k, type(obj).__name__)
        key = len(self.objects) + 1
        self.objects[key] = obj
        return Ref(key, type(obj).__name__)


class LocalSubmission(Submission):
    """A submission that is the caller's own namespace (a notebook's ``globals()``)."""

    def __init__(self, namespace: dict):
        self.ns = namespace
        self.store = _LocalObjects()

    def _resolve(self, value):
        if isinstance(value, Ref):
            return self.store.objects[value.id]
        if isinstance(value, Global):
            return self._lookup(value.name)
        if isinstance(value, Trusted):
            return _import_trusted(value.qualname)
        if isinstance(value, tuple):
            return tuple(self._resolve(v) for v in value)
        if isinstance(value, list):
            return [self._resolve(v) for v in value]
        if isinstance(value, dict):
            return {k: self._resolve(v) for k, v in value.items()}
        return copy.deepcopy(value)  # the callee gets its own copy, as it would over the wire

    def _lookup(self, name):
        if name not in self.ns:
            raise CheckFailure(f"`{name}` is not defined: run the cell that defines it first.")
        return self.ns[name]

    def _invoke(self, fn, label, args, kwargs, keep):
        args = self._resolve(tuple(args))
        kwargs = self._resolve(dict(kwargs))
        try:
            result = fn(*args, **kwargs)
        except CheckFailure:
            raise
        except BaseException as exc:  # noqa: BLE001 - report the student's error, never crash the check
            err = _local_error(exc)
            raise SubmissionError(describe_error(label, err), err["type"]) from None
        if keep:
            return self.store.keep(result)
        return _roundtrip(result, self.store)

    def has(self, name):
        return name in self.ns

    def call(self, name, *args, **kwargs):
        return self._invoke(self._lookup(name), name, args, kwargs, keep=False)

    def new(self, name, *args, **kwargs):
        return self._invoke(self._lookup(name), name, args, kwargs, keep=True)

    def trusted(self, qualname, *args, keep=True, **kwargs):
        return self._invoke(_import_trusted(qualname), qualname, args, kwargs, keep=keep)

    def method(self, ref, attr, *args, keep=False, **kwargs):
        obj = self.store.objects[ref.id]
        return self._invoke(getattr(obj, attr), f"{ref.type}.{attr}", args, kwargs, keep=keep)

    def getattr(self, ref, attr, keep=False):
        obj = self.store.objects[ref.id]
        try:
            value = getattr(obj, attr)
        except AttributeError as exc:
            raise SubmissionError(describe_error(f"{ref.type}.{attr}", _local_error(exc)), "AttributeError") from None
        return self.store.keep(value) if keep else _roundtrip(value, self.store)

    def state(self, ref):
        from ganlab.grading.worker import Worker

        # Reuse the worker's snapshot logic on a local object store so both paths agree.
        w = Worker.__new__(Worker)
        w.objects = self.store.objects
        header = {"obj": {"__ref__": ref.id}}
        value, tensors = w.op_state(header, {})
        return wire.decode(value, tensors)


def _import_trusted(qualname: str):
    from ganlab.grading.worker import import_trusted

    return import_trusted(qualname)


def _local_error(exc: BaseException) -> dict:
    import traceback

    frames = []
    for fs in traceback.extract_tb(exc.__traceback__)[1:]:
        frames.append({"cell": "", "line": fs.lineno, "function": fs.name, "code": (fs.line or "")[:200]})
    name = type(exc).__name__
    message = str(exc)
    if isinstance(exc, SystemExit):
        name, message = "SystemExit", f"the code called sys.exit({exc.code!r})"
    return {"type": name, "message": message, "frames": frames[-3:]}


def describe_error(label: str, err: dict) -> str:
    """One helpful sentence for an exception raised by the submission."""
    kind = err.get("type", "Exception")
    message = err.get("message", "")
    if kind == "NotImplementedError":
        return f"`{label}` is not implemented yet (it still raises NotImplementedError)."
    text = f"`{label}` raised {kind}: {message}".rstrip(": ")
    frames = [f for f in err.get("frames", []) if f.get("code")]
    if frames:
        f = frames[-1]
        where = f"cell {f['cell']}, " if f.get("cell") else ""
        text += f" (at {where}line {f['line']} in {f['function']}: `{f['code'].strip()}`)"
    return text


# -- expectations -------------------------------------------------------------------------


def fail(message: str, hint: str = ""):
    raise CheckFailure(message, hint)


def _expect_raised(attempt: Callable[[], object], kind: str, hint: str, what: str, otherwise: str) -> str:
    """Run ``attempt`` (one call into the submission), which must raise ``kind``; return the submission's
    message. Another error fails with ``hint``; so does no error (``what`` + ``otherwise``: "returned", "was
    built"). A stub's NotImplementedError propagates, so the runner reports it as not implemented yet."""
    try:
        attempt()
    except SubmissionError as exc:
        if exc.kind == kind:
            return str(exc)
        if exc.kind == "NotImplementedError":
            raise
        fail(f"{what} raised {exc.kind}, expected {kind}.", hint)
    fail(f"{what} {otherwise}; expected {kind}.", hint)


def expect_raises(sub: Submission, kind: str, hint: str, what: str, name: str, *args, **kwargs) -> str:
    """Calling the submission's ``name(*args, **kwargs)`` must raise ``kind`` (a function that checks its
    arguments); returns the submission's message. ``what`` names the call in the failure message."""
    return _expect_raised(lambda: sub.call(name, *args, **kwargs), kind, hint, what, "returned")


def expect_new_raises(sub: Submission, kind: str, hint: str, what: str, name: str, *args, **kwargs) -> str:
    """Building the submission's ``name(*args, **kwargs)`` must raise ``kind`` (a constructor that checks its
    arguments); returns the submission's message. ``what`` names the call in the failure message."""
    return _expect_raised(lambda: sub.new(name, *args, **kwargs), kind, hint, what, "was built")


def expect_method_raises(sub: Submission, ref: Ref, kind: str, hint: str, what: str, *args) -> str:
    """Calling the submission's module ``ref`` (its forward) on ``args`` must raise ``kind``; returns the
    submission's message."""
    return _expect_raised(lambda: sub.method(ref, "__call__", *args), kind, hint, what, "returned")


def expect_true(condition: bool, message: str, hint: str = "") -> None:
    if not condition:
        raise CheckFailure(message, hint)


#: Fallback hints (``run_tests``): every failure carries one, even when no known mistake matched.
HINT_VALUE = "the value differs from what the docstring asks for"
HINT_UNCHECKABLE = "the result has a type or structure the docstring does not promise"


def as_float_tensor(value, what: str, hint: str = ""):
    """Convert a returned number, tensor or array to a float64 CPU tensor, or fail with a clear message."""
    import numpy as np
    import torch

    if isinstance(value, bool) or value is None or isinstance(value, (str, Ref)):
        fail(f"{what} should be a number or tensor, got {_describe(value)}.", hint)
    if isinstance(value, (int, float)):
        return torch.tensor(float(value), dtype=torch.float64)
    if isinstance(value, np.ndarray):
        value = torch.from_numpy(value)
    if isinstance(value, torch.Tensor):
        if value.is_complex():
            fail(f"{what} is complex ({value.dtype}); it should be real.", hint)
        return value.detach().to(torch.float64)
    if isinstance(value, (tuple, list)) and len(value) > 0:
        try:
            return torch.tensor(value, dtype=torch.float64)
        except (TypeError, ValueError, RuntimeError):
            pass
        try:  # a sequence of tensors of one shape
            return torch.stack([as_float_tensor(v, what, hint) for v in value])
        except (CheckFailure, RuntimeError):
            pass
    fail(f"{what} should be a number or tensor, got {_describe(value)}.", hint)


def _describe(value) -> str:
    if isinstance(value, Ref):
        return f"an object of type {value.type}"
    if isinstance(value, tuple):
        return f"a tuple of length {len(value)}"
    if isinstance(value, list):
        return f"a list of length {len(value)}"
    return f"{type(value).__name__} {value!r}"[:120]


def _close(a, b, rtol, atol) -> bool:
    import torch

    if a.shape != b.shape:
        return False
    return bool(torch.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


def expect_close(actual, expected, what: str, rtol: float = 1e-6, atol: float = 1e-9,
                 diagnoses: Iterable[tuple[object, str]] = (), shape: bool = True, hint: str = "") -> None:
    """Fail unless ``actual`` matches ``expected`` (numbers, tensors or same-length sequences).

    ``diagnoses`` pairs a known wrong answer with a hint: if ``actual`` matches that wrong answer (also when
    its shape differs from the expected one), the hint is what the student reads. Otherwise ``hint``, when
    given, is added to the message and names the likely mistake (``run_tests`` gives hint-less failures a
    generic one). Diagnoses are matched with ``rtol`` at least 1e-6 and the caller's
    ``atol``, so values of size 1e-9 are still told apart.
    """
    import torch

    exp = as_float_tensor(expected, "expected value")
    act = as_float_tensor(actual, what)

    def diagnose(values):
        for wrong, wrong_hint in diagnoses:
            w = as_float_tensor(wrong, "diagnosis")
            if w.shape == values.shape and _close(values, w, max(rtol, 1e-6), atol):
                return wrong_hint
        return None

    def verdict(message, known):
        if known:
            fail(f"{message} {known}", known)
        fail(f"{message} {hint}" if hint else message, hint)

    if shape and act.shape != exp.shape:
        verdict(f"{what} has shape {tuple(act.shape)}, expected {tuple(exp.shape)}.", diagnose(act))
    act = act.reshape(exp.shape)
    if _close(act, exp, rtol, atol):
        return
    known = diagnose(act)
    if not known and not torch.isfinite(act).all() and torch.isfinite(exp).all():
        verdict(f"{what} contains NaN or infinity; expected finite values like {_short(exp)}.", None)
    verdict(f"{what} is {_short(act)}, expected {_short(exp)}.", known)


def _short(t) -> str:
    if t.numel() == 1:
        return f"{float(t):.6g}"
    flat = t.flatten()[:6].tolist()
    body = ", ".join(f"{v:.5g}" for v in flat)
    more = ", ..." if t.numel() > 6 else ""
    return f"[{body}{more}] (shape {tuple(t.shape)})" if t.dim() > 1 else f"[{body}{more}]"


# -- running -------------------------------------------------------------------------------


@dataclass
class TestResult:
    exercise: str
    name: str
    points: float
    earned: float
    passed: bool
    hidden: bool
    message: str = ""
    seconds: float = 0.0
    doc: str = ""
    hint: str = ""


def run_tests(sub: Submission, specs: Sequence[TestSpec], before_each: Callable | None = None) -> list[TestResult]:
    """Run ``specs`` against ``sub``: every outcome is explicit, nothing raises out."""
    results = []
    for spec in specs:
        start = time.perf_counter()
        if before_each is not None:
            before_each(spec)
        try:
            spec.func(sub)
        except CheckFailure as exc:
            results.append(TestResult(spec.exercise, spec.name, spec.points, 0.0, False, spec.hidden,
                                      str(exc), time.perf_counter() - start, spec.doc, exc.hint or HINT_VALUE))
            continue
        except Exception as exc:  # noqa: BLE001 - a broken value from the submission, e.g. wrong type
            results.append(TestResult(spec.exercise, spec.name, spec.points, 0.0, False, spec.hidden,
                                      f"could not check the result ({type(exc).__name__}: {exc})"[:500],
                                      time.perf_counter() - start, spec.doc, HINT_UNCHECKABLE))
            continue
        results.append(TestResult(spec.exercise, spec.name, spec.points, spec.points, True, spec.hidden,
                                  "", time.perf_counter() - start, spec.doc))
    return results

