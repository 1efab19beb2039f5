"""X's problem documents (RFC 7807 bodies), the only shape of an error answer.

The routes raise a :class:`Problem` for what the request got wrong; the
backend's refusals are mapped to one in ``_routes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

PROBLEMS = "https://api.x.com/2/problems/"


class Problem(Exception):
    """An error answer: raised anywhere in a route, rendered by the server."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        type_: str = "about:blank",
        errors: Optional[list[dict[str, Any]]] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type_
        self.errors = errors
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(title=self.title, detail=self.detail, type=self.type, status=self.status)
        return body


def invalid_request(message: str, parameters: Optional[Mapping[str, Any]] = None) -> Problem:
    """400 for a bad parameter or body, as X words it."""
    error: dict[str, Any] = {"parameters": dict(parameters or {}), "message": message}
    return Problem(
        400,
        "Invalid Request",
        "One or more parameters to your request was invalid.",
        PROBLEMS + "invalid-request",
        errors=[error],
    )


def invalid_parameter(name: str, value: str, message: str) -> Problem:
    return invalid_request(message, {name: [value]})


def unauthorized() -> Problem:
    # X's 401 body carries no errors list, only the RFC 7807 fields.
    return Problem(401, "Unauthorized", "Unauthorized")


def forbidden(detail: str) -> Problem:
    return Problem(403, "Forbidden", detail)


def unsupported_authentication(detail: str) -> Problem:
    return Problem(
        403, "Unsupported Authentication", detail, PROBLEMS + "unsupported-authentication"
    )


def not_found_item(resource_type: str, parameter: str, value: str) -> dict[str, Any]:
    """One ``errors`` item for a resource that does not exist.

    Alone in a 404, or beside ``data`` in a 200 when only part of the answer
    is missing (a user in a list lookup, a referenced Tweet).
    """
    return {
        "value": value,
        "detail": f"Could not find {resource_type} with {parameter}: [{value}].",
        "title": "Not Found Error",
        "resource_type": resource_type,
        "parameter": parameter,
        "resource_id": value,
        "type": PROBLEMS + "resource-not-found",
    }


def not_found(resource_type: str, parameter: str, value: str) -> Problem:
    error = not_found_item(resource_type, parameter, value)
    return Problem(404, "Not Found Error", error["detail"], error["type"], [error])


def too_many_requests() -> Problem:
    return Problem(429, "Too Many Requests", "Too Many Requests")
