"""Public checks for Lab 1 (the minimax game V(x, y) = x * y).

Expected values here are plain numbers worked out by hand, so reading this file
tells you what a correct function returns on these inputs, not how to write it.
The inputs are generic on purpose (no factor of 2 between x and y, no eta = 1):
a check that passes here rules out the common mistakes, not only some of them.
The hidden tests (instructor side) use random inputs, other shapes and dtypes,
and other optimizers.
"""

from __future__ import annotations

# The answers module's hints are imported here so that hidden tests may show them (the allow-list reads this module).
from ganlab.checks.answers import HINT_ANSWER_NUMBER, HINT_ANSWER_POSITIVE, answer_number  # noqa: F401
from ganlab.grading.testing import (
    CheckFailure, SubmissionError, Trusted, as_float_tensor, exercise, expect_close, expect_true, fail, register,
)

LAB = "lab1"

SIMULTANEOUS = exercise(LAB, "simultaneous_gda_step", title="Simultaneous gradient descent-ascent")
ALTERNATING = exercise(LAB, "alternating_gda_step", title="Alternating gradient descent-ascent")
EXTRAGRADIENT = exercise(LAB, "extragradient_step", title="Extragradient")
OPTIMISTIC = exercise(LAB, "optimistic_gda_step", title="Optimistic gradient descent-ascent")
TRAJECTORY = exercise(LAB, "run_trajectory", title="Trajectory runner")
GROWTH = exercise(LAB, "norm_growth_factor", title="Closed-form growth factors")
INVARIANT = exercise(LAB, "alternating_invariant", title="The conserved quantity of alternating GDA")
AUTOGRAD = exercise(LAB, "autograd_gda_step", title="The game with autograd and two optimizers")
QUESTION_Y_FIRST = exercise(LAB, "answer_y_first_coefficient",
                            title="Question 1: the form conserved when y moves first")
QUESTION_FASTEST = exercise(LAB, "answer_fastest_extragradient_eta", title="Question 2: the fastest extragradient step")

# Hints shared by public and hidden tests: each names the mistake whose number it matches.
HINT_SWAPPED = ("It looks like the roles are swapped: x is the minimiser (it moves against dV/dx = y) "
                "and y is the maximiser (it moves along dV/dy = x).")
HINT_SIM_AS_ALT = ("That is the alternating update: in simultaneous GDA both players read the *old* point "
                   "(x_t, y_t), so y's step uses x_t, not the new x.")
HINT_ALT_OLD_X = ("That is the simultaneous update: in alternating GDA, y moves after x and must read the "
                  "*new* x_{t+1}.")
HINT_ALT_Y_FIRST = ("y moved first and x reacted to the new y: in this lab x moves first "
                    "(x_{t+1} = x_t - eta*y_t), then y reads the new x.")
HINT_EG_FROM_MID = ("It looks like the final step starts from the extrapolated point: extragradient evaluates "
                    "the gradient at the midpoint but steps from the original (x_t, y_t).")
HINT_EG_HALF_ONLY = "That is only the extrapolation (half) step: the second step from (x_t, y_t) is missing."
HINT_EG_NO_EXTRAPOLATION = "That is one simultaneous step: the extrapolation is missing."
HINT_EG_ALT_EXTRAPOLATION = ("The extrapolation was alternating (y_half read x_half): the trial point is a "
                             "*simultaneous* step, y_half = y_t + eta*x_t.")
HINT_OGDA_COEF = ("Check the history term: optimistic GDA is x_{t+1} = x_t - 2*eta*y_t + eta*y_{t-1} "
                  "(coefficient 2 on the current gradient, 1 on the previous one).")
HINT_OGDA_SWAPPED = "Current and previous points are swapped in the update (the factor 2*eta goes with (x_t, y_t))."
HINT_OGDA_IGNORED = "That is plain simultaneous GDA: the previous point is ignored."
HINT_OGDA_OWN_HISTORY = ("The history term uses the player's own previous position; it is the previous "
                         "*gradient*: x's correction is + eta*y_{t-1} (dV/dx = y), y's is - eta*x_{t-1}.")
HINT_OGDA_HISTORY_SIGN = ("Check the sign of the history term: x_{t+1} = x_t - 2*eta*y_t + eta*y_{t-1} "
                          "(plus for x), y_{t+1} = y_t + 2*eta*x_t - eta*x_{t-1} (minus for y).")
HINT_TRAJ_CURRENT = ("The step received the current point as the previous one: keep the point from one step "
                     "earlier (the start itself at t = 0); a copy, not a name for the same tensor.")
HINT_TRAJ_ZERO_START = ("At t = 0 the previous point must be the start itself, not (0, 0): the start is its "
                        "own predecessor.")
HINT_GROWTH_SQUARED = "That is the growth of the squared norm; take the square root."
HINT_GROWTH_PRECEDENCE = ("That is half the squared factor: `a ** 1/2` means (a ** 1) / 2 in Python; write "
                          "`a ** 0.5` or math.sqrt(a).")
HINT_GROWTH_EG_SIGN = ("Check the sign of the eta^2 term: expand z - eta*A(z - eta*A z) again and use A^2 = -I "
                       "(not +I).")
HINT_GROWTH_EG = ("Derive M_eg from z - eta*A(z - eta*A z) with A^2 = -I: it is a scalar times a rotation, and "
                  "the factor is that scalar (the length of one column of M_eg).")
HINT_GROWTH_RAISE = ("Only \"simultaneous\" and \"extragradient\" have a closed-form factor: any other method "
                     "name (\"alternating\" too) must raise ValueError.")
HINT_GROWTH_FLOAT = "Return a Python float (e.g. from math.sqrt), not a tensor or an array."
HINT_INV_SIGN = ("Check the sign of the cross term: expand E(x', y') with x' = x - eta*y, y' = y + eta*x' and "
                 "compare its x*y term with that of E(x, y).")
HINT_INV_MISSING = ("x^2 + y^2 alone is not conserved (the cross term c*x*y is missing): alternating steps move "
                    "on an ellipse, not on a circle.")
HINT_INV_HALF = ("The cross term is half what it should be: c multiplies x*y once in E (c/2 is one off-diagonal "
                 "entry of the form's matrix).")
HINT_INV_DOUBLE = ("The cross term is twice what it should be: redo the matching of the x*y coefficients of "
                   "E(x', y') and E(x, y).")
HINT_INV_NO_ETA = ("The coefficient c depends on the step size: a form with a fixed c is conserved for one eta "
                   "only.")
HINT_INV = ("E(x, y) = x^2 + y^2 + c*x*y with the c for which E(x', y') = E(x, y) after one alternating step "
            "(derive it from the ansatz).")
HINT_INV_EACH = HINT_INV + " Return one value per point (no sum or mean over the entries)."
HINT_FLOAT_OUT = ("For float inputs return Python floats (same type as the inputs), not tensors or arrays: "
                  "compute with the inputs themselves instead of building new tensors.")
HINT_LIKE_INPUT = ("Return tensors of the inputs' shape and dtype: work elementwise on x and y (no stacking into "
                   "a matrix, no torch.tensor(...) with a fixed dtype).")
HINT_MUTATES = ("Your function changed its input tensors in place (x -= ..., x += ..., x.add_(...)): build new "
                "values (x_new = x - eta * y) and leave the inputs unchanged.")
HINT_WRONG_OPTIMIZER = ("The players did not each move with their own optimizer: each optimizer must step only "
                        "its own player (opt_x.step() for x, opt_y.step() for y). Check which optimizer you call "
                        "after each backward().")
HINT_ASCENT = ("y should *ascend* V: minimise -V with opt_y (or flip the sign of its gradient), "
               "while x minimises V with opt_x.")
HINT_AUTOGRAD_SIM_READS_NEW = ("y used the new x: with alternating=False both gradients must be taken at the old "
                               "point before either optimizer steps.")
HINT_AUTOGRAD_ALT_OLD_X = ("y's gradient was taken at the old x: in alternating mode recompute V after "
                           "opt_x.step().")
HINT_AUTOGRAD_Y_FIRST = ("y stepped first: in alternating mode x steps first (opt_x), then y's gradient is taken "
                         "at the new x (opt_y).")
HINT_AUTOGRAD_BY_HAND = ("y did not move the way opt_y moves it: let the optimizer apply the update "
                         "(set the gradient with backward(), then opt_y.step()); a hand-written SGD step ignores "
                         "momentum and Adam's scaling.")
HINT_AUTOGRAD_MEAN = "V is the *sum* of x * y over the entries (not the mean): the mean scales every gradient by 1/n."
HINT_AUTOGRAD_Y_LOSS_REACHES_X = ("A gradient reached x from y's loss: build y's loss from x.detach() (as a GAN's D "
                                  "step uses x_fake.detach()), or restrict that backward pass to y.")
HINT_TRAJ_FLOAT32 = ("The points went through float32 on the way (torch.tensor(list) without dtype=torch.float64 is "
                     "float32); keep float64 all the way.")
HINT_AUTOGRAD_FROZEN = "Neither player moved: call opt_x.step() and opt_y.step() after backward()."
HINT_AUTOGRAD_VALUE = ("Return V(x_t, y_t) = sum(x * y) from *before* the update, as a Python float "
                       "(float(value) or value.item()).")


def fail_hint(message, hint):
    """Fail with the hint in the message as well (the message is what a student reads for a public test)."""
    fail(f"{message} {hint}" if hint and hint not in message else message, hint)


def expect_value(actual, expected, what, hint, diagnoses=(), rtol=1e-6, atol=1e-9):
    """``expect_close``, but a failure that matches no known mistake still names the likely one (``hint``)."""
    try:
        expect_close(actual, expected, what, rtol=rtol, atol=atol, diagnoses=diagnoses)
    except CheckFailure as exc:
        if exc.hint:
            raise
        raise CheckFailure(f"{exc} {hint}", hint) from None


def _pair(value, what):
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        fail_hint(f"{what} should return a tuple (x_new, y_new), got {type(value).__name__}"
                  + (f" of length {len(value)}" if isinstance(value, (tuple, list)) else "") + " (expected 2 values).",
                  "Return the two new values as one tuple (x_new, y_new), not a list, a tensor or one value.")
    return value


def expect_like(value, like, what):
    """``value`` has the type of ``like``: a Python float for a float, a tensor of the same dtype and shape."""
    import torch

    if isinstance(like, torch.Tensor):
        if not isinstance(value, torch.Tensor):
            fail_hint(f"{what} is a {type(value).__name__}; expected a tensor like the inputs.", HINT_LIKE_INPUT)
        if value.dtype != like.dtype or tuple(value.shape) != tuple(like.shape):
            fail_hint(f"{what} is a {value.dtype} tensor of shape {tuple(value.shape)}; expected {like.dtype} and "
                      f"shape {tuple(like.shape)} like the inputs.", HINT_LIKE_INPUT)
    elif isinstance(value, bool) or not isinstance(value, float):
        fail_hint(f"{what} is a {type(value).__name__}; expected a Python float for float inputs.", HINT_FLOAT_OUT)


def expect_step(result, expected, call, diagnoses=(), hint="", like=None):
    """Compare a returned ``(x_new, y_new)`` with ``expected`` (shape ``(2, *point_shape)``), then its type.

    ``like`` is an input (a float or a tensor) whose type, dtype and shape both outputs must keep.
    """
    import torch

    x_new, y_new = _pair(result, call)
    try:
        xs = as_float_tensor(x_new, f"x_new from {call}")
        ys = as_float_tensor(y_new, f"y_new from {call}")
    except CheckFailure as exc:
        fail_hint(f"{exc} (expected numbers or tensors)", "Return the new values themselves (floats or tensors), "
                  "not None, strings or other objects.")
    if xs.shape != ys.shape:
        fail_hint(f"{call}: x_new has shape {tuple(xs.shape)} but y_new has shape {tuple(ys.shape)} (expected the "
                  "inputs' shape for both).", HINT_LIKE_INPUT)
    dtype = like.dtype if isinstance(like, torch.Tensor) else torch.float64
    loose = dtype not in (torch.float64,)
    expect_value(torch.stack([xs, ys]), expected, f"{call} as (x_new, y_new)", hint or "Compare with the update "
                 "rule in the docstring, term by term.", diagnoses,
                 rtol=1e-5 if loose else 1e-6, atol=1e-6 if loose else 1e-9)
    if like is not None:
        expect_like(x_new, like, f"x_new from {call}")
        expect_like(y_new, like, f"y_new from {call}")


def worker_tensor(sub, values, dtype="float64"):
    """A tensor that lives in the submission's process (so a test can see whether a call changed it)."""
    return sub.trusted("torch.tensor", values, dtype=Trusted(f"torch.{dtype}"))


def expect_unchanged(sub, refs, originals, call):
    import torch

    for name, ref, original in zip(("x", "y", "x_prev", "y_prev"), refs, originals):
        now = sub.state(ref)["value"]
        if now.shape != original.shape or not torch.equal(now, original):
            fail_hint(f"{call} changed its input {name} in place (expected it unchanged).", HINT_MUTATES)


def _step_on_tensors(sub, name, inputs, eta, expected, diagnoses, hint):
    """Call ``name`` on float64 tensors that live in the submission's process; check values, type and no mutation."""
    import torch

    originals = [torch.tensor(v, dtype=torch.float64) for v in inputs]
    refs = [worker_tensor(sub, v) for v in inputs]
    call = f"{name}(<tensors of shape (3,)>, eta={eta})"
    out = sub.call(name, *refs, eta)
    expect_step(out, expected, call, diagnoses, hint, like=originals[0])
    expect_unchanged(sub, refs, originals, call)


# The tensors the step checks use: three points at once, no special relation between x and y.
X3, Y3 = [0.5, 2.0, -1.0], [-1.5, 0.25, 3.0]


# -- simultaneous ------------------------------------------------------------------------------

@register(SIMULTANEOUS, points=1)
def simultaneous_one_step(sub):
    """One step from (0.5, -1.5) with eta = 0.2 gives (0.8, -1.4), as Python floats."""
    out = sub.call("simultaneous_gda_step", 0.5, -1.5, 0.2)
    # x: 0.5 - 0.2*(-1.5) = 0.8; y: -1.5 + 0.2*0.5 = -1.4 (both from the old point)
    expect_step(out, [0.8, -1.4], "simultaneous_gda_step(0.5, -1.5, 0.2)",
                [([0.8, -1.34], HINT_SIM_AS_ALT), ([0.78, -1.4], HINT_SIM_AS_ALT), ([0.2, -1.6], HINT_SWAPPED),
                 ([0.2, -1.54], HINT_SWAPPED)],
                "Both players read the old point: x - eta*y and y + eta*x.", like=0.5)


@register(SIMULTANEOUS, points=1)
def simultaneous_on_tensors(sub):
    """Elementwise on float64 tensors of shape (3,); the inputs stay unchanged."""
    _step_on_tensors(sub, "simultaneous_gda_step", [X3, Y3], 0.2,
                     [[0.8, 1.95, -1.6], [-1.4, 0.65, 2.8]],
                     [([[0.8, 1.95, -1.6], [-1.34, 0.64, 2.68]], HINT_SIM_AS_ALT),
                      ([[0.2, 2.05, -0.4], [-1.6, -0.15, 3.2]], HINT_SWAPPED)],
                     "Update every entry with the same rule as for floats.")


# -- alternating --------------------------------------------------------------------------------

@register(ALTERNATING, points=1)
def alternating_one_step(sub):
    """One step from (0.5, -1.5) with eta = 0.2 gives (0.8, -1.34): y reads the new x."""
    out = sub.call("alternating_gda_step", 0.5, -1.5, 0.2)
    # x: 0.5 - 0.2*(-1.5) = 0.8; y: -1.5 + 0.2*0.8 = -1.34
    expect_step(out, [0.8, -1.34], "alternating_gda_step(0.5, -1.5, 0.2)",
                [([0.8, -1.4], HINT_ALT_OLD_X), ([0.78, -1.4], HINT_ALT_Y_FIRST), ([0.2, -1.54], HINT_SWAPPED),
                 ([0.2, -1.6], HINT_SWAPPED)],
                "x moves first (x - eta*y), then y moves with the new x.", like=0.5)


@register(ALTERNATING, points=1)
def alternating_on_tensors(sub):
    """Elementwise on float64 tensors of shape (3,); the inputs stay unchanged."""
    _step_on_tensors(sub, "alternating_gda_step", [X3, Y3], 0.2,
                     [[0.8, 1.95, -1.6], [-1.34, 0.64, 2.68]],
                     [([[0.8, 1.95, -1.6], [-1.4, 0.65, 2.8]], HINT_ALT_OLD_X),
                      ([[0.78, 1.87, -1.56], [-1.4, 0.65, 2.8]], HINT_ALT_Y_FIRST),
                      ([[0.2, 2.05, -0.4], [-1.54, -0.16, 3.08]], HINT_SWAPPED)],
                     "Update every entry with the same rule as for floats.")


# -- extragradient -------------------------------------------------------------------------------

@register(EXTRAGRADIENT, points=1)
def extragradient_one_step(sub):
    """One step from (0.5, -1.5) with eta = 0.4 gives (1.02, -1.06)."""
    out = sub.call("extragradient_step", 0.5, -1.5, 0.4)
    # midpoint (0.5 + 0.6, -1.5 + 0.2) = (1.1, -1.3); from the start: (0.5 + 0.4*1.3, -1.5 + 0.4*1.1)
    expect_step(out, [1.02, -1.06], "extragradient_step(0.5, -1.5, 0.4)",
                [([1.62, -0.86], HINT_EG_FROM_MID), ([1.1, -1.3], HINT_EG_HALF_ONLY),
                 ([0.924, -1.06], HINT_EG_ALT_EXTRAPOLATION), ([-0.18, -1.46], HINT_SWAPPED)],
                "Trial step (x_half, y_half) = simultaneous step; then x - eta*y_half, y + eta*x_half.", like=0.5)


@register(EXTRAGRADIENT, points=1)
def extragradient_on_tensors(sub):
    """Elementwise on float64 tensors of shape (3,); the inputs stay unchanged."""
    _step_on_tensors(sub, "extragradient_step", [X3, Y3], 0.4,
                     [[1.02, 1.58, -2.04], [-1.06, 1.01, 2.12]],
                     [([[1.62, 1.48, -3.24], [-0.86, 1.81, 1.72]], HINT_EG_FROM_MID),
                      ([[1.1, 1.9, -2.2], [-1.3, 1.05, 2.6]], HINT_EG_HALF_ONLY),
                      ([[0.924, 1.596, -1.848], [-1.06, 1.01, 2.12]], HINT_EG_ALT_EXTRAPOLATION)],
                     "Update every entry with the same rule as for floats.")


# -- optimistic ------------------------------------------------------------------------------------

@register(OPTIMISTIC, points=1)
def optimistic_one_step(sub):
    """From (0.5, -1.5) with previous point (0.2, -1.0) and eta = 0.1 the step gives (0.7, -1.42)."""
    out = sub.call("optimistic_gda_step", 0.5, -1.5, 0.2, -1.0, 0.1)
    # x: 0.5 - 0.2*(-1.5) + 0.1*(-1.0) = 0.7; y: -1.5 + 0.2*0.5 - 0.1*0.2 = -1.42
    expect_step(out, [0.7, -1.42], "optimistic_gda_step(0.5, -1.5, 0.2, -1.0, 0.1)",
                [([0.6, -1.44], HINT_OGDA_COEF), ([0.65, -1.45], HINT_OGDA_IGNORED),
                 ([0.55, -1.51], HINT_OGDA_SWAPPED), ([0.82, -1.3], HINT_OGDA_OWN_HISTORY),
                 ([0.9, -1.38], HINT_OGDA_HISTORY_SIGN), ([0.3, -1.58], HINT_SWAPPED)],
                "x_t - 2*eta*y_t + eta*y_prev and y_t + 2*eta*x_t - eta*x_prev.", like=0.5)


@register(OPTIMISTIC, points=1)
def optimistic_on_tensors(sub):
    """Elementwise on float64 tensors of shape (3,), with a previous point; the inputs stay unchanged."""
    _step_on_tensors(sub, "optimistic_gda_step", [X3, Y3, [0.25, 1.5, -0.5], [-1.0, 0.75, 2.0]], 0.1,
                     [[0.7, 2.025, -1.4], [-1.425, 0.5, 2.85]],
                     [([[0.65, 1.975, -1.3], [-1.45, 0.45, 2.9]], HINT_OGDA_IGNORED),
                      ([[0.6, 2.1, -1.2], [-1.45, 0.35, 2.9]], HINT_OGDA_COEF),
                      ([[0.55, 1.875, -1.1], [-1.5, 0.35, 3.0]], HINT_OGDA_SWAPPED),
                      ([[0.825, 2.1, -1.65], [-1.3, 0.575, 2.6]], HINT_OGDA_OWN_HISTORY),
                      ([[0.9, 1.875, -1.8], [-1.375, 0.8, 2.75]], HINT_OGDA_HISTORY_SIGN)],
                     "Update every entry with the same rule as for floats.")


# -- trajectory runner -------------------------------------------------------------------------------

def check_trajectory(out, expected_rows, what, diagnoses=(), hint="", rtol=1e-6, atol=1e-9):
    import torch

    if not isinstance(out, torch.Tensor):
        fail_hint(f"{what} should return a torch.Tensor of shape (num_steps + 1, 2), got {type(out).__name__} "
                  "(expected a tensor).", "Return a torch.Tensor (e.g. torch.tensor(rows, dtype=torch.float64)).")
    expected = torch.tensor(expected_rows, dtype=torch.float64)
    if tuple(out.shape) == (expected.shape[0] - 1, 2):
        fail_hint(f"{what} has shape {tuple(out.shape)}, expected {tuple(expected.shape)}: "
                  "row 0 must be the starting point, then one row per step.",
                  "row 0 must be the starting point, then one row per step.")
    if tuple(out.shape) == (2, expected.shape[0]) and expected.shape[0] != 2:
        fail_hint(f"{what} has shape {tuple(out.shape)}, expected {tuple(expected.shape)}: one *row* (x_t, y_t) per "
                  "time step.", "The table is transposed: row t is (x_t, y_t), shape (num_steps + 1, 2).")
    expect_value(out, expected, what, hint or "Row t is the point after t steps (row 0 the start).", diagnoses,
                 rtol=rtol, atol=atol)
    expect_true(out.dtype == torch.float64, f"{what} has dtype {out.dtype}; expected torch.float64.",
                "Return float64 (dtype=torch.float64) so that long runs keep their precision.")


@register(TRAJECTORY, points=1)
def trajectory_with_stand_in_step(sub):
    """With a stand-in step (x + eta, 2y) from (0.1, -0.3), eta = 0.75 and 3 steps the table is exact (float64)."""
    import torch

    out = sub.call("run_trajectory", Trusted("ganlab.grading.standins.shift_step"), 0.1, -0.3, 0.75, 3)
    rows = [[0.1, -0.3], [0.85, -0.6], [1.6, -1.2], [2.35, -2.4]]
    # The same table after a trip through float32 (0.1 and 0.85 are not float32 numbers).
    as32 = torch.tensor(rows, dtype=torch.float32).to(torch.float64)
    check_trajectory(out, rows, "run_trajectory(shift_step, 0.1, -0.3, 0.75, 3)",
                     [(as32, HINT_TRAJ_FLOAT32)], rtol=1e-12, atol=1e-15)


@register(TRAJECTORY, points=1)
def trajectory_with_history(sub):
    """uses_history=True: a stand-in step that reveals the previous point it was given (the start at t = 0)."""
    # history_probe_step returns (x + eta, x_prev + 10 * y_prev), so each row shows the previous point received.
    out = sub.call("run_trajectory", Trusted("ganlab.grading.standins.history_probe_step"), 2.0, -1.0, 0.5, 3,
                   uses_history=True)
    check_trajectory(out, [[2.0, -1.0], [2.5, -8.0], [3.0, -8.0], [3.5, -77.5]],
                     "run_trajectory(history_probe_step, 2.0, -1.0, 0.5, 3, uses_history=True)",
                     [([[2.0, -1.0], [2.5, -8.0], [3.0, -77.5], [3.5, -772.0]], HINT_TRAJ_CURRENT),
                      ([[2.0, -1.0], [2.5, 0.0], [3.0, -8.0], [3.5, 2.5]], HINT_TRAJ_ZERO_START)],
                     "With uses_history=True call step(x, y, x_prev, y_prev, eta), the previous point being the "
                     "point one step earlier (the start at t = 0).")


# -- closed-form factors ---------------------------------------------------------------------------------

@register(GROWTH, points=1)
def growth_factors_at_eta_half(sub):
    """At eta = 0.5: the exact factors of simultaneous GDA and of extragradient (worked by hand), as floats."""
    sim = sub.call("norm_growth_factor", "simultaneous", 0.5)
    expect_value(sim, 1.25 ** 0.5, "norm_growth_factor('simultaneous', 0.5)",
                 "The simultaneous factor is sqrt(1 + eta^2).",
                 [(1.25, HINT_GROWTH_SQUARED), (0.625, HINT_GROWTH_PRECEDENCE)])
    eg = sub.call("norm_growth_factor", "extragradient", 0.5)
    expect_value(eg, 0.8125 ** 0.5, "norm_growth_factor('extragradient', 0.5)",
                 HINT_GROWTH_EG,
                 [(0.8125, HINT_GROWTH_SQUARED), (0.40625, HINT_GROWTH_PRECEDENCE),
                  (1.3125 ** 0.5, HINT_GROWTH_EG_SIGN)])
    for what, value in (("norm_growth_factor('simultaneous', 0.5)", sim),
                        ("norm_growth_factor('extragradient', 0.5)", eg)):
        expect_float(value, what)


def expect_float(value, what):
    if isinstance(value, bool) or not isinstance(value, float):
        fail_hint(f"{what} returned a {type(value).__name__}; expected a Python float.", HINT_GROWTH_FLOAT)


HINT_GROWTH_RAISE_TYPE = "Raise ValueError (not another exception type) for a method without a closed form."


def expect_value_error(sub, method, eta):
    call = f"norm_growth_factor({method!r}, {eta})"
    try:
        value = sub.call("norm_growth_factor", method, eta)
    except SubmissionError as exc:
        expect_true(exc.kind == "ValueError", f"{call} raised {exc.kind}; expected ValueError.",
                    HINT_GROWTH_RAISE_TYPE)
        return
    fail_hint(f"{call} returned {value!r}; expected it to raise ValueError.", HINT_GROWTH_RAISE)


@register(GROWTH, points=1)
def growth_factor_alternating_raises(sub):
    """'alternating' has no single norm factor (its iterates move on an ellipse): ValueError."""
    expect_value_error(sub, "alternating", 0.5)


# -- invariant --------------------------------------------------------------------------------------------

INV_DIAGNOSES = [(2.2, HINT_INV_SIGN), (2.5, HINT_INV_MISSING), (2.65, HINT_INV_HALF), (3.1, HINT_INV_DOUBLE),
                 (3.25, HINT_INV_NO_ETA)]


@register(INVARIANT, points=1)
def invariant_at_known_point(sub):
    """At (1.5, -0.5) with eta = 0.4 the conserved quantity is 2.8 (worked by hand), a Python float."""
    out = sub.call("alternating_invariant", 1.5, -0.5, 0.4)
    expect_value(out, 2.8, "alternating_invariant(1.5, -0.5, 0.4)", HINT_INV, INV_DIAGNOSES)
    expect_like(out, 1.5, "alternating_invariant(1.5, -0.5, 0.4)")


@register(INVARIANT, points=1)
def invariant_on_tensors(sub):
    """Elementwise on float64 tensors of shape (3,): one value per point; the inputs stay unchanged."""
    import torch

    xs, ys = [1.5, 0.0, -2.0], [-0.5, 1.0, 0.5]
    originals = [torch.tensor(v, dtype=torch.float64) for v in (xs, ys)]
    refs = [worker_tensor(sub, v) for v in (xs, ys)]
    call = "alternating_invariant(<tensors of shape (3,)>, eta=0.4)"
    out = sub.call("alternating_invariant", *refs, 0.4)
    expect_value(out, [2.8, 1.0, 4.65], call, HINT_INV_EACH,
                 [([2.2, 1.0, 3.85], HINT_INV_SIGN), ([2.5, 1.0, 4.25], HINT_INV_MISSING),
                  ([2.65, 1.0, 4.45], HINT_INV_HALF), ([3.1, 1.0, 5.05], HINT_INV_DOUBLE)])
    expect_like(out, originals[0], call)
    expect_unchanged(sub, refs, originals, call)


# -- autograd ------------------------------------------------------------------------------------------------

def make_players(sub, x0, y0, lr_x, lr_y, optimizer="torch.optim.SGD", **hyper):
    """Build x, y (float64 leaf tensors) and one optimizer each, inside the submission's process."""
    x = sub.trusted("torch.tensor", x0, dtype=Trusted("torch.float64"), requires_grad=True)
    y = sub.trusted("torch.tensor", y0, dtype=Trusted("torch.float64"), requires_grad=True)
    opt_x = sub.trusted(optimizer, [x], lr=lr_x, **hyper)
    opt_y = sub.trusted(optimizer, [y], lr=lr_y, **hyper)
    return x, y, opt_x, opt_y


def read_players(sub, x, y):
    """The players' values as one float64 tensor of shape (2, *player_shape)."""
    import torch

    return torch.stack([sub.state(x)["value"].to(torch.float64), sub.state(y)["value"].to(torch.float64)])


def expect_returned_value(value, expected, what, diagnoses=()):
    expect_value(value, expected, what, HINT_AUTOGRAD_VALUE, diagnoses)
    if isinstance(value, bool) or not isinstance(value, float):
        fail_hint(f"{what} is a {type(value).__name__}; expected a Python float.", HINT_AUTOGRAD_VALUE)


@register(AUTOGRAD, points=1)
def autograd_simultaneous_step(sub):
    """Default mode (simultaneous), SGD lr 0.1 / 0.3, players of shape (2,): x = [0.65, 1.975], y = [-1.35, 0.85]."""
    x, y, opt_x, opt_y = make_players(sub, [0.5, 2.0], [-1.5, 0.25], 0.1, 0.3)
    value = sub.call("autograd_gda_step", x, y, opt_x, opt_y)  # no flag: the default, alternating=False
    # x: [0.5, 2.0] - 0.1*[-1.5, 0.25] = [0.65, 1.975]; y: [-1.5, 0.25] + 0.3*[0.5, 2.0] = [-1.35, 0.85]
    expect_value(read_players(sub, x, y), [[0.65, 1.975], [-1.35, 0.85]],
                 "(x, y) after autograd_gda_step(x, y, opt_x, opt_y)",
                 "x descends V with opt_x, y ascends V with opt_y, both gradients at the old point.",
                 [([[0.65, 1.975], [-1.65, -0.35]], HINT_ASCENT), ([[0.35, 2.025], [-1.65, -0.35]], HINT_SWAPPED),
                  ([[0.65, 1.975], [-1.305, 0.8425]], HINT_AUTOGRAD_SIM_READS_NEW + " (The default mode is "
                                                      "alternating=False.)"),
                  ([[0.8, 1.95], [-1.5, 0.25]], HINT_WRONG_OPTIMIZER),
                  ([[0.575, 1.9875], [-1.425, 0.55]], HINT_AUTOGRAD_MEAN),
                  ([[0.5, 2.0], [-1.5, 0.25]], HINT_AUTOGRAD_FROZEN)])
    # V = 0.5*(-1.5) + 2.0*0.25 = -0.25 before the step
    expect_returned_value(value, -0.25, "the value returned by autograd_gda_step (V at the start of the step)",
                          [(0.80125, "That is V *after* the update. " + HINT_AUTOGRAD_VALUE),
                           (-0.125, HINT_AUTOGRAD_MEAN)])


@register(AUTOGRAD, points=1)
def autograd_alternating_with_momentum(sub):
    """SGD with momentum 0.5 (lr 0.1 / 0.2) from (0.5, -1.5): two alternating steps give (0.862, -1.1326)."""
    x, y, opt_x, opt_y = make_players(sub, 0.5, -1.5, 0.1, 0.2, momentum=0.5)
    seen = sub.trusted("collections.deque")  # its append, hooked on x, records every gradient computed for x
    sub.method(x, "register_hook", sub.getattr(seen, "append", keep=True))
    first = sub.call("autograd_gda_step", x, y, opt_x, opt_y, alternating=True)
    second = sub.call("autograd_gda_step", x, y, opt_x, opt_y, alternating=True)
    # PyTorch's momentum: buf = 0.5*buf + grad, p -= lr*buf.
    # step 1: x = 0.5 + 0.1*1.5 = 0.65;   y's grad at the new x is -0.65: y = -1.5 + 0.2*0.65 = -1.37
    # step 2: buf_x = -0.75 - 1.37 = -2.12: x = 0.862;  buf_y = -0.325 - 0.862 = -1.187: y = -1.1326
    expect_value(read_players(sub, x, y), [0.862, -1.1326], "(x, y) after two alternating steps with momentum",
                 "x steps first with opt_x, then y's gradient is taken at the new x and opt_y steps; zero the "
                 "gradients each time and let the optimizers (not your code) apply the update.",
                 [([0.865, -1.22], HINT_AUTOGRAD_ALT_OLD_X), ([0.888, -1.8726], HINT_ASCENT),
                  ([0.8322, -1.222], HINT_AUTOGRAD_Y_FIRST),
                  ([0.862, -1.1976], HINT_AUTOGRAD_BY_HAND), ([1.41875, -1.5], HINT_WRONG_OPTIMIZER),
                  ([0.5, -1.5], HINT_AUTOGRAD_FROZEN)])
    expect_returned_value(first, -0.75, "the value returned by the first step (V at its start)")
    expect_returned_value(second, 0.65 * -1.37, "the value returned by the second step (V at its start)")
    count = sub.method(seen, "__len__")
    if count > 2:
        fail_hint(f"{count} gradient computations reached x in two steps; expected one per step, from x's own loss.",
                  HINT_AUTOGRAD_Y_LOSS_REACHES_X)


# -- graded questions ------------------------------------------------------------------------------------------
# The public checks only say whether an answer is a well-formed number: the answers themselves are judged by the
# hidden tests (this file ships to students).


@register(QUESTION_Y_FIRST, points=0)
def y_first_answer_is_a_number(sub):
    """The answer is a finite number (whether it is right is judged by the hidden test)."""
    answer_number(sub, "answer_y_first_coefficient")


@register(QUESTION_FASTEST, points=0)
def fastest_eta_answer_is_a_step_size(sub):
    """The answer is a finite number > 0 (whether it is right is judged by the hidden test)."""
    answer_number(sub, "answer_fastest_extragradient_eta", positive=True)
