"""Tell a Jupyter stall from slow work, by CPU time rather than wall time.

Now and then (a few runs in twenty on the 2-core machine, with ipykernel 7.4 and with 6.31) a Jupyter client
waits forever for an execute reply while the kernel sits idle, its cell finished. Slow work always spends CPU
time; a stall spends none. :class:`IdleWatch` samples the CPU time of a process and all its descendants and
calls ``on_idle`` once none of them has used any for ``idle_s`` seconds, so a stall is stopped within about a
minute however busy the machine is, and a slow cell on a loaded machine is never mistaken for one.
"""

from __future__ import annotations

import os
import threading
from typing import Callable

def _stat_fields(pid: int) -> list[bytes] | None:
    """Fields 3 onwards of ``/proc/PID/stat`` (after the command name, which may hold spaces); None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    return stat[stat.rfind(b")") + 2:].split()


def tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    from autograder.sandbox import descendants

    return descendants(root)


def kill_kernels_below(root: int) -> None:
    """SIGKILL every Jupyter kernel process below ``root`` (its client then reports a dead kernel)."""
    import signal

    for pid in tree(root)[1:]:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"ipykernel" in f.read():
                    os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    """User plus system CPU time of each living process, in clock ticks."""
    out = {}
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            out[pid] = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return out


class IdleWatch:
    """A daemon thread: ``on_idle()`` once the processes under ``root`` (itself included unless ``include_root``
    is false) have used less than ``min_ticks`` clock ticks of CPU in all for ``idle_s`` seconds (an idle
    kernel's housekeeping threads wake now and then). A process that appears or exits counts as activity."""

    def __init__(self, root: int, on_idle: Callable[[], None], idle_s: float = 60.0, every_s: float = 2.0,
                 include_root: bool = True, min_ticks: int = 25):
        self.root, self.on_idle, self.idle_s, self.every_s = root, on_idle, idle_s, every_s
        self.min_ticks = min_ticks
        self.include_root = include_root
        self.fired = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-watch", daemon=True)

    def _sample(self) -> dict[int, int]:
        pids = tree(self.root)
        if not self.include_root:
            pids = [p for p in pids if p != self.root]
        return cpu_ticks(pids)

    def _run(self) -> None:
        import time

        base, quiet_since = self._sample(), time.monotonic()
        while not self._stop.wait(self.every_s):
            now = self._sample()
            if now.keys() != base.keys() or sum(now.values()) - sum(base.values()) >= self.min_ticks:
                base, quiet_since = now, time.monotonic()
            elif time.monotonic() - quiet_since >= self.idle_s:
                self.fired = True
                self.on_idle()
                return

    def __enter__(self) -> "IdleWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
