"""X's JSON read with orjson (the ``fast`` extra) or the stdlib: the same documents, the same errors."""

from __future__ import annotations

import json
import math
import pathlib

import pytest

import tweepy_dm._activity as activity
from tweepy_dm import webhooks
from tweepy_dm._stream import StreamStats, parse_line

EXAMPLES = json.loads(
    (pathlib.Path(__file__).parent.parent / "data" / "x_event_examples.json").read_text("utf-8")
)["examples"]
ODD = [
    b'{"id": 123456789012345678901234567890}',  # beyond 64 bits: orjson refuses it
    b'{"id": -9223372036854775809}',  # 19 digits, below -2**63: orjson reads a float
    b"-9223372036854775809",
    b'{"x": NaN, "y": -Infinity}',
    b'"\\ud800"',  # a lone surrogate
    '{"text": "caf\u00e9 \U0001f600"}',
    b'{"a": 1, "a": 2}',
]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_reads_as_the_stdlib_reads_it(parser, name):
    body = json.dumps(EXAMPLES[name]).encode()
    assert activity.loads(body) == json.loads(body)
    assert webhooks.parse_webhook(body) == webhooks.parse_webhook(EXAMPLES[name])


@pytest.mark.parametrize("document", ODD)
def test_what_orjson_refuses_is_read_by_the_stdlib(parser, document):
    got, expected = activity.loads(document), json.loads(document)
    if isinstance(expected, dict) and "x" in expected:
        assert math.isnan(got["x"])
        assert got["y"] == -math.inf
    else:
        assert got == expected


def test_a_bad_document_raises_the_stdlibs_error(parser):
    with pytest.raises(json.JSONDecodeError) as error:
        activity.loads(b'{"a": }')
    assert str(error.value) == "Expecting value: line 1 column 7 (char 6)"
    with pytest.raises(RecursionError):
        activity.loads(b"[" * 100_000 + b"]" * 100_000)


def test_the_stream_and_the_receivers_read_with_it(parser):
    line = json.dumps(EXAMPLES["xaa:dm.received"]).encode()
    stats = StreamStats()
    [event] = parse_line(line, stats)
    assert event.direct_message.text == "hello!"
    assert parse_line(b"[" * 100_000, stats) == []
    assert stats.bad_lines == 1
    with pytest.raises(ValueError, match="not JSON"):
        webhooks.parse_webhook(b"{")
