"""Check cells as a student meets them: a time limit on runaway code, one line for an exercise not done yet."""

from __future__ import annotations

import os
import re
import threading
import time

import pytest

from ganlab.checks import Checker, CheckTimeout, ExerciseNotDone, time_limit


def _stub(*args, **kwargs):
    raise NotImplementedError()


def test_an_infinite_loop_is_stopped_with_a_clear_message(capsys):
    def simultaneous_gda_step(x, y, eta):
        while True:
            pass

    check = Checker("lab1", {"simultaneous_gda_step": simultaneous_gda_step}, time_limit=1)
    check("simultaneous_gda_step")
    out = capsys.readouterr().out
    assert "stopped after 1 s, the time limit of this check" in out and "infinite loop" in out
    assert re.search(r"simultaneous_gda_step: 0/\d+ public checks passed", out), out


def test_code_that_swallows_exceptions_or_sleeps_is_stopped_too(capsys):
    def simultaneous_gda_step(x, y, eta):
        while True:
            try:
                time.sleep(60)
            except Exception:  # noqa: BLE001 - what careless student code does
                pass

    check = Checker("lab1", {"simultaneous_gda_step": simultaneous_gda_step}, time_limit=1)
    check("simultaneous_gda_step")
    assert "stopped after 1 s" in capsys.readouterr().out


def test_the_limit_also_works_outside_the_main_thread(capsys):
    """Where signals cannot be used (a check run from another thread), the limit still holds."""
    def simultaneous_gda_step(x, y, eta):
        while True:
            pass

    check = Checker("lab1", {"simultaneous_gda_step": simultaneous_gda_step}, time_limit=1)
    worker = threading.Thread(target=check, args=("simultaneous_gda_step",))
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    assert "stopped after 1 s" in capsys.readouterr().out


def test_time_limit_leaves_nothing_behind():
    with time_limit(5):
        pass
    time.sleep(0.1)  # a leftover timer or pending exception would fire here
    with pytest.raises(CheckTimeout):
        with time_limit(0.2):
            time.sleep(5)


def test_a_correct_answer_passes_under_the_limit(capsys):
    check = Checker("lab1", {"simultaneous_gda_step": lambda x, y, eta: (x - eta * y, y + eta * x)})
    check("simultaneous_gda_step")
    out = capsys.readouterr().out
    assert re.search(r"(\d+)/\1 public checks passed \(all passed\)", out), out


def test_an_exercise_not_done_says_so_in_one_line_and_stops_run_all(capsys, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    check = Checker("lab1", {"simultaneous_gda_step": _stub})
    with pytest.raises(ExerciseNotDone) as info:
        check("simultaneous_gda_step")
    lines = info.value._render_traceback_()  # what Jupyter shows instead of a traceback
    assert len(lines) == 1 and "\n" not in lines[0]
    assert "`simultaneous_gda_step` is not implemented yet" in lines[0]
    assert "exercise simultaneous_gda_step" in lines[0] and "Simultaneous gradient descent-ascent" in lines[0]
    assert capsys.readouterr().out == ""


def test_a_check_that_needs_an_earlier_exercise_names_that_one(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    ns = {"simultaneous_gda_step": _stub}

    def run_trajectory(step, x0, y0, eta, num_steps, uses_history=False):
        return ns["simultaneous_gda_step"](x0, y0, eta)  # a student's runner that calls their own step

    ns["run_trajectory"] = run_trajectory
    with pytest.raises(ExerciseNotDone, match=r"Do exercise simultaneous_gda_step .*first.*needs `simultaneous"):
        Checker("lab1", ns)("run_trajectory")


def test_under_nbgrader_the_line_is_printed_and_nothing_raises(capsys, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    Checker("lab1", {"simultaneous_gda_step": _stub})("simultaneous_gda_step")
    assert "is not implemented yet" in capsys.readouterr().out


def test_in_a_jupyter_kernel(tmp_path):
    """In a real kernel: the time limit stops a loop, and an exercise not done stops Run All with one line."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from tools.notebooks import kernel_env

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        "from ganlab.checks import Checker\ncheck = Checker('lab1', globals(), time_limit=2)",
        "def simultaneous_gda_step(x, y, eta):\n    while True:\n        pass",
        "check('simultaneous_gda_step')",
        "def alternating_gda_step(x, y, eta):\n    raise NotImplementedError()",
        "check('alternating_gda_step')",
        "print('not reached')",
    )]
    env = kernel_env(fast=True)
    env.pop("NBGRADER_EXECUTION", None)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
        with pytest.raises(CellExecutionError):
            client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    loop_out = "".join(o.get("text", "") for o in nb.cells[2].outputs)
    assert "stopped after 2 s, the time limit of this check" in loop_out
    errors = [o for o in nb.cells[4].outputs if o.output_type == "error"]
    assert len(errors) == 1 and errors[0].ename == "ExerciseNotDone"
    assert len(errors[0].traceback) == 1 and "Do exercise" not in errors[0].traceback[0]
    assert "`alternating_gda_step` is not implemented yet" in errors[0].traceback[0]
    assert nb.cells[5].outputs == []  # Run All stopped at the check
