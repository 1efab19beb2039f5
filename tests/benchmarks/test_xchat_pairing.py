"""benchmarks/xchat.py's paired rounds: each ratio from halves run side by side with its floor."""

from __future__ import annotations

import os
import sys

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "benchmarks")
)

import xchat as bench


def recording(order: list[str], costs: dict[str, list[float]]):
    def batch_of(name: str):
        def batch() -> float:
            order.append(name)
            return costs[name].pop(0)

        return batch

    return {name: batch_of(name) for name in costs}


def test_each_block_is_abba_or_its_mirror_and_the_order_alternates():
    order: list[str] = []
    costs = {name: [1.0] * 40 for name in ("raw", "a", "b")}
    bench.paired_rounds(recording(order, costs), {"a": "raw", "b": "raw"}, rounds=3)
    blocks = [tuple(order[start : start + 4]) for start in range(0, len(order), 4)]
    assert len(blocks) == 2 * 4  # a warm-up round and three rounds, two contenders each
    for block in blocks:
        contender = next(side for side in block if side != "raw")
        assert block in (("raw", contender, contender, "raw"), (contender, "raw", "raw", contender))
    firsts = [block[0] == "raw" for block in blocks]
    assert firsts.count(True) == firsts.count(False)  # neither side always goes first


def test_a_ratio_is_the_contenders_two_halves_over_its_floors_two_in_the_same_block():
    order: list[str] = []
    # The floor costs 1 then 3 in each block (a load rising through it); the contender 2 and 4.
    costs = {"raw": [1.0, 3.0] * 2, "a": [2.0, 4.0] * 2}
    ratios, floors = bench.paired_rounds(recording(order, costs), {"a": "raw"}, rounds=1)
    assert ratios == {"a": [(2.0 + 4.0) / (1.0 + 3.0)]}  # the warm-up round is dropped
    assert floors == {"raw": [(1.0 + 3.0) / 2]}
