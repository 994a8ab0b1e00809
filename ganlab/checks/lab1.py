"""Public checks for Lab 1 (the minimax game V(x, y) = x * y).

Expected values here are plain numbers worked out by hand, so reading this file
tells you what a correct function returns on these inputs, not how to write it.
The hidden tests (instructor side) use random inputs and closed forms.
"""

from __future__ import annotations

from ganlab.grading.testing import Trusted, as_float_tensor, exercise, expect_close, expect_true, fail, register

LAB = "lab1"

SIMULTANEOUS = exercise(LAB, "simultaneous_gda_step", title="Simultaneous gradient descent-ascent")
ALTERNATING = exercise(LAB, "alternating_gda_step", title="Alternating gradient descent-ascent")
EXTRAGRADIENT = exercise(LAB, "extragradient_step", title="Extragradient")
OPTIMISTIC = exercise(LAB, "optimistic_gda_step", title="Optimistic gradient descent-ascent")
TRAJECTORY = exercise(LAB, "run_trajectory", title="Trajectory runner")
GROWTH = exercise(LAB, "norm_growth_factor", title="Closed-form growth factors")
INVARIANT = exercise(LAB, "alternating_invariant", title="The conserved quantity of alternating GDA")
AUTOGRAD = exercise(LAB, "autograd_gda_step", title="The game with autograd and two optimizers")

# Hints shared by public and hidden tests: each names the mistake whose number it matches.
HINT_SWAPPED = ("It looks like the roles are swapped: x is the minimiser (it moves against dV/dx = y) "
                "and y is the maximiser (it moves along dV/dy = x).")
HINT_SIM_AS_ALT = ("That is the alternating update: in simultaneous GDA both players read the *old* point "
                   "(x_t, y_t), so y's step uses x_t, not the new x.")
HINT_ALT_OLD_X = ("That is the simultaneous update: in alternating GDA, y moves after x and must read the "
                  "*new* x_{t+1}.")
HINT_EG_FROM_MID = ("It looks like the final step starts from the extrapolated point: extragradient evaluates "
                    "the gradient at the midpoint but steps from the original (x_t, y_t).")
HINT_OGDA_COEF = ("Check the history term: optimistic GDA is x_{t+1} = x_t - 2*eta*y_t + eta*y_{t-1} "
                  "(coefficient 2 on the current gradient, 1 on the previous one).")

HINT_OGDA_SWAPPED = "Current and previous points are swapped in the update (the factor 2*eta goes with (x_t, y_t))."


def _pair(value, what):
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        fail(f"{what} should return a tuple (x_new, y_new), got {type(value).__name__}"
             + (f" of length {len(value)}" if isinstance(value, (tuple, list)) else "") + ".")
    return value


def expect_step(result, expected, call, diagnoses=()):
    """Compare a returned ``(x_new, y_new)`` with ``expected`` (shape ``(2, *point_shape)``)."""
    import torch

    x_new, y_new = _pair(result, call)
    xs = as_float_tensor(x_new, f"x_new from {call}")
    ys = as_float_tensor(y_new, f"y_new from {call}")
    if xs.shape != ys.shape:
        fail(f"{call}: x_new has shape {tuple(xs.shape)} but y_new has shape {tuple(ys.shape)}.")
    expect_close(torch.stack([xs, ys]), expected, f"{call} as (x_new, y_new)", diagnoses=diagnoses)


# -- simultaneous ------------------------------------------------------------------------------

@register(SIMULTANEOUS, points=1)
def simultaneous_one_step(sub):
    """One step from (1, 2) with eta = 0.1 gives (0.8, 2.1)."""
    out = sub.call("simultaneous_gda_step", 1.0, 2.0, 0.1)
    expect_step(out, [0.8, 2.1], "simultaneous_gda_step(1.0, 2.0, 0.1)",
                 [([0.8, 2.08], HINT_SIM_AS_ALT), ([1.2, 1.9], HINT_SWAPPED), ([1.2, 1.92], HINT_SWAPPED)])


# -- alternating --------------------------------------------------------------------------------

@register(ALTERNATING, points=1)
def alternating_one_step(sub):
    """One step from (1, 2) with eta = 0.1 gives (0.8, 2.08): y reads the new x."""
    out = sub.call("alternating_gda_step", 1.0, 2.0, 0.1)
    expect_step(out, [0.8, 2.08], "alternating_gda_step(1.0, 2.0, 0.1)",
                 [([0.8, 2.1], HINT_ALT_OLD_X), ([1.2, 1.88], HINT_SWAPPED), ([1.2, 1.9], HINT_SWAPPED)])


# -- extragradient -------------------------------------------------------------------------------

@register(EXTRAGRADIENT, points=1)
def extragradient_one_step(sub):
    """One step from (1, 2) with eta = 0.5 gives (-0.25, 2.0)."""
    out = sub.call("extragradient_step", 1.0, 2.0, 0.5)
    # midpoint (0, 2.5); from the start: (1 - 0.5*2.5, 2 + 0.5*0) = (-0.25, 2.0)
    expect_step(out, [-0.25, 2.0], "extragradient_step(1.0, 2.0, 0.5)",
                 [([-1.25, 2.5], HINT_EG_FROM_MID), ([0.0, 2.5], "That is only the extrapolation (half) step."),
                  ([2.25, 2.0], HINT_SWAPPED)])


# -- optimistic ------------------------------------------------------------------------------------

@register(OPTIMISTIC, points=1)
def optimistic_one_step(sub):
    """From (1, 2) with previous point (0.5, 1) and eta = 0.1 the step gives (0.7, 2.15)."""
    out = sub.call("optimistic_gda_step", 1.0, 2.0, 0.5, 1.0, 0.1)
    expect_step(out, [0.7, 2.15], "optimistic_gda_step(1.0, 2.0, 0.5, 1.0, 0.1)",
                 [([0.8, 2.2], HINT_OGDA_COEF), ([0.6, 2.1], HINT_OGDA_COEF), ([0.9, 2.1], HINT_OGDA_COEF),
                  ([0.8, 2.1], "That is plain simultaneous GDA: the previous point is ignored."),
                  ([1.0, 2.0], HINT_OGDA_SWAPPED),
                  ([1.3, 1.85], HINT_SWAPPED)])


# -- trajectory runner -------------------------------------------------------------------------------

def _check_trajectory(out, expected_rows, what):
    import torch

    if not isinstance(out, torch.Tensor):
        fail(f"{what} should return a torch.Tensor of shape (num_steps + 1, 2), got {type(out).__name__}.")
    expect_true(out.dtype == torch.float64, f"{what} should return float64 (got {out.dtype}); "
                "use torch.float64 so long runs keep their precision.")
    expected = torch.tensor(expected_rows, dtype=torch.float64)
    if out.shape == (expected.shape[0] - 1, 2):
        fail(f"{what} has shape {tuple(out.shape)}, expected {tuple(expected.shape)}: "
             "row 0 must be the starting point, then one row per step.")
    expect_close(out, expected, what)


@register(TRAJECTORY, points=1)
def trajectory_with_stand_in_step(sub):
    """With a stand-in step (x + eta, 2y) from (0, 1), eta = 0.5 and 3 steps the table is exact."""
    out = sub.call("run_trajectory", Trusted("ganlab.grading.standins.shift_step"), 0.0, 1.0, 0.5, 3)
    _check_trajectory(out, [[0, 1], [0.5, 2], [1.0, 4], [1.5, 8]], "run_trajectory(shift_step, 0, 1, 0.5, 3)")


# -- closed-form factors ---------------------------------------------------------------------------------

@register(GROWTH, points=1)
def growth_factors_at_eta_one(sub):
    """At eta = 1 simultaneous GDA grows the norm by sqrt(2) per step; extragradient keeps it (factor 1)."""
    sim = sub.call("norm_growth_factor", "simultaneous", 1.0)
    expect_close(sim, 2 ** 0.5, "norm_growth_factor('simultaneous', 1.0)",
                 diagnoses=[(2.0, "That is the growth of the *squared* norm; take the square root.")])
    eg = sub.call("norm_growth_factor", "extragradient", 1.0)
    expect_close(eg, 1.0, "norm_growth_factor('extragradient', 1.0)")


# -- invariant --------------------------------------------------------------------------------------------

@register(INVARIANT, points=1)
def invariant_at_known_point(sub):
    """At (1, 2) with eta = 0.5 the conserved quantity is 1 + 4 - 0.5*2 = 4."""
    out = sub.call("alternating_invariant", 1.0, 2.0, 0.5)
    expect_close(out, 4.0, "alternating_invariant(1.0, 2.0, 0.5)",
                 diagnoses=[(6.0, "Check the sign of the cross term: it is - eta * x * y."),
                            (5.0, "The cross term - eta * x * y is missing.")])


# -- autograd ------------------------------------------------------------------------------------------------

def make_players(sub, x0, y0, lr_x, lr_y):
    """Build x, y (leaf tensors) and one SGD optimizer each, inside the submission's process."""
    x = sub.trusted("torch.tensor", x0, dtype=Trusted("torch.float64"), requires_grad=True)
    y = sub.trusted("torch.tensor", y0, dtype=Trusted("torch.float64"), requires_grad=True)
    opt_x = sub.trusted("torch.optim.SGD", [x], lr=lr_x)
    opt_y = sub.trusted("torch.optim.SGD", [y], lr=lr_y)
    return x, y, opt_x, opt_y


def read_players(sub, x, y):
    return float(sub.state(x)["value"]), float(sub.state(y)["value"])


HINT_WRONG_OPTIMIZER = ("The players did not each move with their own optimizer: each optimizer must step only "
                        "its own player (opt_x.step() for x, opt_y.step() for y). Check which optimizer you call "
                        "after each backward().")
HINT_ASCENT = ("y should *ascend* V: minimise -V with opt_y (or flip the sign of its gradient), "
               "while x minimises V with opt_x.")


@register(AUTOGRAD, points=1)
def autograd_simultaneous_step(sub):
    """SGD with lr 0.1 for x and 0.3 for y from (1, 2): one simultaneous step gives (0.8, 2.3)."""
    x, y, opt_x, opt_y = make_players(sub, 1.0, 2.0, 0.1, 0.3)
    sub.call("autograd_gda_step", x, y, opt_x, opt_y, alternating=False)
    got = read_players(sub, x, y)
    expect_close(got, [0.8, 2.3], "(x, y) after autograd_gda_step(..., alternating=False)",
                 diagnoses=[([0.4, 2.1], HINT_WRONG_OPTIMIZER), ([0.6, 2.0], HINT_WRONG_OPTIMIZER),
                            ([0.8, 1.7], HINT_ASCENT),
                            ([0.8, 2.24], "y used the new x: with alternating=False both gradients must be "
                                          "taken at the old point before either optimizer steps."),
                            ([1.0, 2.0], "Neither player moved: call opt_x.step() and opt_y.step() after "
                                         "backward().")])
