"""The outbox's send-then-check as a flow, stepped by hand: no sockets, no store.

Every branch: sent, the answer lost then the message found, lost then not found
then sent again, rate limited, never written, refused; and the driver's
classification that tells "never written" from "outcome unknown".
"""

from __future__ import annotations

import datetime
import json

import requests
import tweepy
from urllib3.exceptions import MaxRetryError, NewConnectionError

from tests.helpers import FakeClock
from tweepy_dm import _policy
from tweepy_dm._flow import Send, Stepper
from tweepy_dm.bot import _sending
from tweepy_dm.bot._drivers import Driver
from tweepy_dm.bot._store import CHECKING, DEAD, PENDING, SENDING, SENT, UNKNOWN, OutboxRow

BOT, ALICE = "1000", "2000"
SETTLE = 90.0


def _row(state=SENDING, attempt_at=None, text="hello"):
    return OutboxRow(1, BOT, f"user {BOT} x", text, None, ALICE, None, state, attempt_at)


def _error(status, headers=None):
    response = requests.Response()
    response.status_code, response.reason = status, "x"
    response.headers.update(headers or {})
    response._content = json.dumps({"title": "x", "detail": "x"}).encode()
    return {429: tweepy.TooManyRequests, 503: tweepy.TwitterServerError}.get(
        status, tweepy.BadRequest
    )(response)


def _flow(row, clock, known=()):
    return _sending.deliver(
        row, user_auth=True, known=known, clock=clock, settle=SETTLE, check_delay=2.0
    )


def _step(flow, answers):
    """Run ``flow``: each Send gets the next answer (a value, or an error thrown in)."""
    stepper, requests_seen = Stepper(flow), []
    for effect in stepper:
        assert isinstance(effect, Send)
        requests_seen.append(effect.request)
        answer = answers.pop(0)
        if isinstance(answer, BaseException):
            stepper.error = answer
        else:
            stepper.result = answer
    assert not answers, "the flow sent fewer requests than expected"
    return stepper.value, requests_seen


def _dm(event_id, text, at, sender=BOT):
    when = datetime.datetime.fromtimestamp(at, datetime.timezone.utc)
    return {
        "id": event_id,
        "text": text,
        "sender_id": sender,
        "event_type": "MessageCreate",
        "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }


def test_sent_records_the_event_id_and_x_headers():
    clock = FakeClock(1000.0)
    headers = {"x-rate-limit-remaining": "14"}
    outcome, sent = _step(_flow(_row(), clock), [({"data": {"dm_event_id": "77"}}, headers)])
    assert outcome == _sending.Outcome(SENT, headers=headers, sent_event_id="77")
    assert sent[0].method == "POST"
    assert sent[0].route == f"/2/dm_conversations/with/{ALICE}/messages"
    assert sent[0].json == {"text": "hello"}


def test_a_lost_answer_waits_until_the_send_cannot_land_then_is_found():
    clock = FakeClock(1000.0)
    lost = _policy.Retryable(requests.ReadTimeout("read timed out"))
    outcome, _ = _step(_flow(_row(attempt_at=999.0), clock), [lost])
    assert outcome.state == UNKNOWN
    assert outcome.next_at == 999.0 + SETTLE  # not before it can no longer land
    assert outcome.error == "ReadTimeout"

    clock.advance(SETTLE)
    page = {
        "data": [_dm("90", "hello", 1001.0), _dm("80", "hello", 1000.5)],
        "meta": {"next_token": "older"},
    }
    outcome, sent = _step(
        _flow(_row(CHECKING, attempt_at=999.0), clock, known={"90"}), [(page, {})]
    )
    # 90 is another reply the outbox knows it sent: 80 is this attempt.
    assert outcome == _sending.Outcome(SENT, sent_event_id="80")
    assert sent[0].method == "GET"
    assert sent[0].route == f"/2/dm_conversations/{BOT}-{ALICE}/dm_events"


def test_a_lost_answer_not_found_back_to_its_start_is_sent_again():
    clock = FakeClock(2000.0)
    newest = {"data": [_dm("95", "other", 1995.0, sender=ALICE)], "meta": {"next_token": "t2"}}
    older = {"data": [_dm("60", "hello", 900.0)], "meta": {"next_token": "t3"}}
    outcome, sent = _step(
        _flow(_row(CHECKING, attempt_at=1000.0), clock), [(newest, {}), (older, {})]
    )
    # The second page reaches back past the attempt's start (less the clock skew): no
    # older page is asked for, and the "hello" of long ago is not this attempt.
    assert outcome == _sending.Outcome(PENDING)
    assert [request.params.get("pagination_token") for request in sent] == [None, "t2"]

    outcome, _ = _step(_flow(_row(attempt_at=None), clock), [({"data": {"dm_event_id": "99"}}, {})])
    assert outcome.state == SENT
    assert outcome.sent_event_id == "99"


def test_rate_limited_waits_for_x_window_with_x_headers():
    clock = FakeClock(1000.0)
    error = _error(429, {"x-rate-limit-remaining": "0", "x-rate-limit-reset": "1300"})
    limited = _policy.RateLimited(error, 301.0)
    outcome, _ = _step(_flow(_row(), clock), [limited])
    assert outcome.state == PENDING
    assert outcome.next_at == 1301.0
    assert outcome.headers["x-rate-limit-reset"] == "1300"
    # A look-up that is rate limited stays a look-up.
    outcome, _ = _step(_flow(_row(CHECKING, attempt_at=900.0), clock), [limited])
    assert outcome == _sending.Outcome(UNKNOWN, next_at=1301.0)


def test_a_request_never_written_is_sent_again_soon_and_a_refusal_is_dead():
    clock = FakeClock(1000.0)
    never = _policy.NotSent(requests.ConnectTimeout("connect timed out"))
    outcome, _ = _step(_flow(_row(attempt_at=999.0), clock), [never])
    assert outcome == _sending.Outcome(PENDING, next_at=1002.0, error="ConnectTimeout")
    outcome, _ = _step(_flow(_row(), clock), [_error(400)])
    assert outcome.state == DEAD
    assert "400" in outcome.error
    server = _policy.Retryable(_error(503))
    outcome, _ = _step(_flow(_row(attempt_at=999.0), clock), [server])
    assert outcome.state == UNKNOWN
    assert outcome.next_at == 999.0 + SETTLE


def test_the_driver_classifies_by_the_error_type_not_its_text():
    classify = Driver(FakeClock(1000.0))._on_error(
        True, (requests.RequestException, OSError), (requests.ConnectTimeout, NewConnectionError)
    )
    refused = requests.ConnectionError(
        MaxRetryError(None, "/x", NewConnectionError(None, "refused"))
    )
    assert isinstance(classify(refused), _policy.NotSent)
    assert isinstance(classify(requests.ConnectTimeout()), _policy.NotSent)
    # Reset after the request was written, even if its text says "NewConnectionError".
    reset = requests.ConnectionError("Connection reset; not a NewConnectionError")
    assert type(classify(reset)) is _policy.Retryable
    assert type(classify(requests.ReadTimeout())) is _policy.Retryable
    assert isinstance(classify(_error(429, {"x-rate-limit-reset": "1100"})), _policy.RateLimited)
    assert isinstance(classify(_error(400)), tweepy.BadRequest)


def test_a_message_the_builder_refuses_is_dead_before_anything_is_sent():
    outcome, sent = _step(_flow(_row(text=""), FakeClock()), [])
    assert outcome.state == DEAD
    assert sent == []
