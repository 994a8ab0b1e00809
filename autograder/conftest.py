"""``pytest autograder`` grades the reference solutions; ``--submission PATH`` grades a notebook instead."""

from __future__ import annotations


def pytest_addoption(parser):
    group = parser.getgroup("autograder")
    group.addoption("--submission", action="append", default=[], metavar="NOTEBOOK",
                    help="grade this notebook instead of the reference solutions (repeatable)")
    group.addoption("--lab", action="store", default=None, help="the lab of --submission (default: detected)")
