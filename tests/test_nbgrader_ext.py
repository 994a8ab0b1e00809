"""nbgrader autograde: an untouched check cell gets its hidden tests back without a tampering warning; a check
cell a student edited is still reported (autograder/nbgrader_ext.py, used by nbgrader_config.py)."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import nbformat
import pytest
from nbgrader import utils
from nbgrader.preprocessors import OverwriteCells as NbgraderOverwriteCells

from autograder.nbgrader_ext import OverwriteCells

RELEASED = 'check("simultaneous_gda_step")'
SOURCE = RELEASED + '\n### BEGIN HIDDEN TESTS\ncheck.points("simultaneous_gda_step")\n### END HIDDEN TESTS'


def _cell(source: str):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "check_simultaneous_gda_step", "locked": True,
                                 "points": 2, "schema_version": 3, "solution": False, "task": False}
    cell.metadata.nbgrader["checksum"] = utils.compute_checksum(cell)
    return cell


class _Gradebook:
    """What OverwriteCells asks nbgrader's gradebook: the cell as recorded by generate_assignment."""

    def __init__(self):
        recorded = _cell(SOURCE)
        self.source_cell = SimpleNamespace(source=SOURCE, checksum=recorded.metadata.nbgrader["checksum"],
                                           locked=True, cell_type="code")

    def find_source_cell(self, name, notebook, assignment):
        return self.source_cell

    def find_graded_cell(self, name, notebook, assignment):
        return SimpleNamespace(max_score=2.0)


def _overwrite(cls, submitted: str, caplog):
    pp = cls()
    pp.gradebook, pp.notebook_id, pp.assignment_id = _Gradebook(), "lab1_minimax", "lab1_minimax"
    cell = _cell(submitted)
    with caplog.at_level(logging.WARNING):
        cell, _ = pp.preprocess_cell(cell, {}, 0)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    caplog.clear()
    return cell, warnings


def test_nbgrader_alone_warns_on_every_untouched_check_cell(caplog):
    """The cause: the recorded cell holds the hidden tests, the released one does not."""
    cell, warnings = _overwrite(NbgraderOverwriteCells, RELEASED, caplog)
    assert len(warnings) == 1 and "Attribute 'checksum' for cell check_simultaneous_gda_step" in warnings[0]
    assert cell.source == SOURCE


def test_an_untouched_check_cell_is_restored_silently(caplog):
    cell, warnings = _overwrite(OverwriteCells, RELEASED, caplog)
    assert warnings == []
    assert cell.source == SOURCE  # the hidden tests are back, as before


@pytest.mark.parametrize("edited", [RELEASED + "\nprint('all good')", 'print("2/2 passed")', ""])
def test_an_edited_check_cell_is_still_reported_and_restored(caplog, edited):
    cell, warnings = _overwrite(OverwriteCells, edited, caplog)
    assert len(warnings) == 1 and "checksum" in warnings[0]
    assert cell.source == SOURCE


def test_nbgrader_config_uses_it():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "nbgrader_config.py").read_text()
    assert "autograder.nbgrader_ext import OverwriteCells" in text and "sanitize_preprocessors" in text
