"""A reply to a message request read with ``XChat`` uses the key the request came with.

Reading the request verifies its key changes; their keys must be kept for the
1:1, or the reply would find none and make the 1:1 a new key (rotating it for
the sender too). The reply is one POST. Runs for XChat and AsyncXChat.
"""

from __future__ import annotations

import sys

import pytest

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

from tweepy_dm import xchat
from tweepy_dm.emulator import DMEmulator

A, B = 1111, 2222


def test_a_reply_to_a_request_is_one_post_with_the_requests_key(clients, clock, served):
    with DMEmulator(clock=clock) as emulator:
        for user_id, name in ((A, "alice"), (B, "bob")):
            emulator.add_user(user_id, name, name.title(), xchat=True)
        caller = clients.make(credentials=emulator.credentials(B), api_url=emulator.url)
        kind = xchat.AsyncXChat if clients.is_async else xchat.XChat
        bob = kind(caller.client, key_blob=emulator.xchat_key_blob(B), user_id=B)
        caller.call("update_chat_settings", allow_dms_from="following")
        emulator.send_chat(A, B, "hi, we met at the conference")
        (request,) = clients.run(bob.get_message_requests())
        assert [message.text for message in request.messages] == ["hi, we met at the conference"]
        served.clear()
        clients.run(bob.send(request.conversation_id, "hello"))
        assert served == [("POST", f"/2/chat/conversations/{A}-{B}/messages")]
