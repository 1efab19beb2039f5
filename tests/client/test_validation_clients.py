"""Bad input the first checks let through, refused before sending, the same on both clients.

A wrong type is a ``TypeError``, a wrong value a ``ValueError``; where 0.1
raised ``ValueError`` for a wrong type, the error is both (``WrongTypeError``).
"""

from __future__ import annotations

import io

import pytest

from tests.conftest import requires_async
from tests.helpers import Clients, tiny_files
from tests.loopback import LoopbackServer, json_reply
from tweepy_dm._exceptions import WrongTypeError
from tweepy_dm._media import MB

ALICE, BOB, CAROL = "750362064426721281", "1072250532645998596", "145336962"
SENT = {"data": {"dm_conversation_id": "1", "dm_event_id": "2"}}


def _refused(clients, exception, match, name, *args, **kwargs):
    client = clients.recording((201, SENT))
    with pytest.raises(exception, match=match) as error:
        client.call(name, *args, **kwargs)
    assert client.sent == []
    return error.value


# -- Text ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["half an emoji \ud83d", "\udc00", "ok \ud83d\ude00 then \ude00"])
def test_text_with_a_lone_surrogate_is_refused(clients, text):
    error = _refused(
        clients, ValueError, "text must be valid Unicode", "create_dm", participant_id=BOB,
        text=text,
    )  # fmt: skip
    assert "lone surrogate" in str(error)
    _refused(
        clients, ValueError, "lone surrogate", "create_dm_conversation",
        participant_ids=[BOB, CAROL], text=text,
    )  # fmt: skip


def test_a_whole_emoji_is_sent(clients):
    client = clients.recording((201, SENT))
    client.call("create_dm", participant_id=BOB, text="ok \U0001f600")
    assert client.sent[0].json == {"text": "ok \U0001f600"}


def test_field_names_and_tokens_must_be_sendable(clients):
    _refused(clients, ValueError, "dm_event_fields", "get_dm_events", dm_event_fields=["id\udc80"])
    _refused(clients, ValueError, "pagination_token", "get_dm_events", pagination_token="a b")
    _refused(clients, ValueError, "pagination_token", "get_dm_events", pagination_token="")


# -- Conversation ids ----------------------------------------------------------------


@pytest.mark.parametrize(
    "conversation_id", ["0-0", "000000000000000", "0000000000000000000", f"0-{BOB}", f"{ALICE}-00"]
)
@pytest.mark.parametrize("method", ["get_dm_events", "create_dm"])
def test_all_zero_conversation_ids_are_refused(clients, conversation_id, method):
    text = {"text": "hi"} if method == "create_dm" else {}
    _refused(
        clients, ValueError, "none of them all zeros", method,
        dm_conversation_id=conversation_id, **text,
    )  # fmt: skip


def test_a_conversation_id_that_is_not_a_str_is_a_type_error(clients):
    error = _refused(
        clients, TypeError, "dm_conversation_id must be a str, not int", "get_dm_events",
        dm_conversation_id=123456789012345,
    )  # fmt: skip
    assert isinstance(error, ValueError)  # as in 0.1


# -- Any iterable where a list is taken -----------------------------------------------


def _iterables(*items):
    return [list(items), tuple(items), set(items), frozenset(items), (item for item in items)]


@pytest.mark.parametrize("make", range(5), ids=["list", "tuple", "set", "frozenset", "generator"])
def test_participant_ids_as_any_iterable(clients, make):
    client = clients.recording((201, SENT))
    participant_ids = _iterables(BOB, int(CAROL))[make]
    client.call("create_dm_conversation", participant_ids=participant_ids, text="hi")
    [sent] = client.sent
    assert sorted(sent.json["participant_ids"]) == sorted([BOB, CAROL])


@pytest.mark.parametrize("make", range(5), ids=["list", "tuple", "set", "frozenset", "generator"])
def test_fields_and_event_types_as_any_iterable(clients, make):
    client = clients.recording((200, {"meta": {"result_count": 0}}))
    client.call(
        "get_dm_events",
        dm_event_fields=_iterables("id", "text")[make],
        event_types=_iterables("MessageCreate")[make],
        expansions=_iterables("sender_id")[make],
    )
    query = dict(client.sent[0].query)
    assert sorted(query["dm_event.fields"].split(",")) == ["id", "text"]
    assert query["event_types"] == "MessageCreate"
    assert query["expansions"] == "sender_id"


@pytest.mark.parametrize("make", range(5), ids=["list", "tuple", "set", "frozenset", "generator"])
def test_tweepys_own_methods_take_any_iterable_too(clients, make):
    client = clients.recording((200, {"data": []}))
    client.call("get_users", ids=_iterables(1, 2)[make], user_fields=_iterables("name")[make])
    query = dict(client.sent[0].query)
    assert sorted(query["ids"].split(",")) == ["1", "2"]
    assert query["user.fields"] == "name"


@pytest.mark.parametrize("participant_ids", [{BOB: 1, CAROL: 2}, b"12", 5])
def test_participant_ids_that_are_not_a_collection_of_ids(clients, participant_ids):
    _refused(
        clients, TypeError, "participant_ids must be a list", "create_dm_conversation",
        participant_ids=participant_ids, text="hi",
    )  # fmt: skip


# -- Media: type against category, and the matching size limit -------------------------


@pytest.mark.parametrize(
    ("file", "kwargs", "match"),
    [
        ("image/png", {"media_category": "dm_video"}, "the file is image/png, which media_cat"),
        ("image/png", {"media_category": "dm_gif"}, "the file is image/png"),
        ("video/mp4", {"media_category": "dm_image"}, "the file is video/mp4"),
        ("image/jpeg", {"media_type": "video/mp4"}, "media_type 'video/mp4' does not describe"),
        ("image/gif", {"media_type": "image/gif", "media_category": "dm_video"}, "media_type is"),
    ],
)
def test_media_whose_type_contradicts_the_category(clients, file, kwargs, match):
    _refused(
        clients, ValueError, match, "upload_dm_media", io.BytesIO(tiny_files()[file]), **kwargs
    )


def test_a_big_png_called_a_video_is_held_to_the_image_limit(clients, tmp_path):
    path = tmp_path / "big.png"
    with open(path, "wb") as handle:
        handle.write(tiny_files()["image/png"])
        handle.truncate(6 * MB)  # over the 5 MB of images, under the 512 MB of videos
    _refused(
        clients, ValueError, "does not take", "upload_dm_media", path, media_category="dm_video"
    )
    _refused(clients, ValueError, "at most 5,242,880 bytes", "upload_dm_media", path)


def test_a_gif_may_go_as_a_still_image(clients):
    with LoopbackServer(lambda request: json_reply(200, {"data": {"id": "1"}})) as server:
        client = clients.make(api_url=server.url)
        media = client.call(
            "upload_dm_media", io.BytesIO(tiny_files()["image/gif"]), media_category="dm_image"
        )
    assert media.id == "1"
    assert [request.path for request in server.requests] == ["/2/media/upload"]


# -- Wrong types are TypeError ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match", "was_value_error"),
    [
        ({"chunk_size": "1024"}, "chunk_size must be an int", True),
        ({"chunk_size": 1.5}, "chunk_size must be an int", True),
        ({"media_type": 5}, "media_type must be a str", True),
        ({"media_category": ["dm_image"]}, "media_category must be a str", True),
        ({"wait": "no"}, "wait must be True or False", False),
    ],
)
def test_upload_options_of_the_wrong_type(clients, kwargs, match, was_value_error):
    error = _refused(
        clients, TypeError, match, "upload_dm_media", io.BytesIO(tiny_files()["image/png"]),
        **kwargs,
    )  # fmt: skip
    assert isinstance(error, ValueError) is was_value_error


def test_a_download_destination_of_the_wrong_type(clients, tmp_path):
    _refused(clients, TypeError, "file must be a path", "get_dm_media", 1, 2, "a.jpg", file=3)
    with open(tmp_path / "a.jpg", "w") as text_file:
        _refused(clients, TypeError, "binary mode", "get_dm_media", 1, 2, "a.jpg", file=text_file)
    _refused(clients, TypeError, "binary mode", "get_dm_media", 1, 2, "a.jpg", file=io.StringIO())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"api_url": 5}, "api_url must be a str"), ({"timeout": "5"}, "timeout must be a number")],
)
def test_client_options_of_the_wrong_type(clients, kwargs, match):
    with pytest.raises(WrongTypeError, match=match):
        clients.client_class()(**kwargs)
    with pytest.raises(ValueError, match="timeout must be a positive"):
        clients.client_class()(timeout=float("nan"))


@requires_async
def test_the_same_errors_on_both_clients():
    """Message for message: the checks are the builders', not each transport's."""
    cases = [
        ("create_dm", lambda: {"participant_id": BOB, "text": "\ud800"}),
        ("get_dm_events", lambda: {"dm_conversation_id": "0-0"}),
        ("get_dm_events", lambda: {"dm_conversation_id": 5}),
        ("create_dm_conversation", lambda: {"participant_ids": iter([BOB]), "text": "x"}),
        ("get_dm_media", lambda: {"dm_event_id": 1, "media_id": 2, "resource_id": "a", "file": 3}),
        ("upload_dm_media", lambda: {"file": io.BytesIO(tiny_files()["image/png"]),
                                     "media_category": "dm_video"}),
        ("upload_dm_media", lambda: {"file": io.BytesIO(tiny_files()["image/png"]),
                                     "chunk_size": "1"}),
    ]  # fmt: skip
    both = Clients("sync"), Clients("async")
    try:
        for name, make_kwargs in cases:
            errors = []
            for clients in both:
                client = clients.recording()
                with pytest.raises((TypeError, ValueError)) as error:
                    client.call(name, **make_kwargs())
                assert client.sent == []
                errors.append((type(error.value), str(error.value)))
            assert errors[0] == errors[1], name
    finally:
        for clients in both:
            clients.close()
