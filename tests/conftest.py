"""Parallel runs (pytest-xdist, ``bin/test`` uses ``-n 2 --dist loadgroup``): tests that share an expensive
module-scoped fixture run on one worker, so that the fixture (a whole catalog or corpus graded, a fake Colab
built) is made once, not once per worker. A test that names its own ``xdist_group`` keeps it (the catalog
groups its entries per lab, so two labs' catalogs can be graded at the same time)."""

from __future__ import annotations

import pytest


def _uses_module_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(defs and defs[-1].scope == "module" for defs in info.name2fixturedefs.values())


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("xdist_group") is None and _uses_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
