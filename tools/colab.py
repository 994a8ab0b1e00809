"""Make the labs open and run on Colab with no editing by students (maintainer command).

    python -m tools.colab stamp https://github.com/ORG/REPO [--branch main] [--dry-run]

stamps the course repository's URL into

- the setup cell of every notebook in ``solutions/`` and ``labs/``: its install block (below) installs the
  course helpers ``ganlab`` from that repository when they are missing;
- an "Open in Colab" badge at the top of every notebook (first cell) and in the README's table of labs; the
  badges open the student notebook (``labs/<lab>/<lab>.ipynb``) of that repository and branch.

Run it again with another URL to change it. The same block and badge go into ``solutions/`` and ``labs/``, so
``labs/`` stays exactly what ``nbgrader generate_assignment`` makes from ``solutions/``. Commit the result.

    python -m tools.colab stamp --placeholder [--dry-run]

writes the same install block with the placeholder URL (the state of the course's own repository, before any
fork stamps its URL) and removes every "Open in Colab" badge: a badge would open a repository that does not
exist. The block then stops with one line saying how to get the course helpers instead of pip's traceback.

The install block (see :func:`install_block`) installs only what is missing, never torch (it pins the torch
that is there, so nothing may replace it), quietly and without terminal escape codes (pip runs with
``--quiet --no-color --progress-bar off`` and its output is kept unless it fails). With the placeholder URL it
stops with one line saying what to do instead of pip's traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = "https://github.com/YOUR-ORG/gan-workbook"
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
BEGIN = "# --- course helpers (ganlab): installed here when missing, e.g. on Colab; never torch ---"
END = "# --- end of course helpers ---"
#: The install line of notebooks that were never stamped.
OLD_INSTALL = re.compile(r'^if importlib\.util\.find_spec\("ganlab"\) is None:.*\n\s+%pip install [^\n]*\n',
                         re.MULTILINE)
BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n", re.DOTALL)
BADGE = re.compile(r"\[!\[Open In Colab\]\(" + re.escape(BADGE_IMAGE) + r"\)\]\([^)]*\)")
#: A notebook's top badge line, as :func:`stamp_notebook` writes it (the badge, then an empty line).
TOP_BADGE = re.compile(BADGE.pattern + r"\n(?:\n)?")
GITHUB = re.compile(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")


def helper_requirements(root: Path = REPO_ROOT) -> list[tuple[str, str]]:
    """(module, requirement) for each dependency of ganlab (pyproject.toml) except torch."""
    deps = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    out = []
    for req in deps:
        name = re.split(r"[<>=!~ ;\[]", req, maxsplit=1)[0].strip()
        if name.lower() != "torch":
            out.append((name.replace("-", "_").lower(), req))
    return out


def install_block(url: str, requirements: list[tuple[str, str]] | None = None) -> str:
    """The setup cell's install block for the course repository ``url`` (plain Python, no IPython magic)."""
    reqs = requirements if requirements is not None else helper_requirements()
    wanted = "".join(f"\n        ({m!r}, {r!r})," for m, r in reqs)
    return f'''{BEGIN}
GANLAB_URL = "{url}"
if importlib.util.find_spec("ganlab") is None:
    import subprocess
    import sys
    from importlib.metadata import version

    class SetupNeeded(Exception):
        def _render_traceback_(self):  # shown as this one line, without a traceback
            return [str(self)]

    if "YOUR-ORG" in GANLAB_URL:
        raise SetupNeeded("The course helpers (ganlab) are not installed and this copy of the notebook does not say "
                          "where they live: open the lab from your course's link or its Open in Colab badge, or "
                          "ask your instructor.")
    if importlib.util.find_spec("torch") is None:
        raise SetupNeeded("torch is not installed: install it first (https://pytorch.org/get-started/locally/); "
                          "this cell never installs torch.")
    missing = [req for module, req in [{wanted}
    ] if importlib.util.find_spec(module) is None]
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-color", "--progress-bar", "off",
           "--disable-pip-version-check"]
    # torch==<the installed one>: pip keeps it and refuses anything that would replace it
    for args in ([*missing, f"torch=={{version('torch')}}"] if missing else None,
                 ["--no-deps", f"ganlab @ git+{{GANLAB_URL}}"]):
        if args and subprocess.run(pip + args, capture_output=True, text=True).returncode:
            shown = " ".join(f'"{{a}}"' if " " in a else a for a in args)
            raise SetupNeeded(f"Could not install the course helpers: run `!pip install {{shown}}` in a new cell "
                              "to see why.")
    importlib.invalidate_caches()
    print("Installed the course helpers (ganlab)" + (f" and {{', '.join(missing)}}" if missing else "") + ".")
{END}
'''


def parse_github(url: str) -> tuple[str, str]:
    m = GITHUB.match(url.strip())
    if not m:
        raise ValueError(f"expected https://github.com/ORG/REPO, got {url!r} (Colab opens notebooks from GitHub)")
    return m.group(1), m.group(2)


def badge(url: str, branch: str, notebook: str) -> str:
    org, repo = parse_github(url)
    return f"[![Open In Colab]({BADGE_IMAGE})](https://colab.research.google.com/github/{org}/{repo}/blob/{branch}/{notebook})"


def _source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _set_source(cell, text: str) -> None:
    lines = text.split("\n")
    cell["source"] = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def stamp_notebook(nb: dict, url: str, branch: str, student_notebook: str) -> dict:
    """``nb`` with the install block and the top badge for ``url``; raises if it has no setup cell."""
    setup = next((c for c in nb["cells"] if c["cell_type"] == "code" and 'find_spec("ganlab")' in _source(c)), None)
    if setup is None:
        raise ValueError("no setup cell (a code cell with find_spec(\"ganlab\"))")
    text = _source(setup)
    block = install_block(url)
    if BLOCK.search(text):
        text = BLOCK.sub(lambda m: block, text, count=1)
    elif OLD_INSTALL.search(text):
        text = OLD_INSTALL.sub(lambda m: block, text, count=1)
    else:
        raise ValueError("the setup cell has no install block to replace")
    _set_source(setup, text)
    top = nb["cells"][0]
    if top["cell_type"] != "markdown" or top.get("metadata", {}).get("nbgrader", {}).get("locked"):
        raise ValueError("the first cell should be the lab's (unlocked) Markdown title cell")
    head = _source(top)
    if url == PLACEHOLDER:  # no badge: it would open a repository that does not exist
        head = TOP_BADGE.sub("", head)
    else:
        line = badge(url, branch, student_notebook)
        head = BADGE.sub(lambda m: line, head, count=1) if BADGE.search(head) else f"{line}\n\n{head}"
    _set_source(top, head)
    return nb


def stamp_readme(text: str, url: str, branch: str) -> str:
    """The README with a Colab badge after each lab's student-notebook link in the table of labs (none for the
    placeholder URL)."""
    out = []
    for row in text.split("\n"):
        m = re.match(r"^\|.*\| \[labs/([\w-]+)\]\(labs/\1/\1\.ipynb\)", row)
        if m:
            lab = m.group(1)
            link = f"[labs/{lab}](labs/{lab}/{lab}.ipynb)"
            row = re.sub(" ?" + BADGE.pattern, "", row)
            if url != PLACEHOLDER:
                row = row.replace(link, f"{link} {badge(url, branch, f'labs/{lab}/{lab}.ipynb')}", 1)
        out.append(row)
    return "\n".join(out)


def stamp(root: Path, url: str, branch: str = "main", dry_run: bool = False) -> list[Path]:
    """Stamp every notebook in ``root``/solutions and ``root``/labs, and ``root``/README.md; returns what changed."""
    if url != PLACEHOLDER:
        parse_github(url)
    changed = []
    for folder in ("solutions", "labs"):
        for path in sorted((root / folder).glob("*/*.ipynb")):
            if ".ipynb_checkpoints" in path.parts:
                continue
            lab = path.parent.name
            before = path.read_text(encoding="utf-8")
            nb = stamp_notebook(json.loads(before), url, branch, f"labs/{lab}/{lab}.ipynb")
            after = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            if after != before:
                changed.append(path)
                if not dry_run:
                    path.write_text(after, encoding="utf-8")
    readme = root / "README.md"
    if readme.exists():
        before = readme.read_text(encoding="utf-8")
        after = stamp_readme(before, url, branch)
        if after != before:
            changed.append(readme)
            if not dry_run:
                readme.write_text(after, encoding="utf-8")
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.colab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    st = sub.add_parser("stamp", help="stamp the course repository URL into notebooks and badges")
    st.add_argument("url", nargs="?", help="the course repository on GitHub, https://github.com/ORG/REPO")
    st.add_argument("--placeholder", action="store_true",
                    help="write the placeholder URL (the setup cell says in one line what to do) and no badges")
    st.add_argument("--branch", default="main", help="branch the badges open (default main)")
    st.add_argument("--root", type=Path, default=REPO_ROOT, help=argparse.SUPPRESS)  # the tests stamp copies
    st.add_argument("--dry-run", action="store_true", help="only list the files that would change")
    args = parser.parse_args(argv)
    if (args.url is None) == (not args.placeholder):
        parser.error("give the course repository's URL, or --placeholder")
    try:
        changed = stamp(args.root, args.url or PLACEHOLDER, args.branch, args.dry_run)
    except ValueError as exc:
        parser.error(str(exc))
    verb = "would change" if args.dry_run else "changed"
    for path in changed:
        print(f"{verb}: {path.relative_to(args.root)}")
    print(f"{len(changed)} file(s) {verb}" + ("" if args.dry_run or not changed else "; review and commit them"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
