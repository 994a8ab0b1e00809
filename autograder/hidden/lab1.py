"""Hidden tests for Lab 1: random inputs, closed forms and diagnoses of the common mistakes."""

from __future__ import annotations

import math

import torch

from ganlab.checks.lab1 import (
    ALTERNATING, AUTOGRAD, EXTRAGRADIENT, GROWTH, HINT_ALT_OLD_X, HINT_ASCENT, HINT_EG_FROM_MID,
    HINT_OGDA_COEF, HINT_OGDA_SWAPPED, HINT_SIM_AS_ALT, HINT_SWAPPED, HINT_WRONG_OPTIMIZER, INVARIANT, OPTIMISTIC,
    SIMULTANEOUS, TRAJECTORY, expect_step, make_players, read_players,
)
from ganlab.grading.testing import SubmissionError, Trusted, expect_close, expect_true, fail, register


def _points(seed, n=5):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, generator=g, dtype=torch.float64)
    y = torch.randn(n, generator=g, dtype=torch.float64)
    return x, y


# Reference formulas live here (hidden), used to compute expected values on random inputs.
def _sim(x, y, eta):
    return x - eta * y, y + eta * x


def _alt(x, y, eta):
    x1 = x - eta * y
    return x1, y + eta * x1


def _eg(x, y, eta):
    xh, yh = _sim(x, y, eta)
    return x - eta * yh, y + eta * xh


def _ogda(x, y, xp, yp, eta):
    return x - 2 * eta * y + eta * yp, y + 2 * eta * x - eta * xp


def _stack(pair):
    return torch.stack([torch.as_tensor(pair[0]), torch.as_tensor(pair[1])])


@register(SIMULTANEOUS, points=1, hidden=True)
def simultaneous_random_tensors(sub):
    """Elementwise on tensors of shape (5,), for several step sizes."""
    x, y = _points(1)
    for eta in (0.05, 0.7, 2.5):
        out = sub.call("simultaneous_gda_step", x, y, eta)
        expect_step(out, _stack(_sim(x, y, eta)), f"simultaneous_gda_step(x, y, {eta}) on tensors of shape (5,)",
                    [(_stack(_alt(x, y, eta)), HINT_SIM_AS_ALT), (_stack(_sim(x, y, -eta)), HINT_SWAPPED)])


@register(ALTERNATING, points=1, hidden=True)
def alternating_random_tensors(sub):
    """Elementwise on tensors of shape (5,), for several step sizes."""
    x, y = _points(2)
    for eta in (0.05, 0.7, 1.9):
        out = sub.call("alternating_gda_step", x, y, eta)
        expect_step(out, _stack(_alt(x, y, eta)), f"alternating_gda_step(x, y, {eta}) on tensors of shape (5,)",
                    [(_stack(_sim(x, y, eta)), HINT_ALT_OLD_X), (_stack(_alt(x, y, -eta)), HINT_SWAPPED)])


@register(EXTRAGRADIENT, points=1, hidden=True)
def extragradient_random_tensors(sub):
    """Elementwise on tensors; the norm shrinks by sqrt(1 - eta^2 + eta^4) per step."""
    x, y = _points(3)
    for eta in (0.1, 0.5, 1.2):
        out = sub.call("extragradient_step", x, y, eta)
        xh, yh = _sim(x, y, eta)
        wrong_mid = (xh - eta * yh, yh + eta * xh)
        expect_step(out, _stack(_eg(x, y, eta)), f"extragradient_step(x, y, {eta}) on tensors of shape (5,)",
                    [(_stack(wrong_mid), HINT_EG_FROM_MID), (_stack(_eg(x, y, -eta)), HINT_SWAPPED),
                     (_stack(_sim(x, y, eta)), "That is one simultaneous step: the extrapolation is missing.")])


@register(OPTIMISTIC, points=1, hidden=True)
def optimistic_random_tensors(sub):
    """Elementwise on tensors with a random previous point."""
    x, y = _points(4)
    xp, yp = _points(5)
    eta = 0.3
    out = sub.call("optimistic_gda_step", x, y, xp, yp, eta)
    wrong = [
        (_stack((x - 2 * eta * y + 2 * eta * yp, y + 2 * eta * x - 2 * eta * xp)), HINT_OGDA_COEF),
        (_stack((x - 2 * eta * yp + eta * y, y + 2 * eta * xp - eta * x)), HINT_OGDA_SWAPPED),
        (_stack(_ogda(x, y, xp, yp, -eta)), HINT_SWAPPED),
    ]
    expect_step(out, _stack(_ogda(x, y, xp, yp, eta)), "optimistic_gda_step(x, y, x_prev, y_prev, 0.3)", wrong)


@register(TRAJECTORY, points=1, hidden=True)
def trajectory_passes_history(sub):
    """With uses_history=True the runner passes the true previous point (the start at t = 0)."""
    out = sub.call("run_trajectory", Trusted("ganlab.grading.standins.history_probe_step"), 2.0, 1.0, 1.0, 4,
                   uses_history=True)
    rows = [(2.0, 1.0)]
    prev = (2.0, 1.0)
    for _ in range(4):
        cur = rows[-1]
        rows.append((cur[0] + 1.0, prev[0] + 10 * prev[1]))
        prev = cur
    if not isinstance(out, torch.Tensor):
        fail(f"run_trajectory should return a tensor, got {type(out).__name__}.")
    # What a runner that passes the current point as the 'previous' one produces:
    wrong = [(2.0, 1.0)]
    for _ in range(4):
        cur = wrong[-1]
        wrong.append((cur[0] + 1.0, cur[0] + 10 * cur[1]))
    expect_close(out, rows, "run_trajectory(history_probe_step, 2, 1, 1, 4, uses_history=True)",
                 diagnoses=[(wrong, "The step received the current point as the previous one: keep the "
                                    "point from one step earlier (the start itself at t = 0).")])


@register(TRAJECTORY, points=1, hidden=True)
def trajectory_zero_steps_and_dtype(sub):
    """num_steps = 0 gives just the start, shape (1, 2), float64."""
    out = sub.call("run_trajectory", Trusted("ganlab.grading.standins.shift_step"), 3.0, -1.0, 0.5, 0)
    if not isinstance(out, torch.Tensor):
        fail(f"run_trajectory should return a tensor, got {type(out).__name__}.")
    expect_true(out.dtype == torch.float64, f"run_trajectory should return float64, got {out.dtype}.")
    expect_close(out, [[3.0, -1.0]], "run_trajectory(shift_step, 3, -1, 0.5, 0)")


@register(GROWTH, points=1, hidden=True)
def growth_factors_closed_forms(sub):
    """sqrt(1 + eta^2) and sqrt(1 - eta^2 + eta^4) over a range of eta; unknown methods raise ValueError."""
    for eta in (0.01, 0.3, 0.9, 1.5, 3.0):
        sim = sub.call("norm_growth_factor", "simultaneous", eta)
        expect_close(sim, math.sqrt(1 + eta**2), f"norm_growth_factor('simultaneous', {eta})",
                     diagnoses=[(1 + eta**2, "That is the growth of the squared norm; take the square root.")])
        eg = sub.call("norm_growth_factor", "extragradient", eta)
        expect_close(eg, math.sqrt(1 - eta**2 + eta**4), f"norm_growth_factor('extragradient', {eta})",
                     diagnoses=[(1 - eta**2 + eta**4, "That is the squared factor; take the square root."),
                                (math.sqrt(1 + eta**2 + eta**4), "Check the sign of the eta^2 term.")])
    try:
        sub.call("norm_growth_factor", "adam", 0.1)
    except SubmissionError as exc:
        expect_true(exc.kind == "ValueError",
                    f"an unknown method should raise ValueError, it raised {exc.kind}.")
        return
    fail("norm_growth_factor('adam', 0.1) should raise ValueError for an unknown method.")


@register(INVARIANT, points=1, hidden=True)
def invariant_random_points(sub):
    """x^2 + y^2 - eta*x*y on random tensors."""
    x, y = _points(6)
    out = sub.call("alternating_invariant", x, y, 0.8)
    expect_close(out, x**2 + y**2 - 0.8 * x * y, "alternating_invariant(x, y, 0.8) on tensors of shape (5,)",
                 diagnoses=[(x**2 + y**2 + 0.8 * x * y, "Check the sign of the cross term: it is - eta * x * y.")])


def _simulate(x, y, lr_x, lr_y, steps, alternating, accumulate=False, old_x=False, x_twice=False):
    """What an SGD player pair ends at; the flags reproduce common bugs."""
    gx = gy = 0.0
    for _ in range(steps):
        gx = (gx if accumulate else 0.0) + y
        x_new = x - lr_x * gx
        if x_twice:  # opt_x.step() called where opt_y.step() was meant
            x, y = x_new - lr_x * gx, y
            continue
        x_for_y = x_new if (alternating and not old_x) else x
        gy = (gy if accumulate else 0.0) + x_for_y
        x, y = x_new, y + lr_y * gy
    return [x, y]


@register(AUTOGRAD, points=1, hidden=True)
def autograd_alternating_twice(sub):
    """Two alternating steps (lr 0.2 / 0.05): y reads the new x, and gradients never accumulate."""
    x, y, opt_x, opt_y = make_players(sub, 0.5, -1.5, 0.2, 0.05)
    value = sub.call("autograd_gda_step", x, y, opt_x, opt_y, alternating=True)
    expect_close(value, 0.5 * -1.5, "the value returned by autograd_gda_step (V at the start of the step)")
    sub.call("autograd_gda_step", x, y, opt_x, opt_y, alternating=True)
    expect_close(read_players(sub, x, y), _simulate(0.5, -1.5, 0.2, 0.05, 2, True),
                 "(x, y) after two alternating autograd steps",
                 diagnoses=[(_simulate(0.5, -1.5, 0.2, 0.05, 2, True, accumulate=True),
                             "Gradients accumulate across steps: call zero_grad() on each optimizer before "
                             "backward()."),
                            (_simulate(0.5, -1.5, 0.2, 0.05, 2, True, old_x=True),
                             "y's gradient was taken at the old x: in alternating mode recompute V after "
                             "opt_x.step()."),
                            (_simulate(0.5, -1.5, 0.05, 0.2, 2, True), HINT_WRONG_OPTIMIZER),
                            (_simulate(0.5, -1.5, 0.2, 0.05, 2, True, x_twice=True), HINT_WRONG_OPTIMIZER)])
    check_grad_hygiene(sub, x, y)


def check_grad_hygiene(sub, x, y):
    for name, t in (("x", x), ("y", y)):
        grad = sub.state(t)["grad"]
        if grad is not None and not torch.isfinite(grad).all():
            fail(f"{name}.grad is not finite after the step.")


@register(AUTOGRAD, points=1, hidden=True)
def autograd_simultaneous_matches_closed_form(sub):
    """Ten simultaneous steps with equal learning rates follow x - eta*y, y + eta*x exactly."""
    x, y, opt_x, opt_y = make_players(sub, 0.3, 0.4, 0.25, 0.25)
    for _ in range(10):
        sub.call("autograd_gda_step", x, y, opt_x, opt_y, alternating=False)
    xv, yv = 0.3, 0.4
    for _ in range(10):
        xv, yv = _sim(xv, yv, 0.25)
    xd, yd = 0.3, 0.4
    for _ in range(10):
        xd, yd = xd + 0.25 * yd, yd - 0.25 * xd
    expect_close(read_players(sub, x, y), [xv, yv], "(x, y) after ten simultaneous autograd steps",
                 rtol=1e-9, diagnoses=[([xd, yd], HINT_ASCENT)])


@register(AUTOGRAD, points=1, hidden=True)
def autograd_ignores_stale_gradients(sub):
    """A step must not depend on gradients left in .grad by earlier backward passes."""
    for alternating in (False, True):
        clean = make_players(sub, 0.7, -0.4, 0.1, 0.2)
        sub.call("autograd_gda_step", *clean, alternating=alternating)
        stale = make_players(sub, 0.7, -0.4, 0.1, 0.2)
        sub.trusted("ganlab.grading.standins.set_grad", stale[0], 5.0, keep=False)
        sub.trusted("ganlab.grading.standins.set_grad", stale[1], -3.0, keep=False)
        sub.call("autograd_gda_step", *stale, alternating=alternating)
        got_clean = read_players(sub, *clean[:2])
        got_stale = read_players(sub, *stale[:2])
        expected = _simulate(0.7, -0.4, 0.1, 0.2, 1, alternating)
        expect_close(got_clean, expected, f"(x, y) after one step (alternating={alternating})")
        expect_close(got_stale, expected,
                     f"(x, y) after one step that started with stale gradients in .grad (alternating={alternating})",
                     diagnoses=[(got_stale, "Gradients accumulate in .grad: call zero_grad() on each optimizer "
                                            "before each backward() (stale gradients changed your step).")])
