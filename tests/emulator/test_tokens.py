"""The emulator's keys and tokens: alphanumeric, as long as asked, never the same twice."""

from __future__ import annotations

import string

from tweepy_dm.emulator._state import _token


def test_tokens_are_alphanumeric_of_the_length_asked_and_use_the_whole_alphabet():
    alphabet = set(string.ascii_letters + string.digits)
    for length in (1, 25, 50, 90, 300):
        token = _token(length)
        assert len(token) == length
        assert set(token) <= alphabet
    assert len({_token(40) for _ in range(200)}) == 200
    # 62 symbols drawn 20,000 times: each shows up (none is left out by the byte mapping).
    assert set(_token(20_000)) == alphabet
