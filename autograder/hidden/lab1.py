"""Hidden tests for Lab 1: random inputs, every input form the docstrings allow, closed forms, other optimizers,
and diagnoses of the common mistakes.

Every failure carries a hint that names the likely mistake; the tests' inputs stay here (students see a test's
first docstring line and its hint only).
"""

from __future__ import annotations

import math

import torch

from ganlab.checks.lab1 import (
    ALTERNATING, AUTOGRAD, EXTRAGRADIENT, GROWTH, HINT_ALT_OLD_X, HINT_ALT_Y_FIRST, HINT_ASCENT,
    HINT_AUTOGRAD_ALT_OLD_X, HINT_AUTOGRAD_BY_HAND, HINT_AUTOGRAD_FROZEN, HINT_AUTOGRAD_MEAN,
    HINT_AUTOGRAD_SIM_READS_NEW, HINT_AUTOGRAD_Y_LOSS_REACHES_X, HINT_TRAJ_FLOAT32,
    HINT_AUTOGRAD_VALUE, HINT_AUTOGRAD_Y_FIRST, HINT_EG_ALT_EXTRAPOLATION, HINT_EG_FROM_MID, HINT_EG_HALF_ONLY,
    HINT_EG_NO_EXTRAPOLATION, HINT_GROWTH_EG, HINT_GROWTH_EG_SIGN, HINT_INV_EACH, HINT_GROWTH_PRECEDENCE,
    HINT_GROWTH_SQUARED, HINT_INV_DOUBLE,
    HINT_INV_HALF, HINT_INV_MISSING, HINT_INV_SIGN, HINT_OGDA_COEF, HINT_OGDA_HISTORY_SIGN, HINT_OGDA_IGNORED,
    HINT_OGDA_OWN_HISTORY, HINT_OGDA_SWAPPED, HINT_SIM_AS_ALT, HINT_SWAPPED, HINT_TRAJ_CURRENT,
    HINT_TRAJ_ZERO_START, HINT_WRONG_OPTIMIZER, INVARIANT, OPTIMISTIC, QUESTION_FASTEST, QUESTION_Y_FIRST,
    SIMULTANEOUS, TRAJECTORY, check_trajectory,
    expect_float, expect_like, expect_returned_value, expect_step, expect_unchanged, expect_value,
    expect_value_error, fail_hint, make_players, read_players,
)
from ganlab.checks.answers import judge_answer
from ganlab.grading.testing import Trusted, register

F64 = torch.float64


def _points(seed, shape=(5,), n=2):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(shape, generator=g, dtype=F64) for _ in range(n)]


# Reference formulas live here (hidden), used to compute expected values on random inputs.
def _sim(x, y, eta):
    return x - eta * y, y + eta * x


def _alt(x, y, eta):
    x1 = x - eta * y
    return x1, y + eta * x1


def _alt_y_first(x, y, eta):
    y1 = y + eta * x
    return x - eta * y1, y1


def _eg(x, y, eta):
    xh, yh = _sim(x, y, eta)
    return x - eta * yh, y + eta * xh


def _eg_from_mid(x, y, eta):
    xh, yh = _sim(x, y, eta)
    return xh - eta * yh, yh + eta * xh


def _eg_alt_extrapolation(x, y, eta):
    xh, yh = _alt(x, y, eta)
    return x - eta * yh, y + eta * xh


def _ogda(x, y, xp, yp, eta):
    return x - 2 * eta * y + eta * yp, y + 2 * eta * x - eta * xp


def _stack(pair):
    return torch.stack([torch.as_tensor(pair[0], dtype=F64), torch.as_tensor(pair[1], dtype=F64)])


# Known mistakes per step function: f(inputs, eta) -> [(wrong value, hint)].
def _sim_mistakes(x, y, eta):
    return [(_stack(_alt(x, y, eta)), HINT_SIM_AS_ALT), (_stack(_alt_y_first(x, y, eta)), HINT_SIM_AS_ALT),
            (_stack(_sim(x, y, -eta)), HINT_SWAPPED)]


def _alt_mistakes(x, y, eta):
    return [(_stack(_sim(x, y, eta)), HINT_ALT_OLD_X), (_stack(_alt_y_first(x, y, eta)), HINT_ALT_Y_FIRST),
            (_stack(_alt(x, y, -eta)), HINT_SWAPPED)]


def _eg_mistakes(x, y, eta):
    return [(_stack(_eg_from_mid(x, y, eta)), HINT_EG_FROM_MID), (_stack(_sim(x, y, eta)), HINT_EG_HALF_ONLY),
            (_stack(_eg_alt_extrapolation(x, y, eta)), HINT_EG_ALT_EXTRAPOLATION),
            (_stack(_eg(x, y, -eta)), HINT_SWAPPED)]


def _ogda_mistakes(x, y, xp, yp, eta):
    return [
        (_stack((x - 2 * eta * y + 2 * eta * yp, y + 2 * eta * x - 2 * eta * xp)), HINT_OGDA_COEF),
        (_stack((x - eta * y, y + eta * x)), HINT_OGDA_IGNORED),
        (_stack((x - 2 * eta * yp + eta * y, y + 2 * eta * xp - eta * x)), HINT_OGDA_SWAPPED),
        (_stack((x - 2 * eta * y + eta * xp, y + 2 * eta * x - eta * yp)), HINT_OGDA_OWN_HISTORY),
        (_stack((x - 2 * eta * y - eta * yp, y + 2 * eta * x + eta * xp)), HINT_OGDA_HISTORY_SIGN),
        (_stack(_ogda(x, y, xp, yp, -eta)), HINT_SWAPPED),
    ]


STEPS = {
    # name: (number of point arguments, formula, mistakes, what a correct step does)
    "simultaneous_gda_step": (2, _sim, _sim_mistakes, "Both players read the old point: x - eta*y, y + eta*x."),
    "alternating_gda_step": (2, _alt, _alt_mistakes, "x moves first (x - eta*y), then y moves with the new x."),
    "extragradient_step": (2, _eg, _eg_mistakes, "Trial step = simultaneous step; then x - eta*y_half and "
                                                 "y + eta*x_half from the original point."),
    "optimistic_gda_step": (4, _ogda, _ogda_mistakes, "x - 2*eta*y + eta*y_prev, y + 2*eta*x - eta*x_prev."),
}


def _random_values(name, seed, etas):
    """Elementwise on random float64 tensors of shape (5,) for several step sizes, with diagnoses."""
    def test(sub):
        n, formula, mistakes, hint = STEPS[name]
        args = _points(seed, n=n)
        for eta in etas:
            out = sub.call(name, *args, eta)
            expect_step(out, _stack(formula(*args, eta)), f"{name}(..., {eta}) on tensors of shape (5,)",
                        mistakes(*args, eta), hint)
    return test


def _contract(name, seed):
    """Floats give floats; 0-d, (1,), 2-D and float32 tensors keep their shape and dtype; inputs stay unchanged."""
    def test(sub):
        n, formula, mistakes, hint = STEPS[name]
        g = torch.Generator().manual_seed(seed)
        eta = 0.35
        floats = [round(float(v), 6) for v in torch.randn(n, generator=g, dtype=F64)]
        out = sub.call(name, *floats, eta)
        args64 = [torch.tensor(v, dtype=F64) for v in floats]
        expect_step(out, _stack(formula(*args64, eta)), f"{name} on float inputs", mistakes(*args64, eta), hint,
                    like=floats[0])
        for shape, dtype in (((), F64), ((1,), F64), ((2, 3), F64), ((4,), torch.float32)):
            args = [torch.randn(shape, generator=g, dtype=F64).to(dtype) for _ in range(n)]
            refs = [sub.trusted("torch.clone", a) for a in args]
            call = f"{name} on {str(dtype).replace('torch.', '')} tensors of shape {shape}"
            out = sub.call(name, *refs, eta)
            args64 = [a.to(F64) for a in args]
            expect_step(out, _stack(formula(*args64, eta)), call, mistakes(*args64, eta), hint, like=args[0])
            expect_unchanged(sub, refs, args, call)
    return test


for _name, _ex, _seeds, _etas in (("simultaneous_gda_step", SIMULTANEOUS, (1, 11), (0.05, 0.7, 2.5)),
                                  ("alternating_gda_step", ALTERNATING, (2, 12), (0.05, 0.7, 1.9)),
                                  ("extragradient_step", EXTRAGRADIENT, (3, 13), (0.1, 0.5, 1.2)),
                                  ("optimistic_gda_step", OPTIMISTIC, (4, 14), (0.03, 0.3, 0.9))):
    _short = _name.split("_")[0]
    _values = _random_values(_name, _seeds[0], _etas)
    _values.__name__ = f"{_short}_random_tensors"
    _values.__doc__ = "Elementwise on random tensors, for several step sizes."
    register(_ex, points=1, hidden=True)(_values)
    _shapes = _contract(_name, _seeds[1])
    _shapes.__name__ = f"{_short}_types_shapes_and_inputs"
    _shapes.__doc__ = ("Floats give floats; 0-d, (1,), 2-D and float32 tensors keep their shape and dtype; "
                       "the inputs are not modified.")
    register(_ex, points=1, hidden=True)(_shapes)


# -- trajectory runner ------------------------------------------------------------------------------------

def _probe_rows(x0, y0, eta, steps, previous="true"):
    """What ``history_probe_step`` produces when the runner passes a given kind of previous point."""
    rows = [(x0, y0)]
    prev = (x0, y0) if previous != "zero" else (0.0, 0.0)
    for _ in range(steps):
        cur = rows[-1]
        if previous == "current":
            prev = cur
        rows.append((cur[0] + eta, prev[0] + 10 * prev[1]))
        prev = cur
    return rows


@register(TRAJECTORY, points=1, hidden=True)
def trajectory_passes_history(sub):
    """With uses_history=True the runner passes the true previous point (the start at t = 0)."""
    out = sub.call("run_trajectory", Trusted("ganlab.grading.standins.history_probe_step"), 1.5, -0.25, 0.7, 4,
                   uses_history=True)
    check_trajectory(out, _probe_rows(1.5, -0.25, 0.7, 4), "run_trajectory(history_probe_step, ..., "
                     "uses_history=True)",
                     [(_probe_rows(1.5, -0.25, 0.7, 4, "current"), HINT_TRAJ_CURRENT),
                      (_probe_rows(1.5, -0.25, 0.7, 4, "zero"), HINT_TRAJ_ZERO_START)],
                     "With uses_history=True call step(x, y, x_prev, y_prev, eta) in that order, the previous "
                     "point being the point one step earlier.")


@register(TRAJECTORY, points=1, hidden=True)
def trajectory_zero_and_one_step(sub):
    """num_steps = 0 gives just the start, num_steps = 1 two rows, in both modes, float64."""
    for uses_history, step in ((False, "shift_step"), (True, "history_probe_step")):
        for steps in (0, 1):
            out = sub.call("run_trajectory", Trusted(f"ganlab.grading.standins.{step}"), 3.0, -1.0, 0.5, steps,
                           uses_history=uses_history)
            rows = [[3.0, -1.0]] + ([[3.5, -2.0 if step == "shift_step" else -7.0]] if steps else [])
            wrong = [([[3.0, -1.0], [3.5, 0.0]], HINT_TRAJ_ZERO_START)] if (steps and uses_history) else []
            check_trajectory(out, rows, f"run_trajectory({step}, ..., num_steps={steps}, "
                                        f"uses_history={uses_history})", wrong,
                             hint="Row 0 is the start, then one row per step (num_steps = 0 gives just the start); "
                                  "with uses_history=True the previous point at t = 0 is the start itself.")


@register(TRAJECTORY, points=1, hidden=True)
def trajectory_keeps_float64_precision(sub):
    """Values that float32 cannot hold come back exactly: the table is float64 all the way."""
    x0, y0, eta = 0.1, 1.0 / 3.0, 0.1
    rows, x, y = [[x0, y0]], x0, y0
    for _ in range(6):
        x, y = x + eta, 2 * y
        rows.append([x, y])
    out = sub.call("run_trajectory", Trusted("ganlab.grading.standins.shift_step"), x0, y0, eta, 6)
    as32 = torch.tensor(rows, dtype=torch.float32).to(F64)
    check_trajectory(out, rows, "run_trajectory(shift_step, ...) on values that need float64",
                     [(as32, HINT_TRAJ_FLOAT32)],
                     "Keep the points in float64 all the way (no float32 intermediate table).",
                     rtol=1e-13, atol=1e-15)


# -- closed-form factors ---------------------------------------------------------------------------------

@register(GROWTH, points=1, hidden=True)
def growth_factors_closed_forms(sub):
    """The exact factors of simultaneous GDA and extragradient as Python floats, from tiny to large step sizes."""
    for eta in (1e-6, 0.01, 0.3, 0.9, 1.5, 3.0, 50.0):
        sim = sub.call("norm_growth_factor", "simultaneous", eta)
        expect_value(sim, math.sqrt(1 + eta**2), f"norm_growth_factor('simultaneous', {eta})",
                     "The simultaneous factor is sqrt(1 + eta^2).",
                     [(1 + eta**2, HINT_GROWTH_SQUARED), ((1 + eta**2) / 2, HINT_GROWTH_PRECEDENCE)],
                     rtol=1e-6, atol=1e-12)
        eg = sub.call("norm_growth_factor", "extragradient", eta)
        expect_value(eg, math.sqrt(1 - eta**2 + eta**4), f"norm_growth_factor('extragradient', {eta})",
                     HINT_GROWTH_EG,
                     [(1 - eta**2 + eta**4, HINT_GROWTH_SQUARED), ((1 - eta**2 + eta**4) / 2, HINT_GROWTH_PRECEDENCE),
                      (math.sqrt(1 + eta**2 + eta**4), HINT_GROWTH_EG_SIGN)],
                     rtol=1e-6, atol=1e-12)
        expect_float(sim, f"norm_growth_factor('simultaneous', {eta})")
        expect_float(eg, f"norm_growth_factor('extragradient', {eta})")


@register(GROWTH, points=1, hidden=True)
def growth_other_methods_raise(sub):
    """Every other method name raises ValueError, the lab's other methods included."""
    for method in ("optimistic", "adam", "extra-gradient"):
        expect_value_error(sub, method, 0.2)


HINT_INV_CONSERVED = ("E must be conserved by alternating GDA with the same eta: E(x, y) = x^2 + y^2 + c*x*y "
                      "with the c for which E(x', y') = E(x, y) after one alternating step (derive it from the ansatz).")


# -- invariant --------------------------------------------------------------------------------------------

def _inv(x, y, eta):
    return x**2 + y**2 - eta * x * y


def _inv_mistakes(x, y, eta):
    return [(x**2 + y**2 + eta * x * y, HINT_INV_SIGN), (x**2 + y**2, HINT_INV_MISSING),
            (x**2 + y**2 - eta / 2 * x * y, HINT_INV_HALF), (x**2 + y**2 - 2 * eta * x * y, HINT_INV_DOUBLE)]


@register(INVARIANT, points=1, hidden=True)
def invariant_random_points(sub):
    """The conserved form elementwise on random tensors, and constant along alternating steps."""
    x, y = _points(6)
    out = sub.call("alternating_invariant", x, y, 0.8)
    expect_value(out, _inv(x, y, 0.8), "alternating_invariant(x, y, 0.8) on tensors of shape (5,)",
                 HINT_INV_EACH, _inv_mistakes(x, y, 0.8))
    # Along a trusted alternating trajectory the submission's E must not move.
    points = [(x, y)]
    for _ in range(3):
        points.append(_alt(*points[-1], 1.3))
    values = [sub.call("alternating_invariant", px, py, 1.3) for px, py in points]
    for v in values[1:]:
        expect_value(v, values[0], "alternating_invariant along alternating GDA steps",
                     HINT_INV_CONSERVED)


@register(INVARIANT, points=1, hidden=True)
def invariant_types_shapes_and_inputs(sub):
    """Floats give a float; 0-d, (1,), 2-D and float32 tensors keep their shape and dtype; inputs unchanged."""
    g = torch.Generator().manual_seed(16)
    x, y = (round(float(v), 6) for v in torch.randn(2, generator=g, dtype=F64))
    out = sub.call("alternating_invariant", x, y, 0.6)
    x64, y64 = torch.tensor(x, dtype=F64), torch.tensor(y, dtype=F64)
    expect_value(out, _inv(x64, y64, 0.6), "alternating_invariant on floats", HINT_INV_CONSERVED,
                 _inv_mistakes(x64, y64, 0.6))
    expect_like(out, x, "alternating_invariant on floats")
    for shape, dtype in (((), F64), ((1,), F64), ((2, 3), F64), ((4,), torch.float32)):
        args = [torch.randn(shape, generator=g, dtype=F64).to(dtype) for _ in range(2)]
        refs = [sub.trusted("torch.clone", a) for a in args]
        call = f"alternating_invariant on {str(dtype).replace('torch.', '')} tensors of shape {shape}"
        out = sub.call("alternating_invariant", *refs, 0.6)
        a64 = [a.to(F64) for a in args]
        loose = dtype == torch.float32
        expect_value(out, _inv(*a64, 0.6), call, HINT_INV_EACH, _inv_mistakes(*a64, 0.6),
                     rtol=1e-5 if loose else 1e-6, atol=1e-6 if loose else 1e-9)
        expect_like(out, args[0], call)
        expect_unchanged(sub, refs, args, call)


# -- autograd ------------------------------------------------------------------------------------------------

OPTIMIZERS = {
    "sgd": ("torch.optim.SGD", {}),
    "momentum": ("torch.optim.SGD", {"momentum": 0.9}),
    "adam": ("torch.optim.Adam", {}),
}


class _Optimizer:
    """PyTorch's SGD (with momentum) and Adam update rules, written out.

    The grader process never imports torch.optim's step machinery (its first step costs seconds); these rules
    match PyTorch's to rounding (SGD: buf = momentum*buf + grad, p -= lr*buf; Adam with its default betas and
    eps and bias correction).
    """

    def __init__(self, p, kind, lr):
        self.p, self.kind, self.lr = p, kind, lr
        self.buf = self.m = self.v = None
        self.t = 0

    def step(self):
        g = self.p.grad
        if self.kind == "sgd":
            update = self.lr * g
        elif self.kind == "momentum":
            self.buf = g.clone() if self.buf is None else 0.9 * self.buf + g
            update = self.lr * self.buf
        else:
            b1, b2, eps = 0.9, 0.999, 1e-8
            self.t += 1
            self.m = (1 - b1) * g if self.m is None else b1 * self.m + (1 - b1) * g
            self.v = (1 - b2) * g * g if self.v is None else b2 * self.v + (1 - b2) * g * g
            denom = (self.v.sqrt() / math.sqrt(1 - b2**self.t)) + eps
            update = (self.lr / (1 - b1**self.t)) * self.m / denom
        self.p.data = self.p.data - update


def _play(x0, y0, kind, lr_x, lr_y, steps, alternating, bug=None):
    """Where a pair of players ends after ``steps`` calls; ``bug`` reproduces a known mistake.

    Returns the final (x, y) stacked and the values V at the start of each step.
    """
    x = torch.tensor(x0, dtype=F64)
    y = torch.tensor(y0, dtype=F64)
    x.grad = y.grad = None
    opt_x, opt_y = _Optimizer(x, kind, lr_x), _Optimizer(y, kind, lr_y)
    n = x.numel()
    scale = 1.0 / n if bug == "mean" else 1.0
    values = []

    def give(p, g):  # the gradient a step leaves in p.grad
        p.grad = p.grad + g if (bug == "no_zero" and p.grad is not None) else g.clone()

    def step_y(x_seen):
        g = (1.0 if bug == "descend" else -1.0) * scale * x_seen
        if bug == "by_hand":
            y.data = y.data - lr_y * g
        elif bug == "x_twice":  # opt_x.step() where opt_y.step() was meant: x moves again, y never
            opt_x.step()
        else:
            give(y, g)
            opt_y.step()

    for _ in range(steps):
        x_old, y_old = x.clone(), y.clone()
        values.append(float((x_old * y_old).sum() * scale))
        if alternating and bug == "y_first":
            step_y(x_old)
            give(x, scale * y.clone())
            opt_x.step()
            continue
        give(x, scale * y_old)
        if alternating:
            opt_x.step()
            step_y(x_old if bug == "old_x" else x.clone())
        else:
            step_y(x.clone() if bug == "reads_new" else x_old)
            opt_x.step()
    return torch.stack([x.clone(), y.clone()]), values


AUTOGRAD_BUGS = {
    "descend": HINT_ASCENT, "no_zero": "Gradients accumulate across steps: call zero_grad() on each optimizer "
                                       "before backward().",
    "by_hand": HINT_AUTOGRAD_BY_HAND, "x_twice": HINT_WRONG_OPTIMIZER, "old_x": HINT_AUTOGRAD_ALT_OLD_X,
    "y_first": HINT_AUTOGRAD_Y_FIRST,
    "reads_new": HINT_AUTOGRAD_SIM_READS_NEW,
    "mean": HINT_AUTOGRAD_MEAN,
}


def _autograd_mistakes(x0, y0, kind, lr_x, lr_y, steps, alternating):
    """The known mistakes' end points, keeping only those that a test can tell apart.

    With Adam some mistakes land very close to the right answer or to each other (its update is nearly
    scale-free); a diagnosis that close would name a mistake that may not have happened, so it is left out.
    """
    expected = _play(x0, y0, kind, lr_x, lr_y, steps, alternating)[0]
    candidates = []
    for bug, hint in AUTOGRAD_BUGS.items():
        if bug in ("old_x", "y_first") and not alternating or bug == "reads_new" and alternating:
            continue
        candidates.append((_play(x0, y0, kind, lr_x, lr_y, steps, alternating, bug)[0], hint))
    candidates.append((torch.stack([torch.as_tensor(x0, dtype=F64), torch.as_tensor(y0, dtype=F64)]),
                       HINT_AUTOGRAD_FROZEN))

    def apart(a, b):
        return float((a - b).abs().max()) > 1e-4 * max(1.0, float(b.abs().max()))

    return [(w, h) for i, (w, h) in enumerate(candidates)
            if apart(w, expected) and all(apart(w, other) for j, (other, _) in enumerate(candidates) if j != i)]


def _run_players(sub, x0, y0, kind, lr_x, lr_y, steps, alternating, what, pass_flag=True, rtol=1e-9):
    qualname, hyper = OPTIMIZERS[kind]
    x, y, opt_x, opt_y = make_players(sub, x0, y0, lr_x, lr_y, qualname, **hyper)
    kwargs = {"alternating": alternating} if pass_flag else {}
    values = [sub.call("autograd_gda_step", x, y, opt_x, opt_y, **kwargs) for _ in range(steps)]
    expected, expected_values = _play(x0, y0, kind, lr_x, lr_y, steps, alternating)
    mistakes = _autograd_mistakes(x0, y0, kind, lr_x, lr_y, steps, alternating)
    if not pass_flag:  # called without the flag: a default of True gives the alternating run
        mistakes.insert(0, (_play(x0, y0, kind, lr_x, lr_y, steps, True)[0],
                            "Called without `alternating`, the step alternated: the default is alternating=False "
                            "(simultaneous)."))
    expect_value(read_players(sub, x, y), expected, what,
                 "Zero both gradients, take x's gradient of V and y's gradient of -V (both sums over the entries; "
                 "at the old point, or at the new x when alternating), and let opt_x and opt_y apply the update.",
                 mistakes, rtol=rtol)
    return x, y, values, expected_values


@register(AUTOGRAD, points=1, hidden=True)
def autograd_alternating_twice(sub):
    """Two alternating SGD steps: y reads the new x, and gradients never accumulate."""
    x, y, values, expected = _run_players(sub, 0.5, -1.5, "sgd", 0.2, 0.05, 2, True,
                                          "(x, y) after two alternating autograd steps")
    expect_returned_value(values[0], expected[0], "the value returned by autograd_gda_step (V at the start)")


@register(AUTOGRAD, points=1, hidden=True)
def autograd_simultaneous_matches_closed_form(sub):
    """Ten simultaneous steps with equal learning rates follow x - eta*y, y + eta*x exactly."""
    _run_players(sub, 0.3, 0.4, "sgd", 0.25, 0.25, 10, False, "(x, y) after ten simultaneous autograd steps")


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
        # Judged against the submission's own clean step: only stale gradients can make the two differ.
        if not torch.equal(read_players(sub, *clean[:2]), read_players(sub, *stale[:2])):
            hint = ("Gradients accumulate in .grad: call zero_grad() on each optimizer before each backward() "
                    "(stale gradients changed your step).")
            fail_hint(f"With gradients left in .grad from earlier work, one step (alternating={alternating}) moved the "
                      f"players differently from the same step on clean players (expected no difference). {hint}", hint)


@register(AUTOGRAD, points=1, hidden=True)
def autograd_with_adam(sub):
    """Adam for both players, vector players, both modes: each optimizer applies its own player's update."""
    x0, y0 = [0.5, -1.0, 2.0], [-1.5, 0.25, 0.75]
    for alternating in (False, True):
        # Adam's update hardly depends on the gradient's scale: this test is about who applies the update.
        _run_players(sub, x0, y0, "adam", 0.05, 0.1, 3, alternating,
                     f"(x, y) after three Adam steps (alternating={alternating})", rtol=1e-7)


@register(AUTOGRAD, points=1, hidden=True)
def autograd_contract(sub):
    """Momentum, vector and one-element players, the default mode, the returned value, grad mode and leaves."""
    x0, y0 = [0.5, -1.0, 2.0], [-1.5, 0.25, 0.75]
    # The default is alternating=False: call without the flag.
    x, y, values, expected = _run_players(sub, x0, y0, "momentum", 0.1, 0.15, 3, False,
                                          "(x, y) after three momentum steps with the default mode", pass_flag=False)
    for i, (v, e) in enumerate(zip(values, expected)):
        expect_returned_value(v, e, f"the value returned by step {i + 1} (V = sum(x * y) at its start)",
                              [(e / 3, "That is the mean of x * y; V is the sum over the entries.")])
    for name, ref in (("x", x), ("y", y)):
        if not (sub.getattr(ref, "is_leaf") and sub.getattr(ref, "requires_grad")):
            fail_hint(f"after autograd_gda_step, {name} is no longer a leaf tensor that requires grad (expected the "
                      "same leaf, updated by its optimizer).",
                      "Update the players only through opt_x.step() / opt_y.step(), never by rebinding or replacing "
                      "x.data / y.data.")
    if not sub.trusted("torch.is_grad_enabled", keep=False):
        fail_hint("gradient mode is off after autograd_gda_step (expected it restored).",
                  "Use `with torch.no_grad():` blocks instead of torch.set_grad_enabled(False) without restoring it.")
    _run_players(sub, x0, y0, "momentum", 0.1, 0.15, 3, True, "(x, y) after three alternating momentum steps")
    _run_players(sub, [0.8], [-0.6], "momentum", 0.2, 0.1, 2, True,
                 "(x, y) after two alternating momentum steps on players of shape (1,)")
    _run_players(sub, 0.8, -0.6, "sgd", 0.2, 0.1, 1, True, "(x, y) after one alternating step on 0-d players")


@register(AUTOGRAD, points=1, hidden=True)
def autograd_y_loss_sends_no_gradient_into_x(sub):
    """One gradient reaches x per step: y's loss must not send a gradient into x (detach x in it)."""
    for alternating in (False, True):
        x, y, opt_x, opt_y = make_players(sub, [0.4, -1.2], [0.9, 0.3], 0.1, 0.2)
        # A deque's append as a hook on x records every gradient computed for x.
        seen = sub.trusted("collections.deque")
        sub.method(x, "register_hook", sub.getattr(seen, "append", keep=True))
        for _ in range(2):
            sub.call("autograd_gda_step", x, y, opt_x, opt_y, alternating=alternating)
        count = sub.method(seen, "__len__")
        if count > 2:
            fail_hint(f"{count} gradient computations reached x in two steps (alternating={alternating}); expected "
                      "one per step, from x's own loss.", HINT_AUTOGRAD_Y_LOSS_REACHES_X)


# -- graded questions --------------------------------------------------------------------------------------------

HINT_Q_Y_FIRST_X_FIRST = ("That is the coefficient of the x-first update (Section 3). With y moving first the "
                          "order of the substitutions changes: redo the ansatz with y' = y + eta*x computed first.")
HINT_Q_Y_FIRST_NONE = ("x^2 + y^2 is not conserved by an alternating update in either order: the cross term has a "
                       "nonzero coefficient.")
HINT_Q_Y_FIRST_FACTOR = ("The size of the coefficient is off by a factor of 2: c multiplies x*y once in the form "
                         "(c/2 is one off-diagonal entry of its matrix).")
HINT_Q_Y_FIRST = ("Substitute y' = y + eta*x, then x' = x - eta*y', into x'^2 + y'^2 + c*x'*y' and match the x*y "
                  "terms with those of x^2 + y^2 + c*x*y, at eta = 0.3.")
HINT_Q_FAST_EDGE = ("At that step size the factor is back to 1: that is where extragradient stops converging, not "
                    "where it contracts fastest. Minimise the factor over eta.")
HINT_Q_FAST_SQUARED = "That minimises the factor over eta^2, not over eta: the question asks for eta itself."
HINT_Q_FAST_OPTIMISTIC = "That is the step-size limit of optimistic GDA; the question is about extragradient."
HINT_Q_FAST_FACTOR = "That is the value of the smallest factor; the question asks for the step size where it occurs."
HINT_Q_FAST = ("Write the squared factor as a function of eta^2 and find its minimum (complete the square or set "
               "the derivative to 0); return eta > 0.")


@register(QUESTION_Y_FIRST, points=2, hidden=True)
def y_first_coefficient_is_right(sub):
    """The coefficient of x*y in the form that the y-first alternating update conserves, at eta = 0.3."""
    judge_answer(sub, "answer_y_first_coefficient", 0.3, HINT_Q_Y_FIRST,
                 [(-0.3, HINT_Q_Y_FIRST_X_FIRST), (0.0, HINT_Q_Y_FIRST_NONE), (0.6, HINT_Q_Y_FIRST_FACTOR),
                  (-0.6, HINT_Q_Y_FIRST_FACTOR), (0.15, HINT_Q_Y_FIRST_FACTOR), (-0.15, HINT_Q_Y_FIRST_FACTOR)])


@register(QUESTION_FASTEST, points=2, hidden=True)
def fastest_extragradient_eta_is_right(sub):
    """The step size at which extragradient's per-step factor on xy is smallest (3 significant digits)."""
    judge_answer(sub, "answer_fastest_extragradient_eta", 1 / math.sqrt(2), HINT_Q_FAST,
                 [(1.0, HINT_Q_FAST_EDGE), (0.5, HINT_Q_FAST_SQUARED), (1 / math.sqrt(3), HINT_Q_FAST_OPTIMISTIC),
                  (math.sqrt(3) / 2, HINT_Q_FAST_FACTOR), (0.75, HINT_Q_FAST_FACTOR)], positive=True)
