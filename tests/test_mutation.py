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
    for lab_id in labs.LABS:
        cells = mutation.exercise_cells(lab_id)
        for m in mutation.mutants(lab_id):
            lo, hi = mutation._solution_region(cells[m.exercise])
            assert lo <= m.line <= hi, m.id


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
