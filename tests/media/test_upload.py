"""upload_dm_media on both clients against the emulator's real v2 upload endpoints.

The emulator checks each request's OAuth 1.0a signature or bearer token, the
segments and their order, X's size rules, and runs a video through X's
processing states on its clock; here its clock moves only when a client
sleeps. Uploaded bytes are checked by sending them in a DM and downloading
them back. What the emulator cannot show (the multipart bytes on the wire, a
processing failure) is in ``test_upload_wire_*`` on ``tests.loopback``; every
path of the upload flow is also tested without sockets in ``tests/client/test_flows.py``.
"""

from __future__ import annotations

import email.parser
import email.policy
import io
import os

import pytest
import tweepy

import tweepy_dm
from tests.helpers import CREDENTIALS, oauth1_is_valid, tiny_files
from tests.loopback import LoopbackServer, json_reply
from tweepy_dm import _async_client, _client
from tweepy_dm._media import MB, detect_media_type, plan_upload
from tweepy_dm.emulator._media import PROCESSING_STEP

MP4_HEAD = tiny_files()["video/mp4"]
ALICE, BOB = "750362064426721281", "1072250532645998596"
APPENDS = "/2/media/upload/*/append"


@pytest.fixture
def sleeps(monkeypatch, clock):
    """A fake sleep for both clients: records every wait and moves the emulator's clock."""
    waited: list[float] = []

    def sleep(seconds):
        waited.append(seconds)
        clock.now += seconds

    async def async_sleep(seconds):
        sleep(seconds)

    monkeypatch.setattr(_client, "_sleep", sleep)
    monkeypatch.setattr(_async_client, "_sleep", async_sleep)
    return waited


@pytest.fixture
def alice(emulator, clients):
    """A client of alice (sync or async), who may DM bob, pointed at the emulator."""
    emulator.add_user(BOB, "bob", "Bob")
    return clients.make(
        credentials=emulator.add_user(ALICE, "alice", "Alice"), api_url=emulator.url
    )


def _video(size: int) -> bytes:
    body = bytes(index % 251 for index in range(size - len(MP4_HEAD)))
    return MP4_HEAD + body


def _downloaded(clients, emulator, event_id, media):
    """Bob reads the event that carries ``media`` and downloads its bytes (OAuth 2.0)."""
    bob = clients.make(credentials=emulator.credentials(BOB), api_url=emulator.url)
    event = bob.call(
        "get_dm_event",
        event_id,
        dm_event_fields=["attachments"],
        expansions="attachments.media_keys",
        media_fields=["url", "type"],
    )
    assert event.data.attachments == {"media_keys": [media.media_key]}
    [included] = event.includes["media"]
    dm_id, media_id, resource_id = included.url.rsplit("/", 3)[1:]
    assert media_id == media.id
    return included.type, bob.call("get_dm_media", dm_id, media_id, resource_id)


def _sent_and_downloaded(clients, emulator, alice, media):
    """Send ``media`` to bob in a DM; what bob downloads of it."""
    sent = alice.call("create_dm", participant_id=BOB, text="look", media_id=media.id)
    return _downloaded(clients, emulator, sent.data["dm_event_id"], media)


def _nothing_sent(emulator):
    """Arm a fault that any request would use up: a test then checks it is still pending."""
    emulator.inject_fault(500, count=1)
    return lambda: emulator.pending_faults == 1


@pytest.mark.parametrize(("media_type", "head"), tiny_files().items())
def test_type_detection(media_type, head):
    assert detect_media_type(head) == media_type


def test_unknown_bytes_are_not_detected():
    assert detect_media_type(b"%PDF-1.7\n") is None
    assert detect_media_type(b"") is None


@pytest.mark.parametrize(
    ("media_type", "category", "chunked"),
    [
        ("image/jpeg", "dm_image", False),
        ("image/png", "dm_image", False),
        ("image/webp", "dm_image", False),
        ("image/gif", "dm_gif", True),
        ("video/mp4", "dm_video", True),
        ("video/quicktime", "dm_video", True),
    ],
)
def test_plan_follows_the_media_type(media_type, category, chunked):
    plan = plan_upload(tiny_files()[media_type], 1000)
    assert (plan.media_type, plan.media_category, plan.chunked) == (media_type, category, chunked)


def test_large_images_are_chunked():
    assert plan_upload(tiny_files()["image/png"], 3 * MB, chunk_size=MB).chunked


def test_one_shot_image(clients, emulator, alice, tmp_path, sleeps):
    image = tiny_files()["image/png"] + os.urandom(5000)
    path = tmp_path / "picture.png"
    path.write_bytes(image)
    progress = []
    media = alice.call("upload_dm_media", path, progress=lambda *args: progress.append(args))
    assert isinstance(media, tweepy_dm.DMMedia)
    assert media.media_key == f"3_{media.id}"  # a photo: dm_image
    assert media.expires_after_secs == 86400
    assert media.processing_info is None
    assert progress == [(len(image), len(image))]
    assert sleeps == []
    assert _sent_and_downloaded(clients, emulator, alice, media) == ("photo", image)


def test_chunked_video_with_processing(clients, emulator, alice, sleeps):
    video = _video(2 * MB + 12345)
    progress = []
    media = alice.call(
        "upload_dm_media",
        io.BytesIO(video),
        chunk_size=MB,
        progress=lambda sent, total: progress.append((sent, total)),
    )
    assert media.media_key == f"7_{media.id}"  # a video: dm_video
    # check_after_secs after pending and after in_progress, on the emulator's clock.
    assert sleeps == [PROCESSING_STEP, PROCESSING_STEP]
    assert media.processing_info["state"] == "succeeded"
    assert progress == [(MB, len(video)), (2 * MB, len(video)), (len(video), len(video))]
    assert _sent_and_downloaded(clients, emulator, alice, media) == ("video", video)


def test_upload_and_send_in_a_group(clients, emulator, alice, tmp_path, sleeps):
    emulator.add_user(3, "carol", "Carol")
    video = _video(MB + 777)
    path = tmp_path / "clip.mp4"
    path.write_bytes(video)
    progress = []

    def fail_the_second_segment_once(sent, total):
        progress.append((sent, total))
        if len(progress) == 1:
            emulator.inject_fault(503, count=1, path=APPENDS)

    with alice.opened():
        media = alice.call(
            "upload_dm_media",
            str(path),
            chunk_size=512 * 1024,
            progress=fail_the_second_segment_once,
        )
        sent = alice.call(
            "create_dm_conversation", text="clip", media_id=media.id, participant_ids=[BOB, 3]
        )
        group = alice.call(
            "get_dm_events",
            dm_conversation_id=sent.data["dm_conversation_id"],
            event_types="MessageCreate",
            dm_event_fields=["attachments", "text"],
        )
    assert media.media_key == f"7_{media.id}"  # a video: dm_video
    assert emulator.pending_faults == 0
    assert [(event.text, event.attachments) for event in group.data] == [
        ("clip", {"media_keys": [media.media_key]})
    ]
    assert [sent for sent, _ in progress] == [512 * 1024, 1024 * 1024, len(video)]
    # The retry's backoff first, then check_after_secs twice.
    assert sleeps == [0.5, PROCESSING_STEP, PROCESSING_STEP]
    assert _downloaded(clients, emulator, sent.data["dm_event_id"], media) == ("video", video)


def test_wait_false_returns_while_processing(emulator, alice, sleeps):
    media = alice.call("upload_dm_media", io.BytesIO(_video(1000)), wait=False)
    assert media.processing_info["state"] == "pending"
    assert sleeps == []
    with pytest.raises(tweepy.BadRequest):  # not processed yet: X refuses to attach it
        alice.call("create_dm", participant_id=BOB, media_id=media.id)


def test_a_failing_segment_is_retried(clients, emulator, alice, sleeps):
    video = _video(3 * MB)

    def fail_the_next_segment_twice(sent, total):
        if sent == MB:
            emulator.inject_fault(503, count=2, path=APPENDS)

    media = alice.call(
        "upload_dm_media", io.BytesIO(video), chunk_size=MB, progress=fail_the_next_segment_twice
    )
    assert emulator.pending_faults == 0
    assert len(sleeps) == 2 + 2  # two retries, then processing
    assert sleeps[0] < sleeps[1]  # backoff
    assert _sent_and_downloaded(clients, emulator, alice, media)[1] == video


def test_a_dropped_connection_is_retried(clients, emulator, alice, sleeps):
    emulator.inject_fault(count=1, path="/2/media/upload/initialize", drop=True)
    media = alice.call("upload_dm_media", io.BytesIO(_video(1000)))
    assert emulator.pending_faults == 0
    assert sleeps[0] == 0.5
    assert media.processing_info["state"] == "succeeded"


def test_a_segment_that_keeps_failing_gives_up(emulator, alice, sleeps):
    emulator.inject_fault(503, count=99, path=APPENDS)
    with pytest.raises(tweepy.TwitterServerError):
        alice.call("upload_dm_media", io.BytesIO(_video(1000)))
    assert emulator.pending_faults == 99 - 4  # four tries
    assert sleeps == [0.5, 1.0, 2.0]


@pytest.mark.parametrize(
    ("content", "kwargs", "match"),
    [
        (b"%PDF-1.7\n" + b"x" * 100, {}, "could not tell the media type"),
        (tiny_files()["image/png"], {"media_type": "image/bmp"}, "not supported"),
        (tiny_files()["image/png"], {"media_category": "tweet_image"}, "not a DM category"),
        (tiny_files()["image/png"], {"chunk_size": 0}, "chunk_size"),
        (b"", {"media_type": "image/png"}, "empty"),
        (MP4_HEAD + bytes(2000), {"chunk_size": 1}, "1,000"),
    ],
)
def test_bad_uploads_are_refused_before_sending(emulator, alice, content, kwargs, match):
    nothing_sent = _nothing_sent(emulator)
    with pytest.raises(ValueError, match=match):
        alice.call("upload_dm_media", io.BytesIO(content), **kwargs)
    assert nothing_sent()


@pytest.mark.parametrize(
    ("media_type", "limit"),
    [("image/jpeg", 5 * MB), ("image/gif", 15 * MB), ("video/mp4", 512 * MB)],
)
def test_size_limits_are_checked_before_sending(emulator, alice, tmp_path, media_type, limit):
    path = tmp_path / "big"
    with open(path, "wb") as handle:
        handle.write(tiny_files()[media_type])
        handle.truncate(limit + 1)  # sparse: no real disk use
    nothing_sent = _nothing_sent(emulator)
    with pytest.raises(ValueError, match=f"at most {limit:,} bytes"):
        alice.call("upload_dm_media", path)
    assert nothing_sent()


def test_rate_limits_are_waited_out_only_when_asked(clients, emulator, sleeps):
    emulator.add_user(BOB, "bob", "Bob")
    credentials = emulator.add_user(ALICE, "alice", "Alice")
    video = _video(2 * MB)
    waiting = clients.make(credentials=credentials, api_url=emulator.url, wait_on_rate_limit=True)
    emulator.inject_fault(429, count=2, path=APPENDS)
    media = waiting.call("upload_dm_media", io.BytesIO(video), chunk_size=MB)
    assert emulator.pending_faults == 0
    assert len(sleeps) == 2 + 2  # two rate-limit waits, then processing
    assert _sent_and_downloaded(clients, emulator, waiting, media)[1] == video

    emulator.inject_fault(429, count=1, path=APPENDS)
    impatient = clients.make(credentials=credentials, api_url=emulator.url)
    with pytest.raises(tweepy.TooManyRequests):
        impatient.call("upload_dm_media", io.BytesIO(video), chunk_size=MB)


def test_bearer_auth_upload(clients, emulator, sleeps):
    credentials = emulator.add_user(ALICE, "alice", "Alice")
    # A wrong OAuth 1.0a secret: only the OAuth 2.0 user token can succeed.
    client = clients.make(
        credentials={**credentials, "consumer_secret": "wrong"}, api_url=emulator.url
    )
    media = client.call("upload_dm_media", io.BytesIO(tiny_files()["image/jpeg"]), user_auth=False)
    assert media.media_key == f"3_{media.id}"
    with pytest.raises(tweepy.Unauthorized):
        client.call("upload_dm_media", io.BytesIO(tiny_files()["image/jpeg"]))


def test_text_mode_files_are_refused(tmp_path):
    path = tmp_path / "picture.png"
    path.write_bytes(tiny_files()["image/png"] + bytes(range(256)))
    with open(path) as text, pytest.raises(TypeError, match="binary mode"):
        tweepy_dm.Client().upload_dm_media(text)


def test_streams_need_a_seekable_file_object():
    class Stream(io.RawIOBase):
        def readable(self):
            return True

    with pytest.raises(ValueError, match="seekable"):
        tweepy_dm.Client().upload_dm_media(Stream())
    with pytest.raises(TypeError, match="binary mode"):
        tweepy_dm.Client().upload_dm_media(io.StringIO("text"))
    with pytest.raises(TypeError, match="path or a binary file object"):
        tweepy_dm.Client().upload_dm_media(12)


def test_install_adds_upload_to_plain_clients():
    tweepy_dm.install()
    try:
        assert tweepy.Client.upload_dm_media is tweepy_dm.DirectMessagesMixin.upload_dm_media
    finally:
        tweepy_dm.uninstall()
    assert not hasattr(tweepy.Client, "upload_dm_media")


# -- What the emulator cannot show: the bytes on the wire, a failed processing -------------


def _multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    return {
        part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
        for part in message.iter_parts()
    }


def _media_reply(processing=None):
    data = {"id": "1585823813618384897", "media_key": "7_1585823813618384897"}
    if processing:
        data["processing_info"] = processing
    return json_reply(200, {"data": data})


def test_upload_wire_multipart_one_shot(clients, sleeps):
    image = tiny_files()["image/webp"] + b"w" * 100
    with LoopbackServer(lambda request: _media_reply()) as server:
        client = clients.make(api_url=server.url)
        client.call("upload_dm_media", io.BytesIO(image))
        client.call("upload_dm_media", io.BytesIO(image), user_auth=False)
    upload, bearer = server.requests
    assert (upload.method, upload.path) == ("POST", "/2/media/upload")
    assert upload.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert int(upload.headers["Content-Length"]) == len(upload.body)
    fields = _multipart(upload.headers["Content-Type"], upload.body)
    assert fields["media_category"] == b"dm_image"
    assert fields["media_type"] == b"image/webp"
    assert fields["media"] == image
    assert oauth1_is_valid(upload, CREDENTIALS)
    assert bearer.headers["Authorization"] == "Bearer test-bearer-token"


def test_upload_wire_chunked(clients, sleeps):
    video = _video(MB + 10)
    with LoopbackServer(lambda request: _media_reply()) as server:
        clients.make(api_url=server.url).call("upload_dm_media", io.BytesIO(video), chunk_size=MB)
    init, *appends, finalize = server.requests
    assert init.json() == {
        "media_type": "video/mp4",
        "total_bytes": len(video),
        "media_category": "dm_video",
    }
    segments = [_multipart(r.headers["Content-Type"], r.body) for r in appends]
    assert [segment["segment_index"] for segment in segments] == [b"0", b"1"]
    assert b"".join(segment["media"] for segment in segments) == video
    assert finalize.path == "/2/media/upload/1585823813618384897/finalize"
    assert all(oauth1_is_valid(request, CREDENTIALS) for request in server.requests)


def test_failed_processing_raises(clients, sleeps):
    replies = iter(
        [
            _media_reply(),  # initialize
            json_reply(200, {"data": {"expires_at": 1}}),  # append
            _media_reply({"state": "in_progress", "check_after_secs": 3}),  # finalize
            _media_reply(
                {
                    "state": "failed",
                    "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported video"},
                }
            ),
        ]
    )
    with LoopbackServer(lambda request: next(replies)) as server:
        with pytest.raises(tweepy_dm.MediaProcessingError) as error:
            clients.make(api_url=server.url).call("upload_dm_media", io.BytesIO(_video(1000)))
    assert isinstance(error.value, tweepy.TweepyException)
    assert (error.value.name, error.value.message) == ("InvalidMedia", "Unsupported video")
    assert "InvalidMedia" in str(error.value)
    assert sleeps == [3]
    assert server.requests[-1].query == (
        ("command", "STATUS"),
        ("media_id", "1585823813618384897"),
    )
