"""The benchmark harness's rounds, spreads and verdicts (benchmarks/_measure.py)."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "benchmarks"))

from _measure import Spread, Target, ratios, rounds_of


def test_rounds_rotate_the_order_and_drop_the_warm_up_round():
    order = []

    def batch(name):
        def run():
            order.append(name)
            return float(len(order))

        return run

    results = rounds_of({name: batch(name) for name in "abc"}, rounds=3)
    # Warm-up (round -1 starts at c), then a b c, b c a, c a b.
    assert order == list("cababcbcacab")
    assert results == {"a": [4.0, 9.0, 11.0], "b": [5.0, 7.0, 12.0], "c": [6.0, 8.0, 10.0]}
    # Every contender ran first once, and last once, in the measured rounds.
    assert {order[3], order[6], order[9]} == {"a", "b", "c"}
    assert {order[5], order[8], order[11]} == {"a", "b", "c"}


def test_ratios_pair_measurements_of_the_same_round():
    spread = ratios([2.0, 4.0, 9.0, 1.0, 3.0], [4.0, 4.0, 3.0, 2.0, 6.0])
    assert spread.median == 0.5
    assert (spread.low, spread.high, spread.count) == (0.5, 3.0, 5)
    assert (spread.q1, spread.q3) == (0.5, 1.0)
    assert spread.format() == "0.50 (0.50-3.00; IQR 0.50-1.00)"


def test_a_single_round_has_no_spread():
    assert Spread.of([1.5]) == Spread(1.5, 1.5, 1.5, 1.5, 1.5, 1)


@pytest.mark.parametrize(
    ("values", "target", "verdict"),
    [
        ([0.5, 0.55, 0.58], Target("<=", 0.6), (True, "")),
        ([0.7, 0.8, 0.9], Target("<=", 0.6), (False, "")),
        ([0.5, 0.55, 0.58, 0.59, 0.7], Target("<=", 0.6), (True, "the range crosses the target")),
        ([0.4, 0.5, 0.62, 0.65, 0.7], Target("<=", 0.6), (False, "the IQR crosses the target")),
        ([1.5, 1.7, 1.9], Target(">=", 1.6), (True, "the range crosses the target")),
        ([1.6, 1.6, 1.6], Target(">=", 1.6), (True, "")),
    ],
)
def test_the_verdict_uses_the_median_and_says_when_noise_could_flip_it(values, target, verdict):
    assert target.verdict(Spread.of(values)) == verdict


def test_targets_print_their_bound():
    assert str(Target(">=", 2 / 3, "2/3")) == ">= 2/3"
    assert str(Target("<=", 0.6)) == "<= 0.6"
