"""The run size: fast on a CPU, full on a GPU, forced by GANLAB_MODE, fast under CI, nbgrader and grading."""

from __future__ import annotations

import pytest

from ganlab import runtime

SIGNALS = ("GANLAB_MODE", "CI", "NBGRADER_EXECUTION", "GANLAB_GRADING", "GANLAB_DEVICE")


@pytest.fixture
def clean(monkeypatch):
    for name in SIGNALS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(runtime, "_chosen_device", None)
    return monkeypatch


def test_a_cpu_without_ganlab_mode_gets_fast_mode(clean):
    clean.setattr(runtime, "get_device", lambda prefer=None: _Device("cpu"))
    assert runtime.is_fast_mode()
    assert runtime.steps(full=1000, fast=10) == 10
    line = runtime.mode_line()
    assert line.startswith("Fast mode (no GPU") and "GANLAB_MODE=full" in line and "\n" not in line


@pytest.mark.parametrize("device", ["cuda", "cuda:1", "mps"])
def test_a_gpu_gets_full_mode(clean, device):
    clean.setattr(runtime, "get_device", lambda prefer=None: _Device(device))
    assert not runtime.is_fast_mode()
    assert runtime.steps(full=1000, fast=10) == 1000
    line = runtime.mode_line()
    assert line.startswith("Full mode (GPU") and "GANLAB_MODE=fast" in line and "\n" not in line


def test_the_device_setup_chose_decides(clean):
    """On a GPU machine told to use the CPU (setup(device='cpu') or GANLAB_DEVICE=cpu) the run is fast."""
    clean.setattr(runtime, "get_device", lambda prefer=None: _Device(prefer or "cuda"))
    clean.setattr(runtime, "hardware_name", lambda dev: "test")
    clean.setattr(runtime, "seed_everything", lambda seed=0: None)
    assert not runtime.is_fast_mode()
    info = runtime.setup(device="cpu", verbose=False)
    assert info.fast and runtime.is_fast_mode()


@pytest.mark.parametrize("forced, fast", [("fast", True), ("full", False), (" FULL ", False)])
def test_ganlab_mode_wins_over_the_device(clean, forced, fast):
    clean.setattr(runtime, "get_device", lambda prefer=None: _Device("cpu"))
    clean.setenv("GANLAB_MODE", forced)
    assert runtime.is_fast_mode() is fast
    assert "GANLAB_MODE=" in runtime.mode_line()


@pytest.mark.parametrize("signal", ["CI", "NBGRADER_EXECUTION", "GANLAB_GRADING"])
def test_ci_nbgrader_and_grading_are_fast_even_on_a_gpu(clean, signal):
    clean.setattr(runtime, "get_device", lambda prefer=None: _Device("cuda"))
    clean.setenv(signal, "1")
    assert runtime.is_fast_mode()


def test_a_wrong_ganlab_mode_is_an_error(clean):
    clean.setenv("GANLAB_MODE", "quick")
    with pytest.raises(ValueError, match="fast' or 'full'"):
        runtime.is_fast_mode()


def test_setup_prints_the_mode_in_one_line(clean, capsys):
    clean.setenv("GANLAB_DEVICE", "cpu")
    runtime.setup(seed=0)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and "fast mode" in lines[0]
    assert lines[1].startswith("Fast mode (no GPU: running on the CPU)")


class _Device:
    def __init__(self, name):
        self.name = name
        self.type = name.split(":")[0]

    def __str__(self):
        return self.name
