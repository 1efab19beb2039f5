"""benchmarks/dm_chat.py on the smallest size: the scenario tests run and pass, no timing."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "benchmarks")
)

import dm_chat as bench


def test_the_scenarios_run_under_pytest_and_their_time_is_measured():
    result = bench.run(2, cores=1)
    assert result["scenarios"] == 2
    assert result["wall"] > 0
    assert result["cpu_per_core"] > 0


def test_a_failing_scenario_fails_the_benchmark(monkeypatch):
    broken = bench.SCENARIO_FILE.replace('f"Ada {n}" in', '"Bob" in')
    assert broken != bench.SCENARIO_FILE
    monkeypatch.setattr(bench, "SCENARIO_FILE", broken)
    with pytest.raises(RuntimeError, match="scenario tests failed"):
        bench.run(1, cores=1)
