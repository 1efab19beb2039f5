"""The receivers' signer, keyed once: the same signatures as X's docs compute, every time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading

from tweepy_dm import webhooks

SECRET = "consumer-secret-for-signer-tests"


def x_signature(body: bytes, secret: str = SECRET) -> bytes:
    """X's signature, written as X's docs write it (webhooks quickstart)."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return b"sha256=" + base64.b64encode(digest)


def test_a_keyed_signer_signs_every_message_as_x_does_not_only_the_first():
    signer = webhooks._Signer(SECRET.encode())
    bodies = [b"", b"{}", os.urandom(64), os.urandom(1000), b"{}"]
    assert [signer.sign(body) for body in bodies] == [x_signature(body) for body in bodies]
    assert webhooks._sign(SECRET.encode(), b"{}") == x_signature(b"{}").decode()


def test_the_signer_accepts_the_header_as_str_or_bytes_and_refuses_anything_else():
    signer = webhooks._Signer(SECRET.encode())
    body = b'{"data":{}}'
    good = x_signature(body)
    assert signer.verify(body, good)
    assert signer.verify(body, good.decode() + " ")
    assert not signer.verify(body, x_signature(body, "another secret"))
    assert not signer.verify(body + b" ", good)
    assert not signer.verify(body, None)
    assert not signer.verify(body, "sha256=é")
    assert not signer.verify(body, 42)


def test_the_signer_is_shared_by_threads_without_mixing_their_messages():
    signer = webhooks._Signer(SECRET.encode())
    bodies = [os.urandom(300) for _ in range(8)]
    wrong = []

    def sign_many(body: bytes) -> None:
        for _ in range(300):
            if signer.sign(body) != x_signature(body):
                wrong.append(body)

    threads = [threading.Thread(target=sign_many, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_no_secret_in_the_reprs_of_the_signer_and_the_receivers():
    signer = webhooks._Signer(SECRET.encode())
    assert SECRET not in repr(signer)
    for make in (webhooks.wsgi_app, webhooks.asgi_app):
        receiver = make(SECRET, lambda event: None).receiver
        assert SECRET not in repr(receiver)
        assert SECRET not in repr(vars(receiver) if hasattr(receiver, "__dict__") else receiver)
