"""``send``, ``events`` and ``export`` with ``--xchat-key`` against the emulator: /2/chat, decrypted."""

from __future__ import annotations

import base64
import sys

import pytest

from tests.cli.helpers import ALICE, BOB, CAROL, export_lines, invoke, oauth1_env, registered_key

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
try:
    import chat_xdk  # noqa: F401
except ImportError:
    pytest.skip(
        'chatxdk is not installed (pip install "tweepy-dm[xchat]")', allow_module_level=True
    )

import tweepy_dm
from tweepy_dm import xchat


@pytest.fixture
def keys(emulator, users, tmp_path):
    """Everyone's key file, with its public keys registered on X."""
    files = {}
    for user_id in (ALICE, BOB, CAROL):
        blob, _ = registered_key(emulator.url, users[user_id], user_id)
        files[user_id] = tmp_path / f"{user_id}.key"
        files[user_id].write_bytes(blob)
    return files


def _chat(emulator, users, keys, user_id):
    client = tweepy_dm.Client(**users[user_id], api_url=emulator.url)
    return xchat.XChat(client, key_blob=keys[user_id].read_bytes(), user_id=user_id)


def _env(emulator, users, keys, user_id):
    return {**oauth1_env(emulator, users[user_id]), "X_XCHAT_KEY_FILE": str(keys[user_id])}


def _never_shown(output, key_file):
    blob = key_file.read_bytes()
    assert blob.hex() not in output
    assert base64.b64encode(blob).decode() not in output


def test_send_goes_over_xchat_encrypted(emulator, users, keys, tmp_path):
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    sent = invoke("send", "--to", BOB, "--xchat-key", str(keys[ALICE]), "hello bob",
                  env=oauth1_env(emulator, users[ALICE]))  # fmt: skip
    assert sent.exit_code == 0, sent.output
    assert f"dm_conversation_id: {ALICE}-{BOB}" in sent.output
    _never_shown(sent.output, keys[ALICE])
    with_media = invoke("send", "--to", BOB, "--media", str(photo), "a photo",
                        env=_env(emulator, users, keys, ALICE))  # fmt: skip
    assert with_media.exit_code == 0, with_media.output

    bob = _chat(emulator, users, keys, BOB)
    newest, first = bob.get_messages(ALICE)
    assert (first.text, str(first.sender_id), first.verified) == ("hello bob", ALICE, True)
    assert f"dm_event_id: {first.sequence_id}" in sent.output
    assert newest.text == "a photo"
    assert bob.get_media(newest) == photo.read_bytes()
    # Nothing went over the legacy routes.
    assert tweepy_dm.Client(**users[BOB], api_url=emulator.url).get_dm_events().data is None


def test_events_prints_decrypted_text_and_names_what_does_not_decrypt(emulator, users, keys):
    alice = _chat(emulator, users, keys, ALICE)
    group = alice.create_group([BOB])
    alice.send(group, "before carol")
    alice.add_members(group, [CAROL])
    alice.send(group, "after carol")

    result = invoke("events", "--conversation", group, "--format", "jsonl",
                    env=_env(emulator, users, keys, CAROL))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"text": "after carol"' in result.output
    assert "before carol" not in result.output
    assert "could not decrypt event " in result.output
    assert f" in {group}: " in result.output
    _never_shown(result.output, keys[CAROL])


def test_export_over_xchat_decrypts_and_keeps_undecryptable_events_as_error_lines(
    emulator, users, keys, tmp_path
):
    alice = _chat(emulator, users, keys, ALICE)
    group = alice.create_group([BOB])
    alice.send(group, "before carol")
    alice.add_members(group, [CAROL])
    alice.send(group, "after carol")
    path = tmp_path / "carol.jsonl"
    env = _env(emulator, users, keys, CAROL)

    first = invoke("export", str(path), "--conversation", group, env=env)
    assert first.exit_code == 0, first.output
    newest, oldest = export_lines(path)
    assert newest["text"] == "after carol"
    assert newest["sender_id"] == ALICE
    assert set(oldest) == {"id", "dm_conversation_id", "error"}
    assert oldest["dm_conversation_id"] == group
    assert "could not be decrypted" in oldest["error"]
    assert int(oldest["id"]) < int(newest["id"])
    _never_shown(first.output, keys[CAROL])

    # Resumable as without a key: a second run adds only what is newer.
    alice.send(group, "later")
    again = invoke("export", str(path), "--conversation", group, env=env)
    assert again.exit_code == 0, again.output
    assert "wrote 1 event" in again.output
    assert [line.get("text") for line in export_lines(path)] == [
        "after carol",
        None,
        "later",
    ]


def test_an_export_is_continued_only_over_the_api_it_was_made_with(emulator, users, keys, tmp_path):
    legacy = tweepy_dm.Client(**users[ALICE], api_url=emulator.url)
    legacy.create_dm(participant_id=BOB, text="legacy")
    path = tmp_path / "alice.jsonl"
    made = invoke("export", str(path), env=oauth1_env(emulator, users[ALICE]))
    assert made.exit_code == 0, made.output
    over_chat = invoke("export", str(path), env=_env(emulator, users, keys, ALICE))
    assert over_chat.exit_code == 2
    assert "'xchat': True" in over_chat.output
    assert "use another file" in over_chat.output
    assert [line["text"] for line in export_lines(path)] == ["legacy"]


def test_a_key_file_that_is_not_a_key_is_a_usage_error_that_never_shows_it(
    emulator, users, tmp_path
):
    wrong = tmp_path / "wrong.key"
    wrong.write_bytes(b"my-diary-not-a-key")
    result = invoke("send", "--to", BOB, "--xchat-key", str(wrong), "hi",
                    env=oauth1_env(emulator, users[ALICE]))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "my-diary" not in result.output
    assert tweepy_dm.Client(**users[BOB], api_url=emulator.url).get_dm_events().data is None


def test_a_missing_key_file_is_a_usage_error(emulator, users, tmp_path):
    result = invoke("events", "--xchat-key", str(tmp_path / "none.key"),
                    env=oauth1_env(emulator, users[ALICE]))  # fmt: skip
    assert result.exit_code == 2
    assert "none.key" in result.output


def test_an_interrupted_export_over_xchat_resumes_without_loss_or_duplicates(
    emulator, users, keys, tmp_path, monkeypatch
):
    from tweepy_dm.cli import _export

    bob = _chat(emulator, users, keys, BOB)
    sent = [bob.send(ALICE, f"m{i}").sequence_id for i in range(5)]
    monkeypatch.setattr(_export, "PAGE_SIZE", 2)
    write_state = _export.write_state

    def killed_after_the_first_page(path, state):
        write_state(path, state)
        raise KeyboardInterrupt

    monkeypatch.setattr(_export, "write_state", killed_after_the_first_page)
    path = tmp_path / "alice.jsonl"
    env = _env(emulator, users, keys, ALICE)
    interrupted = invoke("export", str(path), "--with", BOB, env=env)
    assert interrupted.exit_code == 130  # interrupted: its progress is saved
    assert len(export_lines(path)) == 2
    monkeypatch.setattr(_export, "write_state", write_state)

    resumed = invoke("export", str(path), "--with", BOB, env=env)
    assert resumed.exit_code == 0, resumed.output
    assert "Resumed: wrote 3 events" in resumed.output
    lines = export_lines(path)
    assert [int(line["id"]) for line in lines] == sorted(sent, reverse=True)
    assert [line["text"] for line in lines] == ["m4", "m3", "m2", "m1", "m0"]
