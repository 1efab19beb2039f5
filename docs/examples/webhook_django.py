"""X webhooks in Django: a view built on verify_signature and parse_webhook.

Route it in urls.py: ``path("x/webhook", views.x_webhook)``.
"""

import os

from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.views.decorators.csrf import csrf_exempt

from tweepy_dm.webhooks import SIGNATURE_HEADER, crc_response, parse_webhook, verify_signature

CONSUMER_SECRET = os.environ["X_CONSUMER_SECRET"]


def handle(event):
    message = event.direct_message
    if message is not None:
        print(f"{event.event_type} for {event.user_id}: {message.text}")


@csrf_exempt  # X cannot send Django's CSRF token; the signature proves the sender
def x_webhook(request):
    if request.method == "GET":  # X's CRC
        token = request.GET.get("crc_token")
        if not token:
            return HttpResponseBadRequest("crc_token is missing")
        return JsonResponse(crc_response(CONSUMER_SECRET, token))
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    # request.body is the raw bytes X signed: verify before parsing.
    if not verify_signature(CONSUMER_SECRET, request.body, request.headers.get(SIGNATURE_HEADER)):
        return HttpResponseForbidden()
    try:
        events = parse_webhook(request.body)
    except (TypeError, ValueError):
        return HttpResponseBadRequest("not an X payload")
    for event in events:
        # X repeats an event on retries and replays: skip those whose event_uuid
        # (or, for Account Activity, DM id) your database has seen already.
        handle(event)
    return HttpResponse(status=200)
