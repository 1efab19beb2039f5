"""The flows and their drivers, with no sockets: uploads, downloads, retries, rate-limit waits.

Each flow is driven by :func:`run_flow` and by :func:`arun_flow` (the ``drive``
fixture), with a tiny in-test performer standing in for X: it answers the
flow's ``Send`` effects the way X's v2 media endpoints do, performs ``Call``
effects for real and records every effect, so the tests see exactly what a
transport would be asked to do. Errors reach the flows through
:func:`tweepy_dm._policy.classify`, as they do from both clients.
"""

from __future__ import annotations

import asyncio
import functools
import io
import json
import math

import pytest
import requests
import tweepy

import tweepy_dm
from tests.helpers import tiny_files
from tweepy_dm._exceptions import http_error
from tweepy_dm._files import Sink, Source, save_flow
from tweepy_dm._flow import Call, ReadChunk, Send, Sleep, Stepper, arun_flow, dispatch, run_flow
from tweepy_dm._media import MB, MediaRequest, upload_dm_media, upload_flow
from tweepy_dm._policy import (
    DEFAULT_RATE_LIMIT_WAIT,
    EXPORT_RETRY,
    UPLOAD_RETRY,
    Backoff,
    RateLimit,
    RateLimited,
    Retryable,
    classify,
    reset_time,
    retrying,
    wait_for_reset,
)

MP4_HEAD = tiny_files()["video/mp4"]
MEDIA_ID = "1585823813618384897"
NOW = 1_700_000_000.25  # the performer's clock, epoch seconds


def x_error(status: int, **headers: str) -> tweepy.HTTPException:
    """The tweepy exception a transport raises for an answer of X with this status."""
    response = requests.Response()
    response.status_code = status
    response.reason = "Error"
    response.headers.update({"content-type": "application/json", **headers})
    response._content = json.dumps({"title": f"HTTP {status}", "detail": "from the test"}).encode()
    return http_error(response, status)


def _video(size: int) -> bytes:
    return MP4_HEAD + bytes(index % 251 for index in range(size - len(MP4_HEAD)))


class FakeX:
    """Performs a flow's effects: X's v2 media endpoints as a dict, a clock that only records.

    ``states`` are the processing states reported by FINALIZE and each STATUS,
    in order; ``faults`` maps ``"append 1"``, ``"finalize"``, ``"initialize"``,
    ``"status"`` or ``"upload"`` to the errors to raise, one per try, before
    answering.
    """

    def __init__(self, *, states=(), check_after_secs=3, faults=None):
        self.states = list(states)
        self.check_after_secs = check_after_secs
        self.faults = {key: list(errors) for key, errors in (faults or {}).items()}
        self.effects: list = []
        self.segments: dict[int, bytes] = {}
        self.one_shot: list[MediaRequest] = []
        self.initialized: dict | None = None

    @property
    def requests(self) -> list[MediaRequest]:
        return [effect.request for effect in self.effects if isinstance(effect, Send)]

    @property
    def sleeps(self) -> list[float]:
        return [effect.seconds for effect in self.effects if isinstance(effect, Sleep)]

    def __call__(self, effect):
        self.effects.append(effect)
        if isinstance(effect, Sleep):
            return None
        if isinstance(effect, Call):
            return effect.function(*effect.args)
        assert isinstance(effect, Send), effect
        return self._answer(effect.request)

    def _media(self, processing=None) -> dict:
        data = {"id": MEDIA_ID, "media_key": f"7_{MEDIA_ID}", "expires_after_secs": 86400}
        if processing:
            data["processing_info"] = processing
        return {"data": data}

    def _processing(self):
        if not self.states:
            return None
        state = self.states.pop(0)
        info = {"state": state}
        if state in ("pending", "in_progress") and self.check_after_secs is not None:
            info["check_after_secs"] = self.check_after_secs
        if state == "failed":
            info["error"] = {"code": 1, "name": "InvalidMedia", "message": "Unsupported video"}
        return info

    def _answer(self, request: MediaRequest):
        route = request.route
        if route == "/2/media/upload" and request.method == "POST":
            key = "upload"
        elif route == "/2/media/upload" and request.method == "GET":
            key = "status"
        elif route.endswith("/append"):
            key = f"append {request.fields['segment_index']}"
        else:
            key = route.rsplit("/", 1)[-1]
        if self.faults.get(key):
            raise self.faults[key].pop(0)
        if key == "upload":
            self.one_shot.append(request)
            return self._media()
        if key == "initialize":
            self.initialized = request.json
            return self._media()
        if key.startswith("append"):
            self.segments[int(request.fields["segment_index"])] = request.content
            return {}
        if key == "finalize":
            received = sum(len(segment) for segment in self.segments.values())
            assert received == self.initialized["total_bytes"], "FINALIZE before every byte"
            return self._media(self._processing())
        assert key == "status"
        assert request.params == {"command": "STATUS", "media_id": MEDIA_ID}
        return self._media(self._processing())

    def data(self) -> bytes:
        return b"".join(self.segments[index] for index in sorted(self.segments))


@pytest.fixture(params=["run_flow", "arun_flow"])
def drive(request):
    """Run a flow to its end with the sync or the async driver, as the clients do."""

    def run(flow, perform, on_error=None):
        on_error = on_error or functools.partial(classify, now=NOW)
        if request.param == "run_flow":
            return run_flow(flow, perform, on_error)

        async def aperform(effect):
            return perform(effect)

        return asyncio.run(arun_flow(flow, aperform, on_error))

    return run


def _upload(drive, fake, content, *, wait_on_rate_limit=False, **options):
    upload = upload_dm_media(content, **options)
    source = Source(upload.file)
    on_error = functools.partial(classify, now=NOW, wait_on_rate_limit=wait_on_rate_limit)
    try:
        return drive(upload_flow(upload, source), fake, on_error)
    finally:
        source.close()


# -- Uploads ---------------------------------------------------------------------------


def test_one_shot_image(drive):
    image = tiny_files()["image/png"] + bytes(range(256)) * 20
    fake, progress = FakeX(), []
    media = _upload(drive, fake, io.BytesIO(image), progress=lambda *args: progress.append(args))
    [read, send] = fake.effects
    assert isinstance(read, Call)
    assert read.args == (len(image),)
    assert send.request == MediaRequest(
        "POST",
        "/2/media/upload",
        fields={"media_category": "dm_image", "media_type": "image/png"},
        content=image,
        user_auth=True,
    )
    assert isinstance(media, tweepy_dm.DMMedia)
    assert (media.id, media.media_key, media.expires_after_secs) == (
        MEDIA_ID,
        f"7_{MEDIA_ID}",
        86400,
    )
    assert progress == [(len(image), len(image))]


def test_bearer_auth_and_an_explicit_category(drive):
    fake = FakeX()
    image = tiny_files()["image/gif"]  # dm_gif takes GIFs only
    _upload(drive, fake, io.BytesIO(image), media_category="dm_gif", user_auth=False)
    # dm_gif is always chunked, whatever the size.
    assert [request.route for request in fake.requests] == [
        "/2/media/upload/initialize",
        f"/2/media/upload/{MEDIA_ID}/append",
        f"/2/media/upload/{MEDIA_ID}/finalize",
    ]
    assert fake.initialized == {
        "media_type": "image/gif",
        "total_bytes": len(image),
        "media_category": "dm_gif",
    }
    assert all(request.user_auth is False for request in fake.requests)


def test_chunked_video_with_processing(drive):
    video = _video(2 * MB + 12345)
    fake, progress = FakeX(states=("pending", "in_progress", "succeeded"), check_after_secs=5), []
    media = _upload(
        drive,
        fake,
        io.BytesIO(video),
        chunk_size=MB,
        progress=lambda sent, total: progress.append((sent, total)),
    )
    assert fake.initialized == {
        "media_type": "video/mp4",
        "total_bytes": len(video),
        "media_category": "dm_video",
    }
    assert [(request.method, request.route) for request in fake.requests] == [
        ("POST", "/2/media/upload/initialize"),
        *[("POST", f"/2/media/upload/{MEDIA_ID}/append")] * 3,
        ("POST", f"/2/media/upload/{MEDIA_ID}/finalize"),
        ("GET", "/2/media/upload"),
        ("GET", "/2/media/upload"),
    ]
    appends = [request for request in fake.requests if request.route.endswith("/append")]
    assert [request.fields for request in appends] == [{"segment_index": str(i)} for i in range(3)]
    assert [len(request.content) for request in appends] == [MB, MB, 12345]
    reads = [effect.args for effect in fake.effects if isinstance(effect, Call)]
    assert reads == [(MB,), (MB,), (12345,)]
    assert fake.data() == video
    assert fake.sleeps == [5, 5]  # check_after_secs after pending and after in_progress
    assert media.id == MEDIA_ID
    assert media.processing_info == {"state": "succeeded"}
    assert progress == [(MB, len(video)), (2 * MB, len(video)), (len(video), len(video))]


def test_processing_without_check_after_secs_waits_one_second(drive):
    fake = FakeX(states=("in_progress", "succeeded"), check_after_secs=None)
    _upload(drive, fake, io.BytesIO(_video(1000)))
    assert fake.sleeps == [1.0]


def test_an_unknown_processing_state_ends_the_wait(drive):
    fake = FakeX(states=("queued_for_review",))
    media = _upload(drive, fake, io.BytesIO(_video(1000)))
    assert media.processing_info == {"state": "queued_for_review"}
    assert fake.sleeps == []
    assert fake.requests[-1].route.endswith("/finalize")


def test_wait_false_returns_while_processing(drive):
    fake = FakeX(states=("pending",))
    media = _upload(drive, fake, io.BytesIO(_video(1000)), wait=False)
    assert media.processing_info["state"] == "pending"
    assert fake.sleeps == []
    assert fake.requests[-1].route.endswith("/finalize")


@pytest.mark.parametrize("states", [("failed",), ("pending", "in_progress", "failed")])
def test_failed_processing_raises(drive, states):
    fake = FakeX(states=states)
    with pytest.raises(tweepy_dm.MediaProcessingError) as error:
        _upload(drive, fake, io.BytesIO(_video(1000)))
    assert isinstance(error.value, tweepy.TweepyException)
    assert (error.value.media_id, error.value.name, error.value.message) == (
        MEDIA_ID,
        "InvalidMedia",
        "Unsupported video",
    )
    assert "InvalidMedia" in str(error.value)
    assert len(fake.sleeps) == len(states) - 1


def test_a_failing_segment_is_retried_with_backoff(drive):
    video = _video(3 * MB)
    fake = FakeX(faults={"append 1": [x_error(503), x_error(500)]})
    _upload(drive, fake, io.BytesIO(video), chunk_size=MB)
    assert fake.data() == video
    appends = [r.fields["segment_index"] for r in fake.requests if r.route.endswith("/append")]
    assert appends == ["0", "1", "1", "1", "2"]
    assert fake.sleeps == [0.5, 1.0]  # UPLOAD_RETRY: exponential backoff
    # The retried segment is the same bytes, not a new read of the file.
    assert len([effect for effect in fake.effects if isinstance(effect, Call)]) == 3


def test_connection_errors_are_retried_like_5xx(drive):
    fake = FakeX(faults={"initialize": [ConnectionResetError("reset")]})
    on_error = functools.partial(classify, now=NOW, connection_errors=(ConnectionError,))
    upload = upload_dm_media(io.BytesIO(_video(1000)))
    drive(upload_flow(upload, Source(upload.file)), fake, on_error)
    assert fake.sleeps == [0.5]
    assert fake.requests[0] == fake.requests[1]


@pytest.mark.parametrize("step", ["upload", "initialize", "append 0", "finalize", "status"])
def test_a_request_that_keeps_failing_gives_up_with_xs_error(drive, step):
    content = tiny_files()["image/png"] if step == "upload" else _video(1000)
    fake = FakeX(states=("pending", "succeeded"), faults={step: [x_error(503)] * 99})
    with pytest.raises(tweepy.TwitterServerError) as error:
        _upload(drive, fake, io.BytesIO(content))
    assert error.value.response.status_code == 503
    assert len(fake.faults[step]) == 99 - UPLOAD_RETRY.attempts  # four tries in all
    assert fake.sleeps[-3:] == [0.5, 1.0, 2.0]


def test_client_errors_are_not_retried(drive):
    fake = FakeX(faults={"append 0": [x_error(400)]})
    with pytest.raises(tweepy.BadRequest):
        _upload(drive, fake, io.BytesIO(_video(1000)))
    assert fake.sleeps == []
    assert fake.requests[-1].route.endswith("/append")


def test_rate_limits_are_waited_out_only_when_asked(drive):
    video = _video(2 * MB)
    reset = str(math.floor(NOW) + 30)
    limited = [x_error(429, **{"x-rate-limit-reset": reset}) for _ in range(2)]
    fake = FakeX(faults={"append 1": limited})
    _upload(drive, fake, io.BytesIO(video), chunk_size=MB, wait_on_rate_limit=True)
    assert fake.data() == video
    assert fake.sleeps == [31.0, 31.0]  # until one second after the window resets

    fake = FakeX(faults={"append 0": [x_error(429, **{"x-rate-limit-reset": reset})]})
    with pytest.raises(tweepy.TooManyRequests):
        _upload(drive, fake, io.BytesIO(video), chunk_size=MB)
    assert fake.sleeps == []


def test_rate_limit_waits_do_not_use_up_the_retries(drive):
    video = _video(1000)
    limited = [x_error(429, **{"x-rate-limit-reset": str(math.floor(NOW))})] * 10
    fake = FakeX(faults={"finalize": [*limited, x_error(503), x_error(503), x_error(503)]})
    _upload(drive, fake, io.BytesIO(video), wait_on_rate_limit=True)
    assert fake.sleeps == [1.0] * 10 + [0.5, 1.0, 2.0]


def test_a_file_that_shrinks_mid_upload_is_refused(drive, tmp_path):
    video = _video(3 * MB)
    path = tmp_path / "clip.mp4"
    path.write_bytes(video)
    upload = upload_dm_media(path, chunk_size=MB)
    source = Source(upload.file)
    fake = FakeX()

    def shrink_after_first_append(effect):
        answer = fake(effect)
        if isinstance(effect, Send) and effect.request.route.endswith("/append"):
            with open(path, "r+b") as handle:
                handle.truncate(MB + 10)
        return answer

    try:
        with pytest.raises(ValueError, match=f"ended after {MB + 10:,} of the {3 * MB:,} bytes"):
            drive(upload_flow(upload, source), shrink_after_first_append)
    finally:
        source.close()
    assert not any(request.route.endswith("/finalize") for request in fake.requests)


@pytest.mark.parametrize(
    ("content", "options", "match"),
    [
        (b"%PDF-1.7\n" + b"x" * 100, {}, "could not tell the media type"),
        (b"", {"media_type": "image/png"}, "empty"),
        (MP4_HEAD + bytes(2000), {"chunk_size": 1}, "1,000"),
        (tiny_files()["image/jpeg"] + bytes(5 * MB), {}, "at most 5,242,880 bytes"),
    ],
)
def test_bad_files_are_refused_before_any_effect(content, options, match):
    upload = upload_dm_media(io.BytesIO(content), **options)
    flow = upload_flow(upload, Source(upload.file))
    with pytest.raises(ValueError, match=match):
        next(flow)


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"media_type": "image/bmp"}, ValueError, "not supported"),
        ({"media_category": "tweet_image"}, ValueError, "not a DM category"),
        ({"chunk_size": 0}, ValueError, "chunk_size"),
        ({"chunk_size": True}, ValueError, "chunk_size"),
        ({"progress": "print"}, TypeError, "progress must be callable"),
    ],
)
def test_bad_options_are_refused_by_the_builder(options, error, match):
    with pytest.raises(error, match=match):
        upload_dm_media(io.BytesIO(tiny_files()["image/png"]), **options)


# -- Downloads ------------------------------------------------------------------------


class Chunks:
    """Performs a download's effects: ``ReadChunk`` from a list, ``Call`` for real.

    With ``drop_when_left=n``, the connection drops when ``n`` chunks are left.
    """

    def __init__(self, *chunks, drop_when_left=None):
        self.chunks = list(chunks)
        self.drop_when_left = drop_when_left
        self.effects: list = []

    def __call__(self, effect):
        self.effects.append(effect)
        if isinstance(effect, Call):
            return effect.function(*effect.args)
        assert isinstance(effect, ReadChunk), effect
        if len(self.chunks) == self.drop_when_left:
            raise ConnectionResetError("the connection dropped")
        return self.chunks.pop(0) if self.chunks else b""


def test_download_to_memory(drive):
    chunks = Chunks(b"ab", b"cd", b"e")
    assert drive(save_flow(None), chunks) == b"abcde"
    assert chunks.effects == [ReadChunk()] * 4


def test_download_to_a_path_replaces_it_only_when_complete(drive, tmp_path):
    target = tmp_path / "picture.jpg"
    target.write_bytes(b"old")
    chunks = Chunks(b"\xff\xd8", b"x" * 1000)
    assert drive(save_flow(target), chunks) == 1002
    assert target.read_bytes() == b"\xff\xd8" + b"x" * 1000
    assert list(tmp_path.iterdir()) == [target]
    calls = [effect.function for effect in chunks.effects if isinstance(effect, Call)]
    assert calls[0] is Sink
    assert [call.__name__ for call in calls[1:]] == ["write", "write", "close"]


def test_download_to_a_file_object_appends_and_leaves_it_open(drive):
    buffer = io.BytesIO(b"prefix")
    buffer.seek(0, io.SEEK_END)
    assert drive(save_flow(buffer), Chunks(b"12", b"345")) == 5
    assert buffer.getvalue() == b"prefix12345"
    assert not buffer.closed


def test_a_failed_download_leaves_no_file(drive, tmp_path):
    target = tmp_path / "picture.jpg"
    chunks = Chunks(b"a", b"b", b"c", drop_when_left=1)
    with pytest.raises(ConnectionResetError):
        drive(save_flow(target), chunks)
    assert list(tmp_path.iterdir()) == []
    last = chunks.effects[-1]
    assert isinstance(last, Call)
    assert last.function.__name__ == "close"
    assert last.args == (False,)


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, asyncio.CancelledError])
def test_an_interrupted_download_cleans_up_without_another_effect(tmp_path, interrupt):
    target = tmp_path / "picture.jpg"
    flow = save_flow(target)
    sink = flow.send(None).function(target)  # Call(Sink, (target,)): performed here
    assert flow.send(sink) == ReadChunk()
    assert isinstance(flow.send(b"abc"), Call)
    assert flow.send(None) == ReadChunk()
    assert len(list(tmp_path.iterdir())) == 1  # the partial file
    with pytest.raises(interrupt):
        flow.throw(interrupt())
    assert list(tmp_path.iterdir()) == []


# -- Retry policy and rate-limit arithmetic -------------------------------------------------


def _run_retrying(drive, answers, backoff=None):
    """Drive ``retrying`` against answers given in order (an exception is raised)."""
    answers = list(answers)
    effects = []

    def perform(effect):
        effects.append(effect)
        if isinstance(effect, Sleep):
            return None
        answer = answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    result = drive(retrying("the request", backoff), perform, lambda error: error)
    return result, effects


def test_retrying_returns_the_answer(drive):
    result, effects = _run_retrying(drive, [{"data": 1}])
    assert (result, effects) == ({"data": 1}, [Send("the request")])


def test_retrying_without_backoff_raises_the_original_error_at_once(drive):
    error = x_error(503)
    with pytest.raises(tweepy.TwitterServerError) as raised:
        _run_retrying(drive, [Retryable(error)])
    assert raised.value is error
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


def test_retrying_gives_up_after_the_attempts(drive):
    errors = [Retryable(x_error(503)) for _ in range(5)]
    with pytest.raises(tweepy.TwitterServerError) as raised:
        _run_retrying(drive, errors, EXPORT_RETRY)
    assert raised.value is errors[-1].error


def test_retrying_sleeps_between_tries(drive):
    answers = [Retryable(OSError()), Retryable(OSError()), Retryable(OSError()), "done"]
    result, effects = _run_retrying(drive, answers, EXPORT_RETRY)
    assert result == "done"
    assert effects == [
        Send("the request"), Sleep(1.0),
        Send("the request"), Sleep(2.0),
        Send("the request"), Sleep(4.0),
        Send("the request"),
    ]  # fmt: skip


def test_retrying_waits_out_rate_limits_however_often(drive, caplog):
    limited = [RateLimited(x_error(429), 0.0)] * 20 + [RateLimited(x_error(429), 7.0)]
    with caplog.at_level("WARNING", logger="tweepy_dm.client"):
        result, effects = _run_retrying(drive, [*limited, "ok"], Backoff(attempts=1, base=1))
    assert result == "ok"
    assert [effect for effect in effects if isinstance(effect, Sleep)] == [Sleep(0.0)] * 20 + [
        Sleep(7.0)
    ]
    # Only a real wait is worth a warning, as with tweepy's wait_on_rate_limit.
    assert [record.getMessage() for record in caplog.records] == [
        "Rate limit exceeded. Sleeping for 7 seconds."
    ]


def test_retrying_lets_other_errors_through(drive):
    error = x_error(403)
    with pytest.raises(tweepy.Forbidden) as raised:
        _run_retrying(drive, [error], UPLOAD_RETRY)
    assert raised.value is error


@pytest.mark.parametrize(
    ("backoff", "delays"),
    [
        (UPLOAD_RETRY, [0.5, 1.0, 2.0, 4.0]),
        (EXPORT_RETRY, [1.0, 2.0, 4.0, 8.0]),
        (Backoff(attempts=0, base=2, factor=3, maximum=30), [2, 6, 18, 30]),
        (Backoff(attempts=0, base=2, factor=1), [2, 2, 2, 2]),
        (Backoff(attempts=0, base=5, linear=True, maximum=12), [5, 10, 12, 12]),
    ],
)
def test_backoff_delays(backoff, delays):
    assert [backoff.delay(failures) for failures in range(1, 5)] == delays


def test_backoff_gives_up():
    assert [UPLOAD_RETRY.gives_up(failures) for failures in range(1, 6)] == [
        False, False, False, True, True,
    ]  # fmt: skip
    assert not Backoff(attempts=0, base=1).gives_up(10**6)  # 0: no limit


@pytest.mark.parametrize(
    ("reset", "now", "fallback", "expected"),
    [
        (None, 100.0, 0.0, 0.0),
        (None, 100.0, DEFAULT_RATE_LIMIT_WAIT, 60.0),
        (130, 100.0, 0.0, 31.0),  # one second past the window's end
        (130, 100.9, 0.0, 31.0),  # whole seconds, as X's reset header is
        (100, 100.0, 0.0, 1.0),
        (50, 100.0, 0.0, 0.0),  # long passed: never negative
    ],
)
def test_wait_for_reset(reset, now, fallback, expected):
    assert wait_for_reset(reset, now, fallback=fallback) == expected


def test_rate_limit_headers():
    headers = {
        "x-rate-limit-limit": "15",
        "x-rate-limit-remaining": " 0 ",
        "x-rate-limit-reset": "9",
    }
    assert RateLimit.from_headers(headers) == RateLimit(15, 0, 9)
    assert RateLimit.from_headers({}) == RateLimit(None, None, None)
    user_24h = {"x-user-limit-24hour-limit": "1440", "x-user-limit-24hour-reset": "77"}
    assert RateLimit.from_headers(user_24h, "x-user-limit-24hour") == RateLimit(1440, None, 77)
    # int() would take these; a header of X never holds them.
    for bad in ("²", "١٢", "-5", "1.5", ""):
        assert reset_time({"x-rate-limit-reset": bad}) is None


def test_classify():
    server_error, forbidden = x_error(502), x_error(403)
    assert classify(server_error).error is server_error
    assert isinstance(classify(server_error), Retryable)
    assert classify(forbidden) is forbidden
    reset = x_error(429, **{"x-rate-limit-reset": "1000"})
    assert classify(reset) is reset  # the client does not wait on rate limits
    limited = classify(reset, now=990.5, wait_on_rate_limit=True)
    assert isinstance(limited, RateLimited)
    assert (limited.error, limited.wait_seconds) == (reset, 11.0)
    no_reset = classify(x_error(429), now=990.5, wait_on_rate_limit=True)
    assert no_reset.wait_seconds == 0.0
    dropped = ConnectionResetError()
    assert classify(dropped) is dropped
    assert classify(dropped, connection_errors=(ConnectionError,)).error is dropped


# -- The drivers ---------------------------------------------------------------------------


def _echo_flow():
    """Yields three effects, catching the first error thrown in; returns what it saw."""
    seen = [(yield Send("a"))]
    try:
        seen.append((yield Send("b")))
    except LookupError as error:
        seen.append(f"caught {error!r}")
    seen.append((yield Sleep(1)))
    return seen


def test_drivers_send_results_and_return_the_flows_value(drive):
    answers = iter(["A", "B", None])
    assert drive(_echo_flow(), lambda effect: next(answers), lambda e: e) == ["A", "B", None]


def test_drivers_throw_errors_into_the_flow_through_on_error(drive):
    def perform(effect):
        if effect == Send("b"):
            raise ValueError("b failed")
        return effect

    translated = []

    def on_error(error):
        translated.append(error)
        return KeyError(str(error))

    result = drive(_echo_flow(), perform, on_error)
    assert result == [Send("a"), "caught KeyError('b failed')", Sleep(1)]
    assert [str(error) for error in translated] == ["b failed"]


def test_drivers_raise_what_the_flow_does_not_catch(drive):
    def perform(effect):
        raise ValueError(f"{effect.request} failed")

    with pytest.raises(ValueError, match="a failed"):
        drive(_echo_flow(), perform, lambda error: error)


def test_a_flow_with_no_effects_returns_at_once(drive):
    def flow():
        return "done"
        yield  # a generator

    assert drive(flow(), lambda effect: pytest.fail("no effect expected")) == "done"


class Interrupt(BaseException):
    """Stands for KeyboardInterrupt or a cancellation: not a failure of an effect."""


def test_base_exceptions_are_not_thrown_into_the_flow(drive):
    caught = []

    def flow():
        try:
            yield Send("x")
        except BaseException as error:
            caught.append(error)
            raise

    def perform(effect):
        raise Interrupt

    with pytest.raises(Interrupt):
        drive(flow(), perform)
    assert not [error for error in caught if isinstance(error, Interrupt)]


def test_stepper_keeps_the_value():
    def flow():
        first = yield 1
        second = yield first + 1
        return first + second

    stepper = Stepper(flow())
    effects = []
    for effect in stepper:
        effects.append(effect)
        stepper.result = effect * 10
    assert effects == [1, 11]
    assert stepper.value == 120


def test_dispatch_calls_the_performer_of_the_effects_type():
    perform = dispatch({Sleep: lambda seconds: ("slept", seconds), ReadChunk: lambda: b"x"})
    assert perform(Sleep(2.5)) == ("slept", 2.5)
    assert perform(ReadChunk()) == b"x"
    with pytest.raises(KeyError):
        perform(Send("unknown to this table"))
