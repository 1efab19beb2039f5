"""XChat conversation ids: every form X uses, checked and converted in one place."""

from __future__ import annotations

import pytest

from tweepy_dm import _chat_ids


@pytest.mark.parametrize(
    ("given", "path", "event"),
    [
        ("2244994945", "2244994945", "2244994945"),
        (2244994945, "2244994945", "2244994945"),
        ("1111-2222", "1111-2222", "1111:2222"),
        ("2222:1111", "1111-2222", "1111:2222"),
        ("10-9", "9-10", "9:10"),  # lower by value, not as text
        ("g1900000000000000001", "g1900000000000000001", "g1900000000000000001"),
    ],
)
def test_every_form_converts(given, path, event):
    assert _chat_ids.path_id(given) == path
    assert _chat_ids.event_id(given) == event


@pytest.mark.parametrize(
    ("given", "error", "match"),
    [
        ("1111_2222", ValueError, "LOW-HIGH"),
        ("1111-1111", ValueError, "two different users"),
        ("0-5", ValueError, "two different users"),
        ("g", ValueError, "group"),
        ("1" * 20, ValueError, "user id"),
        (0, ValueError, "user id"),
        (True, TypeError, "str or an int"),
        (1.0, TypeError, "str or an int"),
        ("1111-2222-3333", ValueError, "LOW-HIGH"),
    ],
)
def test_bad_ids_are_refused_with_the_forms_allowed(given, error, match):
    with pytest.raises(error, match=match):
        _chat_ids.path_id(given)


def test_one_to_one_and_groups():
    assert _chat_ids.one_to_one(2222, "1111") == "1111-2222"
    assert _chat_ids.is_group("g12")
    assert not _chat_ids.is_group("1111:2222")
    with pytest.raises(ValueError, match="user_b"):
        _chat_ids.one_to_one(1, "x")
