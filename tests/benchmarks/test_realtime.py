"""benchmarks/realtime.py's measurement functions on tiny inputs: output shapes only, no timing."""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "benchmarks")
)

import realtime

HAS_XDK = importlib.util.find_spec("xdk") is not None


@pytest.fixture(scope="module")
def lines():
    return realtime.stream_lines(7, templates=3)


def test_stream_lines_are_distinct_crlf_terminated_events(lines):
    assert len(lines) == 7
    assert all(line.endswith(b"\r\n") and b'"dm.received"' in line for line in lines)
    assert len(set(lines)) == 7  # each has its own event_uuid, so dedupe keeps them all


def test_our_flow_dispatches_every_line_however_it_is_chunked(lines):
    seen = []
    for size in (1, 5, realtime.CHUNK_SIZE):
        seen.clear()
        chunks = realtime.chunks_of(lines, size)
        assert realtime.ours_parse(chunks, seen.append) == 7
        assert [event.event_type for event in seen] == ["dm.received"] * 7
        assert all(event.direct_message.sender_id == realtime.BOB for event in seen)


# xdk is a benchmark-only dependency: tox -e thorough installs it, so CI runs this.
@pytest.mark.thorough
@pytest.mark.skipif(not HAS_XDK, reason="xdk is a benchmark-only dependency, not in any extra")
def test_xdk_side_parses_the_same_lines(lines):
    texts = realtime.xdk_texts(realtime.chunks_of(lines, 5))
    items = []
    assert realtime.xdk_parse(texts, items.append) == 7
    assert [item.data.event_type for item in items] == ["dm.received"] * 7


def test_webhook_phase_costs_cover_the_three_phases():
    costs = realtime.phase_costs(realtime.webhook_bodies(3))
    assert set(costs) == {"verify", "parse", "dispatch"}
    assert all(value >= 0 for value in costs.values())


def test_latencies_one_per_message():
    values = realtime.latencies(3)
    assert len(values) == 3
    assert all(value > 0 for value in values)
    assert realtime.percentile(values, 0.5) in values


def test_percentile_picks_an_element():
    assert realtime.percentile([5.0, 1.0, 3.0], 0.5) == 3.0
    assert realtime.percentile([5.0, 1.0, 3.0], 0.99) == 5.0
