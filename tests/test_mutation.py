"""Mutation testing: the operators make the mutants they promise, and a seeded sample of the mutants that the
committed measurement (benchmarks/mutation/<lab>.json) recorded as killed stays killed."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from autograder import labs, mutation
from cosmic_ray.mutating import mutate_code

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "mutation"
SAMPLE = 8


@pytest.mark.parametrize("op", sorted(mutation.DOMAIN_OPERATORS))
def test_domain_operator_examples(op):
    cls = mutation.DOMAIN_OPERATORS[op]
    for ex in cls.examples():
        assert mutate_code(ex.pre_mutation_code, cls(), ex.occurrence) == ex.post_mutation_code


def test_only_the_solution_part_is_mutated():
    """Every mutant changes a line inside a solution region, and a class's later regions (its forward) are
    mutated too, not only the first (its __init__), which was all the tool mutated until 2026-11-30."""
    in_later_regions = 0
    for lab_id in labs.LABS:
        cells = mutation.exercise_cells(lab_id)
        for m in mutation.mutants(lab_id):
            regions = mutation._solution_regions(cells[m.exercise])
            inside = [k for k, (lo, hi) in enumerate(regions) if lo <= m.line <= hi]
            assert inside, m.id
            in_later_regions += inside[0] > 0
    assert in_later_regions > 0


def test_solution_regions_of_a_class_cell():
    source = ("class Net:\n    def __init__(self):\n        ### BEGIN SOLUTION\n        self.a = 1\n"
              "        ### END SOLUTION\n\n    def forward(self, x):\n        \"\"\"Doc.\"\"\"\n"
              "        ### BEGIN SOLUTION\n        return x + self.a\n        ### END SOLUTION\n")
    assert mutation._solution_regions(source) == [(3, 5), (9, 11)]
    assert mutation._solution_regions("x = 1\ny = 2\n") == [(1, 2)]


@pytest.mark.parametrize("lab_id", list(labs.LABS))
def test_sample_of_killed_mutants_stays_killed(lab_id):
    path = RESULTS / f"{lab_id}.json"
    assert path.exists(), f"measure it: python -m autograder.mutation {lab_id} --json {path}"
    recorded = json.loads(path.read_text(encoding="utf-8"))
    killed = {m["id"] for m in recorded["mutants"] if m["killed"]}
    current = {m.id: m for m in mutation.mutants(lab_id)}
    pool = sorted(killed & set(current))
    assert len(pool) >= 0.8 * len(killed), "the reference changed since the measurement: measure again"
    chosen = [current[i] for i in random.Random(0).sample(pool, min(SAMPLE, len(pool)))]
    outcomes = mutation.run(lab_id, chosen, jobs=2, timeout=120)
    survivors = [m.id for m, o in zip(chosen, outcomes) if not o["killed"]]
    assert not survivors, f"mutants recorded as killed now survive: {survivors}"
