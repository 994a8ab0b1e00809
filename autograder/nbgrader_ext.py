"""nbgrader without false tampering warnings: hidden tests restored into untouched check cells are expected.

A check cell in ``solutions/`` holds the public check and, between ``### BEGIN HIDDEN TESTS`` and
``### END HIDDEN TESTS``, the instructor-side scoring line. ``nbgrader generate_assignment`` records each locked
cell in the gradebook *with* its hidden tests (``SaveCells`` runs before ``ClearHiddenTests``), and writes the
student version *without* them, with a checksum of that shorter source. At ``nbgrader autograde``, its
``OverwriteCells`` compares the submitted cell's checksum with the recorded one; they always differ for a cell
with hidden tests, so nbgrader logs "Attribute 'checksum' for cell check_... has changed!" and puts the
recorded source back, which is exactly how the hidden tests get into the graded notebook. The warning is
therefore printed for every check cell of every untouched notebook (eight per student in Lab 1).

:class:`OverwriteCells` here does the same work and warns only when the submitted cell is not the released
one, i.e. when a student really edited a locked cell; nbgrader_config.py puts it in place of nbgrader's own.
Nothing in the notebooks has to change for this. (The only notebook-side alternative would be to keep no hidden
tests inside locked check cells, e.g. a separate hidden cell, which nbgrader cannot hide from students.)
"""

from __future__ import annotations

import copy

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests
from nbgrader.preprocessors import OverwriteCells as _NbgraderOverwriteCells


class OverwriteCells(_NbgraderOverwriteCells):
    """nbgrader's ``OverwriteCells``, quiet about the expected restoration of hidden tests."""

    def preprocess_cell(self, cell, resources, cell_index):
        self._submitted = copy.deepcopy(cell)
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name, attr, old, new):
        if attr == "checksum" and self._is_released_cell(name):
            self.log.debug("Cell %s is the released cell: its hidden tests are put back", name)
            return
        super().report_change(name, attr, old, new)

    def _is_released_cell(self, name: str) -> bool:
        """Is the submitted cell exactly the recorded one with its hidden tests removed (as released)?"""
        try:
            recorded = self.gradebook.find_source_cell(name, self.notebook_id, self.assignment_id)
        except Exception:  # noqa: BLE001 - no record: let nbgrader report as usual
            return False
        released = copy.deepcopy(self._submitted)
        released.source = recorded.source
        clear = ClearHiddenTests(config=self.config)
        if not clear._remove_hidden_test_region(released):
            return False  # no hidden tests: a changed checksum is a real change
        return utils.compute_checksum(released) == utils.compute_checksum(self._submitted)
