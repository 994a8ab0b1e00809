"""Hidden tests for Lab 4 (conditional GANs). First version: the answers of the reasoning questions; the graders'
work on this lab adds the rest."""

from __future__ import annotations

import math

from ganlab.checks.lab4 import Q_BLIND, Q_VALUE
from ganlab.grading.testing import expect_close, fail, register


@register(Q_VALUE, points=1, hidden=True)
def optimal_value_answer(sub):
    """V(D*, G*) = -log 4."""
    answer = sub.call("answer_optimal_value")
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        fail("the answer is not a number", "Return a float.")
    expect_close(answer, -math.log(4), "V(D*, G*)", rtol=1e-3, atol=1e-3,
                 diagnoses=[(math.log(4), "The value is negative: two expectations of log(1/2).")],
                 hint="Put D* = 1/2 (p_g = p) into the value function: two expectations of log(1/2).")


@register(Q_BLIND, points=1, hidden=True)
def blind_discriminator_answer(sub):
    """The right letter."""
    if sub.call("answer_blind_discriminator") != "b":
        fail("not the right statement", "Write D*(x) for a discriminator of x alone: which densities does it involve?")
