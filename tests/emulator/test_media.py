"""Media: one-shot and chunked uploads, processing, attaching, downloading."""

from __future__ import annotations

import base64

import pytest

from tests.emulator.conftest import ALICE_BOB, BOB, MP4, PNG, assert_problem


def _attach(api, media_id, to=BOB, text="look"):
    return api.post(
        f"/2/dm_conversations/with/{to}/messages",
        json={"text": text, "attachments": [{"media_id": media_id}]},
    )


def test_one_shot_multipart_upload(users):
    data = users[0].upload(PNG, "dm_image")
    assert data["id"].isdigit()
    assert data["media_key"] == f"3_{data['id']}"
    assert data["expires_after_secs"] == 86400
    assert data["size"] == len(PNG)
    assert "processing_info" not in data


def test_one_shot_json_base64_upload(users):
    body = {"media": base64.b64encode(PNG).decode(), "media_category": "dm_image"}
    response = users[0].post("/2/media/upload", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["media_key"].startswith("3_")


def test_attached_media_in_includes_and_downloadable(users, emulator):
    alice, bob, carol = users
    media = alice.upload(PNG, "dm_image")
    response = _attach(alice, media["id"])
    assert response.status_code == 201, response.text
    event_id = response.json()["data"]["dm_event_id"]
    body = bob.events(
        **{
            "dm_event.fields": "attachments",
            "expansions": "attachments.media_keys",
            "media.fields": "url",
        }
    )
    event = body["data"][0]
    assert event["attachments"] == {"media_keys": [media["media_key"]]}
    item = body["includes"]["media"][0]
    assert item["media_key"] == media["media_key"]
    assert item["type"] == "photo"
    prefix = f"{emulator.url}/2/dm_conversations/media/{event_id}/{media['id']}/"
    assert item["url"].startswith(prefix)
    path = item["url"][len(emulator.url) :]
    download = bob.get(path, bearer=True)
    assert download.status_code == 200
    assert download.content == PNG
    assert download.headers["Content-Type"] == "image/png"
    # OAuth 2.0 user context only; participants only; the ids must match.
    assert_problem(bob.get(path), 403)
    assert_problem(carol.get(path, bearer=True), 403)
    assert_problem(bob.get(path[:-1] + "x", bearer=True), 404)
    assert_problem(
        bob.get(f"/2/dm_conversations/media/{event_id}/1/{path.rsplit('/', 1)[1]}", bearer=True),
        404,
    )


def test_media_of_another_user_cannot_be_attached(users):
    alice, bob, _ = users
    media = bob.upload(PNG, "dm_image")
    body = assert_problem(_attach(alice, media["id"]), 403)
    assert body["detail"] == "You are not permitted to attach this media to a DM event."
    assert_problem(_attach(alice, "123456"), 403)


def test_tweet_category_media_cannot_go_in_a_dm(users):
    media = users[0].upload(PNG, "tweet_image")
    assert_problem(_attach(users[0], media["id"]), 400, errors=True)


def test_media_expires_after_a_day(users, clock):
    media = users[0].upload(PNG, "dm_image")
    clock.advance(86401)
    assert_problem(_attach(users[0], media["id"]), 400, errors=True)


def test_chunked_video_goes_through_processing(users, clock):
    alice, bob, _ = users
    init = alice.post(
        "/2/media/upload/initialize",
        json={"media_type": "video/mp4", "total_bytes": len(MP4), "media_category": "dm_video"},
    )
    assert init.status_code == 200, init.text
    media_id = init.json()["data"]["id"]
    assert init.json()["data"]["media_key"] == f"7_{media_id}"
    for index, start in enumerate(range(0, len(MP4), 600)):
        response = alice.post(
            f"/2/media/upload/{media_id}/append",
            files={
                "media": ("blob", MP4[start : start + 600]),
                "segment_index": (None, str(index)),
            },
        )
        assert response.status_code == 200, response.text
    final = alice.post(f"/2/media/upload/{media_id}/finalize")
    assert final.status_code == 200, final.text
    assert final.json()["data"]["processing_info"]["state"] == "pending"
    assert_problem(_attach(alice, media_id), 400, errors=True)  # not processed yet

    def state():
        response = alice.get("/2/media/upload", params={"command": "STATUS", "media_id": media_id})
        assert response.status_code == 200, response.text
        return response.json()["data"]["processing_info"]

    assert state()["state"] == "pending"
    clock.advance(state()["check_after_secs"])
    assert state()["state"] == "in_progress"
    clock.advance(state()["check_after_secs"])
    assert state() == {"state": "succeeded", "progress_percent": 100}
    event_id = _attach(alice, media_id).json()["data"]["dm_event_id"]
    body = bob.events(
        f"/2/dm_conversations/{ALICE_BOB}/dm_events",
        expansions="attachments.media_keys",
        **{"media.fields": "url,variants"},
    )
    assert body["includes"]["media"][0]["type"] == "video"
    url = body["includes"]["media"][0]["url"]
    assert f"/media/{event_id}/{media_id}/" in url
    assert bob.get(url.split(bob.url, 1)[1], bearer=True).content == MP4


def test_one_shot_video_is_processed_too(users):
    data = users[0].upload(MP4, "dm_video")
    assert data["processing_info"]["state"] == "pending"
    gif = users[0].upload(b"GIF89a" + bytes(20), "dm_gif")
    assert gif["media_key"].startswith("16_")


@pytest.mark.parametrize(
    "body",
    [
        {"media_type": "video/mp4", "total_bytes": 10, "media_category": "dm_nothing"},
        {"media_type": "image/png", "total_bytes": 10, "media_category": "dm_video"},
        {"media_type": "image/png", "total_bytes": 6 * 1024 * 1024, "media_category": "dm_image"},
        {"media_type": "image/png", "total_bytes": 0, "media_category": "dm_image"},
        {"media_type": "image/png", "total_bytes": "10", "media_category": "dm_image"},
    ],
)
def test_invalid_initialize_is_400(users, body):
    assert_problem(users[0].post("/2/media/upload/initialize", json=body), 400, errors=True)


def test_chunked_errors(users):
    alice, bob, _ = users
    body = {"media_type": "image/png", "total_bytes": len(PNG), "media_category": "dm_image"}
    media_id = alice.post("/2/media/upload/initialize", json=body).json()["data"]["id"]
    append = f"/2/media/upload/{media_id}/append"
    part = {"media": ("blob", PNG[:10])}
    assert_problem(alice.post(append, files={**part, "segment_index": (None, "1000")}), 400)
    assert_problem(alice.post(append, files=part), 400)
    assert_problem(
        alice.post(append, data=b"x", headers={"Content-Type": "multipart/form-data; boundary=zz"}),
        400,
    )
    assert alice.post(append, files={**part, "segment_index": (None, "0")}).status_code == 200
    assert_problem(alice.post(f"/2/media/upload/{media_id}/finalize"), 400, errors=True)
    assert_problem(bob.post(f"/2/media/upload/{media_id}/finalize"), 404)
    status = {"command": "STATUS", "media_id": media_id}
    assert_problem(bob.get("/2/media/upload", params=status), 404)
    assert_problem(alice.get("/2/media/upload", params={**status, "command": "INIT"}), 400)
    assert_problem(alice.get("/2/media/upload", params={"command": "STATUS", "media_id": "1"}), 404)


def test_one_shot_upload_errors(users):
    alice = users[0]
    assert_problem(alice.post("/2/media/upload", files={"media_category": (None, "dm_image")}), 400)
    assert_problem(
        alice.post("/2/media/upload", json={"media": "!!", "media_category": "dm_image"}), 400
    )
    response = alice.post(
        "/2/media/upload",
        files={"media": ("x", b"plain text"), "media_category": (None, "dm_image")},
    )
    assert_problem(response, 400, errors=True)
