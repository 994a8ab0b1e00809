"""bin/setup, bin/grade and bin/test as a new user meets them, on a fake checkout with a stubbed installer.

Each test copies the three scripts and the requirement files into a temporary checkout whose ``ganlab`` and
``autograder`` are tiny fakes, and replaces the installer (``GANLAB_SETUP_INSTALL``) by a stub that writes empty
``torch``, ``nbgrader``, ... packages into the chosen environment. So the tests run the scripts' real
interpreter choice, virtual-environment creation (with the interpreter's own ``venv``), stamp and path handling
in a few seconds, without the network and without touching the machine's Python; what they do not prove is
that pip can install requirements.txt (CI's own ``bin/test`` run does that on a fresh clone).

The quick start on a stock Debian or Ubuntu is checked with Debian's own ``/usr/bin/python3`` where the machine
has it (externally managed, PEP 668): with only ``/usr/bin:/bin`` on PATH, ``bin/setup`` must make ``.venv``
from it and install there, never into the system Python.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEBIAN_PYTHON = Path("/usr/bin/python3")

STUB_INSTALLER = r"""#!/bin/sh
# Stub installer: log the call, then give "$1" empty stand-ins for the packages bin/setup looks for.
echo "$1 $2" >> "$STUB_LOG"
exec "$1" - "$STUB_ROOT" <<'PY'
import os, sys, sysconfig
root = sys.argv[1]
site = sysconfig.get_paths()["purelib"]
os.makedirs(site, exist_ok=True)
for name in ("torch", "torchvision", "nbgrader", "nbclient", "pytest"):
    os.makedirs(os.path.join(site, name), exist_ok=True)
    with open(os.path.join(site, name, "__init__.py"), "w") as f:
        # importing the stand-in is recorded, so a test can tell whether bin/setup imported torch
        f.write("import os\nwith open(os.environ['STUB_IMPORTS'], 'a') as f: f.write(%r + '\\n')\n" % name)
with open(os.path.join(site, "ganlab-checkout.pth"), "w") as f:
    f.write(root + "\n")
PY
"""

FAKE_AUTOGRADER = """import json, os, sys
print(json.dumps({"cwd": os.getcwd(), "argv": sys.argv[1:],
                  "exists": [os.path.exists(a) for a in sys.argv[1:] if not a.startswith("-")],
                  "python": sys.executable}))
"""


def _externally_managed(python: Path) -> bool:
    code = ("import os, sys, sysconfig; sys.exit(0 if sys.prefix == sys.base_prefix and os.path.exists("
            "os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')) else 1)")
    return subprocess.run([str(python), "-c", code]).returncode == 0


def _usable(python: Path) -> bool:
    code = "import sys, venv; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)"
    return python.exists() and subprocess.run([str(python), "-c", code], capture_output=True).returncode == 0


@pytest.fixture
def checkout(tmp_path):
    co = tmp_path / "checkout"
    (co / "bin").mkdir(parents=True)
    for name in ("setup", "grade", "test"):
        shutil.copy2(REPO / "bin" / name, co / "bin" / name)
    for name in ("requirements.txt", "pyproject.toml"):
        shutil.copy(REPO / name, co / name)
    (co / "ganlab").mkdir()
    (co / "ganlab" / "__init__.py").write_text("")
    (co / "autograder").mkdir()
    (co / "autograder" / "__init__.py").write_text("")
    (co / "autograder" / "__main__.py").write_text(FAKE_AUTOGRADER)
    stub = tmp_path / "stub-install"
    stub.write_text(STUB_INSTALLER)
    stub.chmod(0o755)
    return co


def _env(co: Path, **extra) -> dict:
    base = co.parent
    env = {"HOME": str(base), "LANG": "C.UTF-8", "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "GANLAB_SETUP_INSTALL": str(base / "stub-install"), "STUB_LOG": str(base / "installs.log"),
           "STUB_IMPORTS": str(base / "imports.log"), "STUB_ROOT": str(co)}
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def _run(cmd, cwd, env):
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _log(co: Path, name: str) -> list[str]:
    path = co.parent / name
    return path.read_text().splitlines() if path.exists() else []


def _make_venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    return where / "bin" / "python"


@pytest.mark.skipif(not _usable(DEBIAN_PYTHON), reason="no Debian/Ubuntu /usr/bin/python3 3.10-3.12 with venv here")
def test_quick_start_on_the_system_python3_makes_and_uses_a_venv(checkout):
    """PATH as on a stock Debian: python3 is the system's. bin/setup makes .venv and installs there, once."""
    env = _env(checkout, PATH="/usr/bin:/bin")
    r = _run([checkout / "bin" / "setup", "--print"], checkout, env)
    assert r.returncode == 0, r.stderr
    venv_python = checkout / ".venv" / "bin" / "python"
    assert r.stdout.strip() == str(venv_python)
    assert f"Python: {venv_python}" in r.stderr and ".venv" in r.stderr
    assert _log(checkout, "installs.log") == [f"{venv_python} requirements.txt"]
    base = subprocess.run([str(venv_python), "-c", "import sys; print(sys.base_prefix)"],
                          capture_output=True, text=True).stdout.strip()
    assert base == subprocess.run([str(DEBIAN_PYTHON), "-c", "import sys; print(sys.prefix)"],
                                  capture_output=True, text=True).stdout.strip()
    imports_after_install = len(_log(checkout, "imports.log"))

    # A fresh stamp: no installer, and torch & co. are not even imported.
    r = _run([checkout / "bin" / "setup"], checkout, env)
    assert r.returncode == 0, r.stderr
    assert len(_log(checkout, "installs.log")) == 1
    assert len(_log(checkout, "imports.log")) == imports_after_install
    assert r.stdout == ""

    # A changed requirement file invalidates the stamp.
    with open(checkout / "requirements.txt", "a") as f:
        f.write("# changed\n")
    assert _run([checkout / "bin" / "setup"], checkout, env).returncode == 0
    assert len(_log(checkout, "installs.log")) == 2


@pytest.mark.skipif(not (_usable(DEBIAN_PYTHON) and _externally_managed(DEBIAN_PYTHON)),
                    reason="no externally managed /usr/bin/python3 3.10-3.12 here")
def test_python_naming_an_externally_managed_interpreter_gets_a_venv_made_from_it(checkout):
    r = _run([checkout / "bin" / "setup", "--print"], checkout, _env(checkout, PYTHON=str(DEBIAN_PYTHON)))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(checkout / ".venv" / "bin" / "python")
    assert "externally managed" in r.stderr
    assert _log(checkout, "installs.log") == [f"{checkout / '.venv' / 'bin' / 'python'} requirements.txt"]


def test_an_active_virtual_environment_is_used_and_no_venv_is_made(checkout, tmp_path):
    python = _make_venv(tmp_path / "mine")
    r = _run([checkout / "bin" / "setup", "--print"], checkout,
             _env(checkout, VIRTUAL_ENV=str(tmp_path / "mine")))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(python)
    assert "active virtual environment" in r.stderr
    assert not (checkout / ".venv").exists()
    assert _log(checkout, "installs.log") == [f"{python} requirements.txt"]


def test_an_active_conda_environment_is_used(checkout, tmp_path):
    python = _make_venv(tmp_path / "conda-env")  # a conda environment is a prefix with bin/python
    r = _run([checkout / "bin" / "setup", "--print"], checkout,
             _env(checkout, CONDA_PREFIX=str(tmp_path / "conda-env"), CONDA_DEFAULT_ENV="gan-workbook"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(python)
    assert "conda environment gan-workbook" in r.stderr
    assert not (checkout / ".venv").exists()


def test_python_naming_an_ordinary_interpreter_is_used_as_it_is(checkout, tmp_path):
    python = _make_venv(tmp_path / "other")
    r = _run([checkout / "bin" / "setup", "--print"], checkout, _env(checkout, PYTHON=str(python)))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(python)
    assert "PYTHON is set" in r.stderr
    assert not (checkout / ".venv").exists()


def test_python_outside_the_supported_range_is_refused_with_a_message(checkout, tmp_path):
    fake = tmp_path / "python3.9"
    fake.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Python 3.9.18'\nexit 1\n")
    fake.chmod(0o755)
    r = _run([checkout / "bin" / "setup"], checkout, _env(checkout, PYTHON=str(fake)))
    assert r.returncode == 2
    assert "3.10 to 3.12" in r.stderr and "Python 3.9.18" in r.stderr


def test_grade_resolves_paths_against_the_callers_folder_and_works_through_a_link(checkout, tmp_path):
    python = _make_venv(tmp_path / "env")
    elsewhere = tmp_path / "course"
    (elsewhere / "uploads").mkdir(parents=True)
    (elsewhere / "uploads" / "alice.ipynb").write_text("{}")
    env = _env(checkout, VIRTUAL_ENV=str(tmp_path / "env"))

    r = _run([checkout / "bin" / "grade", "uploads/alice.ipynb", "--out", "grades"], elsewhere, env)
    assert r.returncode == 0, r.stderr
    seen = json.loads(r.stdout)
    assert seen["cwd"] == str(elsewhere)
    assert seen["argv"] == ["uploads/alice.ipynb", "--out", "grades"] and seen["exists"][0] is True
    assert seen["python"] == str(python)

    links = tmp_path / "links"
    links.mkdir()
    (links / "ganlab-grade").symlink_to(checkout / "bin" / "grade")
    r = _run([links / "ganlab-grade", "uploads/alice.ipynb"], elsewhere, env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["exists"] == [True]


def test_the_readme_documents_the_instructor_entry_and_the_environment_choice():
    text = (REPO / "README.md").read_text()
    assert "/bin/grade" in text and "ganlab-grade" in text
    assert ".venv" in text and "PYTHON=" in text


def test_the_autograder_package_never_ships_to_students():
    text = (REPO / "pyproject.toml").read_text()
    packages = text.split("packages = [", 1)[1].split("]", 1)[0]
    assert "autograder" not in packages and "scripts" not in text.split("[tool.setuptools]")[0].split("[project]")[1]
