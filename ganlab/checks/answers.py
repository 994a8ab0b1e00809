"""Graded questions: a notebook function returns a number that a derivation gives.

The public check of a question only says whether the answer is a well-formed number (this package ships to
students, so it must not hold the answers); the hidden test compares the number with the answer, to about 3
significant digits, and names a known wrong answer's mistake.
"""

from __future__ import annotations

import math

from ganlab.grading.testing import CheckFailure, expect_close, fail

HINT_ANSWER_NUMBER = "Return your answer as a plain number (a Python float or int), e.g. return 1.25."
HINT_ANSWER_POSITIVE = "The quantity asked for is positive."


def answer_number(sub, name: str, positive: bool = False) -> float:
    """``name()`` returns a finite real number (> 0 when ``positive``); returns it as a float."""
    value = sub.call(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        fail(f"{name}() returned {value!r} ({type(value).__name__}); expected a finite number. {HINT_ANSWER_NUMBER}",
             HINT_ANSWER_NUMBER)
    if positive and value <= 0:
        fail(f"{name}() returned {value}; the quantity asked for is > 0. {HINT_ANSWER_POSITIVE}", HINT_ANSWER_POSITIVE)
    return float(value)


def judge_answer(sub, name: str, expected: float, hint: str, diagnoses=(), positive: bool = False,
                 rtol: float = 2e-3) -> None:
    """The answer of ``name()`` within ``rtol`` of ``expected``; a known wrong answer gets its own hint, any other
    failure ``hint`` (which must not give the answer away)."""
    value = answer_number(sub, name, positive)
    try:
        expect_close(value, expected, f"{name}()", rtol=rtol, atol=1e-9, diagnoses=diagnoses)
    except CheckFailure as exc:
        if exc.hint:
            raise
        raise CheckFailure(f"{exc} {hint}", hint) from None
