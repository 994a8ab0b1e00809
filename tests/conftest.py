"""Parallel runs (pytest-xdist; ``bin/test`` uses ``-n 2 --dist loadgroup``): a test module with an expensive
module-scoped fixture (a whole catalog or corpus graded, a fake Colab built) runs on one worker, so that the
fixture is made once, not once per worker, and so that its tests, which may look at machine-wide state (the
corpus's kill-the-grader tests scan every process for their marker), never overlap one another. A test that
names its own ``xdist_group`` keeps it (the catalog groups its entries per lab, so two labs' catalogs can be
graded at the same time)."""

from __future__ import annotations

import os

import pytest

# A grading server the developer left running must not answer the commands the tests run (tests/test_server.py
# starts its own and says so explicitly).
os.environ["GANLAB_GRADER_SERVER"] = "off"


def _uses_module_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(defs and defs[-1].scope == "module" for defs in info.name2fixturedefs.values())


# tryfirst: pytest-xdist reads the xdist_group marks in its own pytest_collection_modifyitems (it appends the group
# to each node id); run after it, as this hook did until 2026-11-30, the marks added here came too late and the
# corpus fixture was built on both workers (159 s each in CI).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    grouped = {item.module.__name__ for item in items if getattr(item, "module", None) is not None
               and _uses_module_fixture(item)}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and module.__name__ in grouped and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(module.__name__))
