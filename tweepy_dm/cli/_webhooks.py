"""``tweepy-dm webhooks``: a local receiver, and the app's webhooks (add, list, replay, …)."""

from __future__ import annotations

import datetime
import signal
import socketserver
import threading
from typing import Any, Optional
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import click

from tweepy_dm.cli._errors import handle_errors
from tweepy_dm.cli._listen import (
    FORMAT_OPTION,
    _interrupt,
    app_token,
    app_token_options,
    notes_on_stderr,
    print_event,
)
from tweepy_dm.cli._options import _clean
from tweepy_dm.cli._output import console, plural, stderr

SECRET_VARIABLE = "X_CONSUMER_SECRET"


@click.group()
def webhooks() -> None:
    """Receive X's webhook POSTs locally, and manage the app's webhooks.

    `serve` runs a receiver that answers the CRC and prints each event whose
    signature is right (the app's consumer secret from X_CONSUMER_SECRET);
    `add`, `list`, `validate`, `delete` and `replay` manage webhooks with
    the app's bearer token (X_APP_BEARER_TOKEN, else X_BEARER_TOKEN).
    """


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        # Requests are noted by the receiver's own log (rejections) and the events printed.
        pass


@webhooks.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port (0: any free one).",
)
@click.option("--path", default=None, help="Answer only at this path (any path by default).")
@FORMAT_OPTION
@click.option("--consumer-secret", envvar=SECRET_VARIABLE, show_envvar=True, callback=_clean,
              help="The app's consumer secret (API key secret): CRC and signatures.")  # fmt: skip
def serve(
    host: str, port: int, path: Optional[str], output_format: str, consumer_secret: Optional[str]
) -> None:
    """Run a webhook receiver that prints every verified event until Ctrl+C.

    It answers X's CRC, checks each POST's signature with the consumer
    secret (403 otherwise), drops duplicates, and prints one line per event.
    For development: put it behind an HTTPS tunnel for X, or register
    http://127.0.0.1:PORT/ with the emulator.
    """
    if not consumer_secret:
        raise click.UsageError(
            f"No consumer secret. Set {SECRET_VARIABLE} (the app's API key secret, with which "
            "X signs) or pass --consumer-secret."
        )
    handle_errors(_serve)(
        host=host, port=port, path=path, output_format=output_format,
        consumer_secret=consumer_secret,
    )  # fmt: skip


def _serve(
    *, host: str, port: int, path: Optional[str], output_format: str, consumer_secret: str
) -> None:
    from tweepy_dm.webhooks import wsgi_app

    lock = threading.Lock()

    def handler(event: Any) -> None:
        with lock:  # one line at a time from the server's threads
            print_event(event, output_format)

    app = wsgi_app(consumer_secret, handler, path=path)
    try:
        server = make_server(
            host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
    except OSError as error:
        message = f"cannot listen on {host}:{port}: {error.strerror or error}"
        raise click.UsageError(message) from None
    url = f"http://{host}:{server.server_port}{path or '/'}"
    stderr.print(f"Webhook receiver listening on {url}; Ctrl+C to stop.")
    previous = signal.signal(signal.SIGTERM, _interrupt)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    try:
        with notes_on_stderr("tweepy_dm.webhooks"):
            thread.start()
            while thread.is_alive():
                thread.join(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        signal.signal(signal.SIGTERM, previous)
    stderr.print("Stopped.")


def _client(api_url: str, app_bearer_token: Optional[str], bearer_token: Optional[str]) -> Any:
    import tweepy_dm

    token = app_token(app_bearer_token, bearer_token, "webhook management")
    return tweepy_dm.Client(bearer_token=token, api_url=api_url), token


def _managed(action: Any) -> Any:
    """Run ``action(client)`` with redaction of the token and the documented exit codes."""

    def run(api_url: str, app_bearer_token: Optional[str], bearer_token: Optional[str]) -> Any:
        client, token = _client(api_url, app_bearer_token, bearer_token)
        return handle_errors(lambda **_: action(client))(bearer_token=token)

    return run


def _print_webhook(webhook: dict[str, Any]) -> None:
    state = "valid" if webhook.get("valid") else "INVALID (failed its CRC: run validate)"
    console().print(f"{webhook.get('id')}  {webhook.get('url')}  {state}", highlight=False)


@webhooks.command(name="add")
@click.argument("url")
@app_token_options
def add(url: str, **options: Any) -> None:
    """Register URL as the app's webhook (X sends it a CRC first); prints its id."""

    def action(client: Any) -> None:
        _print_webhook(client.create_webhook(url).data)

    _managed(action)(**options)


@webhooks.command(name="list")
@app_token_options
def list_webhooks(**options: Any) -> None:
    """List the app's webhooks: id, URL, and whether each is valid."""

    def action(client: Any) -> None:
        response = client.get_webhooks()
        for webhook in response.data or []:
            _print_webhook(webhook)
        stderr.print(plural(len(response.data or []), "webhook"))

    _managed(action)(**options)


@webhooks.command()
@click.argument("webhook_id", metavar="ID")
@app_token_options
def validate(webhook_id: str, **options: Any) -> None:
    """Have X run the CRC of webhook ID again (re-enables it if it passes)."""

    def action(client: Any) -> None:
        valid = client.validate_webhook(webhook_id).data.get("valid")
        console().print(f"{webhook_id}  {'valid' if valid else 'INVALID'}", highlight=False)
        if not valid:
            raise SystemExit(1)

    _managed(action)(**options)


@webhooks.command()
@click.argument("webhook_id", metavar="ID")
@app_token_options
def delete(webhook_id: str, **options: Any) -> None:
    """Delete webhook ID: X stops delivering to it."""

    def action(client: Any) -> None:
        client.delete_webhook(webhook_id)
        console().print(f"{webhook_id}  deleted", highlight=False)

    _managed(action)(**options)


@webhooks.command()
@click.argument("webhook_id", metavar="ID")
@click.option(
    "--from",
    "from_date",
    required=True,
    metavar="TIME",
    help="Start (inclusive): yyyymmddhhmm in UTC, or ISO 8601.",
)
@click.option(
    "--to",
    "to_date",
    metavar="TIME",
    help="End (exclusive): yyyymmddhhmm in UTC, or ISO 8601 (default: now).",
)
@app_token_options
def replay(webhook_id: str, from_date: str, to_date: Optional[str], **options: Any) -> None:
    """Have X deliver again the events of a time window to webhook ID (after downtime)."""
    end: Any = to_date or datetime.datetime.now(datetime.timezone.utc)

    def action(client: Any) -> None:
        job = client.replay_webhook_events(webhook_id, from_date=from_date, to_date=end).data
        console().print(f"replay job {job.get('job_id')} created at {job.get('created_at')}")

    _managed(action)(**options)
