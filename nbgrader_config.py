"""nbgrader configuration: ``solutions/`` is the source folder, ``labs/`` the release folder.

The autograde kernel gets the checkout on its ``PYTHONPATH`` so that the hidden
tests (``autograder.hidden``) can be imported by the instructor-side check cells.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH", "")] if p)

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
