"""Cell constructors for writing a new lab notebook from a script (nbgrader metadata included).

Use it once to create ``solutions/<lab>/<lab>.ipynb``; from then on the notebook itself is the
single source of truth (edit it in Jupyter). See docs/AUTHORING.md.
"""
import json, textwrap

def md(src, **kw):
    return {"cell_type": "markdown", "metadata": {}, "source": textwrap.dedent(src).strip("\n")}

def code(src, tags=None):
    c = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": textwrap.dedent(src).strip("\n")}
    if tags: c["metadata"]["tags"] = tags
    return c

def solution(grade_id, src):
    c = code(src)
    c["metadata"]["nbgrader"] = {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3, "solution": True, "task": False}
    return c

def test(grade_id, points, src):
    c = code(src)
    c["metadata"]["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True, "points": points, "schema_version": 3, "solution": False, "task": False}
    return c

def check_cell(name, points):
    return test(f"check_{name}", points, f'''
    check("{name}")
    ### BEGIN HIDDEN TESTS
    check.points("{name}")
    ### END HIDDEN TESTS
    ''')

def write(path, cells, lab):
    for i, c in enumerate(cells):
        c["id"] = f"c{i:03d}"
        src = c["source"]
        lines = src.split("\n")
        c["source"] = [l + "\n" for l in lines[:-1]] + [lines[-1]]
    nb = {"cells": cells, "metadata": {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}, "ganlab": {"lab": lab}},
        "nbformat": 4, "nbformat_minor": 5}
    with open(path, "w") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")
