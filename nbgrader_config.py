"""nbgrader configuration: ``solutions/`` is the source folder, ``labs/`` the release folder.

The autograde kernel gets the checkout on its ``PYTHONPATH`` so that the hidden
tests (``autograder.hidden``) can be imported by the instructor-side check cells.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH", "")] if p)
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # for autograder.nbgrader_ext below, in nbgrader's own process

(ROOT / ".nbgrader").mkdir(exist_ok=True)  # holds the gradebook database (ignored by git)

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "labs"
c.CourseDirectory.db_url = f"sqlite:///{ROOT / '.nbgrader' / 'gradebook.db'}"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# Everything in a lab runs in fast mode under nbgrader (NBGRADER_EXECUTION is set by nbgrader itself);
# the longest lab cell is far below this.
c.ExecutePreprocessor.timeout = 600

# Untouched check cells get their hidden tests back without nbgrader's "Attribute 'checksum' for cell check_...
# has changed!" warning (one per check cell per student, which read like tampering); a locked cell a student
# really edited is still reported. Why the warning appears at all: autograder/nbgrader_ext.py.
try:
    from autograder.nbgrader_ext import OverwriteCells
    from nbgrader.converters import Autograde
except ImportError:  # a course folder without this checkout on the path: nbgrader's own behaviour
    pass
else:
    _default = Autograde.class_traits()["sanitize_preprocessors"].make_dynamic_default()
    c.Autograde.sanitize_preprocessors = [OverwriteCells if pp.__name__ == "OverwriteCells" else pp for pp in _default]
