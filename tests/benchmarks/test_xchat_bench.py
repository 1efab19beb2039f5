"""benchmarks/xchat.py on the smallest sizes: every contender runs and is compared, no timing."""

from __future__ import annotations

import os
import sys

import pytest

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "benchmarks")
)

import xchat as bench


def test_every_contender_is_measured_against_the_raw_minimum_with_few_and_many_users(capsys):
    results = bench.run({"others": 2, "calls": 1, "rounds": 1})
    assert set(results) == {"send", "read", "decrypt"}
    assert set(results["send"]) == {
        f"{kind}, {known} users"
        for kind in ("XChat.send", "AsyncXChat.send", "Client(xchat_key).create_dm")
        for known in (3, 4)
    }
    assert set(results["read"]) == {
        f"{kind}, {known} users"
        for kind in (
            "XChat.get_messages",
            "AsyncXChat.get_messages",
            "Client(xchat_key).get_dm_events",
        )
        for known in (3, 4)
    }
    assert len(results["decrypt"]) == 6
    spreads = [spread for part in results.values() for spread in part.values()]
    assert all(spread.median > 0 and spread.count == 1 for spread in spreads)
    out = capsys.readouterr().out
    assert "raw minimum" in out
    assert "target <= 1.1" in out


def test_the_raw_read_decrypts_and_verifies_the_whole_page():
    others = [1000]
    conversations = [(bench.ALICE, bench.BOB, 1), (bench.ALICE, 1000, 1)]
    with bench.EmulatorProcess(conversations) as emulator:
        world = bench.World(emulator, others)
        raw = bench.Raw(world)
        assert raw.read() == bench.PAGE
        event = raw.decrypt(world.bob.send(bench.ALICE, "x").encoded_event)
        assert event["verified"] is True
