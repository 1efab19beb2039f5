"""upload_dm_media against X's v2 upload endpoints on a loopback server."""

from __future__ import annotations

import io
import os

import pytest
import tweepy

import tweepy_dm
from tests.conftest import requires_async
from tests.helpers import BEARER_TOKEN, CREDENTIALS
from tests.loopback import oauth1_is_valid
from tests.upload_server import UploadServer, tiny_files
from tweepy_dm import _async_client, _client
from tweepy_dm._media import MB, detect_media_type, plan_upload

MP4_HEAD = tiny_files()["video/mp4"]


@pytest.fixture
def sleeps(monkeypatch):
    """A fake clock: records every wait instead of sleeping."""
    waited: list[float] = []

    async def async_sleep(seconds):
        waited.append(seconds)

    monkeypatch.setattr(_client, "_sleep", waited.append)
    monkeypatch.setattr(_async_client, "_sleep", async_sleep)
    return waited


def _video(size: int) -> bytes:
    body = bytes(index % 251 for index in range(size - len(MP4_HEAD)))
    return MP4_HEAD + body


def _client_for(server, **kwargs):
    return tweepy_dm.Client(bearer_token=BEARER_TOKEN, **CREDENTIALS, api_url=server.url, **kwargs)


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


def test_sync_one_shot_image(tmp_path, sleeps):
    image = tiny_files()["image/png"] + os.urandom(5000)
    path = tmp_path / "picture.png"
    path.write_bytes(image)
    progress = []
    with UploadServer() as server:
        client = _client_for(server)
        media = client.upload_dm_media(path, progress=lambda *args: progress.append(args))
        client.create_dm(participant_id=2, text="look", media_id=media.id)
    upload, message = server.requests
    assert upload.path == "/2/media/upload"
    assert upload.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert int(upload.headers["Content-Length"]) == len(upload.body)
    assert server.one_shot[0]["media_category"] == b"dm_image"
    assert server.one_shot[0]["media_type"] == b"image/png"
    assert server.one_shot[0]["media"] == image
    assert oauth1_is_valid(upload, CREDENTIALS)
    assert isinstance(media, tweepy_dm.DMMedia)
    assert (media.media_key, media.expires_after_secs) == (f"7_{media.id}", 86400)
    assert message.json() == {"attachments": [{"media_id": media.id}], "text": "look"}
    assert progress == [(len(image), len(image))]
    assert sleeps == []


def test_sync_chunked_video_with_processing(sleeps):
    video = _video(2 * MB + 12345)
    progress = []
    with UploadServer(states=("pending", "in_progress", "succeeded"), check_after_secs=5) as server:
        client = _client_for(server)
        media = client.upload_dm_media(
            io.BytesIO(video),
            chunk_size=MB,
            progress=lambda sent, total: progress.append((sent, total)),
        )
    init = server.requests[0]
    assert init.path == "/2/media/upload/initialize"
    assert init.json() == {
        "media_type": "video/mp4",
        "total_bytes": len(video),
        "media_category": "dm_video",
    }
    assert server.appends == [(0, MB), (1, MB), (2, 12345)]
    assert server.data(media.id) == video
    paths = [request.path for request in server.requests]
    assert paths == [
        "/2/media/upload/initialize",
        *[f"/2/media/upload/{media.id}/append"] * 3,
        f"/2/media/upload/{media.id}/finalize",
        "/2/media/upload",
        "/2/media/upload",
    ]
    assert server.requests[-1].query == (("command", "STATUS"), ("media_id", media.id))
    assert all(oauth1_is_valid(request, CREDENTIALS) for request in server.requests)
    assert sleeps == [5, 5]  # check_after_secs after pending and after in_progress
    assert media.processing_info["state"] == "succeeded"
    assert progress == [(MB, len(video)), (2 * MB, len(video)), (len(video), len(video))]


def test_wait_false_returns_while_processing(sleeps):
    with UploadServer(states=("pending",)) as server:
        media = _client_for(server).upload_dm_media(io.BytesIO(_video(1000)), wait=False)
    assert media.processing_info["state"] == "pending"
    assert sleeps == []


def test_failed_processing_raises(sleeps):
    with UploadServer(states=("in_progress", "failed")) as server:
        with pytest.raises(tweepy_dm.MediaProcessingError) as error:
            _client_for(server).upload_dm_media(io.BytesIO(_video(1000)))
    assert isinstance(error.value, tweepy.TweepyException)
    assert (error.value.name, error.value.message) == ("InvalidMedia", "Unsupported video")
    assert "InvalidMedia" in str(error.value)


def test_a_failing_segment_is_retried(sleeps):
    video = _video(3 * MB)
    with UploadServer(fail_segments={1: 2}) as server:
        media = _client_for(server).upload_dm_media(io.BytesIO(video), chunk_size=MB)
    assert server.data(media.id) == video
    assert [index for index, _ in server.appends] == [0, 1, 2]
    assert len(sleeps) == 2
    assert sleeps[0] < sleeps[1]  # backoff


def test_a_segment_that_keeps_failing_gives_up(sleeps):
    with UploadServer(fail_segments={0: 99}) as server:
        with pytest.raises(tweepy.TwitterServerError):
            _client_for(server).upload_dm_media(io.BytesIO(_video(1000)))
    appends = [r for r in server.requests if r.path.endswith("/append")]
    assert len(appends) == 4


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
def test_bad_uploads_are_refused_before_sending(content, kwargs, match):
    with UploadServer() as server:
        with pytest.raises(ValueError, match=match):
            _client_for(server).upload_dm_media(io.BytesIO(content), **kwargs)
    assert server.requests == []


@pytest.mark.parametrize(
    ("media_type", "limit"),
    [("image/jpeg", 5 * MB), ("image/gif", 15 * MB), ("video/mp4", 512 * MB)],
)
def test_size_limits_are_checked_before_sending(tmp_path, media_type, limit):
    path = tmp_path / "big"
    with open(path, "wb") as handle:
        handle.write(tiny_files()[media_type])
        handle.truncate(limit + 1)  # sparse: no real disk use
    with UploadServer() as server:
        with pytest.raises(ValueError, match=f"at most {limit:,} bytes"):
            _client_for(server).upload_dm_media(path)
    assert server.requests == []


def test_rate_limits_are_waited_out_only_when_asked(sleeps):
    video = _video(2 * MB)
    with UploadServer(limit_segments={1: 2}) as server:
        media = _client_for(server, wait_on_rate_limit=True).upload_dm_media(
            io.BytesIO(video), chunk_size=MB
        )
        assert server.data(media.id) == video
        assert len(sleeps) == 2
    with UploadServer(limit_segments={0: 1}) as server:
        with pytest.raises(tweepy.TooManyRequests):
            _client_for(server).upload_dm_media(io.BytesIO(video), chunk_size=MB)


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


def test_bearer_auth_upload(sleeps):
    with UploadServer() as server:
        _client_for(server).upload_dm_media(io.BytesIO(tiny_files()["image/jpeg"]), user_auth=False)
    assert server.requests[0].headers["Authorization"] == f"Bearer {BEARER_TOKEN}"


@requires_async
@pytest.mark.asyncio
async def test_async_chunked_upload_and_send(tmp_path, sleeps):
    video = _video(MB + 777)
    path = tmp_path / "clip.mp4"
    path.write_bytes(video)
    progress = []
    with UploadServer(states=("pending", "succeeded"), fail_segments={1: 1}) as server:
        async with tweepy_dm.AsyncClient(
            bearer_token=BEARER_TOKEN, **CREDENTIALS, api_url=server.url
        ) as client:
            media = await client.upload_dm_media(
                str(path), chunk_size=512 * 1024, progress=lambda *a: progress.append(a)
            )
            await client.create_dm_conversation(
                text="clip", media_id=media.id, participant_ids=[1, 2]
            )
    assert server.uploads[media.id]["media_category"] == "dm_video"
    assert server.data(media.id) == video
    assert [index for index, _ in server.appends] == [0, 1, 2]
    assert all(oauth1_is_valid(r, CREDENTIALS) for r in server.requests)
    assert sleeps[-1] == 3  # check_after_secs; the retry's backoff came first
    assert progress[-1] == (len(video), len(video))
    assert server.requests[-1].json()["message"] == {
        "attachments": [{"media_id": media.id}],
        "text": "clip",
    }


@requires_async
@pytest.mark.asyncio
async def test_async_one_shot_and_failure(sleeps):
    image = tiny_files()["image/webp"] + b"w" * 100
    with UploadServer(states=("failed",)) as server:
        client = tweepy_dm.AsyncClient(bearer_token=BEARER_TOKEN, **CREDENTIALS, api_url=server.url)
        media = await client.upload_dm_media(io.BytesIO(image), user_auth=False)
        assert server.one_shot[0]["media"] == image
        assert server.one_shot[0]["media_category"] == b"dm_image"
        with pytest.raises(tweepy_dm.MediaProcessingError):
            await client.upload_dm_media(io.BytesIO(_video(100)))
    assert media.id


def test_install_adds_upload_to_plain_clients():
    tweepy_dm.install()
    try:
        assert tweepy.Client.upload_dm_media is tweepy_dm.DirectMessagesMixin.upload_dm_media
    finally:
        tweepy_dm.uninstall()
    assert not hasattr(tweepy.Client, "upload_dm_media")
