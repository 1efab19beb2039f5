"""A webhook replay's window (past, ordered, within 24 hours) is the webhook hub's rule: it
refuses with domain errors, which the routes render as X's 400 (``QueryParamInvalid``)."""

from __future__ import annotations

import time

import pytest

from tweepy_dm.emulator._backend import Invalid, NotFound
from tweepy_dm.emulator._errors import Problem
from tweepy_dm.emulator._routes import problem_for


def _minute(moment: float) -> str:
    return time.strftime("%Y%m%d%H%M", time.gmtime(moment))


def test_a_window_ending_in_the_future_is_refused_by_the_hub(emulator):
    hooks = emulator.webhooks
    now = hooks.now()
    with pytest.raises(Invalid, match="`to_date` is in the future") as refused:
        hooks.replay(5, now - 600, now + 600)
    assert not isinstance(refused.value, Problem)  # no HTTP in the rules
    problem = problem_for(refused.value)
    assert problem.status == 400
    assert problem.body()["errors"][0]["parameters"] == {"to_date": [_minute(now + 600)]}


@pytest.mark.parametrize(
    ("start", "end", "match"),
    [
        (60, 0, "`from_date` is in the future"),
        (-60, -120, "`from_date` is not before `to_date`"),
        (-25 * 3600, -60, "`from_date` is older than 24 hours"),
    ],
)
def test_the_window_is_checked_before_the_webhook(emulator, start, end, match):
    hooks = emulator.webhooks
    now = hooks.now()
    with pytest.raises(Invalid, match=match):
        hooks.replay(5, now + start, now + end)
    with pytest.raises(NotFound):  # a good window: then the unknown webhook
        hooks.replay(5, now - 600, now - 60)
