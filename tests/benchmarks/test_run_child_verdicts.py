"""benchmarks/run.py records the verdicts its child scripts print (xchat.py, realtime.py, bot.py)."""

from __future__ import annotations

import os
import sys

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "benchmarks")
)

import run
from _measure import Spread, Target


def _verdict(spread: Spread, target: Target) -> str:
    # How xchat.py, realtime.py and bot.py word a verdict after the spread.
    ok, note = target.verdict(spread)
    return ("met" if ok else "MISSED") + (f" ({note})" if note else "")


def test_each_scripts_verdict_lines_become_results_with_their_verdicts():
    missed = Spread.of([1.2, 1.25, 1.3])  # every round above the bound
    shaky = Spread.of([1.0, 1.05, 1.2, 1.0])  # met by the median, the range crosses
    slow = Spread.of([1_234.5, 2_000.0, 900.0])
    below = Target("<=", 1.1)
    lines = [
        "3. Decrypt a chat.received event (20 calls per batch, 7 rounds; CPU of this process)\n",
        f"   raw minimum: {slow.format(0)} µs per message\n",
        # xchat.py's section()
        f"   XChat.send, 3 users / raw: {missed.format()}  target {below}: "
        f"{_verdict(missed, below)}\n",
        # realtime.py's ratio lines
        f"   ratio webhook / bare (per round): {shaky.format(2)}"
        f"  target {Target('>=', 2 / 3, '2/3')}: {_verdict(shaky, Target('>=', 2 / 3))}\n",
        # bot.py's
        f"  {'reply':10} xchat / legacy: {shaky.format()}  target {below}: "
        f"{_verdict(shaky, below)}\n",
        f"   server CPU per request, bare / webhook: {shaky.format(2)} (12 µs against 9 µs)\n",
    ]
    results = run.verdicts("8. xchat.py", lines)
    assert [(r.metric, r.target, r.ok, r.note) for r in results] == [
        ("8. xchat.py: XChat.send, 3 users / raw", "<= 1.1", False, ""),
        ("8. xchat.py: ratio webhook / bare (per round)", ">= 2/3", True, ""),
        ("8. xchat.py: reply xchat / legacy", "<= 1.1", True, "the range crosses the target"),
    ]
    assert results[0].value == missed.format()


def test_the_xchat_sections_printed_verdicts_are_read_back(capsys):
    xchat = __import__("xchat")
    spreads = xchat.section(
        "a section",
        Target("<=", 1.1),
        {"raw": lambda: sum(range(2000)), "XChat.thing": lambda: sum(range(2000))},
        1,
        calls=2,
        rounds=3,
    )
    out = capsys.readouterr().out
    results = run.verdicts("8. xchat.py", out.splitlines(keepends=True))
    assert [result.metric for result in results] == ["8. xchat.py: XChat.thing / raw"]
    assert results[0].value == spreads["XChat.thing"].format()
    assert results[0].ok is Target("<=", 1.1).verdict(spreads["XChat.thing"])[0]
