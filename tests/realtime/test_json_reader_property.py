"""The fast JSON readers (msgspec, orjson) give what ``json.loads`` gives, or raise what it raises."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import tweepy_dm._activity as activity

# Every code point, lone surrogates included: JSON escapes them, and the stdlib
# reads them escaped or (with surrogatepass) as UTF-8 bytes.
TEXT = st.text(st.characters(blacklist_categories=()), max_size=12)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()  # unbounded: beyond 64 bits too
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()  # NaN and the infinities too (the stdlib reads and writes them)
    | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
# The bytes of documents near JSON: mostly malformed, some valid.
TOKENS = b'{ } [ ] , : " \\ u d800 1 - 0 . e E + NaN Infinity true null a'.split()
TOKENS += [b"9" * 20, b" ", b"\t", b"\x00", b"\x1f", b"\xc3\xa9", b"\xed\xa0\x80", b"\xff"]
TOKENS += [b"\xef\xbb\xbf"]  # a UTF-8 byte order mark
NEAR_JSON = st.lists(st.sampled_from(TOKENS), max_size=16).map(b"".join)
PROPERTY = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def outcome(read, document):
    """What reading gives: the value (as repr, so NaN, -0.0 and 1 vs 1.0 count), or the error."""
    try:
        return "value", repr(read(document))
    except RecursionError:
        return "error", "RecursionError"
    except ValueError as error:
        return "error", type(error), str(error)


@PROPERTY
@given(value=JSON, ensure_ascii=st.booleans(), indent=st.sampled_from([None, 0, 2]))
def test_a_document_reads_as_the_stdlib_reads_it(parser, value, ensure_ascii, indent):
    text = json.dumps(value, ensure_ascii=ensure_ascii, indent=indent)
    document = text.encode("utf-8", "surrogatepass")
    assert outcome(activity.loads, document) == outcome(json.loads, document)


@PROPERTY
@given(document=NEAR_JSON)
@example(document=b"1" * 5000)  # beyond the stdlib's 4300 digits: its ValueError
@example(document=b"1e400")  # the stdlib's inf, which msgspec refuses
@example(document=b'\xef\xbb\xbf{"a": 1}')  # a byte order mark, which the stdlib skips
@example(document='{"a": [1, 2.5]}'.encode("utf-16"))  # the stdlib detects UTF-16
@example(document=b'{"a": 1, "a": 2}')  # the last one wins
def test_any_bytes_read_or_fail_as_the_stdlib_reads_them(parser, document):
    assert outcome(activity.loads, document) == outcome(json.loads, document)


@pytest.mark.parametrize("document", [b"[" * 100_000 + b"]" * 100_000, b"[" * 3000 + b"]" * 3000])
def test_deep_nesting_reads_or_fails_as_in_the_stdlib(parser, document):
    assert outcome(activity.loads, document) == outcome(json.loads, document)
