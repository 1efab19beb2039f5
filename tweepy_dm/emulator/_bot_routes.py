"""The routes of X's bot accounts (``/2/bots``): parse, call ``_bots``, render."""

from __future__ import annotations

from typing import Any

from tweepy_dm.emulator import _bots, _params
from tweepy_dm.emulator._errors import unsupported_authentication

__all__ = [
    "create_bot",
    "delete_bot",
    "get_bots",
    "revoke_bot_token",
    "rotate_bot_token",
    "update_bot",
]


def _app_only(app: Any, context: Any) -> _bots.BotsBackend:
    # Every /2/bots operation takes the app's bearer token only (spec 2.170's security).
    if context.caller.user is not None:
        raise unsupported_authentication(
            "Authenticating with OAuth 2.0 User Context is forbidden for this endpoint.  "
            "Supported authentication types are [OAuth 2.0 Application-Only]."
        )
    return _bots.backend(app.store)


def create_bot(app: Any, context: Any) -> Any:
    bots = _app_only(app, context)
    # 201 for a repeated create too: the spec documents no other answer.
    return 201, {"data": bots.create(_params.json_object(context.request))}, {}


def get_bots(app: Any, context: Any) -> Any:
    bots = _app_only(app, context)
    users = bots.bots()
    data = [app.render.user(user, context.query["user.fields"], None) for user in users]
    meta = {"max_bots": bots.max_bots, "result_count": len(data)}
    return 200, {"data": data, "meta": meta} if data else {"meta": meta}, {}


def update_bot(app: Any, context: Any, id: str) -> Any:
    bots = _app_only(app, context)
    bots.update(_params.id_value("id", id), _params.json_object(context.request))
    return 200, {"data": {"updated": True}}, {}


def delete_bot(app: Any, context: Any, id: str) -> Any:
    bots = _app_only(app, context)
    bots.delete(_params.id_value("id", id))
    return 200, {"data": {"deleted": True}}, {}


def rotate_bot_token(app: Any, context: Any, id: str) -> Any:
    bots = _app_only(app, context)
    # The body is required but may be {} (RotateBotTokenRequest); an empty one is taken as {}.
    body = _params.json_object(context.request) if context.request.body else {}
    return 200, {"data": bots.rotate(_params.id_value("id", id), body)}, {}


def revoke_bot_token(app: Any, context: Any, id: str) -> Any:
    bots = _app_only(app, context)
    bots.revoke(_params.id_value("id", id))
    return 200, {"data": {"revoked": True}}, {}
