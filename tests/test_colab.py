"""tools.colab: stamping the course URL and Colab badges (on copies), and the setup cell's install block in a
simulated Colab: torch and friends present, ganlab absent, installing from a local git URL with no network."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder import labs
from tools import colab

REPO = Path(__file__).resolve().parents[1]
URL = "https://github.com/acme/gan-course"


@pytest.fixture
def copy(tmp_path):
    """The notebooks, README and pyproject copied: the real notebooks are never stamped by the tests."""
    for name in ("solutions", "labs"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    return tmp_path


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _src(cell) -> str:
    return "".join(cell["source"])


def test_stamp_sets_the_url_in_setup_cells_and_badges_and_nothing_else(copy):
    r = subprocess.run([sys.executable, "-m", "tools.colab", "stamp", URL, "--branch", "spring", "--root", str(copy)],
                       cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert f"{2 * len(labs.LABS) + 1} file(s) changed" in r.stdout
    for lab in labs.LABS.values():
        target = f"https://colab.research.google.com/github/acme/gan-course/blob/spring/labs/{lab.assignment}/{lab.assignment}.ipynb"
        stamped = {}
        for folder in ("solutions", "labs"):
            before = _nb(REPO / folder / lab.assignment / f"{lab.assignment}.ipynb")
            after = _nb(copy / folder / lab.assignment / f"{lab.assignment}.ipynb")
            changed = [i for i, (a, b) in enumerate(zip(before["cells"], after["cells"])) if a != b]
            assert len(before["cells"]) == len(after["cells"]) and len(changed) == 2, changed
            top, setup = (after["cells"][i] for i in changed)
            assert _src(top).startswith(f"[![Open In Colab]({colab.BADGE_IMAGE})]({target})\n\n# Lab")
            assert f'GANLAB_URL = "{URL}"' in _src(setup) and "%pip" not in _src(setup)
            assert "YOUR-ORG/gan-workbook\"" not in _src(setup).split("GANLAB_URL")[1].split("\n")[0]
            compile(_src(setup).replace("%", "#"), "setup", "exec")
            stamped[folder] = (_src(top), _src(setup))
        # the same cells in both: labs/ stays what nbgrader generates from solutions/ (neither cell is graded)
        assert stamped["solutions"] == stamped["labs"]
    readme = (copy / "README.md").read_text()
    for lab in labs.LABS.values():
        assert f"blob/spring/labs/{lab.assignment}/{lab.assignment}.ipynb)" in readme


def test_stamping_again_replaces_and_is_idempotent(copy):
    colab.stamp(copy, URL)
    assert colab.stamp(copy, URL) == []
    changed = colab.stamp(copy, "https://github.com/other/course.git")
    assert len(changed) == 2 * len(labs.LABS) + 1
    nb = _nb(copy / "labs" / "lab1_minimax" / "lab1_minimax.ipynb")
    text = json.dumps(nb)
    assert "acme" not in text and text.count("colab-badge.svg") == 1
    assert text.count(colab.BEGIN) == 1 and 'GANLAB_URL = \\"https://github.com/other/course.git\\"' in text
    readme = (copy / "README.md").read_text()
    assert "acme" not in readme and readme.count("colab-badge.svg") == len(labs.LABS)


def test_a_url_colab_cannot_open_is_refused(copy):
    with pytest.raises(ValueError, match="github.com/ORG/REPO"):
        colab.stamp(copy, "https://gitlab.com/acme/gan-course")
    assert colab.stamp(copy, URL, dry_run=True) and colab.stamp(copy, URL, dry_run=True)  # dry run writes nothing


def test_the_placeholder_gives_the_one_line_block_and_no_badges(copy):
    """Before a fork stamps its URL: the setup cells carry the block with the placeholder (which says in one line
    what to do) and no badge points at the placeholder's repository, which does not exist."""
    colab.stamp(copy, URL)
    r = subprocess.run([sys.executable, "-m", "tools.colab", "stamp", "--placeholder", "--root", str(copy)],
                       cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert f"{2 * len(labs.LABS) + 1} file(s) changed" in r.stdout
    for path in [*copy.glob("solutions/*/*.ipynb"), *copy.glob("labs/*/*.ipynb")]:
        nb = _nb(path)
        # the cells' text only: a saved figure's base64 may spell anything ("acme" turned up in Lab 3's)
        text = "\n".join(_src(c) for c in nb["cells"])
        assert "colab-badge" not in text and "acme" not in text, path
        assert _src(nb["cells"][0]).startswith("# Lab"), path
        setup = next(c for c in nb["cells"] if colab.BEGIN in _src(c))
        assert colab.install_block(colab.PLACEHOLDER) in _src(setup) and "%pip" not in _src(setup)
    readme = (copy / "README.md").read_text()
    original = re.sub(" ?" + colab.BADGE.pattern, "", (REPO / "README.md").read_text())
    assert "colab-badge" not in readme and readme == original  # only the badges went
    assert colab.stamp(copy, colab.PLACEHOLDER) == []
    bad = subprocess.run([sys.executable, "-m", "tools.colab", "stamp", "--root", str(copy)], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "or --placeholder" in bad.stderr


def _applied_state_problems(root: Path) -> list[str]:
    """What is wrong with the Colab set-up of the notebooks and README under ``root``: every setup cell must have
    the block for one URL (the placeholder or a stamped fork), never the old `%pip install ... YOUR-ORG` line that
    fails on Colab with pip's traceback; badges exist exactly when a real URL is stamped, all for that URL."""
    problems, urls = [], set()
    for lab in labs.LABS.values():
        for folder in ("solutions", "labs"):
            where = f"{folder}/{lab.assignment}"
            nb = _nb(root / folder / lab.assignment / f"{lab.assignment}.ipynb")
            if any("%pip" in _src(c) and "YOUR-ORG" in _src(c) for c in nb["cells"]):
                problems.append(f"{where}: a bare `%pip install` of the placeholder URL")
            setup = [c for c in nb["cells"] if colab.BEGIN in _src(c)]
            if len(setup) != 1:
                problems.append(f"{where}: {len(setup)} install blocks, expected 1")
                continue
            text = _src(setup[0])
            url = text.split('GANLAB_URL = "', 1)[1].split('"', 1)[0]
            urls.add(url)
            if colab.install_block(url) not in text:
                problems.append(f"{where}: the install block differs from what tools.colab writes")
            top = _src(nb["cells"][0])
            if url == colab.PLACEHOLDER:
                if "colab-badge" in json.dumps(nb):
                    problems.append(f"{where}: a badge while the URL is the placeholder (it opens nothing)")
            else:
                org, repo = colab.parse_github(url)
                if not (colab.BADGE.match(top) and f"/github/{org}/{repo}/blob/" in top):
                    problems.append(f"{where}: no Open in Colab badge for {url} at the top")
    if len(urls) > 1:
        problems.append(f"notebooks stamped with different URLs: {sorted(urls)}")
    readme = (root / "README.md").read_text(encoding="utf-8")
    expected = len(labs.LABS) if urls and urls != {colab.PLACEHOLDER} else 0
    if readme.count("colab-badge.svg") != expected:
        problems.append(f"README: {readme.count('colab-badge.svg')} Colab badges, expected {expected}")
    return problems


@pytest.mark.parametrize("url", [colab.PLACEHOLDER, URL])
def test_the_applied_state_check_passes_once_stamped(copy, url):
    colab.stamp(copy, url)
    assert _applied_state_problems(copy) == []
    setup = copy / "labs" / "lab1_minimax" / "lab1_minimax.ipynb"
    nb = _nb(setup)
    nb["cells"][0]["source"] = ["# Lab 1\n"]  # a lost badge (or a stray one) is caught
    setup.write_text(json.dumps(nb))
    assert len(_applied_state_problems(copy)) == (0 if url == colab.PLACEHOLDER else 1)


def test_committed_notebooks_carry_the_install_block_never_a_bare_pip_install():
    problems = _applied_state_problems(REPO)
    assert not problems, ("run `python -m tools.colab stamp --placeholder` (or with the course's URL), then commit:\n"
                          + "\n".join(problems))


# -- the install block in a simulated Colab -------------------------------------------------------------------

BACKEND = '''"""A build backend in the repository itself, so that pip builds ganlab with no network."""
import os, zipfile

DIST = "ganlab-0.1.0.dist-info"
META = "Metadata-Version: 2.1\\nName: ganlab\\nVersion: 0.1.0\\n"


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "ganlab-0.1.0-py3-none-any.whl"
    files = {"ganlab/__init__.py": open("ganlab/__init__.py").read(), DIST + "/METADATA": META,
             DIST + "/WHEEL": "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for path, text in files.items():
            z.writestr(path, text)
        z.writestr(DIST + "/RECORD", "".join(p + ",,\\n" for p in [*files, DIST + "/RECORD"]))
    return name
'''


def _fake_dist(site: Path, name: str, version: str) -> None:
    (site / name).mkdir()
    (site / name / "__init__.py").write_text(f"__version__ = {version!r}\n")
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "INSTALLER").write_text("colab\n")
    (info / "RECORD").write_text("")


def _wheel(where: Path, name: str, version: str) -> None:
    dist = f"{name}-{version}.dist-info"
    files = {f"{name}/__init__.py": "", f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
             f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    with zipfile.ZipFile(where / f"{name}-{version}-py3-none-any.whl", "w") as z:
        for path, text in files.items():
            z.writestr(path, text)
        z.writestr(f"{dist}/RECORD", "".join(p + ",,\n" for p in [*files, f"{dist}/RECORD"]))


@pytest.fixture(scope="module")
def fake_colab(tmp_path_factory):
    """A Python with (stand-ins for) Colab's torch, torchvision, numpy, matplotlib, ipywidgets, torchmetrics,
    without ganlab and tqdm; a local git repository of ganlab; a wheelhouse with tqdm; no package index."""
    if shutil.which("git") is None:
        pytest.skip("git is needed for a git+file:// install")
    base = tmp_path_factory.mktemp("colab")
    subprocess.run([sys.executable, "-m", "venv", str(base / "env")], check=True, capture_output=True)
    python = base / "env" / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    for name, version in [("torch", "2.5.1+cu121"), ("torchvision", "0.20.1+cu121"), ("numpy", "1.26.4"),
                          ("matplotlib", "3.8.0"), ("ipywidgets", "8.1.5"), ("torchmetrics", "1.4.0")]:
        _fake_dist(site, name, version)
    repo = base / "gan-course"
    (repo / "ganlab").mkdir(parents=True)
    (repo / "ganlab" / "__init__.py").write_text("FROM_THE_COURSE_REPOSITORY = True\n")
    (repo / "backend.py").write_text(BACKEND)
    (repo / "pyproject.toml").write_text('[build-system]\nrequires = []\nbuild-backend = "backend"\n'
                                         'backend-path = ["."]\n\n[project]\nname = "ganlab"\nversion = "0.1.0"\n')
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "ganlab"], check=True)
    wheels = base / "wheels"
    wheels.mkdir()
    _wheel(wheels, "tqdm", "4.66.0")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(base), "PIP_CONFIG_FILE": os.devnull,
           "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels), "GIT_CONFIG_NOSYSTEM": "1"}
    return python, repo, env


def _freeze(python: Path, env: dict) -> set[str]:
    r = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
                       capture_output=True, text=True, env=env)
    return set(r.stdout.split())


def _run_block(python: Path, block: str, env: dict) -> subprocess.CompletedProcess:
    """Run the block as the setup cell does (after `import importlib.util`); SetupNeeded shows as Jupyter would."""
    code = ("import importlib.util\nimport sys\ntry:\n    exec(compile(sys.stdin.read(), 'setup', 'exec'), {'importlib': importlib})\n"
            "except Exception as exc:\n    if not hasattr(exc, '_render_traceback_'): raise\n"
            "    print('\\n'.join(exc._render_traceback_())); sys.exit(3)\n")
    return subprocess.run([str(python), "-c", code], input=block, capture_output=True, text=True, env=env,
                          cwd=env["HOME"], timeout=600)


def test_each_labs_install_block_installs_ganlab_and_what_is_missing_never_torch(fake_colab, copy):
    python, repo, env = fake_colab
    colab.stamp(copy, URL)
    blocks = set()
    for lab in labs.LABS.values():
        setup = next(c for c in _nb(copy / "labs" / lab.assignment / f"{lab.assignment}.ipynb")["cells"]
                     if colab.BEGIN in _src(c))
        text = _src(setup)
        blocks.add(text[text.index(colab.BEGIN):text.index(colab.END)])
    assert len(blocks) == 1, "every lab has the same install block"
    block = blocks.pop().replace(URL, f"file://localhost{repo}")  # pip wants a host in a PEP 508 file URL

    before = _freeze(python, env)
    r = _run_block(python, block, env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == "Installed the course helpers (ganlab) and tqdm>=4.60.\n"
    assert r.stderr == "" and "\x1b" not in r.stdout
    after = _freeze(python, env)
    assert after - before == {"ganlab==0.1.0", "tqdm==4.66.0"}
    assert before - after == set()  # torch and the rest untouched
    check = subprocess.run([str(python), "-c", "import ganlab, torch; print(ganlab.FROM_THE_COURSE_REPOSITORY, torch.__version__)"],
                           capture_output=True, text=True, env=env, cwd=env["HOME"])
    assert check.stdout.split() == ["True", "2.5.1+cu121"]

    again = _run_block(python, block, env)  # ganlab is there now: nothing runs
    assert again.returncode == 0 and again.stdout == "" and _freeze(python, env) == after


def test_the_placeholder_url_says_what_to_do_in_one_line(fake_colab):
    python, _, env = fake_colab
    r = _run_block(python, colab.install_block(colab.PLACEHOLDER).replace("ganlab\")", "ganlab_absent\")"), env)
    assert r.returncode == 3, r.stderr
    assert r.stdout.count("\n") == 1 and "open the lab from your course's link" in r.stdout


def test_a_failed_install_says_so_in_one_line(fake_colab, tmp_path):
    python, _, env = fake_colab
    block = colab.install_block(f"file://localhost{tmp_path}/nothing-here").replace("ganlab\")", "ganlab_absent\")")
    r = _run_block(python, block, env)
    assert r.returncode == 3 and r.stdout.count("\n") == 1 and "Could not install the course helpers" in r.stdout
