"""Environment files agree, and the project installs what it imports."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _requirements() -> list[str]:
    lines = (REPO / "requirements.txt").read_text().splitlines()
    return sorted(line.strip() for line in lines if line.strip() and not line.strip().startswith("#"))


def _environment_pip() -> list[str]:
    text = (REPO / "environment.yml").read_text()
    block = text.split("- pip:", 1)[1]
    return sorted(m.group(1).strip() for m in re.finditer(r"^\s+- (.+)$", block, re.MULTILINE))


def test_requirements_and_environment_list_the_same_packages():
    assert _requirements() == _environment_pip()


def test_python_range_is_310_to_312():
    text = (REPO / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.10,<3.13"' in text
    assert "python>=3.10,<3.13" in (REPO / "environment.yml").read_text()


def test_torch_is_never_pinned_to_an_exact_build():
    """On Colab the preinstalled torch must satisfy us, so nothing forces a reinstall."""
    for line in _requirements():
        if line.startswith(("torch", "torchvision")):
            assert "==" not in line and "+" not in line, line
