"""The grading server (autograder/server.py): a command handed to it grades as a one-shot command would, and
neither a submission it is grading nor another user's process can use it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder import labs, server
from autograder.sandbox import SandboxConfig, resolve_mode

REPO = Path(__file__).resolve().parents[1]

# Defined after the reference, so it replaces it (the grader runs definitions, not top-level statements: the
# attempt is made when a test calls the function). It scores only if the grading server answered it.
ATTACK = '''
def simultaneous_gda_step(x, y, eta):
    import json, socket
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(SOCKET_PATH)
        s.sendall(json.dumps({"argv": ["--help"], "cwd": "/"}).encode() + b"\\n")
        answer = s.recv(100)
    except Exception:
        answer = b""
    if answer:
        return x - eta * y, y + eta * x
    return x, y
'''


def _env(sock: Path, mode: str | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO), **{server.SOCKET_ENV: str(sock)})
    env.pop(server.SWITCH_ENV, None)
    if mode:
        env["GANLAB_SANDBOX"] = mode
    return env


def _modes():
    yield "plain"
    if resolve_mode(SandboxConfig()) == "bwrap":
        yield "bwrap"


@pytest.fixture(scope="module", params=list(_modes()))
def running_server(request, tmp_path_factory):
    mode = request.param
    folder = tmp_path_factory.mktemp(f"server-{mode}")
    sock_dir = folder / "private"
    sock_dir.mkdir(mode=0o700)
    sock = sock_dir / "grader.sock"
    log = open(folder / "server.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "--serve"], cwd=REPO, env=_env(sock, mode),
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300  # torch and every lab's tests are imported first; no wall-time verdict
    while not sock.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
    try:
        assert sock.exists(), f"the server did not start: {(folder / 'server.log').read_text()[-2000:]}"
        yield sock, folder / "server.log", mode
    finally:
        proc.terminate()
        proc.wait(60)
        log.close()


def _client(sock: Path, *args, cwd: Path = REPO):
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, env=_env(sock),
                          capture_output=True, text=True, timeout=600)


def test_a_command_handed_to_the_server_grades_like_a_one_shot(running_server, tmp_path):
    sock, log, _mode = running_server
    lab = labs.LABS["lab1"]
    # a relative path and a relative --json: both mean what they mean in the client's folder
    r = _client(sock, os.path.relpath(lab.solution, tmp_path), "--json", "ref.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    report = json.loads((tmp_path / "ref.json").read_text())
    assert report["score"] == report["max_score"] > 0
    assert "total" in r.stdout
    assert "graded:" in log.read_text(), "the command was not handed to the server"
    r = _client(sock, tmp_path / "missing.ipynb")  # the exit codes come back too
    assert r.returncode == 2 and "missing.ipynb" in r.stderr


def test_a_submission_being_graded_cannot_use_the_server(running_server, tmp_path):
    sock, log, mode = running_server
    # the attack works where it is allowed: run here, in a process that is not the server's descendant
    namespace: dict = {}
    exec(ATTACK.replace("SOCKET_PATH", repr(str(sock))), namespace)
    assert namespace["simultaneous_gda_step"](1.0, 2.0, 0.25) == (0.5, 2.25)
    nb = nbformat.read(str(labs.LABS["lab1"].solution), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(ATTACK.replace("SOCKET_PATH", repr(str(sock)))))
    attack = tmp_path / "lab1_attack.ipynb"
    nbformat.write(nb, str(attack))
    r = _client(sock, attack, "--json", tmp_path / "attack.json")
    assert r.returncode == 0, r.stderr
    report = json.loads((tmp_path / "attack.json").read_text())
    step = next(e for e in report["exercises"] if e["name"] == "simultaneous_gda_step")
    assert step["earned"] < step["points"], "the submission reached the grading server"
    assert sum(e["earned"] for e in report["exercises"]) == report["max_score"] - step["points"]
    if mode == "plain":  # the socket is visible there: the kernel's word on the peer refuses it
        assert "descends from the server" in log.read_text()


def test_the_socket_folder_must_be_private(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    monkeypatch.setenv(server.SOCKET_ENV, str(shared / "grader.sock"))
    with pytest.raises(server.ServerError, match="0700"):
        server.serve()
    link = tmp_path / "link"
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    link.symlink_to(private)
    monkeypatch.setenv(server.SOCKET_ENV, str(link / "grader.sock"))
    with pytest.raises(server.ServerError):
        server.serve()
    assert server.try_client(["--help"]) is None  # a client never talks through such a folder either


def test_a_leftover_socket_file_means_no_server(tmp_path, monkeypatch):
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    path = folder / "grader.sock"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(str(path))
    s.close()  # the file stays, nobody listens (a server killed with kill -9)
    monkeypatch.setenv(server.SOCKET_ENV, str(path))
    assert server.try_client(["--help"]) is None
    monkeypatch.setenv(server.SWITCH_ENV, "off")
    assert server.try_client(["--help"]) is None
